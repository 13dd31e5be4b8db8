import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startEngine } from './public.js';

describe('ddbctl/engine', () => {
  it('starts in memory well under 50 ms and serves an SDK client from clientConfig', async () => {
    await startEngine().then((e) => e.close()); // first load of the modules, not what is measured
    const t0 = performance.now();
    const engine = await startEngine();
    const took = performance.now() - t0;
    expect(took).toBeLessThan(50);
    const ddb = new DynamoDBClient(engine.clientConfig);
    await ddb.send(
      new CreateTableCommand({
        TableName: 'users',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['users']);
    // The same engine without a socket.
    const inProcess = new DynamoDBClient({ ...engine.clientConfig, requestHandler: engine.requestHandler });
    expect((await inProcess.send(new ListTablesCommand({}))).TableNames).toEqual(['users']);
    ddb.destroy();
    await engine.close();
    await expect(fetch(engine.endpoint, { method: 'POST' })).rejects.toThrow();
  });

  it('deletes expired items every ttlSweepMs', async () => {
    const engine = await startEngine({ ttlSweepMs: 20 });
    const ddb = new DynamoDBClient({ ...engine.clientConfig, requestHandler: engine.requestHandler });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'sessions',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'sessions',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    const now = Math.floor(Date.now() / 1000);
    for (const [id, at] of [
      ['gone', now - 1],
      ['kept', now + 3600],
    ] as const) {
      await ddb.send(
        new PutItemCommand({ TableName: 'sessions', Item: { id: { S: id }, expiresAt: { N: String(at) } } }),
      );
    }
    await expect
      .poll(
        async () => (await ddb.send(new ScanCommand({ TableName: 'sessions' }))).Items?.map((i) => i.id?.S),
        {
          timeout: 2000,
        },
      )
      .toEqual(['kept']);
    await engine.close();
  });
});
