/**
 * The parsed forms of DynamoDB's expressions. Expression text and the legacy parameters
 * (Expected, AttributeUpdates, KeyConditions, QueryFilter/ScanFilter, AttributesToGet) all
 * become these, so evaluation, update and projection exist once.
 */
import type { AttributeValue } from '../types.js';

/** One step of a document path: an attribute / map key name, or a list index. */
export type PathStep = string | number;
/** A document path: `a.b[2]` is `['a', 'b', 2]`; the first step is always a name. */
export type Path = PathStep[];

/** Something that yields a value when evaluated against an item. */
export type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  /** size(path), or size(:value) (then `path` is empty and `value` holds the value). */
  | { kind: 'size'; path: Path; value?: AttributeValue };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A condition (ConditionExpression, FilterExpression, or a converted Expected / Query/ScanFilter). */
export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; value: Operand; low: Operand; high: Operand }
  | { kind: 'in'; value: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; cond: Condition }
  | { kind: 'exists' | 'notExists'; path: Path }
  | { kind: 'type'; path: Path; type: Operand }
  | { kind: 'beginsWith'; value: Operand; prefix: Operand }
  | { kind: 'contains'; value: Operand; item: Operand }
  /** Legacy only: always true (an empty Expected / QueryFilter). */
  | { kind: 'true' };

/** The right-hand side of a SET action. */
export type SetValue =
  | Operand
  | { kind: 'plus' | 'minus'; left: SetValue; right: SetValue }
  | { kind: 'ifNotExists'; path: Path; fallback: SetValue }
  | { kind: 'listAppend'; left: SetValue; right: SetValue };

/** An update: each action kind with its paths, as DynamoDB applies them all against the old item. */
export interface Update {
  set: { path: Path; value: SetValue }[];
  remove: Path[];
  add: { path: Path; value: AttributeValue }[];
  delete: { path: Path; value: AttributeValue }[];
  /** From AttributeUpdates: type errors use the legacy message ("Type mismatch for attribute to update"). */
  legacy?: boolean;
}

/** A projection: the document paths to keep. */
export type Projection = Path[];

export type KeyOp = '=' | '<' | '<=' | '>' | '>=' | 'BETWEEN' | 'BEGINS_WITH';

/** A Query's key condition, resolved against the table's or index's key. */
export interface KeyCondition {
  pk: AttributeValue;
  sk?: { op: KeyOp; values: AttributeValue[] };
}
