/**
 * DynamoDB's item limits, checked locally so a bad item is a clear error naming it instead of a
 * round trip that fails (or, in a batch, fails the whole call).
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { decimalProblem, numberTextSize, parseDecimal } from '../../ddb/numbers.js';
import { DdbError } from '../errors.js';
import { count } from '../util/plural.js';
import type { Item, ItemValue } from './codec.js';

/** NOTE: DynamoDB's maximum item size: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** NOTE: maps and lists nest at most 32 levels (as DynamoDB counts them: see NESTED_TOO_DEEP). */
export const MAX_DEPTH = 32;
export const NESTED_TOO_DEEP = `nested deeper than ${MAX_DEPTH} levels (DynamoDB takes maps and lists down to level 31, an attribute's value being level 1, and the values in them at 32)`;

const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Check a number's text against DynamoDB: up to 38 significant digits, magnitude between 1E-130
 * and 9.99…E+125 (or zero). Returns a reason, or undefined when it is fine. The rule itself is
 * src/ddb/numbers.ts's, the engine's; only ASCII digits are taken here, as the AWS SDK sends them.
 */
export function numberProblem(text: string): string | undefined {
  const d = NUMBER_RE.test(text) ? parseDecimal(text) : undefined;
  if (d === undefined) return `${JSON.stringify(text)} is not a number`;
  switch (decimalProblem(d)) {
    case 'digits':
      return `${text} has ${d.digits.length} significant digits (DynamoDB keeps 38)`;
    // NOTE: the limits are of the magnitude: a negative number has them with its sign.
    case 'large':
      return d.neg
        ? `${text} is below DynamoDB's lowest number -9.9999999999999999999999999999999999999E+125`
        : `${text} is larger than DynamoDB's maximum 9.9999999999999999999999999999999999999E+125`;
    case 'small':
      return d.neg
        ? `${text} is too close to zero: DynamoDB's negative numbers go up to -1E-130 (or 0 itself)`
        : `${text} is smaller than DynamoDB's minimum 1E-130`;
    default:
      return undefined;
  }
}

/**
 * The stored size of a number (its text), as DynamoDB Local counts it and the engine does: 1 byte
 * per 2 significant digits aligned on the decimal point, plus 1, plus 1 when negative.
 */
export function numberSize(text: string): number {
  return numberTextSize(text);
}

function valueSize(v: ItemValue): number {
  // An undefined value is refused by validateItem; counted as nothing here rather than thrown on.
  if ((v as unknown) === undefined) return 0;
  if (v === null || typeof v === 'boolean') return 1;
  // Plain JS numbers as the library takes them (fromJsItem): their text, as a NumberValue's.
  if (typeof v === 'number' || typeof v === 'bigint') return numberSize(String(v));
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (v instanceof NumberValue) return numberSize(v.value);
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) {
    let n = 0;
    for (const x of v) n += valueSize(x as ItemValue);
    return n;
  }
  if (Array.isArray(v)) return 3 + v.reduce<number>((n, x) => n + 1 + valueSize(x), 0);
  let n = 3;
  for (const [k, x] of Object.entries(v)) n += 1 + Buffer.byteLength(k, 'utf8') + valueSize(x);
  return n;
}

/** The approximate stored size of an item in bytes (names included), as DynamoDB counts it. */
export function itemSize(item: Item): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k, 'utf8') + valueSize(v);
  return n;
}

/** A UTF-16 surrogate without its other half (a paired one is one code point under the u flag). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a text cannot be stored, or undefined: DynamoDB stores strings (and names) as UTF-8, and an
 * unpaired surrogate has no UTF-8 form (DynamoDB answers SerializationException; a lenient encoder
 * would write U+FFFD instead, changing the text). Refused here, naming where it is.
 */
export function textProblem(text: string): string | undefined {
  const m = LONE_SURROGATE.exec(text);
  if (!m) return undefined;
  const code = (m[0].codePointAt(0) as number).toString(16).toUpperCase();
  const at = [...text.slice(0, m.index)].length + 1;
  return `the text has an unpaired UTF-16 surrogate (\\u${code}) at character ${at}, which has no UTF-8 form (DynamoDB stores text as UTF-8): remove it, or give the whole character (a pair such as \\uD83D\\uDE00 for 😀)`;
}

function walk(v: ItemValue, path: string, depth: number, where: string): void {
  const fail = (why: string): never => {
    throw new DdbError('input.item', { message: `${where}: ${path}: ${why}` });
  };
  if (v === undefined) fail('the value is undefined; remove the attribute, or use null to store a NULL');
  if (typeof v === 'string') {
    const p = textProblem(v);
    if (p) fail(p);
    return;
  }
  if (v instanceof NumberValue) {
    const p = numberProblem(v.value);
    if (p) fail(p);
    return;
  }
  if (v instanceof Set) {
    if (v.size === 0) fail('an empty set; DynamoDB has no empty sets (remove the attribute instead)');
    for (const x of v) if (x instanceof NumberValue || typeof x === 'string') walk(x, path, depth, where);
    return;
  }
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
  // NOTE: an attribute's value is level 1: maps and lists down to level 31, values in them at 32.
  if (depth >= MAX_DEPTH - 1) fail(NESTED_TOO_DEEP);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`, depth + 1, where);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    checkName(k, where);
    walk(x, `${path}.${k}`, depth + 1, where);
  }
}

/**
 * Why an attribute named "__proto__" is refused: the SDK's marshaller (and its serializer) build
 * maps by assignment, so the attribute would vanish silently.
 */
export const PROTO_NAME_PROBLEM =
  'an attribute named "__proto__" cannot be written through the AWS SDK for JavaScript (it would be dropped); rename it';

function checkName(k: string, where: string): void {
  if (k === '__proto__') throw new DdbError('input.item', { message: `${where}: ${PROTO_NAME_PROBLEM}` });
  const p = textProblem(k);
  if (p)
    throw new DdbError('input.item', { message: `${where}: the attribute name ${JSON.stringify(k)}: ${p}` });
}

/**
 * Check an item against DynamoDB's limits: size 400 KB, nesting 32, numbers (38 digits, range),
 * no empty sets, no empty attribute names. `where` names the item in messages ("item", "line 12").
 */
export function validateItem(item: Item, where = 'item'): void {
  for (const [k, v] of Object.entries(item)) {
    if (k === '') throw new DdbError('input.item', { message: `${where}: an attribute name is empty` });
    checkName(k, where);
    walk(v, k, 0, where);
  }
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) {
    throw new DdbError('item.tooLarge', {
      local: true,
      message: `${where}: the item is ${count(size)} bytes; DynamoDB allows 400 KB (409,600 bytes) including attribute names (store large values elsewhere, e.g. S3, and keep a reference)`,
    });
  }
}
