import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startedAt, stopped } from './proc.js';

/** A /proc with process 42 named `name` in `state`, started `ticks` after a boot at 1,700,000,000 s. */
function fakeProc(name: string, state: string, ticks: number): string {
  const root = mkdtempSync(join(tmpdir(), 'ddbctl-proc-'));
  mkdirSync(join(root, '42'));
  const fields = [state, ...Array.from({ length: 18 }, (_, i) => String(i + 4)), String(ticks), '0'];
  writeFileSync(join(root, '42', 'stat'), `42 (${name}) ${fields.join(' ')}\n`);
  writeFileSync(join(root, 'stat'), 'cpu  1 2 3\nbtime 1700000000\nprocesses 9\n');
  return root;
}

describe('proc', () => {
  it('reads the state and start time after a name holding spaces and parentheses', () => {
    const root = fakeProc('node (x) y', 'T', 12_345);
    expect(stopped(42, root)).toBe(true);
    expect(startedAt(42, root)).toBe(1_700_000_000_000 + 123_450);
    expect(stopped(42, fakeProc('node', 't', 1))).toBe(true);
    expect(stopped(42, fakeProc('node', 'S', 1))).toBe(false);
  });

  it('knows nothing of a process that is not there', () => {
    const root = fakeProc('node', 'R', 1);
    expect(stopped(43, root)).toBeUndefined();
    expect(startedAt(43, root)).toBeUndefined();
  });

  // Only Linux has /proc: elsewhere both answer undefined (tested above with a fake one).
  it.skipIf(process.platform !== 'linux')('this process: running, started before now', () => {
    expect(stopped(process.pid)).toBe(false);
    expect(startedAt(process.pid)).toBeLessThanOrEqual(Date.now());
  });
});
