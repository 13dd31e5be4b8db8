/** The public types of the expression compiler: what callers give and what they get back. */
import type { ItemValue } from '../codec.js';

/** One compiled expression with the placeholders it uses. */
export interface CompiledExpression {
  /** The expression text, made of placeholders, operators and function names only. */
  expression: string;
  /** `#nN` → attribute name. */
  names: Record<string, string>;
  /** `:vN` → value. */
  values: Record<string, ItemValue>;
}

/**
 * One step of a document path: an attribute or map key name, a list index, or a raw `#x`
 * placeholder the caller defines in `ExpressionAttributeNames`.
 */
export type PathSegment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'placeholder'; placeholder: string };

/**
 * The actions of one UpdateExpression; each entry may hold several actions of its kind separated
 * by commas. All are grouped into one `SET ... REMOVE ... ADD ... DELETE ...` expression.
 */
export interface UpdateActions {
  /** `path = value`, `path = a + b`, `path = a - b`, `path = if_not_exists(p, v)`, `path = list_append(a, b)`. */
  set?: string[];
  /** `path value` or `path = value`: add a number to a number, or elements to a set. */
  add?: string[];
  /** `path`: remove an attribute, map key or list element. */
  remove?: string[];
  /** `path value` or `path = value`: remove the elements of a set from a set. */
  delete?: string[];
  /** `path = value`: append to a list (created when missing); a value that is not a list is appended as one element. */
  append?: string[];
  /** `path = value`: set only when the attribute does not exist yet. */
  setIfNotExists?: string[];
}

/** Inputs of `buildExpressions`; every expression is optional, raw placeholders are merged first. */
export interface BuildExpressionsOptions {
  /** ConditionExpression of a put, update or delete. */
  condition?: string;
  /** FilterExpression of a query or scan. */
  filter?: string;
  /** KeyConditionExpression of a query: partition key `=`, and optionally one sort key condition. */
  keyCondition?: string;
  /** ProjectionExpression: comma-separated paths. */
  projection?: string;
  /** UpdateExpression actions. */
  update?: UpdateActions;
  /** A raw UpdateExpression, passed through as written; its `#x` / `:x` must be raw placeholders. */
  rawUpdate?: string;
  /** The caller's own `#x` placeholders, used verbatim in the expressions above. */
  rawNames?: Record<string, string>;
  /** The caller's own `:x` placeholders, used verbatim in the expressions above. */
  rawValues?: Record<string, ItemValue>;
}

/** The request fields `buildExpressions` fills in; fields with nothing to say are left out. */
export interface BuiltExpressions {
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  ProjectionExpression?: string;
  UpdateExpression?: string;
  /** Left out when empty: DynamoDB rejects an empty map. */
  ExpressionAttributeNames?: Record<string, string>;
  /** Left out when empty: DynamoDB rejects an empty map. */
  ExpressionAttributeValues?: Record<string, ItemValue>;
}
