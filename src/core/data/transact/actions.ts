/**
 * What an action or a get is, and how messages name it: the parts of an action, its tables, the
 * count and distinctness checks, shared by the reader (parse.ts), the builders (writeInput.ts,
 * getInput.ts) and the cancellation errors (errors.ts).
 */
import { DdbError, inputError } from '../../errors.js';
import { validateTableName } from '../../names.js';
import { type Item, type ItemInput, stringifyItem } from '../codec.js';
import { canonicalKey, type KeySchema } from '../keySchema.js';
import {
  MAX_TRANSACT_ITEMS,
  type TransactAction,
  type TransactActionType,
  type TransactCheck,
  type TransactDelete,
  type TransactPut,
  type TransactUpdate,
} from './types.js';

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export const ACTION_FIELDS: Record<TransactActionType, readonly string[]> = {
  put: ['table', 'item', 'condition'],
  update: ['table', 'key', 'set', 'add', 'remove', 'delete', 'append', 'setIfNotExists', 'condition'],
  delete: ['table', 'key', 'condition'],
  check: ['table', 'key', 'condition'],
};
export const UPDATE_KINDS = ['set', 'add', 'remove', 'delete', 'append', 'setIfNotExists'] as const;
export const TYPES = Object.keys(ACTION_FIELDS) as TransactActionType[];

export function checkCount(n: number, noun: string, plural: string): void {
  if (n === 0) throw inputError('input.json', `no ${plural} given; a transaction needs at least one ${noun}`);
  if (n > MAX_TRANSACT_ITEMS) {
    throw inputError(
      'input.json',
      `${n} ${plural}: DynamoDB allows at most ${MAX_TRANSACT_ITEMS} per transaction; split them into several transactions (each is atomic on its own)`,
    );
  }
}

export function verb(type: TransactActionType | 'get', table: string): string {
  switch (type) {
    case 'put':
      return `put into ${table}`;
    case 'update':
      return `update in ${table}`;
    case 'delete':
      return `delete from ${table}`;
    case 'check':
      return `check in ${table}`;
    case 'get':
      return `get from ${table}`;
  }
}

/** The type and body of an action; throws input.json when it is not exactly one of the four. */
export function actionParts<I extends ItemInput = ItemInput>(
  action: TransactAction<I>,
  n = 1,
): {
  type: TransactActionType;
  body: TransactPut<I> | TransactUpdate<I> | TransactDelete<I> | TransactCheck<I>;
} {
  const keys = isObject(action) ? Object.keys(action) : [];
  const type = keys[0] as TransactActionType;
  if (keys.length !== 1 || !TYPES.includes(type)) {
    throw inputError('input.json', `action ${n}: expected exactly one of put, update, delete or check`);
  }
  return { type, body: (action as Record<TransactActionType, TransactPut<I>>)[type] };
}

/** The distinct table names of a list of actions or gets, validated, in first-named order. */
export function transactTables(list: readonly ({ table: string } | TransactAction)[]): string[] {
  const tables: string[] = [];
  list.forEach((x, i) => {
    const table = 'table' in x ? x.table : actionParts(x as TransactAction, i + 1).body.table;
    try {
      validateTableName(table);
    } catch (e) {
      throw prefixed(e, `${'table' in x ? 'get' : 'action'} ${i + 1}`);
    }
    if (!tables.includes(table)) tables.push(table);
  });
  return tables;
}

/** Re-throw a local DdbError with `label: ` in front of its message; other errors unchanged. */
export function prefixed(e: unknown, label: string): unknown {
  if (!(e instanceof DdbError)) return e;
  return new DdbError(e.code, {
    message: `${label}: ${e.message}`,
    cause: e,
    // NOTE: still found by ddbctl's own checks (an item over 400 KB): a usage error, exit 2.
    ...(e.local ? { local: true } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}

export function schemaOf(schemas: ReadonlyMap<string, KeySchema>, table: string): KeySchema {
  const s = schemas.get(table);
  if (!s) throw new DdbError('internal', { message: `no key schema for table ${table}` });
  return s;
}

/**
 * The identity of an item: table and key, with numbers in a canonical form (DynamoDB treats 1,
 * 1.0 and 1e0 as the same key).
 */
function identity(table: string, key: Item, schema: KeySchema): string {
  return JSON.stringify([table, canonicalKey(key, schema)]);
}

/** `{"id":"o1"}`, cut to `max` characters. */
export function short(item: Item, max = 200): string {
  const s = stringifyItem(item);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** What an action or get touches, for messages. */
export interface ActionTarget {
  type: TransactActionType | 'get';
  table: string;
  key: Item;
}

export function describeAction(d: ActionTarget, i: number): string {
  return `${d.type === 'get' ? 'get' : 'action'} ${i + 1} (${verb(d.type, d.table)}, key ${short(d.key)})`;
}

/** Every item read or written once: DynamoDB rejects a transaction that names one twice. */
export function checkDistinct(
  described: ActionTarget[],
  schemas: ReadonlyMap<string, KeySchema>,
  noun: string,
): void {
  const seen = new Map<string, number>();
  described.forEach((d, i) => {
    const id = identity(d.table, d.key, schemaOf(schemas, d.table));
    const first = seen.get(id);
    if (first !== undefined) {
      throw inputError(
        'input.key',
        `${describeAction(d, i)} names the same item as ${noun} ${first + 1}; DynamoDB rejects a transaction that touches one item twice: merge them into one ${noun}`,
      );
    }
    seen.set(id, i);
  });
}
