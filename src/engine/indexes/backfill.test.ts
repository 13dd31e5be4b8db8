import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DdbEngine } from '../engine.js';
import { openStore } from '../store/index.js';
import { CREATE_BY_G, PK_TABLE } from '../testClient.js';

// biome-ignore lint/suspicious/noExplicitAny: the answers are read member by member, as JSON
type Json = Record<string, any>;

/** One request straight to the engine; a non-200 answer throws its type and message. */
async function call(engine: DdbEngine, op: string, body: Json): Promise<Json> {
  const a = await engine.handle(`DynamoDB_20120810.${op}`, JSON.stringify(body));
  const out = JSON.parse(a.body) as Json;
  if (a.status !== 200) throw new Error(`${op}: ${out.__type} ${out.message}`);
  return out;
}

const tick = () => new Promise((r) => setTimeout(r, 1));

const TABLE = PK_TABLE as Json;
const CREATE_G = CREATE_BY_G as Json;

/** n items pk = p<i>, every third without g (not in the index). */
async function seed(engine: DdbEngine, n: number): Promise<void> {
  for (let i = 0; i < n; i += 25) {
    const reqs = [];
    for (let j = i; j < Math.min(n, i + 25); j++) {
      const Item: Json = { pk: { S: `p${j}` } };
      if (j % 3 !== 0) Item.g = { S: `g${j % 50}` };
      reqs.push({ PutRequest: { Item } });
    }
    await call(engine, 'BatchWriteItem', { RequestItems: { tbl: reqs } });
  }
}

/** Every entry of the index, as pk → g, read by a Scan of it to the end. */
async function indexEntries(engine: DdbEngine): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let start: Json | undefined;
  do {
    const page = await call(engine, 'Scan', {
      TableName: 'tbl',
      IndexName: 'byG',
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    for (const it of page.Items as Json[]) {
      const pk = it.pk.S as string;
      if (out.has(pk)) throw new Error(`${pk} twice in the index`);
      out.set(pk, it.g.S);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

async function describeIndex(engine: DdbEngine): Promise<Json | undefined> {
  const t = (await call(engine, 'DescribeTable', { TableName: 'tbl' })).Table as Json;
  return (t.GlobalSecondaryIndexes as Json[] | undefined)?.find((g) => g.IndexName === 'byG');
}

async function untilActive(engine: DdbEngine, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while ((await describeIndex(engine))?.IndexStatus !== 'ACTIVE') {
    if (Date.now() > end) throw new Error('index not ACTIVE in time');
    await tick();
  }
}

/** Once the deletion's phase has passed: the table ACTIVE without the index, its tree dropped. */
async function expectIndexGone(engine: DdbEngine): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  const after = (await call(engine, 'DescribeTable', { TableName: 'tbl' })).Table as Json;
  expect(after.TableStatus).toBe('ACTIVE');
  expect(after).not.toHaveProperty('GlobalSecondaryIndexes');
  expect(engine.store.treeNames().filter((n) => n.startsWith('i:tbl:'))).toEqual([]);
  engine.stop();
}

const dirs: string[] = [];

/** A data dir holding the table with n items (seed), its engine closed. */
async function seededDir(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ddbctl-backfill-'));
  dirs.push(dir);
  const store = openStore({ dir });
  const engine = new DdbEngine({ store, transitionMs: 0 });
  await call(engine, 'CreateTable', TABLE);
  await seed(engine, n);
  engine.stop();
  await store.close();
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('GSI backfill (UpdateTable Create)', () => {
  it('goes CREATING (allocation, then Backfilling) with reads refused, then ACTIVE; a deleted index goes DELETING, then is gone', async () => {
    const engine = new DdbEngine({ transitionMs: 30 });
    await call(engine, 'CreateTable', TABLE);
    await new Promise((r) => setTimeout(r, 40));
    await seed(engine, 3000);
    const answer = (await call(engine, 'UpdateTable', CREATE_G)).TableDescription as Json;
    expect(answer.TableStatus).toBe('UPDATING');
    const created = answer.GlobalSecondaryIndexes[0];
    expect(created).toMatchObject({ IndexName: 'byG', IndexStatus: 'CREATING', Backfilling: false });
    expect(created).not.toHaveProperty('ItemCount');
    expect(answer.AttributeDefinitions.map((d: Json) => d.AttributeName).sort()).toEqual(['g', 'pk']);
    await expect(
      call(engine, 'Query', {
        TableName: 'tbl',
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'g1' } },
      }),
    ).rejects.toThrow('ValidationException Cannot read from backfilling global secondary index: byG');
    // A second index change while this one is built.
    const second = structuredClone(CREATE_G) as Json;
    second.GlobalSecondaryIndexUpdates[0].Create.IndexName = 'byG2';
    await expect(call(engine, 'UpdateTable', second)).rejects.toThrow(
      'LimitExceededException Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
    );
    let sawBackfilling = false;
    while ((await describeIndex(engine))?.IndexStatus !== 'ACTIVE') {
      const ix = await describeIndex(engine);
      if (ix?.Backfilling === true && ix.ItemCount > 0 && ix.ItemCount < 2000) sawBackfilling = true;
      await tick();
    }
    expect(sawBackfilling).toBe(true);
    const active = (await call(engine, 'DescribeTable', { TableName: 'tbl' })).Table as Json;
    expect(active.TableStatus).toBe('ACTIVE');
    expect(active.GlobalSecondaryIndexes[0]).not.toHaveProperty('Backfilling');
    expect(active.GlobalSecondaryIndexes[0].ItemCount).toBe(2000);
    const q = await call(engine, 'Query', {
      TableName: 'tbl',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'g1' } },
    });
    expect(q.Count).toBe(40);

    const deleting = (
      await call(engine, 'UpdateTable', {
        TableName: 'tbl',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }],
      })
    ).TableDescription as Json;
    expect(deleting.TableStatus).toBe('UPDATING');
    expect(deleting.GlobalSecondaryIndexes[0].IndexStatus).toBe('DELETING');
    expect(deleting.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }]);
    await call(engine, 'PutItem', { TableName: 'tbl', Item: { pk: { S: 'late' }, g: { S: 'g1' } } });
    await expectIndexGone(engine);
  });

  it('deleting an index being backfilled cancels it: DELETING, then gone, its entries dropped', async () => {
    const engine = new DdbEngine({ transitionMs: 20 });
    await call(engine, 'CreateTable', TABLE);
    await new Promise((r) => setTimeout(r, 30));
    await seed(engine, 3000);
    await call(engine, 'UpdateTable', CREATE_G);
    await tick();
    const answer = (
      await call(engine, 'UpdateTable', {
        TableName: 'tbl',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }],
      })
    ).TableDescription as Json;
    expect(answer.GlobalSecondaryIndexes[0].IndexStatus).toBe('DELETING');
    await expectIndexGone(engine);
  });

  it('indexes each of 100,000 items exactly once while puts, key-moving updates and deletes go on', async () => {
    const engine = new DdbEngine({ transitionMs: 10 });
    await call(engine, 'CreateTable', TABLE);
    await new Promise((r) => setTimeout(r, 20));
    const n = 100_000;
    await seed(engine, n);
    // What the index must hold at the end: pk → g for every item that has a g.
    const want = new Map<string, string>();
    for (let j = 0; j < n; j++) if (j % 3 !== 0) want.set(`p${j}`, `g${j % 50}`);

    await call(engine, 'UpdateTable', CREATE_G);
    let writes = 0;
    let rng = 42;
    const rand = (m: number) => {
      rng = (rng * 1103515245 + 12345) & 0x7fffffff;
      return rng % m;
    };
    // Writes spread over the whole key space (behind and ahead of the cursor) until the index is ACTIVE.
    while ((await describeIndex(engine))?.IndexStatus !== 'ACTIVE') {
      for (let k = 0; k < 20; k++) {
        const pk = `p${rand(n + 5000)}`;
        const what = rand(4);
        if (what === 0) {
          await call(engine, 'DeleteItem', { TableName: 'tbl', Key: { pk: { S: pk } } });
          want.delete(pk);
        } else if (what === 1) {
          const g = `m${rand(100)}`;
          await call(engine, 'UpdateItem', {
            TableName: 'tbl',
            Key: { pk: { S: pk } },
            UpdateExpression: 'SET g = :g',
            ExpressionAttributeValues: { ':g': { S: g } },
          });
          want.set(pk, g);
        } else if (what === 2) {
          await call(engine, 'UpdateItem', {
            TableName: 'tbl',
            Key: { pk: { S: pk } },
            UpdateExpression: 'REMOVE g',
          });
          want.delete(pk);
        } else {
          const g = `n${rand(100)}`;
          await call(engine, 'PutItem', { TableName: 'tbl', Item: { pk: { S: pk }, g: { S: g } } });
          want.set(pk, g);
        }
        writes++;
      }
      await tick();
    }
    expect(writes).toBeGreaterThan(100);
    const got = await indexEntries(engine);
    expect(got.size).toBe(want.size);
    expect(got).toEqual(want);
    expect((await describeIndex(engine))?.ItemCount).toBe(want.size);
    engine.stop();
  }, 120_000);

  it('resumes an interrupted backfill in the next engine on the data dir', async () => {
    const dir = await seededDir(30_000);
    let store = openStore({ dir });
    let engine = new DdbEngine({ store, transitionMs: 10 });
    await call(engine, 'UpdateTable', CREATE_G);
    // Stop in the middle: some entries written, not all.
    let partial = 0;
    while (partial === 0) {
      await tick();
      partial = (await describeIndex(engine))?.ItemCount ?? 0;
    }
    engine.stop();
    await store.close();
    expect(partial).toBeLessThan(20_000);

    store = openStore({ dir });
    engine = new DdbEngine({ store, transitionMs: 10 });
    const resumed = await describeIndex(engine);
    expect(resumed).toMatchObject({ IndexStatus: 'CREATING', Backfilling: true });
    expect(resumed?.ItemCount).toBeGreaterThanOrEqual(partial);
    await untilActive(engine);
    const got = await indexEntries(engine);
    expect(got.size).toBe(20_000);
    engine.stop();
    await store.close();
  }, 120_000);

  it('a backfill that little work finishes ends as the engine closes (settle), so the next command finds the index ACTIVE', async () => {
    const dir = await seededDir(1200);
    let store = openStore({ dir });
    let engine = new DdbEngine({ store, transitionMs: 10 });
    await call(engine, 'UpdateTable', CREATE_G);
    // As startEngine's close(): settle, stop, close the store.
    await engine.settle();
    engine.stop();
    await store.close();

    store = openStore({ dir });
    engine = new DdbEngine({ store, transitionMs: 10 });
    expect(await describeIndex(engine)).toMatchObject({ IndexStatus: 'ACTIVE', ItemCount: 800 });
    engine.stop();
    await store.close();
  });
});
