// GSIs created and deleted through UpdateTable: the answers, DescribeTable after, the index read
// once ACTIVE, and each error DynamoDB gives (a second change, an index that exists or not,
// definitions that disagree or lack, throughput required or refused, the limits).
import type { Case } from '../harness.js';
import { N, PPR, PROV, put, query, S, scan, seed, step, table } from './_common.js';

type Json = Record<string, unknown>;

const gDef = { AttributeName: 'g', AttributeType: 'S' };
const gsi = (name = 'gx1', extra: Json = {}, attr = 'g'): Json => ({
  IndexName: name,
  KeySchema: [{ AttributeName: attr, KeyType: 'HASH' }],
  Projection: { ProjectionType: 'ALL' },
  ...extra,
});
const create = (index: Json, defs: Json[] = [gDef], more: Json = {}): Json => ({
  TableName: '$T',
  AttributeDefinitions: defs,
  GlobalSecondaryIndexUpdates: [{ Create: index }],
  ...more,
});
const dropIndex = (name = 'gx1'): Json => ({
  TableName: '$T',
  GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }],
});
const describe = step('DescribeTable', { TableName: '$T' });
/** DescribeTable soon after a GSI is created: the phases are timing (DIVERGENCES.md). */
const describeSoon = step('DescribeTable', { TableName: '$T' }, { divergence: 'gsiPhaseSoon' });
const items = seed(
  { pk: S('a'), g: S('x'), v: N('1') },
  { pk: S('b'), g: S('x'), v: N('2') },
  { pk: S('c'), g: S('y') },
  { pk: S('d'), v: N('4') },
);
const gx = {
  IndexName: 'gx1',
  KeyConditionExpression: 'g = :g',
  ExpressionAttributeValues: { ':g': S('x') },
};

export const gsiUpdateCases: Case[] = [
  {
    name: 'create a GSI on a table with items: answer, describe, query',
    steps: [
      table(),
      ...items,
      step('UpdateTable', create(gsi()), { divergence: 'gsiCreateStatus' }),
      describeSoon,
      query(gx, { divergence: 'indexOrder' }),
      scan({ IndexName: 'gx1' }),
      put({ pk: S('f'), g: S('x') }),
      query(gx, { divergence: 'indexOrder' }),
    ],
  },
  {
    name: 'create a GSI with a range key, KEYS_ONLY, on a provisioned table',
    steps: [
      table('S', undefined, { ...PROV, BillingMode: 'PROVISIONED' }),
      ...items,
      step(
        'UpdateTable',
        create(
          gsi('gx2', {
            KeySchema: [
              { AttributeName: 'g', KeyType: 'HASH' },
              { AttributeName: 'v', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ...PROV,
          }),
          [gDef, { AttributeName: 'v', AttributeType: 'N' }],
        ),
        { divergence: 'gsiCreateStatus' },
      ),
      describeSoon,
      query({ ...gx, IndexName: 'gx2' }),
    ],
  },
  {
    name: 'delete a GSI: answer, describe, query refused',
    steps: [
      table('S', undefined, { AttributeDefinitions: [gDef], GlobalSecondaryIndexes: [gsi()] }),
      ...items,
      step('UpdateTable', dropIndex(), { divergence: 'gsiDeleteStatus' }),
      describe,
      query(gx, { divergence: 'indexOrder' }),
    ],
  },
  {
    name: 'create then delete then create again',
    steps: [
      table(),
      ...items,
      step('UpdateTable', create(gsi()), { setup: true }),
      // NOTE: DynamoDB Local may still call the index "being created" just after it shows ACTIVE.
      { ...describe, setup: true },
      step('UpdateTable', dropIndex(), { setup: true }),
      step(
        'UpdateTable',
        create(gsi('gx1', { Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['v'] } })),
        {
          divergence: 'gsiCreateStatus',
        },
      ),
      describeSoon,
      scan({ IndexName: 'gx1' }),
    ],
  },
  {
    name: 'two creates in one call',
    steps: [
      table(),
      step('UpdateTable', {
        TableName: '$T',
        AttributeDefinitions: [gDef],
        GlobalSecondaryIndexUpdates: [{ Create: gsi('gx1') }, { Create: gsi('gx2') }],
      }),
    ],
  },
  {
    name: 'a create and a delete in one call',
    steps: [
      table('S', undefined, { AttributeDefinitions: [gDef], GlobalSecondaryIndexes: [gsi()] }),
      step('UpdateTable', {
        TableName: '$T',
        AttributeDefinitions: [gDef],
        GlobalSecondaryIndexUpdates: [{ Create: gsi('gx2') }, { Delete: { IndexName: 'gx1' } }],
      }),
    ],
  },
  {
    name: 'create an index that exists',
    steps: [
      table('S', undefined, { AttributeDefinitions: [gDef], GlobalSecondaryIndexes: [gsi()] }),
      step('UpdateTable', create(gsi())),
    ],
  },
  {
    name: 'delete an index that does not exist',
    steps: [table(), step('UpdateTable', dropIndex('nope'), { divergence: 'indexNotFound' })],
  },
  {
    name: 'create without AttributeDefinitions',
    steps: [
      table(),
      step('UpdateTable', { TableName: '$T', GlobalSecondaryIndexUpdates: [{ Create: gsi() }] }),
    ],
  },
  {
    name: 'create whose key is not in AttributeDefinitions',
    steps: [table(), step('UpdateTable', create(gsi('gx1', {}, 'h')))],
  },
  {
    name: 'create with a definition that disagrees with the table key',
    steps: [table(), step('UpdateTable', create(gsi(), [gDef, { AttributeName: 'pk', AttributeType: 'N' }]))],
  },
  {
    name: 'create on a provisioned table without throughput',
    steps: [
      table('S', undefined, { ...PROV, BillingMode: 'PROVISIONED' }),
      step('UpdateTable', create(gsi()), { divergence: 'oracleInternalFailure' }),
    ],
  },
  {
    name: 'create on an on-demand table with throughput',
    steps: [table(), step('UpdateTable', create(gsi('gx1', PROV)), { divergence: 'onDemandThroughput' })],
  },
  {
    name: 'create without a projection',
    steps: [
      table(),
      step('UpdateTable', create({ IndexName: 'gx1', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }] })),
    ],
  },
  {
    name: 'create with a bad index name',
    steps: [table(), step('UpdateTable', create(gsi('a')))],
  },
  {
    name: 'create the 21st GSI',
    steps: [
      table('S', undefined, {
        AttributeDefinitions: [gDef],
        GlobalSecondaryIndexes: Array.from({ length: 20 }, (_, i) => gsi(`gx${i}`)),
      }),
      step('UpdateTable', create(gsi('gx20'))),
    ],
  },
  {
    name: 'create projecting more than 100 attributes in all',
    steps: [
      table('S', undefined, {
        AttributeDefinitions: [gDef],
        GlobalSecondaryIndexes: [
          gsi('gx0', {
            Projection: {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: Array.from({ length: 60 }, (_, i) => `a${i}`),
            },
          }),
        ],
      }),
      step(
        'UpdateTable',
        create(
          gsi('gx1', {
            Projection: {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: Array.from({ length: 60 }, (_, i) => `b${i}`),
            },
          }),
        ),
        { divergence: 'projectedLimitUpdate' },
      ),
    ],
  },
  {
    name: 'an item whose index key has another type is left out',
    steps: [
      table(),
      ...seed({ pk: S('e'), g: N('5') }),
      step('UpdateTable', create(gsi()), { setup: true }),
      scan({ IndexName: 'gx1', Select: 'COUNT' }, { divergence: 'gsiKeyViolation' }),
    ],
  },
  ...throughputCases(),
];

/** GSI throughput (Update) and billing switches of tables that have GSIs. */
function throughputCases(): Case[] {
  const provisioned = { BillingMode: 'PROVISIONED', ...PROV };
  const withGsi = (prov: boolean) =>
    table('S', undefined, {
      AttributeDefinitions: [gDef],
      GlobalSecondaryIndexes: [gsi('gx1', prov ? PROV : {})],
      ...(prov ? provisioned : {}),
    });
  const updateGsi = (pt: Json, name = 'gx1', more: Json = {}): Json => ({
    TableName: '$T',
    GlobalSecondaryIndexUpdates: [{ Update: { IndexName: name, ProvisionedThroughput: pt } }],
    ...more,
  });
  const units = (r: number, w: number) => ({ ReadCapacityUnits: r, WriteCapacityUnits: w });
  return [
    {
      name: 'GSI throughput up, then down',
      steps: [
        withGsi(true),
        step('UpdateTable', updateGsi(units(10, 10)), {
          divergence: ['updateTableStatus', 'throughputHistory'],
        }),
        step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
        step('UpdateTable', updateGsi(units(1, 1)), {
          divergence: ['updateTableStatus', 'throughputHistory'],
        }),
        step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
      ],
    },
    {
      name: 'GSI throughput: the same values, zero, one missing',
      steps: [
        withGsi(true),
        step('UpdateTable', updateGsi(units(5, 5)), {
          divergence: ['updateTableStatus', 'throughputHistory'],
        }),
        step('UpdateTable', updateGsi(units(0, 5))),
        step('UpdateTable', updateGsi({ ReadCapacityUnits: 5 })),
      ],
    },
    {
      name: 'GSI throughput of an index that does not exist',
      steps: [
        withGsi(true),
        step('UpdateTable', updateGsi(units(2, 2), 'nope'), { divergence: 'indexNotFound' }),
      ],
    },
    {
      name: 'GSI throughput on an on-demand table',
      steps: [
        withGsi(false),
        step('UpdateTable', updateGsi(units(2, 2)), { divergence: 'onDemandThroughput' }),
      ],
    },
    {
      name: 'provisioned table with a GSI to on-demand',
      steps: [
        withGsi(true),
        step(
          'UpdateTable',
          { TableName: '$T', ...PPR },
          { divergence: ['updateTableStatus', 'throughputHistory'] },
        ),
        step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
      ],
    },
    {
      name: 'on-demand table with a GSI to provisioned, without the GSI throughput',
      steps: [
        withGsi(false),
        step('UpdateTable', { TableName: '$T', ...provisioned }, { divergence: 'oracleInternalFailure' }),
        step('DescribeTable', { TableName: '$T' }),
      ],
    },
    {
      name: 'on-demand table with a GSI to provisioned, with the GSI throughput',
      steps: [
        withGsi(false),
        step('UpdateTable', updateGsi(units(3, 4), 'gx1', provisioned), {
          divergence: ['updateTableStatus', 'throughputHistory'],
        }),
        step('DescribeTable', { TableName: '$T' }, { divergence: 'throughputHistory' }),
      ],
    },
    {
      name: 'create a GSI while switching to provisioned',
      steps: [
        table(),
        step('UpdateTable', create(gsi('gx1', PROV), [gDef], provisioned), {
          divergence: ['gsiCreateStatus', 'throughputHistory'],
        }),
      ],
    },
  ];
}
