/**
 * The legacy parameters DynamoDB still accepts, turned into the same ASTs as expressions, with
 * their own checks and messages (as DynamoDB Local 3.3.1 words them): Expected and
 * QueryFilter/ScanFilter (+ ConditionalOperator), AttributeUpdates, KeyConditions, AttributesToGet;
 * and the rules on mixing them with expressions.
 */
import { EngineError, validation } from '../errors.js';
import type { AttributeValue, KeyShape } from '../types.js';
import { compareScalars } from '../values/compare.js';
import { checkValue } from '../values/validate.js';
import type { Condition, KeyCondition, KeyOp, Operand, Projection, Update } from './ast.js';
import { LONG_TYPE, typeOf } from './parserBase.js';

const INVALID = 'One or more parameter values were invalid: ';
const SCALARS = ['S', 'N', 'B'];
const SETS = ['SS', 'NS', 'BS'];
/** Value types each ComparisonOperator takes, and how many values. */
const OPERATORS: Record<string, { types?: string[]; count: number | 'many' }> = {
  EQ: { count: 1 },
  NE: { count: 1 },
  LE: { types: SCALARS, count: 1 },
  LT: { types: SCALARS, count: 1 },
  GE: { types: SCALARS, count: 1 },
  GT: { types: SCALARS, count: 1 },
  NOT_NULL: { count: 0 },
  NULL: { count: 0 },
  CONTAINS: { types: [...SCALARS, 'BOOL', 'NULL'], count: 1 },
  NOT_CONTAINS: { types: [...SCALARS, 'BOOL', 'NULL'], count: 1 },
  BEGINS_WITH: { types: ['S', 'B'], count: 1 },
  IN: { types: SCALARS, count: 'many' },
  BETWEEN: { types: SCALARS, count: 2 },
};
const COMPARE: Record<string, '=' | '<>' | '<' | '<=' | '>' | '>='> = {
  EQ: '=',
  NE: '<>',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function serialization(what: string): EngineError {
  return new EngineError('SerializationException', `Unexpected value type in ${what}`);
}

function checkName(name: string): void {
  if (name === '') throw validation('Empty attribute name');
}

/** A ComparisonOperator with its values checked; the values as DynamoDB holds them. */
function checkedComparison(op: unknown, list: unknown): { op: string; values: AttributeValue[] } {
  const spec = typeof op === 'string' ? OPERATORS[op] : undefined;
  if (!spec) throw validation('Comparison type does not exist in DynamoDB');
  if (list !== undefined && !Array.isArray(list)) throw serialization('AttributeValueList');
  const values = ((list as unknown[] | undefined) ?? []).map((v) => checkValue(v));
  const n = values.length;
  const countOk = spec.count === 'many' ? n >= 1 : n === spec.count;
  if (!countOk) throw validation(`${INVALID}Invalid number of argument(s) for the ${op} ComparisonOperator`);
  for (const v of values) {
    if (spec.types && !spec.types.includes(typeOf(v)))
      throw validation(
        `${INVALID}ComparisonOperator ${op} is not valid for ${typeOf(v)} AttributeValue type`,
      );
  }
  if (n > 1 && values.some((v) => typeOf(v) !== typeOf(values[0]!)))
    throw validation(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  if (op === 'BETWEEN' && compareScalars(values[0]!, values[1]!) > 0)
    throw validation(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
  return { op: op as string, values };
}

/** One attribute's legacy comparison as a condition. */
function comparison(name: string, op: string, values: AttributeValue[]): Condition {
  const path: Operand = { kind: 'path', path: [name] };
  const value = (i: number): Operand => ({ kind: 'value', value: values[i]! });
  const compare = COMPARE[op];
  if (compare) return { kind: 'compare', op: compare, left: path, right: value(0) };
  switch (op) {
    case 'NOT_NULL':
      return { kind: 'exists', path: [name] };
    case 'NULL':
      return { kind: 'notExists', path: [name] };
    case 'CONTAINS':
      return { kind: 'contains', value: path, item: value(0) };
    case 'NOT_CONTAINS':
      // NOTE: unlike NOT contains(...), NOT_CONTAINS is false when the attribute is missing.
      return {
        kind: 'and',
        left: { kind: 'exists', path: [name] },
        right: { kind: 'not', cond: { kind: 'contains', value: path, item: value(0) } },
      };
    case 'BEGINS_WITH':
      return { kind: 'beginsWith', value: path, prefix: value(0) };
    case 'IN':
      return { kind: 'in', value: path, list: values.map((_, i) => value(i)) };
    default:
      return { kind: 'between', value: path, low: value(0), high: value(1) };
  }
}

function combine(conds: Condition[], operator: unknown): Condition {
  const kind = operator === 'OR' ? 'or' : 'and';
  return conds.reduce((left, right) => ({ kind, left, right }));
}

/** ConditionalOperator's own rules (given the number of conditions it joins). */
function checkConditionalOperator(operator: unknown, count: number | undefined): void {
  if (operator === undefined || operator === null) return;
  if (operator !== 'AND' && operator !== 'OR')
    throw validation(
      `1 validation error detected: Value '${String(operator)}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]`,
    );
  if (count === undefined) throw validation('ConditionalOperator cannot be used without Filter or Expected');
  if (count < 2)
    throw validation('ConditionalOperator can only be used when Filter or Expected has two or more elements');
}

/** Expected (+ ConditionalOperator) as a condition; undefined when there is nothing to check. */
export function conditionFromExpected(expected: unknown, operator?: unknown): Condition | undefined {
  if (expected === undefined || expected === null) {
    checkConditionalOperator(operator, undefined);
    return undefined;
  }
  if (!isObject(expected)) throw serialization('Expected');
  const conds: Condition[] = [];
  for (const [name, e] of Object.entries(expected)) {
    checkName(name);
    if (!isObject(e)) throw serialization('Expected');
    const { Value, Exists, ComparisonOperator: op, AttributeValueList: list } = e;
    const value = Value === undefined || Value === null ? undefined : checkValue(Value);
    const exists = Exists === undefined || Exists === null ? undefined : Exists;
    if (exists !== undefined && typeof exists !== 'boolean') throw serialization('Exists');
    if (op !== undefined && op !== null) {
      if (exists !== undefined)
        throw validation(
          `${INVALID}Exists and ComparisonOperator cannot be used together for Attribute: ${name}`,
        );
      if (value !== undefined && list !== undefined)
        throw validation(
          `${INVALID}Value and AttributeValueList cannot be used together for Attribute: ${name}`,
        );
      const needs = typeof op === 'string' && OPERATORS[op] && OPERATORS[op].count !== 0;
      if (needs && value === undefined && list === undefined)
        throw validation(
          `${INVALID}Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`,
        );
      const c = checkedComparison(op, value !== undefined ? [value] : list);
      conds.push(comparison(name, c.op, c.values));
      continue;
    }
    if (list !== undefined)
      throw validation(
        `${INVALID}AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`,
      );
    if (exists === false) {
      if (value !== undefined)
        throw validation(`${INVALID}Value cannot be used when Exists is false for Attribute: ${name}`);
      conds.push({ kind: 'notExists', path: [name] });
    } else {
      if (value === undefined)
        throw validation(
          `${INVALID}Value must be provided when Exists is ${exists === undefined ? 'null' : 'true'} for Attribute: ${name}`,
        );
      conds.push(comparison(name, 'EQ', [value]));
    }
  }
  checkConditionalOperator(operator, conds.length);
  return conds.length ? combine(conds, operator) : undefined;
}

/**
 * QueryFilter / ScanFilter (+ ConditionalOperator) as a condition. For a Query, `keyNames` are the
 * queried key's attributes, which a QueryFilter may not name.
 */
export function conditionFromFilter(
  filter: unknown,
  operator: unknown,
  param: 'QueryFilter' | 'ScanFilter',
  keyNames: readonly string[] = [],
): Condition | undefined {
  if (filter === undefined || filter === null) {
    checkConditionalOperator(operator, undefined);
    return undefined;
  }
  if (!isObject(filter)) throw serialization(param);
  const conds: Condition[] = [];
  for (const [name, f] of Object.entries(filter)) {
    checkName(name);
    if (!isObject(f)) throw serialization(param);
    const c = checkedComparison(f.ComparisonOperator, f.AttributeValueList);
    conds.push(comparison(name, c.op, c.values));
  }
  checkConditionalOperator(operator, conds.length);
  for (const name of Object.keys(filter))
    if (keyNames.includes(name))
      throw validation(
        `${param} can only contain non-primary key attributes: Primary key attribute: ${name}`,
      );
  return conds.length ? combine(conds, operator) : undefined;
}

const RANGE_OPS: Record<string, KeyOp> = {
  EQ: '=',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  BEGINS_WITH: 'BEGINS_WITH',
  BETWEEN: 'BETWEEN',
};

/** KeyConditions resolved against the queried key, as a KeyConditionExpression would be. */
export function keyConditionFromLegacy(keyConditions: unknown, key: KeyShape): KeyCondition {
  if (!isObject(keyConditions)) throw serialization('KeyConditions');
  const entries = Object.entries(keyConditions);
  const parts = entries.map(([name, k]) => {
    checkName(name);
    if (!isObject(k)) throw serialization('KeyConditions');
    return { name, ...checkedComparison(k.ComparisonOperator, k.AttributeValueList) };
  });
  if (parts.length === 0) throw validation('Conditions must be at least length 1');
  if (parts.length > 2) throw validation('Conditions can be of length 1 or 2 only');
  const mismatch = (values: AttributeValue[], type: string): void => {
    if (values.some((v) => typeOf(v) !== type))
      throw validation(`${INVALID}Condition parameter type does not match schema type`);
  };
  let pk: AttributeValue | undefined;
  let sk: KeyCondition['sk'];
  for (const p of parts) {
    if (p.name === key.hash.name) {
      if (p.op !== 'EQ') throw validation('Query key condition not supported');
      mismatch(p.values, key.hash.type);
      pk = p.values[0];
    } else if (key.range && p.name === key.range.name) {
      const op = RANGE_OPS[p.op];
      if (!op) {
        if (p.op === 'NULL' || p.op === 'NOT_NULL')
          throw validation('Only scalar types can be used as Range Key values');
        throw validation('Attempted conditional constraint is not an indexable operation');
      }
      mismatch(p.values, key.range.type);
      sk = { op, values: p.values };
    } else throw validation('Query condition missed key schema element');
  }
  if (pk === undefined) throw validation('Query condition missed key schema element');
  return sk ? { pk, sk } : { pk };
}

/**
 * AttributeUpdates as an update. Its ADD also appends to lists (as `SET a = list_append(if_not_exists(a, []), v)`);
 * the update is marked legacy for its own error message ("Type mismatch for attribute to update").
 */
export function updateFromAttributeUpdates(updates: unknown): Update {
  if (!isObject(updates)) throw serialization('AttributeUpdates');
  const u: Update = { set: [], remove: [], add: [], delete: [], legacy: true };
  for (const [name, a] of Object.entries(updates)) {
    checkName(name);
    if (!isObject(a)) throw serialization('AttributeUpdates');
    const action = a.Action ?? 'PUT';
    if (action !== 'PUT' && action !== 'ADD' && action !== 'DELETE')
      throw validation('Member must satisfy enum value set: [ADD, DELETE, PUT]');
    const value = a.Value === undefined || a.Value === null ? undefined : checkValue(a.Value);
    if (value === undefined) {
      if (action !== 'DELETE')
        throw validation(`${INVALID}Only DELETE action is allowed when no attribute value is specified`);
      u.remove.push([name]);
      continue;
    }
    const type = typeOf(value);
    if (action === 'PUT') u.set.push({ path: [name], value: { kind: 'value', value } });
    else if (action === 'ADD') {
      if (type === 'L')
        u.set.push({
          path: [name],
          value: {
            kind: 'listAppend',
            left: { kind: 'ifNotExists', path: [name], fallback: { kind: 'value', value: { L: [] } } },
            right: { kind: 'value', value },
          },
        });
      else if (type !== 'N' && !SETS.includes(type))
        throw validation(`${INVALID}ADD action is not supported for the type ${LONG_TYPE[type]}`);
      else u.add.push({ path: [name], value });
    } else {
      if (!SETS.includes(type))
        throw validation(
          `${INVALID}DELETE action with value is not supported for the type ${LONG_TYPE[type]}`,
        );
      u.delete.push({ path: [name], value });
    }
  }
  return u;
}

/** AttributesToGet as a projection (top-level names, taken literally: `a.b` is one name). */
export function projectionFromAttributesToGet(names: unknown): Projection {
  if (!Array.isArray(names)) throw serialization('AttributesToGet');
  if (names.length === 0)
    throw validation(
      "1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string') throw serialization('AttributesToGet');
    if (seen.has(n)) throw validation('Cannot have two attributes with the same name');
    seen.add(n);
  }
  return names.map((n) => [n as string]);
}

// --- mixing legacy and expression parameters --------------------------------------------------

/** NOTE: the order DynamoDB lists them in its message. */
const LEGACY = [
  'AttributesToGet',
  'AttributeUpdates',
  'Expected',
  'QueryFilter',
  'ScanFilter',
  'ConditionalOperator',
  'KeyConditions',
];
const EXPRESSIONS = [
  'ProjectionExpression',
  'UpdateExpression',
  'ConditionExpression',
  'FilterExpression',
  'KeyConditionExpression',
];
/** The expressions of each operation that may use ExpressionAttributeValues, as DynamoDB names them when none is given. */
const VALUE_EXPRESSIONS: Record<string, string[]> = {
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  UpdateItem: ['UpdateExpression', 'ConditionExpression'],
  Query: ['FilterExpression', 'KeyConditionExpression'],
  Scan: ['FilterExpression'],
};

function given(input: Record<string, unknown>, name: string): boolean {
  const v = input[name];
  if (v === undefined || v === null) return false;
  // NOTE: an empty expression or an empty legacy map counts as not given (DynamoDB Local).
  if (v === '') return false;
  if (isObject(v) && Object.keys(v).length === 0 && name !== 'Expected') return false;
  return true;
}

/**
 * The request-level rules on expressions, checked first (before the item and the placeholders):
 * legacy and expression parameters are not mixed, and ExpressionAttributeNames / Values come only
 * with expressions that can use them. `op` is the operation's name ("UpdateItem"); GetItem and
 * BatchGetItem's tables take ProjectionExpression only.
 */
export function checkExpressionParameters(input: Record<string, unknown>, op: string): void {
  const expressions = EXPRESSIONS.filter((p) => given(input, p));
  const legacy = LEGACY.filter(
    (p) => given(input, p) && (p !== 'KeyConditions' || expressions.includes('KeyConditionExpression')),
  );
  if (legacy.length && expressions.length)
    throw validation(
      `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressions.join(', ')}}`,
    );
  // NOTE: an empty map is left to ExprContext ("... must not be empty"), as DynamoDB Local orders it.
  const hasNames = given(input, 'ExpressionAttributeNames');
  if (hasNames && expressions.length === 0)
    throw validation('ExpressionAttributeNames can only be specified when using expressions');
  const valueExpressions = VALUE_EXPRESSIONS[op];
  const hasValues = given(input, 'ExpressionAttributeValues');
  if (valueExpressions && hasValues && !valueExpressions.some((p) => given(input, p)))
    throw validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    );
}
