import { describe, expect, it } from 'vitest';
import { createTableInputOf, LAB_DEFAULTS, labTableSpec, refuseDeleting } from './createTable.js';
import { createTableInput } from './tableSpec.js';

describe('refuseDeleting', () => {
  it('lets a table of any other status through, and refuses one DELETING with the way on', () => {
    for (const s of ['ACTIVE', 'CREATING', 'UPDATING', undefined] as const) {
      expect(() => refuseDeleting({ TableName: 'users', ...(s ? { TableStatus: s } : {}) })).not.toThrow();
    }
    expect(() => refuseDeleting({ TableName: 'users', TableStatus: 'DELETING' })).toThrow(
      expect.objectContaining({
        code: 'table.inUse',
        message:
          "table users is being deleted (DELETING): it can be neither reused nor created again until it is gone; run 'ddbctl wait users --for deleted', then this command again",
      }),
    );
  });
});

describe('the lab table and createTable options go through the one spec builder', () => {
  it('builds the lab table: username (S), provisioned 5/5, its tags', () => {
    expect(createTableInputOf({ tableName: 'Users', tags: LAB_DEFAULTS.tags })).toEqual(
      createTableInput(labTableSpec()),
    );
    expect(createTableInput(labTableSpec('Lab1'))).toEqual({
      TableName: 'Lab1',
      AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      Tags: [
        { Key: 'Project', Value: 'ddbctl-lab' },
        { Key: 'Environment', Value: 'dev' },
        { Key: 'ManagedBy', Value: 'ddbctl' },
      ],
    });
  });

  it('takes keys, on-demand billing and no tags, and checks the name before anything is sent', () => {
    expect(
      createTableInputOf({
        tableName: 'events',
        partitionKey: { name: 'id', type: 'S' },
        sortKey: { name: 'at', type: 'N' },
        throughput: 'on-demand',
      }),
    ).toEqual({
      TableName: 'events',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'at', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'id', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(() => createTableInputOf({ tableName: 'x' })).toThrow(
      expect.objectContaining({ code: 'input.tableName' }),
    );
  });
});
