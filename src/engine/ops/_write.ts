/**
 * Writing one item: the table entry and every index entry it has or had, as changes for the one
 * `store.commit` of the request, with the write units DynamoDB counts for the table and each index.
 *
 * Index entries hold the projected item (KEYS_ONLY: the index and table keys; INCLUDE: those and
 * the named attributes; ALL: the whole item, the very same JSON text). An item missing an index
 * key attribute, or holding it with another type, has no entry (sparse indexes).
 */
import { type IndexMeta, indexTree, itemTree, type TableMeta } from '../catalog.js';
import type { Change, Stored } from '../store/index.js';
import { markByService } from '../streams/capture.js';
import type { Item } from '../types.js';
import { type Capacity, writeUnits } from './_common.js';
import { itemSize } from './_expr.js';
import { indexKey, indexKeyNames, treeKey } from './_keys.js';

/** An item ready to store: its object form (when known) and its stored form. */
export interface ItemRecord {
  item: Item;
  stored: Stored;
}

/** An item as stored: canonical JSON text and DynamoDB's size. The item must be normalised. */
export function record(item: Item): ItemRecord {
  return { item, stored: { j: JSON.stringify(item), z: itemSize(item) } };
}

/** The object form of a stored item (parsed only when someone needs it). */
export function parseStored(s: Stored): Item {
  return JSON.parse(s.j) as Item;
}

/** The item a write replaces: its stored form, parsed at most once and only when asked. */
export class Existing {
  private parsed: Item | undefined;
  constructor(readonly stored: Stored | undefined) {}
  item(): Item | undefined {
    if (this.stored && !this.parsed) this.parsed = parseStored(this.stored);
    return this.parsed;
  }
}

/**
 * DynamoDB counts 100 bytes of overhead per index entry in an index's size (IndexSizeBytes), on
 * top of its keys and projected attributes; write units count the projected item alone.
 */
export const INDEX_ENTRY_OVERHEAD = 100;

/** The write units of an index entry (its stored size less the overhead). */
function entryUnits(s: Stored): number {
  return writeUnits(s.z - INDEX_ENTRY_OVERHEAD);
}

/** The projected form of an item in an index (ALL: the item's own JSON text), its size with the overhead. */
function projected(rec: ItemRecord, index: IndexMeta, table: TableMeta): Stored {
  if (index.projection.ProjectionType === 'ALL')
    return { j: rec.stored.j, z: rec.stored.z + INDEX_ENTRY_OVERHEAD };
  const out: Item = {};
  const keep = indexKeyNames(index, table);
  if (index.projection.ProjectionType === 'INCLUDE') keep.push(...(index.projection.NonKeyAttributes ?? []));
  for (const n of keep) {
    const v = rec.item[n];
    if (v !== undefined && !Object.hasOwn(out, n)) out[n] = v;
  }
  return { j: JSON.stringify(out), z: itemSize(out) + INDEX_ENTRY_OVERHEAD };
}

/**
 * Who makes a write: a request (the default) or the service itself (TTL's deletions), whose stream
 * record carries DynamoDB's `userIdentity` {type: 'Service', principalId: 'dynamodb.amazonaws.com'}.
 */
export type WriteOrigin = 'request' | 'service';

/**
 * Changes that replace `old` (undefined: none) by `next` (null: delete) under table key `key`,
 * appended to `changes`; units counted into `cap`. `oldItem` is the parsed old item, needed only
 * when the table has indexes (pass a function: it is parsed at most once, and only then). The
 * table's stream record is added when the changes are committed (streams/capture.ts).
 */
export function writeItem(
  table: TableMeta,
  key: string,
  old: Stored | undefined,
  oldItem: () => Item | undefined,
  next: ItemRecord | null,
  changes: Change[],
  cap: Capacity | undefined,
  origin: WriteOrigin = 'request',
): void {
  const change: Change = { tree: itemTree(table.name), key, value: next ? next.stored : null };
  if (origin === 'service') markByService(change);
  changes.push(change);
  if (cap) cap.table += writeUnits(Math.max(old?.z ?? 0, next?.stored.z ?? 0));
  if (table.indexes.length === 0) return;
  const before = old ? oldItem() : undefined;
  for (const index of table.indexes) {
    const tree = indexTree(table.name, index.name);
    const oldKey = before ? indexKey(before, index, table) : undefined;
    const newKey = next ? indexKey(next.item, index, table) : undefined;
    let n = 0;
    if (newKey !== undefined) {
      const entry = projected(next!, index, table);
      if (oldKey === newKey) {
        // The entry stays where it is: rewritten (one write) only when what it holds changed.
        const prev = projected({ item: before!, stored: old! }, index, table);
        if (prev.j !== entry.j) {
          changes.push({ tree, key: newKey, value: entry });
          n += entryUnits(prev.z > entry.z ? prev : entry);
        }
      } else {
        if (oldKey !== undefined) {
          changes.push({ tree, key: oldKey, value: null });
          n += entryUnits(projected({ item: before!, stored: old! }, index, table));
        }
        changes.push({ tree, key: newKey, value: entry });
        n += entryUnits(entry);
      }
    } else if (oldKey !== undefined) {
      changes.push({ tree, key: oldKey, value: null });
      n += entryUnits(projected({ item: before!, stored: old! }, index, table));
    }
    if (cap && n) cap.index(index.name, index.kind, n);
  }
}

/** The table tree key of an item whose key attributes were checked. */
export function itemKey(table: TableMeta, item: Item): string {
  return treeKey(item, table.key);
}
