/**
 * Progress for people, on stderr: one line redrawn in place on a terminal (at most 5 times a
 * second), nothing otherwise. The summary line at the end is the command's, not this.
 */
import { plural } from '../../core/util/plural.js';
import type { Io } from '../context.js';
import { displayWidth } from './text.js';

export interface Progress {
  /** Whether lines are shown (a terminal, not --quiet): work done only for them can be skipped. */
  enabled: boolean;
  update(line: string): void;
  done(): void;
}

export function createProgress(io: Io, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || !io.isTTY) return { enabled: false, update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    enabled: true,
    update(line) {
      const t = now();
      if (t - last < 200) return;
      last = t;
      shown = true;
      io.stderr.write(`\r\x1b[K${fitLine(line, io.stderrColumns)}`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

/**
 * A progress line cut to the terminal's width with "…": "\r" returns to the start of the last
 * screen line only, so a line that wraps would leave a copy of itself at every redraw.
 */
export function fitLine(line: string, columns: number | undefined): string {
  if (!columns || displayWidth(line) < columns) return line;
  let out = '';
  for (const ch of line) {
    if (displayWidth(`${out}${ch}`) > columns - 2) break;
    out += ch;
  }
  return `${out}…`;
}

/** "12,345" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Items a second, ETA from a fraction done. */
export function rateLine(done: number, seconds: number, fraction?: number): string {
  const perSec = seconds > 0 ? done / seconds : 0;
  const eta =
    fraction && fraction > 0 && fraction < 1
      ? ` ETA ${Math.ceil((seconds / fraction) * (1 - fraction))} s`
      : '';
  return `${count(Math.round(perSec))} items/s${eta}`;
}

/**
 * How far a scan of a whole table is, for a progress line: "12,345 of ~100,000 items (12%)" when
 * the table's approximate item count (DescribeTable's ItemCount, which DynamoDB updates about every
 * six hours) is known, else "12,345 items". `fraction` for rateLine's ETA; `scanned` counts items
 * read before a filter.
 */
export function ofTotal(
  done: number,
  scanned: number,
  total: number | undefined,
): { text: string; fraction?: number } {
  if (!total) return { text: plural(done, 'item') };
  const fraction = Math.min(scanned / total, 0.99);
  return { text: `${count(done)} of ~${count(total)} items (${Math.floor(fraction * 100)}%)`, fraction };
}
