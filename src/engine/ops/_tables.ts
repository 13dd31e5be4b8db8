/**
 * What the table operations share: the TableDescription DynamoDB answers with (DescribeTable,
 * CreateTable, UpdateTable, DeleteTable), built from the meta record and the store's true counts.
 */
import { createHash } from 'node:crypto';
import {
  type IndexMeta,
  indexTree,
  itemTree,
  META_TREE,
  type TableMeta,
  type ThroughputMeta,
} from '../catalog.js';
import type { OpContext } from '../context.js';
import { EngineError, validation } from '../errors.js';
import type { Constraints } from '../shape.js';
import type { Change, Store } from '../store/index.js';

/** DynamoDB writes times as seconds since the epoch, with a fraction. */
export const seconds = (ms: number): number => ms / 1000;

function throughput(t: ThroughputMeta): Record<string, unknown> {
  return {
    ...(t.lastIncrease ? { LastIncreaseDateTime: seconds(t.lastIncrease) } : {}),
    ...(t.lastDecrease ? { LastDecreaseDateTime: seconds(t.lastDecrease) } : {}),
    NumberOfDecreasesToday: t.decreasesToday,
    ReadCapacityUnits: t.read,
    WriteCapacityUnits: t.write,
  };
}

function projection(ix: IndexMeta): Record<string, unknown> {
  return ix.projection.NonKeyAttributes
    ? { ProjectionType: ix.projection.ProjectionType, NonKeyAttributes: ix.projection.NonKeyAttributes }
    : { ProjectionType: ix.projection.ProjectionType };
}

/** The TableDescription of `meta`, with ItemCount and sizes read from the store now. */
export function tableDescription(ctx: OpContext, meta: TableMeta): Record<string, unknown> {
  const items = ctx.store.tree(itemTree(meta.name));
  const lsis = meta.indexes.filter((ix) => ix.kind === 'LSI');
  const gsis = meta.indexes.filter((ix) => ix.kind === 'GSI');
  const indexFields = (ix: IndexMeta) => {
    const tree = ctx.store.tree(indexTree(meta.name, ix.name));
    return { IndexSizeBytes: tree.bytes, ItemCount: tree.count, IndexArn: `${meta.arn}/index/${ix.name}` };
  };
  const x = meta.extra;
  return {
    AttributeDefinitions: meta.attributeDefinitions,
    TableName: meta.name,
    KeySchema: meta.keySchema,
    TableStatus: meta.status,
    CreationDateTime: seconds(meta.createdAt),
    ProvisionedThroughput: throughput(meta.throughput),
    TableSizeBytes: items.bytes,
    ItemCount: items.count,
    TableArn: meta.arn,
    TableId: meta.tableId,
    ...(meta.billingMode === 'PAY_PER_REQUEST' || x.billingModeSince !== undefined
      ? {
          BillingModeSummary: {
            BillingMode: meta.billingMode,
            // NOTE: "the time when PAY_PER_REQUEST was last set" (API reference, BillingModeSummary):
            // kept after a switch back to PROVISIONED, as DynamoDB Local keeps it too.
            LastUpdateToPayPerRequestDateTime: seconds((x.billingModeSince as number) ?? meta.createdAt),
          },
        }
      : {}),
    ...(lsis.length
      ? {
          LocalSecondaryIndexes: lsis.map((ix) => ({
            IndexName: ix.name,
            KeySchema: ix.keySchema,
            Projection: projection(ix),
            ...indexFields(ix),
          })),
        }
      : {}),
    ...(gsis.length
      ? {
          GlobalSecondaryIndexes: gsis.map((ix) => ({
            IndexName: ix.name,
            KeySchema: ix.keySchema,
            Projection: projection(ix),
            IndexStatus: ix.status,
            // NOTE: a GSI added by UpdateTable is first allocated (Backfilling false, no sizes yet),
            // then Backfilling true while the table's items are indexed (indexes/backfill.ts), and
            // without Backfilling once ACTIVE, as DynamoDB shows it. One being deleted holds nothing.
            ...(ix.status === 'CREATING' ? { Backfilling: (ix.backfill?.cursor ?? '') !== '' } : {}),
            ProvisionedThroughput: throughput(ix.throughput ?? { read: 0, write: 0, decreasesToday: 0 }),
            ...(ix.backfill?.cursor === ''
              ? { IndexArn: indexFields(ix).IndexArn }
              : ix.status === 'DELETING'
                ? { ...indexFields(ix), IndexSizeBytes: 0, ItemCount: 0 }
                : indexFields(ix)),
            ...(ix.extra ?? {}),
          })),
        }
      : {}),
    ...(x.description ?? {}),
    DeletionProtectionEnabled: x.deletionProtection === true,
  };
}

/** The change that writes a table's meta record. */
export function putMeta(meta: TableMeta): Change {
  const j = JSON.stringify(meta);
  return { tree: META_TREE, key: meta.name, value: { j, z: j.length } };
}

/** The changes that remove a table: its meta record, its items, every index tree. */
export function dropTableChanges(store: Store, name: string): Change[] {
  const changes: Change[] = [
    { tree: META_TREE, key: name, value: null },
    { tree: itemTree(name), drop: true },
  ];
  const prefix = `i:${name}:`;
  for (const t of store.treeNames()) if (t.startsWith(prefix)) changes.push({ tree: t, drop: true });
  return changes;
}

/** DynamoDB's default quota of capacity units per table and per GSI. */
export const MAX_UNITS = 40_000;

export interface GivenThroughput {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/** Provisioned units of a table or a GSI: both given, at least 1, at most the quota. */
export function checkThroughput(pt: GivenThroughput, of: 'table' | 'index'): { read: number; write: number } {
  const read = typeof pt.ReadCapacityUnits === 'number' ? Math.trunc(pt.ReadCapacityUnits) : undefined;
  const write = typeof pt.WriteCapacityUnits === 'number' ? Math.trunc(pt.WriteCapacityUnits) : undefined;
  if (read === undefined || write === undefined || read < 1 || write < 1) {
    throw validation(
      of === 'table'
        ? 'Table read and write throughput must be at least 1, and cannot be null'
        : "Global Secondary Index's read and write throughput must be at least 1, and cannot be null",
    );
  }
  if (read > MAX_UNITS || write > MAX_UNITS) {
    throw validation(
      `Cannot increase provisioned throughput to more than 40,000 units per ${of === 'table' ? 'table' : 'global secondary index'}`,
    );
  }
  return { read, write };
}

/**
 * A GSI's units at creation (CreateTable, UpdateTable's Create): required on a provisioned table,
 * refused on an on-demand one (DynamoDB refuses them; DynamoDB Local ignores them: DIVERGENCES.md).
 */
export function gsiThroughput(
  ix: { IndexName?: string; ProvisionedThroughput?: GivenThroughput },
  provisioned: boolean,
): ThroughputMeta | undefined {
  if (provisioned) {
    if (!ix.ProvisionedThroughput) {
      throw validation('No provisioned throughput specified for the global secondary index');
    }
    return { ...checkThroughput(ix.ProvisionedThroughput, 'index'), decreasesToday: 0 };
  }
  if (ix.ProvisionedThroughput) {
    throw validation(
      `One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ${ix.IndexName} when BillingMode is PAY_PER_REQUEST`,
    );
  }
  return undefined;
}

/** DynamoDB's limit on attributes projected into all of a table's indexes together. */
const MAX_PROJECTED = 100;

/** The projected attributes of all `indexes` together, within DynamoDB's limit. */
export function checkProjectedLimit(indexes: readonly IndexMeta[]): void {
  const projected = new Set(indexes.flatMap((ix) => ix.projection.NonKeyAttributes ?? []));
  if (projected.size > MAX_PROJECTED) {
    // NOTE: DynamoDB's words; DynamoDB Local names a limit of 20 for LSIs (DIVERGENCES.md).
    throw validation(
      `One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED}, provided: ${projected.size}`,
    );
  }
}

export interface Tag {
  Key: string;
  Value: string;
}

/** DynamoDB's limit of tags on one table. */
export const MAX_TAGS = 50;

/** More tags than a table may have: DynamoDB's LimitExceededException. */
export function tooManyTags(): EngineError {
  return new EngineError(
    'LimitExceededException',
    `The number of tags exceeds the limit of ${MAX_TAGS} tags per resource`,
  );
}

/** Tags as DynamoDB's request validation checks them: keys 1–128, values 0–256 characters. */
export function checkTags(
  c: Constraints,
  tags: { Key?: string; Value?: string }[] | undefined,
  path = 'tags',
): void {
  if (!tags) return;
  tags.forEach((t, i) => {
    c.notNull(t.Key, `${path}.${i + 1}.member.key`);
    c.length(t.Key, `${path}.${i + 1}.member.key`, 1, 128);
    c.notNull(t.Value, `${path}.${i + 1}.member.value`);
    c.length(t.Value, `${path}.${i + 1}.member.value`, 0, 256);
  });
}

/** The settings a table keeps beyond its keys (TableMeta.extra), from CreateTable's input. */
export function tableSettings(
  ctx: OpContext,
  input: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  const description: Record<string, unknown> = {};
  const sse = input.SSESpecification as
    | { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string }
    | undefined;
  if (sse?.Enabled) description.SSEDescription = sseDescription(ctx, sse.KMSMasterKeyId);
  if (input.TableClass) description.TableClassSummary = { TableClass: input.TableClass };
  if (input.OnDemandThroughput) description.OnDemandThroughput = input.OnDemandThroughput;
  if (input.WarmThroughput)
    description.WarmThroughput = { ...(input.WarmThroughput as object), Status: 'ACTIVE' };
  const tags = mergeTags([], (input.Tags as Tag[] | undefined) ?? []);
  if (tags.length > MAX_TAGS) throw tooManyTags();
  return {
    description,
    deletionProtection: input.DeletionProtectionEnabled === true,
    ...(tags.length ? { tags } : {}),
    ...(typeof input.ResourcePolicy === 'string' ? { resourcePolicy: input.ResourcePolicy } : {}),
    ...(input.BillingMode === 'PAY_PER_REQUEST' ? { billingModeSince: now } : {}),
  };
}

/**
 * DynamoDB's description of KMS encryption at rest: the key's ARN (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
 * NOTE: DynamoDB resolves an alias (`alias/x`, or its ARN) and the AWS managed key (no key given:
 * `alias/aws/dynamodb`) to the key's ARN; without KMS, the key id is a UUID made from the alias, the
 * same for the same alias.
 */
export function sseDescription(ctx: OpContext, keyId: string | undefined): Record<string, unknown> {
  const given = keyId ?? 'alias/aws/dynamodb';
  const alias = /^(arn:[^:]+:kms:[^:]*:[^:]*:)?(alias\/.+)$/.exec(given)?.[2];
  const arn = alias
    ? `arn:aws:kms:${ctx.region}:${ctx.account}:key/${uuidOf(alias)}`
    : given.startsWith('arn:')
      ? given
      : `arn:aws:kms:${ctx.region}:${ctx.account}:key/${given}`;
  return { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: arn };
}

/** A UUID-shaped id made from `text` (the same text, the same id). */
function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Tags after adding `more`: a key given again takes its new value, in place. */
export function mergeTags(tags: readonly Tag[], more: readonly Tag[]): Tag[] {
  const out = tags.map((t) => ({ ...t }));
  for (const t of more) {
    const had = out.find((o) => o.Key === t.Key);
    if (had) had.Value = t.Value;
    else out.push({ Key: t.Key, Value: t.Value });
  }
  return out;
}

/**
 * The table a control-plane request names, in any status. NOTE: DynamoDB's words (DynamoDB Local
 * says "Cannot do operations on a non-existent table": DIVERGENCES.md); tools match on them
 * (Terraform looks for "Requested resource not found: Table: ").
 */
export function existingTable(ctx: OpContext, name: string): TableMeta {
  const meta = ctx.findTable(name);
  if (!meta)
    throw new EngineError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  return meta;
}

/** A table that must be ACTIVE to be changed (UpdateTable, DeleteTable), as DynamoDB refuses otherwise. */
export function inUse(meta: TableMeta): EngineError | undefined {
  const doing = {
    CREATING: 'being created',
    UPDATING: 'being updated',
    DELETING: 'being deleted',
    ACTIVE: '',
  }[meta.status];
  return doing
    ? new EngineError(
        'ResourceInUseException',
        `Attempt to change a resource which is still in use: Table is ${doing}: ${meta.name}`,
      )
    : undefined;
}
