// The table lifecycle commands on every engine: create-table (flags and --spec), describe-table,
// list-tables, update-table, wait, delete-table. A feature an engine lacks is tested where it
// exists; where it does not, the test checks that ddbctl says so in one line and changes nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeContinuousBackupsCommand,
  DescribeTimeToLiveCommand,
  QueryCommand,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { batchWrite } from '../../src/core/batch/batchWrite.js';
import { findTable } from '../../src/core/control/describeTable.js';
import { listTables } from '../../src/core/control/listTables.js';
import { listTags } from '../../src/core/control/tags.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import type { Item } from '../../src/core/data/codec.js';
import {
  cli,
  describeRaw,
  endpoint,
  engineName,
  errorMessages,
  expectOk,
  testClients,
  uniqueName,
} from '../helpers.js';

const clients = testClients();
const engine = engineName();
const EMBEDDED = engine === 'embedded';
const LOCAL = engine === 'dynamodb-local';
/**
 * What each engine under test has (see src/core/spec/caps.ts for how ddbctl finds out): GSI
 * changes, TTL, streams and deletion protection, all; tags and PITR, all but DynamoDB Local.
 */
const has = {
  tags: !LOCAL,
};
const prefix = uniqueName('tbl');
const name = (s: string) => `${prefix}-${s}`;
const DEAD = ['--endpoint-url', 'http://127.0.0.1:1'];
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-tables-'));

afterAll(async () => {
  for (const t of await listTables(clients, { prefix })) {
    try {
      const d = await findTable(clients, t);
      if (d?.DeletionProtectionEnabled) {
        await clients.ddb.send(new UpdateTableCommand({ TableName: t, DeletionProtectionEnabled: false }));
      }
      await cli(['delete-table', t, '--yes', '--no-wait', '-q']);
    } catch {}
  }
  clients.destroy();
});

function describe_(table: string): Promise<TableDescription> {
  return describeRaw(table, clients);
}

/** `n` items; numbers are written as NumberValue, as everywhere in ddbctl. */
async function seed(table: string, n: number, make: (i: number) => Record<string, unknown>): Promise<void> {
  const r = await batchWrite(
    clients,
    table,
    Array.from({ length: n }, (_, i) => ({
      put: Object.fromEntries(
        Object.entries(make(i)).map(([k, v]) => [k, typeof v === 'number' ? new NumberValue(String(v)) : v]),
      ) as Item,
    })),
  );
  expect(r.failed).toEqual([]);
}

describe(`table lifecycle on ${engine}`, () => {
  const main = name('main');

  it('create-table: keys, provisioned capacity, a GSI with INCLUDE and its own capacity, an LSI, --wait', async () => {
    const r = await cli([
      'create-table',
      main,
      '--pk',
      'user:S',
      '--sk',
      'at:N',
      '--rcu',
      '5',
      '--wcu',
      '4',
      '--gsi',
      'byType:type:S:at:N:include=title,body:3/2',
      '--lsi',
      'byScore:score:N:keys-only',
      '--wait',
    ]);
    expectOk(r);
    expect(r.stdout).toBe(`created: ${main} (ACTIVE)\n`);
    const d = await describe_(main);
    expect(d.TableStatus).toBe('ACTIVE');
    expect(d.KeySchema).toEqual([
      { AttributeName: 'user', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ]);
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 4 });
    const gsi = d.GlobalSecondaryIndexes?.[0];
    expect(gsi?.IndexName).toBe('byType');
    expect(gsi?.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['title', 'body'] });
    expect(gsi?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 2 });
    expect(d.LocalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byScore',
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });

  it('create-table on an existing table with another key schema: one line naming both and the fix, exit 1, nothing changed', async () => {
    const r = await cli(['create-table', main, '--pk', 'other:N', '--billing', 'on-demand']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(errorMessages(r)).toEqual([
      `ddbctl: error: table ${main} already exists with key schema user:S, at:N, not other:N as asked; nothing was changed. Use another table name, or put the table in a spec file and run 'ddbctl --endpoint-url ${endpoint()} apply FILE --allow-replace' (copy-and-swap, keeps every item)`,
    ]);
    const d = await describe_(main);
    expect(d.KeySchema?.[0]?.AttributeName).toBe('user');
    expect(d.BillingModeSummary?.BillingMode ?? 'PROVISIONED').toBe('PROVISIONED');
  });

  it('create-table on an existing table with the same keys reports it (exit 0) and says which asked settings differ, changing nothing', async () => {
    const keys = ['--pk', 'user:S', '--sk', 'at:N'];
    const same = await cli(['create-table', main, ...keys]);
    expectOk(same);
    expect(same.stdout).toBe(`exists: ${main} (ACTIVE)\n`);
    expect(same.stderr).toContain(`table ${main} already exists (ACTIVE) as asked`);
    const r = await cli(['create-table', main, ...keys, '--billing', 'on-demand']);
    expectOk(r);
    expect(r.stdout).toBe(`exists: ${main} (ACTIVE)\n`);
    expect(r.stderr).toContain(
      `table ${main} already exists (ACTIVE) and differs from what was asked; not changed: update billing provisioned 5/4 → on-demand; to change it use 'ddbctl --endpoint-url ${endpoint()} update-table ${main}' or 'ddbctl --endpoint-url ${endpoint()} apply'`,
    );
    // What was asked and not done is a warning: -q keeps it (and only it: no "as asked" notice).
    const quiet = await cli(['create-table', main, ...keys, '--billing', 'on-demand', '-q']);
    expectOk(quiet);
    expect(quiet.stderr).toMatch(
      new RegExp(
        `^ddbctl: table ${main} already exists \\(ACTIVE\\) and differs from what was asked; not changed: update billing`,
      ),
    );
    expect((await cli(['create-table', main, ...keys, '-q'])).stderr).toBe('');
    const j = await cli(['create-table', main, ...keys, '--rcu', '9', '--wcu', '4', '-o', 'json']);
    expectOk(j);
    expect(JSON.parse(j.stdout)).toMatchObject({
      outcome: 'exists',
      differences: ['update throughput 5/4 → 9/4'],
    });
    expect((await describe_(main)).ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 4,
    });
  });

  it('create-table without billing flags and a spec without billing give the same table: on-demand', async () => {
    const fromFlags = name('deflags');
    const fromSpec = name('despec');
    const file = join(dir, 'nobilling.yaml');
    writeFileSync(file, [`name: ${fromSpec}`, 'partitionKey: id:S'].join('\n'));
    expectOk(await cli(['create-table', fromFlags, '--pk', 'id:S', '--wait']));
    expectOk(await cli(['create-table', '--spec', file, '--wait']));
    const billing = (d: TableDescription) => ({
      mode: d.BillingModeSummary?.BillingMode,
      read: d.ProvisionedThroughput?.ReadCapacityUnits,
      write: d.ProvisionedThroughput?.WriteCapacityUnits,
    });
    const a = billing(await describe_(fromFlags));
    expect(a.mode).toBe('PAY_PER_REQUEST');
    expect(billing(await describe_(fromSpec))).toEqual(a);
    // Capacity flags alone mean provisioned, and need both numbers.
    const half = await cli([...DEAD, 'create-table', name('half'), '--rcu', '3']);
    expect(half.code).toBe(2);
    expect(errorMessages(half)).toEqual([
      'ddbctl: error: provisioned billing needs both --rcu and --wcu (for example --rcu 5 --wcu 5); without them the table is on-demand',
    ]);
  });

  it(`create-table --tag without --wait off a terminal: the tags are on the table${has.tags ? '' : ', or the command fails saying they are not'}`, async () => {
    const t = name('tagged');
    const r = await cli(['create-table', t, '--pk', 'id:S', '--tag', 'team=x', '--tag', 'env=dev', '-q']);
    await waitForTable(clients, t, { for: 'active' });
    const arn = (await describe_(t)).TableArn ?? '';
    if (has.tags) {
      expectOk(r);
      expect(await listTags(clients, arn)).toEqual({ team: 'x', env: 'dev' });
      expect(r.stderr).toBe('');
    } else {
      // The table is created (stdout says so), then exit 1 naming what was not applied, -q or not.
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^created: ${t} \\((CREATING|ACTIVE)\\)\\n$`));
      expect(errorMessages(r)).toEqual([
        `ddbctl: error: table ${t} was created without a setting this endpoint cannot apply: tag team=x, env=dev (DynamoDB Local does not support tags (TagResource, UntagResource)); the rest was done. Take it out of the flags, or create the table on an endpoint that can`,
      ]);
    }
  });

  it('create-table --spec FILE takes the table from a spec file (the format of apply)', async () => {
    const t = name('fromspec');
    const file = join(dir, 'one.yaml');
    writeFileSync(
      file,
      [
        'tables:',
        `  - name: ${t}`,
        '    partitionKey: id:S',
        '    billing: on-demand',
        '    gsis:',
        '      - {name: byEmail, partitionKey: email:S, projection: KEYS_ONLY}',
      ].join('\n'),
    );
    const r = await cli(['create-table', '--spec', file, '--wait']);
    expectOk(r);
    const d = await describe_(t);
    expect(d.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(d.GlobalSecondaryIndexes?.[0]?.Projection?.ProjectionType).toBe('KEYS_ONLY');
    // The flags and --spec do not mix.
    const both = await cli([...DEAD, 'create-table', '--spec', file, '--pk', 'x:S']);
    expect(both.code).toBe(2);
    expect(errorMessages(both)).toEqual([
      `ddbctl: error: --spec gives the whole table: remove --pk (or put them in ${file})`,
    ]);
  });

  it('create-table without --wait off a terminal returns once CreateTable is accepted', async () => {
    const t = name('nowait');
    const r = await cli(['create-table', t, '--billing', 'on-demand']);
    expectOk(r);
    expect(r.stdout).toMatch(new RegExp(`^created: ${t} \\((CREATING|ACTIVE)\\)\\n$`));
    await waitForTable(clients, t, { for: 'active' });
  });

  it(`create-table reports, in one line each, what ${engine} cannot do, and does the rest (embedded: does it all)`, async () => {
    const t = name('caps');
    const args = ['--ttl', 'expiresAt', '--stream', 'new-image', '--tag', 'env=dev', '--pitr'];
    const r = await cli(['create-table', t, '--pk', 'id:S', '--billing', 'on-demand', ...args, '--wait']);
    const notApplied = errorMessages(r);
    if (EMBEDDED) {
      // Every one of them is applied there: nothing to report.
      expect(notApplied).toEqual([]);
      expect(r.code).toBe(0);
      const ttl = await clients.ddb.send(new DescribeTimeToLiveCommand({ TableName: t }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt' });
      expect((await describe_(t)).StreamSpecification).toEqual({
        StreamEnabled: true,
        StreamViewType: 'NEW_IMAGE',
      });
      const backups = await clients.ddb.send(new DescribeContinuousBackupsCommand({ TableName: t }));
      expect(
        backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus,
      ).toBe('ENABLED');
      // CreateTable keeps its Tags: no TagResource step afterwards.
      const d = await describe_(t);
      expect(await listTags(clients, d.TableArn ?? '')).toEqual({ env: 'dev' });
      expect(r.stderr).not.toContain('tag env=dev');
    } else if (LOCAL) {
      expect(r.code).toBe(1);
      expect(notApplied).toEqual([
        `ddbctl: error: table ${t} was created without 2 settings this endpoint cannot apply: tag env=dev (DynamoDB Local does not support tags (TagResource, UntagResource)); enable point-in-time recovery (DynamoDB Local does not support point-in-time recovery (UpdateContinuousBackups)); the rest was done. Take them out of the flags, or create the table on an endpoint that can`,
      ]);
      const d = await describe_(t);
      expect(d.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
      const ttl = await clients.ddb.send(new DescribeTimeToLiveCommand({ TableName: t }));
      expect(ttl.TimeToLiveDescription).toMatchObject({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: 'expiresAt',
      });
    }
  });

  it('bad flags are one usage line (exit 2), before any request', async () => {
    const cases: [string[], string][] = [
      [
        ['--gsi', 'byEmail'],
        'ddbctl: error: --gsi "byEmail": expected NAME:PK:TYPE[:SK:TYPE][:all|keys-only|include=a,b][:R/W], such as byEmail:email:S',
      ],
      [
        ['--pk', 'id'],
        'ddbctl: error: --pk "id": expected NAME:TYPE with TYPE S, N or B (for example --pk username:S)',
      ],
      [
        ['--lsi', 'byX:x:S'],
        'ddbctl: error: create-table t-bad: lsis[0].name: an LSI needs a table with a sort key',
      ],
      [
        ['--gsi', 'byA:a:S', '--gsi', 'byA:b:S'],
        'ddbctl: error: create-table t-bad: gsis[1].name: duplicate index name "byA" (also at gsis[0].name)',
      ],
      [
        ['--gsi', 'byE:e:S:3/2'],
        'ddbctl: error: --gsi byE: its READ/WRITE capacity needs a provisioned table: add --rcu N --wcu N (without them the table is on-demand)',
      ],
      [
        ['--billing', 'on-demand', '--rcu', '5'],
        'ddbctl: error: --rcu/--wcu do not go with --billing on-demand: an on-demand table has no capacity',
      ],
      [
        ['--stream', 'sideways'],
        'ddbctl: error: --stream "sideways": use new-image, old-image, new-and-old-images, keys-only or off',
      ],
    ];
    for (const [args, line] of cases) {
      const r = await cli([...DEAD, 'create-table', 't-bad', ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(errorMessages(r)).toEqual([line]);
    }
  });

  it('describe-table: a readable summary, and --output json with the full description', async () => {
    await seed(main, 3, (i) => ({ user: `u${i}`, at: i, type: 'post', title: `t${i}`, score: i }));
    const r = await cli(['describe-table', main]);
    expectOk(r);
    for (const text of [
      'user S (partition), at N (sort)',
      '5 read / 4 write',
      'byType: type S (partition), at N (sort); projection INCLUDE title, body; ACTIVE; 3 read / 2 write',
      'byScore: user S (partition), score N (sort); projection KEYS_ONLY',
      'deletion protection',
      'STANDARD',
    ]) {
      expect(r.stdout).toContain(text);
    }
    expect(r.stdout).toMatch(/│ TTL\s+│ off/);
    expect(r.stdout).toMatch(/│ point-in-time recovery\s+│ (off|not supported by this endpoint)/);
    expect(r.stdout).toMatch(has.tags ? /│ tags\s+│ none/ : /│ tags\s+│ not supported by this endpoint/);
    const j = await cli(['describe-table', main, '-o', 'json']);
    expectOk(j);
    const doc = JSON.parse(j.stdout);
    expect(doc.Table.TableName).toBe(main);
    expect(doc.Table.GlobalSecondaryIndexes[0].IndexName).toBe('byType');
    expect(doc.Tags).toEqual(has.tags ? {} : null);
    expect(doc.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    expect(doc).toHaveProperty('ContinuousBackupsDescription');
    const missing = await cli(['describe-table', name('missing')]);
    expect(missing.code).toBe(1);
    expect(errorMessages(missing)).toEqual([
      `ddbctl: error: DescribeTable: table ${name('missing')} does not exist; list tables with 'ddbctl --endpoint-url ${endpoint()} list-tables'`,
    ]);
  });

  it('every item count shown is known or said to be approximate/unknown: describe-table, delete-table and truncate prompts', async () => {
    const full = name('counted');
    const empty = name('uncounted');
    for (const t of [full, empty]) expectOk(await cli(['create-table', t, '--pk', 'id:S', '--wait']));
    await seed(full, 40, (i) => ({ id: `i${i}` }));
    // The embedded engine and DynamoDB Local count as they go; AWS every six hours.
    const reported = (await describe_(full)).ItemCount ?? 0;
    const fullText =
      reported > 0
        ? `about ${reported} (DynamoDB's count, refreshed about every six hours)`
        : 'unknown (the engine reports 0, but the table holds items)';
    if (EMBEDDED) expect(reported).toBe(40);

    const d = await cli(['describe-table', full]);
    expectOk(d);
    expect(d.stdout).toMatch(new RegExp(`│ items\\s+│ ${fullText.replace(/[()]/g, '\\$&')}`));
    const reportedSize = (await describe_(full)).TableSizeBytes ?? 0;
    const sizeText =
      reportedSize > 0
        ? `about ${reportedSize.toLocaleString('en-US')} (DynamoDB's figure, refreshed about every six hours)`
        : 'unknown (the engine reports 0, but the table holds items)';
    expect(d.stdout).toMatch(new RegExp(`│ size \\(bytes\\)\\s+│ ${sizeText.replace(/[()]/g, '\\$&')}`));
    if (EMBEDDED) expect(reportedSize).toBeGreaterThan(0);
    const emptyText = (await cli(['describe-table', empty])).stdout;
    expect(emptyText).toMatch(/│ items\s+│ empty/);
    expect(emptyText).toMatch(/│ size \(bytes\)\s+│ 0 \(empty\)/);
    const j = JSON.parse((await cli(['describe-table', full, '-o', 'json'])).stdout);
    expect(j.Table.ItemCount).toBe(reported);
    expect(j.ItemCount).toMatchObject({
      reported,
      status: reported > 0 ? 'approximate' : 'unknown',
      known: false,
    });
    expect(j.ItemCount.size).toEqual({
      reported: reportedSize,
      status: reportedSize > 0 ? 'approximate' : 'unknown',
      known: false,
    });
    expect(JSON.parse((await cli(['describe-table', empty, '-o', 'json'])).stdout).ItemCount).toEqual({
      reported: 0,
      status: 'empty',
      known: true,
      size: { reported: 0, status: 'empty', known: true },
    });

    // The prompts (refused here: no terminal) carry the same words.
    const del = await cli(['delete-table', full]);
    expect(del.code).toBe(2);
    expect(errorMessages(del)).toEqual([
      `ddbctl: error: Delete table ${full} at endpoint ${endpoint()} (region us-east-1), items: ${fullText}: refusing without a terminal to confirm on; pass --yes to confirm`,
    ]);
    const trunc = await cli(['truncate', empty]);
    expect(errorMessages(trunc)).toEqual([
      `ddbctl: error: Delete every item of ${empty} at endpoint ${endpoint()} (region us-east-1), items: empty: refusing without a terminal to confirm on; pass --yes to confirm`,
    ]);
    const truncFull = await cli(['truncate', full]);
    expect(errorMessages(truncFull)[0]).toContain(
      `Delete every item of ${full} at endpoint ${endpoint()} (region us-east-1), items: ${fullText}:`,
    );
    expect(await findTable(clients, full)).toBeDefined();

    // On a terminal, with -q (no target line), each destructive prompt still names the target.
    const where = `at endpoint ${endpoint()} (region us-east-1)`;
    for (const [args, question] of [
      [['truncate', full], `Delete every item of ${full} ${where}, items: ${fullText}? [y/N] `],
      [['delete-table', full], `Delete table ${full} ${where}, items: ${fullText}? [y/N] `],
    ] as const) {
      const asked = await cli([...args, '-q'], { tty: true, stdin: 'n\n' });
      expect(asked.code).toBe(1);
      expect(asked.stderr).toContain(question);
      expect(asked.stderr).not.toContain('ddbctl: target');
    }
    // Ctrl-C at the question is a no: nothing changed, said in one line, no 'unexpected error';
    // exit 130, as Ctrl-C ends any run.
    const stopped = await cli(['delete-table', full, '-q'], { tty: true, stdin: '\x03' });
    expect(stopped.code).toBe(130);
    expect(errorMessages(stopped)).toEqual([`ddbctl: error: not deleted: table ${full} is unchanged`]);
    const kept = await cli(['truncate', full, '-q'], { tty: true, stdin: '\x03' });
    expect(kept.code).toBe(130);
    expect(errorMessages(kept)).toEqual([`ddbctl: error: not truncated: ${full} is unchanged`]);
    // Ctrl-D (the end of input) is a plain no: exit 1.
    const ended = await cli(['delete-table', full, '-q'], { tty: true, stdin: '\x04' });
    expect(ended.code).toBe(1);
    expect(errorMessages(ended)).toEqual([`ddbctl: error: not deleted: table ${full} is unchanged`]);
    expect(await findTable(clients, full)).toBeDefined();
  });

  it('list-tables: every page, --prefix, --output json', async () => {
    const mine = (await listTables(clients, { prefix })).sort();
    expect(mine.length).toBeGreaterThanOrEqual(4);
    const r = await cli(['list-tables', '--prefix', prefix, '--page-size', '1']);
    expectOk(r);
    expect(r.stdout.trim().split('\n').sort()).toEqual(mine);
    const j = await cli(['list-tables', '--prefix', prefix, '-o', 'json']);
    expect(JSON.parse(j.stdout).TableNames.sort()).toEqual(mine);
  });

  it('update-table: table and GSI throughput, then billing on-demand and back', async () => {
    let r = await cli(['update-table', main, '--rcu', '7', '--gsi-throughput', 'byType:4/4', '--wait']);
    expectOk(r);
    expect(r.stdout).toBe(`updated: ${main}: update throughput 5/4 → 7/4; GSI byType throughput 3/2 → 4/4\n`);
    let d = await describe_(main);
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 7, WriteCapacityUnits: 4 });
    expect(d.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 4,
      WriteCapacityUnits: 4,
    });

    r = await cli(['update-table', main, '--billing', 'on-demand', '--wait']);
    expectOk(r);
    d = await describe_(main);
    expect(d.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');

    r = await cli(['update-table', main, '--billing', 'provisioned', '--rcu', '2', '--wcu', '2', '--wait']);
    expectOk(r);
    d = await describe_(main);
    expect(d.BillingModeSummary?.BillingMode).toBe('PROVISIONED');
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 2 });
    // Every GSI gets capacity on a switch to provisioned (DynamoDB refuses the switch otherwise).
    expect(d.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 2,
      WriteCapacityUnits: 2,
    });

    r = await cli(['update-table', main, '--rcu', '2']);
    expectOk(r);
    expect(r.stdout).toBe(`unchanged: ${main}\n`);
    expect(r.stderr).toContain(`no changes: table ${main} already has these settings`);
  });

  it('a table throughput change (update-table --rcu/--wcu, or apply of a spec without gsis) leaves every GSI as it is', async () => {
    const t = name('gsicap');
    expectOk(
      await cli([
        'create-table',
        t,
        '--pk',
        'id:S',
        ...['--rcu', '5', '--wcu', '4', '--gsi', 'byE:e:S:3/2', '--gsi', 'byF:f:S', '--wait'],
      ]),
    );
    const gsiCapacity = async () =>
      Object.fromEntries(
        ((await describe_(t)).GlobalSecondaryIndexes ?? []).map((g) => [
          g.IndexName,
          [g.ProvisionedThroughput?.ReadCapacityUnits, g.ProvisionedThroughput?.WriteCapacityUnits],
        ]),
      );
    const before = await gsiCapacity();
    expect(before).toEqual({ byE: [3, 2], byF: [5, 4] });
    const u = await cli(['update-table', t, '--rcu', '7', '--wait']);
    expectOk(u);
    expect(u.stdout).toBe(`updated: ${t}: update throughput 5/4 → 7/4\n`);
    expect(await gsiCapacity()).toEqual(before);
    const file = join(dir, 'nogsis.yaml');
    writeFileSync(file, [`name: ${t}`, 'partitionKey: id:S', 'billing: {read: 8, write: 6}'].join('\n'));
    const plan = await cli(['plan', file, '-o', 'json']);
    expectOk(plan);
    const steps = JSON.parse(plan.stdout).tables[0].steps;
    expect(steps.map((s: { description: string }) => s.description)).toEqual(['update throughput 7/4 → 8/6']);
    expect(steps[0].input).not.toHaveProperty('GlobalSecondaryIndexUpdates');
    expectOk(await cli(['apply', file, '--yes']));
    expect((await describe_(t)).ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 8,
      WriteCapacityUnits: 6,
    });
    expect(await gsiCapacity()).toEqual(before);
  });

  it.runIf(has.tags)('update-table --tag / --untag (skipped on dynamodb-local: no tagging)', async () => {
    const arn = (await describe_(main)).TableArn ?? '';
    let r = await cli(['update-table', main, '--tag', 'env=dev', '--tag', 'team=core']);
    expectOk(r);
    expect(await listTags(clients, arn)).toEqual({ env: 'dev', team: 'core' });
    r = await cli(['update-table', main, '--tag', 'env=prod', '--untag', 'team']);
    expectOk(r);
    expect(r.stdout).toBe(`updated: ${main}: remove tag team\nupdated: ${main}: tag env=prod (was dev)\n`);
    expect(await listTags(clients, arn)).toEqual({ env: 'prod' });
  });

  it.runIf(!has.tags)(
    'update-table --tag is refused in one line, nothing sent (dynamodb-local; skipped on embedded)',
    async () => {
      const r = await cli(['update-table', main, '--tag', 'env=dev', '--rcu', '9']);
      expect(r.code).toBe(1);
      expect(errorMessages(r)).toEqual([
        'ddbctl: error: DynamoDB Local does not support tags (TagResource, UntagResource): nothing was changed; leave out that change or use another endpoint',
      ]);
      expect((await describe_(main)).ProvisionedThroughput?.ReadCapacityUnits).toBe(2);
    },
  );

  it('update-table TTL, stream, deletion protection; delete-table names the command that lifts the protection', async () => {
    let r = await cli([
      'update-table',
      main,
      '--ttl',
      'expiresAt',
      '--stream',
      'new-and-old-images',
      '--deletion-protection',
      '--wait',
    ]);
    expectOk(r);
    let d = await describe_(main);
    expect(d.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(d.DeletionProtectionEnabled).toBe(true);
    const ttl = await clients.ddb.send(new DescribeTimeToLiveCommand({ TableName: main }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');

    r = await cli(['delete-table', main, '--yes']);
    expect(r.code).toBe(1);
    expect(errorMessages(r)).toEqual([
      `ddbctl: error: table ${main} has deletion protection; lift it first with 'ddbctl --endpoint-url ${endpoint()} update-table ${main} --no-deletion-protection'`,
    ]);
    // A view type change is a disable then an enable (DynamoDB cannot change it in place).
    r = await cli([
      'update-table',
      main,
      '--no-deletion-protection',
      '--stream',
      'keys-only',
      '--no-ttl',
      '--wait',
    ]);
    expectOk(r);
    expect(r.stdout).toContain('update deletion protection on → off');
    expect(r.stdout).toContain('update stream NEW_AND_OLD_IMAGES → off (to change the view type)');
    expect(r.stdout).toContain('update stream off → KEYS_ONLY');
    expect(r.stdout).toContain('disable TTL on expiresAt');
    d = await describe_(main);
    expect(d.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    expect(d.DeletionProtectionEnabled).toBe(false);
    r = await cli(['update-table', main, '--no-stream']);
    expectOk(r);
    expect((await describe_(main)).StreamSpecification?.StreamEnabled).toBeFalsy();
  });

  it('update-table --ttl turns TTL on, --no-ttl off again (the second change waits for the first)', async () => {
    const t = name('ttl');
    expectOk(await cli(['create-table', t, '--pk', 'id:S', '--billing', 'on-demand', '--wait']));
    expectOk(await cli(['update-table', t, '--ttl', 'expiresAt']));
    const ttl = async () =>
      (await clients.ddb.send(new DescribeTimeToLiveCommand({ TableName: t }))).TimeToLiveDescription;
    expect(await ttl()).toMatchObject({ AttributeName: 'expiresAt' });
    const r = await cli(['update-table', t, '--no-ttl']);
    expectOk(r);
    expect(r.stdout).toContain('disable TTL on expiresAt');
    expect(['DISABLING', 'DISABLED']).toContain((await ttl())?.TimeToLiveStatus);
  });

  it('update-table --stream enables, changes the view type (off, then on), disables', async () => {
    const t = name('stream');
    expectOk(
      await cli([
        'create-table',
        t,
        '--pk',
        'id:S',
        '--billing',
        'on-demand',
        '--stream',
        'new-image',
        '--wait',
      ]),
    );
    expect((await describe_(t)).StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_IMAGE',
    });
    const first = (await describe_(t)).LatestStreamArn;
    expect(first).toMatch(new RegExp(`:table/${t}/stream/`));
    let r = await cli(['update-table', t, '--stream', 'keys-only', '--wait']);
    expectOk(r);
    expect(r.stdout).toContain('update stream NEW_IMAGE → off (to change the view type)');
    expect(r.stdout).toContain('update stream off → KEYS_ONLY');
    const d = await describe_(t);
    expect(d.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    expect(d.LatestStreamArn).not.toBe(first);
    r = await cli(['update-table', t, '--no-stream', '--wait']);
    expectOk(r);
    expect((await describe_(t)).StreamSpecification?.StreamEnabled).toBeFalsy();
  });

  it.runIf(EMBEDDED)(
    'update-table --deletion-protection: delete-table is refused and names the command that lifts it (embedded)',
    async () => {
      const t = name('protected');
      expectOk(await cli(['create-table', t, '--pk', 'id:S', '--billing', 'on-demand', '--wait']));
      expectOk(await cli(['update-table', t, '--deletion-protection', '--wait']));
      expect((await describe_(t)).DeletionProtectionEnabled).toBe(true);
      let r = await cli(['delete-table', t, '--yes']);
      expect(r.code).toBe(1);
      expect(errorMessages(r)).toEqual([
        `ddbctl: error: table ${t} has deletion protection; lift it first with 'ddbctl --endpoint-url ${endpoint()} update-table ${t} --no-deletion-protection'`,
      ]);
      expectOk(await cli(['update-table', t, '--no-deletion-protection', '--wait']));
      r = await cli(['delete-table', t, '--yes']);
      expectOk(r);
    },
  );

  it('update-table --add-gsi waits for the backfill, --remove-gsi for the deletion; wait --for indexes', async () => {
    await seed(main, 20, (i) => ({ user: `g${i}`, at: i, email: `e${i % 4}` }));
    let r = await cli(['update-table', main, '--add-gsi', 'byEmail:email:S:keys-only:1/1', '--wait']);
    expectOk(r);
    expect(r.stderr).toContain(
      'add GSI byEmail (email:S, projection KEYS_ONLY, throughput 1/1) — backfills existing items',
    );
    let d = await describe_(main);
    const g = d.GlobalSecondaryIndexes?.find((x) => x.IndexName === 'byEmail');
    expect(g?.IndexStatus).toBe('ACTIVE');
    expect(g?.Backfilling).toBeFalsy();
    const q = await clients.ddb.send(
      new QueryCommand({
        TableName: main,
        IndexName: 'byEmail',
        KeyConditionExpression: 'email = :e',
        ExpressionAttributeValues: { ':e': { S: 'e1' } },
      }),
    );
    expect(q.Count).toBe(5);

    r = await cli(['wait', main, '--for', 'indexes']);
    expectOk(r);
    expect(r.stdout).toMatch(
      new RegExp(`^${main}: ACTIVE, (byType ACTIVE, byEmail|byEmail ACTIVE, byType) ACTIVE \\(`),
    );

    r = await cli(['update-table', main, '--remove-gsi', 'byEmail', '--wait']);
    expectOk(r);
    d = await describe_(main);
    expect(d.GlobalSecondaryIndexes?.map((x) => x.IndexName)).toEqual(['byType']);
  });

  it.runIf(EMBEDDED)(
    'a query on a GSI still backfilling names the wait that ends it (embedded only: DynamoDB Local backfills at once)',
    async () => {
      const t = name('backfill');
      expectOk(await cli(['create-table', t, '--pk', 'id:S', '--billing', 'on-demand', '--wait']));
      const items = Array.from({ length: 20_000 }, (_, i) => ({ put: { id: `k${i}`, city: `c${i % 7}` } }));
      expect((await batchWrite(clients, t, items)).failed).toEqual([]);
      expectOk(await cli(['update-table', t, '--add-gsi', 'byCity:city:S', '--no-wait']));
      const r = await cli(['query', t, 'c1', '--index', 'byCity', '--limit', '1']);
      expect(r.code).toBe(1);
      expect(errorMessages(r)).toEqual([
        `ddbctl: error: Query: the request was rejected: Cannot read from backfilling global secondary index: byCity; the index is still being built: wait for it with 'ddbctl --endpoint-url ${endpoint()} wait ${t} --for indexes', then run this again`,
      ]);
      expectOk(await cli(['wait', t, '--for', 'indexes']));
      expectOk(await cli(['query', t, 'c1', '--index', 'byCity', '--limit', '1']));
    },
  );

  it('update-table: a GSI that does not exist, or no change at all, is a usage error', async () => {
    let r = await cli(['update-table', main, '--remove-gsi', 'nope']);
    expect(r.code).toBe(2);
    expect(errorMessages(r)).toEqual([`ddbctl: error: table ${main} has no GSI nope (it has byType)`]);
    r = await cli(['update-table', main]);
    expect(r.code).toBe(2);
    expect(errorMessages(r)).toEqual([
      "ddbctl: error: nothing to change: give at least one change (see 'ddbctl update-table --help')",
    ]);
    // Both flags of a pair: refused, not the last one quietly kept.
    for (const [args, message] of [
      [
        ['--stream', 'keys-only', '--no-stream'],
        '--stream and --no-stream contradict each other: pass one of them',
      ],
      [['--no-ttl', '--ttl', 'exp'], '--ttl and --no-ttl contradict each other: pass one of them'],
      [['--pitr', '--no-pitr'], '--pitr and --no-pitr contradict each other: pass one of them'],
      [
        ['--deletion-protection', '--no-deletion-protection'],
        '--deletion-protection and --no-deletion-protection contradict each other: pass one of them',
      ],
      [['--tag', 'a=1', '--untag', 'a'], '--tag and --untag both name a: pass one of them for each tag'],
    ] as const) {
      r = await cli(['update-table', main, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(errorMessages(r)).toEqual([`ddbctl: error: ${message}`]);
    }
  });

  it('wait --for active and --for deleted; delete-table --yes waits until the table is gone', async () => {
    const t = name('gone');
    expectOk(await cli(['create-table', t, '--billing', 'on-demand']));
    let r = await cli(['wait', t, '--for', 'active']);
    expectOk(r);
    expect(r.stdout).toMatch(new RegExp(`^${t}: ACTIVE \\(`));
    r = await cli(['delete-table', t, '--yes']);
    expectOk(r);
    expect(r.stdout).toBe(`deleted: ${t}\n`);
    expect(await findTable(clients, t)).toBeUndefined();
    r = await cli(['wait', t, '--for', 'deleted']);
    expectOk(r);
    r = await cli(['delete-table', t, '--yes']);
    expect(r.code).toBe(1);
    expect(errorMessages(r)[0]).toContain(`table ${t} does not exist`);
  });
});
