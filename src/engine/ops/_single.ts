/**
 * What PutItem, UpdateItem and DeleteItem share: the members read before the item (in DynamoDB
 * Local's order), the old item loaded and the condition checked, then the one commit and the
 * answer's ConsumedCapacity and ItemCollectionMetrics.
 */
import { itemTree, type TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import { validation } from '../errors.js';
import type { Change } from '../store/index.js';
import type { Item } from '../types.js';
import { Capacity, type CapacityMode, capacityMode, checkCommon, collectionMetricsMode } from './_common.js';
import { conditionFailed } from './_expr.js';
import { collectionMetrics } from './_metrics.js';
import { Existing, type ItemRecord, itemKey, writeItem } from './_write.js';

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
