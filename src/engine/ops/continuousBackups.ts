/**
 * UpdateContinuousBackups / DescribeContinuousBackups: point-in-time recovery's setting, kept in
 * the table's meta (`extra.pitr`: when it was turned on, and the recovery period). DynamoDB Local
 * has no continuous backups (UnknownOperationException), so the answers follow DynamoDB's API
 * reference: continuous backups are ENABLED on every table; PointInTimeRecoveryStatus ENABLED or
 * DISABLED; once enabled, EarliestRestorableDateTime (the later of the time it was turned on and
 * the start of the recovery period), LatestRestorableDateTime (typically 5 minutes before now) and
 * RecoveryPeriodInDays (1–35, 35 by default). No restore is offered: the engine keeps no history.
 */
import type { TableMeta } from '../catalog.js';
import type { OpContext, Operation } from '../context.js';
import { EngineError } from '../errors.js';
import { Constraints, checkShape, long } from '../shape.js';
import { putMeta, seconds } from './_tables.js';

/** What `extra.pitr` holds while point-in-time recovery is on. */
interface PitrMeta {
  /** ms since epoch. */
  since: number;
  days: number;
}

/** DynamoDB's recovery period: 1 to 35 days, 35 unless set. */
const MAX_DAYS = 35;
const DAY_MS = 86_400_000;
/** "LatestRestorableDateTime is typically 5 minutes before the current time" (API reference). */
const LAG_MS = 5 * 60_000;

/**
 * The table a TableName (a name, or the table's ARN, as DynamoDB accepts here) names. NOTE: these
 * operations answer a missing table with TableNotFoundException "Table not found: NAME", not the
 * ResourceNotFoundException of the other table operations (API reference, DescribeContinuousBackups).
 */
function tableOf(ctx: OpContext, input: Record<string, unknown>, c: Constraints): TableMeta {
  c.notNull(input.TableName, 'tableName');
  c.length(input.TableName, 'tableName', 1, 1024);
  c.throwIfAny();
  const given = input.TableName as string;
  const name = given.startsWith('arn:') ? given.slice(given.indexOf(':table/') + 7) : given;
  const meta = ctx.findTable(name);
  if (!meta || (given.startsWith('arn:') && meta.arn !== given)) {
    throw new EngineError('TableNotFoundException', `Table not found: ${name}`);
  }
  return meta;
}

function description(ctx: OpContext, meta: TableMeta): Record<string, unknown> {
  const pitr = meta.extra.pitr as PitrMeta | undefined;
  if (!pitr) {
    return {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    };
  }
  const now = ctx.clock.now();
  const earliest = Math.max(pitr.since, now - pitr.days * DAY_MS);
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: pitr.days,
      EarliestRestorableDateTime: seconds(earliest),
      // NOTE: never before the earliest: just after it is turned on, both are that moment.
      LatestRestorableDateTime: seconds(Math.max(earliest, now - LAG_MS)),
    },
  };
}

export const describeContinuousBackups: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string' } });
  return { ContinuousBackupsDescription: description(ctx, tableOf(ctx, input, new Constraints())) };
};

export const updateContinuousBackups: Operation = (ctx, input) => {
  checkShape(input, {
    struct: {
      TableName: 'string',
      PointInTimeRecoverySpecification: {
        struct: { PointInTimeRecoveryEnabled: 'boolean', RecoveryPeriodInDays: 'long' },
      },
    },
  });
  const spec = input.PointInTimeRecoverySpecification as
    | { PointInTimeRecoveryEnabled?: boolean; RecoveryPeriodInDays?: number }
    | undefined;
  const c = new Constraints();
  c.notNull(spec, 'pointInTimeRecoverySpecification');
  if (spec) {
    const path = 'pointInTimeRecoverySpecification';
    c.notNull(spec.PointInTimeRecoveryEnabled, `${path}.pointInTimeRecoveryEnabled`);
    const days = long(spec.RecoveryPeriodInDays);
    c.atLeast(days, `${path}.recoveryPeriodInDays`, 1);
    if (days !== undefined && days > MAX_DAYS) {
      c.fail(
        days,
        `${path}.recoveryPeriodInDays`,
        `Member must have value less than or equal to ${MAX_DAYS}`,
      );
    }
  }
  const meta = tableOf(ctx, input, c);
  const enabled = spec?.PointInTimeRecoveryEnabled === true;
  const was = meta.extra.pitr as PitrMeta | undefined;
  const extra = { ...meta.extra };
  if (enabled) {
    // Turned on again, it keeps its start (the history is the same); a new period applies at once.
    extra.pitr = {
      since: was?.since ?? ctx.clock.now(),
      days: long(spec?.RecoveryPeriodInDays) ?? was?.days ?? MAX_DAYS,
    } satisfies PitrMeta;
  } else delete extra.pitr;
  const next = { ...meta, extra };
  ctx.store.commit([putMeta(next)]);
  return { ContinuousBackupsDescription: description(ctx, next) };
};
