import { CreateTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { engineClient } from '../testClient.js';

const KEY_ARN =
  /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

async function sseOf(KMSMasterKeyId?: string) {
  const { ddb } = engineClient();
  const out = await ddb.send(
    new CreateTableCommand({
      TableName: 'sse',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { Enabled: true, SSEType: 'KMS', ...(KMSMasterKeyId ? { KMSMasterKeyId } : {}) },
    }),
  );
  return { ddb, sse: out.TableDescription?.SSEDescription };
}

describe('SSEDescription as DynamoDB describes it', () => {
  it("names the key by its ARN: a key id or ARN as given, an alias and the AWS managed key resolved to a key's ARN", async () => {
    expect((await sseOf('1234abcd-12ab-34cd-56ef-1234567890ab')).sse).toEqual({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect((await sseOf(arn)).sse?.KMSMasterKeyArn).toBe(arn);
    const alias = (await sseOf('alias/users')).sse?.KMSMasterKeyArn;
    expect(alias).toMatch(KEY_ARN);
    // The same alias, as an ARN or not, is the same key; the AWS managed key is another.
    expect((await sseOf('arn:aws:kms:us-east-1:000000000000:alias/users')).sse?.KMSMasterKeyArn).toBe(alias);
    const managed = (await sseOf()).sse?.KMSMasterKeyArn;
    expect(managed).toMatch(KEY_ARN);
    expect(managed).not.toBe(alias);
    // Back to the AWS owned key: no SSEDescription.
    const { ddb } = await sseOf('alias/users');
    const off = await ddb.send(
      new UpdateTableCommand({ TableName: 'sse', SSESpecification: { Enabled: false } }),
    );
    expect(off.TableDescription?.SSEDescription).toBeUndefined();
  });
});
