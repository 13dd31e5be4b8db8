// copy-table's checks before anything is read or written, on every engine: an existing
// destination with another key schema is refused in one line, and a copy with one side named
// never sends the other side to a target nobody named (AWS, when credentials are in the
// environment). The copies themselves are tested in transfer.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { batchWrite } from '../../src/core/batch/batchWrite.js';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { describeTable } from '../../src/core/control/describeTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { type CreateTableOptions, createTable } from '../../src/core/spec/createTable.js';
import {
  type CliRun,
  cli,
  ctrlC,
  endpoint,
  engineName,
  errorMessages,
  scanAll,
  testClients,
  uniqueName,
} from '../helpers.js';

const clients = testClients();
const tables: string[] = [];

afterAll(async () => {
  await Promise.all(tables.map((t) => deleteTable(clients, t).catch(() => {})));
  clients.destroy();
});

async function newTable(prefix: string, keys: Omit<CreateTableOptions, 'tableName'>): Promise<string> {
  const name = uniqueName(prefix);
  tables.push(name);
  await createTable(clients, { tableName: name, throughput: 'on-demand', ...keys });
  await waitForTable(clients, name, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
  return name;
}

describe(`copy-table creates DST with SRC's settings, on ${engineName()}`, () => {
  // (What a copy into an engine that drops the limits says is tested on cloneTableInput with such
  // an engine's capabilities.)
  it("keeps the on-demand throughput limits of the table and its GSIs (built as apply's replacement is)", async () => {
    const src = uniqueName('odt-src');
    const dst = uniqueName('odt-dst');
    tables.push(src, dst);
    await clients.ddb.send(
      new CreateTableCommand({
        TableName: src,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        OnDemandThroughput: { MaxReadRequestUnits: 77, MaxWriteRequestUnits: 66 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            OnDemandThroughput: { MaxReadRequestUnits: 55, MaxWriteRequestUnits: 44 },
          },
        ],
      }),
    );
    await waitForTable(clients, src, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
    const r = await cli(['copy-table', src, dst, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('note:');
    const d = await describeTable(clients, dst);
    expect(d.OnDemandThroughput).toEqual({ MaxReadRequestUnits: 77, MaxWriteRequestUnits: 66 });
    expect(d.GlobalSecondaryIndexes?.[0]?.OnDemandThroughput).toEqual({
      MaxReadRequestUnits: 55,
      MaxWriteRequestUnits: 44,
    });
    // Into the embedded engine (a data dir of its own): it keeps them too, nothing to say.
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-odt-'));
    try {
      const r2 = await cli([
        'copy-table',
        src,
        src,
        '--from-endpoint-url',
        endpoint(),
        '--to-data-dir',
        dir,
        '-q',
        '-o',
        'json',
      ]);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stderr).toBe('');
      expect(JSON.parse(r2.stdout).notCarried ?? []).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`copy-table checks before it copies, on ${engineName()}`, () => {
  it('an existing destination with another key schema: one line naming both schemas, exit 1, nothing read or written', async () => {
    const src = await newTable('ks-src', { partitionKey: { name: 'id', type: 'S' } });
    const dst = await newTable('ks-dst', {
      partitionKey: { name: 'other', type: 'N' },
      sortKey: { name: 'at', type: 'S' },
    });
    const put = await batchWrite(
      clients,
      src,
      Array.from({ length: 30 }, (_, i) => ({ put: { id: `i${i}`, v: 'x' } })),
    );
    expect(put.failed).toEqual([]);
    const r = await cli(['copy-table', src, dst, '-q']);
    expect(r.code).toBe(1);
    expect(errorMessages(r)).toEqual([
      `ddbctl: error: table ${dst} (${endpoint()}) already exists with key schema other:N, at:S, but ${src} has id:S: its items cannot be written there; nothing was copied. Copy into a new table name (created with ${src}'s schema), or delete ${dst} first`,
    ]);
    expect(r.stdout).toBe('');
    expect(await scanAll(dst, clients)).toEqual([]);
  });

  it('items the destination refuses (an index key of another type) are said to fail again on every run, not "run again to finish"', async () => {
    const src = await newTable('gt-src', { partitionKey: { name: 'id', type: 'S' } });
    const dst = uniqueName('gt-dst');
    tables.push(dst);
    expect((await cli(['create-table', dst, '--pk', 'id:S', '--gsi', 'byN:n:S', '--wait', '-q'])).code).toBe(
      0,
    );
    const put = await batchWrite(
      clients,
      src,
      Array.from({ length: 3 }, (_, i) => ({ put: { id: `i${i}`, n: i } })),
    );
    expect(put.failed).toEqual([]);
    const r = await cli(['copy-table', src, dst, '-q']);
    expect(r.code).toBe(1);
    const [line] = errorMessages(r);
    expect(line).toContain(`copy incomplete: ${src} has 3 items, ${dst} has 0 (3 not written: `);
    expect(line).toContain(
      `; they were refused by ${dst} itself, and would be again: make ${dst} take them (its key and index key types must be those of the items), then run copy-table again`,
    );
    expect(line).not.toContain('run copy-table again to finish');
  });

  it('one side named and the other not is a usage error (exit 2) listing the flags, before any request', async () => {
    // Credentials in the environment make AWS the default target: the unnamed side must not go there.
    const env = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' };
    const cases: [string[], string][] = [
      [
        ['--from-endpoint-url', endpoint()],
        "ddbctl: error: the source is named but not the destination: add --to-local, --to-endpoint-url URL, --to-aws or --to-region REGION (or a global --local / --endpoint-url / --aws for it); ddbctl does not pick the destination from the environment's credentials",
      ],
      [
        ['--from-local'],
        "ddbctl: error: the source is named but not the destination: add --to-local, --to-endpoint-url URL, --to-aws or --to-region REGION (or a global --local / --endpoint-url / --aws for it); ddbctl does not pick the destination from the environment's credentials",
      ],
      [
        ['--to-endpoint-url', endpoint(), '--to-region', 'eu-west-1'],
        "ddbctl: error: the destination is named but not the source: add --from-local, --from-endpoint-url URL, --from-aws or --from-region REGION (or a global --local / --endpoint-url / --aws for it); ddbctl does not pick the source from the environment's credentials",
      ],
      // A region names its side as a profile does: the other side must be named too.
      [
        ['--from-region', 'eu-west-1'],
        "ddbctl: error: the source is named but not the destination: add --to-local, --to-endpoint-url URL, --to-aws or --to-region REGION (or a global --local / --endpoint-url / --aws for it); ddbctl does not pick the destination from the environment's credentials",
      ],
      [
        ['--to-profile', 'p1'],
        "ddbctl: error: the destination is named but not the source: add --from-local, --from-endpoint-url URL, --from-aws or --from-region REGION (or a global --local / --endpoint-url / --aws for it); ddbctl does not pick the source from the environment's credentials",
      ],
    ];
    for (const [flags, line] of cases) {
      const r = await cli(['copy-table', 'Src', 'Dst', ...flags], { defaultTarget: true, env });
      expect(r.code, r.stderr).toBe(2);
      expect(errorMessages(r)).toEqual([line]);
      // Refused before any target was opened.
      expect(r.stderr).not.toContain('ddbctl: source');
    }
  });

  it("a side's region on the embedded engine, which has none, is refused before anything is opened", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ddbctl-copy-region-')), 'data');
    try {
      for (const [flags, side, role] of [
        [
          ['--data-dir', dataDir, 'copy-table', 'Src', 'Dst', '--to-region', 'eu-west-1'],
          'to',
          'destination',
        ],
        [
          [
            'copy-table',
            'Src',
            'Dst',
            '--from-data-dir',
            dataDir,
            '--from-region',
            'eu-west-1',
            '--to-endpoint-url',
            endpoint(),
          ],
          'from',
          'source',
        ],
      ] as const) {
        const r = await cli([...flags], { defaultTarget: true });
        expect(r.code, r.stderr).toBe(2);
        expect(errorMessages(r)).toEqual([
          `ddbctl: error: --${side}-region eu-west-1 names a region, but the ${role} is the embedded engine (data dir ${dataDir}), which has none (one set of tables): add --${side}-aws for DynamoDB in eu-west-1 (or --${side}-endpoint-url URL), or leave --${side}-region out`,
        ]);
      }
    } finally {
      rmSync(dirname(dataDir), { recursive: true, force: true });
    }
  });

  it('a global target flag names the other side', async () => {
    const src = await newTable('g-src', { partitionKey: { name: 'id', type: 'S' } });
    expect((await batchWrite(clients, src, [{ put: { id: 'a' } }])).failed).toEqual([]);
    const dst = uniqueName('g-dst');
    tables.push(dst);
    const r = await cli([
      '--endpoint-url',
      endpoint(),
      'copy-table',
      src,
      dst,
      '--from-endpoint-url',
      endpoint(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`destination: endpoint ${endpoint()}`);
    expect(r.stdout).toMatch(
      new RegExp(`^copied 1 item from ${src} to ${dst} \\(created\\): 1 in the source`),
    );
    expect(await scanAll(dst, clients)).toEqual([{ id: 'a' }]);
  });

  it('a copy of a table onto itself is refused (exit 2) before anything is opened, however the target is named', async () => {
    const src = await newTable('self', { partitionKey: { name: 'id', type: 'S' } });
    expect((await batchWrite(clients, src, [{ put: { id: 'a', v: 'x' } }])).failed).toEqual([]);
    const line = `ddbctl: error: the source and the destination are the same table ${src} on the endpoint ${endpoint()} (region us-east-1): a copy onto itself would only rewrite every item; name another destination table or target`;
    for (const flags of [
      [],
      ['--from-endpoint-url', endpoint(), '--to-endpoint-url', endpoint()],
      ['--from-endpoint-url', endpoint(), '--to-endpoint-url', `${endpoint()}/`],
    ]) {
      const r = await cli(['copy-table', src, src, ...flags]);
      expect(r.code, r.stderr).toBe(2);
      expect(errorMessages(r)).toEqual([line]);
      expect(r.stderr).not.toContain('ddbctl: source');
      expect(r.stdout).toBe('');
    }
    // The same table name on two data dirs of the embedded engine is a copy: not refused.
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-self-'));
    try {
      const ok = await cli([
        'copy-table',
        src,
        src,
        '--from-endpoint-url',
        endpoint(),
        '--to-data-dir',
        dir,
        '-q',
      ]);
      expect(ok.code, ok.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`copy-table and truncate stopped by Ctrl-C on ${engineName()}`, () => {
  const n = 20_000;

  /** Run ddbctl in-process on a terminal (progress lines on stderr); Ctrl-C once stderr matches `when`. */
  async function interrupted(args: string[], when: RegExp): Promise<CliRun> {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    let sent = false;
    out.on('data', (d) => {
      stdout += d;
    });
    err.on('data', (d) => {
      stderr += d;
      if (!sent && when.test(stderr)) {
        sent = true;
        ctrlC();
      }
    });
    const io: Io = {
      stdout: out,
      stderr: err,
      stdin: Readable.from([]),
      env: { ...process.env },
      isTTY: true,
    };
    const code = await main(['--endpoint-url', endpoint(), ...args], io);
    expect(sent, stderr).toBe(true);
    return { code, stdout, stderr };
  }

  it('copy-table: exit 130, one line with what was written and whether DST was created, and the command to run again; then truncate: exit 130, what was deleted, the rest left', async () => {
    const src = await newTable('int-src', { partitionKey: { name: 'id', type: 'S' } });
    const put = await batchWrite(
      clients,
      src,
      Array.from({ length: n }, (_, i) => ({ put: { id: `i${String(i).padStart(5, '0')}`, v: 'x' } })),
    );
    expect(put.failed).toEqual([]);
    const dst = uniqueName('int-dst');
    tables.push(dst);
    const args = ['copy-table', src, dst, '--segments', '1', '--concurrency', '1'];
    const r = await interrupted(args, /copy .* ([1-9][\d,]*) (of ~[\d,]+ )?items.* written/);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    const report = r.stderr
      .replaceAll('\r\x1b[K', '\n')
      .split('\n')
      .filter((l) => l.includes('interrupted'));
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(
      new RegExp(
        `^ddbctl: copy-table ${src} → ${dst} interrupted: [\\d,]+ items? written of [\\d,]+ read \\((none was in flight at the stop|[\\d,]+ more writes in flight at the stop may have landed too)\\); ${dst} was created by this run; the same command again writes every item anew: ddbctl --endpoint-url ${endpoint()} copy-table ${src} ${dst} --segments 1 --concurrency 1$`,
      ),
    );
    expect(r.stderr).not.toMatch(/Database is closed|\n\s+at /);
    const copied = (await scanAll(dst, clients)).length;
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(n);
    const num = (re: RegExp, text: string) => Number(re.exec(text)?.[1]?.replaceAll(',', '') ?? 0);
    const written = num(/interrupted: ([\d,]+)/, report[0]!);
    const inFlight = num(/([\d,]+) more writes in flight/, report[0]!);
    // Writes in flight at the stop are counted only once confirmed: never more than arrived, and
    // what arrived is at most those and the ones said to be in flight.
    expect(written).toBeLessThanOrEqual(copied);
    expect(copied).toBeLessThanOrEqual(written + inFlight);

    // Items enough that the truncate is stopped before its end: the copy may have been stopped after
    // a few dozen, which the deletes in flight at a stop can all take (seen on a loaded machine).
    const more = await batchWrite(
      clients,
      dst,
      Array.from({ length: 5000 }, (_, i) => ({ put: { id: `t${String(i).padStart(5, '0')}`, v: 'x' } })),
    );
    expect(more.failed).toEqual([]);
    const t = await interrupted(
      ['truncate', dst, '--yes', '--segments', '1'],
      /truncate .*: [1-9][\d,]* deleted/,
    );
    expect(t.code, t.stderr).toBe(130);
    const line = t.stderr
      .replaceAll('\r\x1b[K', '\n')
      .split('\n')
      .filter((l) => l.includes('interrupted'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(
      new RegExp(
        `^ddbctl: truncate ${dst} interrupted: [\\d,]+ items? deleted \\((none was in flight at the stop|[\\d,]+ more deletes in flight at the stop may have landed too)\\), the rest is left; the same command again deletes what is left: ddbctl --endpoint-url ${endpoint()} truncate ${dst} --yes --segments 1$`,
      ),
    );
    const left = (await scanAll(dst, clients)).length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(copied + 5000);
    const deleted = copied + 5000 - left;
    const said = num(/interrupted: ([\d,]+)/, line[0]!);
    expect(said).toBeLessThanOrEqual(deleted);
    expect(deleted).toBeLessThanOrEqual(said + num(/([\d,]+) more deletes in flight/, line[0]!));
  }, 180_000);
});
