/**
 * UpdateItem: change (or create) one item by an update (UpdateExpression or the legacy
 * AttributeUpdates), under an optional condition, answering the item before or after as asked
 * (ReturnValues ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW).
 */
import type { Operation } from '../context.js';
import { updatedAttributes } from '../expr/index.js';
import { RawJson } from '../json.js';
import { checkKeyInput, updateExpressions } from './_expr.js';
import { commitSingle, loadChecked, singleWrite, updatedRecord } from './_single.js';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

export const updateItem: Operation = (ctx, input) => {
  const w = singleWrite(ctx, input, RETURN_VALUES);
  const table = w.table;
  const keyItem = checkKeyInput(input.Key, table.key);
  const { update, cond } = updateExpressions(input);
  const at = loadChecked(ctx, w, keyItem, cond);
  const before = at.old.item();
  const { rec, paths } = updatedRecord(table, update, before, keyItem);
  const next = rec.item;

  let attributes: unknown;
  if (w.rv === 'ALL_OLD' && at.old.stored) attributes = new RawJson(at.old.stored.j);
  else if (w.rv === 'ALL_NEW') attributes = new RawJson(rec.stored.j);
  else if (w.rv === 'UPDATED_OLD' || w.rv === 'UPDATED_NEW') {
    const from = w.rv === 'UPDATED_OLD' ? before : next;
    const picked = from ? updatedAttributes(from, paths) : {};
    if (Object.keys(picked).length) attributes = picked;
  }
  return commitSingle(ctx, w, at, rec, keyItem, attributes);
};
