import { describe, expect, it } from 'vitest';
import { checkKeyTypes, describedKeySchema } from './keySchema.js';

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
