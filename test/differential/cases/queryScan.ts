// Query and Scan: key conditions of every operator on S, N and B range keys (byte order of UTF-8,
// numbers by value), Limit and pages, filters, projections, Select, indexes, parallel segments.
import type { Case, Step } from '../harness.js';
import { B, N, query, S, scan, seed, step, table } from './_common.js';

type Json = Record<string, unknown>;

// Range keys in the order DynamoDB keeps them: S by UTF-8 bytes (so U+FFFF < U+10000, unlike
// JavaScript's UTF-16 order), N by value, B by bytes.
const strings = ['A', 'Z', 'a', 'ab', 'b', '~', 'é', '日本', '\uFFFF', '\u{10000}', '\u{1F600}'];
const numbers = [
  '-9.9999999999999999999999999999999999999E+125',
  '-10000000000',
  '-5',
  '-0.5',
  '-1E-130',
  '0',
  '1E-130',
  '0.5',
  '5',
  '10',
  '12345678901234567890123456789012345678',
  '9.9999999999999999999999999999999999999E+125',
];
const binaries = ['AA==', 'AAA=', 'AQ==', 'fw==', 'gA==', '/w==', '//8='];

const items = (pk: Json, sks: Json[], more: (i: number) => Json = () => ({})) =>
  seed(...sks.map((sk, i) => ({ pk, sk, ...more(i) })));

function keyConditions(type: 'S' | 'N' | 'B', v: Json, lo: Json, hi: Json, prefix: Json | undefined): Step[] {
  const pk = S('p');
  const q = (KeyConditionExpression: string, ExpressionAttributeValues: Json, more: Json = {}) =>
    query({
      KeyConditionExpression,
      ExpressionAttributeValues: { ':p': pk, ...ExpressionAttributeValues },
      ...more,
    });
  return [
    q('pk = :p', {}),
    q('pk = :p', {}, { ScanIndexForward: false }),
    q('pk = :p AND sk = :v', { ':v': v }),
    q('pk = :p AND sk < :v', { ':v': v }),
    q('pk = :p AND sk <= :v', { ':v': v }),
    q('pk = :p AND sk > :v', { ':v': v }),
    q('pk = :p AND sk >= :v', { ':v': v }, { ScanIndexForward: false }),
    q('pk = :p AND sk BETWEEN :lo AND :hi', { ':lo': lo, ':hi': hi }),
    q('pk = :p AND sk BETWEEN :hi AND :lo', { ':lo': lo, ':hi': hi }),
    q('sk > :v AND pk = :p', { ':v': v }),
    q('(pk = :p) AND (sk < :v)', { ':v': v }),
    ...(prefix
      ? [q('pk = :p AND begins_with(sk, :pre)', { ':pre': prefix })]
      : [q('pk = :p AND begins_with(sk, :v)', { ':v': v })]),
    q('pk = :p AND sk = :v', { ':v': type === 'S' ? N('1') : S('1') }),
  ];
}

const operators: Case[] = [
  {
    name: 'query: every operator on an S range key, UTF-8 order',
    steps: [
      table('S', 'S'),
      ...items(S('p'), strings.map(S)),
      ...items(S('other'), [S('a')]),
      ...keyConditions('S', S('b'), S('Z'), S('\uFFFF'), S('a')),
      query({
        KeyConditionExpression: 'pk = :p AND sk > :v',
        ExpressionAttributeValues: { ':p': S('p'), ':v': S('\uFFFF') },
      }),
      query({
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':p': S('p'), ':v': S('\uD83D') },
      }),
      scan({}, { all: true }),
    ],
  },
  {
    name: 'query: every operator on an N range key, numeric order',
    steps: [
      table('S', 'N'),
      ...items(S('p'), numbers.map(N)),
      ...keyConditions('N', N('0'), N('-5'), N('5E+0'), undefined),
    ],
  },
  {
    name: 'query: every operator on a B range key, byte order',
    steps: [
      table('S', 'B'),
      ...items(S('p'), binaries.map(B)),
      ...keyConditions('B', B('gA=='), B('AA=='), B('fw=='), B('AA==')),
    ],
  },
  {
    name: 'query: N hash key, B hash key',
    steps: [
      table('N', 'S', {}, '$T'),
      table('B', 'S', {}, '$T2'),
      ...seed({ pk: N('1.0'), sk: S('a') }, { pk: N('1'), sk: S('b') }, { pk: N('-0'), sk: S('c') }),
      { ...step('PutItem', { TableName: '$T2', Item: { pk: B('AAE='), sk: S('x') } }), setup: true },
      query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': N('1.00') } }),
      query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': N('0') } }),
      step('Query', {
        TableName: '$T2',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': B('AAE=') },
      }),
    ],
  },
];

const pageItems = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    pk: S('p'),
    sk: N(String(i)),
    odd: { BOOL: i % 2 === 1 },
    v: S(`v${i}`),
  }));

const pages: Case[] = [
  {
    name: 'query: Limit, pages, ExclusiveStartKey',
    steps: [
      table('S', 'N'),
      ...seed(...pageItems(10)),
      query(
        { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Limit: 3 },
        { all: true },
      ),
      query(
        { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Limit: 5 },
        { all: true },
      ),
      query(
        {
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': S('p') },
          Limit: 4,
          ScanIndexForward: false,
        },
        { all: true },
      ),
      query({
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
        ExclusiveStartKey: { pk: S('p'), sk: N('7') },
      }),
      query({
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
        ExclusiveStartKey: { pk: S('p'), sk: N('7.5') },
      }),
      query({
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
        ExclusiveStartKey: { pk: S('q'), sk: N('1') },
      }),
      query({
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
        ExclusiveStartKey: { pk: S('p') },
      }),
      query({
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
        ExclusiveStartKey: { pk: S('p'), sk: S('1') },
      }),
      query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Limit: 0 }),
      query({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Limit: -1 }),
      scan({ Limit: 3 }, { all: true }),
      scan({ Limit: 10 }, { all: true }),
      scan({ Limit: 0 }),
      scan({ ExclusiveStartKey: { pk: S('p') } }),
    ],
  },
  {
    name: 'query and scan: 1 MB pages',
    steps: [
      table('S', 'N'),
      ...seed(
        ...Array.from({ length: 12 }, (_, i) => ({
          pk: S('p'),
          sk: N(String(i)),
          v: S('x'.repeat(100_000)),
        })),
      ),
      query(
        {
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': S('p') },
          ProjectionExpression: 'sk',
        },
        { all: true },
      ),
      query(
        {
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': S('p'), ':no': S('none') },
          FilterExpression: 'v = :no',
        },
        { all: true, divergence: 'pageBeforeFilter' },
      ),
      scan({ ProjectionExpression: 'sk', Select: 'SPECIFIC_ATTRIBUTES' }, { all: true }),
      scan({ Select: 'COUNT' }, { all: true }),
    ],
  },
];

const filters: Case[] = [
  {
    name: 'query and scan: filters, projections, Select',
    steps: [
      table('S', 'N'),
      ...seed(...pageItems(8)),
      ...[
        { FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } },
        { FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':t': { BOOL: true } }, Limit: 3 },
        { FilterExpression: 'attribute_exists(nothing)' },
        { ProjectionExpression: 'v, sk' },
        { ProjectionExpression: 'v', Select: 'SPECIFIC_ATTRIBUTES' },
        { Select: 'COUNT' },
        {
          Select: 'COUNT',
          FilterExpression: 'odd = :t',
          ExpressionAttributeValues: { ':t': { BOOL: true } },
        },
        { Select: 'ALL_ATTRIBUTES' },
        { Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'v' },
        { Select: 'COUNT', ProjectionExpression: 'v' },
        { Select: 'SPECIFIC_ATTRIBUTES' },
        { Select: 'ALL_PROJECTED_ATTRIBUTES' },
        { Select: 'NOTHING' },
        { FilterExpression: 'sk > :n', ExpressionAttributeValues: { ':n': N('3') } },
        { FilterExpression: 'v = :x' },
        { FilterExpression: '' },
        { FilterExpression: 'odd = :t', ExpressionAttributeValues: { ':t': { BOOL: true }, ':u': N('1') } },
        { ProjectionExpression: 'v, v' },
        { ConsistentRead: true },
      ].flatMap((extra) => [
        query({
          KeyConditionExpression: 'pk = :p',
          ...extra,
          ExpressionAttributeValues: { ':p': S('p'), ...(extra.ExpressionAttributeValues ?? {}) },
        }),
        scan(extra, { all: true }),
      ]),
    ],
  },
  {
    name: 'query: key condition errors',
    steps: [
      table('S', 'N'),
      ...[
        { KeyConditionExpression: 'sk = :n', ExpressionAttributeValues: { ':n': N('1') } },
        { KeyConditionExpression: 'pk < :p', ExpressionAttributeValues: { ':p': S('p') } },
        {
          KeyConditionExpression: 'pk = :p OR sk = :n',
          ExpressionAttributeValues: { ':p': S('p'), ':n': N('1') },
        },
        { KeyConditionExpression: 'pk = :p AND pk = :p', ExpressionAttributeValues: { ':p': S('p') } },
        {
          KeyConditionExpression: 'pk = :p AND sk = :n AND sk = :n',
          ExpressionAttributeValues: { ':p': S('p'), ':n': N('1') },
        },
        {
          KeyConditionExpression: 'pk = :p AND oth = :n',
          ExpressionAttributeValues: { ':p': S('p'), ':n': N('1') },
        },
        {
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :n)',
          ExpressionAttributeValues: { ':p': S('p'), ':n': N('1') },
        },
        {
          KeyConditionExpression: 'pk = :p AND sk <> :n',
          ExpressionAttributeValues: { ':p': S('p'), ':n': N('1') },
        },
        {
          KeyConditionExpression: 'pk = :p AND sk IN (:n)',
          ExpressionAttributeValues: { ':p': S('p'), ':n': N('1') },
        },
        {
          KeyConditionExpression: 'pk = :p AND NOT sk = :n',
          ExpressionAttributeValues: { ':p': S('p'), ':n': N('1') },
        },
        {
          KeyConditionExpression: 'pk = :p AND attribute_exists(sk)',
          ExpressionAttributeValues: { ':p': S('p') },
        },
        { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': N('1') } },
        { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('') } },
        { KeyConditionExpression: 'pk = :p' },
        { KeyConditionExpression: '' },
        {},
        {
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': S('p') },
          FilterExpression: 'sk = :p',
        },
        {
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': S('p') },
          FilterExpression: 'pk = :p',
        },
        { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, IndexName: 'nope' },
        { KeyConditionExpression: 'pk = pk' },
        {
          KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
          ExpressionAttributeValues: { ':p': S('p'), ':a': N('5'), ':b': N('1') },
        },
        { KeyConditionExpression: 'size(pk) = :n', ExpressionAttributeValues: { ':n': N('1') } },
        {
          KeyConditionExpression: '#k = :p',
          ExpressionAttributeNames: { '#k': 'pk' },
          ExpressionAttributeValues: { ':p': S('p') },
        },
      ].map((b) => query(b)),
      step('Query', {
        TableName: '$T2',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('p') },
      }),
    ],
  },
  {
    name: 'scan: segment errors',
    steps: [
      table(),
      ...[
        { Segment: 0 },
        { TotalSegments: 2 },
        { Segment: 2, TotalSegments: 2 },
        { Segment: -1, TotalSegments: 2 },
        { Segment: 0, TotalSegments: 0 },
        { Segment: 0, TotalSegments: 1000001 },
        { Segment: 0, TotalSegments: 1000000 },
        { Segment: 999999, TotalSegments: 1000000 },
      ].map((b) => scan(b)),
      scan({ Segment: 'x', TotalSegments: 2 }, { divergence: 'wrongJsonType' }),
      step('Scan', { TableName: '$T2' }),
      step('Scan', {}),
    ],
  },
];

const hashes = Array.from({ length: 40 }, (_, i) => ({ pk: S(`k${i}`), v: N(String(i)) }));
const parallel: Case[] = [
  {
    name: 'scan: parallel segments cover every item once',
    steps: [
      table(),
      ...seed(...hashes),
      scan({}, { segments: 1 }),
      scan({}, { segments: 2 }),
      scan({}, { segments: 3 }),
      scan({ Limit: 4 }, { segments: 5 }),
      scan({}, { segments: 40 }),
      scan({ FilterExpression: 'v < :n', ExpressionAttributeValues: { ':n': N('10') } }, { segments: 4 }),
    ],
  },
];

const gsiTable: Step = table('S', 'N', {
  AttributeDefinitions: [
    { AttributeName: 'g', AttributeType: 'S' },
    { AttributeName: 'gs', AttributeType: 'N' },
    { AttributeName: 'l', AttributeType: 'S' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byG',
      KeySchema: [
        { AttributeName: 'g', KeyType: 'HASH' },
        { AttributeName: 'gs', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'byGKeys',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      IndexName: 'byGInc',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
    },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byL',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'l', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
});
const indexItems = [
  { pk: S('a'), sk: N('1'), g: S('G'), gs: N('2'), l: S('z'), x: S('x1'), y: S('y1') },
  { pk: S('a'), sk: N('2'), g: S('G'), gs: N('1'), l: S('y'), x: S('x2'), y: S('y2') },
  { pk: S('a'), sk: N('3'), g: S('G'), gs: N('1'), y: S('y3') },
  { pk: S('b'), sk: N('1'), g: S('G'), x: S('x4') },
  { pk: S('b'), sk: N('2'), g: S('H'), gs: N('5'), l: S('a') },
  { pk: S('c'), sk: N('1'), y: S('not in any GSI') },
];
// NOTE: several items share an index key here (g = G, and gs = 1 twice): their order is not
// DynamoDB's to promise, so these queries compare the items, not their order.
const gq = (IndexName: string, more: Json = {}, s: Partial<Step> = {}) =>
  query(
    { IndexName, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': S('G') }, ...more },
    { divergence: 'indexOrder', ...s },
  );

const indexes: Case[] = [
  {
    name: 'index queries: GSI, LSI, projections, sparse, pages',
    steps: [
      gsiTable,
      ...seed(...indexItems),
      gq('byG'),
      gq('byG', { ScanIndexForward: false }),
      gq('byG', { Limit: 1 }, { all: true }),
      gq('byGKeys', { Limit: 2 }, { all: true }),
      gq('byGInc'),
      gq('byGKeys', { Select: 'ALL_ATTRIBUTES' }),
      gq('byGKeys', { Select: 'ALL_PROJECTED_ATTRIBUTES' }),
      gq('byGKeys', { ProjectionExpression: 'y' }),
      gq('byGInc', { ProjectionExpression: 'x, y' }),
      gq('byG', { ConsistentRead: true }),
      gq('byG', {
        FilterExpression: 'gs = :one',
        ExpressionAttributeValues: { ':g': S('G'), ':one': N('1') },
      }),
      gq('byG', {
        KeyConditionExpression: 'g = :g AND gs = :one',
        ExpressionAttributeValues: { ':g': S('G'), ':one': N('1') },
      }),
      query({
        IndexName: 'byL',
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': S('a') },
      }),
      query({
        IndexName: 'byL',
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': S('a') },
        Select: 'ALL_ATTRIBUTES',
      }),
      query(
        {
          IndexName: 'byL',
          KeyConditionExpression: 'pk = :a',
          ExpressionAttributeValues: { ':a': S('a') },
          Limit: 1,
        },
        { all: true },
      ),
      query({
        IndexName: 'byL',
        KeyConditionExpression: 'pk = :a AND l > :l',
        ExpressionAttributeValues: { ':a': S('a'), ':l': S('y') },
        ConsistentRead: true,
        ProjectionExpression: 'x',
      }),
      query({
        IndexName: 'byG',
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': S('a') },
      }),
      scan({ IndexName: 'byG' }, { all: true }),
      scan({ IndexName: 'byGKeys', Limit: 2 }, { all: true }),
      scan({ IndexName: 'byL' }, { all: true }),
      scan({ IndexName: 'byG', ConsistentRead: true }),
      scan({ IndexName: 'byG' }, { segments: 3 }),
      step('UpdateItem', {
        TableName: '$T',
        Key: { pk: S('a'), sk: N('1') },
        UpdateExpression: 'REMOVE g SET l = :l',
        ExpressionAttributeValues: { ':l': S('b') },
      }),
      step('DeleteItem', { TableName: '$T', Key: { pk: S('a'), sk: N('2') } }),
      gq('byG'),
      query({
        IndexName: 'byL',
        KeyConditionExpression: 'pk = :a',
        ExpressionAttributeValues: { ':a': S('a') },
      }),
      step('PutItem', { TableName: '$T', Item: { pk: S('d'), sk: N('1'), g: N('1') } }),
      step('PutItem', { TableName: '$T', Item: { pk: S('d'), sk: N('1'), g: S('') } }),
      step('PutItem', { TableName: '$T', Item: { pk: S('d'), sk: N('1'), l: { SS: ['x'] } } }),
      step('DescribeTable', { TableName: '$T' }),
    ],
  },
];

// Distinct index keys: the order, the pages and their LastEvaluatedKey (index key + table key) are
// DynamoDB's to define, so they are compared exactly.
indexes.push({
  name: 'GSI pages: LastEvaluatedKey holds the index and table keys',
  steps: [
    gsiTable,
    ...seed(
      ...Array.from({ length: 7 }, (_, i) => ({
        pk: S(`p${i % 3}`),
        sk: N(String(i)),
        g: S('G'),
        gs: N(String(10 - i)),
      })),
    ),
    query(
      {
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': S('G') },
        Limit: 2,
      },
      { all: true },
    ),
    query(
      {
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g AND gs BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':g': S('G'), ':a': N('5'), ':b': N('9') },
        Limit: 3,
        ScanIndexForward: false,
      },
      { all: true },
    ),
    query({
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': S('G') },
      ExclusiveStartKey: { pk: S('p0'), sk: N('3'), g: S('G'), gs: N('7') },
    }),
    query({
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': S('G') },
      ExclusiveStartKey: { pk: S('p0'), sk: N('3') },
    }),
  ],
});

// Every kind of write keeps the indexes: put, update (index key set, changed, removed), delete,
// batch put and delete; each index read after it (distinct index keys, so in a defined order).
const byG = (extra: Json = {}) =>
  query({
    IndexName: 'byG',
    KeyConditionExpression: 'g = :g',
    ExpressionAttributeValues: { ':g': S('G') },
    ...extra,
  });
const byL = () =>
  query({ IndexName: 'byL', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': S('a') } });
indexes.push({
  name: 'index maintenance through every kind of write',
  steps: [
    gsiTable,
    step('PutItem', { TableName: '$T', Item: { pk: S('a'), sk: N('1'), g: S('G'), gs: N('1'), l: S('l1') } }),
    byG(),
    byL(),
    step('UpdateItem', {
      TableName: '$T',
      Key: { pk: S('a'), sk: N('2') },
      UpdateExpression: 'SET g = :g, gs = :gs, l = :l',
      ExpressionAttributeValues: { ':g': S('G'), ':gs': N('2'), ':l': S('l0') },
    }),
    byG(),
    byL(),
    step('UpdateItem', {
      TableName: '$T',
      Key: { pk: S('a'), sk: N('1') },
      UpdateExpression: 'SET gs = :gs REMOVE l',
      ExpressionAttributeValues: { ':gs': N('3') },
    }),
    byG({ ScanIndexForward: false }),
    byL(),
    step('BatchWriteItem', {
      RequestItems: {
        $T: [
          { PutRequest: { Item: { pk: S('a'), sk: N('3'), g: S('G'), gs: N('0'), l: S('l9') } } },
          { DeleteRequest: { Key: { pk: S('a'), sk: N('2') } } },
        ],
      },
    }),
    byG(),
    byL(),
    step('PutItem', { TableName: '$T', Item: { pk: S('a'), sk: N('3'), x: S('no index keys') } }),
    byG(),
    byL(),
    step('DeleteItem', { TableName: '$T', Key: { pk: S('a'), sk: N('1') } }),
    byG(),
    step('DescribeTable', { TableName: '$T' }),
  ],
});

export const queryScanCases: Case[] = [...operators, ...pages, ...filters, ...parallel, ...indexes];
