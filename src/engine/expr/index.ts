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
import { ConditionParser } from './conditionParser.js';
import type { ExprContext } from './context.js';
import { resolveKeyCondition } from './keyCondition.js';
import { conditionPaths } from './paths.js';
import { ProjectionParser, UpdateParser } from './updateParser.js';

export type * from './ast.js';
export { ExprContext } from './context.js';
export { evaluate, operandValue } from './evaluate.js';
export { conditionPaths, getPath, pathText } from './paths.js';
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
  return new ConditionParser(ctx, text, param).parse();
}

/** Parse an UpdateExpression (overlapping or conflicting paths refused as DynamoDB does). */
export function parseUpdate(ctx: ExprContext, text: string): Update {
  return new UpdateParser(ctx, text, 'UpdateExpression').parse();
}

/** Parse a ProjectionExpression. */
export function parseProjection(ctx: ExprContext, text: string): Projection {
  return new ProjectionParser(ctx, text, 'ProjectionExpression').parse();
}

/** Parse a KeyConditionExpression and resolve it against the queried key (table's or index's). */
export function parseKeyCondition(ctx: ExprContext, text: string, key: KeyShape): KeyCondition {
  return resolveKeyCondition(new ConditionParser(ctx, text, 'KeyConditionExpression').parse(), key);
}

/**
 * A key attribute a Query's FilterExpression names, if any: DynamoDB refuses it ("Filter Expression
 * can only contain non-primary key attributes: Primary key attribute: x").
 */
export function filterKeyAttribute(cond: Condition, keyNames: readonly string[]): string | undefined {
  for (const path of conditionPaths(cond)) if (keyNames.includes(path[0] as string)) return path[0] as string;
  return undefined;
}
