// The writer that src/engine/transact/crash.test.ts kills: a DdbEngine on the data dir given,
// handing it TransactWriteItems of several items across two tables, and printing each
// transaction's number once the engine has answered it (acknowledged). It continues from the
// number the data dir's counter item holds. Run: node --import tsx transactCrashChild.ts DIR
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DdbEngine } from '../../src/engine/engine.js';
import { openStore } from '../../src/engine/store/index.js';

export const TABLE_A = 'TxA';
export const TABLE_B = 'TxB';
/** Items each transaction writes besides the counter: many, so that a kill often lands in its commit. */
export const A_ITEMS = 4;
export const B_ITEMS = 6;

/**
 * Transaction `i`: its items in A (`t<i>-<j>`) and B (partition `t<i>`, sort 0..B_ITEMS-1), of varied sizes
 * (now and then 60 KB), the previous transaction's A items deleted every third time, and the
 * counter moved from i-1 to i under a condition, so that the counter says which transaction the
 * state must be exactly after.
 */
export function crashTransaction(i: number): Record<string, unknown> {
  const pad = 'x'.repeat(i % 50 === 0 ? 60_000 : (i * 37) % 500);
  const items: unknown[] = [];
  for (let j = 0; j < A_ITEMS; j++) {
    items.push({
      Put: { TableName: TABLE_A, Item: { pk: { S: `t${i}-${j}` }, n: { N: String(i) }, p: { S: pad } } },
    });
  }
  for (let j = 0; j < B_ITEMS; j++) {
    items.push({
      Put: {
        TableName: TABLE_B,
        Item: { pk: { S: `t${i}` }, sk: { N: String(j) }, g: { S: `g${i % 7}` }, p: { S: pad } },
      },
    });
  }
  items.push({
    Update: {
      TableName: TABLE_A,
      Key: { pk: { S: 'counter' } },
      UpdateExpression: 'SET n = :i',
      ConditionExpression: i === 0 ? 'attribute_not_exists(n)' : 'n = :prev',
      ExpressionAttributeValues: {
        ':i': { N: String(i) },
        ...(i === 0 ? {} : { ':prev': { N: String(i - 1) } }),
      },
    },
  });
  return { TransactItems: items, ClientRequestToken: `crash-${i}` };
}

function ack(line: string): void {
  const b = Buffer.from(line);
  for (let off = 0; off < b.length; ) {
    try {
      off += writeSync(1, b, off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
  }
}

async function call(engine: DdbEngine, op: string, body: unknown): Promise<Record<string, unknown>> {
  const a = await engine.handle(`DynamoDB_20120810.${op}`, JSON.stringify(body));
  const out = JSON.parse(a.body) as Record<string, unknown>;
  if (a.status !== 200) throw new Error(`${op}: ${a.body}`);
  return out;
}

async function main(dir: string): Promise<void> {
  const engine = new DdbEngine({ store: openStore({ dir, compactBytes: 256 * 1024 }), transitionMs: 0 });
  if (!engine.findTable(TABLE_A)) {
    await call(engine, 'CreateTable', {
      TableName: TABLE_A,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    });
    await call(engine, 'CreateTable', {
      TableName: TABLE_B,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  }
  const got = await call(engine, 'GetItem', {
    TableName: TABLE_A,
    Key: { pk: { S: 'counter' } },
    ConsistentRead: true,
  });
  const item = got.Item as { n?: { N: string } } | undefined;
  for (let i = item?.n ? Number(item.n.N) + 1 : 0; ; i++) {
    await call(engine, 'TransactWriteItems', crashTransaction(i));
    ack(`${i}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv[2]!);
