/** Pure: the TransactWriteItems input, every action checked before anything is sent. */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { inputError } from '../../errors.js';
import { validateTableName } from '../../names.js';
import { fromJsItem, type Item } from '../codec.js';
import { buildExpressions, type UpdateActions } from '../expressions/index.js';
import { checkKeyAttributes, type KeySchema, keyOf } from '../keySchema.js';
import { itemSize, validateItem } from '../validate.js';
import {
  type ActionTarget,
  actionParts,
  checkCount,
  checkDistinct,
  isObject,
  prefixed,
  schemaOf,
  UPDATE_KINDS,
  verb,
} from './actions.js';
import {
  MAX_TRANSACT_BYTES,
  type TransactAction,
  type TransactDelete,
  type TransactPut,
  type TransactUpdate,
  type TransactWriteOptions,
} from './types.js';

/** ClientRequestToken: 1–36 characters. */
const MAX_TOKEN_LENGTH = 36;

type TransactWriteEntry = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An action as given by a program, with its item or key as `Item` (the library's boundary, `fromJsItem`). */
export function fromJsAction(action: TransactAction, i: number): TransactAction<Item> {
  const { type, body } = actionParts(action, i + 1);
  if (!isObject(body)) {
    throw inputError('input.json', `action ${i + 1}: "${type}" needs an object such as {"table": "T", ...}`);
  }
  const where = `action ${i + 1} (${verb(type, body.table)})`;
  if (type === 'put') {
    const put = body as TransactPut;
    return { put: { ...put, item: fromJsItem(put.item, `${where}: item`) } };
  }
  const keyed = body as TransactDelete;
  return { [type]: { ...keyed, key: fromJsItem(keyed.key, `${where}: key`) } } as TransactAction<Item>;
}

/**
 * One action → its TransactItems entry, the item it touches and its size. Without `schema` (while
 * reading a file, before the tables are known) the keys are not checked and `target` is undefined.
 */
export function buildAction(
  action: TransactAction<Item>,
  i: number,
  schema: KeySchema | undefined,
  returnOld: boolean,
): { entry: TransactWriteEntry; target: ActionTarget | undefined; bytes: number } {
  const { type, body } = actionParts(action, i + 1);
  const label = `action ${i + 1} (${verb(type, body.table)})`;
  try {
    validateTableName(body.table);
  } catch (e) {
    throw prefixed(e, label);
  }
  let key: Item | undefined;
  let bytes: number;
  if (type === 'put') {
    const item = (body as TransactPut<Item>).item;
    if (schema) checkKeyAttributes(item, schema, `${label}: item`);
    validateItem(item, `${label}: item`);
    key = schema ? keyOf(item, schema) : undefined;
    bytes = itemSize(item);
  } else {
    key = (body as TransactDelete<Item>).key;
    if (schema) checkKeyAttributes(key, schema, `${label}: key`, true);
    validateItem(key, `${label}: key`);
    bytes = itemSize(key);
  }
  let built: ReturnType<typeof buildExpressions>;
  try {
    built = buildExpressions({
      ...(body.condition === undefined ? {} : { condition: body.condition }),
      ...(type === 'update' ? { update: updateActions(body as TransactUpdate) } : {}),
    });
  } catch (e) {
    throw prefixed(e, label);
  }
  if (built.ExpressionAttributeValues) {
    validateItem(built.ExpressionAttributeValues, `${label}: values`);
    bytes += itemSize(built.ExpressionAttributeValues);
  }
  const target = key && { type, table: body.table, key };
  const common = {
    TableName: body.table,
    ...built,
    // NOTE: the current item of a failed condition comes back in the cancellation reasons at no
    // read cost; only an action with a condition can fail one.
    ...(built.ConditionExpression && returnOld
      ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const }
      : {}),
  };
  const Key = (body as TransactDelete<Item>).key;
  switch (type) {
    case 'put':
      return { entry: { Put: { ...common, Item: (body as TransactPut<Item>).item } }, target, bytes };
    case 'update':
      return {
        entry: { Update: { ...common, Key, UpdateExpression: built.UpdateExpression! } },
        target,
        bytes,
      };
    case 'delete':
      return { entry: { Delete: { ...common, Key } }, target, bytes };
  }
  return {
    entry: { ConditionCheck: { ...common, Key, ConditionExpression: built.ConditionExpression! } },
    target,
    bytes,
  };
}

/**
 * Pure: the TransactWriteItems input. Checks, before anything is sent: 1–100 actions, valid table
 * names, each key (or put item's key) against its table's schema, items within DynamoDB's limits,
 * no item named twice, conditions and updates (compiled with generated placeholders), 4 MB in all.
 * `schemas` holds the key schema of every table named.
 */
export function transactWriteInput(
  given: readonly TransactAction[],
  schemas: ReadonlyMap<string, KeySchema>,
  opts: TransactWriteOptions = {},
): TransactWriteCommandInput {
  checkCount(given.length, 'action', 'actions');
  const actions = given.map(fromJsAction);
  if (opts.token !== undefined) checkToken(opts.token);
  const returnOld = opts.returnFailedItems ?? true;
  const targets: ActionTarget[] = [];
  let bytes = 0;
  const TransactItems = actions.map((action, i) => {
    const table = actionParts(action, i + 1).body.table;
    const built = buildAction(action, i, schemaOf(schemas, table), returnOld);
    targets.push(built.target!);
    bytes += built.bytes;
    return built.entry;
  });
  checkDistinct(targets, schemas, 'action');
  checkBytes(bytes);
  return { TransactItems, ...(opts.token === undefined ? {} : { ClientRequestToken: opts.token }) };
}

function updateActions(u: TransactUpdate): UpdateActions {
  const out: UpdateActions = {};
  for (const k of UPDATE_KINDS) if (u[k] !== undefined) out[k] = u[k];
  return out;
}

export function checkBytes(bytes: number): void {
  if (bytes > MAX_TRANSACT_BYTES) {
    throw inputError(
      'input.item',
      `the transaction holds about ${(bytes / 1024 / 1024).toFixed(1)} MB of items and values; DynamoDB allows 4 MB per transaction: split it`,
    );
  }
}

function checkToken(token: string): void {
  if (token.length < 1 || token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    throw inputError(
      'usage.invalid',
      `token ${JSON.stringify(token)}: a client request token is 1–${MAX_TOKEN_LENGTH} printable characters without spaces, such as a UUID`,
    );
  }
}
