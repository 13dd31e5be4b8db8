import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { engineClient } from '../testClient.js';

const T0 = 1_700_000_000_000;
const table = (name: string) =>
  new CreateTableCommand({
    TableName: name,
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
  });

describe('UpdateContinuousBackups / DescribeContinuousBackups', () => {
  it('is DISABLED on a new table, ENABLED with its restorable window once turned on, then off again', async () => {
    let now = T0;
    const { ddb } = engineClient({ clock: { now: () => now } });
    const created = await ddb.send(table('pitr'));
    const off = {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    };
    expect(
      (await ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'pitr' })))
        .ContinuousBackupsDescription,
    ).toEqual(off);

    const on = await ddb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'pitr',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    expect(on.ContinuousBackupsDescription).toEqual({
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: 'ENABLED',
        RecoveryPeriodInDays: 35,
        EarliestRestorableDateTime: new Date(T0),
        LatestRestorableDateTime: new Date(T0),
      },
    });
    // An hour later: restorable from when it was turned on to five minutes ago.
    now = T0 + 3_600_000;
    const later = await ddb.send(
      new DescribeContinuousBackupsCommand({ TableName: created.TableDescription?.TableArn }),
    );
    expect(later.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toEqual({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 35,
      EarliestRestorableDateTime: new Date(T0),
      LatestRestorableDateTime: new Date(now - 300_000),
    });
    // A shorter period moves the earliest point once it has passed.
    now = T0 + 3 * 86_400_000;
    const short = await ddb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'pitr',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 1 },
      }),
    );
    expect(short.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({
      RecoveryPeriodInDays: 1,
      EarliestRestorableDateTime: new Date(now - 86_400_000),
    });
    const disabled = await ddb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'pitr',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      }),
    );
    expect(disabled.ContinuousBackupsDescription).toEqual(off);
  });

  it("answers DynamoDB's errors: a missing table, a missing or out-of-range specification", async () => {
    const { ddb } = engineClient();
    await expect(ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'nope' }))).rejects.toMatchObject(
      {
        name: 'TableNotFoundException',
        message: 'Table not found: nope',
      },
    );
    await ddb.send(table('gone'));
    await ddb.send(new DeleteTableCommand({ TableName: 'gone' }));
    await expect(
      ddb.send(
        new UpdateContinuousBackupsCommand({
          TableName: 'gone',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ),
    ).rejects.toMatchObject({ name: 'TableNotFoundException', message: 'Table not found: gone' });
    await ddb.send(table('pitr'));
    await expect(
      ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'pitr' } as never)),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null",
    });
    await expect(
      ddb.send(
        new UpdateContinuousBackupsCommand({
          TableName: 'pitr',
          PointInTimeRecoverySpecification: { RecoveryPeriodInDays: 36 } as never,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null; Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 35",
    });
  });
});
