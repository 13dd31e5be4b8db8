/**
 * What the table operations share: the TableDescription DynamoDB answers with (DescribeTable,
 * CreateTable, UpdateTable, DeleteTable), built from the meta record and the store's true counts.
 */
import {
  type IndexMeta,
  indexTree,
  itemTree,
  META_TREE,
  type TableMeta,
  type ThroughputMeta,
} from '../catalog.js';
import type { OpContext } from '../context.js';
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
            ...(meta.billingMode === 'PAY_PER_REQUEST'
              ? {
                  LastUpdateToPayPerRequestDateTime: seconds(
                    (x.billingModeSince as number) ?? meta.createdAt,
                  ),
                }
              : {}),
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
            ...(ix.status === 'CREATING' ? { Backfilling: false } : {}),
            ProvisionedThroughput: throughput(ix.throughput ?? { read: 0, write: 0, decreasesToday: 0 }),
            ...indexFields(ix),
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
