import {
  CreateTableCommand,
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { engineClient } from '../testClient.js';

const policy = (action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: action, Resource: '*' }],
  });

async function table(name: string, more: Record<string, unknown> = {}) {
  let now = 1_700_000_000_000;
  const { ddb } = engineClient({ clock: { now: () => now++ } });
  const out = await ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...more,
    }),
  );
  return { ddb, arn: out.TableDescription?.TableArn as string };
}

describe('PutResourcePolicy / GetResourcePolicy / DeleteResourcePolicy', () => {
  it('puts, reads, replaces and deletes a policy, with revisions as DynamoDB keeps them', async () => {
    const { ddb, arn } = await table('pol');
    const missing = {
      name: 'PolicyNotFoundException',
      message: `Resource-based policy not found for the provided ResourceArn: ${arn}`,
    };
    await expect(ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).rejects.toMatchObject(missing);
    const first = await ddb.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: policy('dynamodb:DeleteTable'),
        ExpectedRevisionId: 'NO_POLICY',
      }),
    );
    expect(first.RevisionId).toMatch(/^\d+$/);
    expect(await ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).toMatchObject({
      Policy: policy('dynamodb:DeleteTable'),
      RevisionId: first.RevisionId,
    });
    // The same policy again: the same revision (idempotent).
    const again = await ddb.send(
      new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy('dynamodb:DeleteTable') }),
    );
    expect(again.RevisionId).toBe(first.RevisionId);
    // NO_POLICY, or a revision that is not the current one: PolicyNotFoundException, nothing changed.
    for (const ExpectedRevisionId of ['NO_POLICY', '123']) {
      await expect(
        ddb.send(
          new PutResourcePolicyCommand({
            ResourceArn: arn,
            Policy: policy('dynamodb:PutItem'),
            ExpectedRevisionId,
          }),
        ),
      ).rejects.toMatchObject(missing);
    }
    const second = await ddb.send(
      new PutResourcePolicyCommand({
        ResourceArn: arn,
        Policy: policy('dynamodb:PutItem'),
        ExpectedRevisionId: first.RevisionId,
      }),
    );
    expect(Number(second.RevisionId)).toBeGreaterThan(Number(first.RevisionId));
    await expect(
      ddb.send(new DeleteResourcePolicyCommand({ ResourceArn: arn, ExpectedRevisionId: first.RevisionId })),
    ).rejects.toMatchObject(missing);
    expect(await ddb.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }))).toMatchObject({
      RevisionId: second.RevisionId,
    });
    await expect(ddb.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }))).rejects.toMatchObject(
      missing,
    );
  });

  it("keeps CreateTable's ResourcePolicy; refuses a missing table, a policy over 20 KB or not JSON", async () => {
    const { ddb, arn } = await table('pol', { ResourcePolicy: policy('dynamodb:DeleteTable') });
    expect((await ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }))).Policy).toBe(
      policy('dynamodb:DeleteTable'),
    );
    const none = arn.replace('table/pol', 'table/none');
    await expect(ddb.send(new GetResourcePolicyCommand({ ResourceArn: none }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      ddb.send(
        new PutResourcePolicyCommand({ ResourceArn: arn, Policy: `{"x":"${'y'.repeat(20 * 1024)}"}` }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('20 KB') });
    await expect(
      ddb.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: 'nope' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
