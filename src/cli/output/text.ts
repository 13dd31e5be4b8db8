/**
 * Text for people on a terminal: stored data shown so it cannot move the cursor (control
 * characters escaped), values told apart in cells (`textCell`), tables fitted to the width.
 * The table renderer (formats/table.ts) and progress lines draw with these.
 */
import Table from 'cli-table3';
import { type ItemValue, stringifyItem } from '../../core/data/codec.js';
import type { Io } from '../context.js';

export function writeLine(io: Io, line = ''): void {
  io.stdout.write(`${line}\n`);
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
export function nameCell(name: string): string {
  return name === '' || name.trim() !== name || hasControl(name)
    ? escapeControls(JSON.stringify(name))
    : name;
}
