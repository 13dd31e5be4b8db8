/**
 * The item operations' side of DynamoDB's expressions: which expression and legacy parameters a
 * request gave, the checks DynamoDB makes across them (mixing both kinds, placeholders without an
 * expression, unused placeholders), and the compiled checks, updates and projections the
 * operations apply. Parsing and evaluation themselves live in expr/.
 */
import { EngineError, validation } from '../errors.js';
import {
  type Condition,
  checkExpressionParameters,
  conditionFromExpected,
  conditionFromFilter,
  ExprContext,
  evaluate,
  expressionText,
  type KeyCondition,
  keyConditionFromLegacy,
  type Projection,
  parseCondition,
  parseKeyConditionExpression,
  parseProjection,
  parseUpdate,
  project,
  projectionFromAttributesToGet,
  resolveKeyCondition,
  type Update,
  updateFromAttributeUpdates,
} from '../expr/index.js';
import { RawJson } from '../json.js';
import type { Stored } from '../store/index.js';
import type { AttributeValue, Item, KeyShape } from '../types.js';
import { checkItem } from '../values/validate.js';
import { checkKeyMember } from './_keys.js';

export { checkExpressionParameters } from '../expr/index.js';
export { itemSize } from '../values/size.js';

/** An item-valued member (Item, Key, ExclusiveStartKey...), checked and normalised. */
export function checkItemMember(v: unknown): Item {
  return checkItem(v);
}

/** GetItem's, DeleteItem's, UpdateItem's Key: exactly the table's key. */
export function checkKeyInput(v: unknown, key: KeyShape, beforeSchema?: () => void): Item {
  if (v === undefined || v === null)
    throw validation('Cannot have null key for GetItem, DeleteItem, or UpdateItem');
  const item = checkItem(v);
  // What the operation checks between the key's values and its match with the schema.
  beforeSchema?.();
  checkKeyMember(item, key);
  return item;
}

export function conditionFailed(old: Stored | undefined): EngineError {
  return new EngineError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    old ? { Item: new RawJson(old.j) } : undefined,
  );
}

type Present = Record<string, unknown>;

function text(input: Present, member: string): string | undefined {
  const v = input[member];
  // NOTE: an empty expression counts as not given (DynamoDB Local), as in checkExpressionParameters.
  if (v === undefined || v === null || v === '') return undefined;
  return expressionText(v, member);
}

function compile(cond: Condition | undefined): ((item: Item | undefined) => boolean) | undefined {
  return cond && ((item) => evaluate(cond, item));
}

function projector(p: Projection | undefined): ((item: Item) => Item) | undefined {
  return p && ((item) => project(item, p));
}

/** The projection of a request: ProjectionExpression or AttributesToGet, parsed with `ctx`. */
function projectionOf(input: Present, ctx: ExprContext): Projection | undefined {
  const pe = text(input, 'ProjectionExpression');
  if (pe !== undefined) return parseProjection(ctx, pe);
  const a = input.AttributesToGet;
  return a === undefined || a === null ? undefined : projectionFromAttributesToGet(a);
}

/** GetItem's (and each BatchGetItem table's) projection, with the placeholder checks. */
export function readProjection(input: Present): ((item: Item) => Item) | undefined {
  checkExpressionParameters(input, 'GetItem');
  // NOTE: GetItem has no ExpressionAttributeValues member: DynamoDB ignores one, as any unknown member.
  const ctx = new ExprContext(input.ExpressionAttributeNames, undefined);
  const p = projectionOf(input, ctx);
  ctx.finish();
  return projector(p);
}

/**
 * A write's condition (ConditionExpression or Expected), checked with its placeholders. Call
 * checkExpressionParameters first (PutItem checks the item's size in between).
 */
export function writeCondition(input: Present): ((item: Item | undefined) => boolean) | undefined {
  const ctx = ExprContext.of(input);
  const ce = text(input, 'ConditionExpression');
  const cond =
    ce !== undefined
      ? parseCondition(ctx, ce, 'ConditionExpression')
      : conditionFromExpected(input.Expected, input.ConditionalOperator);
  ctx.finish();
  return compile(cond);
}

/**
 * UpdateItem's update and condition, sharing one set of placeholders: the update parsed first,
 * then the condition (legacy: Expected first, then AttributeUpdates), as DynamoDB Local orders them.
 */
export function updateExpressions(input: Present): {
  update: Update | undefined;
  cond: ((item: Item | undefined) => boolean) | undefined;
} {
  checkExpressionParameters(input, 'UpdateItem');
  const ctx = ExprContext.of(input);
  const ue = text(input, 'UpdateExpression');
  const ce = text(input, 'ConditionExpression');
  let update: Update | undefined;
  let cond: Condition | undefined;
  if (ue !== undefined || ce !== undefined) {
    update = ue !== undefined ? parseUpdate(ctx, ue) : undefined;
    cond = ce !== undefined ? parseCondition(ctx, ce, 'ConditionExpression') : undefined;
  } else {
    cond = conditionFromExpected(input.Expected, input.ConditionalOperator);
    const au = input.AttributeUpdates;
    update = au === undefined || au === null ? undefined : updateFromAttributeUpdates(au);
  }
  ctx.finish();
  return { update, cond: compile(cond) };
}

export interface ReadExpressions {
  filter: ((item: Item) => boolean) | undefined;
  projection: ((item: Item) => Item) | undefined;
  /** The parsed forms, for the checks an index read makes on the attributes named. */
  filterAst: Condition | undefined;
  projectionAst: Projection | undefined;
}

function readExpressions(filter: Condition | undefined, projection: Projection | undefined): ReadExpressions {
  return {
    filter: compile(filter),
    projection: projector(projection),
    filterAst: filter,
    projectionAst: projection,
  };
}

export function readScanExpressions(input: Present): ReadExpressions {
  checkExpressionParameters(input, 'Scan');
  const ctx = ExprContext.of(input);
  // The filter first, then the projection (DynamoDB Local's order of errors).
  const fe = text(input, 'FilterExpression');
  const filter =
    fe !== undefined
      ? parseCondition(ctx, fe, 'FilterExpression')
      : conditionFromFilter(input.ScanFilter, input.ConditionalOperator, 'ScanFilter');
  const projection = projectionOf(input, ctx);
  ctx.finish();
  return readExpressions(filter, projection);
}

export function readQueryExpressions(input: Present, key: KeyShape): ReadExpressions & { key: KeyCondition } {
  checkExpressionParameters(input, 'Query');
  const ctx = ExprContext.of(input);
  const fe = text(input, 'FilterExpression');
  const kce = text(input, 'KeyConditionExpression');
  const kc = input.KeyConditions;
  if (kce === undefined && (kc === undefined || kc === null)) {
    throw validation(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  const keyNames = [key.hash.name, ...(key.range ? [key.range.name] : [])];
  // DynamoDB Local's order: expressions filter, projection, key condition (resolved once every
  // placeholder is known to be used); legacy: KeyConditions whole, QueryFilter, AttributesToGet.
  let keyCond: KeyCondition;
  let filter: Condition | undefined;
  let projection: Projection | undefined;
  if (kce !== undefined) {
    filter = fe !== undefined ? parseCondition(ctx, fe, 'FilterExpression') : undefined;
    projection = projectionOf(input, ctx);
    const parsed = parseKeyConditionExpression(ctx, kce);
    ctx.finish();
    keyCond = resolveKeyCondition(parsed, key);
  } else {
    keyCond = keyConditionFromLegacy(kc, key);
    filter = conditionFromFilter(input.QueryFilter, input.ConditionalOperator, 'QueryFilter', keyNames);
    projection = projectionOf(input, ctx);
    ctx.finish();
  }
  checkKeyConditionValues(keyCond, key);
  return { key: keyCond, ...readExpressions(filter, projection) };
}

/** Key condition values are key values: S and B ones must not be empty. */
function checkKeyConditionValues(k: KeyCondition, key: KeyShape): void {
  const empty = (v: AttributeValue, name: string) => {
    if (('S' in v && v.S === '') || ('B' in v && v.B === '')) {
      throw validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in v ? 'string' : 'binary'} value. Key: ${name}`,
      );
    }
  };
  empty(k.pk, key.hash.name);
  if (k.sk && key.range) for (const v of k.sk.values) empty(v, key.range.name);
}
