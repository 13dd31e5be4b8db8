import { describe, expect, it } from 'vitest';
import type { TableDescription } from './api.js';
import { keyInfo, keyOf } from './keys.js';
import { parseHash } from './route.js';

describe('the page address', () => {
  it('splits the hash into parts and a query, a key in DynamoDB JSON kept whole', () => {
    const key = JSON.stringify({ id: { S: 'a/b?c=d' }, n: { N: '12345678901234567890123456789012345678' } });
    const r = parseHash(`#/table/my%20table/item?key=${encodeURIComponent(key)}`);
    expect(r.parts).toEqual(['table', 'my table', 'item']);
    expect(r.query.get('key')).toBe(key);
    expect(parseHash('').parts).toEqual([]);
    expect(parseHash('#/').parts).toEqual([]);
  });
});

describe('keys of a table and its indexes', () => {
  const table: TableDescription = {
    TableName: 't',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'g', AttributeType: 'B' },
      { AttributeName: 'l', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }] }],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byL',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
      },
    ],
  };

  it('names each key and its type, for the table, a GSI and an LSI', () => {
    expect(keyInfo(table)).toEqual({ pk: 'pk', pkType: 'S', sk: 'sk', skType: 'N' });
    expect(keyInfo(table, 'byG')).toEqual({ pk: 'g', pkType: 'B' });
    expect(keyInfo(table, 'byL')).toEqual({ pk: 'pk', pkType: 'S', sk: 'l', skType: 'S' });
  });

  it('takes an item’s primary key (the table’s), whatever index it was read through', () => {
    expect(keyOf(table, { pk: { S: 'a' }, sk: { N: '1' }, g: { B: 'AA==' } })).toEqual({
      pk: { S: 'a' },
      sk: { N: '1' },
    });
  });
});
