/**
 * readItems: a stream of bytes in one of the formats → a stream of records, each an item or a
 * reject, with its exact line and the byte offset to resume after it. Memory stays constant:
 * one record (at most `maxRecordBytes`) plus one chunk.
 */

import { isLosslessNumber } from 'lossless-json';
import {
  DDB_TYPES,
  fromDdbJson,
  fromDdbJsonParsed,
  fromPlainItem,
  type Item,
  parseLosslessJson,
} from '../../data/codec.js';
import { type KeySchema, keyNames } from '../../data/keySchema.js';
import { DdbError } from '../../errors.js';
import { utf8Text } from '../../util/bytes.js';
import { CheckedItem, type CheckedText, readPlainItem } from '../../wire/plainItem.js';
import { type CsvType, normalizeTypes, parseCsvFields, readCsvHeader, rowToItem } from './csv.js';
import { FORMATS, type Format, isFormat } from './format.js';
import { type ByteInput, gunzip, isGzip, peek, stripBom, toBuffers } from './source.js';
import {
  CsvSplitter,
  JsonArraySplitter,
  LineSplitter,
  type RawRecord,
  type Splitter,
  type SplitterOptions,
} from './split.js';

/** One record of the input: an item, or a reject (`error`) after which reading goes on. */
export interface ReadRecord {
  /** 1-based line where the record starts (CSV records and JSON elements may span lines). */
  line: number;
  /**
   * Byte offset just after this record (and its terminator: LF, or the comma / bracket after a
   * JSON array element) in the decompressed input. Pass it as `startOffset` to resume with the
   * next record.
   */
  offset: number;
  /** The item, when the record parsed. */
  item?: Item;
  /**
   * Plain JSON records in the common shape: the item's DynamoDB JSON text and sizes, read with the
   * item in one pass and already checked against DynamoDB's limits (readPlainItem). importItems
   * sends this text as it is: drop it if you change `item`.
   */
  checked?: CheckedText;
  /** Why the record is a reject (without the line number, which is in `line`). */
  error?: string;
  /** The record's text, for rejects only (the first 1 KiB when it was too large). */
  raw?: string;
  /**
   * A record that is not UTF-8: its bytes exactly, in base64 (`raw` holds U+FFFD in place of the
   * bytes that are not UTF-8, which cannot be told back from them).
   */
  rawBase64?: string;
  /**
   * What to add to the reason should the item be rejected later (a missing key): a plain-JSON
   * item that looks like DynamoDB JSON was most likely read in the wrong format.
   */
  hint?: string;
}

export interface ReadOptions {
  format: Format;
  /**
   * CSV only: column types, `{age: 'N', active: 'BOOL', tags: 'JSON'}` (see parseTypes); columns
   * not named are strings. Naming a column the header lacks throws usage.invalid.
   */
  types?: Record<string, string>;
  /** Decompress gzip: true, false, or 'auto' (default) = when the input starts with 1f 8b. */
  gzip?: boolean | 'auto';
  /**
   * Resume: skip records that start before this byte offset of the decompressed input (take it
   * from a ReadRecord's `offset`). The bytes are still scanned, so line numbers stay exact; a
   * CSV header is still read. Default 0.
   */
  startOffset?: number;
  /**
   * A record larger than this is a reject and is never held whole in memory, so a file without
   * newlines cannot exhaust it. Default 8 MiB: a DynamoDB item is at most 400 KB, and its JSON
   * text can be several times larger (base64 binary, \u escapes).
   */
  maxRecordBytes?: number;
  /**
   * The table's key. CSV: its attributes the header must name (a header without one stops the
   * import at the header, input.file, rather than rejecting every row for its missing key). Plain
   * JSON (ndjson, json): records in the common shape carry in `checked.key` the values of the
   * attributes that key the table and its indexes, and their `item` is made from their text only
   * when first read (an import sends the text and checks the key: making every item was a third of
   * reading's CPU). Such a record's `item` is a getter: a copy made by spreading the record, or its
   * JSON, has none; read `record.item` itself.
   */
  key?: KeySchema;
}

const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * Read items from `input` (a Node readable stream or any async iterable of Buffers / strings).
 * Bad options throw usage.invalid at once; a malformed record becomes a reject record; input that
 * cannot be read at all (corrupt gzip, a .json file that is not an array, a bad CSV header)
 * throws input.file from the iteration.
 */
export function readItems(input: ByteInput, opts: ReadOptions): AsyncIterable<ReadRecord> {
  const batches = readItemBatches(input, opts);
  return (async function* () {
    for await (const batch of batches) yield* batch;
  })();
}

/**
 * `readItems`, in arrays of records (never an empty one, at most BATCH_RECORDS, none spanning two
 * chunks of input): the same records in the same order, with one await per array rather than one
 * per record. Import reads this way.
 */
export function readItemBatches(input: ByteInput, opts: ReadOptions): AsyncIterable<ReadRecord[]> {
  const checked = checkOptions(opts);
  return readBatches(input, checked, (sopts) => forFormat(checked.format, sopts, checked.types, opts.key));
}

/** One line of `readLines`: what `parse` made of it, or why it is a reject. */
export interface LineRecord<T> {
  /** 1-based line number. */
  line: number;
  /** What `parse` returned (undefined: nothing on this line, as `parse` decided). */
  value?: T;
  /** Why the line is a reject: `parse` threw this message, or the line is no UTF-8 text. */
  error?: string;
  /** The line is not valid UTF-8 text (`error` says so). */
  notUtf8?: true;
  /** The line's text, for rejects only. */
  raw?: string;
  /** A line that is not UTF-8: its bytes exactly, in base64 (`raw` holds U+FFFD in their place). */
  rawBase64?: string;
}

/**
 * NDJSON lines, each handed to `parse` with its line number: cut and decoded as readItems' ndjson
 * (strict UTF-8, the file's byte order mark dropped, blank lines skipped), its text without the CR
 * of a CRLF. A line that is not UTF-8, or that `parse` throws on, is a reject; reading goes on.
 * For inputs whose lines are not items (batch-write's requests). One chunk and one line are held at
 * a time; `maxRecordBytes` (default 8 MiB, as for items) caps a line: a longer one is a reject,
 * never held whole (a line of hundreds of MB ran a batch-write out of memory).
 */
export function readLines<T>(
  input: ByteInput,
  parse: (text: string, line: number) => T | undefined,
  opts: Pick<ReadOptions, 'gzip' | 'maxRecordBytes'> = {},
): AsyncIterable<LineRecord<T>> {
  const checked = checkOptions({ format: 'ndjson', ...opts });
  const batches = readBatches(input, checked, (sopts) => ({
    splitter: new LineSplitter(sopts),
    parse: (raw: RawRecord): LineRecord<T> => {
      const decoded = recordText(raw, false);
      if (decoded.reject) {
        const { line, error, raw: text, rawBase64 } = decoded.reject;
        return {
          line,
          error: error as string,
          raw: text as string,
          ...(decoded.notUtf8 ? { notUtf8: true } : {}),
          ...(rawBase64 !== undefined ? { rawBase64 } : {}),
        };
      }
      const text = decoded.text.endsWith('\r') ? decoded.text.slice(0, -1) : decoded.text;
      try {
        const value = parse(text, raw.line);
        return value === undefined ? { line: raw.line } : { line: raw.line, value };
      } catch (e) {
        return { line: raw.line, error: e instanceof Error ? e.message : String(e), raw: text };
      }
    },
  }));
  return (async function* () {
    for await (const batch of batches) yield* batch;
  })();
}

interface Checked {
  format: Format;
  types: Map<string, CsvType>;
  gzip: boolean | 'auto';
  startOffset: number;
  maxRecordBytes: number;
}

/** The options, checked (usage.invalid at once, before any reading). */
function checkOptions(opts: ReadOptions): Checked {
  if (!isFormat(opts.format)) {
    throw new DdbError('usage.invalid', {
      message: `Unknown format '${String(opts.format)}': use one of ${FORMATS.join(', ')}`,
    });
  }
  const startOffset = opts.startOffset ?? 0;
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) {
    throw new DdbError('usage.invalid', {
      message: `startOffset must be a byte offset (an integer ≥ 0), not ${startOffset}; take it from a record's offset`,
    });
  }
  const maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isSafeInteger(maxRecordBytes) || maxRecordBytes < 1) {
    throw new DdbError('usage.invalid', {
      message: `maxRecordBytes must be a positive integer, not ${maxRecordBytes}`,
    });
  }
  const types = normalizeTypes(opts.types);
  return { format: opts.format, types, gzip: opts.gzip ?? 'auto', startOffset, maxRecordBytes };
}

/**
 * Records a batch holds at most: a chunk of input (1 MiB for an import) is parsed a batch at a time,
 * as the consumer asks. NOTE: a whole chunk's records parsed at once (about 4,500 items) were alive
 * at every young-generation collection and copied by it: reading cost 9–10 µs an item, 44% of it the
 * garbage collector; with batches of 512, 5.5–6 µs (import: about 4% faster on a quiet machine,
 * 20–60% behind +10 ms on a loaded one).
 */
export const BATCH_RECORDS = 512;

/** The bytes of `input` (gunzipped when asked or sniffed, without a byte order mark), cut into records. */
async function* readBatches<R>(
  input: ByteInput,
  { gzip, startOffset, maxRecordBytes }: Pick<Checked, 'gzip' | 'startOffset' | 'maxRecordBytes'>,
  reader: (sopts: SplitterOptions) => { splitter: Splitter; parse: (raw: RawRecord) => R | undefined },
): AsyncGenerator<R[]> {
  let bytes: AsyncIterable<Buffer> = toBuffers(input);
  if (gzip !== false) {
    const { head, all } = await peek(bytes, 2);
    bytes = gzip === true || isGzip(head) ? gunzip(all) : all;
  }
  const { dropped, rest } = await stripBom(bytes);
  const sopts: SplitterOptions = { startPos: dropped, skipUntil: startOffset, maxRecordBytes };
  const { splitter, parse } = reader(sopts);
  let out: R[] = [];
  // NOTE: emptied before it is yielded: a fault while the consumer holds a batch must not send it again.
  const take = (): R[] => {
    const batch = out;
    out = [];
    return batch;
  };
  try {
    for await (const chunk of rest) {
      for (const raw of splitter.push(chunk)) {
        const rec = parse(raw);
        if (rec) out.push(rec);
        if (out.length >= BATCH_RECORDS) yield take();
      }
      if (out.length) yield take();
    }
    for (const raw of splitter.end()) {
      const rec = parse(raw);
      if (rec) out.push(rec);
    }
  } catch (e) {
    // The records before a fault of the input still go out, as they would one by one.
    if (out.length) yield out;
    throw e;
  }
  if (out.length) yield out;
}

type Parse = (raw: RawRecord) => ReadRecord | undefined;

function forFormat(
  format: Format,
  sopts: SplitterOptions,
  types: Map<string, CsvType>,
  key?: KeySchema,
): { splitter: Splitter; parse: Parse } {
  switch (format) {
    case 'ndjson':
    case 'json': {
      const names = key
        ? [...new Set([...keyNames(key), ...(key.indexKeys ?? []).map((k) => k.name)])]
        : undefined;
      const plain = (text: string) => parsePlainItem(text, names);
      const json = format === 'json';
      return {
        splitter: json ? new JsonArraySplitter(sopts, notAnArray) : new LineSplitter(sopts),
        parse: (raw) => withDdbJsonHint(toRecord(raw, plain, json)),
      };
    }
    case 'ddb-json':
      return { splitter: new LineSplitter(sopts), parse: (raw) => toRecord(raw, parseDdbJsonLine) };
    case 'csv':
      return { splitter: new CsvSplitter(sopts), parse: csvParser(types, key) };
  }
}

/** A record's text, decoded strictly as UTF-8; or the reject it makes (too large, not UTF-8, split badly). */
function recordText(
  raw: RawRecord,
  json: boolean,
): { text: string; reject?: undefined } | { reject: ReadRecord; notUtf8?: boolean } {
  const at = { line: raw.line, offset: raw.offset };
  if (raw.bytes === undefined) {
    return {
      reject: {
        ...at,
        error: raw.error ?? 'the record is too large',
        raw: (raw.prefix ?? Buffer.alloc(0)).toString('utf8'),
      },
    };
  }
  // NOTE: strict, so invalid UTF-8 is a reject instead of silently becoming U+FFFD; a record that
  // starts with U+FEFF keeps it (the file's own mark is dropped by stripBom).
  const text = utf8Text(raw.bytes);
  if (text === undefined) {
    return {
      reject: {
        ...at,
        error: 'the record is not valid UTF-8 text; save the file as UTF-8',
        raw: rawText(raw.bytes.toString('utf8'), json),
        rawBase64: raw.bytes.toString('base64'),
      },
      notUtf8: true,
    };
  }
  if (raw.error !== undefined) return { reject: { ...at, error: raw.error, raw: rawText(text, json) } };
  return { text };
}

/** Decode and parse one record; any failure becomes a reject record. */
function toRecord(raw: RawRecord, parse: (text: string) => Item | CheckedItem, json = false): ReadRecord {
  const decoded = recordText(raw, json);
  if (decoded.reject) return decoded.reject;
  const text = decoded.text;
  try {
    const parsed = parse(text);
    if (parsed instanceof CheckedItem) {
      if (parsed.key) return new KeyedRecord(raw.line, raw.offset, parsed);
      return { line: raw.line, offset: raw.offset, item: parsed.item, checked: parsed };
    }
    return { line: raw.line, offset: raw.offset, item: parsed };
  } catch (e) {
    return {
      line: raw.line,
      offset: raw.offset,
      error: e instanceof Error ? e.message : String(e),
      raw: rawText(text, json),
    };
  }
}

/**
 * A plain-JSON record whose item looks like DynamoDB JSON (`{"Item": {...}}`, or every attribute a
 * typed value such as `{"S": "x"}`) carries a hint for its reject reason: such an item is stored
 * as it stands when the table's key lets it, so it is no error by itself.
 */
function withDdbJsonHint(record: ReadRecord): ReadRecord {
  // Not every value a map: neither an envelope nor typed values (and no item made to find that).
  if (record.checked instanceof CheckedItem && !record.checked.allMaps) return record;
  const item = record.item;
  if (item === undefined) return record;
  const names = Object.keys(item);
  const inner = item.Item;
  const typed = (m: Record<string, unknown>) => {
    const values = Object.values(m);
    return values.length > 0 && values.every(isAttributeValue);
  };
  const looksTyped =
    (names.length === 1 && names[0] === 'Item' && isPlainObject(inner) && typed(inner)) || typed(item);
  if (!looksTyped) return record;
  record.hint =
    'the line looks like DynamoDB JSON ({"S": ...} values or an {"Item": ...} envelope): import it with --format ddb-json (or name the file .ddb-json)';
  return record;
}

/**
 * A plain-JSON item: the one-pass reader's, or the general path's (same item, or the precise error).
 * With `keyNames`, the reader's makes no item (CheckedItem's `key`).
 */
function parsePlainItem(text: string, keyNames?: readonly string[]): Item | CheckedItem {
  return readPlainItem(text, keyNames) ?? fromPlainItem(parseLosslessJson(text, 'item'), 'item');
}

/**
 * A record read with the table's key (ReadOptions' `key`): its item is made from its text the
 * first time `item` is read. NOTE: `item` is a getter: a copy made by spreading has none.
 */
class KeyedRecord implements ReadRecord {
  hint?: string;
  constructor(
    readonly line: number,
    readonly offset: number,
    readonly checked: CheckedItem,
  ) {}
  get item(): Item {
    return this.checked.item;
  }
}

/** A reject's text without its line's CR; a JSON element without the whitespace around it. */
function rawText(text: string, json: boolean): string {
  if (json) return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function notAnArray(line: number, found: string): DdbError {
  return new DdbError('input.file', {
    message:
      `Line ${line}: expected a JSON array ("[") but found '${found}'. For one item per line use the ndjson format ` +
      '(.ndjson, .jsonl); for a DynamoDB export to S3 use ddb-json',
  });
}

/**
 * A ddb-json line: `{"Item": {...}}` as DynamoDB's export to S3 writes it, or a bare item. A bare
 * item whose only attribute is named Item is told apart by its value, which is one attribute
 * value (`{"M": ...}`), not a map of them. Values are checked as every DynamoDB-JSON input is
 * (codec's fromDdbJson).
 */
export function parseDdbJsonLine(text: string): Item {
  // NOTE: numbers in DynamoDB JSON are strings ({"N": "1.5"}), so the fast JSON.parse loses
  // nothing; only a line with a bare number ({"N": 1.5}) is parsed again losslessly.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = parseLosslessJson(text, 'item'); // throws, with lossless-json's clearer message
  }
  return (
    fromDdbJsonParsed(attributesOf(value), '') ??
    fromDdbJson(attributesOf(parseLosslessJson(text, 'item')), '')
  );
}

/** The attributes of a line: the export envelope's `Item`, or the line itself. */
function attributesOf(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) {
    throw new DdbError('input.json', {
      message: 'item: expected DynamoDB JSON such as {"username":{"S":"ada"}}',
    });
  }
  const keys = Object.keys(value);
  const inner = value.Item;
  // NOTE: also an envelope when one of its values is bad ({"S": "x", "N": "1"}), so the error names
  // that attribute; `Item` is a bare item's attribute only when its value is one attribute value.
  const envelope =
    keys.length === 1 &&
    keys[0] === 'Item' &&
    isPlainObject(inner) &&
    (Object.values(inner).every(isAttributeValue) ||
      (!isAttributeValue(inner) && Object.values(inner).every(isPlainObject)));
  return envelope ? inner : value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isLosslessNumber(v);
}

function isAttributeValue(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && DDB_TYPES.has(keys[0]!);
}

/** CSV: the first record is the header (errors there throw input.file), the rest are rows. */
function csvParser(types: Map<string, CsvType>, key: KeySchema | undefined): Parse {
  let columns: string[] | undefined;
  return (raw) => {
    if (columns === undefined) {
      columns = readCsvHeader(raw, types, key);
      return undefined;
    }
    const cols = columns;
    return toRecord(raw, (text) => {
      const { fields, error } = parseCsvFields(text);
      if (error !== undefined) throw new Error(error);
      return rowToItem(fields, cols, types);
    });
  };
}
