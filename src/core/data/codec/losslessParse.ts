/**
 * lossless-json's `parse`, the same values, in time and memory linear in the text.
 *
 * lossless-json builds each string a character at a time (`result += text[i]`): a string of 7 MB
 * is 7 million concatenations, and its parse of a line of that size spent 80% of its time in the
 * garbage collector (batch-write of 30 such lines: 18 s, 1.3 GB). Here a string is one slice of the
 * text (JSON.parse of its literal when it holds an escape), everything else as lossless-json does:
 * numbers as LosslessNumber, its whitespace, keywords and nesting.
 *
 * Only well-formed text is read here (a key given twice is compared and kept or refused as
 * lossless-json does, in its words); anything else (a syntax error) is handed to lossless-json
 * itself, so values and error messages are always exactly its own; but for a text of megabytes,
 * whose syntax error is said here ("Invalid JSON at position N").
 */
import { LosslessNumber, parse } from 'lossless-json';

/** Thrown by the fast reader: lossless-json reads the text instead. */
const ASIDE = Symbol('ddbctl.losslessAside');

/** lossless-json's `parse(text)` (no reviver, LosslessNumber numbers). */
export function parseLossless(text: string): unknown {
  const reader = new Reader(text);
  try {
    return reader.all();
  } catch (e) {
    // NOTE: past LARGE, lossless-json's character-at-a-time reading would take seconds and a GB for
    // its message alone: the error is said here, with where it is (its words differ).
    if (text.length > LARGE && (e === ASIDE || e instanceof RangeError)) {
      if (e instanceof RangeError) throw e;
      throw new SyntaxError(`Invalid JSON at position ${reader.at}`);
    }
    // A nesting too deep for this reader's stack: lossless-json's own may still read it.
    if (e !== ASIDE && !(e instanceof RangeError)) throw e;
    return parse(text);
  }
}

/** Texts longer than this (characters) are not handed to lossless-json for a syntax error's words. */
const LARGE = 1 << 20;

/** lossless-json's own equality of two parsed values (its duplicate keys), which it does not export. */
function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => isDeepEqual(x, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].every((k) => isDeepEqual(x[k], y[k]));
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

class Reader {
  private i = 0;

  constructor(private readonly text: string) {}

  /** Where reading stopped (at a syntax error: at or just before it). */
  get at(): number {
    return this.i;
  }

  all(): unknown {
    const value = this.value();
    if (this.i !== this.text.length) throw ASIDE;
    return value;
  }

  private ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.i);
    while (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) c = t.charCodeAt(++this.i);
  }

  private value(): unknown {
    this.ws();
    const t = this.text;
    const c = t.charCodeAt(this.i);
    let v: unknown;
    if (c === QUOTE) v = this.string();
    else if (c === 0x7b) v = this.object();
    else if (c === 0x5b) v = this.array();
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) v = this.number();
    else if (t.startsWith('true', this.i)) v = this.word(4, true);
    else if (t.startsWith('false', this.i)) v = this.word(5, false);
    else if (t.startsWith('null', this.i)) v = this.word(4, null);
    else throw ASIDE;
    this.ws();
    return v;
  }

  private word<T>(length: number, v: T): T {
    this.i += length;
    return v;
  }

  private string(): string {
    const t = this.text;
    const start = this.i + 1;
    let escaped = false;
    let j = start;
    for (;;) {
      const c = t.charCodeAt(j);
      if (c === QUOTE) break;
      // NaN: the text ended inside the string.
      if (!(c >= 0x20)) {
        this.i = j;
        throw ASIDE;
      }
      if (c === BACKSLASH) {
        escaped = true;
        j++;
      }
      j++;
    }
    this.i = j + 1;
    if (!escaped) return t.slice(start, j);
    try {
      return JSON.parse(t.slice(start - 1, j + 1)) as string;
    } catch {
      throw ASIDE;
    }
  }

  private number(): LosslessNumber {
    const t = this.text;
    const start = this.i;
    let j = start;
    const digits = () => {
      const from = j;
      let c = t.charCodeAt(j);
      while (c >= 0x30 && c <= 0x39) c = t.charCodeAt(++j);
      if (j === from) throw ASIDE;
    };
    if (t.charCodeAt(j) === 0x2d) j++;
    if (t.charCodeAt(j) === 0x30) j++;
    else digits();
    if (t.charCodeAt(j) === 0x2e) {
      j++;
      digits();
    }
    const e = t.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      j++;
      const sign = t.charCodeAt(j);
      if (sign === 0x2b || sign === 0x2d) j++;
      digits();
    }
    this.i = j;
    return new LosslessNumber(t.slice(start, j));
  }

  private array(): unknown[] {
    const t = this.text;
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      const c = t.charCodeAt(this.i++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) throw ASIDE;
    }
  }

  private object(): Record<string, unknown> {
    const t = this.text;
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (t.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (t.charCodeAt(this.i) !== QUOTE) throw ASIDE;
      const start = this.i;
      const key = this.string();
      this.ws();
      if (t.charCodeAt(this.i++) !== 0x3a) throw ASIDE;
      const v = this.value();
      // A key given twice: lossless-json keeps the later when both values are equal, else refuses
      // it (its words; read here, not handed over: a line of megabytes would be read again slowly).
      if (Object.hasOwn(out, key) && !isDeepEqual(v, out[key])) {
        throw new SyntaxError(`Duplicate key '${key}' encountered at position ${start + 1}`);
      }
      // As lossless-json (and JSON.parse): "__proto__" is an own member, not the prototype.
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      } else out[key] = v;
      const c = t.charCodeAt(this.i++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) throw ASIDE;
    }
  }
}
