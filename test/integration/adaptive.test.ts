// Adaptive concurrency (issue 18) through the fault proxy: behind latency the calls in flight grow
// past their start; against a table that throttles above a set rate (the proxy playing a
// provisioned table) they fall and settle, few calls throttled; every item arrives exactly once.
// Outcomes only (the concurrency reached, the throttling met, the items), never wall-clock speed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { callsJson } from '../../src/cli/output/progress.js';
import { cli, engineName, scanAll } from '../helpers.js';
import { proxiedTables } from '../support/proxiedTables.js';

const fx = proxiedTables('adaptive', 'S');
const { clients, dir, newTable } = fx;

/** `n` items of about 100 bytes (one write unit each), as NDJSON. */
function items(name: string, n: number): string {
  const f = join(dir, name);
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `k${i}`, n: i, pad: 'x'.repeat(60) }),
  );
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

/** The `concurrency` field of a JSON summary. */
type Calls = ReturnType<typeof callsJson>;

/** `ddbctl import` through the proxy, -o json: the run and its summary. */
async function importViaProxy(t: string, file: string, ...more: string[]) {
  const r = await cli(['--endpoint-url', fx.proxy.endpoint, '-o', 'json', 'import', t, file, ...more]);
  expect(r.code, r.stderr).toBe(0);
  return { r, summary: JSON.parse(r.stdout) as { written: number; concurrency: Calls } };
}

/** Every item once, with its own content. */
async function expectEveryItemOnce(t: string, n: number): Promise<void> {
  const got = await scanAll(t, clients);
  expect(got).toHaveLength(n);
  const ids = new Set(got.map((i) => i.id));
  expect(ids.size).toBe(n);
  for (const i of got) expect(String(i.id)).toBe(`k${String((i.n as { value: string }).value)}`);
}

describe(`adaptive concurrency through the fault proxy on ${engineName()}`, () => {
  it('behind 20 ms a call, import grows its calls in flight past its start; every item once', async () => {
    const t = await newTable('adapt-latency');
    const n = 4000;
    const file = items('latency.ndjson', n);
    fx.proxy.setFaults([{ kind: 'latency', ms: 20, operations: ['BatchWriteItem'] }]);
    fx.proxy.resetStats();
    try {
      const { r, summary } = await importViaProxy(t, file);
      expect(summary.written).toBe(n);
      expect(summary.concurrency.adaptive).toBe(true);
      // It starts at 16: it grew.
      expect(summary.concurrency.max).toBeGreaterThan(16);
      expect(summary.concurrency.throttled).toBe(0);
      expect(r.stderr).toMatch(/concurrency \d+ \(max \d+\)/);
    } finally {
      fx.proxy.setFaults([]);
    }
    await expectEveryItemOnce(t, n);
  });

  it('--concurrency fixes it: the same run stays at 2', async () => {
    const t = await newTable('adapt-fixed');
    const file = items('fixed.ndjson', 500);
    fx.proxy.setFaults([{ kind: 'latency', ms: 20, operations: ['BatchWriteItem'] }]);
    try {
      const { r, summary } = await importViaProxy(t, file, '--concurrency', '2');
      expect(summary.concurrency).toMatchObject({ final: 2, max: 2, adaptive: false });
      expect(r.stderr).toContain('concurrency 2 (fixed)');
    } finally {
      fx.proxy.setFaults([]);
    }
    await expectEveryItemOnce(t, 500);
  });

  it('against a provisioned table (2,000 write units a second, 50 ms a call), import falls back and settles with few calls throttled; every item once', async () => {
    const t = await newTable('adapt-capacity');
    const n = 12_000;
    const file = items('capacity.ndjson', n);
    fx.proxy.setFaults([{ kind: 'latency', ms: 50, operations: ['BatchWriteItem'] }]);
    fx.proxy.setCapacity({ writeUnits: 2000, burstSeconds: 0.25 });
    fx.proxy.resetStats();
    try {
      const { r, summary } = await importViaProxy(t, file);
      expect(summary.written).toBe(n);
      const c = summary.concurrency;
      // 2,000 units a second of 25-unit calls taking 50 ms and more: 4 or more calls in flight.
      expect(c.throttled).toBeGreaterThan(0);
      expect(c.final).toBeLessThan(c.max);
      // The proxy's count of the calls it throttled. NOTE: the slow start's overshoot (doubling
      // until the first throttling answers, as TCP) throttles a round or two of calls in flight
      // whatever comes after it; measured here 1–15% paced, 16–18% unpaced, by the machine's
      // load. Bounded loosely: this run is too short for 5%.
      const { throttled, calls } = fx.proxy.stats.capacity;
      expect(throttled / calls).toBeLessThan(0.25);
      expect(r.stderr).toMatch(/throttled [\d,]+ of [\d,]+ calls/);
      // Paced once throttled (by default): the writes a second while paced, never above the table's
      // rate (the pace itself is probed past it now and then). NOTE: the low bound is loose: a
      // loaded machine (the tests run beside engines and other tests) starves the client too.
      expect(r.stderr).toMatch(/paced at [\d,]+ writes\/s/);
      expect(c.pace).toBeGreaterThan(1000);
      expect(c.pace).toBeLessThan(2200);
    } finally {
      fx.proxy.setFaults([]);
      fx.proxy.setCapacity(undefined);
    }
    await expectEveryItemOnce(t, n);
  });
});
