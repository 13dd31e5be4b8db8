/**
 * A GSI added to a table that has items: its entries are written in the background, a bounded
 * chunk of the table's items at a time, as DynamoDB backfills a new index (CREATING, Backfilling
 * true) while the table keeps taking requests.
 *
 * Each chunk is ONE commit: the index entries of the next items in table key order and the index's
 * cursor (IndexMeta.backfill, the last table key indexed) in the table's meta record, so a crash or
 * a close between chunks leaves a cursor that matches the entries, and the next engine on the data
 * dir goes on from it (resumeBackfills).
 *
 * NOTE: writes made meanwhile need nothing special. writeItem maintains every index in the meta,
 * this one included, and an entry's tree key is the index key plus the table key: an item written
 * behind the cursor is updated in place, one ahead of it is written now and written again, to the
 * same key with the same content, when the cursor passes it; a deleted item's entry is removed and
 * the backfill, reading the table as it is, never sees the item again. Each item is in the index
 * exactly once.
 */
import { indexTree, itemTree, META_TREE, type TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import { indexKey } from '../ops/_keys.js';
import { putMeta } from '../ops/_tables.js';
import { parseStored, projected } from '../ops/_write.js';
import type { Change } from '../store/index.js';

/** Items indexed per commit: small enough that a request waits at most a few milliseconds. */
export const BACKFILL_CHUNK = 500;

/** Pause between chunks (ms), so requests are served in between. */
export const BACKFILL_EVERY_MS = 2;

/**
 * Index the next `chunk` items of `tableName` into `indexName`; when none are left, the index is
 * ACTIVE (and the table too, unless another index change is in progress). Returns whether work is
 * left. Does nothing (false) when the table or the backfill is gone (the table or index deleted).
 */
export function backfillStep(
  ctx: OpContext,
  tableName: string,
  indexName: string,
  chunk = BACKFILL_CHUNK,
): boolean {
  const meta = ctx.findTable(tableName);
  const index = meta?.indexes.find((ix) => ix.name === indexName);
  if (!meta || !index?.backfill) return false;
  const changes: Change[] = [];
  const tree = indexTree(tableName, indexName);
  const cursor = index.backfill.cursor;
  let last = cursor;
  let n = 0;
  let done = true;
  const range = cursor === '' ? {} : { from: cursor, afterFrom: true };
  for (const [key, stored] of ctx.store.tree(itemTree(tableName)).entries(range)) {
    if (n === chunk) {
      done = false;
      break;
    }
    const item = parseStored(stored);
    const k = indexKey(item, index, meta);
    if (k !== undefined) changes.push({ tree, key: k, value: projected({ item, stored }, index, meta) });
    last = key;
    n++;
  }
  const next: TableMeta = {
    ...meta,
    indexes: meta.indexes.map((ix) => {
      if (ix.name !== indexName) return ix;
      if (!done) return { ...ix, backfill: { cursor: last } };
      const { backfill: _, ...rest } = ix;
      return { ...rest, status: 'ACTIVE' };
    }),
  };
  if (done && meta.until === undefined && next.indexes.every((ix) => ix.status === 'ACTIVE')) {
    next.status = 'ACTIVE';
  }
  changes.push(putMeta(next));
  ctx.store.commit(changes);
  return !done;
}

/** Run an index's backfill in the background until it is done (or the engine stops). */
export function startBackfill(ctx: OpContext, tableName: string, indexName: string): void {
  ctx.background.every(
    BACKFILL_EVERY_MS,
    () => backfillStep(ctx, tableName, indexName),
    (e) => ctx.warnOnce?.(backfillStopped(tableName, indexName, e)),
  );
}

/** What a backfill that stopped on a failure says (the index stays CREATING until it can go on). */
function backfillStopped(tableName: string, indexName: string, e: unknown): string {
  return `the backfill of index ${indexName} of table ${tableName} stopped: ${(e as Error)?.message ?? String(e)}; the index stays CREATING, and the table UPDATING, until it can read the table again`;
}

/**
 * Backfill steps now, while `more()` and until the index is done. A step that fails (a table it
 * cannot read: a damaged data file) stops them and is said once; the index stays CREATING.
 */
export function backfillNow(
  ctx: OpContext,
  tableName: string,
  indexName: string,
  more: () => boolean = () => true,
): void {
  try {
    while (more() && backfillStep(ctx, tableName, indexName)) {}
  } catch (e) {
    ctx.warnOnce?.(backfillStopped(tableName, indexName, e));
  }
}

/** Go on with every backfill a previous engine left unfinished in the store. */
export function resumeBackfills(ctx: OpContext): void {
  for (const [, stored] of ctx.store.tree(META_TREE).entries()) {
    const meta = JSON.parse(stored.j) as TableMeta;
    for (const ix of meta.indexes) if (ix.backfill) startBackfill(ctx, meta.name, ix.name);
  }
}
