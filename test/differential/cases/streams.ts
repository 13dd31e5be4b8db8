// DynamoDB Streams: StreamSpecification in CreateTable / UpdateTable / DescribeTable, and the
// Streams API (ListStreams, DescribeStream, GetShardIterator, GetRecords) on the same endpoint,
// for the four view types, every event kind, iterators of every type, and their errors. ARNs,
// shard ids, sequence numbers, iterators, times and event ids are each engine's own: saved from
// one answer for the next request (`<<NAME>>`), compared as present (harness.ts, VOLATILE).
import type { Case, Step } from '../harness.js';
import { del, diverges, N, put, S, step, table, update } from './_common.js';

type Json = Record<string, unknown>;

const K = (n: string) => ({ pk: S('a'), sk: N(n) });

/** $T with a stream of `view`, its ARN saved as <<ARN>>. */
const streamTable = (view: string): Step => ({
  ...table('S', 'N', { StreamSpecification: { StreamEnabled: true, StreamViewType: view } }),
  setup: false,
  save: { ARN: 'TableDescription.LatestStreamArn' },
});
/** UpdateTable of $T with this StreamSpecification. */
const streamSpec = (spec: Json): Step => step('UpdateTable', { TableName: '$T', StreamSpecification: spec });
const describeStream = (more: Json = {}): Step =>
  step(
    'DescribeStream',
    { StreamArn: '<<ARN>>', ...more },
    { save: { SHARD: 'StreamDescription.Shards.0.ShardId' } },
  );
const iterator = (type: string, more: Json = {}, save = 'IT'): Step =>
  step(
    'GetShardIterator',
    { StreamArn: '<<ARN>>', ShardId: '<<SHARD>>', ShardIteratorType: type, ...more },
    { save: { [save]: 'ShardIterator' } },
  );
const records = (it = 'IT', more: Json = {}): Step =>
  step(
    'GetRecords',
    { ShardIterator: `<<${it}>>`, ...more },
    {
      save: {
        NEXT: 'NextShardIterator',
        SEQ1: 'Records.0.dynamodb.SequenceNumber',
        SEQ2: 'Records.1.dynamodb.SequenceNumber',
      },
    },
  );

/** Every event kind, and writes that change nothing (no record). */
const writes: Step[] = [
  put({ ...K('1'), x: S('one') }),
  put({ ...K('1'), x: S('one') }),
  update(K('1'), {
    UpdateExpression: 'SET x = :v, y = :n',
    ExpressionAttributeValues: { ':v': S('uno'), ':n': N('1.5') },
  }),
  put({ ...K('2'), l: { L: [S('a'), N('2')] }, m: { M: { b: { BOOL: true } } } }),
  del(K('9')),
  del(K('1')),
  step('BatchWriteItem', {
    RequestItems: { $T: [{ PutRequest: { Item: K('3') } }, { DeleteRequest: { Key: K('2') } }] },
  }),
];

const viewCases: Case[] = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'].map((view) => ({
  name: `${view}: every event kind, records read from TRIM_HORIZON, then none`,
  steps: [
    streamTable(view),
    step('DescribeTable', { TableName: '$T' }),
    ...writes,
    describeStream(),
    iterator('TRIM_HORIZON'),
    records(),
    records('NEXT'),
  ],
}));

export const streamCases: Case[] = [
  ...viewCases,
  {
    name: 'iterators: LATEST, AT_ and AFTER_SEQUENCE_NUMBER, Limit',
    steps: [
      streamTable('KEYS_ONLY'),
      put(K('1')),
      put(K('2')),
      put(K('3')),
      describeStream(),
      iterator('LATEST', {}, 'LATEST'),
      iterator('TRIM_HORIZON'),
      records('IT', { Limit: 2 }),
      records('NEXT'),
      iterator('AT_SEQUENCE_NUMBER', { SequenceNumber: '<<SEQ1>>' }, 'AT'),
      iterator('AFTER_SEQUENCE_NUMBER', { SequenceNumber: '<<SEQ1>>' }, 'AFTER'),
      records('LATEST'),
      put(K('4')),
      records('LATEST'),
      records('AT'),
      records('AFTER'),
    ],
  },
  {
    name: 'UpdateTable enables, refuses enabling twice, disables, refuses disabling twice; the closed shard',
    steps: [
      table('S', 'N'),
      diverges('streamTableName', streamSpec({ StreamEnabled: false })),
      {
        ...streamSpec({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }),
        save: { ARN: 'TableDescription.LatestStreamArn' },
      },
      diverges('streamTableName', streamSpec({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' })),
      diverges('streamTableName', streamSpec({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' })),
      put(K('1')),
      step('ListStreams', { TableName: '$T' }),
      streamSpec({ StreamEnabled: false }),
      step('DescribeTable', { TableName: '$T' }),
      put(K('2')),
      describeStream(),
      iterator('TRIM_HORIZON'),
      records(),
      step('ListStreams', { TableName: '$T' }),
    ],
  },
  {
    name: 'StreamSpecification refused: no view type, a view type with StreamEnabled false, unknown view type, no StreamEnabled',
    steps: [
      table('S'),
      streamSpec({ StreamEnabled: true }),
      streamSpec({ StreamEnabled: false, StreamViewType: 'KEYS_ONLY' }),
      diverges('enumValue', streamSpec({ StreamEnabled: true, StreamViewType: 'ALL' })),
      diverges('streamEnabledNull', streamSpec({ StreamViewType: 'KEYS_ONLY' })),
      step('CreateTable', {
        TableName: '$T2',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true },
      }),
    ],
  },
  {
    name: 'Streams API errors: unknown stream, shard, iterator; sequence numbers; limits',
    steps: [
      streamTable('KEYS_ONLY'),
      put(K('1')),
      describeStream(),
      step('DescribeStream', { StreamArn: '<<ARN>>x' }),
      step('DescribeStream', {}),
      step('DescribeStream', { StreamArn: '<<ARN>>', Limit: 0 }),
      step('DescribeStream', { StreamArn: '<<ARN>>', Limit: 101 }),
      diverges(
        'oracleInternalFailure',
        step('GetShardIterator', { StreamArn: '<<ARN>>', ShardId: '<<SHARD>>' }),
      ),
      diverges(
        'oracleInternalFailure',
        step('GetShardIterator', { StreamArn: '<<ARN>>', ShardId: '<<SHARD>>', ShardIteratorType: 'OLDEST' }),
      ),
      step('GetShardIterator', {
        StreamArn: '<<ARN>>',
        ShardId: '<<SHARD>>',
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: '000000000000000000001',
      }),
      diverges(
        'oracleInternalFailure',
        step('GetShardIterator', {
          StreamArn: '<<ARN>>',
          ShardId: '<<SHARD>>',
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          SequenceNumber: '99999999999999999999999999999',
        }),
      ),
      step('GetShardIterator', {
        StreamArn: '<<ARN>>',
        ShardId: '<<SHARD>>',
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        SequenceNumber: 'abc',
      }),
      step('GetShardIterator', {
        StreamArn: '<<ARN>>',
        ShardId: '<<SHARD>>',
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      }),
      step('GetShardIterator', {
        StreamArn: '<<ARN>>',
        ShardId: '<<SHARD>>',
        ShardIteratorType: 'LATEST',
        SequenceNumber: '000000000000000000001',
      }),
      step('GetShardIterator', {
        StreamArn: '<<ARN>>',
        ShardId: 'shardId-00000000000000000000-00000000',
        ShardIteratorType: 'LATEST',
      }),
      step('GetShardIterator', { StreamArn: '<<ARN>>', ShardId: 'x', ShardIteratorType: 'LATEST' }),
      step('GetRecords', { ShardIterator: 'nonsense' }),
      step('GetRecords', {}),
      iterator('TRIM_HORIZON'),
      records('IT', { Limit: 0 }),
      records('IT', { Limit: 1001 }),
      step('ListStreams', { Limit: 0 }),
      step('ListStreams', { TableName: '$T2' }),
    ],
  },
  {
    name: 'ListStreams pages a table whose stream was enabled twice; CreateTable with StreamEnabled false',
    steps: [
      streamTable('KEYS_ONLY'),
      streamSpec({ StreamEnabled: false }),
      streamSpec({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' }),
      step('ListStreams', { TableName: '$T' }),
      step('ListStreams', { TableName: '$T', Limit: 1 }, { save: { FIRST: 'LastEvaluatedStreamArn' } }),
      step('ListStreams', { TableName: '$T', ExclusiveStartStreamArn: '<<FIRST>>' }),
      {
        ...table('S', undefined, { StreamSpecification: { StreamEnabled: false } }, '$T2'),
        setup: false,
      },
      step('ListStreams', { TableName: '$T2' }),
    ],
  },
  {
    name: 'a deleted table: its stream is disabled and still read',
    steps: [
      streamTable('NEW_IMAGE'),
      put(K('1')),
      diverges('deleteTableStatus', step('DeleteTable', { TableName: '$T' })),
      describeStream(),
      iterator('TRIM_HORIZON'),
      records(),
    ],
  },
];
