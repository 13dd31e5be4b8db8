/** The single place where results become text on stdout: `table` for people, `json` for scripts. */
import Table from 'cli-table3';
import { type Item, type ItemValue, stringifyItem, stringifyJson, typeOf } from '../../core/data/codec.js';
import type { Io, OutputFormat } from '../context.js';

export function writeLine(io: Io, line = ''): void {
  io.stdout.write(`${line}\n`);
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

/** One item: json = plain JSON (numbers exact, sets/binary tagged); table = attribute, type, value. */
export function printItem(io: Io, format: OutputFormat, item: Item): void {
  if (format === 'json') {
    writeLine(io, stringifyItem(item, 2));
    return;
  }
  printTable(
    io,
    ['attribute', 'type', 'value'],
    Object.keys(item).map((k) => [k, typeOf(item[k] as ItemValue), cell(item[k])]),
  );
}

/** Key/value pairs for a summary (describe-table and the like). */
export function printPairs(io: Io, pairs: [string, string | number | undefined][]): void {
  const t = new Table({ style: { head: [], border: [] } });
  for (const [k, v] of pairs) if (v !== undefined && v !== '') t.push({ [k]: String(v) });
  writeLine(io, t.toString());
}
