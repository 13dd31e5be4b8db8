// The legacy parameters DynamoDB still accepts (Expected, AttributeUpdates, KeyConditions,
// QueryFilter, ScanFilter, AttributesToGet, ConditionalOperator), their mixing with expressions,
// and ReturnConsumedCapacity (TOTAL, INDEXES) and ReturnItemCollectionMetrics on every operation.
import type { Case, Step } from '../harness.js';
import { del, diverges, get, N, put, query, S, scan, seed, step, table, update } from './_common.js';

type Json = Record<string, unknown>;

const k = { pk: S('a') };
const base = { pk: S('a'), n: N('5'), s: S('abc'), ss: { SS: ['x', 'y'] }, l: { L: [N('1')] } };

const expected: Case[] = [
  {
    name: 'legacy Expected on PutItem and DeleteItem',
    steps: [
      table(),
      ...seed(base),
      ...[
        { n: { Value: N('5') } },
        { n: { Value: N('6') } },
        { n: { Exists: true, Value: N('5') } },
        { n: { Exists: false } },
        { nothing: { Exists: false } },
        { nothing: { Exists: true } },
        { n: { Exists: true } },
        { n: { Exists: false, Value: N('5') } },
        { n: { ComparisonOperator: 'EQ', AttributeValueList: [N('5')] } },
        { n: { ComparisonOperator: 'NE', AttributeValueList: [N('5')] } },
        { n: { ComparisonOperator: 'GT', AttributeValueList: [N('4')] } },
        { n: { ComparisonOperator: 'LE', AttributeValueList: [N('4')] } },
        { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N('1'), N('9')] } },
        { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N('1')] } },
        { n: { ComparisonOperator: 'IN', AttributeValueList: [N('1'), N('5')] } },
        { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [S('ab')] } },
        { s: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('b')] } },
        { ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('x')] } },
        { ss: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [S('x')] } },
        { nothing: { ComparisonOperator: 'NULL' } },
        { n: { ComparisonOperator: 'NOT_NULL' } },
        { n: { ComparisonOperator: 'NULL', AttributeValueList: [N('1')] } },
        { n: { ComparisonOperator: 'EQ' } },
        { n: { ComparisonOperator: 'EQ', AttributeValueList: [{ SS: ['x'] }] } },
        { n: { ComparisonOperator: 'LT', AttributeValueList: [{ BOOL: true }] } },
        { n: { ComparisonOperator: 'WRONG', AttributeValueList: [N('1')] } },
        { n: { ComparisonOperator: 'EQ', AttributeValueList: [N('5')], Value: N('5') } },
        { n: {} },
      ].map((Expected) => put(base, { Expected })),
      put(base, { Expected: { n: { Value: N('1') }, s: { Value: S('abc') } }, ConditionalOperator: 'OR' }),
      put(base, { Expected: { n: { Value: N('1') }, s: { Value: S('abc') } }, ConditionalOperator: 'AND' }),
      put(base, { Expected: { n: { Value: N('5') } }, ConditionalOperator: 'OR' }),
      put(base, { ConditionalOperator: 'OR' }),
      put(base, {
        Expected: { n: { Value: N('5') } },
        ConditionExpression: 'n = :n',
        ExpressionAttributeValues: { ':n': N('5') },
      }),
      put(base, { Expected: { n: { Value: N('5') } }, ExpressionAttributeValues: { ':n': N('5') } }),
      del(k, { Expected: { n: { Value: N('6') } }, ReturnValues: 'ALL_OLD' }),
      del(k, { Expected: { n: { Value: N('5') } }, ReturnValues: 'ALL_OLD' }),
    ],
  },
  {
    name: 'legacy AttributeUpdates on UpdateItem',
    steps: [
      table(),
      ...seed(base),
      update(k, {
        AttributeUpdates: {
          n: { Action: 'ADD', Value: N('2') },
          s: { Action: 'PUT', Value: S('new') },
          ss: { Action: 'DELETE', Value: { SS: ['x'] } },
          l: { Action: 'DELETE' },
          c: { Action: 'ADD', Value: N('1') },
          newset: { Action: 'ADD', Value: { NS: ['1'] } },
          lst: { Action: 'ADD', Value: { L: [S('a')] } },
        },
        ReturnValues: 'ALL_NEW',
      }),
      update(k, { AttributeUpdates: { s: { Action: 'PUT' } } }),
      update(k, { AttributeUpdates: { s: { Action: 'ADD', Value: S('x') } } }),
      update(k, { AttributeUpdates: { s: { Action: 'ADD' } } }),
      update(k, { AttributeUpdates: { pk: { Action: 'PUT', Value: S('b') } } }),
      update(k, { AttributeUpdates: { s: { Action: 'WRONG', Value: S('x') } } }),
      update(k, { AttributeUpdates: { ss: { Action: 'DELETE', Value: S('x') } } }),
      update(k, {
        AttributeUpdates: { s: { Action: 'PUT', Value: S('x') } },
        Expected: { n: { Value: N('7') } },
        ReturnValues: 'UPDATED_OLD',
      }),
      update(k, {
        AttributeUpdates: { s: { Action: 'PUT', Value: S('x') } },
        UpdateExpression: 'SET s = :s',
        ExpressionAttributeValues: { ':s': S('x') },
      }),
      update(k, {
        AttributeUpdates: { s: { Action: 'PUT', Value: S('x') } },
        ConditionExpression: 'attribute_exists(pk)',
      }),
      update(
        { pk: S('new') },
        { AttributeUpdates: { c: { Action: 'ADD', Value: N('1') } }, ReturnValues: 'ALL_NEW' },
      ),
      update({ pk: S('new2') }, { AttributeUpdates: { c: { Action: 'DELETE' } }, ReturnValues: 'ALL_NEW' }),
      update({ pk: S('new3') }, {}),
      get({ pk: S('new3') }),
      get(k),
    ],
  },
];

expected.push({
  name: 'legacy AttributeUpdates entry without Action',
  steps: [
    table(),
    ...seed(base),
    update(
      k,
      { AttributeUpdates: { s: { Value: S('default action') } }, ReturnValues: 'UPDATED_NEW' },
      { divergence: 'attributeUpdatesDefaultPut' },
    ),
    get(k, { ProjectionExpression: 's' }, { divergence: 'attributeUpdatesDefaultPut' }),
  ],
});

const items = Array.from({ length: 6 }, (_, i) => ({
  pk: S('p'),
  sk: N(String(i)),
  v: N(String(i * 10)),
  t: S(`t${i}`),
}));
const kc = (extra: Json = {}) => ({
  pk: { ComparisonOperator: 'EQ', AttributeValueList: [S('p')] },
  ...extra,
});

const reads: Case[] = [
  {
    name: 'legacy KeyConditions, QueryFilter, ScanFilter, AttributesToGet',
    steps: [
      table('S', 'N'),
      ...seed(...items),
      query({ KeyConditions: kc() }),
      query({
        KeyConditions: kc({ sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [N('1'), N('3')] } }),
      }),
      query({ KeyConditions: kc({ sk: { ComparisonOperator: 'GE', AttributeValueList: [N('4')] } }) }),
      query({
        KeyConditions: kc({ sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [N('1')] } }),
      }),
      query(
        { KeyConditions: kc({ sk: { ComparisonOperator: 'NE', AttributeValueList: [N('1')] } }) },
        { divergence: 'keyConditionNe' },
      ),
      query({ KeyConditions: { pk: { ComparisonOperator: 'GT', AttributeValueList: [S('p')] } } }),
      query({ KeyConditions: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [N('1')] } } }),
      query({
        KeyConditions: kc(),
        QueryFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [N('20')] } },
      }),
      query({
        KeyConditions: kc(),
        QueryFilter: {
          v: { ComparisonOperator: 'GT', AttributeValueList: [N('20')] },
          t: { ComparisonOperator: 'EQ', AttributeValueList: [S('t1')] },
        },
        ConditionalOperator: 'OR',
      }),
      query({
        KeyConditions: kc(),
        QueryFilter: { sk: { ComparisonOperator: 'GT', AttributeValueList: [N('2')] } },
      }),
      query({ KeyConditions: kc(), AttributesToGet: ['v', 'sk'] }),
      query({ KeyConditions: kc(), AttributesToGet: ['v'], Select: 'SPECIFIC_ATTRIBUTES' }),
      query({ KeyConditions: kc(), AttributesToGet: ['v'], Select: 'ALL_ATTRIBUTES' }),
      query({ KeyConditions: kc(), Limit: 2, ScanIndexForward: false }, { all: true }),
      query({
        KeyConditions: kc(),
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
      }),
      query({
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
        QueryFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [N('20')] } },
      }),
      query({ KeyConditions: kc(), FilterExpression: 'v > :v', ExpressionAttributeValues: { ':v': N('1') } }),
      query({ KeyConditions: kc(), ProjectionExpression: 'v' }),
      scan({ ScanFilter: { v: { ComparisonOperator: 'LT', AttributeValueList: [N('30')] } } }, { all: true }),
      scan(
        { ScanFilter: { t: { ComparisonOperator: 'IN', AttributeValueList: [S('t1'), S('t4')] } } },
        { all: true },
      ),
      scan(
        { ScanFilter: { t: { ComparisonOperator: 'CONTAINS', AttributeValueList: [S('3')] } } },
        { all: true },
      ),
      scan({ ScanFilter: { none: { ComparisonOperator: 'NULL' } }, Select: 'COUNT' }, { all: true }),
      scan({ ScanFilter: { v: { ComparisonOperator: 'NOT_NULL' } }, AttributesToGet: ['t'] }, { all: true }),
      scan({ ScanFilter: { v: { ComparisonOperator: 'EQ', AttributeValueList: [N('10'), N('20')] } } }),
      scan({ ScanFilter: {}, ConditionalOperator: 'AND' }, { all: true }),
      scan({
        ScanFilter: { v: { ComparisonOperator: 'EQ', AttributeValueList: [N('10')] } },
        FilterExpression: 'v = :v',
        ExpressionAttributeValues: { ':v': N('1') },
      }),
      scan({ AttributesToGet: [] }, { divergence: 'emptyAttributesToGet' }),
      scan({ AttributesToGet: ['t', 't'] }),
      scan({ AttributesToGet: ['t'], ProjectionExpression: 't' }),
    ],
  },
];

const gsiTable: Step = table('S', 'N', {
  AttributeDefinitions: [
    { AttributeName: 'g', AttributeType: 'S' },
    { AttributeName: 'l', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byG',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byL',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'l', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});
const big = (n: number) => S('x'.repeat(n));
const ck = (sk: string) => ({ pk: S('a'), sk: N(sk) });
/** Writes asking for item collection metrics on a table with an LSI: see divergences.ts. */
const metrics = (s: Step): Step =>
  (s.body as Json).ReturnItemCollectionMetrics === 'SIZE' ? { ...s, divergence: 'itemCollectionMetrics' } : s;

const capacity: Case[] = [
  {
    name: 'consumed capacity and item collection metrics on every operation',
    steps: [
      gsiTable,
      ...['NONE', 'TOTAL', 'INDEXES']
        .flatMap((rcc): Step[] => [
          put(
            { ...ck('1'), g: S('G'), l: S('L'), v: big(100) },
            { ReturnConsumedCapacity: rcc, ReturnItemCollectionMetrics: 'SIZE' },
          ),
          put(
            { ...ck('2'), v: big(1500) },
            { ReturnConsumedCapacity: rcc, ReturnItemCollectionMetrics: 'SIZE' },
          ),
          put(
            { ...ck('3'), g: S('G'), v: big(5000) },
            { ReturnConsumedCapacity: rcc, ReturnItemCollectionMetrics: 'NONE' },
          ),
          get(ck('3'), { ReturnConsumedCapacity: rcc }),
          get(ck('3'), { ReturnConsumedCapacity: rcc, ConsistentRead: true }),
          get(ck('9'), { ReturnConsumedCapacity: rcc }),
          update(ck('1'), {
            UpdateExpression: 'SET g = :g, l = :l',
            ExpressionAttributeValues: { ':g': S('H'), ':l': S('M') },
            ReturnConsumedCapacity: rcc,
            ReturnItemCollectionMetrics: 'SIZE',
          }),
          del(ck('2'), { ReturnConsumedCapacity: rcc, ReturnItemCollectionMetrics: 'SIZE' }),
          del(ck('2'), { ReturnConsumedCapacity: rcc }),
          put(ck('1'), { ReturnConsumedCapacity: rcc, ConditionExpression: 'attribute_not_exists(pk)' }),
          query({
            KeyConditionExpression: 'pk = :a',
            ExpressionAttributeValues: { ':a': S('a') },
            ReturnConsumedCapacity: rcc,
          }),
          query({
            IndexName: 'byL',
            KeyConditionExpression: 'pk = :a',
            ExpressionAttributeValues: { ':a': S('a') },
            ReturnConsumedCapacity: rcc,
            ConsistentRead: true,
          }),
          query({
            IndexName: 'byG',
            KeyConditionExpression: 'g = :g',
            ExpressionAttributeValues: { ':g': S('G') },
            ReturnConsumedCapacity: rcc,
          }),
          scan({ ReturnConsumedCapacity: rcc }),
          scan({ ReturnConsumedCapacity: rcc, Select: 'COUNT', ConsistentRead: true }),
          scan({ IndexName: 'byG', ReturnConsumedCapacity: rcc }),
          step('BatchGetItem', {
            RequestItems: { $T: { Keys: [ck('1'), ck('3')] } },
            ReturnConsumedCapacity: rcc,
          }),
          step('BatchWriteItem', {
            RequestItems: {
              $T: [
                { PutRequest: { Item: { ...ck('4'), g: S('G') } } },
                { DeleteRequest: { Key: ck('4') } },
              ].slice(0, 1),
            },
            ReturnConsumedCapacity: rcc,
            ReturnItemCollectionMetrics: 'SIZE',
          }),
          del(ck('4'), { ReturnConsumedCapacity: rcc }),
        ])
        .map(metrics),
      diverges('enumValue', put(ck('1'), { ReturnConsumedCapacity: 'ALL' })),
      diverges('enumValue', put(ck('1'), { ReturnItemCollectionMetrics: 'ALL' })),
    ],
  },
  {
    name: 'consumed capacity: item sizes at the 1 KB and 4 KB edges',
    steps: [
      table(),
      ...[1024 - 2 - 1 - 1, 1024 - 2 - 1, 4096 - 2 - 1 - 1, 4096 - 2 - 1, 8193].flatMap((n, i) => [
        put({ pk: S(`k${i}`), v: big(n) }, { ReturnConsumedCapacity: 'TOTAL' }),
        get({ pk: S(`k${i}`) }, { ReturnConsumedCapacity: 'TOTAL' }),
        get({ pk: S(`k${i}`) }, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true }),
        put({ pk: S(`k${i}`), v: S('small') }, { ReturnConsumedCapacity: 'TOTAL' }),
      ]),
      scan({ ReturnConsumedCapacity: 'TOTAL' }),
    ],
  },
];

export const legacyCases: Case[] = [...expected, ...reads, ...capacity];
