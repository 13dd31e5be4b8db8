/**
 * UpdateItem: change (or create) one item by an update (UpdateExpression or the legacy
 * AttributeUpdates), under an optional condition, answering the item before or after as asked
 * (ReturnValues ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW).
 */
import { itemTree } from '../catalog.js';
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { applyUpdate, keyAttributeUpdated, keyUpdateMessage } from '../expr/index.js';
import { RawJson } from '../json.js';
import type { Change } from '../store/index.js';
import type { Item } from '../types.js';
import { setOwn } from '../values/validate.js';
import { Capacity, capacityMode, checkCommon, collectionMetricsMode, tableNameOf } from './_common.js';
import { checkKeyInput, conditionFailed, updateExpressions } from './_expr.js';
import { checkIndexKeys } from './_keys.js';
import { collectionMetrics } from './_metrics.js';
import { Existing, itemKey, record, writeItem } from './_write.js';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

export const updateItem: Operation = (ctx, input) => {
  checkCommon(input, true);
  const name = tableNameOf(input);
  const mode = capacityMode(input);
  const metrics = collectionMetricsMode(input);
  const onFail = input.ReturnValuesOnConditionCheckFailure;
  const table = ctx.table(name);
  const rv = (input.ReturnValues ?? 'NONE') as string;
  if (!RETURN_VALUES.includes(rv)) throw validation('Return values set to invalid value');
  const keyItem = checkKeyInput(input.Key, table.key);
  const { update, cond } = updateExpressions(input);
  const keyNames = [table.key.hash.name, ...(table.key.range ? [table.key.range.name] : [])];
  if (update) {
    const k = keyAttributeUpdated(update, keyNames);
    if (k !== undefined) throw validation(keyUpdateMessage(k));
  }

  const key = itemKey(table, keyItem);
  const old = new Existing(ctx.store.tree(itemTree(name)).get(key));
  if (cond && !cond(old.item())) throw conditionFailed(onFail === 'ALL_OLD' ? old.stored : undefined);

  const base: Item = old.item() ?? keyItem;
  let next = base;
  let updated = new Set<string>();
  if (update) {
    const r = applyUpdate(update, base);
    next = r.item;
    updated = r.updated;
  }
  checkIndexKeys(next, table);
  const rec = record(next);
  if (rec.stored.z > 400 * 1024)
    throw validation('Item size to update has exceeded the maximum allowed size');

  const cap = mode === 'NONE' ? undefined : new Capacity();
  const changes: Change[] = [];
  writeItem(table, key, old.stored, () => old.item(), rec, changes, cap);
  ctx.store.commit(changes);

  const out: Record<string, unknown> = {};
  if (rv === 'ALL_OLD' && old.stored) out.Attributes = new RawJson(old.stored.j);
  else if (rv === 'ALL_NEW') out.Attributes = new RawJson(rec.stored.j);
  else if (rv === 'UPDATED_OLD' || rv === 'UPDATED_NEW') {
    // NOTE: the updated attributes are answered whole, even for an update of a nested path
    // (DynamoDB Local answers `b` whole for `SET b[1].q = :v`).
    const from = rv === 'UPDATED_OLD' ? old.item() : next;
    if (from) {
      const picked: Item = {};
      for (const n of updated) if (Object.hasOwn(from, n)) setOwn(picked, n, from[n]!);
      if (Object.keys(picked).length) out.Attributes = picked;
    }
  }
  if (cap) out.ConsumedCapacity = cap.answer(name, mode);
  if (metrics) {
    const m = collectionMetrics(ctx, table, keyItem);
    if (m) out.ItemCollectionMetrics = m;
  }
  return out;
};
