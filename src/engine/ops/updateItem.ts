/**
 * UpdateItem: change (or create) one item by an update (UpdateExpression or the legacy
 * AttributeUpdates), under an optional condition, answering the item before or after as asked
 * (ReturnValues ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW).
 */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { applyUpdate, keyAttributeUpdated, keyUpdateMessage } from '../expr/index.js';
import { RawJson } from '../json.js';
import type { Item } from '../types.js';
import { setOwn } from '../values/validate.js';
import { checkKeyInput, updateExpressions } from './_expr.js';
import { checkIndexKeys } from './_keys.js';
import { commitSingle, loadChecked, singleWrite } from './_single.js';
import { record } from './_write.js';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

export const updateItem: Operation = (ctx, input) => {
  const w = singleWrite(ctx, input, RETURN_VALUES);
  const table = w.table;
  const keyItem = checkKeyInput(input.Key, table.key);
  const { update, cond } = updateExpressions(input);
  const keyNames = [table.key.hash.name, ...(table.key.range ? [table.key.range.name] : [])];
  if (update) {
    const k = keyAttributeUpdated(update, keyNames);
    if (k !== undefined) throw validation(keyUpdateMessage(k));
  }
  const at = loadChecked(ctx, w, keyItem, cond);
  const before = at.old.item();

  let next: Item = before ?? keyItem;
  let updated = new Set<string>();
  if (update) {
    const r = applyUpdate(update, next);
    next = r.item;
    updated = r.updated;
  }
  checkIndexKeys(next, table, true);
  const rec = record(next);
  if (rec.stored.z > 400 * 1024)
    throw validation('Item size to update has exceeded the maximum allowed size');

  let attributes: unknown;
  if (w.rv === 'ALL_OLD' && at.old.stored) attributes = new RawJson(at.old.stored.j);
  else if (w.rv === 'ALL_NEW') attributes = new RawJson(rec.stored.j);
  else if (w.rv === 'UPDATED_OLD' || w.rv === 'UPDATED_NEW') {
    // NOTE: the updated attributes are answered whole, even for an update of a nested path
    // (DynamoDB Local answers `b` whole for `SET b[1].q = :v`).
    const from = w.rv === 'UPDATED_OLD' ? before : next;
    const picked: Item = {};
    if (from) for (const n of updated) if (Object.hasOwn(from, n)) setOwn(picked, n, from[n]!);
    if (Object.keys(picked).length) attributes = picked;
  }
  return commitSingle(ctx, w, at, rec, keyItem, attributes);
};
