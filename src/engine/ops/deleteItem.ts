/**
 * DeleteItem: remove one item by its key, under an optional condition (ConditionExpression or the
 * legacy Expected), answering the old item when asked (ReturnValues ALL_OLD, or
 * ReturnValuesOnConditionCheckFailure on a failed condition).
 */
import type { Operation } from '../context.js';
import { RawJson } from '../json.js';
import { checkExpressionParameters, checkKeyInput, writeCondition } from './_expr.js';
import { commitSingle, loadChecked, singleWrite } from './_single.js';

export const deleteItem: Operation = (ctx, input) => {
  const w = singleWrite(ctx, input, ['NONE', 'ALL_OLD']);
  const keyItem = checkKeyInput(input.Key, w.table.key);
  checkExpressionParameters(input, 'DeleteItem');
  const cond = writeCondition(input);
  const at = loadChecked(ctx, w, keyItem, cond);
  const old = at.old.stored;
  return commitSingle(ctx, w, at, null, keyItem, w.rv === 'ALL_OLD' && old ? new RawJson(old.j) : undefined);
};
