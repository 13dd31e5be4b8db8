/**
 * ReturnItemCollectionMetrics: the size of an item collection (the items sharing a partition key
 * value, with their local secondary index entries), given only for tables with LSIs.
 *
 * NOTE: DynamoDB Local never answers ItemCollectionMetrics; DynamoDB does, for tables with local
 * secondary indexes (DIVERGENCES.md). The range is in GB, whole numbers around the measured size.
 */
import { indexTree, itemTree, type TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import type { Item } from '../types.js';
import { END, partitionPrefix } from '../values/keys.js';
import { units } from './_common.js';

export function collectionMetrics(
  ctx: OpContext,
  table: TableMeta,
  item: Item,
): Record<string, unknown> | undefined {
  const lsis = table.indexes.filter((i) => i.kind === 'LSI');
  if (lsis.length === 0) return undefined;
  const pk = item[table.key.hash.name]!;
  const prefix = partitionPrefix(pk, table.key.hash.type);
  let bytes = 0;
  for (const tree of [itemTree(table.name), ...lsis.map((i) => indexTree(table.name, i.name))]) {
    for (const [, s] of ctx.store.tree(tree).entries({ from: prefix, to: prefix + END })) bytes += s.z;
  }
  const gb = Math.floor(bytes / 2 ** 30);
  return {
    ItemCollectionKey: { [table.key.hash.name]: pk },
    SizeEstimateRangeGB: [units(gb), units(gb + 1)],
  };
}
