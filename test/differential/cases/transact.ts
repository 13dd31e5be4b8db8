// TransactWriteItems and TransactGetItems: success paths, every cancellation reason, idempotency
// (ClientRequestToken), limits, requests refused, and consumed capacity.
import type { Case, Step } from '../harness.js';
import { diverges, N, S, scan, seed, step, table } from './_common.js';

type Json = Record<string, unknown>;

const tw = (TransactItems: unknown, more: Json = {}, s: Partial<Step> = {}): Step =>
  step('TransactWriteItems', { TransactItems, ...more }, s);
const tg = (TransactItems: unknown, more: Json = {}, s: Partial<Step> = {}): Step =>
  step('TransactGetItems', { TransactItems, ...more }, s);
const Put = (Item: Json, more: Json = {}, TableName = '$T') => ({ Put: { TableName, Item, ...more } });
const Del = (Key: Json, more: Json = {}, TableName = '$T') => ({ Delete: { TableName, Key, ...more } });
const Upd = (Key: Json, UpdateExpression: string, more: Json = {}, TableName = '$T') => ({
  Update: { TableName, Key, UpdateExpression, ...more },
});
const Check = (Key: Json, ConditionExpression: string, more: Json = {}, TableName = '$T') => ({
  ConditionCheck: { TableName, Key, ConditionExpression, ...more },
});
const Get = (Key: Json, more: Json = {}, TableName = '$T') => ({ Get: { TableName, Key, ...more } });
const k = (pk: string) => ({ pk: S(pk) });
/** A Put of item a that the seeded a fails. */
const putIfNew = {
  Put: { TableName: '$T', Item: { pk: S('a') }, ConditionExpression: 'attribute_not_exists(pk)' },
};
const k2 = (pk: string, sk: string) => ({ pk: S(pk), sk: N(sk) });
/** $T2: keyed by pk and sk. */
const table2 = (): Step => table('S', 'N', {}, '$T2');
const scan2 = (): Step => step('Scan', { TableName: '$T2' });
const GSI = {
  AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'gi',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
};

const writes: Case[] = [
  {
    name: 'transact write: put, update, delete and check across two tables',
    steps: [
      table(),
      table2(),
      ...seed({ pk: S('gone'), v: N('1') }, { pk: S('kept'), v: N('5') }),
      tw([
        Put({ pk: S('new'), v: N('1.50'), s: { SS: ['b', 'a', 'b'] } }),
        Upd(
          k2('x', '1'),
          'SET n = if_not_exists(n, :z) + :one',
          {
            ExpressionAttributeValues: { ':z': N('0'), ':one': N('1') },
          },
          '$T2',
        ),
        Del(k('gone'), { ConditionExpression: 'attribute_exists(pk)' }),
        Check(k('kept'), 'v = :five', { ExpressionAttributeValues: { ':five': N('5') } }),
      ]),
      scan(),
      scan2(),
      diverges(
        'transactUpdateError',
        tw([Upd(k2('x', '1'), 'SET n = n + :one', { ExpressionAttributeValues: { ':one': N('1') } }, '$T2')]),
      ),
      tw([Del(k('never'))]),
      tw([Put(k('same'), {}, '$T'), Put({ pk: S('same'), sk: N('1') }, {}, '$T2')]),
      scan(),
      scan2(),
    ],
  },
  {
    name: 'transact write: cancellation reasons, nothing written',
    steps: [
      table(),
      table2(),
      ...seed({ pk: S('a'), v: N('1'), s: S('text') }, { pk: S('b'), v: N('2') }),
      // A failed check, with and without the old item asked back.
      tw([
        Check(k('a'), 'v = :two', {
          ExpressionAttributeValues: { ':two': N('2') },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        Put({ pk: S('c') }),
        Check(k('b'), 'v = :one', { ExpressionAttributeValues: { ':one': N('1') } }),
      ]),
      // A condition on a missing item, ALL_OLD: no item to give.
      tw([
        Put(
          { pk: S('d') },
          { ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        ),
      ]),
      tw([
        Del(k('a'), {
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ]),
      // An update that fails on the item's value.
      diverges(
        'transactUpdateError',
        tw([
          Put({ pk: S('c') }),
          Upd(k('a'), 'SET s = s + :one', { ExpressionAttributeValues: { ':one': N('1') } }),
        ]),
      ),
      diverges(
        'transactUpdateError',
        tw([Upd(k('a'), 'ADD s :one', { ExpressionAttributeValues: { ':one': N('1') } })]),
      ),
      diverges(
        'transactUpdateError',
        tw([Upd(k('a'), 'SET l[0] = :one', { ExpressionAttributeValues: { ':one': N('1') } })]),
      ),
      // A key attribute updated.
      tw([Upd(k('a'), 'SET pk = :x', { ExpressionAttributeValues: { ':x': S('x') } })]),
      // Both a failed condition and a failed update.
      diverges(
        'transactUpdateError',
        tw([
          Upd(k('a'), 'SET s = s + :one', { ExpressionAttributeValues: { ':one': N('1') } }),
          Check(k('b'), 'v = :one', { ExpressionAttributeValues: { ':one': N('1') } }),
        ]),
      ),
      // A condition that fails with an update that would fail too.
      tw([
        Upd(k('a'), 'SET s = s + :one', {
          ConditionExpression: 'v = :one',
          ExpressionAttributeValues: { ':one': N('2') },
        }),
      ]),
      // An update that makes the item too large.
      diverges(
        'transactUpdateError',
        tw([
          Upd(k('a'), 'SET big = :big', { ExpressionAttributeValues: { ':big': S('x'.repeat(400 * 1024)) } }),
        ]),
      ),
      // Keys of the wrong type: a Put's is a cancellation reason.
      tw([Put({ pk: S('e') }), Put({ pk: N('1') })]),
      tw([Del({ pk: N('1') })]),
      tw([Check({ pk: N('1') }, 'attribute_exists(pk)')]),
      tw([Upd({ pk: N('1') }, 'SET v = :v', { ExpressionAttributeValues: { ':v': N('1') } })]),
      tw([Put({ pk: S('x'), sk: S('1') }, {}, '$T2')]),
      scan(),
    ],
  },
  {
    name: 'transact write: requests refused',
    steps: [
      table(),
      table2(),
      ...seed({ pk: S('a'), v: N('1') }),
      step('TransactWriteItems', {}),
      tw([]),
      tw(Array.from({ length: 101 }, (_, i) => Put({ pk: S(`k${i}`) }))),
      tw([{}]),
      tw([{ Put: { TableName: '$T', Item: k('x') }, Delete: { TableName: '$T', Key: k('y') } }]),
      tw([Put(k('x'), {}, '$T3')]),
      tw([Put(k('x')), Put(k('y'), {}, '$T3')]),
      tw([Put(k('x')), Del(k('x'))]),
      tw([Put(k('x')), Check(k('x'), 'attribute_exists(pk)')]),
      tw([Check(k('a'), 'attribute_exists(pk)'), Check(k('a'), 'attribute_exists(v)')]),
      tw([Put({ v: S('no key') })]),
      tw([Put({ pk: N('1') })]),
      tw([Del({ pk: S('a'), v: N('1') })]),
      tw([Put({ pk: S('x'), big: S('x'.repeat(400 * 1024)) })]),
      tw(Array.from({ length: 11 }, (_, i) => Put({ pk: S(`big${i}`), big: S('x'.repeat(390 * 1024)) }))),
      tw([Check(k('a'), 'v = = 1')]),
      tw([Check(k('a'), 'v = :v', { ExpressionAttributeValues: { ':v': N('1'), ':w': N('2') } })]),
      tw([Check(k('a'), 'v = :v')]),
      tw([{ ConditionCheck: { TableName: '$T', Key: k('a') } }]),
      diverges('transactUpdateExpressionRequired', tw([{ Update: { TableName: '$T', Key: k('a') } }])),
      tw([{ Put: { TableName: '$T' } }]),
      tw([{ Delete: { TableName: '$T' } }]),
      tw([{ Put: { Item: k('a') } }]),
      tw([Put(k('a'), { ExpressionAttributeValues: { ':v': N('1') } })]),
      tw([
        Upd(k('a'), 'SET v = :v', {
          ExpressionAttributeValues: { ':v': N('1') },
          ReturnValuesOnConditionCheckFailure: 'SOME',
        }),
      ]),
      tw([Put(k('a'))], { ClientRequestToken: 'x'.repeat(37) }),
      // DynamoDB Local takes these: the condition keeps it from writing there.
      diverges('transactEmptyToken', tw([putIfNew], { ClientRequestToken: '' })),
      diverges('enumValue', tw([putIfNew], { ReturnConsumedCapacity: 'SOME' })),
      diverges('enumValue', tw([putIfNew], { ReturnItemCollectionMetrics: 'SOME' })),
      diverges('wrongJsonType', tw('x')),
      tw([Put(k('a'), {}, 'ab')]),
      scan(),
    ],
  },
  {
    name: 'transact write: ClientRequestToken',
    steps: [
      table(),
      tw([Put({ pk: S('a'), v: N('1') }, { ConditionExpression: 'attribute_not_exists(pk)' })], {
        ClientRequestToken: 'tok-1',
      }),
      // The same request again: success, nothing written again (the condition would fail now).
      tw([Put({ pk: S('a'), v: N('1') }, { ConditionExpression: 'attribute_not_exists(pk)' })], {
        ClientRequestToken: 'tok-1',
      }),
      tw([Put({ pk: S('a'), v: N('1') }, { ConditionExpression: 'attribute_not_exists(pk)' })], {
        ClientRequestToken: 'tok-1',
        ReturnConsumedCapacity: 'TOTAL',
      }),
      // The same token, another request.
      tw([Put({ pk: S('a'), v: N('2') })], { ClientRequestToken: 'tok-1' }),
      tw([Put({ pk: S('a'), v: N('1') }, { ConditionExpression: 'attribute_not_exists(pk)' })], {
        ClientRequestToken: 'tok-1',
        ReturnItemCollectionMetrics: 'SIZE',
      }),
      // Without a token, the condition is evaluated again.
      tw([Put({ pk: S('a'), v: N('1') }, { ConditionExpression: 'attribute_not_exists(pk)' })]),
      // A cancelled transaction's token.
      tw([Put({ pk: S('b') }, { ConditionExpression: 'attribute_exists(pk)' })], {
        ClientRequestToken: 'tok-2',
      }),
      tw([Put({ pk: S('b') })], { ClientRequestToken: 'tok-2' }),
      scan(),
    ],
  },
  {
    name: 'transact write: consumed capacity',
    steps: [
      table('S', undefined, GSI),
      table2(),
      ...seed({ pk: S('big'), g: S('g'), v: S('x'.repeat(3000)) }, { pk: S('small'), v: N('1') }),
      tw([Put({ pk: S('a'), g: S('g') }), Put({ pk: S('a'), sk: N('1') }, {}, '$T2')], {
        ReturnConsumedCapacity: 'TOTAL',
      }),
      tw([Put({ pk: S('b'), g: S('g'), v: S('x'.repeat(1500)) }), Del(k('small'))], {
        ReturnConsumedCapacity: 'INDEXES',
      }),
      tw([Check(k('big'), 'attribute_exists(pk)'), Del(k('never'))], { ReturnConsumedCapacity: 'INDEXES' }),
      tw([Upd(k('big'), 'SET g = :h', { ExpressionAttributeValues: { ':h': S('h') } })], {
        ReturnConsumedCapacity: 'INDEXES',
      }),
      tw([Put(k('c'))], { ReturnConsumedCapacity: 'NONE', ReturnItemCollectionMetrics: 'SIZE' }),
      tw([Check(k('big'), 'attribute_not_exists(pk)')], { ReturnConsumedCapacity: 'TOTAL' }),
    ],
  },
];

const LSI = {
  AttributeDefinitions: [{ AttributeName: 'l', AttributeType: 'S' }],
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
};

writes.push({
  name: 'transact write: item collection metrics on a table with an LSI',
  steps: [
    table('S', 'N', LSI),
    diverges(
      'itemCollectionMetrics',
      tw([Put({ pk: S('a'), sk: N('1'), l: S('x') }), Check(k2('b', '1'), 'attribute_not_exists(pk)')], {
        ReturnItemCollectionMetrics: 'SIZE',
        ReturnConsumedCapacity: 'INDEXES',
      }),
    ),
    tw([Del(k2('a', '1'))], { ReturnItemCollectionMetrics: 'NONE', ReturnConsumedCapacity: 'INDEXES' }),
  ],
});

const gets: Case[] = [
  {
    name: 'transact get: items in order, projections, capacity',
    steps: [
      table(),
      table2(),
      ...seed({ pk: S('a'), v: N('1'), w: S('w') }, { pk: S('big'), v: S('x'.repeat(5000)) }),
      {
        ...step('PutItem', { TableName: '$T2', Item: { pk: S('a'), sk: N('1'), m: { M: { x: N('1') } } } }),
        setup: true,
      },
      tg([Get(k('a')), Get(k('missing')), Get(k2('a', '1'), {}, '$T2')]),
      tg([
        Get(k('a'), { ProjectionExpression: 'v' }),
        Get(k2('a', '1'), { ProjectionExpression: '#m.x', ExpressionAttributeNames: { '#m': 'm' } }, '$T2'),
      ]),
      tg([Get(k('a')), Get(k('big')), Get(k('missing')), Get(k2('a', '1'), {}, '$T2')], {
        ReturnConsumedCapacity: 'TOTAL',
      }),
      tg([Get(k('a'))], { ReturnConsumedCapacity: 'INDEXES' }),
    ],
  },
  {
    name: 'transact get: requests refused',
    steps: [
      table(),
      step('TransactGetItems', {}),
      diverges('transactGetItemsNull', tg([])),
      tg(Array.from({ length: 101 }, (_, i) => Get(k(`k${i}`)))),
      tg(Array.from({ length: 100 }, (_, i) => Get(k(`k${i}`)))),
      diverges('transactGetItemsNull', tg([{}])),
      tg([Get(k('a')), Get(k('a'))]),
      tg([Get(k('a'), {}, '$T3')]),
      tg([Get({ pk: N('1') })]),
      tg([Get({ pk: S('a'), x: S('b') })]),
      tg([Get(k('a'), { ProjectionExpression: 'v', ExpressionAttributeNames: { '#w': 'w' } })]),
      tg([Get(k('a'), { ProjectionExpression: 'v,' })]),
      tg([{ Get: { TableName: '$T' } }]),
      diverges('enumValue', tg([Get(k('a'))], { ReturnConsumedCapacity: 'SOME' })),
      tg([Get(k('a'))], { ClientRequestToken: 'x' }),
    ],
  },
];

export const transactCases: Case[] = [...writes, ...gets];
