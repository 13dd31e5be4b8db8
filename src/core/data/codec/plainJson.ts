/**
 * Plain JSON (the default format) ⇄ item values: numbers exact (LosslessNumber ⇄ NumberValue), sets,
 * binary and tag-named maps written as {"$set": ...}, {"$binary": ...} and {"$map": ...}.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { isLosslessNumber, LosslessNumber, stringify } from 'lossless-json';
import { MAX_DEPTH, NESTED_TOO_DEEP } from '../validate.js';
import { parseLossless } from './losslessParse.js';
import { normalizeNumber } from './numbers.js';
import { base64Of, base64Problem, fail, isJsonObject, repeatedMember, setOwn, shortJson } from './shared.js';
import { BINARY_TAG, isTagged, MAP_TAG, SET_TAG } from './tags.js';
import type { Item, ItemValue } from './types.js';

export { BINARY_TAG, isTagged, MAP_TAG, SET_TAG };

const QUOTING_HINT = `Check the quoting: items are JSON objects such as '{"username":"ada","age":36}'`;

/**
 * Parse plain JSON text into a JSON value with numbers kept as exact text (LosslessNumber). A
 * syntax error says where and why, then `hint` (by default, how an item is quoted in a shell).
 */
export function parseLosslessJson(text: string, where = 'JSON', hint = QUOTING_HINT): unknown {
  try {
    return parseLossless(text);
  } catch (e) {
    // The JSON readers are recursive: nesting thousands of levels deep ends their stack.
    if (e instanceof RangeError) fail(where, NESTED_TOO_DEEP);
    const why = e instanceof Error ? e.message : String(e);
    fail(where, hint ? `${why}. ${hint}` : why);
  }
}

/** Convert a parsed plain-JSON value (from `parseLosslessJson`) to an item value. */
export function fromPlainValue(value: unknown, where: string, depth = 1): ItemValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (isLosslessNumber(value)) return new NumberValue((value as LosslessNumber).value);
  if (typeof value === 'number' || typeof value === 'bigint') return new NumberValue(String(value));
  // NOTE: far past DynamoDB's limit (which the item's check words exactly): stop before the stack.
  if (depth > 2 * MAX_DEPTH) fail(where, NESTED_TOO_DEEP);
  if (Array.isArray(value)) return value.map((v, i) => fromPlainValue(v, `${where}[${i}]`, depth + 1));
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === BINARY_TAG) return decodeBinary(obj[BINARY_TAG], where);
    if (keys.length === 1 && keys[0] === SET_TAG) return toSet(obj[SET_TAG], where);
    if (keys.length === 1 && keys[0] === MAP_TAG) {
      const inner = obj[MAP_TAG];
      if (!isJsonObject(inner)) {
        fail(
          where,
          `"${MAP_TAG}" needs an object: {"${MAP_TAG}": {"${SET_TAG}": ["a"]}} is a map whose only key is "${SET_TAG}"`,
        );
      }
      return plainMap(inner, where, depth);
    }
    return plainMap(obj, where, depth);
  }
  fail(where, `unsupported value ${String(value)}`);
}

/** An object's members as a map, each value read as usual (none of its names is a tag). */
function plainMap(obj: Record<string, unknown>, where: string, depth: number): Record<string, ItemValue> {
  const out: Record<string, ItemValue> = {};
  for (const k of Object.keys(obj))
    setOwn(out, k, fromPlainValue(obj[k], where === '' ? k : `${where}.${k}`, depth + 1));
  return out;
}

/**
 * Convert a parsed plain-JSON object to an item. Its names are attribute names, except that an item
 * whose only attribute is named like a tag is written `{"$map": {...}}`, as every map is.
 */
export function fromPlainItem(value: unknown, where = 'item'): Item {
  if (!isJsonObject(value)) fail(where, 'expected a JSON object such as {"username":"ada"}');
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === SET_TAG || keys[0] === BINARY_TAG)) {
    fail(
      where,
      `expected an item, found a tagged value (${keys[0]}); an item whose only attribute is named "${keys[0]}" is written {"${MAP_TAG}": {"${keys[0]}": ...}}`,
    );
  }
  return fromPlainValue(value, '') as Item;
}

function decodeBinary(v: unknown, where: string): Uint8Array {
  if (typeof v !== 'string')
    fail(where, `"${BINARY_TAG}" needs a base64 string, such as {"${BINARY_TAG}": "AAE="}`);
  const problem = base64Problem(v);
  if (problem !== undefined) fail(where, `"${BINARY_TAG}": ${problem}`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

function toSet(v: unknown, where: string): Set<string> | Set<NumberValue> | Set<Uint8Array> {
  if (!Array.isArray(v) || v.length === 0) {
    fail(
      where,
      `"${SET_TAG}" needs a non-empty array (DynamoDB has no empty sets; remove the attribute instead)`,
    );
  }
  const first = v[0];
  // DynamoDB refuses a set that holds a member twice; a JS Set would drop one without a word.
  const unique = <T>(members: T[], id: (m: T) => string): T[] => {
    const k = repeatedMember(members, id);
    if (k >= 0)
      fail(
        `${where}[${k}]`,
        `the set holds ${shortJson(v[k])} twice; DynamoDB refuses a set with duplicate members`,
      );
    return members;
  };
  if (typeof first === 'string') {
    if (!v.every((x) => typeof x === 'string')) mixedSet(v, where);
    return new Set(unique(v as string[], (s) => s));
  }
  if (isLosslessNumber(first) || typeof first === 'number') {
    if (!v.every((x) => isLosslessNumber(x) || typeof x === 'number')) mixedSet(v, where);
    // NOTE: by value: 1 and 1.0 are one number to DynamoDB.
    const texts = unique(
      v.map((x) => String(isLosslessNumber(x) ? (x as LosslessNumber).value : x)),
      normalizeNumber,
    );
    return new Set(texts.map((t) => new NumberValue(t)));
  }
  if (first !== null && typeof first === 'object') {
    const bytes = v.map((x, i) => {
      if (!isJsonObject(x) || !Object.keys(x).every((k) => k === BINARY_TAG)) {
        fail(`${where}[${i}]`, `a set holds one type: all {"${BINARY_TAG}": "..."} values`);
      }
      return decodeBinary(x[BINARY_TAG], `${where}[${i}]`);
    });
    return new Set(unique(bytes, base64Of));
  }
  fail(where, 'a set holds strings, numbers or {"$binary": ...} values');
}

/** What kind of set member a JSON value would be, for messages. */
function memberKind(x: unknown): string {
  if (typeof x === 'string') return 'strings';
  if (isLosslessNumber(x) || typeof x === 'number') return 'numbers';
  if (isJsonObject(x) && Object.keys(x).every((k) => k === BINARY_TAG))
    return `{"${BINARY_TAG}": ...} values`;
  return `other values (${shortJson(x)})`;
}

/** A set whose first member's kind is not every member's: say which kinds it mixes. */
function mixedSet(v: unknown[], where: string): never {
  const first = memberKind(v[0]);
  const i = v.findIndex((x) => memberKind(x) !== first);
  fail(
    `${where}[${i}]`,
    `a set holds one type (all strings, all numbers or all {"${BINARY_TAG}": ...} values); this one mixes ${first} and ${memberKind(v[i])}`,
  );
}

/** Parse plain JSON text that must be one object (an item or a key). */
export function parseItem(text: string, where = 'item'): Item {
  return fromPlainItem(parseLosslessJson(text, where), where);
}

/** Convert an item value to a JSON-ready value (numbers as LosslessNumber so their text is kept). */
export function toPlainValue(value: ItemValue | undefined): unknown {
  if (value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean') {
    return value ?? null;
  }
  if (value instanceof NumberValue) return new LosslessNumber(value.value);
  // Library callers may pass plain JS numbers; keep them rather than writing {}.
  if (typeof value === 'number' || typeof value === 'bigint') return new LosslessNumber(String(value));
  if (value instanceof Uint8Array) return { [BINARY_TAG]: Buffer.from(value).toString('base64') };
  if (value instanceof Set) return { [SET_TAG]: [...value].map((v) => toPlainValue(v as ItemValue)) };
  if (Array.isArray(value)) return value.map(toPlainValue);
  const out: Record<string, unknown> = {};
  const names = Object.keys(value);
  for (const k of names) setOwn(out, k, toPlainValue(value[k]));
  return isTagged(names) ? { [MAP_TAG]: out } : out;
}

/** Write an item as plain JSON text (numbers exact, sets and binary tagged). */
export function stringifyItem(item: Item | ItemValue, indent?: number): string {
  return stringify(toPlainValue(item as ItemValue), undefined, indent) ?? 'null';
}

/** Write any JSON-ready value (which may hold LosslessNumber or NumberValue) as JSON text. */
export function stringifyJson(value: unknown, indent?: number): string {
  return (
    stringify(value, (_k, v) => (v instanceof NumberValue ? new LosslessNumber(v.value) : v), indent) ??
    'null'
  );
}
