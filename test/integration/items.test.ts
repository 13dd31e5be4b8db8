// Item operations on every engine: exact types, keys, conditions, updates, reserved words,
// query and scan streaming with caps and parallel segments.
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { type Item, parseItem } from '../../src/core/data/codec.js';
import { verifyItem } from '../../src/core/lab.js';
import { cli, engineName, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
// Reserved words as key names: `data` (partition) and `size` (sort); a GSI on `status`/`name`.
const T = uniqueName('items');
const PLAIN = uniqueName('plain');

async function writeAll(table: string, items: Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let req: BatchWriteCommandInput['RequestItems'] = {
      [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    for (let n = 0; req && Object.keys(req).length; n++) {
      const out: { UnprocessedItems?: BatchWriteCommandInput['RequestItems'] } = await clients.doc.send(
        new BatchWriteCommand({ RequestItems: req }),
      );
      req = out.UnprocessedItems;
      if (n > 20) throw new Error('unprocessed items kept coming back');
    }
  }
}

const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  await clients.ddb.send(
    new CreateTableCommand({
      TableName: T,
      KeySchema: [
        { AttributeName: 'data', KeyType: 'HASH' },
        { AttributeName: 'size', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'data', AttributeType: 'S' },
        { AttributeName: 'size', AttributeType: 'N' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'name', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'name', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await clients.ddb.send(
    new CreateTableCommand({
      TableName: PLAIN,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitForTable(clients, T, { for: 'active' });
  await waitForTable(clients, PLAIN, { for: 'active' });
});

afterAll(async () => {
  await deleteTable(clients, T);
  await deleteTable(clients, PLAIN);
  clients.destroy();
});

describe(`items on ${engineName()}`, () => {
  const every =
    '{"id":"types","n38":12345678901234567890123456789012345678,"big":9007199254740993,"neg":-98765432109876543210.5,' +
    '"tiny":1E-130,"dec":0.1,"ss":{"$set":["a","b"]},"ns":{"$set":[1,2.5,12345678901234567890123456789012345678]},' +
    '"bs":{"$set":[{"$binary":"AAE="},{"$binary":"/w=="}]},"bin":{"$binary":"' +
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('base64') +
    '"},"empty":"","nul":null,"t":true,"f":false,"nested":{"l":[1,"x",{"m":{"deep":[null,{"$set":["z"]}]}}],"e":{}},"list":[]}';

  it('round-trips every type exactly (plain JSON in, plain JSON out)', async () => {
    expect((await cli(['put', PLAIN, every])).code).toBe(0);
    const r = await cli(['get', PLAIN, 'id=types', '-o', 'ndjson', '--consistent']);
    expect(r.code, r.stderr).toBe(0);
    // Same attributes, same DynamoDB types, same values (set order aside).
    const checks = verifyItem(parseItem(every), parseItem(r.stdout));
    expect(checks.filter((c) => !c.equal)).toEqual([]);
    expect(checks).toHaveLength(16);
    expect(r.stdout).toContain('"n38":12345678901234567890123456789012345678');
    expect(r.stdout).toContain('"big":9007199254740993');
    expect(r.stdout).toContain(`"tiny":0.${'0'.repeat(129)}1`); // DynamoDB's notation, the same value
    // The stored types, read without ddbctl.
    const raw = (
      await clients.ddb.send(new GetItemCommand({ TableName: PLAIN, Key: { id: { S: 'types' } } }))
    ).Item!;
    expect(raw.n38).toEqual({ N: '12345678901234567890123456789012345678' });
    expect(raw.bin?.B).toEqual(new Uint8Array(Array.from({ length: 256 }, (_, i) => i)));
    expect(Object.keys(raw.ss!)).toEqual(['SS']);
    expect(Object.keys(raw.ns!)).toEqual(['NS']);
    expect(Object.keys(raw.bs!)).toEqual(['BS']);
    expect(raw.nul).toEqual({ NULL: true });
    expect(raw.empty).toEqual({ S: '' });
  });

  it('reads and writes DynamoDB JSON (--ddb-json in, -o raw out), the same item', async () => {
    const raw = await cli(['get', PLAIN, 'id=types', '-o', 'raw']);
    const ddb = JSON.parse(raw.stdout);
    ddb.id = { S: 'types2' };
    expect((await cli(['put', PLAIN, JSON.stringify(ddb), '--ddb-json'])).code).toBe(0);
    const back = JSON.parse(
      (await cli(['get', PLAIN, '{"id":{"S":"types2"}}', '--ddb-json', '-o', 'raw'])).stdout,
    );
    expect(back).toEqual(ddb);
  });

  it('puts from stdin and from a file', async () => {
    expect((await cli(['put', PLAIN, '-'], { stdin: '{"id":"stdin","v":1}' })).code).toBe(0);
    const got = JSON.parse((await cli(['get', PLAIN, '{"id":"stdin"}', '-o', 'json'])).stdout);
    expect(got).toEqual({ id: 'stdin', v: 1 });
  });

  it('takes keys as attr=value, converting a number key given as text', async () => {
    await cli(['put', T, '{"data":"k","size":7,"status":"open","name":"n"}']);
    const r = await cli(['get', T, 'data=k', 'size=7', '-o', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ data: 'k', size: 7 });
    const missing = await cli(['get', T, 'data=k']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the sort key attribute "size" is missing');
  });

  it('get --project returns only the named paths, reserved words included', async () => {
    await cli(['put', T, '{"data":"p","size":1,"status":"s","name":"n","nested":{"a":[1,{"b":2}],"c":3}}']);
    const r = await cli(['get', T, 'data=p', 'size=1', '--project', 'status,nested.a[1].b', '-o', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({ status: 's', nested: { a: [{ b: 2 }] } });
  });

  it('--if-not-exists refuses to overwrite: exit 1, item unchanged', async () => {
    await cli(['put', PLAIN, '{"id":"once","v":1}']);
    const r = await cli(['put', PLAIN, '{"id":"once","v":2}', '--if-not-exists']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PutItem: the condition was not met; the item was not changed');
    expect(JSON.parse((await cli(['get', PLAIN, 'id=once', '-o', 'json'])).stdout).v).toBe(1);
  });

  it('--return old prints the replaced item', async () => {
    await cli(['put', PLAIN, '{"id":"ret","v":1}']);
    const r = await cli(['put', PLAIN, '{"id":"ret","v":2}', '--return', 'old', '-o', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'ret', v: 1 });
  });

  it('conditions use reserved words safely; a failed one leaves the item unchanged', async () => {
    await cli(['put', T, '{"data":"r","size":1,"status":"open","name":"Jo","comment":"c"}']);
    const ok = await cli([
      'put',
      T,
      '{"data":"r","size":1,"status":"closed","name":"Jo"}',
      '--condition',
      "status = 'open' AND begins_with(name, 'J') AND size(comment) = 1",
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const fail = await cli(['delete', T, 'data=r', 'size=1', '--condition', "status IN ('open', 'pending')"]);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain('DeleteItem: the condition was not met; the item was not changed');
    expect(JSON.parse((await cli(['get', T, 'data=r', 'size=1', '-o', 'json'])).stdout).status).toBe(
      'closed',
    );
    const bad = await cli(['put', T, '{"data":"r","size":1}', '--condition', 'status = ']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/condition "status = " at column \d+/);
  });

  it('update: every action, reserved names, return modes, raw expressions, failed conditions', async () => {
    await cli([
      'put',
      T,
      '{"data":"u","size":1,"status":"new","name":"x","count":1,"tags":{"$set":["a","b"]},"log":["l1"],"gone":1}',
    ]);
    const r = await cli([
      'update',
      T,
      'data=u',
      'size=1',
      '--set',
      "status = 'active'",
      '--set',
      'count = count + 2',
      '--add',
      'tags {"$set":["c"]}',
      '--remove',
      'gone',
      '--append',
      'log = "l2"',
      '--if-not-exists',
      'created = 2026',
      '--condition',
      "status = 'new'",
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const item = JSON.parse(r.stdout);
    expect(item).toMatchObject({ status: 'active', count: 3, log: ['l1', 'l2'], created: 2026 });
    expect(item.tags.$set.sort()).toEqual(['a', 'b', 'c']);
    const removed = await cli([
      'update',
      T,
      'data=u',
      'size=1',
      '--delete',
      'tags {"$set":["a"]}',
      '-o',
      'json',
    ]);
    expect(JSON.parse(removed.stdout).tags.$set.sort()).toEqual(['b', 'c']);
    const twice = await cli([
      'update',
      T,
      'data=u',
      'size=1',
      '--add',
      'tags {"$set":["c"]}',
      '--delete',
      'tags {"$set":["a"]}',
    ]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('path tags appears twice');
    expect(item.gone).toBeUndefined();

    const updated = await cli([
      'update',
      T,
      'data=u',
      'size=1',
      '--set',
      'count = count + 1',
      '--return',
      'updated-old',
      '-o',
      'json',
    ]);
    expect(JSON.parse(updated.stdout)).toEqual({ count: 3 });

    const raw = await cli([
      'update',
      T,
      'data=u',
      'size=1',
      '--expression',
      'SET #s = :s',
      '--names',
      '{"#s":"status"}',
      '--values',
      '{":s":"raw"}',
      '-o',
      'json',
    ]);
    expect(JSON.parse(raw.stdout).status).toBe('raw');

    const failed = await cli([
      'update',
      T,
      'data=u',
      'size=1',
      '--set',
      'count = 100',
      '--condition',
      'count > 1000',
    ]);
    expect(failed.code).toBe(1);
    expect(JSON.parse((await cli(['get', T, 'data=u', 'size=1', '-o', 'json'])).stdout).count).toBe(4);

    const keyChange = await cli(['update', T, 'data=u', 'size=1', '--set', 'size = 2']);
    expect(keyChange.code).toBe(2);
    expect(keyChange.stderr).toContain('"size" is part of the key');
  });

  it('delete with --return old', async () => {
    await cli(['put', PLAIN, '{"id":"del","v":1}']);
    const r = await cli(['delete', PLAIN, 'id=del', '--return', 'old', '-o', 'json']);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'del', v: 1 });
    expect((await cli(['get', PLAIN, 'id=del'])).code).toBe(1);
  });

  describe('query and scan', () => {
    const P = 'q';
    const N = 10_000;
    beforeAll(async () => {
      const items: Item[] = [];
      for (let i = 0; i < N; i++) {
        items.push(
          parseItem(
            `{"data":"${P}","size":${i},"status":"${i % 2 ? 'odd' : 'even'}","name":"n${String(i).padStart(5, '0')}"}`,
          ),
        );
      }
      await writeAll(T, items);
    }, 300_000);

    it('query: sort key conditions, order, filter, projection, count', async () => {
      const q = async (...args: string[]) =>
        lines((await cli(['query', T, P, '-o', 'ndjson', ...args])).stdout);
      expect((await q('--sk', 'between 10 and 19')).map((i) => i.size)).toEqual([
        10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
      ]);
      expect((await q('--sk', '< 3')).map((i) => i.size)).toEqual([0, 1, 2]);
      expect((await q('--sk', '<= 2')).length).toBe(3);
      expect((await q('--sk', '> 9997')).map((i) => i.size)).toEqual([9998, 9999]);
      expect((await q('--sk', '>= 9998')).length).toBe(2);
      expect((await q('--sk', '= 5')).map((i) => i.size)).toEqual([5]);
      expect((await q('--descending', '--limit', '3')).map((i) => i.size)).toEqual([9999, 9998, 9997]);
      const filtered = await q(
        '--sk',
        '< 10',
        '--filter',
        "status = 'odd' AND name <> 'n00003'",
        '--project',
        'size,status',
      );
      expect(filtered).toEqual([1, 5, 7, 9].map((size) => ({ size, status: 'odd' })));
      const keyFilter = await cli(['query', T, P, '--filter', 'size < 10']);
      expect(keyFilter.code).toBe(2);
      expect(keyFilter.stderr).toContain('"size" is a key attribute');
      const count = await cli(['query', T, `data=${P}`, '--count', '--filter', "status = 'even'"]);
      expect(count.stdout.trim()).toBe('5000');
    });

    it('queries a 10,000-item partition: every item once, in order; --limit caps across pages', async () => {
      const all = lines(
        (await cli(['query', T, P, '-o', 'ndjson', '--project', 'size', '--consistent'])).stdout,
      );
      expect(all.map((i) => i.size)).toEqual(Array.from({ length: N }, (_, i) => i));
      const capped = lines(
        (await cli(['query', T, P, '-o', 'ndjson', '--limit', '2500', '--page-size', '1000'])).stdout,
      );
      expect(capped.map((i) => i.size)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    });

    it('query: --limit is a cap across pages, also with a filter', async () => {
      const r = lines(
        (
          await cli([
            'query',
            T,
            P,
            '--limit',
            '25',
            '--page-size',
            '7',
            '--filter',
            "status = 'odd'",
            '-o',
            'ndjson',
          ])
        ).stdout,
      );
      expect(r.map((i) => i.size)).toEqual(Array.from({ length: 25 }, (_, i) => 2 * i + 1));
    });

    it('query a GSI with begins_with on its sort key, names being reserved words', async () => {
      const r = lines(
        (await cli(['query', T, 'odd', '--index', 'byStatus', '--sk', 'begins_with n0000', '-o', 'ndjson']))
          .stdout,
      );
      expect(r.map((i) => i.name)).toEqual(['n00001', 'n00003', 'n00005', 'n00007', 'n00009']);
    });

    it('scans 10,000 items with parallel segments, each exactly once', async () => {
      const r = await cli([
        'scan',
        T,
        '--segments',
        '4',
        '-o',
        'ndjson',
        '--project',
        'size',
        '--filter',
        "begins_with(name, 'n0')",
      ]);
      expect(r.code, r.stderr).toBe(0);
      const sizes = lines(r.stdout).map((i) => i.size as number);
      expect(sizes).toHaveLength(N);
      expect(new Set(sizes).size).toBe(N);
    });

    it('scan --limit caps the total across pages and segments; --count counts', async () => {
      const r = lines((await cli(['scan', T, '--segments', '3', '--limit', '1234', '-o', 'ndjson'])).stdout);
      expect(r).toHaveLength(1234);
      expect(new Set(r.map((i) => `${i.data}/${i.size}`)).size).toBe(1234);
      const c = await cli([
        'scan',
        T,
        '--count',
        '--filter',
        "status = 'odd' AND begins_with(name, 'n0')",
        '--segments',
        '2',
        '-o',
        'json',
      ]);
      expect(JSON.parse(c.stdout).count).toBe(N / 2);
    });

    it('-o json streams one valid array', async () => {
      const r = await cli(['query', T, P, '--limit', '3', '-o', 'json', '--project', 'size']);
      expect(JSON.parse(r.stdout)).toEqual([{ size: 0 }, { size: 1 }, { size: 2 }]);
    });
  });
});
