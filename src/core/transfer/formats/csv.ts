/**
 * CSV (RFC 4180) fields and cells: the header, column types, a record's text → item, and an
 * item's values → cells.
 *
 * Reading: the first non-blank row is the header (names must be unique and non-empty). Rows end
 * with LF or CRLF; quoted fields may hold commas, doubled quotes and line breaks (kept as is). A
 * quote inside an unquoted field is taken literally; text after a closing quote, an unclosed
 * quote, or a row with more or fewer fields than the header is a reject. Blank lines (empty or
 * only spaces and tabs) are skipped. Every column is a string unless `types` names it.
 * Absent and empty are told apart as PostgreSQL's COPY CSV does: an empty *unquoted* field means
 * the attribute is absent (in any column); a quoted empty field `""` is the empty string (of a
 * string column, or empty bytes of a B column; other types refuse it).
 *   N     a number in DynamoDB's syntax, kept exact (NumberValue); ` 1` or `abc` is a reject
 *   S     the text as is (the default)
 *   BOOL  exactly `true` or `false` (`TRUE` is a reject)
 *   B     base64 bytes (no spaces)
 *   NULL  exactly `null` (`""` is the empty string, which is no null: a reject)
 * Typed cells are exact, as DynamoDB JSON is: nothing is trimmed or coerced.
 *   JSON  plain JSON read by the codec: maps, lists, `{"$set": [...]}`, `{"$binary": "..."}`, ...
 *
 * Writing: scalars are written naturally (a number as its exact text, true/false, null as
 * `null`, binary as base64); maps, lists and sets as their plain JSON text. An absent attribute
 * is an empty unquoted field; an empty string is `""`. So reading an export back gives the same
 * item only with `types` naming every non-string column (N, BOOL, B, NULL, or JSON for maps,
 * lists and sets): CSV itself carries no types. Use ndjson, json or ddb-json for a lossless copy.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import {
  fromPlainValue,
  type Item,
  type ItemValue,
  isBase64,
  parseLosslessJson,
  stringifyItem,
} from '../../data/codec.js';
import { describeSchema, type KeySchema, keyNames } from '../../data/keySchema.js';
import { DdbError } from '../../errors.js';
import { utf8Text } from '../../util/bytes.js';
import type { RawRecord } from './split.js';

/** The types a CSV column can be read as. */
export const CSV_TYPES = ['N', 'S', 'BOOL', 'B', 'NULL', 'JSON'] as const;
export type CsvType = (typeof CSV_TYPES)[number];

const TYPES_EXAMPLE = "for example 'age:N,active:BOOL,tags:JSON'";

function isCsvType(t: string): t is CsvType {
  return (CSV_TYPES as readonly string[]).includes(t);
}

/**
 * Parse a column type list such as `age:N,active:BOOL` (types in any case). Throws usage.invalid
 * on bad syntax, an unknown type or a column named twice.
 */
export function parseTypes(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (spec.trim() === '') return out;
  for (const part of spec.split(',')) {
    const entry = part.trim();
    const colon = entry.lastIndexOf(':');
    const name = colon === -1 ? '' : entry.slice(0, colon).trim();
    const type =
      colon === -1
        ? ''
        : entry
            .slice(colon + 1)
            .trim()
            .toUpperCase();
    if (name === '' || type === '') {
      throw new DdbError('usage.invalid', {
        message: `Column types: '${entry}' is not name:TYPE; separate pairs with commas, ${TYPES_EXAMPLE}`,
      });
    }
    if (!isCsvType(type)) {
      throw new DdbError('usage.invalid', {
        message: `Column types: '${type}' for '${name}' is not a type; use one of ${CSV_TYPES.join(', ')}, ${TYPES_EXAMPLE}`,
      });
    }
    if (Object.hasOwn(out, name)) {
      throw new DdbError('usage.invalid', {
        message: `Column types: '${name}' is named twice; give each column one type`,
      });
    }
    out[name] = type;
  }
  return out;
}

/** Validate (and upper-case) a types map passed as an object. Throws usage.invalid. */
export function normalizeTypes(types: Record<string, string> | undefined): Map<string, CsvType> {
  const out = new Map<string, CsvType>();
  for (const [name, t] of Object.entries(types ?? {})) {
    const type = String(t).toUpperCase();
    if (!isCsvType(type)) {
      throw new DdbError('usage.invalid', {
        message: `Column types: '${t}' for '${name}' is not a type; use one of ${CSV_TYPES.join(', ')}, ${TYPES_EXAMPLE}`,
      });
    }
    out.set(name, type);
  }
  return out;
}

export interface CsvField {
  value: string;
  quoted: boolean;
}

/**
 * Split one record's text (as cut by CsvSplitter: no LF terminator, maybe a trailing CR) into
 * fields. `error` is set for a quote that is not closed or text after a closing quote.
 */
export function parseCsvFields(text: string): { fields: CsvField[]; error?: string } {
  const s = text.endsWith('\r') ? text.slice(0, -1) : text;
  const fields: CsvField[] = [];
  let error: string | undefined;
  let i = 0;
  for (;;) {
    if (s.charCodeAt(i) === 0x22) {
      // Quoted field: "" is a quote; the field ends at the next lone quote.
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < s.length) {
        const q = s.indexOf('"', j);
        if (q === -1) break;
        value += s.slice(j, q);
        if (s.charCodeAt(q + 1) === 0x22) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          closed = true;
          break;
        }
      }
      if (!closed) {
        error ??= `column ${fields.length + 1}: a quoted field is not closed; double a quote inside a quoted field ("")`;
        fields.push({ value: value + s.slice(j), quoted: true });
        return { fields, error };
      }
      const comma = s.indexOf(',', j);
      const end = comma === -1 ? s.length : comma;
      if (end !== j) {
        error ??= `column ${fields.length + 1}: unexpected text after a closing quote; double a quote inside a quoted field ("")`;
        value += s.slice(j, end);
      }
      fields.push({ value, quoted: true });
      if (comma === -1) break;
      i = comma + 1;
    } else {
      // Unquoted field: up to the next comma; a quote inside it is taken literally.
      const comma = s.indexOf(',', i);
      fields.push({ value: s.slice(i, comma === -1 ? s.length : comma), quoted: false });
      if (comma === -1) break;
      i = comma + 1;
    }
  }
  return error === undefined ? { fields } : { fields, error };
}

/** Check a header row: non-empty, unique names. Throws input.file. */
export function checkHeader(fields: CsvField[], line: number): string[] {
  const names = fields.map((f) => f.value);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') {
      throw new DdbError('input.file', {
        message: `CSV header (line ${line}): column ${i + 1} has no name; the first row must name every column`,
      });
    }
    if (seen.has(name)) {
      throw new DdbError('input.file', {
        message: `CSV header (line ${line}): column '${name}' appears twice; give each column a unique name`,
      });
    }
    seen.add(name);
  });
  return names;
}

/** DynamoDB's number syntax (the service itself checks the 38-digit precision and the range). */
export const NUMBER_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Convert one field to an item value; undefined = the attribute is absent. Throws a plain Error. */
export function fieldValue(field: CsvField, type: CsvType): ItemValue | undefined {
  const { value, quoted } = field;
  // NOTE: an empty unquoted field is an absent attribute, even of a string column: an export
  // writes an absent attribute so, and an empty string as "" (see `cell`).
  if (value === '' && !quoted) return undefined;
  if (type === 'S') return value;
  // NOTE: typed cells are exact, as DynamoDB JSON is ({"N":" 1"} is refused): no trimming, no
  // other spellings; a cell that is not exactly its type's text is a reject with the fix.
  switch (type) {
    case 'N':
      if (!NUMBER_SYNTAX.test(value))
        throw new Error(
          `'${value}' is not a number (DynamoDB's syntax, such as 12, -1.5 or 1e3, with no spaces)`,
        );
      return new NumberValue(value);
    case 'BOOL':
      if (value !== 'true' && value !== 'false')
        throw new Error(`'${value}' is not a boolean: write true or false, in lower case`);
      return value === 'true';
    case 'B':
      if (!isBase64(value)) throw new Error(`'${value}' is not base64 (with no spaces)`);
      return new Uint8Array(Buffer.from(value, 'base64'));
    case 'NULL':
      if (value !== 'null')
        throw new Error(
          `${value === '' ? '"" (the empty string)' : `'${value}'`} is not null: write null (an empty unquoted field is an absent attribute)`,
        );
      return null;
    case 'JSON':
      return fromPlainValue(parseLosslessJson(value, 'value'), 'value');
  }
}

/** A data row → item, given the header and types. Throws a plain Error with the reason. */
export function rowToItem(fields: CsvField[], columns: string[], types: Map<string, CsvType>): Item {
  if (fields.length !== columns.length) {
    throw new Error(
      `expected ${columns.length} fields (${columns.join(',')}), found ${fields.length}; quote a field that holds a comma`,
    );
  }
  const item: Item = {};
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i]!;
    const type = types.get(name) ?? 'S';
    let v: ItemValue | undefined;
    try {
      v = fieldValue(fields[i]!, type);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`column ${name} (${type}): ${why}`);
    }
    if (v !== undefined) item[name] = v;
  }
  return item;
}

/** The CSV column type a value is written and read back as (maps, lists and sets: JSON). */
export function csvTypeOf(value: ItemValue): CsvType {
  if (typeof value === 'string') return 'S';
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return 'BOOL';
  if (value instanceof NumberValue) return 'N';
  if (value instanceof Uint8Array) return 'B';
  return 'JSON';
}

const TYPE_NAMES: Record<CsvType, string> = {
  S: 'a string',
  N: 'a number',
  BOOL: 'a boolean',
  B: 'binary',
  NULL: 'null',
  JSON: 'a map, list or set',
};

/** `n:N,v:JSON`: the --types that read these columns back (string columns need none). */
export function typesArgument(columns: string[], types: ReadonlyMap<string, CsvType>): string {
  return columns
    .filter((c) => (types.get(c) ?? 'S') !== 'S')
    .map((c) => `${c}:${types.get(c)}`)
    .join(',');
}

/**
 * Why an item cannot be written with these column types (one type per column: CSV carries none, so
 * an import reads a column with one `--types`), or undefined; the item's new columns' types are
 * then added to `types`.
 */
export function checkCellTypes(
  item: Item,
  columns: string[],
  types: Map<string, CsvType>,
  given: ReadonlySet<string>,
): string | undefined {
  const fresh: [string, CsvType][] = [];
  for (const name of columns) {
    const v = item[name];
    if (v === undefined) continue;
    const t = csvTypeOf(v);
    const want = types.get(name);
    if (want === undefined) fresh.push([name, t]);
    else if (want !== t) {
      return (
        `column ${name} holds ${TYPE_NAMES[t]} (${t}) here, and the column is ${want} ` +
        `(${given.has(name) ? 'its --types' : "its first value's"}): CSV has one type per column; ` +
        'use --format ndjson or ddb-json for mixed types'
      );
    }
  }
  for (const [name, t] of fresh) types.set(name, t);
  return undefined;
}

/** One CSV cell for an item value (see the file comment); undefined = absent = an empty field. */
export function cell(value: ItemValue | undefined): string {
  if (value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null) text = 'null';
  else if (typeof value === 'boolean') text = String(value);
  else if (value instanceof NumberValue) text = value.value;
  else if (value instanceof Uint8Array) text = Buffer.from(value).toString('base64');
  else text = stringifyItem(value);
  return quote(text);
}

/**
 * Quote a field when it must be: it holds a comma, quote, CR or LF, or is empty (≠ absent) or only
 * blanks (a row of one such field would be a blank line, which readers skip).
 */
export function quote(text: string): string {
  if (/^[ \t]*$|[",\r\n]/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

/**
 * A CSV file's header record: its columns, checked (named once each, the types given name columns
 * it has, the key's columns there when `key` is given); what is wrong throws input.file.
 */
export function readCsvHeader(
  raw: RawRecord,
  types: Map<string, CsvType>,
  key: KeySchema | undefined,
): string[] {
  const bad = (why: string) =>
    new DdbError('input.file', {
      message: `CSV header (line ${raw.line}): ${why}; the first row must name the columns`,
    });
  if (raw.bytes === undefined) throw bad(raw.error ?? 'too large');
  const text = utf8Text(raw.bytes);
  if (text === undefined) {
    throw new DdbError('input.file', {
      message: `CSV header (line ${raw.line}) is not valid UTF-8 text; save the file as UTF-8`,
    });
  }
  const { fields, error } = parseCsvFields(text);
  const why = raw.error ?? error;
  if (why !== undefined) throw bad(why);
  const columns = checkHeader(fields, raw.line);
  const unknown = [...types.keys()].filter((name) => !columns.includes(name));
  if (unknown.length > 0) {
    throw new DdbError('usage.invalid', {
      message: `Column types name ${unknown.map((n) => `'${n}'`).join(', ')}, which the CSV header does not have; its columns are ${columns.join(', ')}`,
    });
  }
  const missing = key ? keyNames(key).filter((k) => !columns.includes(k)) : [];
  if (key && missing.length > 0) {
    throw new DdbError('input.file', {
      message: `CSV header (line ${raw.line}) has no column ${missing.map((n) => `'${n}'`).join(' or ')}, which every row needs: table ${key.table} has key ${describeSchema(key)}; its columns are ${columns.join(', ')}; name the key's column${missing.length > 1 ? 's' : ''} so in the first row`,
    });
  }
  return columns;
}
