// kill -9 during a stream of acknowledged commits (issue 13's durability rule): after each kill the
// folder reopens to exactly the state after some commit k, with k at least the last acknowledged
// one: no acknowledged commit lost, none half applied, across logs, snapshots and their rotation.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runAndKill as runKill } from '../../../test/support/killAfterAcks.js';
import { crashCommit } from '../../../test/support/storeCrashChild.js';
import { memoryStore, openStore, type Store } from './index.js';

const root = resolve(import.meta.dirname, '../../..');
const child = join(root, 'test/support/storeCrashChild.ts');
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runAndKill = (acks: number) => runKill(child, dir, acks);

function dump(s: Store): unknown {
  return s
    .treeNames()
    .sort()
    .map((n) => ({ n, count: s.tree(n).count, bytes: s.tree(n).bytes, e: [...s.tree(n).entries()] }));
}

// Eight writers (each a node with tsx): about 10 s here, more on a loaded machine.
it('keeps every acknowledged commit and no half of any, over rounds of kill -9', {
  timeout: 180_000,
}, async () => {
  let acked = -1;
  const model = memoryStore();
  let modelAt = -1;
  for (const acks of [50, 2_000, 300, 5_000, 1, 1_500, 3_000, 700]) {
    const last = await runAndKill(acks);
    expect(last).toBeGreaterThan(acked);
    acked = last;
    const s = openStore({ dir });
    const n = s.tree('meta').get('n');
    const k = Number(n?.j);
    // The commit being written when the kill came may be there (whole) or not.
    expect(k).toBeGreaterThanOrEqual(acked);
    expect(k).toBeLessThanOrEqual(acked + 1);
    while (modelAt < k) model.commit(crashCommit(++modelAt));
    expect(dump(s)).toEqual(dump(model));
    // The next writer continues after k: acknowledged from there on.
    acked = k;
  }
  // Snapshots were written and rotated along the way (small compactBytes in the writer).
  expect(readdirSync(dir)).toContain('snapshot');
});
