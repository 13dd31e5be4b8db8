/**
 * One pass from an item's plain JSON text to what a bulk write needs: the item, its DynamoDB JSON
 * text (as `ddbJsonText` writes it) and its stored size (as `itemSize` counts it), with DynamoDB's
 * limits checked on the way (`validateItem`). Import spends most of its own CPU turning lines into
 * request text; the general path parses (lossless-json), converts, validates, measures and writes
 * in five walks with an object per value in between (BENCHMARKS.md).
 *
 * Given the names of the table's key attributes (its indexes' too), it makes no item at all: it
 * keeps those attributes' values (`key`, what a bulk write checks and matches by) and the item is
 * made from its DynamoDB JSON only when asked (a reject, a client without the wire path). Making
 * every item's objects was about a third of reading's CPU and of the garbage it left.
 *
 * It takes the common shape only and returns undefined for anything else: tagged sets, binary and
 * maps (`{"$set": …}`, `{"$binary": …}`, `{"$map": …}`), names that are repeated, empty at the top, "__proto__" or start
 * with a digit (JS objects put those first), nesting near the limit, numbers outside DynamoDB's
 * range, items over 400 KB, and any text that is not strict JSON. The caller then takes the general
 * path (`parseItem`, `validateItem`, `ddbJsonText`), which gives the same item or the precise
 * error; a test checks that both paths agree.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { BINARY_TAG, fromDdbJson, type Item, type ItemValue, MAP_TAG, SET_TAG } from '../data/codec.js';
import { MAX_DEPTH, MAX_ITEM_BYTES, numberProblem, numberSize } from '../data/validate.js';

/** An item's DynamoDB JSON, already checked against DynamoDB's limits. */
export interface CheckedText {
  /** The item's DynamoDB JSON (`{"name":{"S":"ada"}}`), as ddbJsonText writes it. */
  text: string;
  /** UTF-8 bytes of `text`. */
  bytes: number;
  /** Stored size, as itemSize counts it. */
  size: number;
  /**
   * The item's values of the attributes that key its table and the table's indexes (those it has),
   * when the text was read without making the item (readPlainItem's `keyNames`): what a bulk write
   * checks and matches requests by. The item itself is then made only when asked.
   */
  key?: Item;
}

/** An item read and checked in one pass. */
export class CheckedItem implements CheckedText {
  private made: Item | undefined;
  constructor(
    item: Item | undefined,
    readonly text: string,
    readonly bytes: number,
    readonly size: number,
    /** Read with key names: the values of those attributes (see CheckedText). */
    readonly key?: Item,
    /** Every top-level value is a map (the item may be DynamoDB JSON read as plain JSON). */
    readonly allMaps = true,
  ) {
    this.made = item;
  }
  /** The item: as read, or (read with key names) made from `text` the first time it is asked for. */
  get item(): Item {
    // NOTE: the text is DynamoDB JSON this reader wrote (S, N as a string, BOOL, NULL, L, M):
    // JSON.parse loses nothing of it, and fromDdbJson makes the values the reader would have made.
    this.made ??= fromDdbJson(JSON.parse(this.text), '');
    return this.made;
  }
}

/** Thrown (never escapes this module) when the text is not of the shape this reader takes. */
const GIVE_UP = { giveUp: true };

// The reader's state, for one call at a time (it is synchronous).
let src = '';
let pos = 0;
/** Text, stored size and whether the text has non-ASCII characters: of the last value read. */
let text = '';
let size = 0;
let wide = false;
/**
 * The names of the maps being read, innermost last: a repeated name is found by comparing with the
 * names before it in the same map (cheaper than a property lookup by a string just read; a map of
 * more than MANY_NAMES names gets a Set).
 */
const mapNames: string[] = [];
const MANY_NAMES = 64;
/**
 * The names of the last items, by their place in an item (its k-th name, nested maps' included), as
 * their JSON text, value, UTF-8 bytes and width: the lines of a file most often name the same
 * attributes in the same order, and a name whose text is the same is then read by one comparison,
 * without a string made (nor, as a property name, looked up in V8's table of names). The input's
 * text (what is compared) and the output's (escapes written as JSON.stringify writes them) differ
 * only for a name with an escape.
 */
const knownTexts: string[] = [];
const knownOut: string[] = [];
const knownNames: string[] = [];
const knownSizes: number[] = [];
const knownWide: boolean[] = [];
let nameIndex = 0;
/** Whether the last string read has non-ASCII characters or an escape. */
let stringWide = false;
/**
 * The names whose values are kept (`key`) when no item is made; undefined: the item is made. Values
 * read meanwhile are the strings and number tokens read, or undefined (lists and maps).
 */
let keyNames: readonly string[] | undefined;
let key: Item | undefined;
/** Every top-level value read so far is a map. */
let allMaps = true;

/**
 * Read one item from `s` (a whole record: one JSON object with optional whitespace around it), or
 * return undefined when it must take the general path. With `names` (the key attributes of the
 * table and its indexes), no item is made (CheckedItem's `key`); a top-level value of one of those
 * names that is neither a string nor a number then takes the general path, which says what is wrong.
 */
export function readPlainItem(s: string, names?: readonly string[]): CheckedItem | undefined {
  src = s;
  pos = 0;
  wide = false;
  mapNames.length = 0;
  nameIndex = 0;
  keyNames = names;
  key = names ? {} : undefined;
  allMaps = true;
  try {
    skipSpace();
    if (src.charCodeAt(pos) !== 0x7b) return undefined;
    const item = readObject(-1, true) as Item;
    skipSpace();
    if (pos !== src.length || size > MAX_ITEM_BYTES) return undefined;
    // NOTE: reading a character flattens the text (built of many small pieces) into one string:
    // held items (the interleave window) then cost the garbage collector one object, not dozens.
    text.charCodeAt(0);
    const bytes = wide ? Buffer.byteLength(text, 'utf8') : text.length;
    return new CheckedItem(names ? undefined : item, text, bytes, size, key, allMaps);
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  } finally {
    src = '';
    key = undefined;
    keyNames = undefined;
  }
}

function skipSpace(): void {
  for (;;) {
    const c = src.charCodeAt(pos);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return;
  }
}

const LONE_SURROGATE = /\p{Cs}/u;

/** At a quote: the string's value; its JSON text in `text`, its UTF-8 bytes in `size`. */
function readString(): string {
  const start = pos;
  let escaped = false;
  let nonAscii = false;
  let j = pos + 1;
  for (;;) {
    const c = src.charCodeAt(j);
    if (c === 0x22) break;
    if (c === 0x5c) {
      escaped = true;
      j += 2;
      continue;
    }
    if (c < 0x20 || Number.isNaN(c)) throw GIVE_UP; // a control character, or the end of the text
    if (c >= 0x80) {
      nonAscii = true;
      // NOTE: a surrogate, paired or not, goes through JSON.parse below (a lone one is refused there).
      if (c >= 0xd800 && c <= 0xdfff) escaped = true;
    }
    j++;
  }
  pos = j + 1;
  if (!escaped) {
    const value = src.slice(start + 1, j);
    text = src.slice(start, j + 1);
    size = nonAscii ? Buffer.byteLength(value, 'utf8') : value.length;
    stringWide = nonAscii;
    wide ||= nonAscii;
    return value;
  }
  let value: string;
  try {
    value = JSON.parse(src.slice(start, j + 1)) as string;
  } catch {
    throw GIVE_UP;
  }
  // An unpaired surrogate has no UTF-8 form: the general path refuses it, naming where (validateItem).
  if (LONE_SURROGATE.test(value)) throw GIVE_UP;
  text = JSON.stringify(value);
  size = Buffer.byteLength(value, 'utf8');
  stringWide = true;
  wide = true;
  return value;
}

/**
 * At a quote: a name, as readString reads it; the k-th name of an item is first compared with the
 * k-th of the last items (the same text is the same name: JSON reads a string one way only).
 */
function readName(): string {
  const k = nameIndex++;
  const known = knownTexts[k];
  if (known !== undefined && src.startsWith(known, pos)) {
    pos += known.length;
    text = knownOut[k] as string;
    size = knownSizes[k] as number;
    if (knownWide[k]) wide = true;
    return knownNames[k] as string;
  }
  const start = pos;
  const name = readString();
  if (k >= KNOWN_NAMES) return name;
  // NOTE: its text as it stands in the input, which is what the next item is compared with. A
  // slice of a long line is copied: a slice holds the whole line it was cut from in memory.
  const keep = src.length > LONG_LINE ? detached : asIs;
  knownTexts[k] = keep(src.slice(start, pos));
  knownOut[k] = keep(text);
  knownNames[k] = keep(name);
  knownSizes[k] = size;
  knownWide[k] = stringWide;
  return name;
}

/** The names of an item that are compared with the last items' (the first ones). */
const KNOWN_NAMES = 64;
/** A line longer than this (UTF-16 units) is not held by the names kept from it. */
const LONG_LINE = 4096;

/** A copy of `s` that holds nothing of the text it was cut from (V8 flattens the pair it slices). */
const detached = (s: string): string => `\u0000${s}`.slice(1);
const asIs = (s: string): string => s;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** A JSON number, strictly: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? (its token when no item is made). */
function readNumber(): NumberValue | string {
  const start = pos;
  let j = pos;
  if (src.charCodeAt(j) === 0x2d) j++;
  const first = src.charCodeAt(j);
  if (first === 0x30) j++;
  else if (first > 0x30 && first <= 0x39) while (isDigit(src.charCodeAt(j))) j++;
  else throw GIVE_UP;
  if (src.charCodeAt(j) === 0x2e) {
    j++;
    if (!isDigit(src.charCodeAt(j))) throw GIVE_UP;
    while (isDigit(src.charCodeAt(j))) j++;
  }
  let exponent = false;
  const e = src.charCodeAt(j);
  if (e === 0x65 || e === 0x45) {
    exponent = true;
    j++;
    const sign = src.charCodeAt(j);
    if (sign === 0x2b || sign === 0x2d) j++;
    if (!isDigit(src.charCodeAt(j))) throw GIVE_UP;
    while (isDigit(src.charCodeAt(j))) j++;
  }
  const token = src.slice(start, j);
  // NOTE: without an exponent, 38 characters cannot hold more than 38 digits nor leave the range.
  if ((exponent || token.length > 38) && numberProblem(token) !== undefined) throw GIVE_UP;
  pos = j;
  text = `{"N":"${token}"}`;
  size = numberSize(token);
  return keyNames ? token : new NumberValue(token);
}

/**
 * Any value at `pos`; `depth` as validate's walk counts it (a top-level attribute's value is 0).
 * When no item is made (keyNames): a string's value, a number's token, anything else undefined.
 */
function readValue(depth: number): ItemValue | undefined {
  const c = src.charCodeAt(pos);
  if (c === 0x22) {
    const v = readString();
    text = `{"S":${text}}`;
    return v;
  }
  if (c === 0x7b) {
    const v = readObject(depth, false);
    text = `{"M":${text}}`;
    return v;
  }
  if (c === 0x5b) return readList(depth);
  if (c === 0x74 && src.startsWith('true', pos)) return literal(4, '{"BOOL":true}', true);
  if (c === 0x66 && src.startsWith('false', pos)) return literal(5, '{"BOOL":false}', false);
  if (c === 0x6e && src.startsWith('null', pos)) return literal(4, '{"NULL":true}', null);
  return readNumber();
}

/** Just after `[` or `{`: whether the container is empty (its `close` read). */
function emptyUntil(close: number): boolean {
  skipSpace();
  if (src.charCodeAt(pos) !== close) return false;
  pos++;
  return true;
}

/** After a member: true at `close` (read), false at a comma (read); anything else gives up. */
function endsAt(close: number): boolean {
  skipSpace();
  const c = src.charCodeAt(pos++);
  if (c === close) return true;
  if (c !== 0x2c) throw GIVE_UP;
  return false;
}

function literal<V extends ItemValue>(length: number, t: string, v: V): V {
  pos += length;
  text = t;
  size = 1;
  return v;
}

function readList(depth: number): ItemValue[] | undefined {
  if (depth + 1 >= MAX_DEPTH) throw GIVE_UP;
  pos++;
  const list: ItemValue[] | undefined = keyNames ? undefined : [];
  let out = '{"L":[';
  let total = 3;
  let count = 0;
  if (!emptyUntil(0x5d)) {
    do {
      skipSpace();
      const v = readValue(depth + 1);
      list?.push(v as ItemValue);
      out += count++ ? `,${text}` : text;
      total += 1 + size;
    } while (!endsAt(0x5d));
  }
  text = `${out}]}`;
  size = total;
  return list;
}

/**
 * At a brace: a map (or the item itself, `top`). Its text (without the {"M":…} wrapper) in `text`;
 * its size in `size` (a map: 3 + each 1 + name + value; the item: each name + value).
 */
function readObject(depth: number, top: boolean): Item | undefined {
  if (depth + 1 >= MAX_DEPTH) throw GIVE_UP;
  pos++;
  const obj: Item | undefined = keyNames ? undefined : {};
  let out = '{';
  let total = top ? 0 : 3;
  let count = 0;
  const base = mapNames.length;
  let many: Set<string> | undefined;
  if (!emptyUntil(0x7d)) {
    do {
      skipSpace();
      if (src.charCodeAt(pos) !== 0x22) throw GIVE_UP;
      const name = readName();
      const first = name.charCodeAt(0);
      if (
        name === '__proto__' ||
        isDigit(first) ||
        (top && name === '') ||
        (count === 0 && (name === SET_TAG || name === BINARY_TAG || name === MAP_TAG)) ||
        repeated(name, base, count, many)
      ) {
        throw GIVE_UP;
      }
      if (many) many.add(name);
      else if (count < MANY_NAMES) mapNames.push(name);
      else many = new Set([...mapNames.slice(base), name]);
      const nameText = text;
      const nameBytes = size;
      skipSpace();
      if (src.charCodeAt(pos++) !== 0x3a) throw GIVE_UP;
      skipSpace();
      const c = src.charCodeAt(pos);
      const v = readValue(depth + 1);
      if (obj) obj[name] = v as ItemValue;
      else if (top) keep(name, c, v);
      if (top && c !== 0x7b) allMaps = false;
      out += count++ ? `,${nameText}:${text}` : `${nameText}:${text}`;
      total += (top ? 0 : 1) + nameBytes + size;
    } while (!endsAt(0x7d));
  }
  mapNames.length = base;
  text = `${out}}`;
  size = total;
  return obj;
}

/**
 * A top-level attribute read without making the item: its value kept when `name` is one of
 * keyNames. `c`: the value's first character. A key attribute that is neither a string nor a number
 * takes the general path (a list, a map, a boolean or null: it says which attribute, and why).
 */
function keep(name: string, c: number, v: ItemValue | undefined): void {
  if (!(keyNames as readonly string[]).includes(name)) return;
  if (c !== 0x22 && c !== 0x2d && !isDigit(c)) throw GIVE_UP;
  // NOTE: cut from a long line, it is copied, as a name is (readName): a held request must not
  // hold its whole line.
  const kept = src.length > LONG_LINE ? detached(v as string) : (v as string);
  (key as Item)[name] = c === 0x22 ? kept : new NumberValue(kept);
}

/** Whether `name` is already among the `count` names of the map whose names start at `base`. */
function repeated(name: string, base: number, count: number, many: Set<string> | undefined): boolean {
  if (many) return many.has(name);
  for (let k = base; k < base + count; k++) if (mapNames[k] === name) return true;
  return false;
}
