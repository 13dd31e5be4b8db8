/**
 * createItemWriter: items → text in one of the formats, written to a stream with backpressure
 * (a write waits for 'drain' when the stream's buffer is full), so memory stays constant.
 */
import {
  fromRawItem,
  type Item,
  type RawItem,
  stringifyDdbJson,
  stringifyItem,
  stringifyRawDdbJson,
  stringifyRawItem,
} from '../../data/codec.js';
import { DdbError } from '../../errors.js';
import { type CsvType, cell, checkCellTypes, normalizeTypes, quote } from './csv.js';
import { FORMATS, type Format, isFormat } from './format.js';

export interface ItemWriter {
  /** Write one item; resolves once the stream has taken its text (its write callback ran). */
  write(item: Item): Promise<void>;
  /**
   * Turn a page of items as DynamoDB sends them into text, without writing it: a caller holding
   * pages before their turn to be written (a parallel export) holds a string, not the items. CSV
   * items that do not fit the columns are left out and listed as rejects (every other format
   * writes every item).
   */
  encodePage(items: RawItem[] | PageItems): EncodedPage;
  /** Write an encoded page, as one write; resolves once the stream has taken it. */
  writeEncoded(page: EncodedPage): Promise<void>;
  /**
   * What encodePage joins a page's plain JSON text with (ndjson, json): a caller that has the text
   * made elsewhere first (PageItems.plainTextVia) passes these; undefined for the other formats.
   */
  readonly plainSeparators: { between: string; after: string } | undefined;
  /** CSV: the columns of the header, once known (given, or the first encoded item's); else undefined. */
  readonly columns: string[] | undefined;
  /**
   * CSV: each column's type so far (given, or its first value's), the `--types` an import needs to
   * read the file back with the same types; else undefined.
   */
  readonly types: Map<string, CsvType> | undefined;
  /** Write the format's ending (json's `]`), then end the stream unless `end: false`. */
  close(): Promise<void>;
}

/**
 * A page that can give its items as attribute values or, without building them, as plain JSON
 * text (an export's Scan page read from the wire, WireScanPage).
 */
export interface PageItems {
  items(): RawItem[];
  /** The items as plain JSON (stringifyRawItem's), each followed by `after`, joined by `between`. */
  plainText(between: string, after: string): { text: Uint8Array; items: number };
}

/** A page as text (items joined, without what comes before the first item), and its rejects. */
export interface EncodedPage {
  text: string | Uint8Array;
  items: number;
  rejects: WriteReject[];
}

/** An item the writer could not write, and why. */
export interface WriteReject {
  item: Item;
  reason: string;
}

export interface WriterOptions {
  format: Format;
  /**
   * CSV only: the header, in order. Default: the first item's attribute names, in its order.
   * An item with an attribute outside the columns is never written with that attribute dropped:
   * `write` throws transfer.rejected (details: `item`, `attributes`) and writes nothing, and the
   * writer stays usable, so a caller can count it as a reject and go on. Pass every attribute
   * (key attributes first reads best) to export items of different shapes.
   */
  columns?: string[];
  /**
   * CSV only: column types (as `--types` of import, `{n: 'N'}`); a column not named takes the type
   * of the first value written in it. CSV has one type per column: an item with a value of another
   * type is rejected (transfer.rejected), as one outside the columns is.
   */
  types?: Record<string, string>;
  /**
   * End `out` on close and wait until it has flushed ('finish'). Default true; pass false for a
   * stream you do not own, such as process.stdout.
   */
  end?: boolean;
  /**
   * The output already holds items of an earlier run (a resumed export): json writes no opening
   * bracket, csv no header (pass the earlier run's `columns`).
   */
  continues?: boolean;
}

/**
 * A writer for `out`. ndjson: one item per line. json: `[\n`, items joined by `,\n`, `\n]\n`
 * (valid JSON with zero items too; one item per line). ddb-json: one `{"Item":{...}}` per line.
 * csv: a header row, then one row per item, LF line ends (see csv.ts for how values are
 * written). ndjson, json and ddb-json read back as the same items; CSV needs column types.
 */
export function createItemWriter(out: NodeJS.WritableStream, opts: WriterOptions): ItemWriter {
  if (!isFormat(opts.format)) {
    throw new DdbError('usage.invalid', {
      message: `Unknown format '${String(opts.format)}': use one of ${FORMATS.join(', ')}`,
    });
  }
  if (opts.columns !== undefined) checkColumns(opts.columns);
  const sink = new Sink(out);
  const encoder = encoderFor(opts.format, opts.columns, opts.types);
  // Whether the output holds an item: what precedes the next one is then the separator.
  let started = opts.continues ?? false;
  let closed = false;
  const open = (what: string) => {
    if (closed) throw new DdbError('internal', { message: `${what} after close(): close the writer last` });
  };
  const writeText = async (text: string | Uint8Array) => {
    const head = started ? encoder.separator : encoder.start();
    started = true;
    if (typeof text === 'string') await sink.write(head + text);
    else await sink.write(head === '' ? text : Buffer.concat([Buffer.from(head), text]));
  };
  const encodePage = (page: RawItem[] | PageItems): EncodedPage => {
    const rejects: WriteReject[] = [];
    let text = '';
    let n = 0;
    if (!Array.isArray(page) && encoder.plain) {
      const { text, items } = page.plainText(encoder.separator, encoder.plain.after);
      return { text, items, rejects };
    }
    for (const raw of Array.isArray(page) ? page : page.items()) {
      try {
        const t = encoder.raw(raw);
        text += n === 0 ? t : encoder.separator + t;
        n++;
      } catch (e) {
        if (!(e instanceof DdbError && e.code === 'transfer.rejected')) throw e;
        rejects.push({ item: (e.details as { item: Item }).item, reason: e.message });
      }
    }
    return { text, items: n, rejects };
  };
  const writeEncoded = async (page: EncodedPage) => {
    open('writeEncoded()');
    if (page.items > 0) await writeText(page.text);
  };
  return {
    async write(item) {
      open('write()');
      await writeText(encoder.item(item));
    },
    encodePage,
    writeEncoded,
    plainSeparators: encoder.plain ? { between: encoder.separator, after: encoder.plain.after } : undefined,
    get columns() {
      return encoder.columns?.();
    },
    get types() {
      return encoder.types;
    },
    async close() {
      if (closed) return;
      closed = true;
      const tail = encoder.end(started);
      if (tail !== '') await sink.write(tail);
      await sink.finish(opts.end ?? true);
    },
  };
}

/**
 * One format's text. Items are written as `start() item (separator item)* end(true)`, or
 * `end(false)` alone when there is none.
 */
interface Encoder {
  /** The text for one item (throws transfer.rejected, writing nothing, when it cannot be written). */
  item(item: Item): string;
  /** The same for an item as DynamoDB sends it. */
  raw(item: RawItem): string;
  /** Formats that write an item as its plain JSON text (stringifyRawItem's) and then `after`. */
  plain?: { after: string };
  /** Before the first item: json's `[`, csv's header (its columns are known once an item was encoded). */
  start(): string;
  separator: string;
  /** The text that ends the output; `wroteItems` says whether any item was written. */
  end(wroteItems: boolean): string;
  /** CSV: its columns, once known. */
  columns?(): string[] | undefined;
  /** CSV: its column types so far. */
  types?: Map<string, CsvType>;
}

function encoderFor(
  format: Format,
  columns: string[] | undefined,
  types: Record<string, string> | undefined,
): Encoder {
  switch (format) {
    case 'ndjson':
      return {
        item: (item) => `${stringifyItem(item)}\n`,
        raw: (item) => `${stringifyRawItem(item)}\n`,
        plain: { after: '\n' },
        start: () => '',
        separator: '',
        end: () => '',
      };
    case 'ddb-json':
      return {
        item: (item) => `{"Item":${stringifyDdbJson(item)}}\n`,
        raw: (item) => `{"Item":${stringifyRawDdbJson(item)}}\n`,
        start: () => '',
        separator: '',
        end: () => '',
      };
    case 'json':
      return {
        item: stringifyItem,
        raw: stringifyRawItem,
        plain: { after: '' },
        start: () => '[\n',
        separator: ',\n',
        end: (wrote) => (wrote ? '\n]\n' : '[\n\n]\n'),
      };
    case 'csv':
      return csvEncoder(columns, types);
  }
}

function csvEncoder(fixed: string[] | undefined, givenTypes: Record<string, string> | undefined): Encoder {
  let columns = fixed;
  const types = normalizeTypes(givenTypes);
  const given = new Set(types.keys());
  let known = new Set(columns);
  const header = (cols: string[]) => `${cols.map(quote).join(',')}\n`;
  const encode = (item: Item) => {
    if (columns === undefined) {
      // NOTE: a column given a type is a column, whether the first item has it or not (else a
      // later item with it would be rejected, its type ignored).
      const cols = Object.keys(item);
      for (const name of given) if (!Object.hasOwn(item, name)) cols.push(name);
      checkColumns(cols);
      columns = cols;
      known = new Set(cols);
    }
    const extra = Object.keys(item).filter((name) => !known.has(name));
    if (extra.length > 0) {
      throw new DdbError('transfer.rejected', {
        message:
          `The item has attributes that are not CSV columns (${extra.join(', ')}); the columns are ` +
          `${columns.join(', ')}. Pass every attribute as columns, or export as ndjson, which keeps any shape`,
        details: { item, attributes: extra },
      });
    }
    const mixed = checkCellTypes(item, columns, types, given);
    if (mixed !== undefined) {
      throw new DdbError('transfer.rejected', { message: mixed, details: { item, attributes: [] } });
    }
    return `${columns.map((name) => cell(item[name])).join(',')}\n`;
  };
  return {
    item: encode,
    raw: (item) => encode(fromRawItem(item)),
    start: () => (columns ? header(columns) : ''),
    separator: '',
    // No item: the header alone when the columns are known (a valid, empty CSV file).
    end: (wrote) => (wrote || columns === undefined ? '' : header(columns)),
    columns: () => columns,
    types,
  };
}

function checkColumns(columns: string[]): void {
  if (columns.length === 0) {
    throw new DdbError('usage.invalid', { message: 'CSV columns: name at least one column' });
  }
  const seen = new Set<string>();
  for (const name of columns) {
    if (name === '') throw new DdbError('usage.invalid', { message: 'CSV columns: a column name is empty' });
    if (seen.has(name)) {
      throw new DdbError('usage.invalid', {
        message: `CSV columns: '${name}' is named twice; name each column once`,
      });
    }
    seen.add(name);
  }
}

/** A writable stream as promises: write waits for 'drain'; an 'error' fails the next call. */
class Sink {
  private error: unknown;
  private readonly onError = (e: unknown) => {
    this.error ??= e;
  };

  constructor(private readonly out: NodeJS.WritableStream) {
    // NOTE: keeps an 'error' without another listener from crashing the process; it is rethrown.
    out.on('error', this.onError);
  }

  /** Resolves once the stream took the text (its write callback), or fails with the stream's error. */
  async write(text: string | Uint8Array): Promise<void> {
    this.check();
    await new Promise<void>((resolve, reject) => {
      this.out.write(text, (e) => {
        if (e) {
          this.onError(e);
          reject(e);
        } else resolve();
      });
    });
  }

  async finish(end: boolean): Promise<void> {
    try {
      this.check();
      if (end) {
        const done = this.waitFor('finish');
        this.out.end();
        await done;
      }
    } finally {
      this.out.off('error', this.onError);
    }
  }

  private check(): void {
    if (this.error !== undefined) throw this.error;
  }

  private waitFor(event: 'drain' | 'finish'): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (e?: unknown) => {
        this.out.off(event, onEvent);
        this.out.off('error', onFail);
        this.out.off('close', onClose);
        if (e === undefined) resolve();
        else reject(e);
      };
      const onEvent = () => settle();
      const onFail = (e: unknown) => settle(e);
      const onClose = () =>
        settle(
          this.error ??
            new DdbError('operation.aborted', { message: 'The output closed before every item was written' }),
        );
      this.out.on(event, onEvent);
      this.out.on('error', onFail);
      this.out.on('close', onClose);
    });
  }
}
