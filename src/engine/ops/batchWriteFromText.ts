/**
 * BatchWriteItem's puts read straight from the request's text: the import path's one request, in
 * the form ddbctl and the SDKs write it (`{"RequestItems":{"T":[{"PutRequest":{"Item":{…}}},…]}}`,
 * no whitespace), into a table without indexes. Each item is checked and measured in one pass over
 * its text, which is then stored as it stands: no JSON.parse of the body, no object per value, no
 * JSON.stringify per item (the engine thread's largest costs on an import, BENCHMARKS.md).
 *
 * It takes an item only when its text is already what the general path would store (the JSON text
 * of the checked item: canonical numbers, strings escaped as JSON.stringify escapes them, names in
 * the order JSON.parse keeps them) and every check the general path makes passes; anything else
 * (binary values, another shape of request, an error to answer) is declined before any write, and
 * `batchWriteItem` then reads the same request from the parsed body, answering what it answers. A
 * test sends random and mutated requests down both paths and compares answers and tables.
 */

import { numberTextSize } from '../../ddb/numbers.js';
import type { TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import type { Change } from '../store/index.js';
import type { Item } from '../types.js';
import { MAX_ITEM_BYTES } from '../values/size.js';
import { checkKeyValues } from './_keys.js';
import { type ItemRecord, itemKey, parseStored, writeItem } from './_write.js';
import { MAX_REQUESTS } from './batchWriteItem.js';

/** Deeper maps and lists are left to the general path (DynamoDB's limit is 32 levels). */
const MAX_FAST_DEPTH = 20;
/** A map of more names than this has them looked up in a Set. */
const MANY_NAMES = 16;
/** Thrown inside this module (never escapes it): the request takes the general path. */
const DECLINE = { decline: true };

const HEAD = '{"RequestItems":{"';
const PUT_HEAD = '{"PutRequest":{"Item":';

// The reader's state (one request at a time: it is synchronous).
let src = '';
let pos = 0;
/** UTF-8 bytes of the last string read. */
let bytes = 0;
/** The last number's text (a key value is kept as such). */
let numberText = '';
/** The key attributes of the item being read. */
let keyNames: readonly string[] = [];
let keyItem: Item = {};

/**
 * The answer of a BatchWriteItem request of puts alone into one table without indexes, its writes
 * committed; undefined (nothing done) for any other request, which the general path then answers.
 */
export function batchWriteFromText(ctx: OpContext, text: string): string | undefined {
  if (!text.startsWith(HEAD)) return undefined;
  src = text;
  pos = HEAD.length - 1;
  try {
    return apply(ctx);
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  } finally {
    src = '';
    keyItem = {};
  }
}

function apply(ctx: OpContext): string {
  const name = readString(true);
  expect(':[');
  let table: TableMeta;
  try {
    table = ctx.table(name);
  } catch {
    throw DECLINE;
  }
  if (table.indexes.length > 0) throw DECLINE;
  keyNames = table.key.range ? [table.key.hash.name, table.key.range.name] : [table.key.hash.name];
  const records: { key: string; rec: ItemRecord }[] = [];
  const seen = new Set<string>();
  do {
    if (records.length === MAX_REQUESTS) throw DECLINE;
    expect(PUT_HEAD);
    if (src.charCodeAt(pos) !== 0x7b) throw DECLINE;
    const start = pos;
    keyItem = {};
    const size = readMembers(0, true);
    const itemText = copy(src.slice(start, pos));
    expect('}}');
    if (size > MAX_ITEM_BYTES) throw DECLINE;
    try {
      checkKeyValues(keyItem, table.key);
    } catch {
      throw DECLINE;
    }
    const key = itemKey(table, keyItem);
    if (seen.has(key)) throw DECLINE;
    seen.add(key);
    records.push({ key, rec: storedRecord(itemText, size) });
  } while (!next(0x5d));
  expect('}}');
  if (pos !== src.length) throw DECLINE;

  // What batchWriteItem does with these requests: no capacity asked, no indexes, so no old item read.
  const changes: Change[] = [];
  for (const { key, rec } of records)
    writeItem(table, key, undefined, () => undefined, rec, changes, undefined);
  ctx.store.commit(changes);
  return '{"UnprocessedItems":{}}';
}

/** A stored item whose object form is parsed only if someone asks for it. */
function storedRecord(j: string, z: number): ItemRecord {
  const stored = { j, z };
  let item: Item | undefined;
  return {
    stored,
    get item() {
      item ??= parseStored(stored);
      return item;
    },
  };
}

/** A copy of `s` that holds nothing of the request it was cut from (V8 flattens the pair it slices). */
const copy = (s: string): string => `\u0000${s}`.slice(1);

function expect(literal: string): void {
  if (!src.startsWith(literal, pos)) throw DECLINE;
  pos += literal.length;
}

/** After a member: true at `close` (read), false at a comma (read); anything else declines. */
function next(close: number): boolean {
  const c = src.charCodeAt(pos++);
  if (c === 0x2c) return false;
  if (c === close) return true;
  throw DECLINE;
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * At a quote: a string, its UTF-8 bytes in `bytes`; its value only when `want` (else ''). Its text
 * must be as JSON.stringify writes that value, and hold no unpaired surrogate (the general path
 * refuses one).
 */
function readString(want: boolean): string {
  if (src.charCodeAt(pos) !== 0x22) throw DECLINE;
  const start = pos + 1;
  let j = start;
  let n = 0;
  let hard = false;
  for (;;) {
    const c = src.charCodeAt(j);
    if (c === 0x22) break;
    // NOTE: also the end of the text (NaN).
    if (!(c >= 0x20)) throw DECLINE;
    if (c < 0x80) {
      if (c === 0x5c) {
        hard = true;
        j += 2;
        continue;
      }
      n++;
    } else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdfff) hard = true;
    else n += 3;
    j++;
  }
  pos = j + 1;
  if (!hard) {
    bytes = n;
    return want ? src.slice(start, j) : '';
  }
  const quoted = src.slice(start - 1, j + 1);
  let value: string;
  try {
    value = JSON.parse(quoted) as string;
  } catch {
    throw DECLINE;
  }
  if (JSON.stringify(value) !== quoted || LONE_SURROGATE.test(value)) throw DECLINE;
  bytes = Buffer.byteLength(value, 'utf8');
  return value;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * At a quote: a number in DynamoDB's canonical text (no exponent, no leading or trailing zeros, no
 * `-0`) of at most 38 characters (so within its digits and range); its size as DynamoDB counts it.
 * Its text in `numberText`.
 */
function readNumber(): number {
  if (src.charCodeAt(pos) !== 0x22) throw DECLINE;
  const start = pos + 1;
  let j = start;
  const neg = src.charCodeAt(j) === 0x2d;
  if (neg) j++;
  const first = src.charCodeAt(j);
  if (first === 0x30) j++;
  else if (first > 0x30 && first <= 0x39) while (isDigit(src.charCodeAt(j))) j++;
  else throw DECLINE;
  let fracLength = 0;
  if (src.charCodeAt(j) === 0x2e) {
    j++;
    const fracStart = j;
    while (isDigit(src.charCodeAt(j))) j++;
    fracLength = j - fracStart;
    if (fracLength === 0 || src.charCodeAt(j - 1) === 0x30) throw DECLINE;
  }
  if (src.charCodeAt(j) !== 0x22 || j - start > 38) throw DECLINE;
  // NOTE: "-0" is stored as "0".
  if (neg && first === 0x30 && fracLength === 0) throw DECLINE;
  numberText = src.slice(start, j);
  pos = j + 1;
  return numberTextSize(numberText);
}

/**
 * At the `{` of an item or a map: its members read, the reader past its `}`; its size (an item:
 * each name and value; a map: 3, and 1 more per member). Names must be non-empty, used once, and not
 * ones JSON.parse would move or treat apart (starting with a digit, `__proto__`).
 */
function readMembers(depth: number, top: boolean): number {
  pos++;
  let size = top ? 0 : 3;
  if (src.charCodeAt(pos) === 0x7d) {
    pos++;
    return size;
  }
  const names: string[] = [];
  let many: Set<string> | undefined;
  do {
    const name = readString(true);
    if (name === '' || isDigit(name.charCodeAt(0)) || name === '__proto__') throw DECLINE;
    if (many) {
      if (many.has(name)) throw DECLINE;
      many.add(name);
    } else {
      if (names.includes(name)) throw DECLINE;
      names.push(name);
      if (names.length > MANY_NAMES) many = new Set(names);
    }
    size += (top ? 0 : 1) + bytes;
    if (src.charCodeAt(pos++) !== 0x3a) throw DECLINE;
    const key = top && keyNames.includes(name);
    size += readValue(depth, key ? name : undefined);
  } while (!next(0x7d));
  return size;
}

/** At the `{` of an attribute value: its size; a key attribute's value (`key`: its name) kept in keyItem. */
function readValue(depth: number, key: string | undefined): number {
  if (src.charCodeAt(pos) !== 0x7b || src.charCodeAt(pos + 1) !== 0x22) throw DECLINE;
  pos += 2;
  let size: number;
  switch (src.charCodeAt(pos)) {
    case 0x53: // S, SS
      if (src.startsWith('S":', pos)) {
        pos += 3;
        const s = readString(key !== undefined);
        if (key !== undefined) keyItem[key] = { S: s };
        size = bytes;
      } else if (src.startsWith('SS":[', pos) && key === undefined) {
        pos += 4;
        size = readSet(false);
      } else throw DECLINE;
      break;
    case 0x4e: // N, NS, NULL
      if (src.startsWith('N":', pos)) {
        pos += 3;
        size = readNumber();
        if (key !== undefined) keyItem[key] = { N: numberText };
      } else if (key !== undefined) throw DECLINE;
      else if (src.startsWith('NS":[', pos)) {
        pos += 4;
        size = readSet(true);
      } else if (src.startsWith('NULL":true', pos)) {
        pos += 10;
        size = 1;
      } else throw DECLINE;
      break;
    case 0x42: // BOOL (binary values take the general path)
      if (key !== undefined) throw DECLINE;
      if (src.startsWith('BOOL":true', pos)) pos += 10;
      else if (src.startsWith('BOOL":false', pos)) pos += 11;
      else throw DECLINE;
      size = 1;
      break;
    case 0x4d: // M
      if (key !== undefined || depth >= MAX_FAST_DEPTH || !src.startsWith('M":{', pos)) throw DECLINE;
      pos += 3;
      size = readMembers(depth + 1, false);
      break;
    case 0x4c: // L
      if (key !== undefined || depth >= MAX_FAST_DEPTH || !src.startsWith('L":[', pos)) throw DECLINE;
      pos += 3;
      size = readList(depth + 1);
      break;
    default:
      throw DECLINE;
  }
  if (src.charCodeAt(pos++) !== 0x7d) throw DECLINE;
  return size;
}

/** At a list's `[`: its size (3, and 1 more per element). */
function readList(depth: number): number {
  pos++;
  let size = 3;
  if (src.charCodeAt(pos) === 0x5d) {
    pos++;
    return size;
  }
  do {
    size += 1 + readValue(depth, undefined);
  } while (!next(0x5d));
  return size;
}

/** At a set's `[`: a string or number set, not empty, without duplicates; its size (its members'). */
function readSet(numbers: boolean): number {
  pos++;
  const members: string[] = [];
  let size = 0;
  do {
    if (numbers) {
      size += readNumber();
      members.push(numberText);
    } else {
      members.push(readString(true));
      size += bytes;
    }
  } while (!next(0x5d));
  // NOTE: canonical number texts are equal exactly when their numbers are.
  if (new Set(members).size !== members.length) throw DECLINE;
  return size;
}
