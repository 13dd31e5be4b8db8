/**
 * Progress for people, on stderr: one line redrawn in place on a terminal (at most 5 times a
 * second), nothing otherwise. The summary line at the end is the command's, not this.
 */
import type { Io } from '../context.js';

export interface Progress {
  update(line: string): void;
  done(): void;
}

export function createProgress(io: Io, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || !io.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(line) {
      const t = now();
      if (t - last < 200) return;
      last = t;
      shown = true;
      io.stderr.write(`\r\x1b[K${line}`);
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
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
