/**
 * PutItem: create or replace one item, under an optional condition (ConditionExpression or the
 * legacy Expected), answering the old item when asked (ReturnValues ALL_OLD, or
 * ReturnValuesOnConditionCheckFailure on a failed condition).
 */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { RawJson } from '../json.js';
import { checkExpressionParameters, writeCondition } from './_expr.js';
import { commitSingle, loadChecked, putRecord, singleWrite } from './_single.js';

export const putItem: Operation = (ctx, input) => {
  const w = singleWrite(ctx, input, ['NONE', 'ALL_OLD']);
  // The expression members' mix first, then the item, then the placeholders (DynamoDB Local's order).
  checkExpressionParameters(input, 'PutItem');
  if (input.Item === undefined || input.Item === null)
    throw validation('Item to put in PutItem cannot be null');
  const rec = putRecord(w.table, input.Item);
  const item = rec.item;
  const cond = writeCondition(input);
  const at = loadChecked(ctx, w, item, cond);
  const old = at.old.stored;
  return commitSingle(ctx, w, at, rec, item, w.rv === 'ALL_OLD' && old ? new RawJson(old.j) : undefined);
};
