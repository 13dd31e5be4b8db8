/**
 * Item codec: the one place where text becomes item values and back.
 *
 * Plain JSON (the default format) is parsed losslessly: every number becomes a lib-dynamodb
 * `NumberValue` carrying its exact text, so 38 significant digits or integers beyond 2^53 are
 * never rounded. Two tagged objects express what JSON has no type for:
 *   - `{"$set": [...]}`  a set: strings → SS, numbers → NS, `{"$binary": ...}` → BS
 *   - `{"$binary": "base64"}` binary bytes (B)
 *   - `{"$map": {...}}`  a map, literally: the escape for a map whose only key is `$set`, `$binary`
 *     or `$map`, which would otherwise read back as a set or binary (its values are read as usual)
 * Output writes the same forms, so anything printed reads back as the same type.
 *
 * DynamoDB JSON (`{"S": "..."}`) goes through util-dynamodb's marshall/unmarshall with
 * `wrapNumbers`, the only place where that typed form is the format itself. Input in it is checked
 * first, as DynamoDB checks it (`fromDdbJson`): unmarshall alone coerces (`{"BOOL":"false"}` → true).
 *
 * NOTE: one file over 500 lines: plain JSON and DynamoDB JSON are the two sides of one codec, and
 * the readers, writers and their one-walk variants must agree character for character.
 *
 * NOTE: one file over 500 lines because it is one job, text ⇄ item values, whose readers and
 * writers share the tag rules ($set, $binary, $map) and must change together; issue 14 may split the
 * readers from the writers.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { DdbError } from '../errors.js';
import { MAX_DEPTH, numberProblem, PROTO_NAME_PROBLEM } from './validate.js';

/** A native item value as lib-dynamodb reads and writes it (with numbers wrapped). */
export type ItemValue =
  | string
  | NumberValue
  | boolean
  | null
  | Uint8Array
  | Set<string>
  | Set<NumberValue>
  | Set<Uint8Array>
  | ItemValue[]
  | { [name: string]: ItemValue };
export type Item = Record<string, ItemValue>;

/**
 * An item value as the library takes it: an `ItemValue`, or a plain JS number or bigint wherever a
 * number goes (converted by `fromJsItem`, exactly or refused).
 */
export type ItemInputValue =
  | ItemValue
  | number
  | bigint
  | Set<number | bigint | NumberValue>
  | ItemInputValue[]
  | { [name: string]: ItemInputValue };
/** An item (or key) as the library takes it: see `ItemInputValue`. */
export type ItemInput = Record<string, ItemInputValue>;

/**
 * Why a JS number cannot be stored exactly, or undefined when `String(n)` is its exact value.
 * NOTE: `String(n)` is the shortest text that reads back as the same double, so a finite decimal
 * is kept as written; an integer beyond 2^53 - 1 may already have been rounded by JS.
 */
function jsNumberText(n: number | bigint): { text: string } | { problem: string } {
  if (typeof n === 'number') {
    if (!Number.isFinite(n))
      return {
        problem: `${n} is not a number DynamoDB stores (no NaN or Infinity); store null or leave it out`,
      };
    if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
      return {
        problem: `${n} is beyond Number.MAX_SAFE_INTEGER (2^53 - 1), so JS may already have rounded it; pass new NumberValue('…') with its exact digits (as a string) instead`,
      };
    }
  }
  const text = String(n);
  const problem = numberProblem(text);
  return problem ? { problem } : { text };
}

/**
 * A JS value as an item value, or the same value when it needs no conversion. `depth` counts the
 * maps and lists around it: the walk stops at DynamoDB's nesting limit, so an object that contains
 * itself is refused (input.item) instead of overflowing the stack.
 */
function fromJsValue(v: unknown, path: string, where: string, depth: number): ItemValue {
  const fail = (why: string): never => {
    throw new DdbError('input.item', { message: `${where}: ${path}: ${why}` });
  };
  if (v === undefined) fail('the value is undefined; remove the attribute, or use null to store a NULL');
  if (typeof v === 'number' || typeof v === 'bigint') {
    const r = jsNumberText(v);
    return 'text' in r ? new NumberValue(r.text) : fail(r.problem);
  }
  if (typeof v === 'function' || typeof v === 'symbol') fail(`a ${typeof v} is not a value DynamoDB stores`);
  if (v === null || typeof v !== 'object' || v instanceof NumberValue || v instanceof Uint8Array)
    return v as ItemValue;
  if (v instanceof Date)
    fail('a Date is not a value DynamoDB stores; store date.toISOString() or date.getTime()');
  const proto = Object.getPrototypeOf(v);
  if (!(v instanceof Set) && !Array.isArray(v) && proto !== Object.prototype && proto !== null) {
    fail(
      `a ${proto?.constructor?.name ?? 'class instance'} is not a value DynamoDB stores; use a plain object (a map), an array (a list) or a Set`,
    );
  }
  if (v instanceof Set) {
    if (![...v].some((x) => typeof x === 'number' || typeof x === 'bigint')) return v as ItemValue;
    return new Set([...v].map((x) => fromJsValue(x, path, where, depth) as NumberValue)) as Set<NumberValue>;
  }
  if (depth >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(v)) {
    let out: ItemValue[] | undefined;
    v.forEach((x, i) => {
      const c = fromJsValue(x, `${path}[${i}]`, where, depth + 1);
      if (c !== x) out ??= v.slice();
      if (out) out[i] = c;
    });
    return out ?? (v as ItemValue[]);
  }
  return fromJsMap(v as Record<string, unknown>, path, where, depth + 1);
}

function fromJsMap(
  m: Record<string, unknown>,
  path: string,
  where: string,
  depth: number,
): Record<string, ItemValue> {
  let out: Record<string, ItemValue> | undefined;
  for (const k of Object.keys(m)) {
    const x = m[k];
    const c = fromJsValue(x, path === '' ? k : `${path}.${k}`, where, depth);
    if (c !== x) out ??= { ...(m as Record<string, ItemValue>) };
    if (out) setOwn(out, k, c);
  }
  return out ?? (m as Record<string, ItemValue>);
}

/**
 * The library's boundary for items, keys and values given by a program: plain JS numbers and
 * bigints become NumberValues when exact (refused with the reason when not: NaN, Infinity, an
 * integer beyond 2^53 - 1, beyond DynamoDB's range), an undefined attribute is refused (input.item).
 * The input is not changed; it is returned as is when nothing needed converting.
 */
export function fromJsItem(item: ItemInput, where = 'item'): Item {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    throw new DdbError('input.item', {
      message: `${where}: expected an object of attributes such as {"id": 1}`,
    });
  return fromJsMap(item, '', where, 0);
}

/** `fromJsItem` for a list of values (PartiQL parameters, a sort key's values). */
export function fromJsValues(values: readonly ItemInputValue[], where: string): ItemValue[] {
  return values.map((v, i) => fromJsValue(v, `value ${i + 1}`, where, 0));
}

export const SET_TAG = '$set';
export const BINARY_TAG = '$binary';
export const MAP_TAG = '$map';

/** Whether a map's names need the `{"$map": ...}` escape: its only name is a tag. */
export function isTagged(names: readonly string[]): boolean {
  if (names.length !== 1) return false;
  const n = names[0];
  return n === SET_TAG || n === BINARY_TAG || n === MAP_TAG;
}

function fail(where: string, why: string): never {
  throw new DdbError('input.json', { message: where === '' ? why : `${where}: ${why}` });
}

/** Parse plain JSON text into a JSON value with numbers kept as exact text (LosslessNumber). */
export function parseLosslessJson(text: string, where = 'JSON'): unknown {
  try {
    return parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    fail(where, `${why}. Check the quoting: items are JSON objects such as '{"username":"ada","age":36}'`);
  }
}

/** Convert a parsed plain-JSON value (from `parseLosslessJson`) to an item value. */
export function fromPlainValue(value: unknown, where: string): ItemValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (isLosslessNumber(value)) return new NumberValue((value as LosslessNumber).value);
  if (typeof value === 'number' || typeof value === 'bigint') return new NumberValue(String(value));
  if (Array.isArray(value)) return value.map((v, i) => fromPlainValue(v, `${where}[${i}]`));
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
      return plainMap(inner, where);
    }
    return plainMap(obj, where);
  }
  fail(where, `unsupported value ${String(value)}`);
}

/** An object's members as a map, each value read as usual (none of its names is a tag). */
function plainMap(obj: Record<string, unknown>, where: string): Record<string, ItemValue> {
  const out: Record<string, ItemValue> = {};
  for (const k of Object.keys(obj))
    setOwn(out, k, fromPlainValue(obj[k], where === '' ? k : `${where}.${k}`));
  return out;
}

const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !isLosslessNumber(v);

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

/** Set a property even when its name is "__proto__" (an attribute name like any other). */
function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  // NOTE: defineProperty only where assignment would not do (it costs several times more).
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function decodeBinary(v: unknown, where: string): Uint8Array {
  if (typeof v !== 'string')
    fail(where, `"${BINARY_TAG}" needs a base64 string, such as {"${BINARY_TAG}": "AAE="}`);
  const problem = base64Problem(v);
  if (problem !== undefined) fail(where, `"${BINARY_TAG}": ${problem}`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Whether `text` is standard base64, strictly: its alphabet, a length that is a multiple of 4, the
 * right padding, and no stray bits in the last character, i.e. decoding and encoding again gives
 * the same text. Node's decoder skips any other character and stops at the first `=`, so binary
 * given as `AA!E=` would silently be the bytes of `AAE=`.
 */
export function isBase64(text: string): boolean {
  if (!BASE64_RE.test(text)) return false;
  return !text.endsWith('=') || Buffer.from(text, 'base64').toString('base64') === text;
}

/** Why `text` is not base64 (see isBase64), with how to write it; undefined when it is. */
export function base64Problem(text: string): string | undefined {
  if (isBase64(text)) return undefined;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (BASE64_RE.test(text)) {
    // Alphabet and padding are right; the bits the last character carries past the last byte are not
    // zero, so the text is not the one encoding of its bytes (DynamoDB refuses it too).
    const canonical = Buffer.from(text, 'base64').toString('base64');
    const last = text.replace(/=+$/, '').slice(-1);
    return `${JSON.stringify(shown)} is not base64: the unused bits of its last character (${JSON.stringify(last)}) must be zero; its bytes are written ${JSON.stringify(canonical.length > 40 ? `…${canonical.slice(-12)}` : canonical)}`;
  }
  return `${JSON.stringify(shown)} is not base64: use A-Z a-z 0-9 + / and pad with = to a multiple of 4 characters, such as "AAE="`;
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

/** The index of the first member equal (by `id`) to an earlier one, or -1. */
function repeatedMember<T>(members: readonly T[], id: (m: T) => string): number {
  const seen = new Set<string>();
  for (const [k, m] of members.entries()) {
    const key = id(m);
    if (seen.has(key)) return k;
    seen.add(key);
  }
  return -1;
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

/** Convert an item to DynamoDB JSON (`{"name": {"S": "..."}}`). */
export function toDdbJson(item: Item): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const k of Object.keys(item)) setOwn(out, k, marshallValue(item[k] as ItemValue));
  return out;
}

/** One attribute value as util-dynamodb's marshall writes it (its conversion, or its error). */
function marshallValue(v: ItemValue): AttributeValue {
  return marshall({ v: marshallable(v) }, { convertTopLevelContainer: false }).v as AttributeValue;
}

/**
 * An item value that util-dynamodb's marshall reads as it is meant: each map holding an attribute
 * named "constructor" becomes a JS Map of the same entries; the value itself when none does.
 * NOTE: marshall tells a map by `value.constructor.name === 'Object'`, which an own attribute
 * "constructor" shadows: `{"constructor": "c"}` is refused as a class instance, and
 * `{"constructor": {"name": "Set"}}` would be taken for a set. A Map has no such own name.
 * Every path that hands item values to marshall goes through this (here, and the document
 * client's middleware in clients.ts).
 */
export function marshallable(v: ItemValue): ItemValue {
  if (v === null || typeof v !== 'object' || v instanceof Set || v instanceof Uint8Array) return v;
  if (v instanceof NumberValue || !(Array.isArray(v) || isPlainObject(v))) return v;
  if (Array.isArray(v)) {
    let out: ItemValue[] | undefined;
    v.forEach((x, i) => {
      const c = marshallable(x);
      if (c !== x) out ??= v.slice();
      if (out) out[i] = c;
    });
    return out ?? v;
  }
  const names = Object.keys(v);
  const values = names.map((k) => marshallable(v[k] as ItemValue));
  const changed = values.some((c, i) => c !== v[names[i] as string]);
  if (!Object.hasOwn(v, 'constructor') && !changed) return v;
  const entries = names.map((k, i): [string, ItemValue] => [k, values[i] as ItemValue]);
  // A Map where marshall would misread the object; an object (copied) where only a value changed.
  return (Object.hasOwn(v, 'constructor')
    ? new Map(entries)
    : Object.fromEntries(entries)) as unknown as ItemValue;
}

/**
 * An item's DynamoDB JSON as a request body carries it (binary as base64): the text of
 * `toDdbJson(item)` written in one walk, without the attribute-value objects in between. A bulk
 * write spends much of its own time there (BENCHMARKS.md). A value outside `ItemValue` (a JS
 * number, a Map, an empty set, undefined) goes through `marshall`, which converts or refuses it
 * exactly as the SDK does.
 */
export function ddbJsonText(item: Item): string {
  return objectText(item, valueDdbJsonText);
}

/** `{"name":value,...}` with each value's text from `valueText`, names in their own order. */
function objectText<V>(m: Record<string, V>, valueText: (v: V) => string): string {
  let out = '{';
  let first = true;
  // NOTE: Object.keys, not for…in: own names only, whatever the object's prototype.
  for (const k of Object.keys(m)) {
    out += `${first ? '' : ','}${JSON.stringify(k)}:${valueText(m[k] as V)}`;
    first = false;
  }
  return `${out}}`;
}

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function valueDdbJsonText(v: ItemValue): string {
  if (typeof v === 'string') return `{"S":${JSON.stringify(v)}}`;
  if (v instanceof NumberValue) return `{"N":${JSON.stringify(v.value)}}`;
  if (typeof v === 'boolean') return v ? '{"BOOL":true}' : '{"BOOL":false}';
  if (v === null) return '{"NULL":true}';
  if (v instanceof Uint8Array) return `{"B":"${base64Of(v)}"}`;
  if (Array.isArray(v)) {
    let out = '{"L":[';
    for (let i = 0; i < v.length; i++) out += `${i ? ',' : ''}${valueDdbJsonText(v[i] as ItemValue)}`;
    return `${out}]}`;
  }
  if (v instanceof Set && v.size > 0) {
    const [sample] = v;
    if (typeof sample === 'string' && [...v].every((x) => typeof x === 'string'))
      return `{"SS":[${[...v].map((x) => JSON.stringify(x)).join(',')}]}`;
    if (sample instanceof NumberValue && [...v].every((x) => x instanceof NumberValue))
      return `{"NS":[${[...(v as Set<NumberValue>)].map((x) => JSON.stringify(x.value)).join(',')}]}`;
    if (sample instanceof Uint8Array && [...v].every((x) => x instanceof Uint8Array))
      return `{"BS":[${[...(v as Set<Uint8Array>)].map((x) => `"${base64Of(x)}"`).join(',')}]}`;
  } else if (v !== undefined && typeof v === 'object' && !(v instanceof Set) && isPlainObject(v)) {
    return `{"M":${ddbJsonText(v as Item)}}`;
  }
  // Anything else: the SDK's own conversion (or its error).
  return JSON.stringify(binaryToBase64(marshallValue(v)));
}

const base64Of = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** The type names of DynamoDB JSON, each attribute value holding exactly one. */
export const DDB_TYPES: ReadonlySet<string> = new Set([
  'S',
  'N',
  'B',
  'BOOL',
  'NULL',
  'M',
  'L',
  'SS',
  'NS',
  'BS',
]);

/**
 * Convert DynamoDB JSON to an item, numbers wrapped. Every value is checked as DynamoDB checks it
 * (`ddbAttributeValue`), so a value of the wrong shape is an input.json error naming its path, never
 * a value of another type. A number may be a JSON number (`{"N": 1}`, which the AWS CLI refuses):
 * import has always taken those, so every path does; parse with parseLosslessJson to keep its digits.
 */
export function fromDdbJson(value: unknown, where = 'item'): Item {
  return ddbJsonItem(value, where, { jsNumber: false });
}

/**
 * `fromDdbJson` of a value from JSON.parse, or undefined when a number in it is a JSON number
 * (`{"N": 1.5}`), whose digits JSON.parse may have rounded: parse the text again with
 * parseLosslessJson and call fromDdbJson.
 */
export function fromDdbJsonParsed(value: unknown, where = 'item'): Item | undefined {
  const seen = { jsNumber: false };
  const item = ddbJsonItem(value, where, seen);
  return seen.jsNumber ? undefined : item;
}

function ddbJsonItem(value: unknown, where: string, seen: { jsNumber: boolean }): Item {
  if (!isJsonObject(value)) fail(where, 'expected DynamoDB JSON such as {"username":{"S":"ada"}}');
  const at = where === '' ? '' : `${where}: `;
  const attributes: RawItem = {};
  for (const k of Object.keys(value)) {
    // An attribute name that assignment, here and in unmarshall, would drop.
    if (k === '__proto__') throw new DdbError('input.json', { message: `${at}${PROTO_NAME_PROBLEM}` });
    attributes[k] = ddbAttributeValue(value[k], k, at, seen);
  }
  return unmarshall(attributes, { wrapNumbers: true }) as Item;
}

/**
 * One attribute value of DynamoDB JSON, checked as DynamoDB and the AWS CLI check it, in the form
 * unmarshall takes (binary as bytes): exactly one type; S a string; N a number in a string within
 * DynamoDB's range; B strict base64; BOOL true or false; NULL true; SS, NS, BS non-empty arrays of
 * their type without duplicates; M an object of attribute values; L an array of them. `at` prefixes
 * messages ("line 3: "), `path` names the attribute.
 */
function ddbAttributeValue(
  v: unknown,
  path: string,
  at: string,
  seen: { jsNumber: boolean },
): AttributeValue {
  const bad = (why: string): never => {
    throw new DdbError('input.json', { message: `${at}${path}: ${why}` });
  };
  if (!isJsonObject(v)) {
    return bad(
      `expected a DynamoDB-JSON value such as {"S":"x"} or {"N":"1"}, found ${shortJson(v)}; plain JSON is read without --ddb-json (import: the ndjson format)`,
    );
  }
  const types = Object.keys(v);
  const type = types[0];
  if (types.length !== 1 || type === undefined || !DDB_TYPES.has(type)) {
    const found =
      types.length === 0
        ? 'no type'
        : types.length > 1
          ? `${types.length} types (${types.join(', ')})`
          : `the type ${JSON.stringify(type)}`;
    return bad(
      `expected a DynamoDB-JSON value with one of the types S N B BOOL NULL M L SS NS BS, such as {"S":"x"}; found ${found}`,
    );
  }
  const x = v[type];
  const number = (n: unknown, what: string): string => {
    if (typeof n === 'number') seen.jsNumber = true;
    const text =
      typeof n === 'string'
        ? n
        : isLosslessNumber(n)
          ? (n as LosslessNumber).value
          : typeof n === 'number'
            ? String(n)
            : undefined;
    // NOTE: a JSON number ({"N":1e400}) is judged by its text as {"N":"1e400"} is: one message.
    const problem = text === undefined ? `${shortJson(n)} is not a number` : numberProblem(text);
    return problem === undefined
      ? (text as string)
      : bad(`${what} needs a number in a string, such as {"N":"1.5"}: ${problem}`);
  };
  const binary = (b: unknown, what: string): Uint8Array => {
    // Bytes as the SDK's own attribute values hold them (a library caller's), taken as they are.
    if (b instanceof Uint8Array) return b;
    if (typeof b !== 'string')
      return bad(`${what} needs base64 text, such as {"B":"AAE="}; found ${shortJson(b)}`);
    const problem = base64Problem(b);
    return problem === undefined ? new Uint8Array(Buffer.from(b, 'base64')) : bad(`${what}: ${problem}`);
  };
  const set = <T>(read: (e: unknown) => T, same: (e: T) => string): T[] => {
    if (!Array.isArray(x) || x.length === 0) {
      return bad(
        `${type} needs a non-empty array (DynamoDB has no empty sets; remove the attribute instead)`,
      );
    }
    const members = x.map(read);
    const k = repeatedMember(members, same);
    if (k >= 0) bad(`${type} holds ${shortJson(x[k])} twice; DynamoDB refuses a set with duplicate members`);
    return members;
  };
  switch (type) {
    case 'S':
      return typeof x === 'string'
        ? { S: x }
        : bad(`S needs a string, such as {"S":"text"}; found ${shortJson(x)}`);
    case 'N':
      return { N: number(x, 'N') };
    case 'B':
      return { B: binary(x, 'B') };
    case 'BOOL':
      return typeof x === 'boolean'
        ? { BOOL: x }
        : bad(`BOOL needs true or false (a JSON boolean), such as {"BOOL":false}; found ${shortJson(x)}`);
    case 'NULL':
      return x === true
        ? { NULL: true }
        : bad(
            `NULL needs the value true, as in {"NULL":true} (DynamoDB refuses any other); found ${shortJson(x)}`,
          );
    case 'SS':
      return {
        SS: set(
          (e) =>
            typeof e === 'string'
              ? e
              : bad(`SS needs strings, such as {"SS":["a","b"]}; found ${shortJson(e)}`),
          (e) => e,
        ),
      };
    case 'NS':
      return { NS: set((e) => number(e, 'NS'), normalizeNumber) };
    case 'BS':
      return {
        BS: set((e) => binary(e, 'BS'), base64Of),
      };
    case 'M': {
      if (!isJsonObject(x))
        return bad(
          `M needs an object of attribute values, such as {"M":{"a":{"S":"x"}}}; found ${shortJson(x)}`,
        );
      const m: RawItem = {};
      for (const k of Object.keys(x)) {
        if (k === '__proto__') bad(PROTO_NAME_PROBLEM);
        m[k] = ddbAttributeValue(x[k], `${path}.${k}`, at, seen);
      }
      return { M: m };
    }
    default:
      if (!Array.isArray(x))
        return bad(`L needs an array of attribute values, such as {"L":[{"S":"x"}]}; found ${shortJson(x)}`);
      return { L: x.map((e, i) => ddbAttributeValue(e, `${path}[${i}]`, at, seen)) };
  }
}

/** A value as JSON for a message, cut short. */
function shortJson(v: unknown): string {
  const text = stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** DynamoDB JSON with binary as base64 text, as the AWS CLI prints it. */
export function stringifyDdbJson(item: Item, indent?: number): string {
  return JSON.stringify(binaryToBase64(toDdbJson(item)), undefined, indent);
}

// NOTE: a replacer cannot do this: JSON.stringify calls Buffer#toJSON before the replacer sees it.
function binaryToBase64(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(binaryToBase64);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, binaryToBase64(x)]));
  }
  return v;
}

/**
 * An item as DynamoDB sends it: attribute values, binary as bytes (the low-level client's) or as
 * base64 text (parsed from the wire, as export reads its pages).
 */
export type RawItem = Record<string, AttributeValue>;

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

/** The DynamoDB type letter of a value (S, N, B, BOOL, NULL, SS, NS, BS, L, M). */
export function typeOf(value: ItemValue): string {
  const av = marshallValue(value);
  return av ? Object.keys(av)[0]! : 'NULL';
}

/**
 * The canonical text of a number, for comparing values: DynamoDB stores numbers by value and
 * answers in its own notation (`1.50` → `1.5`, `1E-130` written out in full), never rounded.
 */
export function normalizeNumber(text: string): string {
  const m = /^([-+]?)(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return '0';
  const significant = digits.slice(lead).replace(/0+$/, '');
  // Exponent of the leading significant digit.
  const exp = (m[2] ?? '').length - lead - 1 + Number(m[4] ?? 0);
  return `${m[1] === '-' ? '-' : ''}${significant}e${exp}`;
}
