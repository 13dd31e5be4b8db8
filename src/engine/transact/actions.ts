/**
 * A transaction's actions read from the request: each entry's one action (Put, Update, Delete,
 * ConditionCheck; TransactGetItems' Get), its table, key and compiled expressions, checked with
 * the single-item operations' own pieces (_single.ts, _expr.ts, _keys.ts) so that an action is
 * read exactly as the operation of the same name reads it.
 */
import type { TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import { validation } from '../errors.js';
import type { Update } from '../expr/index.js';
import { isObject } from '../ops/_common.js';
import {
  checkExpressionParameters,
  checkKeyInput,
  readProjection,
  updateExpressions,
  writeCondition,
} from '../ops/_expr.js';
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

/** The one action of a TransactWriteItems entry (checked by the request's shape before). */
export function entryAction(entry: unknown): { kind: WriteKind; a: Record<string, unknown> } {
  const given = isObject(entry) ? WRITE_KINDS.filter((k) => entry[k] !== undefined && entry[k] !== null) : [];
  if (given.length !== 1) {
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  const kind = given[0]!;
  return { kind, a: (entry as Record<string, Record<string, unknown>>)[kind]! };
}

/** Read one write action against its table. */
export function readWriteAction(ctx: OpContext, kind: WriteKind, a: Record<string, unknown>): WriteAction {
  const table = ctx.table(a.TableName as string);
  const m = members(a, kind);
  const returnOld = a.ReturnValuesOnConditionCheckFailure === 'ALL_OLD';
  if (kind === 'Put') {
    checkExpressionParameters(m, 'PutItem');
    if (m.Item === undefined) throw validation('Item to put in PutItem cannot be null');
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
}

/** One Get of TransactGetItems, read against its table. */
export interface GetAction {
  table: TableMeta;
  key: string;
  projection: ((item: Item) => Item) | undefined;
}

export function readGetAction(ctx: OpContext, a: Record<string, unknown>): GetAction {
  const table = ctx.table(a.TableName as string);
  const m = members(a, 'Get');
  let projection: GetAction['projection'];
  const keyItem = checkKeyInput(m.Key, table.key, () => {
    projection = readProjection(m);
  });
  return { table, key: itemKey(table, keyItem), projection };
}
