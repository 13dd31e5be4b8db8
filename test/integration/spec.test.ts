// plan and apply on every engine: the plan printed before anything runs, steps carried out in
// order and waited for, a second apply that sends no write, steps the engine cannot do reported and
// never attempted, and a replacement (copy-and-swap) that keeps every item exactly.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
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
import { type Item, stringifyItem } from '../../src/core/data/codec.js';
import { applyPlan, prepareTable, swapTableName } from '../../src/core/spec/apply.js';
import { detectCaps } from '../../src/core/spec/caps.js';
import {
  type CliRun,
  cli,
  describeRaw,
  endpoint,
  engineName,
  errorMessages,
  expectOk,
  scanAll as scanFrom,
  testClients,
  uniqueName,
} from '../helpers.js';

const clients = testClients();
const engine = engineName();
const EMBEDDED = engine === 'embedded';
const LOCAL = engine === 'dynamodb-local';
const prefix = uniqueName('spec');
const name = (s: string) => `${prefix}-${s}`;
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-spec-'));
const DEAD = ['--endpoint-url', 'http://127.0.0.1:1'];

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
  await proxy.close();
  clients.destroy();
});

/**
 * A pass-through HTTP proxy in front of the engine that records the operation of every request
 * (X-Amz-Target), so a test can prove which calls ddbctl made.
 */
async function startProxy(target: string) {
  const calls: string[] = [];
  const up = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push(
        String(req.headers['x-amz-target'] ?? '?')
          .split('.')
          .pop() ?? '?',
      );
      const fwd = request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      fwd.on('error', () => res.destroy());
      fwd.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    /** Operations that change something (everything but Describe*, List*, Get*, Query, Scan). */
    writes: () => calls.filter((c) => !/^(Describe|List|Get|BatchGet|Query|Scan)/.test(c)),
    reset: () => calls.splice(0),
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}
const proxy = await startProxy(endpoint());

/** ddbctl through the counting proxy. */
function viaProxy(args: string[]): Promise<CliRun> {
  return cli(['--endpoint-url', proxy.endpoint, ...args]);
}

function specFile(file: string, yaml: string[]): string {
  const path = join(dir, file);
  writeFileSync(path, `${yaml.join('\n')}\n`);
  return path;
}

function describe_(table: string): Promise<TableDescription> {
  return describeRaw(table, clients);
}

/** Items in a canonical, order-free text form (numbers by their exact text, sets sorted). */
function canonical(items: Item[]): string[] {
  return items.map((i) => stringifyItem(i)).sort();
}

describe(`plan and apply on ${engine}`, () => {
  const users = name('users');
  const orders = name('orders');
  const base = [
    'tables:',
    `  - name: ${users}`,
    '    partitionKey: id:S',
    '    billing: {read: 5, write: 5}',
    '    gsis:',
    '      - {name: byEmail, partitionKey: email:S, projection: KEYS_ONLY}',
    // DynamoDB Local has no tags: a step it cannot run would make plan and apply exit 1 (tested below).
    ...(LOCAL ? [] : ['    tags: {env: dev}']),
    `  - name: ${orders}`,
    '    partitionKey: orderId:S',
    '    sortKey: at:N',
    '    billing: on-demand',
  ];

  it('plan prints the ordered steps and nothing else, and changes nothing (only reads are sent)', async () => {
    const file = specFile('base.yaml', base);
    proxy.reset();
    const r = await viaProxy(['plan', file]);
    expectOk(r);
    expect(r.stdout.split('\n')).toEqual([
      `${users} (new):`,
      `  + [in place] create table ${users} (id:S; provisioned 5/5; GSIs byEmail${LOCAL ? '' : '; 1 tag'})`,
      `${orders} (new):`,
      `  + [in place] create table ${orders} (orderId:S, at:N; on-demand)`,
      '',
    ]);
    // Reads only, the capability probes included.
    expect(proxy.writes()).toEqual([]);
    expect(await findTable(clients, users)).toBeUndefined();
    const j = await viaProxy(['plan', file, '-o', 'json']);
    const doc = JSON.parse(j.stdout);
    expect(doc.tables.map((t: { table: string; exists: boolean }) => [t.table, t.exists])).toEqual([
      [users, false],
      [orders, false],
    ]);
    expect(doc.tables[0].steps[0]).toMatchObject({
      kind: 'create',
      label: 'in place',
      input: { TableName: users },
    });
  });

  it('apply asks first: without a terminal it needs --yes, and nothing changes', async () => {
    const file = specFile('base.yaml', base);
    const r = await cli(['apply', file]);
    expect(r.code).toBe(2);
    expect(errorMessages(r)).toEqual([
      `ddbctl: error: Apply 2 steps to 2 tables at endpoint ${endpoint()} (region us-east-1): refusing without a terminal to confirm on; pass --yes to confirm`,
    ]);
    expect(await findTable(clients, users)).toBeUndefined();
  });

  it('apply --yes prints the plan and creates the tables; a second apply says "no changes" and sends no write', async () => {
    const file = specFile('base.yaml', base);
    let r = await cli(['apply', file, '--yes']);
    expectOk(r);
    expect(r.stdout).toContain(`${users}: applied 1 step\n${orders}: applied 1 step\n`);
    const d = await describe_(users);
    expect(d.GlobalSecondaryIndexes?.[0]?.IndexStatus).toBe('ACTIVE');
    if (!LOCAL) expect(await listTags(clients, d.TableArn ?? '')).toEqual({ env: 'dev' });

    proxy.reset();
    r = await viaProxy(['apply', file, '--yes']);
    expectOk(r);
    expect(r.stdout).toContain(`${users} (exists):\n`);
    expect(r.stdout).toContain(`${orders} (exists):\n  no changes\n`);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('no changes');
    expect(proxy.writes()).toEqual([]);
    expect(proxy.calls.length).toBeGreaterThan(0);
  });

  it('the JSON of describe-table is a spec too: planning it against its own table gives "no changes"', async () => {
    for (const t of [users, orders]) {
      const d = await cli(['describe-table', t, '-o', 'json']);
      expectOk(d);
      const file = join(dir, `${t}.json`);
      writeFileSync(file, d.stdout);
      const r = await cli(['plan', file]);
      expectOk(r);
      expect(r.stdout).toBe(`${t} (exists):\n  no changes\n`);
    }
  });

  it('apply in place: GSI removed and added (waiting for the backfill), TTL, billing switch, throughput, stream, deletion protection', async () => {
    await batchWrite(
      clients,
      users,
      Array.from({ length: 30 }, (_, i) => ({
        put: { id: `u${i}`, email: `e${i % 3}`, name: `n${i % 5}` },
      })),
    );
    const file = specFile('inplace.yaml', [
      'tables:',
      `  - name: ${users}`,
      '    partitionKey: id:S',
      '    billing: {read: 8, write: 6}',
      '    gsis:',
      '      - {name: byName, partitionKey: name:S, projection: ALL}',
      '    ttl: expiresAt',
      '    stream: NEW_AND_OLD_IMAGES',
      '    deletionProtection: true',
      `  - name: ${orders}`,
      '    partitionKey: orderId:S',
      '    sortKey: at:N',
      '    billing: {read: 2, write: 2}',
    ]);
    const plan = await cli(['plan', file]);
    expectOk(plan);
    expect(plan.stdout.split('\n')).toEqual([
      `${users} (exists):`,
      '  - [in place] delete GSI byEmail',
      '  ~ [in place] update throughput 5/5 → 8/6; deletion protection off → on',
      '  ~ [in place] update stream off → NEW_AND_OLD_IMAGES',
      '  + [slow (backfill)] add GSI byName (name:S, projection ALL, throughput 8/6) — backfills existing items',
      '  ~ [limited] enable TTL on expiresAt',
      '      note: Amazon DynamoDB refuses a TTL attribute change within 1 h of the last change',
      `${orders} (exists):`,
      '  ~ [limited] update billing on-demand → provisioned 2/2',
      '      note: PAY_PER_REQUEST → PROVISIONED switch: allowed any time, but switching back is rationed (4 times in 24 h)',
      '',
    ]);
    const r = await cli(['apply', file, '--yes']);
    expectOk(r);
    // Steps run in the plan's order, each waited for: the GSI until its backfill is over.
    const steps = r.stderr.split('\n').filter((l) => / \[\d\/\d\] (?!done)/.test(l));
    expect(steps.map((l) => l.replace(/^ddbctl: \S+: /, ''))).toEqual([
      '[1/5] delete GSI byEmail',
      '[2/5] update throughput 5/5 → 8/6; deletion protection off → on',
      '[3/5] update stream off → NEW_AND_OLD_IMAGES',
      '[4/5] add GSI byName (name:S, projection ALL, throughput 8/6) — backfills existing items',
      '[5/5] enable TTL on expiresAt',
      '[1/1] update billing on-demand → provisioned 2/2',
    ]);
    const d = await describe_(users);
    expect(d.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus, g.ItemCount])).toEqual([
      ['byName', 'ACTIVE', 30],
    ]);
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 8, WriteCapacityUnits: 6 });
    expect(d.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(d.DeletionProtectionEnabled).toBe(true);
    const ttl = await clients.ddb.send(new DescribeTimeToLiveCommand({ TableName: users }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
    expect((await describe_(orders)).BillingModeSummary?.BillingMode).toBe('PROVISIONED');

    proxy.reset();
    const again = await viaProxy(['apply', file, '--yes']);
    expectOk(again);
    expect(again.stdout.trimEnd().split('\n').pop()).toBe('no changes');
    expect(proxy.writes()).toEqual([]);

    // Unmanaged fields: a spec with only the keys changes nothing.
    const keysOnly = specFile('keys.yaml', [`name: ${users}`, 'partitionKey: id:S']);
    const k = await cli(['plan', keysOnly]);
    expect(k.stdout).toBe(`${users} (exists):\n  no changes\n`);
    await clients.ddb.send(new UpdateTableCommand({ TableName: users, DeletionProtectionEnabled: false }));
  });

  it.runIf(EMBEDDED)(
    'applies every step of a spec on embedded: GSI, TTL, PITR, tags, throughput (skipped on DynamoDB Local: it has no PITR nor tags; the next test covers it)',
    async () => {
      const t = name('all');
      expectOk(await cli(['create-table', t, '--pk', 'id:S', '--rcu', '1', '--wcu', '1', '--wait']));
      const file = specFile('all.yaml', [
        `name: ${t}`,
        'partitionKey: id:S',
        'billing: {read: 3, write: 1}',
        'gsis: [{name: byEmail, partitionKey: email:S, throughput: {read: 1, write: 1}}]',
        'ttl: expiresAt',
        'pitr: true',
        'tags: {team: core}',
      ]);
      proxy.reset();
      const r = await viaProxy(['apply', file, '--yes']);
      expectOk(r);
      expect(r.stdout).not.toContain('✗');
      expect(r.stdout).toContain(`${t}: applied 5 steps\n`);
      expect(proxy.writes()).toEqual(
        expect.arrayContaining(['UpdateTable', 'UpdateTimeToLive', 'UpdateContinuousBackups', 'TagResource']),
      );
      const d = await describe_(t);
      expect(d.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byEmail', IndexStatus: 'ACTIVE' });
      expect(d.ProvisionedThroughput?.ReadCapacityUnits).toBe(3);
      expect(await listTags(clients, d.TableArn ?? '')).toEqual({ team: 'core' });
      const again = await viaProxy(['apply', file, '--yes']);
      expectOk(again);
      expect(again.stdout.trimEnd().split('\n').pop()).toBe('no changes');
    },
  );

  it.runIf(!EMBEDDED)(
    `steps ${engine} cannot do are in the plan before anything runs, and never attempted (skipped on embedded: it can do every step, tested above)`,
    async () => {
      const t = name('caps');
      expectOk(await cli(['create-table', t, '--pk', 'id:S', '--rcu', '1', '--wcu', '1', '--wait']));
      const file = specFile('caps.yaml', [
        `name: ${t}`,
        'partitionKey: id:S',
        'billing: {read: 3, write: 1}',
        'gsis: [{name: byEmail, partitionKey: email:S, throughput: {read: 1, write: 1}}]',
        'ttl: expiresAt',
        'pitr: true',
        'tags: {team: core}',
      ]);
      proxy.reset();
      const r = await viaProxy(['apply', file, '--yes']);
      const unsupported = r.stdout.split('\n').filter((l) => l.includes('✗'));
      const expected = LOCAL
        ? [
            '  ✗ [cannot run here] enable point-in-time recovery: DynamoDB Local does not support point-in-time recovery (UpdateContinuousBackups)',
            '  ✗ [cannot run here] tag team=core: DynamoDB Local does not support tags (TagResource, UntagResource)',
          ]
        : [];
      expect(unsupported).toEqual(expected);
      // The rest is applied; then the table does not match the spec, and apply says so: exit 1.
      expect(r.stdout).toContain(`${t}: applied 3 steps\n`);
      expect(r.code).toBe(1);
      expect(errorMessages(r)).toEqual([
        `ddbctl: error: table ${t} does not match the spec: 2 steps cannot run on DynamoDB Local (enable point-in-time recovery; tag team=core), listed with ✗ in the plan and never attempted; take them out of the spec, or apply it on an endpoint that can`,
      ]);
      const writes = proxy.writes();
      expect(writes).not.toContain('UpdateContinuousBackups');
      expect(writes).not.toContain('TagResource');
      expect((await describe_(t)).GlobalSecondaryIndexes?.[0]?.IndexName).toBe('byEmail');
      expect((await describe_(t)).ProvisionedThroughput?.ReadCapacityUnits).toBe(3);

      // Only those steps are left: apply no longer says "no changes" and exits 0, nor does plan.
      proxy.reset();
      const again = await viaProxy(['apply', file, '--yes']);
      expect(again.code).toBe(1);
      expect(again.stdout).not.toContain('no changes');
      expect(again.stdout.split('\n').filter((l) => l.includes('✗'))).toEqual(expected);
      expect(errorMessages(again)).toEqual(errorMessages(r));
      expect(proxy.writes()).toEqual([]);
      // For scripts: the result, with the steps that could not run, then exit 1; -q --yes: no plan.
      const json = await viaProxy(['apply', file, '--yes', '-q', '-o', 'json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout).tables).toEqual([
        {
          table: t,
          applied: [],
          unsupported: expected.map((l) => {
            const [description, reason] = l.replace('  ✗ [cannot run here] ', '').split(/: (?=[^:]*$)/);
            return { description, reason };
          }),
        },
      ]);
      expect(json.stderr).not.toContain('[cannot run here]');
      expect(errorMessages(json)).toEqual(errorMessages(r));
      const plan = await cli(['plan', file]);
      expect(plan.code).toBe(1);
      expect(plan.stdout.split('\n').filter((l) => l.includes('✗'))).toEqual(expected);
      expect(errorMessages(plan)[0]).toContain(`table ${t} cannot be made to match the spec: `);
    },
  );

  it('apply creates a table with a stream, then changes its view type (off, then on) and turns it off', async () => {
    const t = name('stream');
    const spec = (stream: string) =>
      specFile(`stream-${stream}.yaml`, [
        `name: ${t}`,
        'partitionKey: id:S',
        ...(stream ? [`stream: ${stream}`] : []),
      ]);
    expectOk(await cli(['apply', spec('NEW_IMAGE'), '--yes']));
    expect((await describe_(t)).StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'NEW_IMAGE',
    });
    const r = await cli(['apply', spec('KEYS_ONLY'), '--yes']);
    expectOk(r);
    expect(r.stdout).toContain('update stream NEW_IMAGE → off (to change the view type)');
    expect((await describe_(t)).StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: 'KEYS_ONLY',
    });
    expectOk(await cli(['apply', spec('false'), '--yes']));
    expect((await describe_(t)).StreamSpecification?.StreamEnabled).toBeFalsy();
  });

  it(`detectCaps tells ${engine} apart, with probes that change nothing`, async () => {
    const caps = await detectCaps(testClients());
    if (EMBEDDED)
      expect(caps).toMatchObject({
        engine: "ddbctl's embedded engine",
        gsiUpdate: true,
        ttl: true,
        pitr: true,
        tags: true,
      });
    if (LOCAL)
      expect(caps).toMatchObject({
        engine: 'DynamoDB Local',
        gsiUpdate: true,
        ttl: true,
        tags: false,
        pitr: false,
      });
  });

  it('a new TTL attribute is a disable, then an enable once the disable has settled', async () => {
    const t = name('ttl');
    const spec = (ttl: string) =>
      specFile('ttl.yaml', [`name: ${t}`, 'partitionKey: id:S', 'billing: on-demand', `ttl: ${ttl}`]);
    expectOk(await cli(['apply', spec('expiresAt'), '--yes']));
    const r = await cli(['apply', spec('goneAt'), '--yes']);
    expectOk(r);
    expect(r.stdout).toContain('disable TTL on expiresAt');
    expect(r.stdout).toContain('enable TTL on goneAt');
    const ttl = await clients.ddb.send(new DescribeTimeToLiveCommand({ TableName: t }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'goneAt' });
    expect(['ENABLING', 'ENABLED']).toContain(ttl.TimeToLiveDescription?.TimeToLiveStatus);
  });

  // A replacement must keep every item exactly: big numbers, sets, binary, nested maps.
  const sample = (i: number): Item => ({
    id: `id-${i}`,
    group: `g${i % 3}`,
    seq: new NumberValue(String(i)),
    big: new NumberValue('12345678901234567890.123456789012345678'),
    tags: new Set(['a', `t${i}`]),
    bin: new Uint8Array([i, 255, 0]),
    nested: { list: [new NumberValue('1e-130'), true, null], s: 'x' },
  });

  it('a key schema change is REPLACEMENT: refused without --allow-replace, nothing changed', async () => {
    const t = name('swap');
    expectOk(
      await cli([
        'create-table',
        t,
        '--pk',
        'id:S',
        '--billing',
        'on-demand',
        '--gsi',
        'byGroup:group:S',
        '--wait',
      ]),
    );
    const r0 = await batchWrite(
      clients,
      t,
      Array.from({ length: 60 }, (_, i) => ({ put: sample(i) })),
    );
    expect(r0.failed).toEqual([]);
    const file = specFile('swap.yaml', [`name: ${t}`, 'partitionKey: group:S', 'sortKey: seq:N']);
    const r = await cli(['apply', file, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `  ! [REPLACEMENT] replace table ${t} (partition key id:S → group:S, sort key none → seq:N) — copy-and-swap`,
    );
    expect(errorMessages(r)).toEqual([
      `ddbctl: error: the plan replaces ${t}: replace table ${t} (partition key id:S → group:S, sort key none → seq:N); nothing was changed; pass --allow-replace to do it (a table replaced keeps its items by copy-and-swap), or change the spec`,
    ]);
    expect((await describe_(t)).KeySchema?.[0]?.AttributeName).toBe('id');
  });

  it('--allow-replace: copy-and-swap keeps the name and every item, exactly; unmanaged GSIs carry over', async () => {
    const t = name('swap');
    const before = canonical(await scanAll(t));
    expect(before).toHaveLength(60);
    const file = specFile('swap.yaml', [`name: ${t}`, 'partitionKey: group:S', 'sortKey: seq:N']);
    const r = await cli(['apply', file, '--yes', '--allow-replace']);
    expectOk(r);
    expect(r.stdout).toContain(`${t}: applied 1 step; replaced by copy-and-swap: 60 items before, 60 after`);
    for (const phase of [
      `creating swap table ${swapTableName(t)}`,
      `copying 60 items ${t} → ${swapTableName(t)}`,
      `deleting table ${t} (all 60 items are in ${swapTableName(t)})`,
      `copying 60 items ${swapTableName(t)} → ${t}`,
      `deleting swap table ${swapTableName(t)}`,
    ]) {
      expect(r.stderr).toContain(phase);
    }
    const d = await describe_(t);
    expect(d.KeySchema).toEqual([
      { AttributeName: 'group', KeyType: 'HASH' },
      { AttributeName: 'seq', KeyType: 'RANGE' },
    ]);
    expect(d.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('byGroup');
    expect(canonical(await scanAll(t))).toEqual(before);
    expect(await findTable(clients, swapTableName(t))).toBeUndefined();
    expect((await cli(['apply', file, '--yes'])).stdout.trimEnd().split('\n').pop()).toBe('no changes');
  });

  it('a replacement that would merge items stops before deleting anything', async () => {
    const t = name('swap');
    // Under partition key `group` alone, 60 items would collapse into 3.
    const file = specFile('merge.yaml', [`name: ${t}`, 'partitionKey: group:S']);
    const r = await cli(['apply', file, '--yes', '--allow-replace']);
    expect(r.code).toBe(1);
    const [line] = errorMessages(r);
    expect(line).toContain(`replacing table ${t} failed: `);
    expect(line).toContain(
      `60 items read from ${t} but 3 in ${swapTableName(t)}: under the new key schema 57 of them share a key with another item and would merge`,
    );
    expect(line).toContain(`table ${t} is unchanged with its 60 items`);
    expect((await describe_(t)).KeySchema?.length).toBe(2);
    expect(await scanAll(t)).toHaveLength(60);
    expect(await findTable(clients, swapTableName(t))).toBeUndefined();
  });

  it('a replacement whose items do not fit the new keys fails as a failure (exit 1: requests were sent), table unchanged', async () => {
    const t = name('swap-type');
    await tableOf(t, [['id', 'S']], samples(0, 4));
    const file = specFile('swap-type.yaml', [`name: ${t}`, 'partitionKey: id:N']);
    const r = await cli(['apply', file, '--yes', '--allow-replace']);
    expect(r.code).toBe(1);
    const [line] = errorMessages(r);
    expect(line).toContain(`replacing table ${t} failed: `);
    expect(line).toContain(`table ${t} is unchanged with its 4 items`);
    expect(await scanAll(t)).toHaveLength(4);
    expect(await findTable(clients, swapTableName(t))).toBeUndefined();
  });

  it('a stop during the first copy of a replacement: said as the stop, the partial copy removed and not said to be left', async () => {
    const t = name('stop-copy');
    await tableOf(t, [['id', 'S']], samples(0, 20));
    const stop = new AbortController();
    const own = testClients();
    const desired = {
      name: t,
      partitionKey: { name: 'group', type: 'S' as const },
      sortKey: { name: 'seq', type: 'N' as const },
    };
    const prepared = await prepareTable(own, desired);
    // The stop comes as the copy into the swap table starts (a Ctrl-C then).
    const run = applyPlan(own, prepared, {
      allowReplace: true,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'note' && e.message.startsWith('copying'))
          stop.abort(new Error('interrupted (SIGINT)'));
      },
    });
    const e = (await run.catch((x: unknown) => x)) as Error;
    expect(e.message).toContain(
      `replacing table ${t} failed: interrupted (SIGINT); table ${t} is unchanged with its 20 items`,
    );
    expect(e.message).not.toContain('delete the partial copy');
    own.destroy();
    await waitForTable(clients, swapTableName(t), { for: 'deleted', minDelay: 0.1, maxDelay: 0.5 });
    expect(await scanAll(t)).toHaveLength(20);
  });

  it('after an interrupted replacement, the same apply copies the items back from the swap table', async () => {
    const t = name('resume');
    const swap = swapTableName(t);
    // The state a failure after step 3 leaves: the table gone, its items in the swap table.
    await clients.ddb.send(
      new CreateTableCommand({
        TableName: swap,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitForTable(clients, swap, { for: 'active' });
    expect(
      (
        await batchWrite(
          clients,
          swap,
          Array.from({ length: 7 }, (_, i) => ({ put: sample(i) })),
        )
      ).failed,
    ).toEqual([]);
    const file = specFile('resume.yaml', [`name: ${t}`, 'partitionKey: id:S']);
    const plan = await cli(['plan', file]);
    expect(plan.stdout).toContain(
      `items kept in ${swap} by an interrupted replacement, then delete it; items: `,
    );
    // An engine that reports ItemCount 0 for a table holding items must not make the plan say "0 items".
    const reported = (await describe_(swap)).ItemCount ?? 0;
    expect(plan.stdout).toContain(
      reported > 0
        ? `items: about ${reported} (DynamoDB's count, refreshed about every six hours)`
        : 'items: unknown (the engine reports 0, but the table holds items)',
    );
    const r = await cli(['apply', file, '--yes']);
    expectOk(r);
    expect(r.stdout).toContain(`${t}: applied 1 step; 7 items copied back from ${swap}`);
    expect(await scanAll(t)).toHaveLength(7);
    expect(await findTable(clients, swap)).toBeUndefined();
  });

  /** A table of key `id:S` (on-demand) holding `items`, ready. */
  async function tableOf(t: string, keys: [string, 'S' | 'N'][], items: Item[]): Promise<void> {
    await clients.ddb.send(
      new CreateTableCommand({
        TableName: t,
        KeySchema: keys.map(([n], i) => ({ AttributeName: n, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        AttributeDefinitions: keys.map(([n, type]) => ({ AttributeName: n, AttributeType: type })),
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitForTable(clients, t, { for: 'active' });
    expect(
      (
        await batchWrite(
          clients,
          t,
          items.map((put) => ({ put })),
        )
      ).failed,
    ).toEqual([]);
  }
  const samples = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => sample(from + i));

  it('a replacement stopped after the table was created again: the same apply copies the rest back', async () => {
    const t = name('resume-stands');
    const swap = swapTableName(t);
    // The state a stop while copying back leaves: the swap table with every item, the table created
    // again after it with part of them.
    await tableOf(swap, [['id', 'S']], samples(0, 7));
    await tableOf(t, [['id', 'S']], samples(0, 3));
    const kept = canonical(await scanAll(swap));
    const file = specFile('resume-stands.yaml', [`name: ${t}`, 'partitionKey: id:S']);
    const plan = await cli(['plan', file]);
    expectOk(plan);
    expect(plan.stdout).toContain(
      `${t} (exists):\n  + [in place] copy back the items kept in ${swap} by an interrupted replacement, then delete it; items: `,
    );
    expect(plan.stdout).not.toContain('no changes');
    const r = await cli(['apply', file, '--yes']);
    expectOk(r);
    expect(r.stdout).toContain(`${t}: applied 0 steps; 7 items copied back from ${swap}`);
    expect(canonical(await scanAll(t))).toEqual(kept);
    expect(await findTable(clients, swap)).toBeUndefined();
    // update-table changes settings only: it leaves a swap table alone.
    await tableOf(swap, [['id', 'S']], samples(0, 1));
    expect((await cli(['update-table', t, '--tag', 'a=1'])).code).not.toBe(130);
    expect(await findTable(clients, swap)).toBeDefined();
    expectOk(await cli(['delete-table', swap, '--yes']));
  });

  it('a replacement stopped before its DeleteTable leaves the table whole: the next one names the swap table as a copy, and changes nothing', async () => {
    const t = name('swap-left');
    const swap = swapTableName(t);
    await tableOf(t, [['id', 'S']], samples(0, 5));
    await tableOf(
      swap,
      [
        ['group', 'S'],
        ['seq', 'N'],
      ],
      samples(0, 2),
    );
    const before = canonical(await scanAll(t));
    const file = specFile('swap-left.yaml', [`name: ${t}`, 'partitionKey: group:S', 'sortKey: seq:N']);
    const r = await cli(['apply', file, '--yes', '--allow-replace']);
    expect(r.code).toBe(1);
    expect(errorMessages(r).join('\n')).toContain(
      `table ${swap} already exists, most likely left by an interrupted replacement; table ${t} is not replaced yet (its keys and LSIs are the earlier ones) and holds its 5 items, so deleting ${swap} loses nothing of ${t}`,
    );
    expect(await scanAll(t)).toHaveLength(5);
    expect(await scanAll(swap)).toHaveLength(2);
    expectOk(await cli(['delete-table', swap, '--yes']));
    expectOk(await cli(['apply', file, '--yes', '--allow-replace']));
    expect(canonical(await scanAll(t))).toEqual(before);
  });

  it('a replacement of LSIs alone stopped before its DeleteTable: the copy left is never put over the table, which keeps its newer writes', async () => {
    const t = name('lsi-left');
    const swap = swapTableName(t);
    const keys: [string, 'S' | 'N'][] = [
      ['id', 'S'],
      ['seq', 'N'],
    ];
    // The table first, then the copy a stopped replacement made of it; the table changed since.
    await tableOf(t, keys, []);
    await tableOf(swap, keys, [
      { id: 'a', seq: new NumberValue('1'), note: 'OLD' },
      { id: 'c', seq: new NumberValue('1'), note: 'deleted since' },
    ]);
    expect(
      (
        await batchWrite(clients, t, [
          { put: { id: 'a', seq: new NumberValue('1'), note: 'NEW' } },
          { put: { id: 'b', seq: new NumberValue('1') } },
        ])
      ).failed,
    ).toEqual([]);
    const before = canonical(await scanAll(t));
    const file = specFile('lsi-left.yaml', [
      `name: ${t}`,
      'partitionKey: id:S',
      'sortKey: seq:N',
      'lsis: [{name: byNote, sortKey: note:S}]',
    ]);
    const plan = await cli(['plan', file]);
    expect(plan.stdout).not.toContain('copy back');
    const r = await cli(['apply', file, '--yes', '--allow-replace']);
    expect(r.code).toBe(1);
    expect(errorMessages(r).join('\n')).toContain(
      `table ${swap} already exists, most likely left by an interrupted replacement`,
    );
    expect(canonical(await scanAll(t))).toEqual(before);
    expectOk(await cli(['delete-table', swap, '--yes']));
  });

  it('a stop during the DeleteTable of a replacement never drops the swap table: every item stays in it, and the same apply finishes', async () => {
    const t = name('stop-delete');
    const swap = swapTableName(t);
    await tableOf(t, [['id', 'S']], samples(0, 20));
    const before = canonical(await scanAll(t));
    const desired = {
      name: t,
      partitionKey: { name: 'group', type: 'S' as const },
      sortKey: { name: 'seq', type: 'N' as const },
    };
    const stop = new AbortController();
    // The stop comes as the endpoint answers the DeleteTable of the table (a Ctrl-C then).
    const own = testClients();
    own.ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        const input = args.input as { TableName?: string };
        if (context.commandName === 'DeleteTableCommand' && input.TableName === t) {
          stop.abort(new Error('interrupted (SIGINT)'));
        }
        return out;
      },
      { step: 'initialize', name: 'stopAfterDeleteTable' },
    );
    const run = applyPlan(own, await prepareTable(own, desired), { allowReplace: true, signal: stop.signal });
    // Stopped in the wait for the deletion, or (an engine that deletes at once) before the create.
    await expect(run).rejects.toThrow(
      new RegExp(
        `table ${t} (may have been deleted \\(the stop came before the end of its DeleteTable\\); all 20 items are in ${swap}, counted|was deleted, and may already be created again, empty; every item is safe in ${swap}); run the same apply again to finish.*; no step before it$`,
      ),
    );
    own.destroy();
    expect(canonical(await scanAll(swap))).toEqual(before);
    await waitForTable(clients, t, { for: 'deleted', minDelay: 0.1, maxDelay: 0.5 });
    const file = specFile('stop-delete.yaml', [`name: ${t}`, 'partitionKey: group:S', 'sortKey: seq:N']);
    const again = await cli(['apply', file, '--yes', '--allow-replace']);
    expectOk(again);
    expect(again.stdout).toContain(`20 items copied back from ${swap}`);
    expect(canonical(await scanAll(t))).toEqual(before);
    expect(await findTable(clients, swap)).toBeUndefined();
  });

  it('a replacement stopped after its DeleteTable names what the spec leaves out and the table had (its GSI, its TTL): the run that finishes knows only the spec', async () => {
    const t = name('stop-kept');
    const swap = swapTableName(t);
    expectOk(await cli(['create-table', t, '--pk', 'id:S', '--gsi', 'byX:x:S', '--ttl', 'exp', '--wait']));
    const stop = new AbortController();
    const own = testClients();
    own.ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (
          context.commandName === 'DeleteTableCommand' &&
          (args.input as { TableName?: string }).TableName === t
        ) {
          stop.abort(new Error('interrupted (SIGINT)'));
        }
        return out;
      },
      { step: 'initialize', name: 'stopAfterDeleteTable' },
    );
    const desired = {
      name: t,
      partitionKey: { name: 'id', type: 'S' as const },
      sortKey: { name: 'n', type: 'N' as const },
    };
    const run = applyPlan(own, await prepareTable(own, desired), { allowReplace: true, signal: stop.signal });
    await expect(run).rejects.toThrow(
      `; that run knows only the spec, which leaves out what ${t} had and this replacement was keeping: gsis (byX), ttl (on exp); add them to the spec before running it again (the swap table does not have them)`,
    );
    own.destroy();
    await waitForTable(clients, t, { for: 'deleted', minDelay: 0.1, maxDelay: 0.5 });
    expectOk(await cli(['delete-table', swap, '--yes']));
  });

  it('a bad spec is one line naming the file and the field, before any request', async () => {
    const cases: [string[], string][] = [
      [[`name: ${users}`, 'partitionKey: id:S', 'gsi: []'], 'gsi: unknown field (did you mean "gsis"?)'],
      [[`name: ${users}`, 'partitionKey: id'], 'partitionKey: key attribute "id" has no type'],
      [
        [
          `name: ${users}`,
          'partitionKey: id:S',
          'gsis: [{name: byA, partitionKey: a:S}, {name: byA, partitionKey: b:S}]',
        ],
        'gsis[1].name: duplicate index name "byA"',
      ],
      [['name: x!', 'partitionKey: id:S'], 'name: invalid table name "x!"'],
      [
        [
          `name: ${users}`,
          'partitionKey: id:S',
          'sortKey: at:N',
          `lsis: [${Array.from({ length: 6 }, (_, i) => `{name: l${i}xx, sortKey: s${i}:S}`).join(', ')}]`,
        ],
        'lsis: 6 LSIs: DynamoDB allows at most 5 per table',
      ],
      [
        [
          `name: ${users}`,
          'partitionKey: id:S',
          `gsis: [${Array.from({ length: 21 }, (_, i) => `{name: g${i}xx, partitionKey: p${i}:S}`).join(', ')}]`,
        ],
        'gsis: 21 GSIs: DynamoDB allows at most 20 per table',
      ],
      [
        [
          `name: ${users}`,
          'partitionKey: id:S',
          `tags: {${Array.from({ length: 51 }, (_, i) => `k${i}: v`).join(', ')}}`,
        ],
        'tags: 51 tags: DynamoDB allows at most 50 per table',
      ],
    ];
    for (const [yaml, text] of cases) {
      const file = specFile('bad.yaml', yaml);
      for (const command of ['plan', 'apply']) {
        const r = await cli([...DEAD, command, file, ...(command === 'apply' ? ['--yes'] : [])]);
        expect(r.code, r.stderr).toBe(2);
        const lines = errorMessages(r);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(`^ddbctl: error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
        );
        expect(lines[0]).toContain(text);
        expect(r.stderr).not.toContain('ECONNREFUSED');
      }
    }
    const missing = await cli([...DEAD, 'plan', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(errorMessages(missing)).toEqual([
      `ddbctl: error: cannot read spec file ${join(dir, 'nope.yaml')} (ENOENT): check the path`,
    ]);
  });
});

function scanAll(table: string): Promise<Item[]> {
  return scanFrom(table, clients);
}
