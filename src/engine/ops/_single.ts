/**
 * What PutItem, UpdateItem and DeleteItem share: the members read before the item (in DynamoDB
 * Local's order), the old item loaded and the condition checked, then the one commit and the
 * answer's ConsumedCapacity and ItemCollectionMetrics.
 */
import { itemTree, type TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import { validation } from '../errors.js';
import { applyUpdate, keyAttributeUpdated, keyUpdateMessage, type Path, type Update } from '../expr/index.js';
import type { Change } from '../store/index.js';
import type { Item } from '../types.js';
import { MAX_ITEM_BYTES } from '../values/size.js';
import { checkItemDepth } from '../values/validate.js';
import { Capacity, type CapacityMode, capacityMode, checkCommon, collectionMetricsMode } from './_common.js';
import { checkItemMember, conditionFailed } from './_expr.js';
import { checkIndexKeys, checkKeyValues } from './_keys.js';
import { collectionMetrics } from './_metrics.js';
import { Existing, type ItemRecord, itemKey, record, writeItem } from './_write.js';

/**
 * An item to put (PutItem, BatchWriteItem, a transaction's Put): its values, its key and index key
 * attributes checked against the table, then its size, in DynamoDB Local's order.
 */
export function putRecord(table: TableMeta, raw: unknown): ItemRecord {
  const item = checkItemMember(raw);
  checkKeyValues(item, table.key);
  checkIndexKeys(item, table);
  const rec = record(item);
  if (rec.stored.z > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  return rec;
}

/**
 * The item an update makes (UpdateItem, a transaction's Update) from the item as it is (`before`,
 * undefined: none yet, the key alone), once its condition passed. Throws DynamoDB's
 * ValidationException for an update of a key attribute, a value of the wrong type, an index key
 * refused or an item grown too large.
 */
export function updatedRecord(
  table: TableMeta,
  update: Update | undefined,
  before: Item | undefined,
  keyItem: Item,
): { rec: ItemRecord; paths: Path[] } {
  // NOTE: an update of a key attribute is refused after the condition passed (DynamoDB Local
  // answers ConditionalCheckFailedException first), even when the item does not exist.
  const keyNames = [table.key.hash.name, ...(table.key.range ? [table.key.range.name] : [])];
  if (update) {
    const k = keyAttributeUpdated(update, keyNames);
    if (k !== undefined) throw validation(keyUpdateMessage(k));
  }
  let next: Item = before ?? keyItem;
  let paths: Path[] = [];
  if (update) {
    const r = applyUpdate(update, next);
    next = r.item;
    paths = r.paths;
    checkItemDepth(next);
  }
  checkIndexKeys(next, table, true);
  const rec = record(next);
  if (rec.stored.z > MAX_ITEM_BYTES)
    throw validation('Item size to update has exceeded the maximum allowed size');
  return { rec, paths };
}

export interface SingleWrite {
  table: TableMeta;
  mode: CapacityMode;
  metrics: boolean;
  onFail: unknown;
  /** ReturnValues, one of those the operation takes. */
  rv: string;
}

/** The request's common members, its table, and ReturnValues checked against `allowed`. */
export function singleWrite(
  ctx: OpContext,
  input: Record<string, unknown>,
  allowed: readonly string[],
): SingleWrite {
  const name = checkCommon(input, true);
  const mode = capacityMode(input);
  const metrics = collectionMetricsMode(input);
  const table = ctx.table(name);
  const rv = (input.ReturnValues ?? 'NONE') as string;
  if (!allowed.includes(rv)) throw validation('Return values set to invalid value');
  return { table, mode, metrics, onFail: input.ReturnValuesOnConditionCheckFailure, rv };
}

/** The item under `keyItem`'s key, after the condition passed (else ConditionalCheckFailedException). */
export function loadChecked(
  ctx: OpContext,
  w: SingleWrite,
  keyItem: Item,
  cond: ((item: Item | undefined) => boolean) | undefined,
): { key: string; old: Existing } {
  const key = itemKey(w.table, keyItem);
  const old = new Existing(ctx.store.tree(itemTree(w.table.name)).get(key));
  if (cond && !cond(old.item())) throw conditionFailed(w.onFail === 'ALL_OLD' ? old.stored : undefined);
  return { key, old };
}

/** Commit `next` (null: delete) in place of `old`, and answer with `attributes` when given. */
export function commitSingle(
  ctx: OpContext,
  w: SingleWrite,
  at: { key: string; old: Existing },
  next: ItemRecord | null,
  keyItem: Item,
  attributes: unknown,
): Record<string, unknown> {
  const cap = w.mode === 'NONE' ? undefined : new Capacity();
  if (next || at.old.stored) {
    const changes: Change[] = [];
    writeItem(w.table, at.key, at.old.stored, () => at.old.item(), next, changes, cap);
    ctx.store.commit(changes);
  } else if (cap) cap.table = 1; // a delete of nothing still costs a write
  const out: Record<string, unknown> = {};
  if (attributes !== undefined) out.Attributes = attributes;
  if (cap) out.ConsumedCapacity = cap.answer(w.table.name, w.mode);
  if (w.metrics) {
    const m = collectionMetrics(ctx, w.table, keyItem);
    if (m) out.ItemCollectionMetrics = m;
  }
  return out;
}
