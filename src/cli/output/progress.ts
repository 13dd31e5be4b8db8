/**
 * The one place where a long run's progress and summary lines are made: a progress line redrawn
 * in place on stderr when it is a terminal (at most 5 times a second) and not -q, nothing
 * otherwise; the summary line at the end on stderr in every mode, also with -q, since it is the
 * command's answer. Lines read `label: part, part, ...`; rates are measured with the clock given
 * (tests pass a fake one).
 */
import { type Clock, systemClock } from '../../core/util/clock.js';
import { count, plural } from '../../core/util/plural.js';
import type { Io } from '../context.js';
import { displayWidth } from './text.js';

/** A part of a line; false, null and undefined are left out (a count shown only when not zero). */
export type Part = string | false | null | undefined;

export interface Progress {
  /** Whether lines are shown (a terminal, not --quiet): work done only for them can be skipped. */
  enabled: boolean;
  /**
   * Redraw the line `label: parts`; with `rate`, the items written a second since the start
   * (`rateLine`), and an ETA from the fraction done.
   */
  update(label: string, parts: Part[], rate?: { items: number; fraction?: number | undefined }): void;
  /** Clear the line (before other lines are written, and at the end). */
  done(): void;
  /** Seconds since the progress was created, by its clock. */
  seconds(): number;
  /** The run's summary line on stderr, in every mode and with -q: `ddbctl: label: parts`. */
  summary(label: string, parts: Part[]): void;
}

/** Where progress goes and the clock it is measured by: a command passes its `Cli` (tests a fake clock); no clock, the system's. */
export interface ProgressTarget {
  io: Io;
  clock?: Pick<Clock, 'now'>;
}

export interface ProgressOptions {
  /** -q: no progress line (the summary is still written). */
  quiet?: boolean | undefined;
}

/** `label: a, b, c` (no label: the parts alone). */
export function line(label: string, parts: Part[]): string {
  const text = parts.filter((p): p is string => typeof p === 'string' && p !== '').join(', ');
  return label ? `${label}: ${text}` : text;
}

export function createProgress(to: ProgressTarget, opts: ProgressOptions = {}): Progress {
  const io = to.io;
  const clock = to.clock ?? systemClock;
  const now = () => clock.now();
  const started = now();
  const seconds = () => (now() - started) / 1000;
  const summary = (label: string, parts: Part[]) => {
    io.stderr.write(`ddbctl: ${line(label, parts)}\n`);
  };
  if (opts.quiet || !io.isTTY) return { enabled: false, update() {}, done() {}, seconds, summary };
  let last = 0;
  let shown = false;
  return {
    enabled: true,
    update(label, parts, rate) {
      const t = now();
      if (t - last < 200) return;
      last = t;
      shown = true;
      const all = rate ? [...parts, rateLine(rate.items, (t - started) / 1000, rate.fraction)] : parts;
      io.stderr.write(`\r\x1b[K${fitLine(line(label, all), io.stderrColumns)}`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
    seconds,
    summary,
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

/** "12,345", for the commands' lines (the one formatter, core's). */
export { count };

/** "1.2 s, 12,345 items/s": a finished run's time and rate (all items when it took no time). */
export function runRate(items: number, seconds: number): string {
  return `${seconds.toFixed(1)} s, ${count(seconds > 0 ? Math.round(items / seconds) : items)} items/s`;
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

/** What a run's calls met, as its progress and summary lines show it (core's ConcurrencyStats). */
export interface CallsSeen {
  limit: number;
  reached: number;
  calls: number;
  throttled: number;
  adaptive: boolean;
  /**
   * Write requests a second the calls went through at since throttling set a pace (undefined: not
   * paced). NOTE: not the pace itself, which is probed past the capacity now and then.
   */
  pacedRate?: number | undefined;
}

/**
 * The calls a stop cut off in flight, for an interrupted run's line: they may have landed
 * ("400 more deletes in flight at the stop may have landed too"), or none was.
 */
export function inFlightWords(inFlight: number | undefined, what: 'writes' | 'deletes'): string {
  if (inFlight === undefined) return `${what} in flight at the stop may have landed too`;
  return inFlight === 0
    ? `none was in flight at the stop`
    : `${count(inFlight)} more ${what} in flight at the stop may have landed too`;
}

/**
 * The parts for the calls in flight and the throttling met: "in flight 24 (max 32)", "throttled
 * 12 of 4,310 calls" (the throttling only when there was some): the calls allowed in flight now
 * and the most reached. `done`: the run is over (the summary), so where the limit ended.
 */
export function callsParts(c: CallsSeen | undefined, done = false): Part[] {
  if (!c) return [];
  const flight = done
    ? c.adaptive
      ? `concurrency ${c.limit} (max ${c.reached})`
      : `concurrency ${c.limit} (fixed)`
    : // NOTE: the limit now, not the calls that happen to be out at this instant (0 between two).
      `in flight ${c.limit} (max ${c.reached})`;
  return [
    flight,
    c.throttled > 0 && `throttled ${count(c.throttled)} of ${plural(c.calls, 'call')}`,
    c.pacedRate !== undefined && `paced at ${count(Math.round(c.pacedRate))} writes/s`,
  ];
}

/** The same for scripts: the `concurrency` field of a JSON summary. */
export function callsJson(c: CallsSeen): {
  final: number;
  max: number;
  adaptive: boolean;
  calls: number;
  throttled: number;
  pace?: number;
} {
  return {
    final: c.limit,
    max: c.reached,
    adaptive: c.adaptive,
    calls: c.calls,
    throttled: c.throttled,
    // Write requests a second through since throttling set a pace.
    ...(c.pacedRate !== undefined && { pace: Math.round(c.pacedRate) }),
  };
}
