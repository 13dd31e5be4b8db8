/**
 * BatchWriteItem: up to 25 puts and deletes over one or more tables, applied in one commit.
 * Every request is checked before anything is written; nothing is ever left unprocessed
 * (UnprocessedItems is always empty: the engine has no throughput limit to throttle on).
 *
 * This is the import path: a put of a table without indexes neither reads the old item nor
 * parses anything twice.
 */
import { itemTree, type TableMeta } from '../catalog.js';
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { checkShape } from '../shape.js';
import type { Change } from '../store/index.js';
import type { Item } from '../types.js';
import { Capacity, capacityMode, checkCommon, collectionMetricsMode, isObject } from './_common.js';
import { checkItemMember } from './_expr.js';
import { checkName } from './_keySchema.js';
import { checkKeyMember } from './_keys.js';
import { collectionMetrics } from './_metrics.js';
import { putRecord } from './_single.js';
import { Existing, type ItemRecord, itemKey, writeItem } from './_write.js';

/** The most requests a BatchWriteItem call takes. */
export const MAX_REQUESTS = 25;

interface Write {
  table: TableMeta;
  key: string;
  /** The key attributes (for ItemCollectionMetrics). */
  item: Item;
  rec: ItemRecord | null;
}

export const batchWriteItem: Operation = (ctx, input) => {
  checkCommon(input, true, false);
  const mode = capacityMode(input);
  const metrics = collectionMetricsMode(input);
  const req = input.RequestItems;
  if (!isObject(req) || Object.keys(req).length === 0) {
    throw validation('BatchWriteItem cannot have a null or no requests set');
  }
  const names = Object.keys(req);
  let total = 0;
  for (const name of names) {
    checkName(name);
    const list = req[name];
    // A table's requests given as another JSON type than a list is a SerializationException.
    checkShape(list, { list: 'any' });
    if (!Array.isArray(list) || list.length === 0) {
      throw validation(`The batch write request list for a table cannot be null or empty: ${name}`);
    }
    total += list.length;
  }
  if (total > MAX_REQUESTS) throw validation('Too many items requested for the BatchWriteItem call');

  const writes: Write[] = [];
  for (const name of names) {
    const table = ctx.table(name);
    const seen = new Set<string>();
    for (const r of req[name] as unknown[]) {
      const put = isObject(r) ? r.PutRequest : undefined;
      const del = isObject(r) ? r.DeleteRequest : undefined;
      if ((put == null) === (del == null)) {
        throw validation(
          'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
        );
      }
      let w: Write;
      if (put != null) {
        const raw = isObject(put) ? put.Item : undefined;
        if (raw == null) throw validation('The supplied Item contains a null AttributeValue');
        const rec = putRecord(table, raw);
        w = { table, key: itemKey(table, rec.item), item: rec.item, rec };
      } else {
        const raw = isObject(del) ? del.Key : undefined;
        if (raw == null) throw validation('The supplied Item contains a null AttributeValue');
        const item = checkItemMember(raw);
        checkKeyMember(item, table.key);
        w = { table, key: itemKey(table, item), item, rec: null };
      }
      if (seen.has(w.key)) throw validation('Provided list of item keys contains duplicates');
      seen.add(w.key);
      writes.push(w);
    }
  }

  const changes: Change[] = [];
  const caps = new Map<string, Capacity>();
  for (const w of writes) {
    let cap: Capacity | undefined;
    if (mode !== 'NONE') {
      cap = caps.get(w.table.name);
      if (!cap) {
        cap = new Capacity();
        caps.set(w.table.name, cap);
      }
    }
    const tree = ctx.store.tree(itemTree(w.table.name));
    // NOTE: the old item matters only to capacity, indexes and deletes of nothing.
    const need = cap !== undefined || w.table.indexes.length > 0 || w.rec === null;
    const old = new Existing(need ? tree.get(w.key) : undefined);
    if (w.rec === null && !old.stored) {
      if (cap) cap.table += 1;
      continue;
    }
    writeItem(w.table, w.key, old.stored, () => old.item(), w.rec, changes, cap);
  }
  if (changes.length) ctx.store.commit(changes);

  const out: Record<string, unknown> = { UnprocessedItems: {} };
  if (mode !== 'NONE') out.ConsumedCapacity = [...caps].map(([name, cap]) => cap.answer(name, mode));
  if (metrics) {
    const m: Record<string, unknown[]> = {};
    for (const w of writes) {
      const one = collectionMetrics(ctx, w.table, w.item);
      if (one) m[w.table.name] = [...(m[w.table.name] ?? []), one];
    }
    if (Object.keys(m).length) out.ItemCollectionMetrics = m;
  }
  return out;
};
