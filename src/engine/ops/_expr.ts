/**
 * The item operations' side of DynamoDB's expressions: which expression and legacy parameters a
 * request gave, the checks DynamoDB makes across them (mixing both kinds, placeholders without an
 * expression, unused placeholders), and the compiled checks, updates and projections the
 * operations apply. Parsing and evaluation themselves live in expr/.
 */
import { EngineError, validation } from '../errors.js';
import {
  type Condition,
  ExprContext,
  evaluate,
  type KeyCondition,
  type Path,
  type Projection,
  parseCondition,
  parseKeyCondition,
  parseProjection,
  parseUpdate,
  project,
  type Update,
} from '../expr/index.js';
import { RawJson } from '../json.js';
import type { Stored } from '../store/index.js';
import type { AttributeValue, Item, KeyShape } from '../types.js';
import { checkItem } from '../values/validate.js';
import { checkKeyMember } from './_keys.js';

export { itemSize } from './_size.js';

/** An item-valued member (Item, Key, ExclusiveStartKey...), checked and normalised. */
export function checkItemMember(v: unknown, _member: string): Item {
  return checkItem(v);
}

/** GetItem's, DeleteItem's, UpdateItem's Key: exactly the table's key. */
export function checkKeyInput(v: unknown, key: KeyShape): Item {
  if (v === undefined || v === null)
    throw validation('Cannot have null key for GetItem, DeleteItem, or UpdateItem');
  const item = checkItem(v);
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

/** Whether a member is given (DynamoDB treats null as absent). */
function given(input: Present, member: string): boolean {
  return input[member] !== undefined && input[member] !== null;
}

function isEmptyMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

function text(input: Present, member: string): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new EngineError('SerializationException', `${member} must be a string`);
  return v;
}

/**
 * DynamoDB's checks across a request's expression and legacy members. `expressions` lists the
 * expression members the operation takes, in the order DynamoDB names them; `legacy` the old ones.
 */
function checkMembers(input: Present, expressions: string[], legacy: string[], ctx: ExprContext): void {
  const ex = expressions.filter((m) => given(input, m));
  // NOTE: an empty legacy map (Expected: {}) counts as not given, as DynamoDB counts it.
  const old = legacy.filter((m) => given(input, m) && !isEmptyMap(input[m]));
  if (ex.length && old.length) {
    throw validation(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${old.join(', ')}} Expression parameters: {${ex.join(', ')}}`,
    );
  }
  if (ex.length === 0) {
    if (ctx.hasNames)
      throw validation('ExpressionAttributeNames can only be specified when using expressions');
    // NOTE: ProjectionExpression takes no values: DynamoDB names only the members that could.
    const valued = expressions.filter((m) => m !== 'ProjectionExpression');
    if (ctx.hasValues && valued.length) {
      throw validation(
        `ExpressionAttributeValues can only be specified when using expressions: ${valued.join(' and ')} ${valued.length > 1 ? 'are' : 'is'} null`,
      );
    }
  }
}

function compile(cond: Condition | undefined): ((item: Item | undefined) => boolean) | undefined {
  return cond && ((item) => evaluate(cond, item));
}

function projector(p: Projection | undefined): ((item: Item) => Item) | undefined {
  return p && ((item) => project(item, p));
}

/** AttributesToGet as a projection (top-level names), refusing repeats as DynamoDB does. */
function attributesToGet(input: Present): Projection | undefined {
  const a = input.AttributesToGet;
  if (a === undefined || a === null) return undefined;
  if (!Array.isArray(a)) throw new EngineError('SerializationException', 'AttributesToGet must be a list');
  // NOTE: DynamoDB Local takes an empty list as "everything"; DynamoDB refuses it (length ≥ 1).
  if (a.length === 0) return undefined;
  const seen = new Set<string>();
  for (const n of a) {
    if (typeof n !== 'string')
      throw new EngineError('SerializationException', 'AttributesToGet must hold strings');
    if (seen.has(n)) throw validation('Cannot have two attributes with the same name');
    seen.add(n);
  }
  return [...seen].map((n) => [n]);
}

/** The projection of a request: ProjectionExpression or AttributesToGet, parsed with `ctx`. */
function projectionOf(input: Present, ctx: ExprContext): Projection | undefined {
  const pe = text(input, 'ProjectionExpression');
  if (pe !== undefined) return parseProjection(ctx, pe);
  return attributesToGet(input);
}

/** GetItem's (and each BatchGetItem table's) projection, with the placeholder checks. */
export function readProjection(input: Present): ((item: Item) => Item) | undefined {
  // NOTE: GetItem has no ExpressionAttributeValues member: DynamoDB ignores one, as any unknown member.
  const ctx = new ExprContext(input.ExpressionAttributeNames, undefined);
  checkMembers(input, ['ProjectionExpression'], ['AttributesToGet'], ctx);
  const p = projectionOf(input, ctx);
  ctx.finish();
  return projector(p);
}

/** A write's condition (ConditionExpression or Expected), checked with its placeholders. */
export function writeCondition(input: Present): ((item: Item | undefined) => boolean) | undefined {
  const ctx = ExprContext.of(input);
  checkMembers(input, ['ConditionExpression'], ['Expected'], ctx);
  checkConditionalOperator(input, 'Expected');
  const ce = text(input, 'ConditionExpression');
  const cond =
    ce !== undefined ? parseCondition(ctx, ce, 'ConditionExpression') : legacyCondition(input, 'Expected');
  ctx.finish();
  return compile(cond);
}

/** UpdateItem's update and condition, sharing one set of placeholders. */
export function updateExpressions(input: Present): {
  update: Update | undefined;
  cond: ((item: Item | undefined) => boolean) | undefined;
} {
  const ctx = ExprContext.of(input);
  checkMembers(input, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected'], ctx);
  checkConditionalOperator(input, 'Expected');
  const ue = text(input, 'UpdateExpression');
  const update = ue !== undefined ? parseUpdate(ctx, ue) : legacyUpdate(input);
  const ce = text(input, 'ConditionExpression');
  const cond =
    ce !== undefined ? parseCondition(ctx, ce, 'ConditionExpression') : legacyCondition(input, 'Expected');
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

export function readScanExpressions(input: Present): ReadExpressions {
  const ctx = ExprContext.of(input);
  checkMembers(input, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter'], ctx);
  checkConditionalOperator(input, 'ScanFilter');
  const projection = projectionOf(input, ctx);
  const fe = text(input, 'FilterExpression');
  const filter =
    fe !== undefined ? parseCondition(ctx, fe, 'FilterExpression') : legacyCondition(input, 'ScanFilter');
  ctx.finish();
  return {
    filter: compile(filter),
    projection: projector(projection),
    filterAst: filter,
    projectionAst: projection,
  };
}

export function readQueryExpressions(input: Present, key: KeyShape): ReadExpressions & { key: KeyCondition } {
  const ctx = ExprContext.of(input);
  checkMembers(
    input,
    ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    ['AttributesToGet', 'QueryFilter', 'KeyConditions'],
    ctx,
  );
  checkConditionalOperator(input, 'QueryFilter');
  const projection = projectionOf(input, ctx);
  const fe = text(input, 'FilterExpression');
  const kce = text(input, 'KeyConditionExpression');
  if (kce === undefined && !given(input, 'KeyConditions')) {
    throw validation(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  const keyCond = kce !== undefined ? parseKeyCondition(ctx, kce, key) : legacyKeyConditions(input, key);
  const filter =
    fe !== undefined ? parseCondition(ctx, fe, 'FilterExpression') : legacyCondition(input, 'QueryFilter');
  ctx.finish();
  checkKeyConditionValues(keyCond, key);
  return {
    key: keyCond,
    filter: compile(filter),
    projection: projector(projection),
    filterAst: filter,
    projectionAst: projection,
  };
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

function checkConditionalOperator(input: Present, member: 'Expected' | 'QueryFilter' | 'ScanFilter'): void {
  if (given(input, 'ConditionalOperator') && !given(input, member)) {
    throw validation('ConditionalOperator cannot be used without Filter or Expected');
  }
}

// ---- legacy parameters: converted by expr/ into the same ASTs ----

function legacyCondition(
  input: Present,
  member: 'Expected' | 'QueryFilter' | 'ScanFilter',
): Condition | undefined {
  if (!given(input, member)) return undefined;
  throw validation(`${member} is not supported yet by ddbctl's embedded engine`);
}

function legacyUpdate(input: Present): Update | undefined {
  if (!given(input, 'AttributeUpdates') || isEmptyMap(input.AttributeUpdates)) return undefined;
  throw validation("AttributeUpdates is not supported yet by ddbctl's embedded engine");
}

function legacyKeyConditions(_input: Present, _key: KeyShape): KeyCondition {
  throw validation("KeyConditions is not supported yet by ddbctl's embedded engine");
}
