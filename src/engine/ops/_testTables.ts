/**
 * For the item operations' tests: the tables they probe DynamoDB Local with, created through the
 * SDK on the in-process door. `indexes` adds an LSI `lsi` (pk, l:N; KEYS_ONLY) and a GSI `gsi`
 * (g:S; INCLUDE x).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export async function createTestTable(
  ddb: DynamoDBClient,
  name: string,
  sortType: 'S' | 'N' | 'B',
  indexes = false,
): Promise<void> {
  const input: CreateTableCommandInput = {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: sortType },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
  if (indexes) {
    input.AttributeDefinitions!.push(
      { AttributeName: 'l', AttributeType: 'N' },
      { AttributeName: 'g', AttributeType: 'S' },
    );
    input.LocalSecondaryIndexes = [
      {
        IndexName: 'lsi',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'l', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ];
    input.GlobalSecondaryIndexes = [
      {
        IndexName: 'gsi',
        KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
      },
    ];
  }
  await ddb.send(new CreateTableCommand(input));
}
