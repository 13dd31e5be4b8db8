import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
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
});
