import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { DdbError } from '../errors.js';
import type { Item } from './codec.js';
import { checkKeyAttributes, checkKeyTypes, describedKeySchema } from './keySchema.js';

describe('describedKeySchema', () => {
  it("reads a table's keys and their types from DescribeTable's answer", () => {
    expect(
      describedKeySchema({
        TableName: 'orders',
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'created', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'type', AttributeType: 'S' },
          { AttributeName: 'created', AttributeType: 'N' },
          { AttributeName: 'customer', AttributeType: 'S' },
        ],
      }),
    ).toEqual({
      table: 'orders',
      partitionKey: { name: 'customer', type: 'S' },
      sortKey: { name: 'created', type: 'N' },
    });
  });

  it('refuses a key attribute the answer gives no type, rather than guess S (a get would then miss an item that is there)', () => {
    // moto's answer after an UpdateTable that added a GSI: only the GSI's attribute is defined.
    expect(() =>
      describedKeySchema({
        TableName: 'orders',
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'created', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [{ AttributeName: 'type', AttributeType: 'S' }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'service.error',
        message:
          'DescribeTable of orders gives key attributes "customer" and "created" no type (missing from its AttributeDefinitions), so ddbctl cannot tell how to send its keys; the endpoint\'s description of the table is wrong (moto loses AttributeDefinitions after an UpdateTable that adds a GSI): re-create the table there, or use another endpoint',
      }),
    );
    expect(() => describedKeySchema({ TableName: 'empty' })).toThrow(
      'DescribeTable of empty returned no key schema',
    );
  });
});

describe('checkKeyTypes', () => {
  it("an index's keys too (query reads them): each must have its type", () => {
    const d = { AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' as const }] };
    expect(() => checkKeyTypes(d, ['g'], 'Mot')).not.toThrow();
    expect(() => checkKeyTypes(d, ['id', 's'], 'Mot')).toThrow(
      'DescribeTable of Mot gives key attributes "id" and "s" no type',
    );
  });
});

describe('index keys', () => {
  const described = describedKeySchema({
    TableName: 'users',
    KeySchema: [
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'at', AttributeType: 'N' },
      { AttributeName: 'email', AttributeType: 'S' },
      { AttributeName: 'rank', AttributeType: 'N' },
      { AttributeName: 'pic', AttributeType: 'B' },
      { AttributeName: 'old', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byEmail',
        IndexStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: 'email', KeyType: 'HASH' },
          { AttributeName: 'rank', KeyType: 'RANGE' },
        ],
      },
      { IndexName: 'gone', IndexStatus: 'DELETING', KeySchema: [{ AttributeName: 'old', KeyType: 'HASH' }] },
      // The table's own key again: checked as the table's.
      { IndexName: 'byAt', IndexStatus: 'CREATING', KeySchema: [{ AttributeName: 'at', KeyType: 'HASH' }] },
      // The table's partition key as an index's sort key: 1024 bytes there.
      {
        IndexName: 'byRankId',
        IndexStatus: 'ACTIVE',
        KeySchema: [
          { AttributeName: 'rank', KeyType: 'HASH' },
          { AttributeName: 'id', KeyType: 'RANGE' },
        ],
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byPic',
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'pic', KeyType: 'RANGE' },
        ],
      },
    ],
  });

  it('are read from the description: the GSIs and LSIs not being deleted, without the table keys', () => {
    expect(described.indexKeys).toEqual([
      { name: 'email', type: 'S', index: 'byEmail', role: 'partition' },
      { name: 'rank', type: 'N', index: 'byEmail', role: 'sort' },
      { name: 'rank', type: 'N', index: 'byRankId', role: 'partition' },
      { name: 'id', type: 'S', index: 'byRankId', role: 'sort', tableKey: true },
      { name: 'pic', type: 'B', index: 'byPic', role: 'sort' },
    ]);
  });

  const base = { id: 'u1', at: new NumberValue('1') };
  const check = (extra: Item) => () => checkKeyAttributes({ ...base, ...extra }, described, 'line 7');

  it('an item may leave them out, or give them their type within the key sizes', () => {
    expect(check({})).not.toThrow();
    expect(
      check({
        email: 'a'.repeat(2048),
        rank: new NumberValue('-1E-130'),
        pic: new Uint8Array(1024),
        old: 5 as never,
      }),
    ).not.toThrow();
  });

  it('are refused, before any request, of another type, empty or over the size, as DynamoDB would refuse the write', () => {
    const msg = (extra: Item) => {
      try {
        check(extra)();
      } catch (e) {
        expect((e as DdbError).code).toBe('input.key');
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg({ email: new NumberValue('5') })).toBe(
      'line 7: attribute "email" is the partition key of index byEmail of table users and must be of type S; give it that type, or leave it out (an item without it is not in that index)',
    );
    expect(msg({ rank: 'high' })).toContain(
      '"rank" is the sort key of index byEmail of table users and must be of type N',
    );
    expect(msg({ email: { nested: 'x' } as never })).toContain('must be of type S');
    expect(msg({ email: '' })).toBe(
      'line 7: attribute "email" is the partition key of index byEmail of table users and must be 1–2048 bytes, not 0 (empty); leave it out instead (an item without it is not in that index)',
    );
    expect(msg({ email: 'é'.repeat(1025) })).toBe(
      'line 7: attribute "email" is the partition key of index byEmail of table users and must be 1–2048 bytes, not 2050; shorten it, or leave it out (an item without it is not in that index)',
    );
    expect(msg({ pic: new Uint8Array(1025) })).toContain(
      '"pic" is the sort key of index byPic of table users and must be 1–1024 bytes, not 1025',
    );
    expect(msg({ pic: new Uint8Array(0) })).toContain('not 0 (empty)');
  });

  it("hold the table's partition key to an index's sort key size, whether or not the item is in that index (as DynamoDB Local does)", () => {
    const long = { ...base, id: 'i'.repeat(1025) };
    const msg =
      'line 7: key attribute "id" of table users is also the sort key of index byRankId, and must be 1–1024 bytes there, not 1025; shorten it';
    expect(() => checkKeyAttributes(long, described, 'line 7')).toThrow(msg);
    expect(() => checkKeyAttributes({ ...long, rank: new NumberValue('1') }, described, 'line 7')).toThrow(
      msg,
    );
    expect(() => checkKeyAttributes({ ...base, id: 'i'.repeat(1024) }, described, 'line 7')).not.toThrow();
  });

  it('are not a key: a get, delete or update key is checked against the table key alone', () => {
    expect(() => checkKeyAttributes(base, described, 'key', true)).not.toThrow();
  });
});

describe('key attributes named as a JavaScript object’s own members', () => {
  const described = describedKeySchema({
    TableName: 'proto',
    KeySchema: [{ AttributeName: 'constructor', KeyType: 'HASH' }],
    AttributeDefinitions: [
      { AttributeName: 'constructor', AttributeType: 'S' },
      { AttributeName: 'toString', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byString',
        IndexStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'toString', KeyType: 'HASH' }],
      },
    ],
  });

  it('are read from the item alone: missing when the item lacks them, an index key left out', () => {
    expect(() => checkKeyAttributes({ other: 'a' }, described, 'line 3')).toThrow(
      'line 3: the partition key attribute "constructor" is missing',
    );
    expect(() => checkKeyAttributes({ constructor: 'a' } as Item, described, 'line 3')).not.toThrow();
  });
});
