/**
 * KeyConditionExpression: a condition checked against the key of the table or index, as DynamoDB
 * checks it (messages as DynamoDB Local 3.3.1 words them), then resolved to the partition value
 * and the sort-key range.
 */
import { validation } from '../errors.js';
import type { AttributeValue, KeyShape } from '../types.js';
import type { Condition, KeyCondition, KeyOp, Operand } from './ast.js';
import { typeOf } from './parserBase.js';

const OPERATOR: Partial<Record<Condition['kind'], string>> = {
  or: 'OR',
  not: 'NOT',
  in: 'IN',
  exists: 'attribute_exists',
  notExists: 'attribute_not_exists',
  type: 'attribute_type',
  contains: 'contains',
};

const FLIP: Record<string, KeyOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The operands of a comparison, BETWEEN or begins_with (the conditions a key condition may hold). */
function operandsOf(c: Condition): Operand[] {
  if (c.kind === 'compare') return [c.left, c.right];
  if (c.kind === 'between') return [c.value, c.low, c.high];
  if (c.kind === 'beginsWith') return [c.value, c.prefix];
  return [];
}

/** Operators a key condition cannot use, and operands it cannot have, in the order DynamoDB finds them. */
function checkShape(c: Condition): void {
  const op = OPERATOR[c.kind];
  if (op) throw validation(`Invalid operator used in KeyConditionExpression: ${op}`);
  if (c.kind === 'compare' && c.op === '<>')
    throw validation('Invalid operator used in KeyConditionExpression: <>');
  if (c.kind === 'and') {
    checkShape(c.left);
    checkShape(c.right);
    return;
  }
  const operands = operandsOf(c);
  for (const o of operands) {
    if (o.kind === 'size') throw validation('KeyConditionExpressions cannot contain nested operations');
    if (o.kind === 'path' && o.path.length > 1)
      throw validation(
        `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${o.path[0]}`,
      );
  }
}

function flattenAnd(c: Condition, out: Condition[]): void {
  if (c.kind === 'and') {
    flattenAnd(c.left, out);
    flattenAnd(c.right, out);
  } else out.push(c);
}

const notSupported = (): Error => validation('Query key condition not supported');

/** One condition as (key name, operator, values). */
function keyPart(c: Condition): { name: string; op: KeyOp; values: AttributeValue[] } {
  const operands = operandsOf(c);
  const names = operands.filter((o) => o.kind === 'path').length;
  if (names === 0)
    throw validation('Invalid condition in KeyConditionExpression: No key attribute specified');
  if (names > 1)
    throw validation(
      'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
    );
  if (c.kind === 'compare') {
    const { left, right } = c;
    if (left.kind === 'path' && right.kind === 'value')
      return { name: left.path[0] as string, op: c.op as KeyOp, values: [right.value] };
    if (left.kind === 'value' && right.kind === 'path')
      return { name: right.path[0] as string, op: FLIP[c.op]!, values: [left.value] };
    throw notSupported();
  }
  if (c.kind === 'between') {
    if (c.value.kind !== 'path' || c.low.kind !== 'value' || c.high.kind !== 'value') throw notSupported();
    return { name: c.value.path[0] as string, op: 'BETWEEN', values: [c.low.value, c.high.value] };
  }
  if (c.kind === 'beginsWith') {
    if (c.value.kind !== 'path' || c.prefix.kind !== 'value') throw notSupported();
    return { name: c.value.path[0] as string, op: 'BEGINS_WITH', values: [c.prefix.value] };
  }
  throw notSupported();
}

/** Resolve a parsed key condition against the key it queries. */
export function resolveKeyCondition(cond: Condition, key: KeyShape): KeyCondition {
  checkShape(cond);
  const flat: Condition[] = [];
  flattenAnd(cond, flat);
  const parts = flat.map(keyPart);
  const names = new Set(parts.map((p) => p.name));
  if (names.size < parts.length)
    throw validation('KeyConditionExpressions must only contain one condition per key');
  if (parts.length > 2) throw validation('Conditions can be of length 1 or 2 only');
  // NOTE: DynamoDB names the missing element ("...element: pk"); DynamoDB Local 3.3.1 does not.
  const missed = (): Error => validation('Query condition missed key schema element');
  let pk: AttributeValue | undefined;
  let sk: KeyCondition['sk'];
  for (const p of parts) {
    if (p.name === key.hash.name) {
      if (p.op !== '=') throw notSupported();
      checkType(p.values, key.hash.type);
      pk = p.values[0];
    } else if (key.range && p.name === key.range.name) {
      checkType(p.values, key.range.type);
      sk = { op: p.op, values: p.values };
    } else throw missed();
  }
  if (pk === undefined) throw missed();
  return sk ? { pk, sk } : { pk };
}

function checkType(values: AttributeValue[], type: string): void {
  if (values.some((v) => typeOf(v) !== type))
    throw validation(
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
}
