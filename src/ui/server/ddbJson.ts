/**
 * Items as the API carries them: DynamoDB JSON, numbers as strings, binary as base64. Read with
 * the codec's checked reader (fromDdbJson) and written with its writer (ddbJsonText), so a number
 * never becomes a JavaScript float and a set never becomes a list.
 */
import {
  ddbJsonText,
  fromDdbJsonParsed,
  type Item,
  type ItemValue,
  normalizeNumber,
} from '../../core/data/codec.js';
import { UiError } from './http.js';

/** An item (or key) of a request body. */
export function itemIn(value: unknown, where: string): Item {
  const item = fromDdbJsonParsed(value, where);
  if (item === undefined) {
    throw new UiError(
      400,
      'input.json',
      `${where}: a number is a JSON number; write it as a string ({"N": "1.5"}) so that no digit is lost`,
    );
  }
  return item;
}

/** One attribute value of a request body (`{"S": "a"}`). */
export function valueIn(value: unknown, where: string): ItemValue {
  return itemIn({ value }, where).value as ItemValue;
}

/** An item as an answer carries it: DynamoDB JSON as a JSON value (numbers in strings: nothing lost). */
export function itemOut(item: Item): Record<string, unknown> {
  return JSON.parse(ddbJsonText(item)) as Record<string, unknown>;
}

/**
 * A text equal for two items exactly when they are the same item: attributes and map keys sorted,
 * set members sorted (DynamoDB keeps no order in a set), numbers normalized (1.50 is 1.5).
 */
export function canonicalText(item: Item): string {
  return JSON.stringify(canonical(itemOut(item)));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    const x = o[k];
    if (k === 'N' && typeof x === 'string') out[k] = normalizeNumber(x);
    else if (k === 'NS' && Array.isArray(x)) out[k] = x.map((n) => normalizeNumber(String(n))).sort();
    else if ((k === 'SS' || k === 'BS') && Array.isArray(x)) out[k] = [...x].sort();
    else out[k] = canonical(x);
  }
  return out;
}
