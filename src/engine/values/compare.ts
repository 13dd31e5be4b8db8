/**
 * DynamoDB's order and equality of values: S by UTF-8 bytes (not UTF-16 code units), N by value,
 * B by bytes; sets equal whatever their order.
 */
import { compareNumberText } from '../../ddb/numbers.js';
import type { AttributeValue } from '../types.js';

/** Compare two strings by their UTF-8 bytes. */
export function compareUtf8(a: string, b: string): number {
  // NOTE: UTF-16 order differs from UTF-8 order only across the surrogate range (U+D800–U+DFFF
  // vs U+E000–U+FFFF); comparing code points gives UTF-8 byte order.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Compare two base64 binaries by their bytes. */
export function compareBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/** Compare two scalars of the same type (S, N or B); NaN when they are not comparable. */
export function compareScalars(a: AttributeValue, b: AttributeValue): number {
  if ('S' in a && 'S' in b) return compareUtf8(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumberText(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBinary(a.B, b.B);
  return Number.NaN;
}

function sameSet(a: string[], b: string[], eq: (x: string, y: string) => boolean): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => eq(x, y)));
}

/** DynamoDB's equality of two values (same type and same value; sets in any order). */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumberText(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && compareBinary(a.B, b.B) === 0;
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameSet(a.SS, b.SS, (x, y) => x === y);
  if ('NS' in a) return 'NS' in b && sameSet(a.NS, b.NS, (x, y) => compareNumberText(x, y) === 0);
  if ('BS' in a) return 'BS' in b && sameSet(a.BS, b.BS, (x, y) => compareBinary(x, y) === 0);
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i]!));
  if ('M' in a) {
    if (!('M' in b)) return false;
    const ka = Object.keys(a.M);
    if (ka.length !== Object.keys(b.M).length) return false;
    return ka.every((k) => Object.hasOwn(b.M, k) && valuesEqual(a.M[k]!, b.M[k]!));
  }
  return false;
}
