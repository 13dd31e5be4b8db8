// Table operations: CreateTable (valid shapes, then each kind of invalid input), DescribeTable,
// ListTables, UpdateTable (throughput, billing), DeleteTable.
import type { DivergenceId } from '../divergences.js';
import type { Case } from '../harness.js';
import { PPR, PROV, step, table } from './_common.js';

type Json = Record<string, unknown>;

const base: Json = {
  TableName: '$T',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  ...PPR,
};
const composite: Json = {
  TableName: '$T',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'N' },
    { AttributeName: 'g', AttributeType: 'S' },
    { AttributeName: 'l', AttributeType: 'B' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  ...PPR,
};
/** Composite without the LSI's attribute, for cases with GSIs only (DynamoDB refuses unused definitions). */
const gsiOnly: Json = {
  ...composite,
  AttributeDefinitions: (composite.AttributeDefinitions as Json[]).slice(0, 3),
};
const lsi = (name = 'lsi', projection: Json = { ProjectionType: 'ALL' }) => ({
  IndexName: name,
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'l', KeyType: 'RANGE' },
  ],
  Projection: projection,
});
const gsi = (name = 'gsi', projection: Json = { ProjectionType: 'ALL' }, extra: Json = {}) => ({
  IndexName: name,
  KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
  Projection: projection,
  ...extra,
});

/** Create, describe, then drop: the three answers compared. */
function created(name: string, body: Json): Case {
  return {
    name,
    steps: [
      step('CreateTable', body, { divergence: 'createTableStatus' }),
      step('DescribeTable', { TableName: body.TableName }),
      step('DeleteTable', { TableName: body.TableName }, { divergence: 'deleteTableStatus' }),
      step('DescribeTable', { TableName: body.TableName }),
    ],
  };
}

/** One CreateTable expected to be refused. */
const refused = (name: string, body: unknown): Case => ({ name, steps: [step('CreateTable', body as Json)] });
/** A case whose every step knowingly differs: `id` names the entry in divergences.ts. */
const diverges = (divergence: DivergenceId, c: Case): Case => ({
  ...c,
  steps: c.steps.map((s) => ({ ...s, divergence })),
});

const valid: Case[] = [
  created('create: hash key S, on demand', base),
  created('create: hash N + range B, provisioned', {
    TableName: '$T',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'N' },
      { AttributeName: 'r', AttributeType: 'B' },
    ],
    KeySchema: [
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'r', KeyType: 'RANGE' },
    ],
    ...PROV,
  }),
  created('create: name of 255 characters', { ...base, TableName: '$TLONG' }),
  created('create: name with dots, dashes, underscores', { ...base, TableName: '$T._-X.0' }),
  created('create: LSI and GSI of every projection', {
    ...composite,
    LocalSecondaryIndexes: [
      lsi('lsiAll'),
      lsi('lsiKeys', { ProjectionType: 'KEYS_ONLY' }),
      lsi('lsiInc', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b'] }),
    ],
    GlobalSecondaryIndexes: [
      gsi('gsiAll'),
      gsi('gsiKeys', { ProjectionType: 'KEYS_ONLY' }),
      { ...gsi('gsiInc', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['c'] }) },
      {
        IndexName: 'gsiRange',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  }),
  created('create: provisioned with a GSI', {
    ...composite,
    BillingMode: 'PROVISIONED',
    ...PROV,
    AttributeDefinitions: (composite.AttributeDefinitions as Json[]).slice(0, 3),
    GlobalSecondaryIndexes: [
      gsi(
        'gsi1',
        { ProjectionType: 'ALL' },
        { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 } },
      ),
    ],
  }),
  created('create: BillingMode PROVISIONED given explicitly', {
    ...base,
    BillingMode: 'PROVISIONED',
    ...PROV,
  }),
  created('create: 5 LSIs (the limit)', {
    ...composite,
    AttributeDefinitions: [
      ...(composite.AttributeDefinitions as Json[]).slice(0, 2),
      ...[1, 2, 3, 4, 5].map((i) => ({ AttributeName: `l${i}`, AttributeType: 'S' })),
    ],
    LocalSecondaryIndexes: [1, 2, 3, 4, 5].map((i) => ({
      IndexName: `lsi${i}`,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: `l${i}`, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    })),
  }),
];

const names: Case[] = [
  refused('create: name of 2 characters', { ...base, TableName: 'ab' }),
  refused('create: name of 256 characters', { ...base, TableName: 'a'.repeat(256) }),
  refused('create: name with a space', { ...base, TableName: 'a b c' }),
  refused('create: name with a slash', { ...base, TableName: 'abc/def' }),
  refused('create: name with unicode', { ...base, TableName: 'tablé' }),
  refused('create: empty name', { ...base, TableName: '' }),
  refused('create: no name', { ...base, TableName: undefined }),
  {
    // DynamoDB Local takes the number as the name "123": dropped after.
    ...diverges('wrongJsonType', refused('create: name a number', { ...base, TableName: 123 })),
    cleanup: ['123'],
  },
  refused('create: name too short and bad characters', { ...base, TableName: '#' }),
];

const keys: Case[] = [
  refused('create: no KeySchema', { ...base, KeySchema: undefined }),
  refused('create: empty KeySchema', { ...base, KeySchema: [] }),
  refused('create: no AttributeDefinitions', { ...base, AttributeDefinitions: undefined }),
  refused('create: empty AttributeDefinitions', { ...base, AttributeDefinitions: [] }),
  refused('create: key attribute not defined', {
    ...base,
    AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }],
  }),
  refused('create: attribute defined but unused', {
    ...base,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'unused', AttributeType: 'S' },
    ],
  }),
  refused('create: two HASH keys', {
    ...base,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'x', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'x', KeyType: 'HASH' },
    ],
  }),
  refused('create: RANGE first', {
    ...composite,
    AttributeDefinitions: (composite.AttributeDefinitions as Json[]).slice(0, 2),
    KeySchema: [
      { AttributeName: 'sk', KeyType: 'RANGE' },
      { AttributeName: 'pk', KeyType: 'HASH' },
    ],
  }),
  refused('create: only a RANGE key', {
    ...base,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }],
  }),
  refused('create: three keys', {
    ...base,
    AttributeDefinitions: ['a', 'b', 'c'].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: 'a', KeyType: 'HASH' },
      { AttributeName: 'b', KeyType: 'RANGE' },
      { AttributeName: 'c', KeyType: 'RANGE' },
    ],
  }),
  refused('create: same attribute as HASH and RANGE', {
    ...base,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'pk', KeyType: 'RANGE' },
    ],
  }),
  diverges(
    'enumValue',
    refused('create: bad KeyType', { ...base, KeySchema: [{ AttributeName: 'pk', KeyType: 'PRIMARY' }] }),
  ),
  diverges(
    'enumValue',
    refused('create: bad AttributeType', {
      ...base,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'BOOL' }],
    }),
  ),
  diverges(
    'enumValue',
    refused('create: key attribute of type SS', {
      ...base,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'SS' }],
    }),
  ),
  refused('create: empty attribute name', {
    ...base,
    AttributeDefinitions: [{ AttributeName: '', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: '', KeyType: 'HASH' }],
  }),
  refused('create: attribute name of 256 characters', {
    ...base,
    AttributeDefinitions: [{ AttributeName: 'a'.repeat(256), AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'a'.repeat(256), KeyType: 'HASH' }],
  }),
  refused('create: attribute defined twice', {
    ...base,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'pk', AttributeType: 'N' },
    ],
  }),
  diverges(
    'wrongJsonType',
    refused('create: KeySchema not a list', { ...base, KeySchema: { AttributeName: 'pk', KeyType: 'HASH' } }),
  ),
  diverges(
    'enumValue',
    refused('create: several validation errors at once', {
      TableName: 'a',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'X' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'Y' }],
      BillingMode: 'Z',
    }),
  ),
];

const throughput: Case[] = [
  refused('create: provisioned without throughput', { ...base, BillingMode: undefined }),
  refused('create: PROVISIONED without throughput', { ...base, BillingMode: 'PROVISIONED' }),
  diverges('onDemandThroughput', refused('create: on demand with throughput', { ...base, ...PROV })),
  refused('create: zero read capacity', {
    ...base,
    BillingMode: undefined,
    ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 },
  }),
  refused('create: negative write capacity', {
    ...base,
    BillingMode: undefined,
    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: -1 },
  }),
  refused('create: throughput missing write', {
    ...base,
    BillingMode: undefined,
    ProvisionedThroughput: { ReadCapacityUnits: 1 },
  }),
  diverges(
    'wrongJsonType',
    refused('create: throughput as strings', {
      ...base,
      BillingMode: undefined,
      ProvisionedThroughput: { ReadCapacityUnits: 'one', WriteCapacityUnits: 1 },
    }),
  ),
  refused('create: huge throughput', {
    ...base,
    BillingMode: undefined,
    ProvisionedThroughput: { ReadCapacityUnits: 1e12, WriteCapacityUnits: 1 },
  }),
  diverges('enumValue', refused('create: bad BillingMode', { ...base, BillingMode: 'FREE' })),
];

const indexes: Case[] = [
  refused('create: LSI on a table without range key', {
    ...base,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'l', AttributeType: 'B' },
    ],
    LocalSecondaryIndexes: [lsi()],
  }),
  refused('create: LSI with another hash key', {
    ...composite,
    LocalSecondaryIndexes: [
      {
        IndexName: 'lsi',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  }),
  refused('create: LSI without range key', {
    ...composite,
    LocalSecondaryIndexes: [
      {
        IndexName: 'lsi',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  }),
  refused('create: 6 LSIs', {
    ...composite,
    LocalSecondaryIndexes: [1, 2, 3, 4, 5, 6].map((i) => lsi(`lsi${i}`)),
  }),
  refused('create: two indexes of one name', {
    ...composite,
    LocalSecondaryIndexes: [lsi('same')],
    GlobalSecondaryIndexes: [gsi('same')],
  }),
  refused('create: two GSIs of one name', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [gsi('same'), gsi('same')],
  }),
  refused('create: index name of 2 characters', { ...gsiOnly, GlobalSecondaryIndexes: [gsi('ab')] }),
  refused('create: index name with a bad character', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [gsi('a b c')],
  }),
  refused('create: GSI key attribute not defined', {
    ...base,
    GlobalSecondaryIndexes: [gsi()],
  }),
  refused('create: GSI without projection', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }] }],
  }),
  refused('create: INCLUDE without NonKeyAttributes', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [gsi('gsi', { ProjectionType: 'INCLUDE' })],
  }),
  refused('create: ALL with NonKeyAttributes', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [gsi('gsi', { ProjectionType: 'ALL', NonKeyAttributes: ['a'] })],
  }),
  refused('create: NonKeyAttributes naming a key', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [gsi('gsi', { ProjectionType: 'INCLUDE', NonKeyAttributes: ['pk'] })],
  }),
  refused('create: bad ProjectionType', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [gsi('gsi', { ProjectionType: 'SOME' })],
  }),
  diverges(
    'onDemandThroughput',
    refused('create: on-demand GSI with throughput', {
      ...gsiOnly,
      GlobalSecondaryIndexes: [gsi('gsi', { ProjectionType: 'ALL' }, PROV)],
    }),
  ),
  refused('create: provisioned GSI without throughput', {
    ...gsiOnly,
    BillingMode: undefined,
    ...PROV,
    GlobalSecondaryIndexes: [gsi()],
  }),
  refused('create: empty GSI list', { ...gsiOnly, GlobalSecondaryIndexes: [] }),
  refused('create: empty LSI list', {
    ...composite,
    AttributeDefinitions: (composite.AttributeDefinitions as Json[]).filter((a) => a.AttributeName !== 'g'),
    LocalSecondaryIndexes: [],
  }),
  refused('create: GSI hash key of type defined twice', {
    ...gsiOnly,
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'g', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  }),
];

const lifecycle: Case[] = [
  {
    name: 'create twice: ResourceInUse',
    steps: [table(), step('CreateTable', base)],
  },
  {
    name: 'describe, delete, update a table that does not exist',
    steps: [
      step('DescribeTable', { TableName: '$T' }),
      step('DeleteTable', { TableName: '$T' }),
      step('UpdateTable', { TableName: '$T', ...PPR }),
    ],
  },
  {
    name: 'describe: bad names',
    steps: [
      step('DescribeTable', {}),
      step('DescribeTable', { TableName: 'ab' }),
      step('DescribeTable', { TableName: 'a'.repeat(1025) }),
      step('DescribeTable', { TableName: 5 }, { divergence: 'wrongJsonType' }),
    ],
  },
  {
    name: 'list tables: own tables, Limit, ExclusiveStartTableName',
    steps: [
      table('S', undefined, {}, '$T'),
      table('S', undefined, {}, '$T2'),
      table('S', undefined, {}, '$T3'),
      step('ListTables', { ExclusiveStartTableName: '$P' }),
      step('ListTables', { ExclusiveStartTableName: '$P', Limit: 2 }),
      step('ListTables', { ExclusiveStartTableName: '$T', Limit: 1 }),
      step('ListTables', { ExclusiveStartTableName: '$T2', Limit: 1 }),
    ],
  },
  {
    name: 'list tables: bad Limit and start name',
    steps: [
      step('ListTables', { Limit: 0 }),
      step('ListTables', { Limit: 101 }),
      step('ListTables', { Limit: 'x' }, { divergence: 'wrongJsonType' }),
      step('ListTables', { ExclusiveStartTableName: 'ab' }),
      step('ListTables', { ExclusiveStartTableName: 'bad name' }),
    ],
  },
  {
    name: 'update: provisioned throughput up and down',
    steps: [
      table('S', undefined, { BillingMode: 'PROVISIONED', ...PROV }),
      step(
        'UpdateTable',
        { TableName: '$T', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } },
        { divergence: ['updateTableStatus', 'throughputHistory'] },
      ),
      step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
      step(
        'UpdateTable',
        { TableName: '$T', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
        { divergence: ['updateTableStatus', 'throughputHistory'] },
      ),
      step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
    ],
  },
  {
    name: 'update: same throughput, nothing to update, bad throughput',
    steps: [
      table('S', undefined, { BillingMode: 'PROVISIONED', ...PROV }),
      step('UpdateTable', {
        TableName: '$T',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }),
      step('UpdateTable', { TableName: '$T' }),
      step('UpdateTable', {
        TableName: '$T',
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 5 },
      }),
      step('UpdateTable', { TableName: '$T', ProvisionedThroughput: { ReadCapacityUnits: 5 } }),
    ],
  },
  {
    name: 'update: billing mode to on demand and back',
    steps: [
      table('S', undefined, { BillingMode: 'PROVISIONED', ...PROV }),
      step(
        'UpdateTable',
        { TableName: '$T', ...PPR },
        { divergence: ['updateTableStatus', 'throughputHistory'] },
      ),
      step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
      step('UpdateTable', { TableName: '$T', ...PROV }, { divergence: 'onDemandThroughput' }),
      step(
        'UpdateTable',
        { TableName: '$T', BillingMode: 'PROVISIONED', ...PROV },
        { divergence: ['updateTableStatus', 'throughputHistory'] },
      ),
      step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
    ],
  },
  {
    name: 'update: on-demand table given throughput',
    steps: [table(), step('UpdateTable', { TableName: '$T', ...PROV }, { divergence: 'onDemandThroughput' })],
  },
  {
    name: 'item count and size after writes',
    steps: [
      table('S', 'N'),
      step('PutItem', {
        TableName: '$T',
        Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x'.repeat(100) } },
      }),
      step('PutItem', {
        TableName: '$T',
        Item: { pk: { S: 'a' }, sk: { N: '2' }, v: { L: [{ N: '1' }, { BOOL: true }] } },
      }),
      step('DescribeTable', { TableName: '$T' }),
      step('DeleteItem', { TableName: '$T', Key: { pk: { S: 'a' }, sk: { N: '1' } } }),
      step('DescribeTable', { TableName: '$T' }),
    ],
  },
  {
    name: 'describe limits',
    steps: [step('DescribeLimits', {})],
  },
  {
    name: 'point-in-time recovery: DISABLED, enabled with its window, disabled; a missing table',
    steps: [
      table(),
      ...[
        step('DescribeContinuousBackups', { TableName: '$T' }),
        step('UpdateContinuousBackups', {
          TableName: '$T',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
        }),
        step('DescribeContinuousBackups', { TableName: '$T' }),
        step('UpdateContinuousBackups', {
          TableName: '$T',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        }),
        step('DescribeContinuousBackups', { TableName: '$T-missing' }),
      ].map((s) => ({ ...s, divergence: 'continuousBackups' as const })),
    ],
  },
  {
    name: 'deletion protection: described, DeleteTable refused, lifted by UpdateTable',
    steps: [
      step('CreateTable', { ...base, DeletionProtectionEnabled: true }, { divergence: 'createTableStatus' }),
      step('DescribeTable', { TableName: '$T' }),
      step('DeleteTable', { TableName: '$T' }),
      step('UpdateTable', { TableName: '$T', DeletionProtectionEnabled: false }),
      step('UpdateTable', { TableName: '$T', DeletionProtectionEnabled: true }),
      step('DeleteTable', { TableName: '$T' }),
      step('UpdateTable', { TableName: '$T', DeletionProtectionEnabled: false }),
      step('DeleteTable', { TableName: '$T' }, { divergence: 'deleteTableStatus' }),
    ],
  },
];

export const tableCases: Case[] = [...valid, ...names, ...keys, ...throughput, ...indexes, ...lifecycle];
