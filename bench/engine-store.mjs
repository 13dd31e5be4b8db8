#!/usr/bin/env node
// The engine store's own figures (issue 13), not part of `npm run bench`'s report: commits per
// second (one ~200-byte item a commit, as PutItem makes them; with and without fsync), then a data
// dir of N items (default 1,000,000): the time to open it (snapshot, then snapshot + a full log
// before compaction) and the process's RSS with them loaded, each in a fresh process.
//
//   npm run build --silent && node bench/engine-store.mjs [--items N] [--dir DIR]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { openStore } = await import('../dist/engine/store/index.js');
const self = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '1000000' },
    dir: { type: 'string' },
    load: { type: 'string' }, // internal: the child that opens a data dir
  },
});

/** About 200 bytes of item JSON, and a key like keys.ts makes (hash8 + part). */
function item(i) {
  const id = `user#${String(i).padStart(8, '0')}`;
  const j = `{"pk":{"S":"${id}"},"name":{"S":"Name ${i} ${'x'.repeat(40)}"},"age":{"N":"${i % 90}"},"tags":{"SS":["a","b","c"]},"email":{"S":"${id}@example.com"},"note":{"S":"${'n'.repeat(30)}"}}`;
  const key = `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}${id}\0\0`;
  return { key, value: { j, z: j.length - 40 } };
}

const mb = (n) => `${(n / 2 ** 20).toFixed(0)} MB`;

if (values.load) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const s = openStore({ dir: values.load });
  const ms = performance.now() - t0;
  const used = process.cpuUsage(c0);
  const cpu = (used.user + used.system) / 1000;
  globalThis.gc?.();
  const rss = process.memoryUsage().rss;
  const count = s.tree('t:bench').count;
  process.stdout.write(JSON.stringify({ ms, cpu, rss, heap: process.memoryUsage().heapUsed, count }));
  process.exit(0);
}

const n = Number(values.items);
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'ddbctl-store-bench-'));
const report = [];
try {
  // Commits per second.
  for (const fsync of [false, true]) {
    const d = join(dir, `commits-${fsync}`);
    const s = openStore({ dir: d, fsync });
    const count = fsync ? 2_000 : 200_000;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const { key, value } = item(i);
      s.commit([{ tree: 't:c', key, value }]);
    }
    const secs = (performance.now() - t0) / 1000;
    await s.close();
    report.push(`commits/s, one item each${fsync ? ', fsync' : ''}: ${Math.round(count / secs)}`);
    rmSync(d, { recursive: true });
  }
  {
    const d = join(dir, 'batch');
    const s = openStore({ dir: d });
    const t0 = performance.now();
    for (let i = 0; i < 200_000; i += 25) {
      const c = [];
      for (let k = i; k < i + 25; k++) c.push({ tree: 't:c', ...item(k) });
      s.commit(c);
    }
    const secs = (performance.now() - t0) / 1000;
    await s.close();
    report.push(`items/s in commits of 25 (BatchWriteItem): ${Math.round(200_000 / secs)}`);
    rmSync(d, { recursive: true });
  }

  // A data dir of n items: written in commits of 25, closed (snapshot).
  const d = join(dir, 'big');
  let t0 = performance.now();
  const s = openStore({ dir: d, compactBytes: 2 ** 50 });
  for (let i = 0; i < n; i += 25) {
    const c = [];
    for (let k = i; k < Math.min(n, i + 25); k++) c.push({ tree: 't:bench', ...item(k) });
    s.commit(c);
  }
  report.push(
    `write ${n} items (log only): ${((performance.now() - t0) / 1000).toFixed(1)} s, log ${mb(statSync(join(d, 'log-00000001')).size)}`,
  );
  t0 = performance.now();
  await s.close();
  report.push(
    `snapshot of ${n} items on close: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${mb(statSync(join(d, 'snapshot')).size)}`,
  );
  const open = () =>
    JSON.parse(
      execFileSync(process.execPath, ['--expose-gc', self, '--load', d], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    );
  let r = open();
  report.push(
    `open ${r.count} items from the snapshot: ${(r.ms / 1000).toFixed(2)} s (CPU ${(r.cpu / 1000).toFixed(2)} s), RSS ${mb(r.rss)} (heap ${mb(r.heap)})`,
  );
  // The worst case before a compaction: a log just under 64 MiB or 200,000 commits (whichever
  // comes first) on top of the snapshot, left by a process that was killed (no close).
  const s2 = openStore({ dir: d, compactBytes: 2 ** 50, compactRecords: 2 ** 50 });
  let bytes = 0;
  for (let i = 0; bytes < 63 * 2 ** 20 && i < 199_000; i++) {
    const it = item(i * 7);
    s2.commit([{ tree: 't:bench', ...it }]);
    bytes += it.value.j.length + it.key.length + 40;
  }
  r = open();
  report.push(
    `open with a ${mb(statSync(join(d, 'log-00000002')).size)} log (${r.count} items) on top: ${(r.ms / 1000).toFixed(2)} s (CPU ${(r.cpu / 1000).toFixed(2)} s), RSS ${mb(r.rss)}`,
  );
} finally {
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(
  `engine store (node ${process.version}, load average ${loadavg()[0].toFixed(1)} at the end):\n${report.map((l) => `  ${l}`).join('\n')}\n`,
);
