/**
 * The size DynamoDB counts for an item (the 400 KB limit, capacity units, TableSizeBytes):
 * attribute names' UTF-8 bytes plus each value's: S its UTF-8 bytes, B its bytes, N one byte per
 * two significant digits plus one, BOOL and NULL one, sets the sum of their members, maps and
 * lists 3 bytes plus one per element plus their contents.
 *
 * NOTE: a stopgap until values/size.ts (the expression part's) lands; then this file goes.
 */
import { decimalSize, parseDecimal } from '../../ddb/numbers.js';
import type { AttributeValue, Item } from '../types.js';

function utf8(s: string): number {
  // ASCII fast path: most names and strings are.
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  }
  return s.length;
}

function b64(s: string): number {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length * 3) / 4 - pad;
}

function num(s: string): number {
  return decimalSize(parseDecimal(s)!);
}

export function valueSize(v: AttributeValue): number {
  if ('S' in v) return utf8(v.S);
  if ('N' in v) return num(v.N);
  if ('B' in v) return b64(v.B);
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('SS' in v) return v.SS.reduce((a, s) => a + utf8(s), 0);
  if ('NS' in v) return v.NS.reduce((a, s) => a + num(s), 0);
  if ('BS' in v) return v.BS.reduce((a, s) => a + b64(s), 0);
  if ('M' in v) {
    let n = 3;
    for (const k in v.M) n += utf8(k) + valueSize(v.M[k]!) + 1;
    return n;
  }
  let n = 3;
  for (const e of v.L) n += valueSize(e) + 1;
  return n;
}

export function itemSize(item: Item): number {
  let n = 0;
  for (const k in item) n += utf8(k) + valueSize(item[k]!);
  return n;
}
