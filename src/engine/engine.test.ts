import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DdbEngine } from './engine.js';
import { engineClient } from './testClient.js';

describe('engine through the in-process door', () => {
  it.each([
    ['trailing text after the object is ignored', '{} trailing', 200],
    ['a second value after the object is ignored', '{"Limit":5} {"x":', 200],
    ['a byte order mark is malformed JSON', '\ufeff{}', 400],
    ['an array is no object', '[]', 400],
    ['nesting 5,000 deep is malformed', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, 200],
    ['an unclosed object is malformed', '{"a":{}', 400],
  ])('reads the body as DynamoDB does: %s', async (_, body, status) => {
    const { engine } = engineClient();
    const a = await engine.handle('DynamoDB_20120810.ListTables', body);
    expect(a.status).toBe(status);
    if (status === 400)
      expect(JSON.parse(a.body).__type).toBe('com.amazon.coral.service#SerializationException');
  });

  it('creates and describes a table with a real DynamoDBClient', async () => {
    const { ddb } = engineClient();
    const out = await ddb.send(
      new CreateTableCommand({
        TableName: 'things',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect(out.TableDescription?.TableStatus).toBe('ACTIVE');
    const d = await ddb.send(new DescribeTableCommand({ TableName: 'things' }));
    expect(d.Table).toMatchObject({
      TableName: 'things',
      ItemCount: 0,
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/things',
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
  });

  it('answers a missing table with ResourceNotFoundException', async () => {
    const { ddb } = engineClient();
    await expect(ddb.send(new DescribeTableCommand({ TableName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: nope not found',
    });
  });

  it('keeps a table CREATING for transitionMs, then ACTIVE', async () => {
    let now = 1_000_000;
    const { engine, ddb } = engineClient({ transitionMs: 500, clock: { now: () => now } });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'slow',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect((await ddb.send(new DescribeTableCommand({ TableName: 'slow' }))).Table?.TableStatus).toBe(
      'CREATING',
    );
    expect(() => engine.table('slow')).toThrow('Requested resource not found');
    now += 500;
    expect((await ddb.send(new DescribeTableCommand({ TableName: 'slow' }))).Table?.TableStatus).toBe(
      'ACTIVE',
    );
    expect(engine.table('slow').status).toBe('ACTIVE');
  });

  it('answers unknown operations as DynamoDB does', async () => {
    const engine = new DdbEngine();
    expect(await engine.handle('DynamoDB_20120810.Frobnicate', '{}')).toMatchObject({
      status: 400,
      body: '{"__type":"com.amazon.coral.service#UnknownOperationException"}',
    });
    // One of DynamoDB's operations the engine has not: named in the message.
    const t = await engine.handle('DynamoDB_20120810.CreateBackup', '{}');
    expect(JSON.parse(t.body).message).toContain('CreateBackup is not supported');
    expect(await engine.handle('DynamoDB_20120810.Frobnicate', '[1]')).toMatchObject({
      status: 400,
      body: '{"__type":"com.amazon.coral.service#SerializationException"}',
    });
    expect(await engine.handle('DynamoDB_20120810.DescribeTable', '{bad')).toMatchObject({
      status: 400,
      body: '{"__type":"com.amazon.coral.service#SerializationException"}',
    });
  });
});
