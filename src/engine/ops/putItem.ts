/**
 * PutItem: create or replace one item, under an optional condition (ConditionExpression or the
 * legacy Expected), answering the old item when asked (ReturnValues ALL_OLD, or
 * ReturnValuesOnConditionCheckFailure on a failed condition).
 */
import { itemTree } from '../catalog.js';
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { RawJson } from '../json.js';
import type { Change } from '../store/index.js';
import { Capacity, capacityMode, checkCommon, collectionMetricsMode, tableNameOf } from './_common.js';
import { checkItemMember, conditionFailed, writeCondition } from './_expr.js';
import { checkIndexKeys, checkKeyValues } from './_keys.js';
import { collectionMetrics } from './_metrics.js';
import { Existing, itemKey, record, writeItem } from './_write.js';

export const putItem: Operation = (ctx, input) => {
  checkCommon(input, true);
  const name = tableNameOf(input);
  const mode = capacityMode(input);
  const metrics = collectionMetricsMode(input);
  const onFail = input.ReturnValuesOnConditionCheckFailure;
  const table = ctx.table(name);
  const rv = input.ReturnValues ?? 'NONE';
  if (rv !== 'NONE' && rv !== 'ALL_OLD') throw validation('Return values set to invalid value');
  if (input.Item === undefined || input.Item === null)
    throw validation('Item to put in PutItem cannot be null');
  const item = checkItemMember(input.Item, 'Item');
  checkKeyValues(item, table.key);
  checkIndexKeys(item, table);
  const rec = record(item);
  if (rec.stored.z > 400 * 1024) throw validation('Item size has exceeded the maximum allowed size');
  const cond = writeCondition(input);

  const key = itemKey(table, item);
  const old = new Existing(ctx.store.tree(itemTree(name)).get(key));
  if (cond && !cond(old.item())) throw conditionFailed(onFail === 'ALL_OLD' ? old.stored : undefined);

  const cap = mode === 'NONE' ? undefined : new Capacity();
  const changes: Change[] = [];
  writeItem(table, key, old.stored, () => old.item(), rec, changes, cap);
  ctx.store.commit(changes);

  const out: Record<string, unknown> = {};
  if (rv === 'ALL_OLD' && old.stored) out.Attributes = new RawJson(old.stored.j);
  if (cap) out.ConsumedCapacity = cap.answer(name, mode);
  if (metrics) {
    const m = collectionMetrics(ctx, table, item);
    if (m) out.ItemCollectionMetrics = m;
  }
  return out;
};
