/**
 * The single place where results become text on stdout: `table` for people; json, ndjson, raw for
 * scripts. The contract of the modes (README "Output"):
 * - json: one JSON document (pretty-printed);
 * - ndjson: one JSON value a line (items as plain JSON);
 * - raw: one JSON value a line in DynamoDB's own shapes (items as DynamoDB JSON, a DescribeTable's
 *   Table, ...); a command whose answer is ddbctl's own (a plan, a summary) prints its ndjson lines;
 * - table: for people, fitted to the terminal's width, stored text escaped.
 * Commands build a structured result and give it to `printOutput`; they do not branch on the format.
 */
import Table from 'cli-table3';
import {
  type Item,
  type ItemValue,
  stringifyDdbJson,
  stringifyItem,
  stringifyJson,
  toPlainValue,
  typeOf,
} from '../../core/data/codec.js';
import type { Io, OutputFormat } from '../context.js';

export function writeLine(io: Io, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Write and respect backpressure, so a large scan piped into a slow reader stays in constant memory. */
function writeAsync(io: Io, text: string): Promise<void> | undefined {
  if (io.stdout.write(text)) return undefined;
  return new Promise((res) => io.stdout.once('drain', () => res()));
}

/** What a command prints, in every mode. Values are JSON-ready (see `toPlainValue`, `rawItem`). */
export interface Output {
  /** -o json: the one document; -o ndjson: the same on one line, unless `lines` is given. */
  json: unknown;
  /** -o ndjson: these values, one a line, instead of `json`. */
  lines?: unknown[];
  /** -o raw: DynamoDB's own shapes, one a line; default the ndjson lines. */
  raw?: unknown[];
  /** -o table: what people read. */
  table(): void;
}

/** The format switch: every command's result goes through here. */
export function printOutput(io: Io, format: OutputFormat | undefined, out: Output): void {
  switch (format) {
    case 'json':
      writeLine(io, stringifyJson(out.json, 2));
      return;
    case 'ndjson':
      for (const v of out.lines ?? [out.json]) writeLine(io, stringifyJson(v));
      return;
    case 'raw':
      for (const v of out.raw ?? out.lines ?? [out.json]) writeLine(io, stringifyJson(v));
      return;
    default:
      out.table();
  }
}

/**
 * Whether the output is for people (-o table): a command that shows steps as they happen (lab,
 * apply) shows them only then; scripts get the one result at the end.
 */
export function forPeople(format: OutputFormat | undefined): boolean {
  return format === undefined || format === 'table';
}

/** An item as a JSON-ready value in DynamoDB JSON (binary as base64, as the AWS CLI prints it). */
export function rawItem(item: Item): unknown {
  return JSON.parse(stringifyDdbJson(item));
}

/** A JSON-ready value for -o json / ndjson: an item as plain JSON, null for none. */
export function plainItem(item: Item | null | undefined): unknown {
  return item ? toPlainValue(item) : null;
}

// --- tables for people -------------------------------------------------------------------------

/** Characters that must not reach a terminal raw: C0/C1 controls, DEL, line separators, bidi controls. */
function isControl(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isControl(s.charCodeAt(i))) return true;
  return false;
}

/** Control characters as JSON escapes (`\u001b`), so stored text cannot move the cursor or clear a screen. */
export function escapeControls(s: string): string {
  if (!hasControl(s)) return s;
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    out += ch.length === 1 && isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

/**
 * A string shown as it is, or as a JSON string (in double quotes, escaped) when it could be read
 * as something else: empty, spaces at either end, control characters, or text that reads as JSON
 * (a number, true, false, null, or starting with `"`, `{` or `[`), so `""` is apart from a missing
 * attribute (blank) and the string "1" apart from the number 1.
 */
export function textCell(s: string): string {
  return bareText(s) ? s : escapeControls(JSON.stringify(s));
}

function bareText(s: string): boolean {
  if (s === '' || s.trim() !== s || hasControl(s) || /^["{[]/.test(s)) return false;
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
}

/** A value in one cell: strings per `textCell`, a missing attribute blank, the rest as plain JSON. */
export function cell(v: ItemValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return textCell(v);
  return escapeControls(stringifyItem(v));
}

/** Columns a string takes on a terminal: East Asian wide characters and emoji 2, combining marks 0. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (/\p{M}/u.test(ch)) continue;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** Narrowest a column is made (its padding included) when a table is fitted to a terminal. */
const MIN_COLUMN = 6;

/**
 * Column widths (padding included) that fit `columns` terminal columns, or undefined when the
 * table fits as it is. Columns narrower than a fair share keep their width; the others share the
 * rest equally.
 */
export function fitColumns(natural: number[], columns: number): number[] | undefined {
  let avail = columns - (natural.length + 1); // the borders
  if (natural.reduce((a, b) => a + b, 0) <= avail) return undefined;
  const widths: (number | undefined)[] = natural.map(() => undefined);
  let open = natural.map((_, i) => i);
  for (;;) {
    const share = Math.floor(avail / Math.max(open.length, 1));
    const fits = open.filter((i) => (natural[i] ?? 0) <= share);
    if (fits.length === 0) break;
    for (const i of fits) {
      widths[i] = natural[i] ?? 0;
      avail -= natural[i] ?? 0;
    }
    open = open.filter((i) => widths[i] === undefined);
  }
  const share = Math.floor(avail / Math.max(open.length, 1));
  let extra = avail - share * open.length;
  for (const i of open) {
    widths[i] = Math.max(MIN_COLUMN, share + (extra > 0 ? 1 : 0));
    extra--;
  }
  return widths.map((w) => w ?? MIN_COLUMN);
}

/**
 * A table for people. On a terminal (`io.columns`) it is fitted to the width: long cells are cut
 * with "…", or wrapped (`wrap`) where a whole value matters more than one line per row.
 * Cells are shown with `cell` / `textCell`; whatever a caller passes, no control character but a
 * line break between lines of a cell reaches the terminal.
 */
export function printTable(
  io: Io,
  head: string[],
  rows: (string | number)[][],
  opts: { wrap?: boolean } = {},
): void {
  const safe = (c: string | number) => String(c).split('\n').map(escapeControls).join('\n');
  const text = rows.map((r) => r.map(safe));
  head = head.map(safe);
  const n = Math.max(head.length, ...text.map((r) => r.length));
  const natural = Array.from(
    { length: n },
    (_, i) =>
      2 +
      Math.max(
        ...[head[i] ?? '', ...text.map((r) => r[i] ?? '')].flatMap((c) => c.split('\n')).map(displayWidth),
      ),
  );
  const colWidths = io.columns ? fitColumns(natural, io.columns) : undefined;
  const t = new Table({
    head,
    style: { head: [], border: [] },
    ...(colWidths ? { colWidths, ...(opts.wrap ? { wordWrap: true, wrapOnWordBoundary: false } : {}) } : {}),
  });
  t.push(...text);
  writeLine(io, t.toString());
}

/** An attribute name as a table shows it (names are stored data too). */
function nameCell(name: string): string {
  return name === '' || name.trim() !== name || hasControl(name)
    ? escapeControls(JSON.stringify(name))
    : name;
}

/** One item in the chosen format. table = attribute, type, value, long values wrapped. */
export function printItem(io: Io, format: OutputFormat | undefined, item: Item): void {
  printOutput(io, format, {
    json: toPlainValue(item),
    raw: [rawItem(item)],
    table: () =>
      printTable(
        io,
        ['attribute', 'type', 'value'],
        Object.keys(item).map((k) => [nameCell(k), typeOf(item[k] as ItemValue), cell(item[k])]),
        { wrap: true },
      ),
  });
}

/** Rows per table when printing many items for people (a table cannot be streamed). */
const TABLE_ROWS = 1000;

/**
 * Many items, page by page: ndjson and raw stream one item a line as they read (a read that fails
 * midway leaves the complete lines before it); json holds its one array until the read is done, so
 * a read that fails leaves no partial document; table prints a table per 1000 items with the key
 * attributes first. Nothing is written before the first page arrives.
 */
export async function printItems(
  io: Io,
  format: OutputFormat | undefined,
  pages: AsyncIterable<Item[]>,
  keyNames: string[] = [],
): Promise<number> {
  let n = 0;
  let rows: Item[] = [];
  const flushTable = () => {
    if (!rows.length) return;
    const names = [...new Set([...keyNames, ...rows.flatMap((r) => Object.keys(r))])];
    printTable(
      io,
      names.map(nameCell),
      rows.map((r) => names.map((k) => cell(r[k]))),
    );
    rows = [];
  };
  // NOTE: -o json promises one whole document: a scan whose second page failed printed "[" and the
  // first page's items. Scripts that need constant memory on a large read use ndjson.
  const held: string[] = [];
  for await (const page of pages) {
    for (const item of page) {
      let text: string | undefined;
      if (format === 'json') held.push(stringifyItem(item));
      else if (format === 'ndjson') text = `${stringifyItem(item)}\n`;
      else if (format === 'raw') text = `${stringifyDdbJson(item)}\n`;
      else {
        rows.push(item);
        if (rows.length >= TABLE_ROWS) flushTable();
      }
      n++;
      if (text) await writeAsync(io, text);
    }
  }
  if (format === 'json') await writeAsync(io, n ? `[\n  ${held.join(',\n  ')}\n]\n` : '[]\n');
  flushTable();
  return n;
}

/** `--count` of scan and query; raw is the answer of a Select COUNT Scan or Query. */
export function printCount(
  io: Io,
  format: OutputFormat | undefined,
  c: { count: number; scanned: number },
): void {
  printOutput(io, format, {
    json: { count: c.count, scanned: c.scanned },
    raw: [{ Count: c.count, ScannedCount: c.scanned }],
    table: () => writeLine(io, String(c.count)),
  });
}

/** Key/value pairs for a summary (describe-table and the like); long values wrapped. */
export function printPairs(io: Io, pairs: [string, string | number | undefined][]): void {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]);
  printTable(io, [], shown, { wrap: true });
}

/**
 * The result of a single write: the returned item when one was asked for (`none` says so when
 * there is none), else `done` for people and `{"ok": true, ...result}` for scripts.
 */
export function printWriteResult(
  io: Io,
  format: OutputFormat | undefined,
  w: { returned: Item | undefined; asked: boolean; none: string; done: string; result?: object },
): void {
  if (w.asked && w.returned) {
    printItem(io, format, w.returned);
    return;
  }
  printOutput(io, format, {
    json: w.asked ? null : { ok: true, ...w.result },
    table: () => writeLine(io, w.asked ? w.none : w.done),
  });
}
