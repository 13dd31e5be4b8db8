// Transactions (TransactWriteItems, TransactGetItems) through the CLI and the library, on every
// engine (the embedded one has them as DynamoDB does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { type Item, stringifyItem } from '../../src/core/data/codec.js';
import { type CancellationReason, transactGet, transactWrite } from '../../src/core/data/transact/index.js';
import { createTable } from '../../src/core/spec/createTable.js';
import { cli, engineName, errorLines, testClients, uniqueName } from '../helpers.js';

const clients = testClients();

/** An item as plain JSON with its top-level attributes sorted (engines return them in any order). */
function sorted(item: Item): string {
  return stringifyItem(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))));
}
const orders = uniqueName('orders');
const lines = uniqueName('lines');

beforeAll(async () => {
  await createTable(clients, {
    tableName: orders,
    partitionKey: { name: 'id', type: 'S' },
    throughput: 'on-demand',
  });
  await createTable(clients, {
    tableName: lines,
    partitionKey: { name: 'order', type: 'S' },
    sortKey: { name: 'line', type: 'N' },
    throughput: 'on-demand',
  });
  await waitForTable(clients, orders, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
  await waitForTable(clients, lines, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
});
afterAll(async () => {
  await Promise.all([deleteTable(clients, orders), deleteTable(clients, lines)]);
  clients.destroy();
});

async function read(table: string, key: Record<string, unknown>): Promise<string | undefined> {
  const out = await clients.doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return out.Item ? sorted(out.Item as Item) : undefined;
}

async function put(table: string, item: Record<string, unknown>): Promise<void> {
  await clients.doc.send(new PutCommand({ TableName: table, Item: item }));
}

const ndjson = (...actions: unknown[]) => actions.map((a) => JSON.stringify(a)).join('\n');

describe(`transactions on ${engineName()}`, () => {
  it('applies put, update, delete and check across two tables at once', async () => {
    await put(orders, { id: 'o0', status: 'old' });
    await put(orders, { id: 'c1', status: 'open' });
    await put(lines, { order: 'o1', line: 1, qty: 1 });
    const r = await cli(['transact', '-'], {
      stdin: ndjson(
        {
          put: {
            table: orders,
            item: { id: 'o1', total: 'TOTAL', status: 'new' },
            condition: 'attribute_not_exists(id)',
          },
        },
        {
          update: {
            table: lines,
            key: { order: 'o1', line: 1 },
            set: ['qty = qty + 2'],
            add: ['tags {"$set": ["x"]}'],
          },
        },
        { delete: { table: orders, key: { id: 'o0' }, condition: "status = 'old'" } },
        { check: { table: orders, key: { id: 'c1' }, condition: "status = 'open'" } },
      ).replace('"TOTAL"', '12345678901234567890.5'),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`committed 4 actions on ${orders}, ${lines}\n`);
    expect(await read(orders, { id: 'o1' })).toBe(
      '{"id":"o1","status":"new","total":12345678901234567890.5}',
    );
    expect(await read(lines, { order: 'o1', line: 1 })).toBe(
      '{"line":1,"order":"o1","qty":3,"tags":{"$set":["x"]}}',
    );
    expect(await read(orders, { id: 'o0' })).toBeUndefined();
  });

  it("a cancelled transaction names each action's reason and changes nothing", async () => {
    await put(orders, { id: 'o2', status: 'paid' });
    await put(lines, { order: 'o2', line: 1, qty: 1 });
    const actions = [
      { update: { table: lines, key: { order: 'o2', line: 1 }, set: ['qty = qty + 1'] } },
      { put: { table: orders, item: { id: 'o2', status: 'new' }, condition: 'attribute_not_exists(id)' } },
      { check: { table: orders, key: { id: 'nobody' }, condition: 'attribute_exists(id)' } },
    ];
    const r = await cli(['transact', '-'], { stdin: JSON.stringify(actions) });
    expect(r.code, r.stderr).toBe(1);
    // NOTE: engines return attributes in any order.
    const message = errorLines(r).map((l) =>
      l.replace('{"status":"paid","id":"o2"}', '{"id":"o2","status":"paid"}'),
    );
    expect(message).toEqual([
      `ddbctl: error: TransactWriteItems: the transaction was cancelled and nothing was written: action 2 (put into ${orders}, key {"id":"o2"}): ConditionalCheckFailed, current item {"id":"o2","status":"paid"}; action 3 (check in ${orders}, key {"id":"nobody"}): ConditionalCheckFailed, no current item; action 1: None`,
    ]);
    expect(await read(lines, { order: 'o2', line: 1 })).toBe('{"line":1,"order":"o2","qty":1}');
    expect(await read(orders, { id: 'o2' })).toBe('{"id":"o2","status":"paid"}');

    // Scripts get the reasons on stdout too: -o json as data, -o raw as DynamoDB says them.
    const json = await cli(['-o', 'json', 'transact', '-'], { stdin: JSON.stringify(actions) });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      cancelled: true,
      reasons: [
        { action: 1, type: 'update', code: 'None', key: { order: 'o2', line: 1 } },
        { action: 2, type: 'put', code: 'ConditionalCheckFailed', item: { id: 'o2', status: 'paid' } },
        { action: 3, type: 'check', code: 'ConditionalCheckFailed', key: { id: 'nobody' } },
      ],
    });
    const raw = await cli(['-o', 'raw', 'transact', '-'], { stdin: JSON.stringify(actions) });
    expect(raw.code).toBe(1);
    expect(JSON.parse(raw.stdout).CancellationReasons.map((x: { Code: string }) => x.Code)).toEqual([
      'None',
      'ConditionalCheckFailed',
      'ConditionalCheckFailed',
    ]);

    // The library gives the same reasons as data.
    const err = await transactWrite(clients, [
      {
        update: { table: lines, key: { order: 'o2', line: new NumberValue('1') }, set: ['qty = qty + 1'] },
      },
      { put: { table: orders, item: { id: 'o2' }, condition: 'attribute_not_exists(id)' } },
    ]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'transaction.cancelled' });
    const reasons = (err as { details: { reasons: CancellationReason[] } }).details.reasons;
    expect(reasons.map((x) => [x.index, x.type, x.table, x.code])).toEqual([
      [0, 'update', lines, 'None'],
      [1, 'put', orders, 'ConditionalCheckFailed'],
    ]);
    expect(sorted(reasons[1]!.item!)).toBe('{"id":"o2","status":"paid"}');
  });

  it('applies a transaction once per --token', async () => {
    const token = uniqueName('tok');
    const stdin = ndjson({ update: { table: orders, key: { id: 'tok' }, add: ['n 1'] } });
    for (let i = 0; i < 2; i++) {
      const r = await cli(['-o', 'json', 'transact', '-', '--token', token], { stdin });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ ok: true, actions: 1, tables: [orders] });
    }
    expect(await read(orders, { id: 'tok' })).toBe('{"id":"tok","n":1}');
  });

  it('transact-get reads items in the order asked, null for a missing key', async () => {
    await put(orders, { id: 'g1', status: 'open', total: 7 });
    await put(lines, { order: 'g1', line: 2, qty: 4, note: 'x' });
    const gets = [
      { table: lines, key: { order: 'g1', line: 2 }, project: 'qty,note' },
      { table: orders, key: { id: 'missing' } },
      { table: orders, key: { id: 'g1' } },
    ];
    const r = await cli(['-o', 'json', 'transact-get', '-'], { stdin: JSON.stringify(gets) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { qty: 4, note: 'x' },
      null,
      { id: 'g1', status: 'open', total: 7 },
    ]);

    const table = await cli(['transact-get', '-'], { stdin: JSON.stringify(gets) });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('(not found)');

    const items = await transactGet(clients, [{ table: orders, key: { id: 'g1' } }]);
    expect(items.map((i) => i && sorted(i))).toEqual(['{"id":"g1","status":"open","total":7}']);
  });

  it('names a missing table', async () => {
    const missing = uniqueName('missing');
    const w = await cli(['transact', '-'], { stdin: ndjson({ put: { table: missing, item: { id: 'a' } } }) });
    const g = await cli(['transact-get', '-'], { stdin: ndjson({ table: missing, key: { id: 'a' } }) });
    for (const r of [w, g]) {
      expect(r.code).toBe(1);
      expect(errorLines(r)).toHaveLength(1);
      expect(errorLines(r)[0]).toContain(`table ${missing} does not exist`);
    }
  });

  it('keeps a --token across processes on one data dir: the second run writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-tx-'));
    try {
      const on = ['--data-dir', dir];
      expect((await cli([...on, 'create-table', 'Counters', '--pk', 'id:S', '--wait'])).code).toBe(0);
      const stdin = ndjson({ update: { table: 'Counters', key: { id: 'c' }, add: ['n 1'] } });
      for (let i = 0; i < 2; i++) {
        const r = await cli([...on, 'transact', '-', '--token', 'tok-1'], { stdin });
        expect(r.code, r.stderr).toBe(0);
      }
      // Without the token the same transaction is applied again.
      expect((await cli([...on, 'transact', '-'], { stdin })).code).toBe(0);
      const got = await cli([...on, '-o', 'json', 'get', 'Counters', '{"id":"c"}']);
      expect(JSON.parse(got.stdout)).toEqual({ id: 'c', n: 2 });
      // The same token with other actions is refused.
      const other = await cli([...on, 'transact', '-', '--token', 'tok-1'], {
        stdin: ndjson({ delete: { table: 'Counters', key: { id: 'c' } } }),
      });
      expect(other.code).toBe(1);
      expect(errorLines(other)).toEqual([
        'ddbctl: error: TransactWriteItems: this token was used in the last 10 minutes for other actions; use a new token for a new transaction',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad actions as usage errors naming the action, before any write', async () => {
    const dup = await cli(['transact', '-'], {
      stdin: ndjson(
        { put: { table: orders, item: { id: 'd1' } } },
        { update: { table: orders, key: { id: 'd1' }, set: ['a = 1'] } },
      ),
    });
    expect(dup.code, dup.stderr).toBe(2);
    expect(errorLines(dup)).toEqual([
      `ddbctl: error: action 2 (update in ${orders}, key {"id":"d1"}) names the same item as action 1; DynamoDB rejects a transaction that touches one item twice: merge them into one action`,
    ]);
    const key = await cli(['transact', '-'], {
      stdin: ndjson({ delete: { table: lines, key: { order: 'o1' } } }),
    });
    expect(key.code).toBe(2);
    expect(errorLines(key)[0]).toContain(
      `action 1 (delete from ${lines}): key: the sort key attribute "line" is missing; table ${lines} has key order (S), line (N)`,
    );
    // Malformed input fails before connecting: nothing listens on port 1.
    const bad = await cli(['--endpoint-url', 'http://127.0.0.1:1', 'transact', '-'], {
      stdin: '[{"put": {"table": "Orders", "item": {"id": "a"}, "conditon": "x"}}]',
    });
    expect(bad.code).toBe(2);
    expect(errorLines(bad)).toEqual([
      'ddbctl: error: actions from stdin: action 1 (put into Orders): unknown field "conditon"; expected table, item, condition',
    ]);
    expect(await read(orders, { id: 'd1' })).toBeUndefined();
  });
});
