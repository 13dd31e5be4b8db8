/**
 * Query, Scan and the batches through a real DynamoDBClient on the in-process door. Expected
 * answers and messages are DynamoDB Local 3.3.1's, probed request by request.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { engineClient } from '../testClient.js';
import { createTestTable } from './_testTables.js';

async function setup(): Promise<DynamoDBClient> {
  const { ddb } = engineClient();
  await createTestTable(ddb, 'ix1', 'S', true);
  const rows: [string, string, string | null, string | null, string | null][] = [
    ['a', '1', '5', 'g1', 'x1'],
    ['a', '2', '3', 'g1', null],
    ['a', '3', null, 'g2', 'x3'],
    ['b', '1', '1', null, 'x4'],
    ['a', '10', '7', 'g1', 'x5'],
  ];
  for (const [pk, sk, l, g, x] of rows) {
    const Item: Record<string, { S: string } | { N: string }> = {
      pk: { S: pk },
      sk: { S: sk },
      y: { S: `y${pk}${sk}` },
    };
    if (l) Item.l = { N: l };
    if (g) Item.g = { S: g };
    if (x) Item.x = { S: x };
    await ddb.send(new PutItemCommand({ TableName: 'ix1', Item }));
  }
  return ddb;
}

const q = (ddb: DynamoDBClient, input: Record<string, unknown>) =>
  ddb.send(new QueryCommand({ TableName: 'ix1', ...input } as never));
const pkA = { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } };
const sks = (items: Record<string, { S?: string }>[] | undefined) => items?.map((i) => i.sk?.S);

describe('Query', () => {
  it('reads a partition in sort key order (UTF-8 bytes), both ways, with Limit and LastEvaluatedKey', async () => {
    const ddb = await setup();
    expect(sks((await q(ddb, pkA)).Items)).toEqual(['1', '10', '2', '3']);
    const back = await q(ddb, { ...pkA, ScanIndexForward: false, Limit: 2 });
    expect(sks(back.Items)).toEqual(['3', '2']);
    expect(back.LastEvaluatedKey).toEqual({ pk: { S: 'a' }, sk: { S: '2' } });
    const rest = await q(ddb, { ...pkA, ScanIndexForward: false, ExclusiveStartKey: back.LastEvaluatedKey });
    expect(sks(rest.Items)).toEqual(['10', '1']);
    expect(rest.LastEvaluatedKey).toBeUndefined();
  });

  it('applies every sort key condition', async () => {
    const ddb = await setup();
    const run = async (cond: string, values: Record<string, unknown>) =>
      sks(
        (
          await q(ddb, {
            KeyConditionExpression: `pk = :p and ${cond}`,
            ExpressionAttributeValues: { ':p': { S: 'a' }, ...values },
          })
        ).Items,
      );
    expect(await run('sk between :a and :b', { ':a': { S: '1' }, ':b': { S: '2' } })).toEqual([
      '1',
      '10',
      '2',
    ]);
    expect(await run('begins_with(sk, :a)', { ':a': { S: '1' } })).toEqual(['1', '10']);
    expect(await run('sk < :a', { ':a': { S: '2' } })).toEqual(['1', '10']);
    expect(await run('sk <= :a', { ':a': { S: '2' } })).toEqual(['1', '10', '2']);
    expect(await run('sk > :a', { ':a': { S: '10' } })).toEqual(['2', '3']);
    expect(await run('sk >= :a', { ':a': { S: '10' } })).toEqual(['10', '2', '3']);
    expect(await run('sk = :a', { ':a': { S: '10' } })).toEqual(['10']);
    await expect(run('sk = :a', { ':a': { S: '' } })).rejects.toThrow(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk',
    );
  });

  it('filters after Limit counts, Select COUNT, and refuses filters on key attributes', async () => {
    const ddb = await setup();
    const f = await q(ddb, { ...pkA, FilterExpression: 'attribute_exists(x)', Limit: 3 });
    expect([f.Count, f.ScannedCount, sks(f.Items)]).toEqual([2, 3, ['1', '10']]);
    const c = await q(ddb, { ...pkA, FilterExpression: 'attribute_exists(x)', Select: 'COUNT' });
    expect([c.Count, c.ScannedCount, c.Items]).toEqual([3, 4, undefined]);
    await expect(q(ddb, { ...pkA, FilterExpression: 'sk = :p' })).rejects.toThrow(
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
    await expect(q(ddb, { ...pkA, ExclusiveStartKey: { pk: { S: 'b' }, sk: { S: '1' } } })).rejects.toThrow(
      'The provided starting key does not match the range key predicate',
    );
    await expect(q(ddb, { ...pkA, ExclusiveStartKey: { pk: { S: 'a' } } })).rejects.toThrow(
      "Exclusive Start Key must have same size as table's key schema",
    );
    await expect(q(ddb, { ...pkA, ExclusiveStartKey: { pk: { S: 'a' }, zz: { S: '1' } } })).rejects.toThrow(
      'The provided starting key is invalid',
    );
    await expect(q(ddb, { ...pkA, ExclusiveStartKey: { pk: { S: 'a' }, sk: { N: '1' } } })).rejects.toThrow(
      'Type mismatch for attribute to update',
    );
    await expect(q(ddb, { ...pkA, ExclusiveStartKey: { pk: { S: 'a' }, sk: { S: '' } } })).rejects.toThrow(
      'The provided starting key is invalid: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk',
    );
    await expect(q(ddb, { TableName: 'ix1' })).rejects.toThrow(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  });

  it('takes the legacy KeyConditions and QueryFilter', async () => {
    const ddb = await setup();
    const out = await q(ddb, {
      KeyConditions: {
        pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] },
        sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: '1' }] },
      },
      QueryFilter: { x: { ComparisonOperator: 'NOT_NULL' } },
      AttributesToGet: ['sk'],
    });
    expect(out.Items).toEqual([{ sk: { S: '1' } }, { sk: { S: '10' } }]);
    const kc = { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } };
    // KeyConditions with a FilterExpression: the filter applies (DynamoDB Local).
    const filtered = await q(ddb, {
      KeyConditions: kc,
      FilterExpression: 'l > :l',
      ExpressionAttributeValues: { ':l': { N: '4' } },
    });
    expect(filtered.Items?.map((i) => i.sk)).toEqual([{ S: '1' }, { S: '10' }]);
    expect(filtered.ScannedCount).toBe(4);
    await expect(
      q(ddb, { KeyConditions: kc, Select: 'ALL_ATTRIBUTES', AttributesToGet: ['sk'] }),
    ).rejects.toThrow('Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES');
    await expect(q(ddb, { KeyConditions: kc, FilterExpression: '' })).rejects.toThrow(
      'Invalid FilterExpression: The expression can not be empty;',
    );
    await expect(q(ddb, { KeyConditionExpression: '' })).rejects.toThrow(
      'Invalid KeyConditionExpression: The expression can not be empty;',
    );
    await expect(
      ddb.send(new ScanCommand({ TableName: 'ix1', ScanFilter: {}, ConditionalOperator: 'AND' })),
    ).rejects.toThrow('ConditionalOperator cannot be used without Filter or Expected');
    await expect(ddb.send(new ScanCommand({ TableName: 'ix1', Limit: 1.5 }))).rejects.toMatchObject({
      name: 'SerializationException',
    });
  });

  it('reads indexes: sparse entries, projections, LSI fetches, GSI limits', async () => {
    const ddb = await setup();
    const lsi = await q(ddb, { ...pkA, IndexName: 'lsi', ReturnConsumedCapacity: 'INDEXES' });
    expect(lsi.Items).toEqual([
      { pk: { S: 'a' }, sk: { S: '2' }, l: { N: '3' } },
      { pk: { S: 'a' }, sk: { S: '1' }, l: { N: '5' } },
      { pk: { S: 'a' }, sk: { S: '10' }, l: { N: '7' } },
    ]);
    const page = await q(ddb, { ...pkA, IndexName: 'lsi', Limit: 1 });
    expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'a' }, l: { N: '3' }, sk: { S: '2' } });
    // An index's start key with an attribute too many is invalid (DynamoDB Local's words).
    await expect(
      q(ddb, {
        ...pkA,
        IndexName: 'lsi',
        ExclusiveStartKey: { ...page.LastEvaluatedKey, extra: { S: 'x' } },
      }),
    ).rejects.toThrow(/^The provided starting key is invalid$/);
    const all = await q(ddb, {
      ...pkA,
      IndexName: 'lsi',
      Select: 'ALL_ATTRIBUTES',
      ReturnConsumedCapacity: 'INDEXES',
    });
    expect(all.Items?.[0]).toEqual({
      pk: { S: 'a' },
      sk: { S: '2' },
      l: { N: '3' },
      g: { S: 'g1' },
      y: { S: 'ya2' },
    });
    expect(all.ConsumedCapacity).toEqual({
      TableName: 'ix1',
      CapacityUnits: 2,
      Table: { CapacityUnits: 1.5 },
      LocalSecondaryIndexes: { lsi: { CapacityUnits: 0.5 } },
    });
    const g = {
      KeyConditionExpression: 'g = :p',
      ExpressionAttributeValues: { ':p': { S: 'g1' } },
      IndexName: 'gsi',
    };
    expect((await q(ddb, g)).Count).toBe(3);
    await expect(q(ddb, { ...g, ConsistentRead: true })).rejects.toThrow(
      'Consistent reads are not supported on global secondary indexes',
    );
    await expect(q(ddb, { ...g, Select: 'ALL_ATTRIBUTES' })).rejects.toThrow(
      'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gsi because its projection type is not ALL',
    );
    await expect(q(ddb, { ...g, ProjectionExpression: 'y, z, x' })).rejects.toThrow(
      'One or more parameter values were invalid: Global secondary index gsi does not project [y, z]',
    );
    await expect(q(ddb, { ...g, FilterExpression: 'y = :p' })).rejects.toThrow(
      'One or more parameter values were invalid: Secondary index gsi does not project one or more filter attributes: [y]',
    );
    await expect(q(ddb, { ...pkA, IndexName: 'nope' })).rejects.toThrow(
      'The table does not have the specified index: nope',
    );
  });
});

describe('Scan', () => {
  it('pages at 1 MB counted before the filter, the crossing item included', async () => {
    const { ddb } = engineClient();
    await createTestTable(ddb, 'pg1', 'N');
    for (let i = 0; i < 5; i++) {
      await ddb.send(
        new PutItemCommand({
          TableName: 'pg1',
          Item: { pk: { S: 'a' }, sk: { N: String(i) }, d: { S: 'a'.repeat(300000) } },
        }),
      );
    }
    const first = await ddb.send(
      new ScanCommand({
        TableName: 'pg1',
        Select: 'COUNT',
        FilterExpression: 'sk = :n',
        ExpressionAttributeValues: { ':n': { N: '9' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect([first.Count, first.ScannedCount]).toEqual([0, 4]);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'a' }, sk: { N: '3' } });
    // 4 × 300,012 bytes = 293 blocks of 4 KB, halved.
    expect(first.ConsumedCapacity?.CapacityUnits).toBe(146.5);
    const rest = await ddb.send(
      new ScanCommand({ TableName: 'pg1', ExclusiveStartKey: first.LastEvaluatedKey }),
    );
    expect([rest.Count, rest.LastEvaluatedKey]).toEqual([1, undefined]);
  });

  it('filters index entries as they are, and refuses a path into a key attribute', async () => {
    const ddb = await setup();
    const onLsi = await ddb.send(
      new ScanCommand({
        TableName: 'ix1',
        IndexName: 'lsi',
        FilterExpression: 'y = :p',
        ExpressionAttributeValues: { ':p': { S: 'ya1' } },
      }),
    );
    expect([onLsi.Count, onLsi.ScannedCount]).toEqual([0, 4]);
    await expect(
      ddb.send(
        new ScanCommand({
          TableName: 'ix1',
          FilterExpression: 'pk.x = :p',
          ExpressionAttributeValues: { ':p': { S: 'a' } },
        }),
      ),
    ).rejects.toThrow(
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk",
    );
  });

  it('splits the table into parallel segments that together hold every item once', async () => {
    const ddb = await setup();
    const seen: string[] = [];
    for (let segment = 0; segment < 3; segment++) {
      const out = await ddb.send(new ScanCommand({ TableName: 'ix1', Segment: segment, TotalSegments: 3 }));
      for (const i of out.Items ?? []) seen.push(`${i.pk?.S}/${i.sk?.S}`);
    }
    expect(seen.sort()).toEqual(['a/1', 'a/10', 'a/2', 'a/3', 'b/1']);
    await expect(ddb.send(new ScanCommand({ TableName: 'ix1', Segment: 1 }))).rejects.toThrow(
      'If segment is specified, total segment must also be specified',
    );
    await expect(
      ddb.send(new ScanCommand({ TableName: 'ix1', Segment: 1, TotalSegments: 1 })),
    ).rejects.toThrow(
      "1 validation error detected: Value '1' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 0",
    );
    await expect(ddb.send(new ScanCommand({ TableName: 'ix1', TotalSegments: 2 }))).rejects.toThrow(
      'If total segments is specified, a particular segment must also be specified for this request',
    );
    // Limit is checked before the segments and Select.
    await expect(
      ddb.send(
        new ScanCommand({ TableName: 'ix1', Segment: 5, TotalSegments: 2, Limit: 0, Select: 'BAD' as never }),
      ),
    ).rejects.toThrow('Limit must be greater than or equal to 1');
    await expect(ddb.send(new ScanCommand({ TableName: 'ix1', Limit: 0 }))).rejects.toThrow(
      'Limit must be greater than or equal to 1',
    );
    await expect(
      ddb.send(new ScanCommand({ TableName: 'ix1', Select: 'SPECIFIC_ATTRIBUTES' })),
    ).rejects.toThrow(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    );
  });
});

describe('BatchWriteItem / BatchGetItem', () => {
  it('writes and reads over tables, with capacity per table', async () => {
    const ddb = await setup();
    const puts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: { S: `b${i}` }, sk: { S: '1' } } } }));
    const w = await ddb.send(
      new BatchWriteItemCommand({ RequestItems: { ix1: puts(2) }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(w.UnprocessedItems).toEqual({});
    expect(w.ConsumedCapacity).toEqual([{ TableName: 'ix1', CapacityUnits: 2 }]);
    const r = await ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          ix1: {
            Keys: [
              { pk: { S: 'b1' }, sk: { S: '1' } },
              { pk: { S: 'zz' }, sk: { S: '1' } },
            ],
            ProjectionExpression: 'pk',
          },
        },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(r.Responses).toEqual({ ix1: [{ pk: { S: 'b1' } }] });
    expect(r.UnprocessedKeys).toEqual({});
    expect(r.ConsumedCapacity).toEqual([{ TableName: 'ix1', CapacityUnits: 0.5 }]);
    await expect(ddb.send(new BatchWriteItemCommand({ RequestItems: { ix1: puts(26) } }))).rejects.toThrow(
      'Too many items requested for the BatchWriteItem call',
    );
    const dup = [...puts(1), { DeleteRequest: { Key: { pk: { S: 'b0' }, sk: { S: '1' } } } }];
    await expect(ddb.send(new BatchWriteItemCommand({ RequestItems: { ix1: dup } }))).rejects.toThrow(
      'Provided list of item keys contains duplicates',
    );
    await expect(ddb.send(new BatchWriteItemCommand({ RequestItems: { ix1: [] } }))).rejects.toThrow(
      'The batch write request list for a table cannot be null or empty: ix1',
    );
    await expect(
      ddb.send(new BatchGetItemCommand({ RequestItems: { ix1: { Keys: [{ pk: { S: 'b1' } }] } } })),
    ).rejects.toThrow('The number of conditions on the keys is invalid');
  });

  it("leaves the keys past a 16 MB answer in UnprocessedKeys, with the table's own parameters", async () => {
    const { ddb } = engineClient();
    await createTestTable(ddb, 'big', 'N');
    const d = { S: 'a'.repeat(400 * 1024 - 20) };
    for (let i = 0; i < 45; i++) {
      await ddb.send(
        new PutItemCommand({ TableName: 'big', Item: { pk: { S: 'p' }, sk: { N: String(i) }, d } }),
      );
    }
    const Keys = Array.from({ length: 45 }, (_, i) => ({ pk: { S: 'p' }, sk: { N: String(i) } }));
    const out = await ddb.send(
      new BatchGetItemCommand({ RequestItems: { big: { Keys, ConsistentRead: true } } }),
    );
    const got = out.Responses?.big?.length ?? 0;
    // 40 items of 409,580 bytes fit in 16 MB (16,777,216), the 41st would not.
    expect(got).toBe(40);
    expect(out.UnprocessedKeys?.big).toEqual({ Keys: Keys.slice(40), ConsistentRead: true });
  });

  it('refuses a wrong JSON type in a request list or a key (SerializationException)', async () => {
    const { engine, ddb } = engineClient();
    await createTestTable(ddb, 'ix1', 'S', true);
    const send = async (RequestItems: unknown) =>
      JSON.parse(
        (await engine.handle('DynamoDB_20120810.BatchWriteItem', JSON.stringify({ RequestItems }))).body,
      );
    expect(await send({ ix1: {} })).toMatchObject({
      __type: expect.stringMatching(/#SerializationException$/),
    });
    expect(
      await send({ ix1: [{ DeleteRequest: { Key: { pk: { S: true }, sk: { S: '1' } } } }] }),
    ).toMatchObject({
      __type: expect.stringMatching(/#SerializationException$/),
      message: 'TRUE_VALUE cannot be converted to String',
    });
  });

  it('writes nothing when one request of the batch is refused', async () => {
    const ddb = await setup();
    await expect(
      ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            ix1: [
              { PutRequest: { Item: { pk: { S: 'ok' }, sk: { S: '1' } } } },
              { PutRequest: { Item: { pk: { S: 'bad' } } } },
            ],
          },
        }),
      ),
    ).rejects.toThrow('One of the required keys was not given a value');
    const r = await ddb.send(
      new BatchGetItemCommand({ RequestItems: { ix1: { Keys: [{ pk: { S: 'ok' }, sk: { S: '1' } }] } } }),
    );
    expect(r.Responses).toEqual({ ix1: [] });
  });
});
