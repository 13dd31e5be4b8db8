import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { engineClient } from '../testClient.js';

const simple = (name: string, more: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName: name,
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...more,
});

const full: CreateTableCommandInput = {
  TableName: 'full',
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'g', AttributeType: 'S' },
  ],
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
  LocalSecondaryIndexes: [
    {
      IndexName: 'lsi',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'g', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
    },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'gsi',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
    },
  ],
  Tags: [{ Key: 'team', Value: 'a' }],
  SSESpecification: { Enabled: true },
  TableClass: 'STANDARD_INFREQUENT_ACCESS',
  DeletionProtectionEnabled: true,
};

describe('CreateTable', () => {
  it('stores every setting and describes it back', async () => {
    const { ddb } = engineClient();
    await ddb.send(new CreateTableCommand(full));
    const t = (await ddb.send(new DescribeTableCommand({ TableName: 'full' }))).Table!;
    expect(t).toMatchObject({
      TableStatus: 'ACTIVE',
      ItemCount: 0,
      TableSizeBytes: 0,
      ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      LocalSecondaryIndexes: [
        {
          IndexName: 'lsi',
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
          IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/full/index/lsi',
          ItemCount: 0,
        },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi',
          IndexStatus: 'ACTIVE',
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
        },
      ],
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
      TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      DeletionProtectionEnabled: true,
    });
    expect(t.TableId).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.CreationDateTime).toBeInstanceOf(Date);
    expect(t.BillingModeSummary).toBeUndefined();
    const tags = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: t.TableArn }));
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'a' }]);
  });

  it.each([
    [
      'a short name',
      simple('ab'),
      "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'",
    ],
    [
      'no key schema',
      simple('tab', { KeySchema: [] }),
      'No defined key schema.  A key schema containing at least a hash key must be defined for all tables',
    ],
    ['no attribute definitions', simple('tab', { AttributeDefinitions: [] }), 'No Attribute Schema Defined'],
    [
      'two keys of one name',
      simple('tab', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'pk', KeyType: 'RANGE' },
        ],
      }),
      'Two keys can not have the same name',
    ],
    [
      'an undefined hash key',
      simple('tab', { AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }] }),
      'Hash Key not specified in Attribute Definitions.  Type unknown.',
    ],
    [
      'an unused definition',
      simple('tab', {
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'x', AttributeType: 'S' },
        ],
      }),
      'The number of attributes in key schema must match the number of attributes defined in attribute definitions.',
    ],
    [
      'provisioned without throughput (indexes are checked first)',
      {
        ...full,
        ProvisionedThroughput: undefined,
        GlobalSecondaryIndexes: [{ ...full.GlobalSecondaryIndexes![0]!, ProvisionedThroughput: undefined }],
      },
      'No provisioned throughput specified for the global secondary index',
    ],
    [
      'an LSI on a hash table',
      simple('tab', {
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        LocalSecondaryIndexes: full.LocalSecondaryIndexes!,
      }),
      'Local Secondary indices are not allowed on hash tables, only hash and range tables',
    ],
    [
      'too much throughput',
      { ...full, ProvisionedThroughput: { ReadCapacityUnits: 40001, WriteCapacityUnits: 1 } },
      'Cannot increase provisioned throughput to more than 40,000 units per table',
    ],
    [
      'a bad billing mode',
      simple('tab', { BillingMode: 'FREE' as 'PROVISIONED' }),
      "1 validation error detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    ],
    [
      'a stream enabled without a view type',
      simple('tab', { StreamSpecification: { StreamEnabled: true } }),
      'Invalid StreamViewType: Stream ViewType must not be null or empty when enabling streams.',
    ],
  ])('refuses %s', async (_, input, message) => {
    const { ddb } = engineClient();
    const err = await ddb.send(new CreateTableCommand(input)).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'ValidationException' });
    expect((err as Error).message).toContain(message);
  });

  it('refuses a table that exists', async () => {
    const { ddb } = engineClient();
    await ddb.send(new CreateTableCommand(simple('twice')));
    await expect(ddb.send(new CreateTableCommand(simple('twice')))).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: 'Table already exists: twice',
    });
  });

  it('reads a Boolean given as a string as DynamoDB does, and refuses one that is no Boolean', async () => {
    const { engine, ddb } = engineClient();
    const yes = await engine.handle(
      'DynamoDB_20120810.CreateTable',
      JSON.stringify({ ...simple('strbool'), DeletionProtectionEnabled: 'TRUE' }),
    );
    expect(yes.status).toBe(200);
    expect(
      (await ddb.send(new DescribeTableCommand({ TableName: 'strbool' }))).Table?.DeletionProtectionEnabled,
    ).toBe(true);
    const bad = await engine.handle(
      'DynamoDB_20120810.CreateTable',
      JSON.stringify({ ...simple('strbool2'), DeletionProtectionEnabled: 'maybe' }),
    );
    expect(JSON.parse(bad.body)).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
      message: 'Unexpected token received from parser',
    });
  });

  it('refuses more than 50 tags', async () => {
    const { ddb } = engineClient();
    const Tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expect(ddb.send(new CreateTableCommand(simple('tags51', { Tags })))).rejects.toMatchObject({
      name: 'LimitExceededException',
    });
  });

  it('answers a member of the wrong JSON type with a SerializationException', async () => {
    const { engine } = engineClient();
    const a = await engine.handle(
      'DynamoDB_20120810.CreateTable',
      JSON.stringify({ ...simple('tab'), KeySchema: 'x' }),
    );
    expect(a.status).toBe(400);
    expect(JSON.parse(a.body)).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
      message: 'Unexpected field type',
    });
  });
});

describe('CreateTable and DescribeTable refusals in DynamoDB Local words', () => {
  const call = async (op: string, body: unknown) => {
    const { engine } = engineClient();
    const a = await engine.handle(`DynamoDB_20120810.${op}`, JSON.stringify(body));
    return { status: a.status, ...(JSON.parse(a.body) as { __type?: string; message?: string }) };
  };

  it('refuses an empty key attribute name', async () => {
    const a = await call('CreateTable', {
      ...simple('emptyname'),
      KeySchema: [{ AttributeName: '', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: '', AttributeType: 'S' }],
    });
    expect(a).toMatchObject({
      status: 400,
      message:
        'Names of key attributes and attributes projected into an index must be between 1 and 255 characters, inclusive',
    });
  });

  it.each(['DescribeTable', 'UpdateTable', 'DeleteTable'])(
    '%s: says a missing TableName must not be null',
    async (op) => {
      expect(await call(op, {})).toMatchObject({
        status: 400,
        message: "Value null at 'tableName' failed to satisfy constraint: Member must not be null",
      });
    },
  );

  it('gathers a bad name with the other constraint errors', async () => {
    const a = await call('CreateTable', {
      TableName: 'a',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'X' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'Y' }],
      BillingMode: 'Z',
    });
    expect(a.message).toBe(
      "3 validation errors detected: Value 'Z' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; " +
        "Value 'Y' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]; " +
        "Value 'a' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });
});

describe('UpdateTable', () => {
  it('changes throughput, counts decreases, and switches billing modes', async () => {
    let now = 1_700_000_000_000;
    const { ddb } = engineClient({ transitionMs: 100, clock: { now: () => now } });
    await ddb.send(
      new CreateTableCommand(
        simple('upd', {
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        }),
      ),
    );
    now += 100;
    const out = await ddb.send(
      new UpdateTableCommand({
        TableName: 'upd',
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 5 },
      }),
    );
    expect(out.TableDescription).toMatchObject({
      TableStatus: 'UPDATING',
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 5, NumberOfDecreasesToday: 1 },
    });
    await expect(
      ddb.send(new UpdateTableCommand({ TableName: 'upd', BillingMode: 'PAY_PER_REQUEST' })),
    ).rejects.toMatchObject({
      name: 'ResourceInUseException',
    });
    now += 100;
    await expect(
      ddb.send(
        new UpdateTableCommand({
          TableName: 'upd',
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 5 },
        }),
      ),
    ).rejects.toThrow('The requested throughput value equals the current value');
    const pp = await ddb.send(new UpdateTableCommand({ TableName: 'upd', BillingMode: 'PAY_PER_REQUEST' }));
    expect(pp.TableDescription?.BillingModeSummary).toMatchObject({ BillingMode: 'PAY_PER_REQUEST' });
    now += 100;
    await expect(ddb.send(new UpdateTableCommand({ TableName: 'upd' }))).rejects.toThrow('Nothing to update');
    await expect(
      ddb.send(new UpdateTableCommand({ TableName: 'upd', BillingMode: 'PROVISIONED' })),
    ).rejects.toThrow('No provisioned throughput specified for the table');
    // Back to PROVISIONED: the time PAY_PER_REQUEST was last set is still described.
    const back = await ddb.send(
      new UpdateTableCommand({
        TableName: 'upd',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    expect(back.TableDescription?.BillingModeSummary).toEqual({
      BillingMode: 'PROVISIONED',
      LastUpdateToPayPerRequestDateTime:
        pp.TableDescription?.BillingModeSummary?.LastUpdateToPayPerRequestDateTime,
    });
  });

  it('refuses GSI creation clearly (issue 16) instead of ignoring it', async () => {
    const { ddb } = engineClient();
    await ddb.send(new CreateTableCommand(simple('gsis')));
    await expect(
      ddb.send(
        new UpdateTableCommand({
          TableName: 'gsis',
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'g1',
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      ),
    ).rejects.toThrow('not supported by ddbctl');
  });

  it('toggles deletion protection, which DeleteTable honours', async () => {
    const { ddb } = engineClient();
    await ddb.send(new CreateTableCommand(simple('prot', { DeletionProtectionEnabled: true })));
    await expect(ddb.send(new DeleteTableCommand({ TableName: 'prot' }))).rejects.toThrow(
      'protected against deletion',
    );
    await ddb.send(new UpdateTableCommand({ TableName: 'prot', DeletionProtectionEnabled: false }));
    await ddb.send(new DeleteTableCommand({ TableName: 'prot' }));
  });
});

describe('DeleteTable', () => {
  it('passes through DELETING, then the table and its trees are gone', async () => {
    let now = 1_700_000_000_000;
    const { ddb, engine } = engineClient({ transitionMs: 500, clock: { now: () => now } });
    await ddb.send(new CreateTableCommand(full));
    now += 500;
    await ddb.send(new UpdateTableCommand({ TableName: 'full', DeletionProtectionEnabled: false }));
    engine.store.commit([{ tree: 'i:full:gsi', key: 'k', value: { j: '{}', z: 1 } }]);
    const out = await ddb.send(new DeleteTableCommand({ TableName: 'full' }));
    expect(out.TableDescription?.TableStatus).toBe('DELETING');
    expect((await ddb.send(new DescribeTableCommand({ TableName: 'full' }))).Table?.TableStatus).toBe(
      'DELETING',
    );
    now += 500;
    await expect(ddb.send(new DescribeTableCommand({ TableName: 'full' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: full not found',
    });
    expect(engine.store.treeNames().filter((t) => t.includes('full'))).toEqual([]);
  });
});

describe('ListTables, DescribeLimits, tags', () => {
  it('leaves out tables whose deletion has finished, dropping them as it lists', async () => {
    let now = 1_700_000_000_000;
    const { ddb, engine } = engineClient({ transitionMs: 100, clock: { now: () => now } });
    for (const n of ['del1', 'del2', 'keep', 'del3']) await ddb.send(new CreateTableCommand(simple(n)));
    now += 100;
    for (const n of ['del1', 'del2', 'del3']) await ddb.send(new DeleteTableCommand({ TableName: n }));
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['del1', 'del2', 'del3', 'keep']);
    now += 100;
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['keep']);
    expect(engine.store.tree('meta').count).toBe(1);
  });

  it('pages names in order with Limit and ExclusiveStartTableName', async () => {
    const { ddb } = engineClient();
    for (const n of ['ccc', 'aaa', 'bbb']) await ddb.send(new CreateTableCommand(simple(n)));
    expect(await ddb.send(new ListTablesCommand({ Limit: 2 }))).toMatchObject({
      TableNames: ['aaa', 'bbb'],
      LastEvaluatedTableName: 'bbb',
    });
    const rest = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'bbb' }));
    expect(rest.TableNames).toEqual(['ccc']);
    expect(rest.LastEvaluatedTableName).toBeUndefined();
    await expect(ddb.send(new ListTablesCommand({ Limit: 101 }))).rejects.toThrow(
      'Limit in ListTables must be <= 100',
    );
  });

  it('describes the TTL of a new table as DISABLED and a missing table as not found', async () => {
    const { ddb } = engineClient();
    await ddb.send(new CreateTableCommand(simple('ttl')));
    expect(
      (await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'ttl' }))).TimeToLiveDescription,
    ).toEqual({
      TimeToLiveStatus: 'DISABLED',
    });
    await expect(ddb.send(new DescribeTimeToLiveCommand({ TableName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('describes the default limits', async () => {
    const { ddb } = engineClient();
    expect(await ddb.send(new DescribeLimitsCommand({}))).toMatchObject({
      AccountMaxReadCapacityUnits: 80000,
      TableMaxWriteCapacityUnits: 40000,
    });
  });

  it('tags and untags a table', async () => {
    const { ddb } = engineClient();
    const arn = (await ddb.send(new CreateTableCommand(simple('tagged')))).TableDescription!.TableArn!;
    await ddb.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '3' }] }));
    await ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['b'] }));
    expect((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'a', Value: '3' },
    ]);
    await expect(
      ddb.send(
        new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/none' }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
