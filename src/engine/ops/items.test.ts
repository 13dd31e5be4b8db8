import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { engineClient } from '../testClient.js';

async function table(ddb: DynamoDBClient, name = 'tab1', rangeType: 'N' | 'S' | 'B' = 'N') {
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: rangeType },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

describe('PutItem / GetItem', () => {
  it('stores an item and answers it whole, numbers normalised', async () => {
    const { ddb } = engineClient();
    await table(ddb);
    await ddb.send(
      new PutItemCommand({ TableName: 'tab1', Item: { pk: { S: 'a' }, sk: { N: '01.0' }, x: { N: '1e3' } } }),
    );
    const got = await ddb.send(
      new GetItemCommand({ TableName: 'tab1', Key: { pk: { S: 'a' }, sk: { N: '1' } } }),
    );
    expect(got.Item).toEqual({ pk: { S: 'a' }, sk: { N: '1' }, x: { N: '1000' } });
  });
});
