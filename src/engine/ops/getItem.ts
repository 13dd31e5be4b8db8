/**
 * GetItem: one item by its key, whole (its stored JSON text, spliced as is) or projected
 * (ProjectionExpression or the legacy AttributesToGet).
 */
import { itemTree } from '../catalog.js';
import type { Operation } from '../context.js';
import { RawJson } from '../json.js';
import { Capacity, capacityMode, checkCommon, readUnits } from './_common.js';
import { checkKeyInput, readProjection } from './_expr.js';
import { itemKey, parseStored } from './_write.js';

export const getItem: Operation = (ctx, input) => {
  const name = checkCommon(input, false);
  const mode = capacityMode(input);
  const consistent = (input.ConsistentRead as boolean | undefined) ?? false;
  const table = ctx.table(name);
  // NOTE: DynamoDB Local parses the projection before it checks the key against the schema.
  let projection: ReturnType<typeof readProjection>;
  const key = checkKeyInput(input.Key, table.key, () => {
    projection = readProjection(input);
  });

  const stored = ctx.store.tree(itemTree(name)).get(itemKey(table, key));
  const out: Record<string, unknown> = {};
  if (stored) out.Item = projection ? projection(parseStored(stored)) : new RawJson(stored.j);
  if (mode !== 'NONE') {
    const cap = new Capacity();
    cap.table = readUnits(stored?.z ?? 0, consistent);
    out.ConsumedCapacity = cap.answer(name, mode);
  }
  return out;
};
