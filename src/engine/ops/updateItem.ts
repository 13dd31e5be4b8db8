/**
 * UpdateItem: change (or create) one item by an update (UpdateExpression or the legacy
 * AttributeUpdates), under an optional condition, answering the item before or after as asked
 * (ReturnValues ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW).
 */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import {
  applyUpdate,
  keyAttributeUpdated,
  keyUpdateMessage,
  type Path,
  updatedAttributes,
} from '../expr/index.js';
import { RawJson } from '../json.js';
import type { Item } from '../types.js';
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
  const at = loadChecked(ctx, w, keyItem, cond);
  // NOTE: an update of a key attribute is refused after the condition passed (DynamoDB Local
  // answers ConditionalCheckFailedException first), even when the item does not exist.
  const keyNames = [table.key.hash.name, ...(table.key.range ? [table.key.range.name] : [])];
  if (update) {
    const k = keyAttributeUpdated(update, keyNames);
    if (k !== undefined) throw validation(keyUpdateMessage(k));
  }
  const before = at.old.item();

  let next: Item = before ?? keyItem;
  let paths: Path[] = [];
  if (update) {
    const r = applyUpdate(update, next);
    next = r.item;
    paths = r.paths;
  }
  checkIndexKeys(next, table, true);
  const rec = record(next);
  if (rec.stored.z > 400 * 1024)
    throw validation('Item size to update has exceeded the maximum allowed size');

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
