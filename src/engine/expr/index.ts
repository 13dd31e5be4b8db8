/**
 * DynamoDB's expression language for the engine's item operations: parse a request's expressions
 * (or its legacy parameters) into the ASTs of ast.ts, then evaluate conditions, apply updates and
 * project items. Pure code: no I/O.
 *
 * Usage in an operation (errors are EngineErrors with DynamoDB's messages):
 *   const ctx = ExprContext.of(input);                      // checks the placeholders
 *   const cond = input.ConditionExpression === undefined ? undefined
 *     : parseCondition(ctx, input.ConditionExpression, 'ConditionExpression');
 *   const update = parseUpdate(ctx, input.UpdateExpression);
 *   ctx.finish();                                           // unused placeholders
 *   if (cond && !evaluate(cond, old)) throw ...ConditionalCheckFailedException;
 *   const { item, paths } = applyUpdate(update, old ?? key);
 */
import type { KeyShape } from '../types.js';
import type { Condition, KeyCondition, Projection, Update } from './ast.js';
import type { ExprContext } from './context.js';
import { resolveKeyCondition } from './keyCondition.js';
import { Parser } from './parser.js';
import { checkPathOverlaps, updatePaths } from './update.js';

export type * from './ast.js';
export { ExprContext } from './context.js';
export { evaluate, operandValue } from './evaluate.js';
export { getPath, pathText } from './paths.js';
export { project } from './project.js';
export { isReserved } from './reserved.js';
export {
  applyUpdate,
  keyAttributeUpdated,
  keyUpdateMessage,
  type UpdateResult,
  updatePaths,
} from './update.js';

/** Parse a ConditionExpression or a FilterExpression. */
export function parseCondition(
  ctx: ExprContext,
  text: string,
  param: 'ConditionExpression' | 'FilterExpression',
): Condition {
  return new Parser(ctx, text, param).condition();
}

/** Parse an UpdateExpression (overlapping or conflicting paths refused as DynamoDB does). */
export function parseUpdate(ctx: ExprContext, text: string): Update {
  const u = new Parser(ctx, text, 'UpdateExpression').update();
  checkPathOverlaps(updatePaths(u), 'UpdateExpression');
  return u;
}

/** Parse a ProjectionExpression. */
export function parseProjection(ctx: ExprContext, text: string): Projection {
  const p = new Parser(ctx, text, 'ProjectionExpression').projection();
  checkPathOverlaps(p, 'ProjectionExpression');
  return p;
}

/** Parse a KeyConditionExpression and resolve it against the queried key (table's or index's). */
export function parseKeyCondition(ctx: ExprContext, text: string, key: KeyShape): KeyCondition {
  return resolveKeyCondition(new Parser(ctx, text, 'KeyConditionExpression').condition(), key);
}
