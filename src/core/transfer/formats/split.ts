/**
 * Splitters: byte-level state machines that cut a stream of chunks into records without decoding
 * it. They work on bytes because offsets must be exact byte positions, and because every byte
 * they look at (LF, CR, quote, comma, backslash, brackets) is ASCII, which in UTF-8 never occurs
 * inside a multi-byte character: a chunk that splits a character, a CRLF or a JSON string needs
 * no special case.
 *
 * A splitter holds at most the current record (capped by `maxRecordBytes`) plus views into the
 * current chunk. Records that start before `skipUntil` are scanned (to keep the line count and
 * the quoting state right) but neither stored nor emitted: that is how a resume skips the part of
 * the input already imported.
 */
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  CR,
  LF,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  SPACE,
  TAB,
} from '../../util/bytes.js';
import { count } from '../../util/plural.js';

/** One record as cut from the input, before any decoding. */
export interface RawRecord {
  /** 1-based line of the record's first byte. */
  line: number;
  /** Absolute byte offset just after the record (and its terminator). */
  offset: number;
  /** The record's bytes, without its terminator; undefined when the record was too large. */
  bytes?: Buffer;
  /** The first bytes of a record that was too large (for the reject's `raw`). */
  prefix?: Buffer;
  /** A structural error the splitter found (unterminated quote, unclosed array, ...). */
  error?: string;
}

export interface Splitter {
  push(chunk: Buffer): Generator<RawRecord>;
  end(): Generator<RawRecord>;
}

export interface SplitterOptions {
  /** Absolute offset of the first byte the splitter will see (a dropped byte order mark). */
  startPos: number;
  /** Records starting before this absolute offset are skipped. */
  skipUntil: number;
  /** Larger records become rejects and are not held in memory. */
  maxRecordBytes: number;
}

const PREFIX_BYTES = 1024;

/** Collects the bytes of the current record, up to a limit past which it keeps only a prefix. */
class Collector {
  private parts: Buffer[] = [];
  private size = 0;
  private oversize = false;
  private prefix: Buffer | undefined;

  constructor(private readonly max: number) {}

  add(chunk: Buffer, from: number, to: number): void {
    if (to <= from || this.oversize) return;
    this.size += to - from;
    this.parts.push(chunk.subarray(from, to));
    if (this.size > this.max) {
      this.prefix = Buffer.concat(this.parts).subarray(0, Math.min(PREFIX_BYTES, this.max));
      this.parts = [];
      this.oversize = true;
    }
  }

  /** The record so far as one Buffer, and reset for the next record. */
  take(): Pick<RawRecord, 'bytes' | 'prefix' | 'error'> {
    let out: Pick<RawRecord, 'bytes' | 'prefix' | 'error'>;
    if (this.oversize) {
      out = {
        prefix: Buffer.from(this.prefix ?? Buffer.alloc(0)),
        error: `the record is larger than ${count(this.max)} bytes, which no DynamoDB item needs (an item is at most 400 KB); it was not read whole`,
      };
    } else {
      out = { bytes: this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts) };
    }
    this.parts = [];
    this.size = 0;
    this.oversize = false;
    this.prefix = undefined;
    return out;
  }

  reset(): void {
    this.parts = [];
    this.size = 0;
    this.oversize = false;
    this.prefix = undefined;
  }
}

function isBlank(bytes: Buffer | undefined): boolean {
  if (bytes === undefined) return false;
  for (const b of bytes) if (b !== SPACE && b !== TAB && b !== CR) return false;
  return true;
}

/** One record per LF-terminated line (ndjson, ddb-json). Blank lines are not records. */
export class LineSplitter implements Splitter {
  private pos: number;
  private line = 1;
  private inRecord = false;
  private keep = false;
  private startLine = 1;
  private readonly col: Collector;

  constructor(private readonly opts: SplitterOptions) {
    this.pos = opts.startPos;
    this.col = new Collector(opts.maxRecordBytes);
  }

  *push(chunk: Buffer): Generator<RawRecord> {
    const base = this.pos;
    this.pos += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (!this.inRecord) {
        this.inRecord = true;
        this.startLine = this.line;
        this.keep = base + i >= this.opts.skipUntil;
      }
      const nl = chunk.indexOf(LF, i);
      const to = nl === -1 ? chunk.length : nl;
      if (this.keep) this.col.add(chunk, i, to);
      if (nl === -1) break;
      this.inRecord = false;
      this.line++;
      i = nl + 1;
      if (this.keep) {
        const rec = this.col.take();
        if (!isBlank(rec.bytes)) yield { line: this.startLine, offset: base + i, ...rec };
      }
    }
  }

  *end(): Generator<RawRecord> {
    if (this.inRecord && this.keep) {
      this.inRecord = false;
      const rec = this.col.take();
      if (!isBlank(rec.bytes)) yield { line: this.startLine, offset: this.pos, ...rec };
    }
  }
}

// CSV states (RFC 4180): where the scanner is within the current field.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just after a quote inside a quoted field: either the closing quote or the first of "". */
const QUOTE_IN_QUOTED = 3;

/**
 * CSV records: a record ends at an LF outside quotes, so quoted fields may hold newlines. The
 * record's bytes include a CR before the LF, if any (the field parser drops it). The first
 * non-blank record (the header) is always kept, whatever `skipUntil` says.
 */
export class CsvSplitter implements Splitter {
  private pos: number;
  private line = 1;
  private inRecord = false;
  private keep = false;
  private headerPending = true;
  private startLine = 1;
  private state = FIELD_START;
  private quoteLine = 0;
  private readonly col: Collector;

  constructor(private readonly opts: SplitterOptions) {
    this.pos = opts.startPos;
    this.col = new Collector(opts.maxRecordBytes);
  }

  *push(chunk: Buffer): Generator<RawRecord> {
    const base = this.pos;
    this.pos += chunk.length;
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (!this.inRecord) {
        this.inRecord = true;
        this.startLine = this.line;
        this.keep = this.headerPending || base + i >= this.opts.skipUntil;
        this.state = FIELD_START;
        from = i;
      }
      const b = chunk[i]!;
      if (b === LF) this.line++;
      switch (this.state) {
        case QUOTED:
          if (b === QUOTE) this.state = QUOTE_IN_QUOTED;
          continue;
        case QUOTE_IN_QUOTED:
          if (b === QUOTE) {
            this.state = QUOTED;
            continue;
          }
          break;
        case FIELD_START:
          if (b === QUOTE) {
            this.state = QUOTED;
            this.quoteLine = this.line;
            continue;
          }
          break;
      }
      // Outside quotes (FIELD_START, UNQUOTED, or just after a closing quote).
      if (b === COMMA) this.state = FIELD_START;
      else if (b === LF) {
        if (this.keep) this.col.add(chunk, from, i);
        this.inRecord = false;
        if (this.keep) {
          const rec = this.col.take();
          if (!isBlank(rec.bytes)) {
            this.headerPending = false;
            yield { line: this.startLine, offset: base + i + 1, ...rec };
          }
        }
      } else {
        // NOTE: after a closing quote too: text there is taken literally up to the next comma,
        // as parseCsvFields does, so a stray quote in it does not open a quoted field.
        this.state = UNQUOTED;
      }
    }
    if (this.inRecord && this.keep) this.col.add(chunk, from, chunk.length);
  }

  *end(): Generator<RawRecord> {
    if (!this.inRecord || !this.keep) return;
    this.inRecord = false;
    const rec = this.col.take();
    if (isBlank(rec.bytes)) return;
    this.headerPending = false;
    const error =
      this.state === QUOTED
        ? `a quoted field opened on line ${this.quoteLine} is not closed at the end of the input; double a quote inside a quoted field ("")`
        : rec.error;
    yield { line: this.startLine, offset: this.pos, ...rec, ...(error === undefined ? {} : { error }) };
  }
}

// JSON array states.
const BEFORE_ARRAY = 0;
const BEFORE_ELEMENT = 1;
const IN_ELEMENT = 2;
const AFTER_ARRAY = 3;

/**
 * The elements of one top-level JSON array, split by tracking nesting depth, strings and escapes;
 * each element is parsed on its own later. An element ends at a comma or the closing bracket at
 * depth 0, and its offset is just after that comma or bracket. Malformed elements (unbalanced,
 * two values without a comma) become one reject and the scan goes on. The input must start with
 * `[`: anything else throws, since the rest could not be split reliably.
 */
export class JsonArraySplitter implements Splitter {
  private pos: number;
  private line = 1;
  private state = BEFORE_ARRAY;
  private keep = false;
  private startLine = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private junk: { line: number; keep: boolean; prefix: Buffer } | undefined;
  private readonly col: Collector;

  constructor(
    private readonly opts: SplitterOptions,
    private readonly notAnArray: (line: number, found: string) => Error,
  ) {
    this.pos = opts.startPos;
    this.col = new Collector(opts.maxRecordBytes);
  }

  *push(chunk: Buffer): Generator<RawRecord> {
    const base = this.pos;
    this.pos += chunk.length;
    let from = 0;
    if (this.junk !== undefined) {
      this.addJunk(chunk, 0);
      return;
    }
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.state === IN_ELEMENT) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (b === BACKSLASH) this.escaped = true;
          else if (b === QUOTE) this.inString = false;
          else if (b === LF) this.line++;
          continue;
        }
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
        else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && this.depth > 0) this.depth--;
        else if (b === LF) this.line++;
        else if (this.depth === 0 && (b === COMMA || b === CLOSE_BRACKET)) {
          this.state = b === COMMA ? BEFORE_ELEMENT : AFTER_ARRAY;
          if (this.keep) {
            this.col.add(chunk, from, i);
            yield { line: this.startLine, offset: base + i + 1, ...this.col.take() };
          }
        }
        continue;
      }
      if (b === LF) {
        this.line++;
        continue;
      }
      if (b === SPACE || b === TAB || b === CR) continue;
      if (this.state === BEFORE_ARRAY) {
        if (b !== OPEN_BRACKET) throw this.notAnArray(this.line, String.fromCharCode(b));
        this.state = BEFORE_ELEMENT;
      } else if (this.state === BEFORE_ELEMENT) {
        if (b === CLOSE_BRACKET) this.state = AFTER_ARRAY;
        else if (b === COMMA) {
          if (base + i >= this.opts.skipUntil) {
            yield {
              line: this.line,
              offset: base + i + 1,
              bytes: Buffer.alloc(0),
              error: 'an empty array element (two commas)',
            };
          }
        } else {
          this.state = IN_ELEMENT;
          this.startLine = this.line;
          this.keep = base + i >= this.opts.skipUntil;
          this.depth = 0;
          this.inString = false;
          this.escaped = false;
          from = i;
          i--; // scan this byte again as part of the element
        }
      } else {
        // AFTER_ARRAY: text after the closing bracket is one reject, reported at the end with
        // its first bytes; the rest of the input is not scanned.
        this.junk = { line: this.line, keep: base + i >= this.opts.skipUntil, prefix: Buffer.alloc(0) };
        this.addJunk(chunk, i);
        return;
      }
    }
    if (this.state === IN_ELEMENT && this.keep) this.col.add(chunk, from, chunk.length);
  }

  private addJunk(chunk: Buffer, from: number): void {
    const junk = this.junk!;
    const room = Math.min(PREFIX_BYTES, this.opts.maxRecordBytes) - junk.prefix.length;
    if (room > 0) junk.prefix = Buffer.concat([junk.prefix, chunk.subarray(from, from + room)]);
  }

  *end(): Generator<RawRecord> {
    const unclosed = 'the input ended before the closing "]" of the JSON array (a truncated file?)';
    if (this.state === IN_ELEMENT) {
      if (this.keep) yield { line: this.startLine, offset: this.pos, ...this.col.take(), error: unclosed };
    } else if (this.state === BEFORE_ELEMENT && this.pos > this.opts.skipUntil) {
      // NOTE: this reject has no bytes of its own; a resume from the offset of the element
      // before it (the end of the input) does not report it again.
      yield { line: this.line, offset: this.pos, bytes: Buffer.alloc(0), error: unclosed };
    } else if (this.junk?.keep) {
      yield {
        line: this.junk.line,
        offset: this.pos,
        bytes: this.junk.prefix,
        error:
          'unexpected text after the closing "]" of the JSON array; a .json file holds one array of items',
      };
    }
    this.col.reset();
  }
}
