/**
 * DynamoDB JSON in the page, and its conversions: the server sends and takes items in DynamoDB
 * JSON, where every number is a string, so a number is never a JavaScript float anywhere in the
 * page. The plain JSON view writes ddbctl's plain JSON (the CLI's default format: bare numbers kept
 * exactly, sets as {"$set": [...]}, binary as {"$binary": "base64"}, a map whose only key is a tag
 * as {"$map": {...}}), read and written with lossless-json so 38-digit numbers stay text.
 * src/core/data/codec/plainJson.ts is the CLI's side of the same format: ddb.test.ts checks that
 * both write the same text.
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };
export type DdbItem = Record<string, AttributeValue>;
export type TypeName = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'SS' | 'NS' | 'BS' | 'L' | 'M';
/** The ten DynamoDB types, in the order the editor lists them. */
export const TYPES: readonly TypeName[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M'];

const SET_TAG = '$set';
const BINARY_TAG = '$binary';
const MAP_TAG = '$map';

/** A problem in text the user typed: where (a path) and what. */
export class InputError extends Error {
  constructor(
    readonly where: string,
    what: string,
  ) {
    super(where === '' ? what : `${where}: ${what}`);
  }
}

export function typeOf(v: AttributeValue): TypeName {
  return Object.keys(v)[0] as TypeName;
}

/** DynamoDB's number syntax: at most 38 significant digits (the server checks the exponent range). */
export function numberProblem(text: string): string | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return `"${text}" is not a number`;
  const digits = text
    .replace(/[eE].*$/, '')
    .replace(/[^0-9]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  if (digits.length > 38) return `"${text}" has ${digits.length} significant digits; DynamoDB keeps 38`;
  return undefined;
}

export function base64Problem(text: string): string | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text))
    return `"${text.length > 20 ? `${text.slice(0, 20)}…` : text}" is not base64 (A-Z a-z 0-9 + / and = padding)`;
  return undefined;
}

/** The same number, for duplicate checks: 1, 1.0 and 1e0 are one member of a number set. */
export function normalizeNumber(text: string): string {
  const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const digits = `${m[2]}${m[3]}`.replace(/^0+/, '');
  const exp = Number(m[4] ?? 0) - m[3]!.length;
  const trimmed = digits.replace(/0+$/, '');
  if (trimmed === '') return '0';
  return `${m[1] === '-' ? '-' : ''}${trimmed}e${exp + (digits.length - trimmed.length)}`;
}

function checkSet(members: string[], where: string, id: (s: string) => string): void {
  if (members.length === 0)
    throw new InputError(where, 'a set needs at least one member (DynamoDB has no empty sets)');
  const seen = new Set<string>();
  members.forEach((m, i) => {
    const k = id(m);
    if (seen.has(k)) throw new InputError(`${where}[${i}]`, `the set holds ${JSON.stringify(m)} twice`);
    seen.add(k);
  });
}

/** Check one attribute value's shape, as DynamoDB would: one type, strings where it wants them. */
export function checkValue(v: unknown, where: string): AttributeValue {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new InputError(where, 'expected an attribute value such as {"S": "text"}');
  const keys = Object.keys(v);
  if (keys.length !== 1)
    throw new InputError(where, `an attribute value has exactly one type, found ${keys.length}`);
  const t = keys[0]!;
  const x = (v as Record<string, unknown>)[t];
  const strings = (what: string): string[] => {
    if (!Array.isArray(x) || !x.every((s) => typeof s === 'string'))
      throw new InputError(where, `${t} needs an array of ${what} as strings`);
    return x as string[];
  };
  switch (t) {
    case 'S':
      if (typeof x !== 'string') throw new InputError(where, 'S needs a string');
      return { S: x };
    case 'N': {
      if (typeof x !== 'string')
        throw new InputError(where, 'N needs the number as a string, such as {"N": "42"}');
      const p = numberProblem(x);
      if (p) throw new InputError(where, p);
      return { N: x };
    }
    case 'B': {
      if (typeof x !== 'string') throw new InputError(where, 'B needs a base64 string');
      const p = base64Problem(x);
      if (p) throw new InputError(where, p);
      return { B: x };
    }
    case 'BOOL':
      if (typeof x !== 'boolean') throw new InputError(where, 'BOOL needs true or false');
      return { BOOL: x };
    case 'NULL':
      if (x !== true) throw new InputError(where, 'NULL needs true');
      return { NULL: true };
    case 'SS': {
      const m = strings('strings');
      checkSet(m, where, (s) => s);
      return { SS: m };
    }
    case 'NS': {
      const m = strings('numbers');
      m.forEach((n, i) => {
        const p = numberProblem(n);
        if (p) throw new InputError(`${where}[${i}]`, p);
      });
      checkSet(m, where, normalizeNumber);
      return { NS: m };
    }
    case 'BS': {
      const m = strings('base64 values');
      m.forEach((b, i) => {
        const p = base64Problem(b);
        if (p) throw new InputError(`${where}[${i}]`, p);
      });
      checkSet(m, where, (s) => s);
      return { BS: m };
    }
    case 'L':
      if (!Array.isArray(x)) throw new InputError(where, 'L needs an array of attribute values');
      return { L: x.map((e, i) => checkValue(e, `${where}[${i}]`)) };
    case 'M':
      return { M: checkItem(x, where) };
    default:
      throw new InputError(where, `unknown type "${t}"; the types are ${TYPES.join(', ')}`);
  }
}

/** Set an own member, even one named `__proto__` (an attribute name like any other). */
export function setOwn<T>(obj: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
}

function join(where: string, name: string): string {
  return where === '' ? name : `${where}.${name}`;
}

export function checkItem(v: unknown, where = ''): DdbItem {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new InputError(where, 'expected a JSON object of attributes');
  const out: DdbItem = {};
  for (const [k, x] of Object.entries(v)) {
    setOwn(out, k, checkValue(x, join(where, k)));
  }
  return out;
}

function parseText(text: string): unknown {
  try {
    return parse(text);
  } catch (e) {
    throw new InputError('', e instanceof Error ? e.message : String(e));
  }
}

/** Parse DynamoDB JSON text into an item, checked. A bare JSON number anywhere is refused. */
export function parseDdbJson(text: string): DdbItem {
  const v = parseText(text);
  noNumbers(v, '');
  return checkItem(v);
}

/** Parse `#name` placeholders as `--names` takes them: a JSON object of strings, `{"#s": "status"}`. */
export function parseNames(text: string): Record<string, string> {
  const v = parseText(text);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new InputError('', 'expected a JSON object such as {"#s": "status"}');
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw new InputError(k, 'expected the attribute name as a JSON string');
    setOwn(out, k, x);
  }
  return out;
}

/** Parse a JSON list of DynamoDB JSON values (PartiQL's parameters), checked. */
export function parseDdbJsonValues(text: string): AttributeValue[] {
  const v = parseText(text);
  noNumbers(v, '');
  if (!Array.isArray(v)) throw new InputError('', 'expected a JSON list such as [{"S": "ada"}, {"N": "1"}]');
  return v.map((x, i) => checkValue(x, `[${i}]`));
}

function noNumbers(x: unknown, where: string): void {
  if (isLosslessNumber(x))
    throw new InputError(where, 'numbers are strings in DynamoDB JSON, such as {"N": "42"}');
  if (x !== null && typeof x === 'object')
    for (const [k, y] of Object.entries(x)) noNumbers(y, join(where, k));
}

export function ddbJsonText(item: DdbItem, indent = 2): string {
  return JSON.stringify(item, null, indent);
}

// ---- plain JSON (ddbctl's default format) ----

function toPlain(v: AttributeValue): unknown {
  if ('S' in v) return v.S;
  if ('N' in v) return new LosslessNumber(v.N);
  if ('B' in v) return { [BINARY_TAG]: v.B };
  if ('BOOL' in v) return v.BOOL;
  if ('NULL' in v) return null;
  if ('SS' in v) return { [SET_TAG]: [...v.SS] };
  if ('NS' in v) return { [SET_TAG]: v.NS.map((n) => new LosslessNumber(n)) };
  if ('BS' in v) return { [SET_TAG]: v.BS.map((b) => ({ [BINARY_TAG]: b })) };
  if ('L' in v) return v.L.map(toPlain);
  const names = Object.keys(v.M);
  const out = plainMap(v.M);
  return names.length === 1 && [SET_TAG, BINARY_TAG, MAP_TAG].includes(names[0]!) ? { [MAP_TAG]: out } : out;
}

function plainMap(m: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(m)) setOwn(out, k, toPlain(x));
  return out;
}

/** An item as ddbctl's plain JSON text (what `ddbctl get -o json` prints). */
export function plainJsonText(item: DdbItem, indent = 2): string {
  // An item is written as a map is: `{"$map": ...}` when its only attribute is named like a tag.
  return stringify(toPlain({ M: item }), undefined, indent) ?? '{}';
}

/** One attribute value as short plain JSON, for a grid cell. */
export function plainValueText(v: AttributeValue): string {
  if ('S' in v) return v.S;
  return stringify(toPlain(v)) ?? '';
}

function fromPlain(x: unknown, where: string): AttributeValue {
  if (x === null) return { NULL: true };
  if (typeof x === 'string') return { S: x };
  if (typeof x === 'boolean') return { BOOL: x };
  if (isLosslessNumber(x)) {
    const n = (x as LosslessNumber).value;
    const p = numberProblem(n);
    if (p) throw new InputError(where, p);
    return { N: n };
  }
  if (Array.isArray(x)) return { L: x.map((e, i) => fromPlain(e, `${where}[${i}]`)) };
  if (typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === BINARY_TAG) return checkValue({ B: o[BINARY_TAG] }, where);
    if (keys.length === 1 && keys[0] === SET_TAG) return plainSet(o[SET_TAG], where);
    if (keys.length === 1 && keys[0] === MAP_TAG) {
      const inner = o[MAP_TAG];
      if (inner === null || typeof inner !== 'object' || Array.isArray(inner))
        throw new InputError(where, `"${MAP_TAG}" needs an object`);
      return { M: fromPlainMap(inner as Record<string, unknown>, where) };
    }
    return { M: fromPlainMap(o, where) };
  }
  throw new InputError(where, `unsupported value ${String(x)}`);
}

function fromPlainMap(o: Record<string, unknown>, where: string): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, x] of Object.entries(o)) setOwn(out, k, fromPlain(x, join(where, k)));
  return out;
}

function plainSet(x: unknown, where: string): AttributeValue {
  if (!Array.isArray(x) || x.length === 0)
    throw new InputError(where, `"${SET_TAG}" needs a non-empty array (DynamoDB has no empty sets)`);
  if (x.every((m) => typeof m === 'string')) return checkValue({ SS: x }, where);
  if (x.every(isLosslessNumber)) return checkValue({ NS: x.map((m) => (m as LosslessNumber).value) }, where);
  if (
    x.every(
      (m) =>
        m !== null &&
        typeof m === 'object' &&
        Object.keys(m).length === 1 &&
        typeof (m as Record<string, unknown>)[BINARY_TAG] === 'string',
    )
  )
    return checkValue({ BS: x.map((m) => (m as Record<string, string>)[BINARY_TAG]) }, where);
  throw new InputError(
    where,
    `a set holds one type: all strings, all numbers or all {"${BINARY_TAG}": ...} values`,
  );
}

/** Parse ddbctl's plain JSON text into an item (numbers exact). */
export function parsePlainJson(text: string): DdbItem {
  const v = parseText(text);
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new InputError('', 'expected a JSON object such as {"id": "a", "n": 1}');
  const keys = Object.keys(v);
  if (keys.length === 1 && (keys[0] === SET_TAG || keys[0] === BINARY_TAG))
    throw new InputError(
      '',
      `an item whose only attribute is named "${keys[0]}" is written {"${MAP_TAG}": {"${keys[0]}": ...}}`,
    );
  if (keys.length === 1 && keys[0] === MAP_TAG) return (fromPlain(v, '') as { M: DdbItem }).M;
  return fromPlainMap(v as Record<string, unknown>, '');
}

/** Whether two attribute values are the same (sets compared as sets, numbers by value). */
export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  const x = (a as Record<string, unknown>)[ta];
  const y = (b as Record<string, unknown>)[ta];
  switch (ta) {
    case 'N':
      return normalizeNumber(x as string) === normalizeNumber(y as string);
    case 'SS':
    case 'BS':
    case 'NS': {
      const id = ta === 'NS' ? normalizeNumber : (s: string) => s;
      const sx = new Set((x as string[]).map(id));
      const sy = (y as string[]).map(id);
      return sx.size === sy.length && sy.every((m) => sx.has(m));
    }
    case 'L':
      return (
        (x as AttributeValue[]).length === (y as AttributeValue[]).length &&
        (x as AttributeValue[]).every((e, i) => sameValue(e, (y as AttributeValue[])[i]!))
      );
    case 'M':
      return sameItem(x as DdbItem, y as DdbItem);
    default:
      return x === y;
  }
}

export function sameItem(a: DdbItem, b: DdbItem): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k]!, b[k]!))
  );
}

/** Compare two cells for sorting loaded rows: numbers by value (exactly, as decimal text), else text. */
export function compareValues(a: AttributeValue | undefined, b: AttributeValue | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  const sa = plainValueText(a);
  const sb = plainValueText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Exact comparison of two DynamoDB numbers given as text (no floats: 38 digits compare right). */
export function compareNumbers(a: string, b: string): number {
  const na = normalizeNumber(a);
  const nb = normalizeNumber(b);
  const parts = (n: string): { neg: boolean; digits: string; exp: number } => {
    const neg = n.startsWith('-');
    const [d, e] = (neg ? n.slice(1) : n).split('e');
    return { neg, digits: d!, exp: Number(e ?? 0) };
  };
  if (na === nb) return 0;
  if (na === '0') return parts(nb).neg ? 1 : -1;
  if (nb === '0') return parts(na).neg ? -1 : 1;
  const pa = parts(na);
  const pb = parts(nb);
  if (pa.neg !== pb.neg) return pa.neg ? -1 : 1;
  // Magnitude: the position of the leading digit, then the digits themselves.
  const lead = (p: { digits: string; exp: number }) => p.digits.length + p.exp;
  let c = lead(pa) - lead(pb);
  if (c === 0) {
    const len = Math.max(pa.digits.length, pb.digits.length);
    const da = pa.digits.padEnd(len, '0');
    const db = pb.digits.padEnd(len, '0');
    c = da < db ? -1 : da > db ? 1 : 0;
  }
  return pa.neg ? -c : c;
}

/** A key value typed in a text box, as the attribute value of the key's type (S, N or B). */
export function keyValue(type: string, text: string, where: string): AttributeValue {
  if (type === 'N') return checkValue({ N: text.trim() }, where);
  if (type === 'B') return checkValue({ B: text.trim() }, where);
  return { S: text };
}
