// Table housekeeping for the benchmark (not measured): fresh tables, item counts, drops. Bounded
// waits and page counts throughout.
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { startEmbedded } from './env.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function admin(endpoint) {
  if (!endpoint.startsWith('http://127.0.0.1:')) throw new Error(`not a loopback endpoint: ${endpoint}`);
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', maxAttempts: 5 });
  const status = async (TableName) => {
    try {
      const out = await client.send(new DescribeTableCommand({ TableName }));
      return out.Table?.TableStatus;
    } catch (e) {
      if (e.name === 'ResourceNotFoundException') return undefined;
      throw e;
    }
  };
  return {
    /** The client itself, for calls the benchmark times. */
    client,
    /** A new on-demand table with a string partition key `pk`, ACTIVE when this returns. */
    async create(TableName) {
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      for (let i = 0; i < 600; i++) {
        if ((await status(TableName)) === 'ACTIVE') return;
        await sleep(100);
      }
      throw new Error(`table ${TableName} not ACTIVE after 60 s`);
    },
    /** Items in the table, by a COUNT scan. */
    async count(TableName) {
      let n = 0;
      let ExclusiveStartKey;
      for (let page = 0; page < 100_000; page++) {
        const out = await client.send(
          new ScanCommand({
            TableName,
            Select: 'COUNT',
            ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
          }),
        );
        n += out.Count ?? 0;
        ExclusiveStartKey = out.LastEvaluatedKey;
        if (!ExclusiveStartKey) return n;
      }
      throw new Error(`count of ${TableName}: too many pages`);
    },
    async drop(TableName) {
      try {
        await client.send(new DeleteTableCommand({ TableName }));
      } catch (e) {
        if (e.name === 'ResourceNotFoundException') return;
        throw e;
      }
      for (let i = 0; i < 1200; i++) {
        if ((await status(TableName)) === undefined) return;
        await sleep(100);
      }
      throw new Error(`table ${TableName} still there 120 s after DeleteTable`);
    },
    close: () => client.destroy(),
  };
}

/**
 * The same housekeeping on the embedded engine's data dir `dir`, between the runs of ddbctl on it:
 * each call starts `ddbctl --data-dir DIR serve` (of `program`, another build's launcher if given),
 * does its work over HTTP and stops it, so the data dir is free again for the next ddbctl.
 */
export function dataDirAdmin(env, dir, program) {
  const on =
    (what) =>
    async (...args) => {
      const engine = await startEmbedded(env, [], { dataDir: dir, ...(program ? { program } : {}) });
      const a = admin(engine.endpoint);
      try {
        return await a[what](...args);
      } finally {
        a.close();
        await engine.stop();
      }
    };
  return { create: on('create'), count: on('count'), drop: on('drop'), close: () => {} };
}
