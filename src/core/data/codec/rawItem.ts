/**
 * Raw items (attribute values as DynamoDB sends them, binary as bytes or base64 text) → item values
 * or text, in one walk where export spends its time.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DdbError } from '../../errors.js';
import { normalizeNumber } from './numbers.js';
import { base64Of, binaryToBase64, objectText, setOwn } from './shared.js';
import { BINARY_TAG, isTagged, MAP_TAG, SET_TAG } from './tags.js';
import type { Item, RawItem } from './types.js';

/** A raw item as an item value, numbers wrapped (util-dynamodb's unmarshall). */
export function fromRawItem(item: RawItem): Item {
  return unmarshall(rawItemBytes(item), { wrapNumbers: true }) as Item;
}

const bytesOf = (b: unknown) => (typeof b === 'string' ? Buffer.from(b, 'base64') : (b as Uint8Array));

/** A raw item with its binary as bytes, as the low-level client and unmarshall take it. */
export function rawItemBytes(m: RawItem): RawItem {
  const out: RawItem = {};
  for (const k of Object.keys(m)) setOwn(out, k, rawBytes(m[k] as AttributeValue));
  return out;
}

/** Base64 binary of the wire as bytes, which unmarshall takes for binary. */
function rawBytes(v: AttributeValue): AttributeValue {
  if (v.B !== undefined) return { B: bytesOf(v.B) };
  if (v.BS !== undefined) return { BS: v.BS.map(bytesOf) };
  if (v.M !== undefined) return { M: rawItemBytes(v.M) };
  if (v.L !== undefined) return { L: v.L.map(rawBytes) };
  return v;
}

/** DynamoDB JSON text of a raw item: `stringifyDdbJson(fromRawItem(item))` without the detour. */
export function stringifyRawDdbJson(item: RawItem): string {
  return JSON.stringify(binaryToBase64(item));
}

/**
 * Plain JSON text of a raw item, the same text as `stringifyItem(fromRawItem(item))`, written in
 * one walk: export spends most of its own time turning pages into text, and this skips the
 * native values and lossless-json's objects in between.
 */
export function stringifyRawItem(item: RawItem): string {
  return rawMapText(item);
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A number of the engine as JSON number text (the engine's own notation rewritten where JSON has none). */
export function rawNumberText(text: string): string {
  if (JSON_NUMBER.test(text)) return text;
  // An engine's own notation that JSON does not allow ("+1", ".5"): write the same value in JSON's.
  const canonical = normalizeNumber(text);
  if (canonical === '0') return '0';
  const m = /^(-?)(\d)(\d*)e(-?\d+)$/.exec(canonical);
  if (m) return `${m[1]}${m[2]}${m[3] ? `.${m[3]}` : ''}e${m[4]}`;
  throw new DdbError('input.json', { message: `The number '${text}' from the engine is not a number` });
}

function rawBinaryText(b: Uint8Array | string): string {
  return `{"${BINARY_TAG}":"${typeof b === 'string' ? b : base64Of(b)}"}`;
}

function rawMapText(m: Record<string, AttributeValue>): string {
  const text = objectText(m, rawValueText);
  return isTagged(Object.keys(m)) ? `{"${MAP_TAG}":${text}}` : text;
}

function rawValueText(v: AttributeValue): string {
  if (v.S !== undefined) return JSON.stringify(v.S);
  if (v.N !== undefined) return rawNumberText(v.N);
  if (v.BOOL !== undefined) return v.BOOL ? 'true' : 'false';
  if (v.M !== undefined) return rawMapText(v.M);
  if (v.L !== undefined) {
    let out = '[';
    for (let i = 0; i < v.L.length; i++) out += `${i ? ',' : ''}${rawValueText(v.L[i] as AttributeValue)}`;
    return `${out}]`;
  }
  if (v.NULL !== undefined) return 'null';
  if (v.B !== undefined) return rawBinaryText(v.B);
  if (v.SS !== undefined) return `{"${SET_TAG}":[${v.SS.map((s) => JSON.stringify(s)).join(',')}]}`;
  if (v.NS !== undefined) return `{"${SET_TAG}":[${v.NS.map(rawNumberText).join(',')}]}`;
  if (v.BS !== undefined) return `{"${SET_TAG}":[${v.BS.map(rawBinaryText).join(',')}]}`;
  throw unknownTypeError(Object.keys(v).join(', '));
}

/** The error for an attribute value of a type ddbctl cannot write as plain JSON. */
export function unknownTypeError(type: string): DdbError {
  return new DdbError('input.json', {
    message: `An attribute value of a type ddbctl does not know (${type}): export it with --format ddb-json`,
  });
}
