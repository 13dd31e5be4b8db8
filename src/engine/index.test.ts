import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { type Engine, startEngine } from './index.js';

function client(e: Engine): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    ...(e.requestHandler
      ? { requestHandler: e.requestHandler, endpoint: 'http://127.0.0.1:0' }
      : { endpoint: e.endpoint! }),
  });
}

const create = (ddb: DynamoDBClient, name: string) =>
  ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

describe('startEngine', () => {
  it('keeps tables in a data dir across restarts, reached in-process without an endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
    const first = await startEngine({ dataDir: dir });
    expect(first.endpoint).toBeUndefined();
    await create(client(first), 'kept');
    await first.close();
    const second = await startEngine({ dataDir: dir });
    expect((await client(second).send(new ListTablesCommand({}))).TableNames).toEqual(['kept']);
    await second.close();
  });

  it('a second start on a data dir this process holds shares its engine (one store per folder)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
    const served = await startEngine({ dataDir: dir, serve: true });
    const joined = await startEngine({ dataDir: dir });
    expect(joined.endpoint).toBe(served.endpoint);
    await create(client(served), 'seen');
    expect((await client(joined).send(new ListTablesCommand({}))).TableNames).toEqual(['seen']);
    await joined.close();
    // Still open for the first user; closed with the last.
    expect((await client(served).send(new ListTablesCommand({}))).TableNames).toEqual(['seen']);
    await served.close();
    const again = await startEngine({ dataDir: dir });
    expect((await client(again).send(new ListTablesCommand({}))).TableNames).toEqual(['seen']);
    await again.close();
  });

  it("refuses a data dir holding the previous engine's LevelDB files, saying how to carry them over", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'CURRENT'), 'MANIFEST-000002\n');
    await expect(startEngine({ dataDir: dir })).rejects.toMatchObject({
      code: 'engine.start',
      message: expect.stringContaining('ddbctl migrate-data-dir'),
    });
  });
});
