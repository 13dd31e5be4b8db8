/**
 * Attribute values as DynamoDB checks them on the way in, with its messages, and normalised as it
 * stores them (numbers in canonical text, so equal numbers are equal text).
 */
import { type Decimal, decimalProblem, formatDecimal, parseDecimal } from '../../ddb/numbers.js';
import { EngineError, validation } from '../errors.js';
import { checkShape } from '../shape.js';
import type { AttributeValue, Item } from '../types.js';

/**
 * NOTE: DynamoDB's 32 levels of nesting count the attribute's value as level 1: maps and lists may
 * sit at levels 1 to 31, scalars down to level 32 (measured on DynamoDB Local 3.3.1).
 */
export const MAX_DEPTH = 32;
const NULL_VALUE = 'The supplied Item contains a null AttributeValue';

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'M', 'L']);

function serialization(message: string): EngineError {
  return new EngineError('SerializationException', message);
}

/** Canonical number text, or DynamoDB's error for a number it refuses. */
export function checkNumber(text: string): string {
  const d = parseDecimal(text);
  if (!d) throw validation('A value provided cannot be converted into a number');
  return checkDecimal(d);
}

/** Canonical text of a number (parsed, or computed by an update), or DynamoDB's error for it. */
export function checkDecimal(d: Decimal): string {
  const problem = decimalProblem(d);
  if (problem === 'digits') throw validation('DynamoDB only supports precision up to 38 digits');
  if (problem === 'large')
    throw validation(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  if (problem === 'small')
    throw validation(
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    );
  return formatDecimal(d);
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkBinary(v: unknown): string {
  if (typeof v !== 'string') throw serialization('Unexpected value type in B: expected base64 text');
  if (BASE64_RE.test(v)) return v;
  // NOTE: unpadded base64 is taken and written back padded; other characters are refused while
  // reading the request, as a SerializationException (DynamoDB Local answers InternalFailure).
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.replace(/=+$/, '').length % 4 !== 1)
    return Buffer.from(v, 'base64').toString('base64');
  throw serialization(`Base64 encoded binary value is invalid: "${v}"`);
}

/**
 * NOTE: a string with an unpaired surrogate (JSON `"\ud800"`) has no UTF-8 form: stored as UTF-8
 * it would become U+FFFD, and two different keys one item. DynamoDB keeps strings as UTF-8; such a
 * string is refused like a body that is no UTF-8 (DIVERGENCES.md: DynamoDB Local keeps it).
 */
export function checkText(v: string, what: string): string {
  // With the u flag a surrogate pair is one code point: only an unpaired surrogate matches.
  const i = v.search(/[\uD800-\uDFFF]/u);
  if (i < 0) return v;
  const unit = v.charCodeAt(i).toString(16).toUpperCase();
  throw serialization(
    `Invalid string in ${what}: an unpaired UTF-16 surrogate (\\u${unit}) has no UTF-8 form`,
  );
}

function str(v: unknown, what: string): string {
  if (typeof v === 'string') return checkText(v, what);
  // NOTE: a number or a boolean where a string belongs is a wrong JSON type, refused with the
  // deserializer's words (shape.ts), never read as its text.
  if (typeof v === 'number' || typeof v === 'boolean') checkShape(v, 'string');
  throw serialization(`Unexpected value type in ${what}`);
}

function list(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null) return [];
  throw serialization(`Unexpected value type in ${what}: expected a list`);
}

const INVALID = 'One or more parameter values were invalid: ';

function setEmpty(kind: string): EngineError {
  return validation(`${INVALID}An ${kind} set  may not be empty`);
}

/**
 * Check one attribute value (unknown JSON) and return it normalised. Throws DynamoDB's
 * ValidationException / SerializationException.
 */
export function checkValue(v: unknown, depth = 0): AttributeValue {
  if (v === null) throw validation(NULL_VALUE);
  if (typeof v !== 'object' || Array.isArray(v))
    throw serialization('Unexpected value type: expected an AttributeValue object');
  const r = v as Record<string, unknown>;
  // NOTE: members that are null or not a type of DynamoDB's are ignored, as DynamoDB's JSON reader does.
  const all = Object.keys(r);
  let type: string | undefined;
  let found = 0;
  for (const k of all) {
    if (TYPES.has(k) && r[k] !== null) {
      found++;
      type ??= k;
    }
  }
  if (found === 0)
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (found > 1)
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  const x = r[type!];
  // NOTE: a value already in its stored form (its one member, normalised) is kept, not copied: an
  // import's every attribute is, and a copy each was a good part of the engine's garbage.
  const same = all.length === 1;
  switch (type) {
    case 'S': {
      const s = str(x, 'S');
      return same && s === x ? (v as AttributeValue) : { S: s };
    }
    case 'N': {
      const n = checkNumber(str(x, 'N'));
      return same && n === x ? (v as AttributeValue) : { N: n };
    }
    case 'B':
      return { B: checkBinary(x) };
    case 'BOOL':
      // NOTE: text ("true") is a wrong JSON type, refused as for any other member (shape.ts).
      checkShape(x, 'boolean');
      return same ? (v as AttributeValue) : { BOOL: x as boolean };
    case 'NULL':
      if (x !== true)
        throw validation(
          'One or more parameter values were invalid: Null attribute value types must have the value of true',
        );
      return { NULL: true };
    case 'SS': {
      const items = list(x, 'SS').map((s) => str(s, 'SS'));
      if (items.length === 0) throw setEmpty('string');
      if (new Set(items).size !== items.length)
        throw validation(`${INVALID}Input collection [${items.join(', ')}] contains duplicates`);
      return { SS: items };
    }
    case 'NS': {
      const items = list(x, 'NS').map((s) => checkNumber(str(s, 'NS')));
      if (items.length === 0) throw setEmpty('number');
      if (new Set(items).size !== items.length) throw validation('Input collection contains duplicates');
      return { NS: items };
    }
    case 'BS': {
      const items = list(x, 'BS').map(checkBinary);
      if (items.length === 0) throw validation(`${INVALID}Binary sets should not be empty`);
      if (new Set(items).size !== items.length)
        throw validation(`${INVALID}Input collection of type BS contains duplicates.`);
      return { BS: items };
    }
    case 'M': {
      if (typeof x !== 'object' || x === null || Array.isArray(x))
        throw serialization('Unexpected value type in M');
      if (depth >= MAX_DEPTH - 1) throw nestingError();
      const m = checkMap(x as Record<string, unknown>, depth + 1);
      return same && m === x ? (v as AttributeValue) : { M: m };
    }
    default: {
      if (depth >= MAX_DEPTH - 1) throw nestingError();
      const l = list(x, 'L');
      const out = kept(l, (e) => checkValue(e, depth + 1));
      return same && out === x ? (v as AttributeValue) : { L: out };
    }
  }
}

/**
 * An item an update made, checked for depth as PutItem checks its item: values put at a deep path
 * can nest deeper than each was alone (DynamoDB Local refuses such an update).
 */
export function checkItemDepth(item: Item): void {
  const walk = (v: AttributeValue, depth: number): void => {
    const inner = 'M' in v ? Object.values(v.M) : 'L' in v ? v.L : undefined;
    if (!inner) return;
    // NOTE: DynamoDB Local's message for an update is the first half of PutItem's.
    if (depth >= MAX_DEPTH - 1) throw validation('Nesting Levels have exceeded supported limits');
    for (const x of inner) walk(x, depth + 1);
  };
  for (const v of Object.values(item)) walk(v, 0);
}

function nestingError(): EngineError {
  return validation(
    'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
  );
}

/** `list` with each element checked: the very same array when every element was kept as it is. */
function kept(list: unknown[], check: (e: unknown) => AttributeValue): AttributeValue[] {
  let out: AttributeValue[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const e = check(list[i]);
    if (out === undefined && e !== list[i]) out = list.slice(0, i) as AttributeValue[];
    if (out !== undefined) out.push(e);
  }
  return out ?? (list as AttributeValue[]);
}

/** The map with each value checked: the very same object when every value was kept as it is. */
function checkMap(m: Record<string, unknown>, depth: number): Record<string, AttributeValue> {
  const keys = Object.keys(m);
  let out: Record<string, AttributeValue> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === '') throw validation('Empty attribute name');
    checkText(k, 'an attribute name');
    const raw = m[k];
    const v = checkValue(raw, depth);
    if (out === undefined && v !== raw) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, m[keys[j]!] as AttributeValue);
    }
    if (out !== undefined) setOwn(out, k, v);
  }
  return out ?? (m as Record<string, AttributeValue>);
}

/**
 * An item's (or a map's) own attribute of that name. NOTE: not `obj[name]`: a plain object's
 * prototype answers `constructor`, `toString` or `__proto__` for an attribute it does not have.
 */
export function getOwn<T>(obj: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}

/**
 * Assign an own property, even `__proto__` (a plain assignment of `__proto__` would set the
 * prototype and drop the attribute).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Check a whole item (PutItem's Item, a Key...) and return it normalised. */
export function checkItem(item: unknown): Item {
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    throw serialization('Unexpected value type: expected a map of AttributeValues');
  const m = item as Record<string, unknown>;
  for (const k of Object.keys(m)) if (m[k] === null) throw validation(`${NULL_VALUE}: ${k} is null`);
  return checkMap(m, 0);
}
