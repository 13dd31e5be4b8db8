// The writer that src/engine/streams/crash.test.ts kills: an engine on the folder given, a table
// with a stream (made on the first run), then item writes without end (PutItem, UpdateItem,
// DeleteItem, BatchWriteItem), each acknowledged on stdout once answered.
// Run: node --import tsx streamCrashChild.ts DIR
import { pathToFileURL } from 'node:url';
import { DdbEngine } from '../../src/engine/engine.js';
import { openStore } from '../../src/engine/store/index.js';
import { ack } from './storeCrashChild.js';

export const CRASH_TABLE = 'crashed';

/** Send one request; anything but 200 stops the writer (the test then fails: it exits by itself). */
export async function call(engine: DdbEngine, op: string, body: unknown): Promise<Record<string, unknown>> {
  const prefix = ['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'].includes(op)
    ? 'DynamoDBStreams_20120810'
    : 'DynamoDB_20120810';
  const a = await engine.handle(`${prefix}.${op}`, JSON.stringify(body));
  if (a.status !== 200) throw new Error(`${op}: ${a.body}`);
  return JSON.parse(a.body) as Record<string, unknown>;
}

async function main(dir: string): Promise<void> {
  const engine = new DdbEngine({ store: openStore({ dir, compactBytes: 256 * 1024 }), transitionMs: 0 });
  if (!engine.findTable(CRASH_TABLE)) {
    await call(engine, 'CreateTable', {
      TableName: CRASH_TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  }
  const run = Date.now();
  for (let i = 0; ; i++) {
    const pk = { S: `k${i % 300}` };
    const n = { N: `${run}${i}` };
    // Sizes vary (now and then 40 KB) so that commits end at every kind of offset.
    const pad = { S: 'x'.repeat(i % 89 === 0 ? 40_000 : 1 + ((i * 37) % 300)) };
    if (i % 5 === 4) await call(engine, 'DeleteItem', { TableName: CRASH_TABLE, Key: { pk } });
    else if (i % 5 === 3) {
      await call(engine, 'UpdateItem', {
        TableName: CRASH_TABLE,
        Key: { pk },
        UpdateExpression: 'SET n = :n, #pad = :p',
        ExpressionAttributeNames: { '#pad': 'pad' },
        ExpressionAttributeValues: { ':n': n, ':p': pad },
      });
    } else if (i % 5 === 2) {
      const items = [0, 1, 2].map((j) => ({
        PutRequest: { Item: { pk: { S: `b${(i + j) % 50}` }, n, pad } },
      }));
      await call(engine, 'BatchWriteItem', { RequestItems: { [CRASH_TABLE]: items } });
    } else await call(engine, 'PutItem', { TableName: CRASH_TABLE, Item: { pk, n, pad } });
    ack(`${i}\n`);
    if (i % 20 === 0) await new Promise((r) => setImmediate(r));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv[2]!);
