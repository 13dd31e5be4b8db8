/**
 * Transactions: TransactWriteItems (up to 100 put / update / delete / condition-check actions
 * across tables, all or nothing) and TransactGetItems (up to 100 reads from one snapshot).
 *
 * Each is a pure input builder — checked against the tables' key schemas, so a mistake is a local
 * error naming the action, not a round trip — and a thin executor that maps the service's answer:
 * a cancelled transaction says which action failed and why, and an endpoint without transactions
 * (the embedded engine) says so in one line.
 *
 * Actions are numbered from 1 in messages ("action 2"), in the order given.
 *
 * NOTE: one file over 500 lines: the builders and executors of two calls (TransactWriteItems,
 * TransactGetItems) that share the key checks and the cancellation-reason mapping; issue 14 splits it.
 */
import { TransactGetItemsCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import {
  TransactGetCommand,
  type TransactGetCommandInput,
  type TransactGetCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../../clients.js';
import { DdbError, inputError, isDdbError } from '../../errors.js';
import { validateTableName } from '../../names.js';
import { toDdbError } from '../../sdkErrors.js';
import {
  fromDdbJson,
  fromJsItem,
  fromPlainItem,
  fromRawItem,
  type Item,
  type ItemInput,
  parseLosslessJson,
  type RawItem,
  stringifyItem,
} from '../codec.js';
import {
  buildExpressions,
  compileProjection,
  Placeholders,
  type UpdateActions,
} from '../expressions/index.js';
import { canonicalKey, checkKeyAttributes, getKeySchema, type KeySchema, keyOf } from '../keySchema.js';
import { itemSize, validateItem } from '../validate.js';

// NOTE: DynamoDB's transaction limits: 100 actions (or gets) per request, 4 MB in total.
/** Most actions in one TransactWriteItems, or gets in one TransactGetItems. */
export const MAX_TRANSACT_ITEMS = 100;
/** Most bytes of items (and keys and values) in one transaction. */
export const MAX_TRANSACT_BYTES = 4 * 1024 * 1024;
/** ClientRequestToken: 1–36 characters. */
const MAX_TOKEN_LENGTH = 36;

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

// NOTE: the action types take `ItemInput` (plain JS numbers too) from a program; `transactWrite`
// converts them once (`fromJsAction`) and works on `Item`s from there (`TransactAction<Item>`).

/** Create or replace `item`; with `condition`, only when it holds for the current item. */
export interface TransactPut<I extends ItemInput = ItemInput> {
  table: string;
  item: I;
  /** A condition in the expression syntax (see expressions/), e.g. `attribute_not_exists(pk)`. */
  condition?: string;
}

/** Update the item with `key` (created when missing) with the actions of `UpdateActions`. */
export interface TransactUpdate<I extends ItemInput = ItemInput> extends UpdateActions {
  table: string;
  key: I;
  condition?: string;
}

/** Delete the item with `key`; with `condition`, only when it holds. */
export interface TransactDelete<I extends ItemInput = ItemInput> {
  table: string;
  key: I;
  condition?: string;
}

/** Write nothing, but cancel the whole transaction unless `condition` holds for the item with `key`. */
export interface TransactCheck<I extends ItemInput = ItemInput> {
  table: string;
  key: I;
  condition: string;
}

/** One action of a write transaction: an object with exactly one of these fields. */
export type TransactAction<I extends ItemInput = ItemInput> =
  | { put: TransactPut<I> }
  | { update: TransactUpdate<I> }
  | { delete: TransactDelete<I> }
  | { check: TransactCheck<I> };

export type TransactActionType = 'put' | 'update' | 'delete' | 'check';

/** One read of a get transaction. */
export interface TransactGet<I extends ItemInput = ItemInput> {
  table: string;
  key: I;
  /** The attributes to return: comma-separated paths such as `a,b.c`. Default: the whole item. */
  project?: string;
}

export interface TransactWriteOptions {
  /**
   * ClientRequestToken (1–36 characters): repeating a transaction with the same token within 10
   * minutes does not apply it twice. Default: none (the SDK does not make retries idempotent then).
   */
  token?: string;
  /**
   * Ask for the current item of an action whose condition failed (ReturnValuesOnConditionCheckFailure
   * ALL_OLD) to show it in the error. Default true: it costs no read capacity.
   */
  returnFailedItems?: boolean;
}

export interface TransactWriteResult {
  /** How many actions were applied (all of them: a transaction is all or nothing). */
  actions: number;
  /** The tables written or checked, in the order first named. */
  tables: string[];
}

/** Why one action of a cancelled transaction failed; one entry per action, in order. */
export interface CancellationReason {
  /** 0-based position of the action in the list given. */
  index: number;
  /** 1-based action number, as messages show it. */
  action: number;
  type: TransactActionType | 'get';
  table: string;
  key: Item;
  /** DynamoDB's code: `None` (this action was fine), `ConditionalCheckFailed`, `TransactionConflict`, ... */
  code: string;
  message?: string;
  /** The current item, when a condition failed and it exists. */
  item?: Item;
}

// ---------------------------------------------------------------------------------------------
// Reading an action file
// ---------------------------------------------------------------------------------------------

export interface ParseTransactOptions {
  /** Items and keys are DynamoDB JSON (`{"S": "..."}`); conditions and updates stay readable. */
  ddbJson?: boolean;
  /** Names the input in messages, e.g. "actions in orders.json". Default "actions". */
  where?: string;
}

interface Entry {
  value: unknown;
  /** "action 2" or "action 2 (line 3)". */
  label: string;
}

/**
 * A JSON array, one JSON object, or NDJSON (one object per line, blank lines skipped) → entries.
 * Numbers stay exact (lossless parsing).
 */
function parseEntries(text: string, where: string, noun: string): Entry[] {
  const trimmed = text.trim();
  if (trimmed === '')
    throw inputError('input.json', `${where}: empty; give a JSON array or one ${noun} per line`);
  let whole: unknown;
  let parsed = false;
  if (trimmed.startsWith('[')) {
    whole = parseLosslessJson(trimmed, where);
    parsed = true;
  } else {
    try {
      whole = parseLosslessJson(trimmed, where);
      parsed = true;
    } catch {
      // Not one JSON value: read it as NDJSON below, where errors name the line.
    }
  }
  if (parsed) {
    const list = Array.isArray(whole) ? whole : [whole];
    return list.map((value, i) => ({ value, label: `${noun} ${i + 1}` }));
  }
  const entries: Entry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const n = entries.length + 1;
    const label = n === i + 1 ? `${noun} ${n}` : `${noun} ${n} (line ${i + 1})`;
    entries.push({ value: parseLosslessJson(line, `${where}: line ${i + 1}`), label });
  });
  return entries;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An item or key from a parsed JSON value (plain JSON, or DynamoDB JSON with `ddbJson`). */
function toItem(v: unknown, where: string, ddbJson: boolean): Item {
  if (!isObject(v)) throw inputError('input.json', `${where}: expected a JSON object such as {"id":"o1"}`);
  if (ddbJson) return fromDdbJson(v, where);
  try {
    return fromPlainItem(v, '');
  } catch (e) {
    throw prefixed(e, where);
  }
}

function checkFields(body: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) {
      throw inputError(
        'input.json',
        `${where}: unknown field ${JSON.stringify(k)}; expected ${allowed.join(', ')}`,
      );
    }
  }
}

function stringField(
  body: Record<string, unknown>,
  name: string,
  where: string,
  required: boolean,
): string | undefined {
  const v = body[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') {
    throw inputError(
      'input.json',
      `${where}: "${name}" ${v === undefined ? 'is missing' : 'must be a non-empty string'}${name === 'condition' ? ', such as "attribute_exists(id)"' : ''}`,
    );
  }
  return v;
}

const ACTION_FIELDS: Record<TransactActionType, readonly string[]> = {
  put: ['table', 'item', 'condition'],
  update: ['table', 'key', 'set', 'add', 'remove', 'delete', 'append', 'setIfNotExists', 'condition'],
  delete: ['table', 'key', 'condition'],
  check: ['table', 'key', 'condition'],
};
const UPDATE_KINDS = ['set', 'add', 'remove', 'delete', 'append', 'setIfNotExists'] as const;
const TYPES = Object.keys(ACTION_FIELDS) as TransactActionType[];

/**
 * Read the actions of a write transaction from text: a JSON array, or NDJSON, of objects such as
 *   {"put": {"table": "T", "item": {...}, "condition": "attribute_not_exists(pk)"}}
 *   {"update": {"table": "T", "key": {...}, "set": ["a = a + 1"], "add": [...], "remove": [...], "condition": "..."}}
 *   {"delete": {"table": "T", "key": {...}, "condition": "..."}}
 *   {"check": {"table": "T", "key": {...}, "condition": "..."}}
 * Checks all that needs no server: the shape, table names, items (DynamoDB's limits), conditions
 * and updates, the total size; keys are checked against the tables' schemas by `transactWriteInput`.
 */
export function parseTransactActions(text: string, opts: ParseTransactOptions = {}): TransactAction<Item>[] {
  const where = opts.where ?? 'actions';
  const entries = parseEntries(text, where, 'action');
  checkCount(entries.length, 'action', 'actions');
  const actions = entries.map(({ value, label }) => parseAction(value, `${where}: ${label}`, !!opts.ddbJson));
  // Everything that needs no table schema is checked now, before any request.
  let bytes = 0;
  actions.forEach((a, i) => {
    try {
      bytes += buildAction(a, i, undefined, false).bytes;
    } catch (e) {
      throw prefixed(e, where);
    }
  });
  checkBytes(bytes);
  return actions;
}

function parseAction(value: unknown, at: string, ddbJson: boolean): TransactAction<Item> {
  if (
    !isObject(value) ||
    Object.keys(value).length !== 1 ||
    !TYPES.includes(Object.keys(value)[0] as never)
  ) {
    throw inputError(
      'input.json',
      `${at}: expected an object with one of ${TYPES.map((t) => `"${t}"`).join(', ')}, such as {"put": {"table": "T", "item": {"id": "a"}}}`,
    );
  }
  const type = Object.keys(value)[0] as TransactActionType;
  const body = value[type];
  if (!isObject(body)) throw inputError('input.json', `${at}: "${type}" must be an object`);
  const table = stringField(body, 'table', `${at} (${type})`, true)!;
  const ctx = `${at} (${verb(type, table)})`;
  checkFields(body, ACTION_FIELDS[type], ctx);
  const condition = stringField(body, 'condition', ctx, type === 'check');
  const cond = condition === undefined ? {} : { condition };
  switch (type) {
    case 'put': {
      if (body.item === undefined) throw inputError('input.json', `${ctx}: "item" is missing`);
      return { put: { table, item: toItem(body.item, `${ctx}: item`, ddbJson), ...cond } };
    }
    case 'update': {
      const key = requiredKey(body, ctx, ddbJson);
      const actions: UpdateActions = {};
      for (const kind of UPDATE_KINDS) {
        const v = body[kind];
        if (v === undefined) continue;
        const list = typeof v === 'string' ? [v] : v;
        if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
          throw inputError(
            'input.json',
            `${ctx}: "${kind}" must be a string or a list of strings, such as ["a = a + 1"]`,
          );
        }
        actions[kind] = list as string[];
      }
      if (!UPDATE_KINDS.some((k) => actions[k]?.length)) {
        throw inputError(
          'input.json',
          `${ctx}: nothing to update; give "set", "add", "remove", "delete", "append" or "setIfNotExists" (or use "check" to only test a condition)`,
        );
      }
      return { update: { table, key, ...actions, ...cond } };
    }
    case 'delete':
      return { delete: { table, key: requiredKey(body, ctx, ddbJson), ...cond } };
  }
  return { check: { table, key: requiredKey(body, ctx, ddbJson), condition: condition! } };
}

function requiredKey(body: Record<string, unknown>, ctx: string, ddbJson: boolean): Item {
  if (body.key === undefined) throw inputError('input.json', `${ctx}: "key" is missing`);
  return toItem(body.key, `${ctx}: key`, ddbJson);
}

/**
 * Read the gets of a read transaction: a JSON array, or NDJSON, of objects such as
 *   {"table": "T", "key": {"id": "a"}, "project": "name,total"}
 */
export function parseTransactGets(text: string, opts: ParseTransactOptions = {}): TransactGet<Item>[] {
  const where = opts.where ?? 'gets';
  const entries = parseEntries(text, where, 'get');
  checkCount(entries.length, 'get', 'gets');
  return entries.map(({ value, label }) => {
    const at = `${where}: ${label}`;
    if (!isObject(value)) {
      throw inputError('input.json', `${at}: expected an object such as {"table": "T", "key": {"id": "a"}}`);
    }
    const table = stringField(value, 'table', at, true)!;
    const ctx = `${at} (get from ${table})`;
    checkFields(value, ['table', 'key', 'project'], ctx);
    const project = stringField(value, 'project', ctx, false);
    return {
      table,
      key: requiredKey(value, ctx, !!opts.ddbJson),
      ...(project === undefined ? {} : { project }),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Pure input builders
// ---------------------------------------------------------------------------------------------

function checkCount(n: number, noun: string, plural: string): void {
  if (n === 0) throw inputError('input.json', `no ${plural} given; a transaction needs at least one ${noun}`);
  if (n > MAX_TRANSACT_ITEMS) {
    throw inputError(
      'input.json',
      `${n} ${plural}: DynamoDB allows at most ${MAX_TRANSACT_ITEMS} per transaction; split them into several transactions (each is atomic on its own)`,
    );
  }
}

function verb(type: TransactActionType | 'get', table: string): string {
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
function prefixed(e: unknown, label: string): unknown {
  if (!(e instanceof DdbError)) return e;
  return new DdbError(e.code, {
    message: `${label}: ${e.message}`,
    cause: e,
    ...(e.details ? { details: e.details } : {}),
  });
}

function schemaOf(schemas: ReadonlyMap<string, KeySchema>, table: string): KeySchema {
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
function short(item: Item, max = 200): string {
  const s = stringifyItem(item);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** What an action or get touches, for messages. */
export interface ActionTarget {
  type: TransactActionType | 'get';
  table: string;
  key: Item;
}

function describeAction(d: ActionTarget, i: number): string {
  return `${d.type === 'get' ? 'get' : 'action'} ${i + 1} (${verb(d.type, d.table)}, key ${short(d.key)})`;
}

/** Every item read or written once: DynamoDB rejects a transaction that names one twice. */
function checkDistinct(
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

type TransactWriteEntry = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An action as given by a program, with its item or key as `Item` (the library's boundary, `fromJsItem`). */
function fromJsAction(action: TransactAction, i: number): TransactAction<Item> {
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

function fromJsGet(g: TransactGet, i: number): TransactGet<Item> {
  if (!isObject(g))
    throw inputError('input.json', `get ${i + 1}: expected an object such as {"table": "T", "key": {...}}`);
  return { ...g, key: fromJsItem(g.key, `get ${i + 1} (get from ${g.table}): key`) };
}

/**
 * One action → its TransactItems entry, the item it touches and its size. Without `schema` (while
 * reading a file, before the tables are known) the keys are not checked and `target` is undefined.
 */
function buildAction(
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

function checkBytes(bytes: number): void {
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

/**
 * Pure: the TransactGetItems input. Checks 1–100 gets, table names, keys against the schemas, no
 * item read twice, projections.
 */
export function transactGetInput(
  given: readonly TransactGet[],
  schemas: ReadonlyMap<string, KeySchema>,
): TransactGetCommandInput {
  checkCount(given.length, 'get', 'gets');
  const gets = given.map(fromJsGet);
  const described: ActionTarget[] = [];
  const TransactItems = gets.map((g, i) => {
    const label = `get ${i + 1} (get from ${g.table})`;
    try {
      validateTableName(g.table);
    } catch (e) {
      throw prefixed(e, label);
    }
    checkKeyAttributes(g.key, schemaOf(schemas, g.table), `${label}: key`, true);
    described.push({ type: 'get', table: g.table, key: g.key });
    let projection = {};
    if (g.project !== undefined) {
      const ph = new Placeholders();
      try {
        projection = {
          ProjectionExpression: compileProjection(g.project, ph),
          ExpressionAttributeNames: ph.names,
        };
      } catch (e) {
        throw prefixed(e, label);
      }
    }
    return { Get: { TableName: g.table, Key: g.key, ...projection } };
  });
  checkDistinct(described, schemas, 'get');
  return { TransactItems };
}

// ---------------------------------------------------------------------------------------------
// Executors
// ---------------------------------------------------------------------------------------------

/**
 * The key schema of each table. When a table is missing, first ask whether the endpoint has
 * transactions at all, with an empty request that can write nothing (DynamoDB rejects it as
 * invalid, dynalite as an unknown operation): on a fresh embedded engine the missing table would
 * otherwise hide the limit the user meets right after creating it.
 */
async function schemasOf(
  clients: Clients,
  tables: string[],
  operation: 'TransactWriteItems' | 'TransactGetItems',
): Promise<Map<string, KeySchema>> {
  try {
    return new Map(await Promise.all(tables.map(async (t) => [t, await getKeySchema(clients, t)] as const)));
  } catch (e) {
    if (!isDdbError(e, 'table.notFound')) throw e;
    try {
      if (operation === 'TransactWriteItems') {
        await clients.ddb.send(new TransactWriteItemsCommand({ TransactItems: [] }));
      } else {
        await clients.ddb.send(new TransactGetItemsCommand({ TransactItems: [] }));
      }
    } catch (probe) {
      if (toDdbError(probe, { operation }).code === 'engine.unsupported') {
        throw unsupportedError(clients, operation, 'transactions', probe);
      }
    }
    throw e;
  }
}

/**
 * Apply up to 100 actions across tables, all or nothing [TransactWriteItems]. Reads each table's
 * key schema first (DescribeTable, once per run) and checks everything locally.
 *
 * Throws `transaction.cancelled` with `details.reasons` (one `CancellationReason` per action) when a
 * condition failed or another request got in the way — nothing was written then — and
 * `engine.unsupported` on an endpoint without transactions.
 */
export async function transactWrite(
  clients: Clients,
  given: readonly TransactAction[],
  opts: TransactWriteOptions = {},
): Promise<TransactWriteResult> {
  checkCount(given.length, 'action', 'actions');
  const actions = given.map(fromJsAction);
  const tables = transactTables(actions);
  const schemas = await schemasOf(clients, tables, 'TransactWriteItems');
  const input = transactWriteInput(actions, schemas, opts);
  try {
    await clients.doc.send(new TransactWriteCommand(input));
  } catch (e) {
    const described = actions.map((a, i): ActionTarget => {
      const { type, body } = actionParts(a, i + 1);
      const schema = schemaOf(schemas, body.table);
      return {
        type,
        table: body.table,
        key:
          type === 'put'
            ? keyOf((body as TransactPut<Item>).item, schema)
            : (body as TransactDelete<Item>).key,
      };
    });
    throw transactError(e, 'TransactWriteItems', described, clients);
  }
  return { actions: actions.length, tables };
}

/**
 * Read up to 100 items across tables from one snapshot [TransactGetItems]: the items in the order
 * asked, `null` for a key with no item.
 */
export async function transactGet(clients: Clients, given: readonly TransactGet[]): Promise<(Item | null)[]> {
  checkCount(given.length, 'get', 'gets');
  const gets = given.map(fromJsGet);
  const schemas = await schemasOf(clients, transactTables(gets), 'TransactGetItems');
  const input = transactGetInput(gets, schemas);
  let out: TransactGetCommandOutput;
  try {
    out = await clients.doc.send(new TransactGetCommand(input));
  } catch (e) {
    throw transactError(
      e,
      'TransactGetItems',
      gets.map((g) => ({ type: 'get', table: g.table, key: g.key })),
      clients,
    );
  }
  return gets.map((_, i) => (out.Responses?.[i]?.Item as Item | undefined) ?? null);
}

/**
 * The one-line error for an endpoint that lacks a feature, naming the embedded engine when that is
 * the target (its clients' label starts with "the embedded engine").
 */
export function unsupportedError(
  clients: Pick<Clients, 'label'>,
  operation: string,
  feature: string,
  cause?: unknown,
): DdbError {
  const what = clients.label.startsWith('the embedded engine')
    ? `the embedded engine has no ${feature}`
    : `${clients.label} has no ${feature}`;
  return new DdbError('engine.unsupported', {
    message: `${operation} is not supported by this endpoint (${what}); use DynamoDB Local or AWS (--endpoint-url / --aws)`,
    ...(cause === undefined ? {} : { cause }),
  });
}

interface RawReason {
  Code?: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

/** A failed transaction call → DdbError; a cancellation lists each action's reason. */
function transactError(e: unknown, operation: string, described: ActionTarget[], clients: Clients): DdbError {
  const name = (e as { name?: string })?.name;
  const reasons = (e as { CancellationReasons?: RawReason[] })?.CancellationReasons;
  if (name === 'TransactionCanceledException' && Array.isArray(reasons) && reasons.length > 0) {
    return cancellationError(operation, described, reasons, e);
  }
  if (name === 'IdempotentParameterMismatchException') {
    return new DdbError('request.invalid', {
      message: `${operation}: this token was used in the last 10 minutes for other actions; use a new token for a new transaction`,
      cause: e,
    });
  }
  if (name === 'TransactionInProgressException') {
    return new DdbError('transaction.conflict', {
      message: `${operation}: a transaction with this token is still in progress; retry in a moment`,
      cause: e,
    });
  }
  const err = toDdbError(e, { operation, target: clients.label });
  if (err.code === 'engine.unsupported') return unsupportedError(clients, operation, 'transactions', e);
  return err;
}

/**
 * Pure: the `transaction.cancelled` error of a cancelled transaction. Its message names each
 * failed action (number, type, table, key, reason; the current item when a condition failed) and
 * lists the others as None; `details.reasons` holds one CancellationReason per action.
 */
export function cancellationError(
  operation: string,
  described: readonly ActionTarget[],
  raw: readonly RawReason[],
  cause?: unknown,
): DdbError {
  const reasons: CancellationReason[] = described.map((d, i) => {
    const r = raw[i] ?? {};
    // The engine's own item: attribute values with binary as bytes, not DynamoDB JSON to check.
    const item = r.Item ? fromRawItem(r.Item as RawItem) : undefined;
    return {
      index: i,
      action: i + 1,
      type: d.type,
      table: d.table,
      key: d.key,
      code: r.Code ?? 'None',
      ...(r.Message ? { message: r.Message } : {}),
      ...(item ? { item } : {}),
    };
  });
  const failed = reasons.filter((r) => r.code !== 'None');
  const fine = reasons.filter((r) => r.code === 'None').map((r) => r.action);
  const parts = failed.map((r) => {
    const why =
      r.code === 'ConditionalCheckFailed'
        ? r.item
          ? `${r.code}, current item ${short(r.item)}`
          : `${r.code}, no current item`
        : `${r.code}${r.message ? ` (${r.message})` : ''}`;
    return `${describeAction(r, r.index)}: ${why}`;
  });
  const noun = operation === 'TransactGetItems' ? 'get' : 'action';
  if (fine.length > 0) parts.push(`${noun}${fine.length === 1 ? '' : 's'} ${fine.join(', ')}: None`);
  const retry = failed.some((r) => /Conflict|Throughput|Throttl/.test(r.code))
    ? '; retry: another request was using the same items or capacity ran out'
    : '';
  const done = operation === 'TransactGetItems' ? 'nothing was read' : 'nothing was written';
  return new DdbError('transaction.cancelled', {
    message: `${operation}: the transaction was cancelled and ${done}: ${parts.join('; ')}${retry}`,
    details: { reasons },
    ...(cause === undefined ? {} : { cause }),
  });
}
