// The writer that src/engine/store/crash.test.ts kills: it opens the store in the folder given,
// continues the stream of commits from where the folder's state stops, and prints each commit's
// number once `commit` has returned (acknowledged). Run: node --import tsx storeCrashChild.ts DIR
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Change } from '../../src/engine/store/index.js';
import { openStore } from '../../src/engine/store/index.js';

/**
 * Commit `i` of the stream: three trees changed together, as a PutItem with an index and the
 * table's counters would. Its number in `meta` says which commit the state must be exactly after.
 */
export function crashCommit(i: number): Change[] {
  // Sizes vary (now and then 64 KB) so that records end at every kind of offset.
  const pad = 'x'.repeat(i % 97 === 0 ? 65_536 : (i * 37) % 300);
  const c: Change[] = [
    { tree: 't:a', key: `k${i % 1500}`, value: { j: `{"i":${i},"p":"${pad}"}`, z: pad.length + 10 } },
    { tree: 'i:a:x', key: `x${i}`, value: { j: `{"i":${i}}`, z: 8 } },
    { tree: 'meta', key: 'n', value: { j: String(i), z: 1 } },
  ];
  if (i % 3 === 0) c.push({ tree: 'i:a:x', key: `x${i - 30}`, value: null });
  if (i % 1000 === 999) c.push({ tree: 'tmp', drop: true });
  else c.push({ tree: 'tmp', key: `y${i % 10}`, value: { j: '{}', z: 2 } });
  return c;
}

/**
 * Print an acknowledgement before going on. NOTE: process.stdout queues a write when the pipe is
 * full, and a queued acknowledgement dies with the process (a commit would look unacknowledged);
 * fd 1 is a non-blocking pipe, so a full pipe is waited out here.
 */
export function ack(line: string): void {
  const b = Buffer.from(line);
  for (let off = 0; off < b.length; ) {
    try {
      off += writeSync(1, b, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

async function main(dir: string): Promise<void> {
  const store = openStore({ dir, compactBytes: 256 * 1024 });
  const last = store.tree('meta').get('n');
  for (let i = last ? Number(last.j) + 1 : 0; ; i++) {
    store.commit(crashCommit(i));
    ack(`${i}\n`);
    // Let a background snapshot write its blocks in between, as requests would.
    if (i % 20 === 0) await new Promise((r) => setImmediate(r));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv[2]!);
