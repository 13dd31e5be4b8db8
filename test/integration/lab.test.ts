// The lab's validation list, point by point, on every engine under test.
import { DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { listTables } from '../../src/core/control/listTables.js';
import { listTags } from '../../src/core/control/tags.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { labSampleItem, runLab } from '../../src/core/lab.js';
import { createTable } from '../../src/core/spec/createTable.js';
import { caps, cli, engineName, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
afterAll(() => clients.destroy());

const expectOkCode = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);

describe(`the lab on ${engineName()}`, () => {
  const table = uniqueName('lab');

  it('creates the table with key username (S), 5/5 provisioned throughput and tags, waits for ACTIVE', async () => {
    const r = await cli(['lab', '--table-name', table]);
    expect(r.stderr).toContain('target: endpoint');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`created table ${table}`);
    expect(r.stdout).toContain('✓ lab passed');
    const d = (await clients.ddb.send(new DescribeTableCommand({ TableName: table }))).Table!;
    expect(d.TableStatus).toBe('ACTIVE');
    expect(d.KeySchema).toEqual([{ AttributeName: 'username', KeyType: 'HASH' }]);
    expect(d.AttributeDefinitions).toEqual([{ AttributeName: 'username', AttributeType: 'S' }]);
    expect(d.ProvisionedThroughput?.ReadCapacityUnits).toBe(5);
    expect(d.ProvisionedThroughput?.WriteCapacityUnits).toBe(5);
    const tags = await listTags(clients, d.TableArn!);
    if (caps().tags) {
      expect(tags).toEqual({ Project: 'ddbctl-lab', Environment: 'dev', ManagedBy: 'ddbctl' });
    } else {
      expect(tags).toBeUndefined();
      expect(r.stdout).toContain('tags: not applied: this endpoint does not support tagging');
    }
  });

  it('lists the table, marked', async () => {
    const r = await cli(['lab', '--table-name', table]);
    expect(r.stdout).toMatch(new RegExp(`\\* ${table}`));
    expect(r.stdout).toContain('already exists (status ACTIVE): reusing it');
    expect(r.code).toBe(0);
  });

  it('stores every attribute with the right DynamoDB type', async () => {
    const raw = await clients.ddb.send(
      new GetItemCommand({ TableName: table, Key: { username: { S: 'ada' } } }),
    );
    const types = Object.fromEntries(Object.entries(raw.Item ?? {}).map(([k, v]) => [k, Object.keys(v)[0]]));
    expect(types).toEqual({
      username: 'S',
      full_name: 'S',
      email: 'S',
      age: 'N',
      active: 'BOOL',
      roles: 'SS',
      profile: 'M',
      recent_logins: 'L',
      balance: 'N',
    });
    expect(raw.Item?.balance).toEqual({ N: '12345678901234567890.123456789012345678' });
    expect(raw.Item?.profile?.M?.joined).toEqual({ M: { year: { N: '1843' } } });
  });

  it('reads the item back identical (library)', async () => {
    const report = await runLab(clients, { tableName: table });
    expect(report.ok).toBe(true);
    expect(report.created).toBe(false);
    expect(report.checks.map((c) => c.name).sort()).toEqual(Object.keys(labSampleItem()).sort());
    expect(report.checks.every((c) => c.equal && c.expectedType === c.actualType)).toBe(true);
  });

  it('prints the item with get, and says clearly when a key is not found', async () => {
    const found = await cli(['get', table, 'username=ada', '-o', 'json']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).roles).toEqual({ $set: ['admin', 'author'] });
    expect(found.stdout).toContain('"balance": 12345678901234567890.123456789012345678');
    const missing = await cli(['get', table, 'username=nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found: no item with key {"username":"nobody"}');
  });

  it('deletes the table with --cleanup and waits until it is gone', async () => {
    const r = await cli(['lab', '--table-name', table, '--cleanup', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: true, cleanedUp: true, table });
    expect(await listTables(clients)).not.toContain(table);
  });

  it("never deletes nor overwrites what is not the lab's: a table of one's own is kept by --cleanup, a different ada refused", async () => {
    const mine = uniqueName('mine');
    expect((await cli(['create-table', mine, '--pk', 'username:S', '--wait'])).code).toBe(0);
    expect((await cli(['put', mine, '{"username":"realuser1","precious":true}'])).code).toBe(0);
    const r = await cli(['lab', '--table-name', mine, '--cleanup', '-o', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: false, created: false, cleanedUp: false });
    expect(report.kept).toContain(`table ${mine} existed before this run and is not the lab's`);
    expect(await listTables(clients)).toContain(mine);
    const kept = await cli(['get', mine, 'username=realuser1', '-o', 'json']);
    expect(JSON.parse(kept.stdout)).toEqual({ username: 'realuser1', precious: true });
    // The lab's tags on it change nothing: it holds items of its own.
    if (caps().tags) {
      expectOkCode(
        await cli([
          'update-table',
          mine,
          '--tag',
          'Project=ddbctl-lab',
          '--tag',
          'Environment=dev',
          '--tag',
          'ManagedBy=ddbctl',
        ]),
      );
      const tagged = await cli(['lab', '--table-name', mine, '--cleanup']);
      expect(tagged.code).toBe(1);
      expect(await listTables(clients)).toContain(mine);
    }
    // An item username=ada of its own is not overwritten: the lab stops before its put.
    expect((await cli(['put', mine, '{"username":"ada","note":"my real ada"}'])).code).toBe(0);
    const refused = await cli(['lab', '--table-name', mine]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `table ${mine} existed before this run and holds an item username=ada that is not the lab's: the lab does not overwrite it`,
    );
    const ada = await cli(['get', mine, 'username=ada', '-o', 'json']);
    expect(JSON.parse(ada.stdout)).toEqual({ username: 'ada', note: 'my real ada' });
    await deleteTable(clients, mine);
  });

  it('an existing table with another key: one line naming both keys, before any write', async () => {
    const other = uniqueName('otherkey');
    expect((await cli(['create-table', other, '--pk', 'id:N', '--wait'])).code).toBe(0);
    const r = await cli(['lab', '--table-name', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `table ${other} already exists with key id (N); the lab needs a table keyed by username (S) alone: run it with --table-name NAME for a table of its own`,
    );
    await deleteTable(clients, other);
  });

  it('honours --region in the target line', async () => {
    const r = await cli(['--region', 'eu-west-1', 'list-tables']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('region eu-west-1');
  });
});

describe(`table lifecycle on ${engineName()}`, () => {
  it('treats an existing table as a normal outcome', async () => {
    const t = uniqueName('exists');
    expect((await createTable(clients, { tableName: t })).outcome).toBe('created');
    await waitForTable(clients, t, { for: 'active' });
    const again = await createTable(clients, { tableName: t });
    expect(again.outcome).toBe('exists');
    expect(again.table.TableStatus).toBe('ACTIVE');
    await deleteTable(clients, t);
  });

  it.runIf(caps().transitions)(
    'really passes through CREATING, and times out clearly (embedded engine only: DynamoDB Local creates instantly)',
    async () => {
      const t = uniqueName('slow');
      const created = await createTable(clients, { tableName: t });
      expect(created.table.TableStatus).toBe('CREATING');
      await expect(
        waitForTable(clients, t, { for: 'active', timeoutSeconds: 0.1, minDelay: 0.05, maxDelay: 0.05 }),
      ).rejects.toMatchObject({
        code: 'table.waitTimeout',
        message: expect.stringMatching(
          new RegExp(`table ${t} is not ACTIVE after [\\d.]+ s \\(last status: CREATING\\)`),
        ),
      });
      const w = await waitForTable(clients, t, { for: 'active' });
      expect(w.table?.TableStatus).toBe('ACTIVE');
      await deleteTable(clients, t);
    },
  );

  it('lists every page of tables', async () => {
    const prefix = uniqueName('page');
    const names = Array.from({ length: 5 }, (_, i) => `${prefix}-${i}`);
    await Promise.all(names.map((tableName) => createTable(clients, { tableName, throughput: 'on-demand' })));
    const all = await listTables(clients, { pageSize: 2, prefix });
    expect(all.sort()).toEqual(names);
    await Promise.all(names.map((n) => waitForTable(clients, n, { for: 'active' })));
    await Promise.all(names.map((n) => deleteTable(clients, n)));
  });

  it('deleting a missing table is a clear error', async () => {
    await expect(deleteTable(clients, uniqueName('missing'))).rejects.toMatchObject({
      code: 'table.notFound',
    });
  });
});
