import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DYNALITE_CAPS, DYNAMODB_LOCAL_CAPS } from '../spec/caps.js';
import { cloneTableInput } from './copyTable.js';

/** A DescribeTable answer for an on-demand table with limits on the table and its GSI. */
const source: TableDescription = {
  TableName: 'Src',
  TableStatus: 'ACTIVE',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'g', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
  ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
  OnDemandThroughput: { MaxReadRequestUnits: 77, MaxWriteRequestUnits: 66 },
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  DeletionProtectionEnabled: false,
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byG',
      IndexStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      OnDemandThroughput: { MaxReadRequestUnits: 55, MaxWriteRequestUnits: 44 },
    },
  ],
};

describe('cloneTableInput', () => {
  it("carries the source's settings that CreateTable takes: on-demand limits of table and GSIs, stream", () => {
    const { input, notCarried } = cloneTableInput(source, 'Dst');
    expect(notCarried).toEqual([]);
    expect(input).toMatchObject({
      TableName: 'Dst',
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: { MaxReadRequestUnits: 77, MaxWriteRequestUnits: 66 },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [
        { IndexName: 'byG', OnDemandThroughput: { MaxReadRequestUnits: 55, MaxWriteRequestUnits: 44 } },
      ],
    });
    expect(input.ProvisionedThroughput).toBeUndefined();
  });

  it('names what an engine without them (dynalite) does not take, and leaves it out', () => {
    const { input, notCarried } = cloneTableInput(source, 'Dst', DYNALITE_CAPS);
    expect(notCarried).toEqual(['on-demand throughput limits', 'stream']);
    expect(input.OnDemandThroughput).toBeUndefined();
    expect(input.GlobalSecondaryIndexes?.[0]?.OnDemandThroughput).toBeUndefined();
    expect(input.StreamSpecification).toBeUndefined();
  });

  it('names a table class, warm throughput and a KMS key an engine drops (DynamoDB Local), in that order', () => {
    const { input, notCarried } = cloneTableInput(
      {
        ...source,
        TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS' },
        DeletionProtectionEnabled: true,
        WarmThroughput: { ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 5000, Status: 'ACTIVE' },
        SSEDescription: {
          Status: 'ENABLED',
          SSEType: 'KMS',
          KMSMasterKeyArn: 'arn:aws:kms:us-east-1:1:key/k',
        },
      },
      'Dst',
      DYNAMODB_LOCAL_CAPS,
    );
    expect(notCarried).toEqual([
      'warm throughput',
      'table class STANDARD_INFREQUENT_ACCESS',
      'encryption with a KMS key',
    ]);
    expect(input.DeletionProtectionEnabled).toBe(true);
    expect(input.TableClass).toBeUndefined();
    expect(input.WarmThroughput).toBeUndefined();
    expect(input.SSESpecification).toBeUndefined();
  });
});
