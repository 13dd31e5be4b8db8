/**
 * A transaction's actions read from the request: each entry's one action (Put, Update, Delete,
 * ConditionCheck; TransactGetItems' Get), its table, key and compiled expressions, checked with
 * the single-item operations' own pieces (_single.ts, _expr.ts, _keys.ts) so that an action is
 * read exactly as the operation of the same name reads it.
 */
import type { TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import { EngineError, validation } from '../errors.js';
import type { Update } from '../expr/index.js';
import { isObject } from '../ops/_common.js';
import {
  checkExpressionParameters,
  checkKeyInput,
  readProjection,
  updateExpressions,
  writeCondition,
} from '../ops/_expr.js';
import { checkName } from '../ops/_keySchema.js';
import { putRecord } from '../ops/_single.js';
import { type ItemRecord, itemKey } from '../ops/_write.js';
import type { Shape } from '../shape.js';
import type { Item } from '../types.js';

export const WRITE_KINDS = ['ConditionCheck', 'Put', 'Delete', 'Update'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/** The members of an action, with their JSON types (shape.ts). */
const ACTION: Shape = {
  struct: {
    TableName: 'string',
    Item: { map: 'any' },
    Key: { map: 'any' },
    ConditionExpression: 'any',
    UpdateExpression: 'any',
    ProjectionExpression: 'any',
    ExpressionAttributeNames: { map: 'string' },
    ExpressionAttributeValues: { map: 'any' },
    ReturnValuesOnConditionCheckFailure: 'string',
  },
};

export const WRITE_ENTRY: Shape = {
  struct: { ConditionCheck: ACTION, Put: ACTION, Delete: ACTION, Update: ACTION },
};
export const GET_ENTRY: Shape = { struct: { Get: ACTION } };

/** One write action, read and checked; what it does to its item is decided against the store. */
export interface WriteAction {
  kind: WriteKind;
  table: TableMeta;
  /** The item's tree key in its table. */
  key: string;
  /** The key attributes (Put: the item). */
  keyItem: Item;
  cond: ((item: Item | undefined) => boolean) | undefined;
  /** Put: the item to store. */
  put?: ItemRecord;
  /** Update: the update to apply. */
  update?: Update;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD: a failed condition answers the item. */
  returnOld: boolean;
  /** Refused while read, as a cancellation reason (ValidationError) rather than for the whole request. */
  invalid?: string;
}

/** The members an action of `kind` has: the rest are ignored, as DynamoDB ignores unknown members. */
function members(a: Record<string, unknown>, kind: WriteKind | 'Get'): Record<string, unknown> {
  const keep: Record<WriteKind | 'Get', string[]> = {
    Put: ['Item', 'ConditionExpression'],
    Update: ['Key', 'UpdateExpression', 'ConditionExpression'],
    Delete: ['Key', 'ConditionExpression'],
    ConditionCheck: ['Key', 'ConditionExpression'],
    Get: ['Key', 'ProjectionExpression'],
  };
  const out: Record<string, unknown> = {};
  for (const m of [...keep[kind], 'ExpressionAttributeNames', 'ExpressionAttributeValues']) {
    if (a[m] !== undefined && a[m] !== null) out[m] = a[m];
  }
  return out;
}

/** The members each action must have, in the order DynamoDB's request validation checks them. */
const REQUIRED: Record<WriteKind | 'Get', string[]> = {
  ConditionCheck: ['Key', 'TableName', 'ConditionExpression'],
  Put: ['Item', 'TableName'],
  Delete: ['Key', 'TableName'],
  Update: ['Key', 'UpdateExpression', 'TableName'],
  Get: ['Key', 'TableName'],
};

const camel = (s: string): string => s[0]!.toLowerCase() + s.slice(1);

/**
 * The request validation of every entry's action, before any is read: a required member missing is
 * refused with its path, in DynamoDB Local's words (no "1 validation error detected: " before them,
 * as its other "must not be null" messages). NOTE: a Get's Key is checked later, in its own words.
 */
export function checkRequired(entries: unknown[], kinds: readonly (WriteKind | 'Get')[]): void {
  entries.forEach((entry, i) => {
    if (!isObject(entry)) return;
    for (const kind of kinds) {
      const a = entry[kind];
      if (!isObject(a)) continue;
      for (const m of REQUIRED[kind]) {
        if (kind === 'Get' && m === 'Key') continue;
        if (a[m] === undefined || a[m] === null) {
          throw validation(
            `Value null at 'transactItems.${i + 1}.member.${camel(kind)}.${camel(m)}' failed to satisfy constraint: Member must not be null`,
          );
        }
      }
    }
  });
}

/** The one action of a TransactWriteItems entry (checked by the request's shape before). */
export function entryAction(entry: unknown): { kind: WriteKind; a: Record<string, unknown> } {
  const given = isObject(entry) ? WRITE_KINDS.filter((k) => entry[k] !== undefined && entry[k] !== null) : [];
  if (given.length === 0) {
    throw validation('Invalid Request: TransactWriteRequest should contain Delete or Put or Update request');
  }
  if (given.length > 1) {
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  const kind = given[0]!;
  return { kind, a: (entry as Record<string, Record<string, unknown>>)[kind]! };
}

/** DynamoDB Local's words for a key of the wrong type, which a transaction answers as a cancellation. */
const KEY_CONDITIONS = 'The number of conditions on the keys is invalid';

export const KEY_TYPE_MISMATCH = 'One or more parameter values were invalid: Type mismatch for key';

/** Read one write action against its table. */
export function readWriteAction(ctx: OpContext, kind: WriteKind, a: Record<string, unknown>): WriteAction {
  checkName(a.TableName);
  const table = ctx.table(a.TableName);
  const m = members(a, kind);
  const returnOld = a.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
  try {
    if (kind === 'Put') {
      checkExpressionParameters(m, 'PutItem');
      const put = putRecord(table, m.Item);
      const cond = writeCondition(m);
      return { kind, table, key: itemKey(table, put.item), keyItem: put.item, cond, put, returnOld };
    }
    const keyItem = checkKeyInput(m.Key, table.key);
    const key = itemKey(table, keyItem);
    if (kind === 'Update') {
      const { update, cond } = updateExpressions(m);
      return { kind, table, key, keyItem, cond, update, returnOld };
    }
    checkExpressionParameters(m, kind === 'Delete' ? 'DeleteItem' : 'ConditionCheck');
    const cond = writeCondition(m);
    return { kind, table, key, keyItem, cond, returnOld };
  } catch (e) {
    // NOTE: DynamoDB Local answers a key of the wrong type as the action's cancellation reason.
    if (e instanceof EngineError && e.message === KEY_TYPE_MISMATCH) {
      return { kind, table, key: '', keyItem: {}, cond: undefined, returnOld, invalid: e.message };
    }
    throw e;
  }
}

/** One Get of TransactGetItems, read against its table. */
export interface GetAction {
  table: TableMeta;
  key: string;
  projection: ((item: Item) => Item) | undefined;
}

export function readGetAction(ctx: OpContext, a: Record<string, unknown>): GetAction {
  checkName(a.TableName);
  const table = ctx.table(a.TableName);
  const m = members(a, 'Get');
  if (m.Key === undefined) throw validation('Get Condition for key not in key list');
  let projection: GetAction['projection'];
  let keyItem: Item;
  try {
    keyItem = checkKeyInput(m.Key, table.key, () => {
      projection = readProjection(m);
    });
  } catch (e) {
    // NOTE: DynamoDB Local answers a Get's key that does not match the table's as a
    // TransactionCanceledException with the key's message and no reasons.
    if (e instanceof EngineError && (e.message === KEY_TYPE_MISMATCH || e.message === KEY_CONDITIONS)) {
      throw new EngineError('TransactionCanceledException', e.message);
    }
    throw e;
  }
  return { table, key: itemKey(table, keyItem), projection };
}
