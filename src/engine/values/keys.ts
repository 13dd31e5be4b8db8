/**
 * Key encoding: a table's (or an index's) key becomes one string whose plain string order is
 * DynamoDB's order, so the store can keep every tree sorted by string comparison alone.
 *
 *   key = hash8(partition) + part(partition) [+ part(sort)] [+ part(table partition) + part(table sort)]
 *
 * - hash8: 8 hex digits of a 32-bit hash of the partition value: items spread over Scan's order and
 *   over parallel-scan segments by partition, as DynamoDB does (a segment is a contiguous hash range).
 * - part(v): the value's order bytes, each a char 0–255 (so string order = byte order), with 0x00
 *   escaped as 0x00 0x01 and ended by 0x00 0x00: parts are prefix-free, and a shorter value sorts
 *   first.
 * - Order bytes: S → its UTF-8 bytes (DynamoDB orders strings by UTF-8 bytes, not UTF-16 units);
 *   B → its bytes; N → sign class, biased exponent and digits (complemented when negative).
 */
import { parseDecimal } from '../../ddb/numbers.js';
import type { AttributeValue, ScalarType } from '../types.js';

/** A char beyond ASCII (text without one is its own UTF-8 bytes). */
const NON_ASCII = /[\u0080-\uffff]/;

/** The order string of a scalar key value (chars 0–255). */
export function orderBytes(v: AttributeValue, type: ScalarType): string {
  if (type === 'S') {
    const s = (v as { S: string }).S;
    // NOTE: most keys are ASCII, their own order bytes: no Buffer made and copied for each.
    return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
  }
  if (type === 'B') return Buffer.from((v as { B: string }).B, 'base64').toString('latin1');
  const d = parseDecimal((v as { N: string }).N)!;
  if (d.digits === '') return '2';
  // NOTE: exponents of valid numbers lie in -129..126; a bias of 500 keeps three digits positive.
  if (!d.neg) return `3${String(d.exp + 500).padStart(3, '0')}${d.digits}`;
  let comp = '';
  for (let i = 0; i < d.digits.length; i++) comp += String.fromCharCode(105 - d.digits.charCodeAt(i)); // '9'-d+'0'
  return `1${String(499 - d.exp).padStart(3, '0')}${comp}~`;
}

/** One prefix-free part of a key. */
export function part(v: AttributeValue, type: ScalarType): string {
  const o = orderBytes(v, type);
  return `${o.includes('\0') ? o.replace(/\0/g, '\0\x01') : o}\0\0`;
}

/** FNV-1a over the partition part: stable across runs and versions (scan order and segments rely on it). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The start of a partition's keys: hash8 + part(partition). Every key of the partition begins with it. */
export function partitionPrefix(v: AttributeValue, type: ScalarType): string {
  const p = part(v, type);
  return hex8(hash32(p)) + p;
}

/** The hash range of parallel-scan segment `segment` of `total`, as key bounds [from, to). */
export function segmentBounds(segment: number, total: number): { from: string; to?: string } {
  const lo = Math.ceil((segment * 2 ** 32) / total);
  const hi = Math.ceil(((segment + 1) * 2 ** 32) / total);
  return { from: hex8(lo), ...(hi < 2 ** 32 ? { to: hex8(hi) } : {}) };
}

/** A char above every order byte: `prefix + END` bounds all keys beginning with prefix. */
export const END = '\u0100';
