/**
 * DynamoDB's expression language for the engine's item operations: parse a request's expressions
 * (or its legacy parameters) into the ASTs of ast.ts, then evaluate conditions, apply updates and
 * project items. Pure code: no I/O.
 *
 * DynamoDB's order of errors (measured on DynamoDB Local 3.3.1), which the operations follow:
 *   checkExpressionParameters(input, 'Query'); // legacy/expression mix, stray placeholders
 *   (PutItem: the Item is checked here, after the mix and before the placeholders)
 *   const ctx = ExprContext.of(input);         // placeholders: empty maps, bad keys, bad values
 *   UpdateItem: parseUpdate, then parseCondition(..., 'ConditionExpression')
 *               (legacy: conditionFromExpected first, then updateFromAttributeUpdates)
 *   PutItem, DeleteItem: parseCondition(..., 'ConditionExpression') (or conditionFromExpected)
 *   Query:      parseCondition(..., 'FilterExpression'), parseProjection, parseKeyConditionExpression
 *               (legacy: keyConditionFromLegacy first, whole, then conditionFromFilter, then
 *               projectionFromAttributesToGet)
 *   Scan:       parseCondition(..., 'FilterExpression'), parseProjection
 *   ctx.finish();                              // unused #names, then unused :values
 *   then: resolveKeyCondition, filterKeyAttribute (Query);
 *   then the item: evaluate(cond, old) (ConditionalCheckFailedException first), then for UpdateItem
 *   keyAttributeUpdated ("Cannot update attribute pk..." comes after the condition, even when the
 *   item does not exist), applyUpdate(update, old ?? key), project(item, projection).
 * Each check throws an EngineError with DynamoDB's type and message. The cases behind this
 * order are in oracle/cases.mjs (replayed by oracle.test.ts).
 */
import { EngineError } from '../errors.js';
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
export {
  checkExpressionParameters,
  conditionFromExpected,
  conditionFromFilter,
  keyConditionFromLegacy,
  projectionFromAttributesToGet,
  updateFromAttributeUpdates,
} from './legacy.js';
export { conditionPaths, getPath, pathText } from './paths.js';
export { project } from './project.js';
export { isReserved } from './reserved.js';
export {
  applyUpdate,
  keyAttributeUpdated,
  keyUpdateMessage,
  type UpdateResult,
  updatedAttributes,
  updatePaths,
} from './update.js';

/**
 * An expression parameter's text: DynamoDB's JSON reader takes a number or a boolean as text
 * (`UpdateExpression: 5` is a syntax error on "5"); anything else is a SerializationException.
 */
export function expressionText(v: unknown, param: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new EngineError('SerializationException', `Unexpected value type in ${param}: expected a string`);
}

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

/**
 * Parse a KeyConditionExpression (its syntax, placeholders and operand types); resolve it against
 * the queried key with `resolveKeyCondition` once `ctx.finish()` has passed, as DynamoDB does.
 */
export function parseKeyConditionExpression(ctx: ExprContext, text: string): Condition {
  return new ConditionParser(ctx, text, 'KeyConditionExpression').parse();
}

/** Parse a KeyConditionExpression and resolve it at once (for callers with no other expression). */
export function parseKeyCondition(ctx: ExprContext, text: string, key: KeyShape): KeyCondition {
  return resolveKeyCondition(parseKeyConditionExpression(ctx, text), key);
}

export { resolveKeyCondition };

/**
 * A key attribute a Query's FilterExpression names, if any: DynamoDB refuses it ("Filter Expression
 * can only contain non-primary key attributes: Primary key attribute: x").
 */
export function filterKeyAttribute(cond: Condition, keyNames: readonly string[]): string | undefined {
  for (const path of conditionPaths(cond)) if (keyNames.includes(path[0] as string)) return path[0] as string;
  return undefined;
}
