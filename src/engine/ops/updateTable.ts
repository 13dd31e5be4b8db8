/**
 * UpdateTable: throughput and billing mode with DynamoDB's rules, and the settings described back
 * (deletion protection, table class, encryption, on-demand and warm throughput). The table is
 * UPDATING for `transitionMs` when its capacity or billing changes; a stream is enabled or disabled
 * (streams/lifecycle.ts). A GSI created is backfilled in the background, the table UPDATING until
 * it is ACTIVE; a GSI deleted is DELETING for `transitionMs` (_gsiChanges.ts, indexes/backfill.ts).
 */
import { type IndexMeta, indexTree, type TableMeta } from '../catalog.js';
import type { Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import { backfillNow, startBackfill } from '../indexes/backfill.js';
import { Constraints, checkShape, type Shape } from '../shape.js';
import { checkStreamSpec, streamConstraints, updateStream } from '../streams/lifecycle.js';
import type { AttributeDefinition } from '../types.js';
import { checkGsiChange, type GsiChange, keyDefinitions } from './_gsiChanges.js';
import { checkTableName } from './_keySchema.js';
import {
  checkThroughput,
  existingTable,
  type GivenThroughput,
  inUse,
  putMeta,
  sseDescription,
  tableDescription,
} from './_tables.js';
import { ON_DEMAND, SSE, STREAM, THROUGHPUT, WARM } from './createTable.js';

const SHAPE: Shape = {
  struct: {
    TableName: 'string',
    AttributeDefinitions: { list: { struct: { AttributeName: 'string', AttributeType: 'string' } } },
    BillingMode: 'string',
    ProvisionedThroughput: THROUGHPUT,
    GlobalSecondaryIndexUpdates: {
      list: {
        struct: {
          Create: {
            struct: {
              IndexName: 'string',
              KeySchema: { list: { struct: { AttributeName: 'string', KeyType: 'string' } } },
              Projection: { struct: { ProjectionType: 'string', NonKeyAttributes: { list: 'string' } } },
              ProvisionedThroughput: THROUGHPUT,
              OnDemandThroughput: ON_DEMAND,
              WarmThroughput: WARM,
            },
          },
          Delete: { struct: { IndexName: 'string' } },
          Update: {
            struct: {
              IndexName: 'string',
              ProvisionedThroughput: THROUGHPUT,
              OnDemandThroughput: ON_DEMAND,
              WarmThroughput: WARM,
            },
          },
        },
      },
    },
    StreamSpecification: STREAM,
    SSESpecification: SSE,
    ReplicaUpdates: { list: 'any' },
    TableClass: 'string',
    DeletionProtectionEnabled: 'boolean',
    OnDemandThroughput: ON_DEMAND,
    WarmThroughput: WARM,
    MultiRegionConsistency: 'string',
    GlobalTableWitnessUpdates: { list: 'any' },
  },
};

type GsiUpdate = GsiChange & {
  Update?: {
    IndexName?: string;
    ProvisionedThroughput?: GivenThroughput;
    OnDemandThroughput?: object;
    WarmThroughput?: object;
  };
};

const CHANGES = [
  'BillingMode',
  'ProvisionedThroughput',
  'GlobalSecondaryIndexUpdates',
  'StreamSpecification',
  'SSESpecification',
  'ReplicaUpdates',
  'TableClass',
  'DeletionProtectionEnabled',
  'OnDemandThroughput',
  'WarmThroughput',
  'MultiRegionConsistency',
  'GlobalTableWitnessUpdates',
] as const;

/** New units on `was`, with DynamoDB's bookkeeping of increases and decreases. */
function newUnits(was: TableMeta['throughput'], to: { read: number; write: number }, now: number) {
  const next = { ...was, read: to.read, write: to.write };
  if (to.read > was.read || to.write > was.write) next.lastIncrease = now;
  if (to.read < was.read || to.write < was.write) {
    next.lastDecrease = now;
    next.decreasesToday = was.decreasesToday + 1;
  }
  return next;
}

export const updateTable: Operation = (ctx, input) => {
  checkShape(input, SHAPE);
  checkTableName(input.TableName);
  const c = new Constraints();
  c.enumOf(input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  c.enumOf(input.TableClass, 'tableClass', ['STANDARD', 'STANDARD_INFREQUENT_ACCESS']);
  const sse = input.SSESpecification as
    | { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string }
    | undefined;
  c.enumOf(sse?.SSEType, 'sSESpecification.sSEType', ['AES256', 'KMS']);
  streamConstraints(c, input.StreamSpecification);
  c.throwIfAny();
  const meta = existingTable(ctx, input.TableName);
  if (!CHANGES.some((k) => input[k] !== undefined && input[k] !== null))
    throw validation('Nothing to update');

  const gsiUpdates = (input.GlobalSecondaryIndexUpdates as GsiUpdate[] | undefined) ?? [];
  if (input.ReplicaUpdates || input.GlobalTableWitnessUpdates || input.MultiRegionConsistency) {
    throw validation(
      "Global tables (ReplicaUpdates) are not supported by ddbctl's embedded engine; use AWS for them",
    );
  }
  const stream = input.StreamSpecification as
    | { StreamEnabled?: boolean; StreamViewType?: string }
    | undefined;
  if (stream) checkStreamSpec(stream);
  const gsiChange = checkGsiChange(
    meta,
    gsiUpdates,
    input.AttributeDefinitions as AttributeDefinition[] | undefined,
    (input.BillingMode as TableMeta['billingMode'] | undefined) ?? meta.billingMode,
  );
  // The table is UPDATING while an index is backfilled; deleting that index is allowed then.
  const busy = gsiChange?.cancels ? undefined : inUse(meta);
  if (busy) throw busy;

  const now = ctx.clock.now();
  const next: TableMeta = {
    ...meta,
    // NOTE: DynamoDB Local lists the definitions anew (in a Java hash set's order) after an update
    // of the table's GSIs.
    ...(gsiUpdates.length ? { attributeDefinitions: keyDefinitions(meta, meta.indexes) } : {}),
    extra: { ...meta.extra },
    indexes: meta.indexes.map((ix) => ({ ...ix })),
  };
  let transition = false;

  // Billing mode and table throughput.
  const mode = (input.BillingMode as TableMeta['billingMode'] | undefined) ?? meta.billingMode;
  const pt = input.ProvisionedThroughput as GivenThroughput | undefined;
  if (mode === 'PAY_PER_REQUEST') {
    if (pt) {
      // NOTE: DynamoDB refuses this; DynamoDB Local ignores it (DIVERGENCES.md).
      throw validation(
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    }
    if (meta.billingMode !== 'PAY_PER_REQUEST') {
      next.billingMode = 'PAY_PER_REQUEST';
      next.throughput = { ...meta.throughput, read: 0, write: 0 };
      next.extra.billingModeSince = now;
      for (const ix of next.indexes) if (ix.kind === 'GSI') delete ix.throughput;
      transition = true;
    }
  } else {
    if (input.BillingMode !== undefined && !pt)
      throw validation('No provisioned throughput specified for the table');
    if (pt) {
      const units = checkThroughput(pt, 'table');
      if (
        meta.billingMode === 'PROVISIONED' &&
        units.read === meta.throughput.read &&
        units.write === meta.throughput.write
      ) {
        throw validation('The requested throughput value equals the current value');
      }
      next.throughput = newUnits(meta.throughput, units, now);
      if (meta.billingMode !== 'PROVISIONED') {
        next.billingMode = 'PROVISIONED';
        // NOTE: a table's GSIs take provisioned units too when it leaves on-demand: DynamoDB wants
        // each one's in GlobalSecondaryIndexUpdates of the same request (DynamoDB Local fails inside).
        const given = new Set(
          gsiUpdates.filter((u) => u.Update?.ProvisionedThroughput).map((u) => u.Update!.IndexName),
        );
        const missing = next.indexes
          .filter((ix) => ix.kind === 'GSI' && !given.has(ix.name))
          .map((ix) => ix.name);
        if (missing.length) {
          throw validation(
            `One or more parameter values were invalid: ProvisionedThroughput must be specified for index: ${missing.join(',')}`,
          );
        }
      }
      transition = true;
    }
  }

  // Throughput of existing GSIs.
  for (const u of gsiUpdates) {
    if (!u.Update) continue;
    const name = u.Update.IndexName;
    const ix = next.indexes.find((i) => i.kind === 'GSI' && i.name === name) as IndexMeta | undefined;
    if (!ix) {
      throw new EngineError(
        'ResourceNotFoundException',
        `Requested resource not found: Index: ${name} not found`,
      );
    }
    if (u.Update?.ProvisionedThroughput) {
      if (next.billingMode !== 'PROVISIONED') {
        throw validation(
          `One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ${name} when BillingMode is PAY_PER_REQUEST`,
        );
      }
      const units = checkThroughput(u.Update.ProvisionedThroughput, 'index');
      if (!ix.throughput) {
        // Leaving on-demand: the index's first provisioned units, no history yet.
        ix.throughput = { ...units, decreasesToday: 0 };
      } else {
        if (units.read === ix.throughput.read && units.write === ix.throughput.write) {
          throw validation('The requested throughput value equals the current value');
        }
        ix.throughput = newUnits(ix.throughput, units, now);
      }
      if (ctx.transitionMs > 0) ix.status = 'UPDATING';
      transition = true;
    }
    if (u.Update?.OnDemandThroughput)
      ix.extra = { ...ix.extra, OnDemandThroughput: u.Update.OnDemandThroughput };
    if (u.Update?.WarmThroughput)
      ix.extra = { ...ix.extra, WarmThroughput: { ...u.Update.WarmThroughput, Status: 'ACTIVE' } };
  }

  // Settings described back.
  const description = { ...(meta.extra.description as Record<string, unknown> | undefined) };
  if (input.DeletionProtectionEnabled !== undefined)
    next.extra.deletionProtection = input.DeletionProtectionEnabled === true;
  if (input.TableClass !== undefined) {
    description.TableClassSummary = { TableClass: input.TableClass, LastUpdateDateTime: now / 1000 };
    transition = true;
  }
  if (sse) {
    if (sse.Enabled === false) delete description.SSEDescription;
    else description.SSEDescription = sseDescription(ctx, sse.KMSMasterKeyId);
  }
  if (input.OnDemandThroughput) description.OnDemandThroughput = input.OnDemandThroughput;
  if (input.WarmThroughput)
    description.WarmThroughput = { ...(input.WarmThroughput as object), Status: 'ACTIVE' };
  next.extra.description = description;
  // NOTE: a stream change leaves the table ACTIVE, as DynamoDB Local answers it.
  if (stream) updateStream(next, stream, now);

  if (transition && ctx.transitionMs > 0) {
    next.status = 'UPDATING';
    next.until = now + ctx.transitionMs;
  }

  // A GSI created or deleted (one per request, checked above).
  let dropped: IndexMeta | undefined;
  if (gsiChange?.create) {
    next.indexes.push(gsiChange.create);
    next.attributeDefinitions = gsiChange.attributeDefinitions!;
    next.status = 'UPDATING';
  } else if (gsiChange?.delete) {
    const ix = next.indexes.find((i) => i.name === gsiChange.delete)!;
    ix.status = 'DELETING';
    delete ix.backfill;
    next.attributeDefinitions = keyDefinitions(
      next,
      next.indexes.filter((i) => i !== ix),
    );
    next.status = 'UPDATING';
    if (ctx.transitionMs > 0) next.until = now + ctx.transitionMs;
    else dropped = ix;
  }
  ctx.store.commit([putMeta(next)]);
  const answer = { TableDescription: tableDescription(ctx, next) };
  if (dropped) {
    // NOTE: phases that take no time (transitionMs 0) end at once: answered DELETING, then gone.
    const after: TableMeta = { ...next, indexes: next.indexes.filter((i) => i !== dropped) };
    if (!after.indexes.some((i) => i.backfill) && after.until === undefined) after.status = 'ACTIVE';
    ctx.store.commit([putMeta(after), { tree: indexTree(next.name, dropped.name), drop: true }]);
  }
  if (gsiChange?.create) {
    const index = gsiChange.create.name;
    // NOTE: the index is made (CREATING) and the answer says so, whether or not its backfill can go on.
    if (ctx.transitionMs > 0) startBackfill(ctx, next.name, index);
    else backfillNow(ctx, next.name, index);
  }
  return answer;
};
