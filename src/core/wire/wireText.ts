/**
 * DynamoDB's response bytes straight to ddbctl's plain JSON bytes, without building objects.
 * NOTE: over 500 lines, one reader: its byte-level steps are its hot path and stay beside it.
 *
 * A Scan page of 2,000 small items is some 50,000 attribute values; JSON.parse makes an object of
 * each, and the garbage collector then frees them all: on an export that was most of ddbctl's own
 * CPU (BENCHMARKS.md). This reads the body once, byte by byte, and writes each item as
 * `stringifyRawItem(JSON.parse(...))` would: the same characters in the same order.
 *
 * It works on UTF-8 bytes: the characters JSON's structure uses (quotes, backslashes, brackets,
 * commas) are ASCII, and no byte of a multi-byte character is ASCII, so strings are copied byte for
 * byte without decoding. A string holding no escape is copied as it stands (a JSON string without
 * a backslash is what JSON.stringify writes); one with an escape is parsed and written again, so
 * the output does not depend on how an engine escapes.
 */

import { rawNumberText, unknownTypeError } from '../data/codec/rawItem.js';
// NOTE: from the codec's own modules, not its index: the export's worker thread (cli/transcoder.ts)
// bundles this module, and the index would bring the AWS SDK into it.
import { BINARY_TAG, MAP_TAG, SET_TAG } from '../data/codec/tags.js';
import type { RawItem } from '../data/codec/types.js';
import { DdbError } from '../errors.js';
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isJsonSpace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from '../util/bytes.js';

const ascii = (s: string) => Buffer.from(s, 'latin1');
const DOLLAR = 36;
const BINARY_OPEN = ascii(`{"${BINARY_TAG}":`);
const SET_OPEN = ascii(`{"${SET_TAG}":[`);
const SET_CLOSE = ascii(']}');
const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');
const ITEMS = ascii('"Items"');
const BOOL_NAME = ascii('"BOOL"');
const NULL_NAME = ascii('"NULL"');
const MAP_OPEN = ascii(`{"${MAP_TAG}":`);
/** Names that make a map a tag when alone in it, as JSON.stringify writes them. */
const TAG_NAMES = [SET_TAG, BINARY_TAG, MAP_TAG].map((t) => ascii(JSON.stringify(t)));

/** The members of a response body other than its items. */
export interface WireBodyRest extends Record<string, unknown> {
  LastEvaluatedKey?: RawItem;
  Count?: number;
  ScannedCount?: number;
}

/** A response body's items as plain JSON, and the rest of the body parsed. */
export interface WireBodyText {
  /** Every item of `Items` as plain JSON text (stringifyRawItem's), each followed by `after`, joined by `between`. */
  text: Buffer;
  items: number;
  rest: WireBodyRest;
}

/**
 * readWireBody's work done elsewhere (the CLI's worker thread, cli/transcoder.ts): the same result,
 * or the same error, later.
 */
export type Transcode = (body: Uint8Array, between: string, after: string) => Promise<WireBodyText>;

/**
 * Read a Scan or Query response body (UTF-8) whose `Items` are DynamoDB items: ndjson is
 * `between: '', after: '\n'`, a JSON array's inside `between: ',\n', after: ''`. Throws input.json
 * on text that is not DynamoDB JSON, and on a value of a type ddbctl does not know.
 */
export function readWireBody(body: Uint8Array, between = '', after = '\n'): WireBodyText {
  return new Reader(body, ascii(between), ascii(after)).body();
}

/** Attribute value types, by the bytes of their name. */
enum Type {
  S,
  N,
  B,
  BOOL,
  NULL,
  M,
  L,
  SS,
  NS,
  BS,
}

const TYPES: Record<string, Type> = {
  S: Type.S,
  N: Type.N,
  B: Type.B,
  BOOL: Type.BOOL,
  NULL: Type.NULL,
  M: Type.M,
  L: Type.L,
  SS: Type.SS,
  NS: Type.NS,
  BS: Type.BS,
};

class Reader {
  private i = 0;
  private out: Buffer;
  private o = 0;
  /** Whether the last string read (stringEnd) held a backslash. */
  private escaped = false;

  constructor(
    private readonly b: Uint8Array,
    private readonly between: Buffer,
    private readonly after: Buffer,
  ) {
    this.out = Buffer.allocUnsafe(b.length + 256);
  }

  body(): WireBodyText {
    const rest: WireBodyRest = {};
    let items = 0;
    this.expect(OPEN_BRACE);
    if (!this.ends(CLOSE_BRACE)) {
      do {
        this.ws();
        const start = this.i;
        const end = this.stringEnd();
        this.expect(COLON);
        if (!this.escaped && this.isBytes(start, end, ITEMS)) {
          this.expect(OPEN_BRACKET);
          if (!this.ends(CLOSE_BRACKET)) {
            do {
              if (items++ > 0) this.put(this.between);
              this.map();
              this.put(this.after);
            } while (this.next(CLOSE_BRACKET));
          }
        } else {
          const name = JSON.parse(this.decode(start, end)) as string;
          this.ws();
          const from = this.i;
          this.skip();
          rest[name] = JSON.parse(this.decode(from, this.i));
        }
      } while (this.next(CLOSE_BRACE));
    }
    this.ws();
    if (this.i !== this.b.length) this.fail('text after the body');
    return { text: this.out.subarray(0, this.o), items, rest };
  }

  /**
   * An item or an M value: `{"name": AttributeValue, ...}` → `{"name": value, ...}`, or
   * `{"$map": {...}}` when its only name is a tag (see stringifyRawItem).
   */
  private map(): void {
    this.expect(OPEN_BRACE);
    const open = this.o;
    this.byte(OPEN_BRACE);
    let count = 0;
    let tagged = false;
    if (!this.ends(CLOSE_BRACE)) {
      do {
        const name = this.o;
        this.string();
        // Every tag begins with '$': the others are passed over at a byte's cost.
        if (count++ === 0)
          tagged = this.out[name + 1] === DOLLAR && TAG_NAMES.some((t) => this.wrote(name, t));
        this.expect(COLON);
        this.byte(COLON);
        this.value();
      } while (this.next(CLOSE_BRACE) && this.byte(COMMA));
    }
    this.byte(CLOSE_BRACE);
    if (tagged && count === 1) this.wrapSince(open, MAP_OPEN);
  }

  /** Whether the output from `start` to its end is `bytes`. */
  private wrote(start: number, bytes: Buffer): boolean {
    if (this.o - start !== bytes.length) return false;
    for (let k = 0; k < bytes.length; k++) if (this.out[start + k] !== bytes[k]) return false;
    return true;
  }

  /** Put the output from `start` on between `open` and a closing brace (a rare case: it moves bytes). */
  private wrapSince(start: number, open: Buffer): void {
    this.room(open.length + 1);
    this.out.copyWithin(start + open.length, start, this.o);
    open.copy(this.out, start);
    this.o += open.length;
    this.byte(CLOSE_BRACE);
  }

  /** One attribute value `{"TYPE": ...}` as plain JSON (see stringifyRawItem). */
  private value(): void {
    this.expect(OPEN_BRACE);
    switch (this.typeName()) {
      case Type.S:
        this.string();
        break;
      case Type.N:
        this.number();
        break;
      case Type.BOOL:
        this.put(this.bool() ? TRUE : FALSE);
        break;
      case Type.NULL:
        this.bool();
        this.put(NULL);
        break;
      case Type.M:
        this.map();
        break;
      case Type.L:
        this.byte(OPEN_BRACKET);
        this.list(() => this.value());
        this.byte(CLOSE_BRACKET);
        break;
      case Type.B:
        this.binary();
        break;
      case Type.SS:
        this.set(() => this.string());
        break;
      case Type.NS:
        this.set(() => this.number());
        break;
      case Type.BS:
        this.set(() => this.binary());
        break;
    }
    this.expect(CLOSE_BRACE);
  }

  /**
   * The type name of a value and the colon after it. Its usual spelling (`"S":`, no space or
   * escape) is read from the bytes at hand; any other goes through the general reader.
   */
  private typeName(): Type {
    const b = this.b;
    const i = this.i;
    if (b[i] === QUOTE) {
      const c = b[i + 1];
      if (b[i + 2] === QUOTE && b[i + 3] === COLON) {
        const t = c === 83 ? Type.S : c === 78 ? Type.N : c === 77 ? Type.M : c === 76 ? Type.L : undefined;
        if (t !== undefined) {
          this.i = i + 4;
          return t;
        }
      }
    }
    this.ws();
    const start = this.i;
    const end = this.stringEnd();
    this.expect(COLON);
    return this.type(start, end);
  }

  private type(start: number, end: number): Type {
    const b = this.b;
    const len = end - start - 2;
    if (!this.escaped) {
      const c = b[start + 1];
      if (len === 1) {
        if (c === 83) return Type.S;
        if (c === 78) return Type.N;
        if (c === 77) return Type.M;
        if (c === 76) return Type.L;
        if (c === 66) return Type.B;
      } else if (len === 2 && b[start + 2] === 83) {
        if (c === 83) return Type.SS;
        if (c === 78) return Type.NS;
        if (c === 66) return Type.BS;
      } else if (len === 4) {
        if (this.isBytes(start, end, BOOL_NAME)) return Type.BOOL;
        if (this.isBytes(start, end, NULL_NAME)) return Type.NULL;
      }
    }
    const name = JSON.parse(this.decode(start, end)) as string;
    const type = Object.hasOwn(TYPES, name) ? TYPES[name] : undefined;
    if (type === undefined) throw unknownTypeError(name);
    return type;
  }

  private binary(): void {
    this.put(BINARY_OPEN);
    this.string();
    this.byte(CLOSE_BRACE);
  }

  private set(element: () => void): void {
    this.put(SET_OPEN);
    this.list(element);
    this.put(SET_CLOSE);
  }

  /** The elements of `[a, b, ...]`, each by `element`, with commas between. */
  private list(element: () => void): void {
    this.expect(OPEN_BRACKET);
    if (this.ends(CLOSE_BRACKET)) return;
    do element();
    while (this.next(CLOSE_BRACKET) && this.byte(COMMA));
  }

  private bool(): boolean {
    this.ws();
    if (this.isBytes(this.i, this.i + 4, TRUE)) {
      this.i += 4;
      return true;
    }
    if (this.isBytes(this.i, this.i + 5, FALSE)) {
      this.i += 5;
      return false;
    }
    return this.fail('expected true or false');
  }

  /** A JSON string, written as JSON.stringify writes it. */
  private string(): void {
    this.ws();
    const b = this.b;
    const start = this.i;
    if (b[start] !== QUOTE) this.fail('expected a string');
    const n = b.length;
    // Copied while it is read, when the output has room for the rest of the body (no string is
    // longer); it has, unless the output grew past the body (sets and binary values are written
    // longer): then, and for a string with an escape, it is read first and then written.
    if (this.o + (n - start) <= this.out.length) {
      const out = this.out;
      let o = this.o;
      out[o++] = QUOTE;
      for (let j = start + 1; j < n; j++) {
        const c = b[j] as number;
        if (c === BACKSLASH) break;
        out[o++] = c;
        if (c === QUOTE) {
          this.i = j + 1;
          this.o = o;
          return;
        }
      }
    }
    const end = this.stringEnd();
    if (!this.escaped) this.copy(start, end);
    else this.putText(JSON.stringify(JSON.parse(this.decode(start, end))));
  }

  /** A number (a JSON string of digits), written as a JSON number. */
  private number(): void {
    this.ws();
    const start = this.i;
    const end = this.stringEnd();
    if (!this.escaped && isJsonNumber(this.b, start + 1, end - 1)) this.copy(start + 1, end - 1);
    else this.putText(rawNumberText(JSON.parse(this.decode(start, end)) as string));
  }

  /** Past the JSON string at the cursor; returns its end (after the closing quote). */
  private stringEnd(): number {
    const b = this.b;
    let j = this.i;
    if (b[j] !== QUOTE) this.fail('expected a string');
    let escaped = false;
    const n = b.length;
    for (j++; j < n; j++) {
      const c = b[j];
      if (c === QUOTE) {
        this.escaped = escaped;
        this.i = j + 1;
        return j + 1;
      }
      if (c === BACKSLASH) {
        escaped = true;
        j++;
      }
    }
    return this.fail('unterminated string');
  }

  /** Past one JSON value of any kind. */
  private skip(): void {
    const b = this.b;
    let depth = 0;
    do {
      this.ws();
      const c = b[this.i];
      if (c === undefined) this.fail('unexpected end');
      if (c === QUOTE) {
        this.stringEnd();
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
      else if (depth === 0) {
        // A number or a literal at the top: up to the next delimiter.
        while (this.i < b.length && !isDelimiter(b[this.i] as number)) this.i++;
        return;
      }
      this.i++;
    } while (depth > 0);
  }

  private ws(): void {
    const b = this.b;
    while (isJsonSpace(b[this.i])) this.i++;
  }

  private expect(code: number): void {
    this.ws();
    if (this.b[this.i] !== code) this.fail(`expected '${String.fromCharCode(code)}'`);
    this.i++;
  }

  /** At `close` (an empty object or array): step past it. */
  private ends(close: number): boolean {
    this.ws();
    if (this.b[this.i] !== close) return false;
    this.i++;
    return true;
  }

  /** After an element: true at a comma (another follows), false past `close`. */
  private next(close: number): boolean {
    this.ws();
    const c = this.b[this.i++];
    if (c === COMMA) return true;
    if (c === close) return false;
    return this.fail(`expected ',' or '${String.fromCharCode(close)}'`);
  }

  private isBytes(start: number, end: number, bytes: Buffer): boolean {
    if (end - start !== bytes.length || end > this.b.length) return false;
    for (let k = 0; k < bytes.length; k++) if (this.b[start + k] !== bytes[k]) return false;
    return true;
  }

  private decode(start: number, end: number): string {
    return Buffer.from(this.b.buffer, this.b.byteOffset + start, end - start).toString('utf8');
  }

  private room(n: number): void {
    if (this.o + n <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.o + n));
    this.out.copy(bigger, 0, 0, this.o);
    this.out = bigger;
  }

  /** Write one byte; true, to chain in conditions. */
  private byte(c: number): true {
    this.room(1);
    this.out[this.o++] = c;
    return true;
  }

  private put(bytes: Buffer): void {
    this.room(bytes.length);
    for (let k = 0; k < bytes.length; k++) this.out[this.o++] = bytes[k] as number;
  }

  private putText(text: string): void {
    this.put(Buffer.from(text, 'utf8'));
  }

  private copy(start: number, end: number): void {
    const n = end - start;
    this.room(n);
    const { b, out } = this;
    if (n > 48) out.set(b.subarray(start, end), this.o);
    else for (let k = start; k < end; k++) out[this.o + k - start] = b[k] as number;
    this.o += n;
  }

  private fail(why: string): never {
    throw new DdbError('input.json', {
      message: `The engine's response is not DynamoDB JSON at byte ${this.i}: ${why}`,
    });
  }
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isJsonSpace(c);
}

const isDigit = (c: number | undefined) => c !== undefined && c >= 48 && c <= 57;

/** Whether bytes [start, end) are a number as JSON writes it: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function isJsonNumber(b: Uint8Array, start: number, end: number): boolean {
  let k = start;
  if (b[k] === 45) k++;
  if (b[k] === 48) k++;
  else if (isDigit(b[k])) while (k < end && isDigit(b[k])) k++;
  else return false;
  if (k < end && b[k] === 46) {
    k++;
    if (!(k < end && isDigit(b[k]))) return false;
    while (k < end && isDigit(b[k])) k++;
  }
  if (k < end && (b[k] === 101 || b[k] === 69)) {
    k++;
    if (k < end && (b[k] === 43 || b[k] === 45)) k++;
    if (!(k < end && isDigit(b[k]))) return false;
    while (k < end && isDigit(b[k])) k++;
  }
  return k === end;
}
