/**
 * The single-item operations through a real DynamoDBClient on the in-process door. Expected
 * answers and messages are DynamoDB Local 3.3.1's, probed request by request.
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { engineClient } from '../testClient.js';
import { createTestTable } from './_testTables.js';

async function setup(withIndexes = false): Promise<DynamoDBClient> {
  const { ddb } = engineClient();
  await createTestTable(ddb, 'tab1', 'N', withIndexes);
  return ddb;
}

const K = { pk: { S: 'a' }, sk: { N: '1' } };

describe('PutItem / GetItem', () => {
  it('stores an item and answers it whole, numbers in canonical form', async () => {
    const ddb = await setup();
    await ddb.send(
      new PutItemCommand({ TableName: 'tab1', Item: { pk: { S: 'a' }, sk: { N: '01.0' }, x: { N: '1e3' } } }),
    );
    const got = await ddb.send(new GetItemCommand({ TableName: 'tab1', Key: K }));
    expect(got.Item).toEqual({ pk: { S: 'a' }, sk: { N: '1' }, x: { N: '1000' } });
  });

  it('reads key attributes named as a JavaScript object’s own members (constructor, toString) from the item alone', async () => {
    const { ddb } = engineClient();
    await ddb.send(
      new CreateTableCommand({
        TableName: 'proto',
        KeySchema: [{ AttributeName: 'constructor', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'constructor', AttributeType: 'S' },
          { AttributeName: 'toString', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byString',
            KeySchema: [{ AttributeName: 'toString', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await expect(
      ddb.send(new PutItemCommand({ TableName: 'proto', Item: { x: { S: 'a' } } })),
    ).rejects.toThrow('One of the required keys was not given a value');
    // An item without the index's key attribute is simply not in the index.
    await ddb.send(new PutItemCommand({ TableName: 'proto', Item: { constructor: { S: 'a' } } }));
    const got = await ddb.send(new GetItemCommand({ TableName: 'proto', Key: { constructor: { S: 'a' } } }));
    expect(got.Item).toEqual({ constructor: { S: 'a' } });
  });

  it("refuses bad keys with DynamoDB's words, in its order", async () => {
    const ddb = await setup();
    const put = (Item: Record<string, unknown>) =>
      ddb.send(new PutItemCommand({ TableName: 'tab1', Item: Item as never }));
    await expect(put({ pk: { S: 'a' } })).rejects.toThrow('One of the required keys was not given a value');
    await expect(put({ pk: { S: 'a' }, sk: { S: 'x' } })).rejects.toThrow(
      'One or more parameter values were invalid: Type mismatch for key',
    );
    await expect(put({ pk: { SS: ['a'] }, sk: { N: '1' } })).rejects.toThrow('Invalid attribute value type');
    await expect(put({ pk: { S: '' }, sk: { N: '1' } })).rejects.toThrow(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    await expect(put({ pk: { S: 'a'.repeat(2049) }, sk: { N: '1' } })).rejects.toThrow(
      'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes',
    );
    await put({ pk: { S: 'a'.repeat(2048) }, sk: { N: '1' } });
    await expect(put({ ...K, d: { S: 'a'.repeat(400 * 1024 - 5) } })).rejects.toThrow(
      'Item size has exceeded the maximum allowed size',
    );
    const get = (Key: Record<string, unknown>) =>
      ddb.send(new GetItemCommand({ TableName: 'tab1', Key: Key as never }));
    await expect(get({ pk: { S: 'a' } })).rejects.toThrow('The number of conditions on the keys is invalid');
    await expect(get({ pk: { S: 'a' }, zz: { N: '1' } })).rejects.toThrow(
      'One of the required keys was not given a value',
    );
    await expect(
      ddb.send(new PutItemCommand({ TableName: 'tab1', Item: K, ReturnValues: 'ALL_NEW' })),
    ).rejects.toThrow('Return values set to invalid value');
  });

  it('counts capacity as DynamoDB does: 1 KB write units of the larger item, 4 KB read units, halved when eventual', async () => {
    const ddb = await setup();
    const put = (n: number) =>
      ddb.send(
        new PutItemCommand({
          TableName: 'tab1',
          Item: { ...K, d: { S: 'a'.repeat(n) } },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
    // pk (2+1) + sk (2+2) + d (1+n): 1020 → 1028 bytes, 2 units; a small item over it still 2.
    expect((await put(1020)).ConsumedCapacity).toEqual({ TableName: 'tab1', CapacityUnits: 2 });
    expect((await put(10)).ConsumedCapacity?.CapacityUnits).toBe(2);
    expect((await put(4089)).ConsumedCapacity?.CapacityUnits).toBe(5);
    const get = await ddb.send(
      new GetItemCommand({
        TableName: 'tab1',
        Key: K,
        ReturnConsumedCapacity: 'INDEXES',
        ProjectionExpression: 'pk',
      }),
    );
    expect(get.Item).toEqual({ pk: { S: 'a' } });
    expect(get.ConsumedCapacity).toEqual({
      TableName: 'tab1',
      CapacityUnits: 1,
      Table: { CapacityUnits: 1 },
    });
    const missing = await ddb.send(
      new GetItemCommand({
        TableName: 'tab1',
        Key: { pk: { S: 'none' }, sk: { N: '1' } },
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(missing.Item).toBeUndefined();
    expect(missing.ConsumedCapacity?.CapacityUnits).toBe(1);
  });

  it('checks conditions and answers the old item on failure when asked', async () => {
    const ddb = await setup();
    await ddb.send(new PutItemCommand({ TableName: 'tab1', Item: { ...K, v: { S: '1' } } }));
    const cond = { ConditionExpression: 'attribute_not_exists(pk)' };
    await expect(
      ddb.send(
        new PutItemCommand({
          TableName: 'tab1',
          Item: K,
          ...cond,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      Item: { ...K, v: { S: '1' } },
    });
    await expect(
      ddb.send(new PutItemCommand({ TableName: 'tab1', Item: K, ConditionExpression: 'a = :x' })),
    ).rejects.toThrow(
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x',
    );
    await expect(
      ddb.send(
        new PutItemCommand({
          TableName: 'tab1',
          Item: K,
          ConditionExpression: 'a = :x',
          Expected: { a: { Exists: false } },
        }),
      ),
    ).rejects.toThrow(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
    );
    await expect(
      ddb.send(
        new PutItemCommand({ TableName: 'tab1', Item: K, ExpressionAttributeValues: { ':x': { S: '1' } } }),
      ),
    ).rejects.toThrow(
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    const old = await ddb.send(new PutItemCommand({ TableName: 'tab1', Item: K, ReturnValues: 'ALL_OLD' }));
    expect(old.Attributes).toEqual({ ...K, v: { S: '1' } });
  });

  it('keeps an attribute named __proto__', async () => {
    const ddb = await setup();
    await ddb.send(
      new PutItemCommand({
        TableName: 'tab1',
        Item: JSON.parse('{"pk":{"S":"p"},"sk":{"N":"1"},"__proto__":{"S":"x"}}'),
      }),
    );
    const got = await ddb.send(
      new GetItemCommand({ TableName: 'tab1', Key: { pk: { S: 'p' }, sk: { N: '1' } } }),
    );
    expect(Object.keys(got.Item ?? {})).toContain('__proto__');
  });
});

describe('UpdateItem', () => {
  it('creates, updates and answers UPDATED_NEW / UPDATED_OLD with whole top-level attributes', async () => {
    const ddb = await setup();
    const upd = (UpdateExpression: string, values: Record<string, unknown>, ReturnValues: string) =>
      ddb.send(
        new UpdateItemCommand({
          TableName: 'tab1',
          Key: K,
          UpdateExpression,
          ExpressionAttributeValues: values as never,
          ReturnValues: ReturnValues as never,
        }),
      );
    const created = await upd(
      'SET a = :a, b = :b',
      { ':a': { N: '1' }, ':b': { L: [{ S: 'x' }, { M: { q: { N: '2' } } }] } },
      'ALL_NEW',
    );
    expect(created.Attributes).toEqual({
      ...K,
      a: { N: '1' },
      b: { L: [{ S: 'x' }, { M: { q: { N: '2' } } }] },
    });
    const next = await upd(
      'SET a = a + :a, b[1].q = :b',
      { ':a': { N: '1' }, ':b': { N: '5' } },
      'UPDATED_NEW',
    );
    expect(next.Attributes).toEqual({ a: { N: '2' }, b: { L: [{ S: 'x' }, { M: { q: { N: '5' } } }] } });
    const before = await upd('SET a = a + :a', { ':a': { N: '1' } }, 'UPDATED_OLD');
    expect(before.Attributes).toEqual({ a: { N: '2' } });
    // A failed condition is answered before the refusal of a key update (DynamoDB Local's order).
    await expect(
      ddb.send(
        new UpdateItemCommand({
          TableName: 'tab1',
          Key: { pk: { S: 'none' }, sk: { N: '1' } },
          UpdateExpression: 'SET pk = :a',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':a': { S: 'x' } },
        }),
      ),
    ).rejects.toThrow('The conditional request failed');
    await expect(upd('SET pk = :a', { ':a': { S: 'x' } }, 'NONE')).rejects.toThrow(
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
    const bare = await ddb.send(
      new UpdateItemCommand({
        TableName: 'tab1',
        Key: { pk: { S: 'new' }, sk: { N: '1' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(bare.Attributes).toEqual({ pk: { S: 'new' }, sk: { N: '1' } });
  });
});

describe('DeleteItem', () => {
  it('deletes, answers ALL_OLD, and counts one unit for nothing to delete', async () => {
    const ddb = await setup();
    await ddb.send(new PutItemCommand({ TableName: 'tab1', Item: { ...K, v: { S: '1' } } }));
    const del = await ddb.send(
      new DeleteItemCommand({
        TableName: 'tab1',
        Key: K,
        ReturnValues: 'ALL_OLD',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(del.Attributes).toEqual({ ...K, v: { S: '1' } });
    const again = await ddb.send(
      new DeleteItemCommand({
        TableName: 'tab1',
        Key: K,
        ReturnValues: 'ALL_OLD',
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(again.Attributes).toBeUndefined();
    expect(again.ConsumedCapacity?.CapacityUnits).toBe(1);
    expect((await ddb.send(new GetItemCommand({ TableName: 'tab1', Key: K }))).Item).toBeUndefined();
  });
});

describe('indexes on writes', () => {
  it('counts index writes: a new entry 1, a moved entry 2 (delete + put), an unchanged projection 0', async () => {
    const ddb = await setup(true);
    const put = (Item: Record<string, unknown>) =>
      ddb.send(
        new PutItemCommand({ TableName: 'tab1', Item: Item as never, ReturnConsumedCapacity: 'INDEXES' }),
      );
    const base = { ...K, l: { N: '1' }, g: { S: 'g' } };
    expect((await put(base)).ConsumedCapacity).toEqual({
      TableName: 'tab1',
      CapacityUnits: 3,
      Table: { CapacityUnits: 1 },
      LocalSecondaryIndexes: { lsi: { CapacityUnits: 1 } },
      GlobalSecondaryIndexes: { gsi: { CapacityUnits: 1 } },
    });
    expect((await put({ ...base, y: { S: '1' } })).ConsumedCapacity?.CapacityUnits).toBe(1);
    expect((await put({ ...base, x: { S: '1' } })).ConsumedCapacity?.GlobalSecondaryIndexes).toEqual({
      gsi: { CapacityUnits: 1 },
    });
    const moved = await put({ ...base, l: { N: '2' }, g: { S: 'h' }, x: { S: '1' } });
    expect(moved.ConsumedCapacity?.LocalSecondaryIndexes).toEqual({ lsi: { CapacityUnits: 2 } });
    expect(moved.ConsumedCapacity?.GlobalSecondaryIndexes).toEqual({ gsi: { CapacityUnits: 2 } });
    await expect(put({ ...base, l: { S: '2' } })).rejects.toThrow(
      'One or more parameter values were invalid: Type mismatch for Index Key',
    );
    await expect(put({ ...base, g: { SS: ['h'] } })).rejects.toThrow('Invalid attribute value type');
    await expect(put({ ...K, g: { S: 'x'.repeat(2049) } })).rejects.toThrow(
      'One or more parameter values were invalid: Size limit exceeded',
    );
    await expect(
      ddb.send(
        new UpdateItemCommand({
          TableName: 'tab1',
          Key: K,
          UpdateExpression: 'SET g = :g',
          ExpressionAttributeValues: { ':g': { S: '' } },
        }),
      ),
    ).rejects.toThrow(
      'One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.',
    );
    await expect(put({ ...K, g: { S: '' } })).rejects.toThrow(
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi, IndexKey: g',
    );
  });

  it('sizes indexes as DynamoDB does: keys and projected attributes plus 100 bytes an entry; a sparse item has none', async () => {
    const ddb = await setup(true);
    // pk (2+1) + sk (2+2) + l (1+2) + g (1+1) + x (1+1) + y (1+3) = 18 bytes; the second item 7.
    await ddb.send(
      new PutItemCommand({
        TableName: 'tab1',
        Item: { ...K, l: { N: '1' }, g: { S: 'g' }, x: { S: 'x' }, y: { S: 'yyy' } },
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: 'tab1', Item: { pk: { S: 'b' }, sk: { N: '1' } } }));
    const t = (await ddb.send(new DescribeTableCommand({ TableName: 'tab1' }))).Table!;
    expect([t.ItemCount, t.TableSizeBytes]).toEqual([2, 25]);
    // lsi KEYS_ONLY: pk, sk, l = 10 bytes; gsi INCLUDE x: g, pk, sk, x = 11 bytes.
    expect(t.LocalSecondaryIndexes?.[0]).toMatchObject({ IndexSizeBytes: 110, ItemCount: 1 });
    expect(t.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexSizeBytes: 111, ItemCount: 1 });
  });

  it('answers ItemCollectionMetrics for tables with LSIs (DynamoDB; DynamoDB Local never does)', async () => {
    const ddb = await setup(true);
    const out = await ddb.send(
      new PutItemCommand({ TableName: 'tab1', Item: K, ReturnItemCollectionMetrics: 'SIZE' }),
    );
    expect(out.ItemCollectionMetrics).toEqual({
      ItemCollectionKey: { pk: { S: 'a' } },
      SizeEstimateRangeGB: [0, 1],
    });
  });
});

describe('empty expressions and empty legacy maps', () => {
  it('refuses an empty expression as given; takes an empty legacy map as not given', async () => {
    const ddb = await setup();
    await ddb.send(new PutItemCommand({ TableName: 'tab1', Item: K }));
    await expect(
      ddb.send(new GetItemCommand({ TableName: 'tab1', Key: K, ProjectionExpression: '' })),
    ).rejects.toThrow('Invalid ProjectionExpression: The expression can not be empty;');
    await expect(
      ddb.send(new PutItemCommand({ TableName: 'tab1', Item: K, ConditionExpression: '' })),
    ).rejects.toThrow('Invalid ConditionExpression: The expression can not be empty;');
    await expect(
      ddb.send(
        new UpdateItemCommand({
          TableName: 'tab1',
          Key: K,
          UpdateExpression: '',
          ExpressionAttributeValues: { ':v': { N: '1' } },
        }),
      ),
    ).rejects.toThrow('Invalid UpdateExpression: The expression can not be empty;');
    await ddb.send(
      new PutItemCommand({
        TableName: 'tab1',
        Item: { ...K, v: { N: '1' } },
        ConditionExpression: 'attribute_exists(pk)',
        Expected: {},
      }),
    );
    await ddb.send(
      new UpdateItemCommand({
        TableName: 'tab1',
        Key: K,
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { N: '2' } },
        AttributeUpdates: {},
      }),
    );
    await expect(
      ddb.send(
        new UpdateItemCommand({
          TableName: 'tab1',
          Key: K,
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: { ':v': { N: '2' } },
          AttributeUpdates: { w: { Action: 'PUT', Value: { N: '1' } } },
        }),
      ),
    ).rejects.toThrow('Can not use both expression and non-expression parameters in the same request');
    expect((await ddb.send(new GetItemCommand({ TableName: 'tab1', Key: K }))).Item).toEqual({
      ...K,
      v: { N: '2' },
    });
  });
});
