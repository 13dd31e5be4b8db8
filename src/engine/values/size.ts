/**
 * Item size as DynamoDB counts it (the 400 KB limit, capacity units, TableSizeBytes): attribute
 * names in UTF-8 bytes plus each value: S its UTF-8 bytes, N by significant digits
 * (src/ddb/numbers.ts), B its raw bytes, BOOL and NULL 1, sets the sum of their members, lists and
 * maps 3 bytes plus 1 per element plus the elements (map keys counted as names).
 */
import { numberTextSize } from '../../ddb/numbers.js';
import type { AttributeValue, Item } from '../types.js';

/** NOTE: DynamoDB's maximum item size: 400 KB, attribute names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

function utf8(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

const numberSize = numberTextSize;

function binarySize(base64: string): number {
  return Buffer.byteLength(base64, 'base64');
}

/** The size of one value (without its name). */
export function valueSize(v: AttributeValue): number {
  if ('S' in v) return utf8(v.S);
  if ('N' in v) return numberSize(v.N);
  if ('B' in v) return binarySize(v.B);
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('SS' in v) return v.SS.reduce((n, s) => n + utf8(s), 0);
  if ('NS' in v) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if ('BS' in v) return v.BS.reduce((n, s) => n + binarySize(s), 0);
  if ('L' in v) return v.L.reduce((n, e) => n + 1 + valueSize(e), 3);
  let n = 3;
  for (const k of Object.keys(v.M)) n += 1 + utf8(k) + valueSize(v.M[k]!);
  return n;
}

/** The size of an item: every attribute's name and value. */
export function itemSize(item: Item): number {
  let n = 0;
  for (const k of Object.keys(item)) n += utf8(k) + valueSize(item[k]!);
  return n;
}
