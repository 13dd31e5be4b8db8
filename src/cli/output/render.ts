/** The single place where results become text on stdout: `table` for people; json, ndjson, raw for scripts. */
import Table from 'cli-table3';
import {
  type Item,
  type ItemValue,
  stringifyDdbJson,
  stringifyItem,
  stringifyJson,
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

/** Any JSON-ready value (NumberValue and LosslessNumber keep their exact text), pretty-printed. */
export function printJson(io: Io, value: unknown): void {
  writeLine(io, stringifyJson(value, 2));
}

export function printTable(io: Io, head: string[], rows: (string | number)[][]): void {
  const t = new Table({ head, style: { head: [], border: [] } });
  t.push(...rows.map((r) => r.map(String)));
  writeLine(io, t.toString());
}

/** A value in one cell: scalars as they are, the rest as plain JSON. */
export function cell(v: ItemValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return stringifyItem(v);
}

/** One item in the chosen format. table = attribute, type, value. */
export function printItem(io: Io, format: OutputFormat, item: Item): void {
  if (format === 'table') {
    printTable(
      io,
      ['attribute', 'type', 'value'],
      Object.keys(item).map((k) => [k, typeOf(item[k] as ItemValue), cell(item[k])]),
    );
    return;
  }
  writeLine(
    io,
    format === 'raw' ? stringifyDdbJson(item, 2) : stringifyItem(item, format === 'json' ? 2 : undefined),
  );
}

/** Rows per table when printing many items for people (a table cannot be streamed). */
const TABLE_ROWS = 1000;

/**
 * Many items, streamed page by page: json writes one array as it reads, ndjson and raw one item a
 * line; table prints a table per 1000 items with the key attributes first.
 */
export async function printItems(
  io: Io,
  format: OutputFormat,
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
      names,
      rows.map((r) => names.map((k) => cell(r[k]))),
    );
    rows = [];
  };
  if (format === 'json') io.stdout.write('[');
  for await (const page of pages) {
    for (const item of page) {
      let text: string | undefined;
      if (format === 'json') text = `${n ? ',' : ''}\n  ${stringifyItem(item)}`;
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
  if (format === 'json') io.stdout.write(n ? '\n]\n' : ']\n');
  flushTable();
  return n;
}

/** Key/value pairs for a summary (describe-table and the like). */
export function printPairs(io: Io, pairs: [string, string | number | undefined][]): void {
  const t = new Table({ style: { head: [], border: [] } });
  for (const [k, v] of pairs) if (v !== undefined && v !== '') t.push({ [k]: String(v) });
  writeLine(io, t.toString());
}

/**
 * The result of a single write: the returned item when one was asked for (`none` says so when
 * there is none), else `done` for people or `{"ok": true}` for scripts.
 */
export function printWriteResult(
  io: Io,
  format: OutputFormat,
  returned: Item | undefined,
  asked: boolean,
  none: string,
  done: string,
): void {
  if (asked && returned) printItem(io, format, returned);
  else if (format !== 'table') printJson(io, asked ? null : { ok: true });
  else writeLine(io, asked ? none : done);
}
