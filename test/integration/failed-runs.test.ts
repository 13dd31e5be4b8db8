// Bulk writes whose calls all fail (issue 18 acceptance): through the fault proxy every
// BatchWriteItem is refused with ProvisionedThroughputExceededException. The run still ends with
// its summary line and, with -o json, its document; exit 1; and exactly one instruction, which
// works when followed. A fake clock makes the retries' backoff pass at once.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/util/clock.js';
import { cli, engineName, errorMessages, scanAll } from '../helpers.js';
import type { Fault } from '../support/faultProxy.js';
import { proxiedTables } from '../support/proxiedTables.js';

const fx = proxiedTables('failed-runs', 'S');
const { clients, dir, newTable } = fx;

/** Waits pass at once: the retries' backoff costs no time. */
function fakeClock(): Clock {
  let t = Date.now();
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
}

/** `n` items of about 100 bytes, as NDJSON. */
function items(name: string, n: number): string {
  const f = join(dir, name);
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `k${i}`, n: i, s: 'x'.repeat(60) }));
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

/** Every BatchWriteItem refused, after the first `skip` calls. */
const refuseWrites = (skip = 0): Fault[] => [
  { kind: 'throughput', operations: ['BatchWriteItem'], skip, count: 1_000_000 },
];

/** The one instruction of a failed run's last line (what a person types next). */
function lastLine(stderr: string): string {
  return stderr.trim().split('\n').at(-1) ?? '';
}

async function viaProxy(args: string[], faults: Fault[]) {
  fx.proxy.setFaults(faults);
  try {
    return await cli(['--endpoint-url', fx.proxy.endpoint, '-o', 'json', ...args], { clock: fakeClock() });
  } finally {
    fx.proxy.setFaults([]);
  }
}

describe(`bulk writes whose calls fail, through the fault proxy on ${engineName()}`, () => {
  it('import, every call refused: exit 1, the summary line and document, "run the same command again" (no checkpoint to resume)', async () => {
    const t = await newTable('fail-import');
    const file = items('all.ndjson', 50);
    const r = await viaProxy(['import', t, file], refuseWrites());
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ table: t, read: 50, written: 0, checkpoint: null });
    expect(doc.concurrency.throttled).toBeGreaterThan(0);
    expect(r.stderr).toMatch(new RegExp(`import ${t}: 0 written`));
    expect(r.stderr).not.toContain('--resume');
    expect(lastLine(r.stderr)).toMatch(/run the same command again/);
    expect(r.stderr.match(/run the same command again/g)).toHaveLength(1);
    expect(existsSync(`${file}.ddbctl-import.json`)).toBe(false);
    // Followed: the same command again writes everything.
    const again = await cli(['--endpoint-url', fx.proxy.endpoint, 'import', t, file]);
    expect(again.code, again.stderr).toBe(0);
    expect(await scanAll(t, clients)).toHaveLength(50);
  });

  it('import of a big input, every call refused: stops once two chunks ran out of retries with nothing written between, not after every chunk', async () => {
    const t = await newTable('fail-import-big');
    // 400 chunks of 25: spending every chunk's 9 calls would be 3,600 calls (hours on a real table).
    const file = items('big.ndjson', 10_000);
    fx.proxy.resetStats();
    const r = await viaProxy(['import', t, file], refuseWrites());
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ table: t, written: 0 });
    // The chunks in flight when the second ran out (the calls in flight, at most 64) end too.
    expect(doc.concurrency.calls).toBeLessThan(1000);
    expect(r.stderr).toMatch(/the table wrote nothing between two chunks that ran out of retries/);
    expect(r.stderr).toMatch(/raise the table's write capacity/);
    expect(lastLine(r.stderr)).toMatch(/run the same command again/);
    expect(await scanAll(t, clients)).toHaveLength(0);
  });

  it('import, the calls after the first refused: exit 1, the summary, "continue with: … --resume", and --resume finishes it', async () => {
    const t = await newTable('fail-import-part');
    const file = items('part.ndjson', 50);
    const r = await viaProxy(['import', '--concurrency', '1', t, file], refuseWrites(1));
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ written: 25, checkpoint: `${file}.ddbctl-import.json` });
    expect(r.stderr).toMatch(new RegExp(`import ${t}: 25 written`));
    expect(lastLine(r.stderr)).toContain('--resume');
    expect(r.stderr).not.toContain('run the same command again');
    const resumed = await cli(['--endpoint-url', fx.proxy.endpoint, 'import', '--resume', t, file]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await scanAll(t, clients)).toHaveLength(50);
  });

  it('batch-write, every call refused (--max-retries 2): exit 1, the summary line, the document with every request failed', async () => {
    const t = await newTable('fail-bw');
    const file = items('bw.ndjson', 50);
    const r = await viaProxy(['batch-write', '--max-retries', '2', t, file], refuseWrites());
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ table: t, written: 0, failed: 50 });
    expect(doc.failures).toHaveLength(50);
    expect(r.stderr).toMatch(/written 0, retried \d+, failed 50/);
  });

  it('copy-table, every write refused: exit 1, the summary, one instruction: copy-table again', async () => {
    const src = await newTable('fail-copy-src');
    const dst = await newTable('fail-copy-dst');
    const fill = await cli(['import', src, items('copy.ndjson', 50)]);
    expect(fill.code, fill.stderr).toBe(0);
    const r = await viaProxy(['copy-table', src, dst], refuseWrites());
    expect(r.code, r.stderr).toBe(1);
    // NOTE: two chunks out of retries with nothing written between them stop the copy (writeChunk's
    // giveUp): the report counts what failed before the stop; the counts of the two tables are
    // not taken after a stop.
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 50, written: 0, failed: 50 });
    expect(errorMessages(r)).toHaveLength(1);
    expect(lastLine(r.stderr)).toMatch(/the table wrote nothing between two chunks that ran out of retries/);
    expect(lastLine(r.stderr)).toMatch(/once the cause is fixed, copy-table again writes every item anew$/);
    // In the table output, the report line for people.
    const people = await viaProxy(['-o', 'table', 'copy-table', src, dst], refuseWrites());
    expect(people.stdout).toMatch(new RegExp(`^copied 0 items from ${src} to ${dst} of 50 items read`));
    // Followed: copy-table again copies every item.
    const again = await cli(['--endpoint-url', fx.proxy.endpoint, 'copy-table', src, dst]);
    expect(again.code, again.stderr).toBe(0);
    expect(await scanAll(dst, clients)).toHaveLength(50);
  });

  it('truncate, every delete refused: exit 1, the summary, one instruction: truncate again', async () => {
    const t = await newTable('fail-truncate');
    const fill = await cli(['import', t, items('trunc.ndjson', 50)]);
    expect(fill.code, fill.stderr).toBe(0);
    const r = await viaProxy(['truncate', '--yes', t], refuseWrites());
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ deleted: 0 });
    expect(errorMessages(r)).toHaveLength(1);
    // Two chunks out of retries with nothing deleted between them stop it (writeChunk's giveUp).
    expect(lastLine(r.stderr)).toMatch(
      /the table wrote nothing between two chunks .*; 0 items of \S+ deleted before the stop; once the cause is fixed, truncate again deletes what is left$/,
    );
    // Followed: the same command again deletes them.
    const again = await cli(['--endpoint-url', fx.proxy.endpoint, 'truncate', '--yes', t]);
    expect(again.code, again.stderr).toBe(0);
    expect(await scanAll(t, clients)).toHaveLength(0);
  });

  it('import and truncate, every write call dropped (the endpoint unreachable): the report, then one instruction', async () => {
    const dropWrites: Fault[] = [{ kind: 'dropBefore', operations: ['BatchWriteItem'] }];
    const t = await newTable('fail-drop');
    const file = items('drop.ndjson', 50);
    const im = await viaProxy(['import', t, file], dropWrites);
    expect(im.code, im.stderr).toBe(1);
    expect(JSON.parse(im.stdout)).toMatchObject({ written: 0, checkpoint: null });
    expect(errorMessages(im)).toHaveLength(1);
    expect(lastLine(im.stderr)).toMatch(/run the same command again \(puts are idempotent\)$/);

    const fill = await cli(['import', t, file]);
    expect(fill.code, fill.stderr).toBe(0);
    const tr = await viaProxy(['truncate', '--yes', t], dropWrites);
    expect(tr.code, tr.stderr).toBe(1);
    expect(JSON.parse(tr.stdout)).toMatchObject({ deleted: 0 });
    expect(errorMessages(tr)).toHaveLength(1);
    expect(lastLine(tr.stderr)).toMatch(/truncate again deletes what is left/);
  });
});
