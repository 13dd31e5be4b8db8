// BatchWriteItem and BatchGetItem: limits, duplicates, unknown tables, projections; and the wire:
// malformed JSON, content types, unknown targets, wrong types in fields.
import type { Case, Step } from '../harness.js';
import { diverges, N, S, seed, step, table } from './_common.js';

type Json = Record<string, unknown>;

const putReq = (pk: string, more: Json = {}) => ({ PutRequest: { Item: { pk: S(pk), ...more } } });
const delReq = (pk: string) => ({ DeleteRequest: { Key: { pk: S(pk) } } });
const bw = (RequestItems: Json, more: Json = {}) => step('BatchWriteItem', { RequestItems, ...more });
const bg = (RequestItems: Json, more: Json = {}) => step('BatchGetItem', { RequestItems, ...more });
const keys = (...pks: string[]) => pks.map((pk) => ({ pk: S(pk) }));

const writes: Case[] = [
  {
    name: 'batch write: puts and deletes over two tables',
    steps: [
      table(),
      table('S', undefined, {}, '$T2'),
      ...seed({ pk: S('gone'), v: N('1') }),
      bw({
        $T: [putReq('a', { v: N('1') }), putReq('b'), delReq('gone'), delReq('never')],
        $T2: [putReq('x')],
      }),
      bg({ $T: { Keys: keys('a', 'b', 'gone') }, $T2: { Keys: keys('x') } }),
      step('Scan', { TableName: '$T' }),
    ],
  },
  {
    name: 'batch write: limits and duplicates',
    steps: [
      table(),
      table('S', undefined, {}, '$T2'),
      bw({ $T: Array.from({ length: 25 }, (_, i) => putReq(`k${i}`)) }),
      bw({ $T: Array.from({ length: 26 }, (_, i) => putReq(`k${i}`)) }),
      bw({
        $T: Array.from({ length: 13 }, (_, i) => putReq(`k${i}`)),
        $T2: Array.from({ length: 13 }, (_, i) => putReq(`k${i}`)),
      }),
      bw({ $T: [putReq('a'), putReq('a')] }),
      bw({ $T: [putReq('a'), delReq('a')] }),
      bw({ $T: [delReq('a'), delReq('a')] }),
      bw({ $T: [] }),
      bw({}),
      step('BatchWriteItem', {}),
      bw({ $T3: [putReq('a')] }),
      bw({ $T: [putReq('a')], $T3: [putReq('a')] }),
      bw({ $T: [{ PutRequest: { Item: { v: S('no key') } } }] }),
      bw({ $T: [{ DeleteRequest: { Key: { pk: N('1') } } }] }),
      bw({ $T: [{}] }),
      bw({ $T: [{ PutRequest: { Item: { pk: S('a') } }, DeleteRequest: { Key: { pk: S('a') } } }] }),
      bw({ $T: [putReq('a', { v: { SS: [] } })] }),
      bw({ $T: [putReq('big', { v: S('x'.repeat(400 * 1024)) })] }),
      bw({ $T: [putReq('a')] }, { ReturnConsumedCapacity: 'TOTAL' }),
      bw({ $T: [putReq('a')] }, { ReturnConsumedCapacity: 'INDEXES', ReturnItemCollectionMetrics: 'SIZE' }),
      diverges('enumValue', bw({ $T: [putReq('a')] }, { ReturnItemCollectionMetrics: 'WRONG' })),
      bw({ ab: [putReq('a')] }),
      step('DescribeTable', { TableName: '$T' }),
    ],
  },
];

const gets: Case[] = [
  {
    name: 'batch get: limits, duplicates, projections',
    steps: [
      table(),
      ...seed(...Array.from({ length: 5 }, (_, i) => ({ pk: S(`k${i}`), v: N(String(i)), w: S('w') }))),
      bg({ $T: { Keys: keys('k0', 'k1', 'missing') } }),
      bg({ $T: { Keys: Array.from({ length: 100 }, (_, i) => ({ pk: S(`k${i}`) })) } }),
      bg({ $T: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: S(`k${i}`) })) } }),
      bg({ $T: { Keys: keys('k0', 'k0') } }),
      bg({ $T: { Keys: [] } }),
      bg({ $T: {} }),
      bg({}),
      bg({ $T3: { Keys: keys('k0') } }),
      bg({ $T: { Keys: keys('k0'), ProjectionExpression: 'v' } }),
      bg({ $T: { Keys: keys('k0'), ProjectionExpression: '#v', ExpressionAttributeNames: { '#v': 'v' } } }),
      bg({ $T: { Keys: keys('k0'), AttributesToGet: ['w'] } }),
      bg({ $T: { Keys: keys('k0'), AttributesToGet: ['w'], ProjectionExpression: 'v' } }),
      bg({ $T: { Keys: keys('k0'), ConsistentRead: true } }, { ReturnConsumedCapacity: 'TOTAL' }),
      bg({ $T: { Keys: [{ pk: N('1') }] } }),
      bg({ $T: { Keys: [{ pk: S('a'), x: S('b') }] } }),
      bg({ $T: { Keys: keys('k0', 'k1'), ProjectionExpression: 'v, v' } }),
    ],
  },
];

const raw = (op: string, text: string, headers: Record<string, string | null> = {}): Step => ({
  op,
  body: undefined,
  raw: { text, headers },
});

const wire: Case[] = [
  {
    name: 'wire: malformed JSON, content types, targets',
    steps: [
      table(),
      diverges('malformedJson', raw('PutItem', '{')),
      diverges('oracleInternalFailure', raw('PutItem', '')),
      diverges('malformedJson', raw('PutItem', 'not json')),
      diverges('malformedJson', raw('PutItem', '[]')),
      diverges('malformedJson', raw('PutItem', '"string"')),
      diverges('malformedJson', raw('PutItem', 'null')),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}} trailing'),
      raw('PutItem', '{"TableName":"$T","TableName":"$T","Item":{"pk":{"S":"a"}}}'),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', { 'content-type': 'application/json' }),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', { 'content-type': 'text/plain' }),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', {
        'content-type': 'application/x-amz-json-1.1',
      }),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', { 'content-type': null }),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', {
        'x-amz-target': 'DynamoDB_20120810.NoSuchOp',
      }),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', {
        'x-amz-target': 'DynamoDB_20111205.PutItem',
      }),
      diverges(
        'oracleInternalFailure',
        raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', { 'x-amz-target': 'PutItem' }),
      ),
      diverges(
        'oracleInternalFailure',
        raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', { 'x-amz-target': null }),
      ),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', {
        'x-amz-target': 'dynamodb_20120810.putitem',
      }),
      raw('PutItem', '{"TableName":"$T","Item":{"pk":{"S":"a"}}}', { authorization: null }),
      raw('GetItem', '{"TableName":"$T","Key":{"pk":{"S":"a"}}}'),
    ],
  },
  {
    name: 'wire: wrong types in fields',
    steps: [
      table(),
      ...[
        { fails: true, TableName: ['$T'], Item: { pk: S('a') } },
        { fails: true, TableName: { x: 1 }, Item: { pk: S('a') } },
        { fails: true, TableName: true, Item: { pk: S('a') } },
        { fails: true, TableName: '$T', Item: [] },
        { fails: true, TableName: '$T', Item: 'a' },
        { fails: true, TableName: '$T', Item: { pk: S('a') }, ReturnValues: 1 },
        { TableName: '$T', Item: { pk: S('a') }, ConditionExpression: 5 },
        { fails: true, TableName: '$T', Item: { pk: S('a') }, ExpressionAttributeNames: [] },
        { fails: true, TableName: '$T', Item: { pk: S('a') }, ExpressionAttributeValues: 'x' },
        { fails: true, TableName: '$T', Item: { pk: S('a') }, Expected: [] },
        { TableName: '$T', Item: { pk: S('a') }, Unknown: 1 },
        { enum: true, TableName: '$T', Item: { pk: S('a') }, ReturnConsumedCapacity: 'ALL' },
        { TableName: '$T', Item: { pk: { S: null } } },
        { fails: true, TableName: '$T', Item: { pk: S('a'), n: { N: 1.5 } } },
        { fails: true, TableName: '$T', Item: { pk: S('a'), t: { BOOL: 'yes' } } },
        { fails: true, TableName: '$T', Item: { pk: S('a'), t: { BOOL: 1 } } },
      ].map(({ fails, enum: e, ...b }: Json) =>
        fails
          ? diverges('wrongJsonType', step('PutItem', b))
          : e
            ? diverges('enumValue', step('PutItem', b))
            : step('PutItem', b),
      ),
      diverges('wrongJsonType', step('Scan', { TableName: '$T', Limit: '5' })),
      diverges('wrongJsonType', step('Scan', { TableName: '$T', Limit: 1.5 })),
      diverges('wrongJsonType', step('Scan', { TableName: '$T', Limit: true })),
      diverges('wrongJsonType', step('Query', { TableName: '$T', KeyConditionExpression: ['pk = :p'] })),
      diverges(
        'wrongJsonType',
        step('CreateTable', {
          TableName: '$T2',
          KeySchema: 'pk',
          AttributeDefinitions: [],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
      diverges('wrongJsonType', step('BatchGetItem', { RequestItems: [] })),
      diverges('wrongJsonType', step('BatchWriteItem', { RequestItems: { $T: {} } })),
    ],
  },
];

export const batchCases: Case[] = [...writes, ...gets, ...wire];
