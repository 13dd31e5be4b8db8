/**
 * One item: GET, PUT (create, or replace the item as it was read), DELETE; and the bulk delete.
 * Through the library's getItem, putItem, deleteItem and batchWrite: the same checks and errors
 * as `ddbctl get/put/delete/batch-write`.
 */
import { batchWrite } from '../../../core/batch/batchWrite.js';
import type { Clients } from '../../../core/clients.js';
import type { Item } from '../../../core/data/codec.js';
import { deleteItem } from '../../../core/data/deleteItem.js';
import { getItem } from '../../../core/data/getItem.js';
import { canonicalKey, getKeySchema, type KeySchema, keyNames, keyOf } from '../../../core/data/keySchema.js';
import { putItem } from '../../../core/data/putItem.js';
import { isDdbError } from '../../../core/errors.js';
import { canonicalText, itemIn, itemOut } from '../ddbJson.js';
import { readJson, UiError } from '../http.js';
import type { ApiContext, Route } from './context.js';

/** Keys one bulk delete takes (the page selects loaded rows). */
const MAX_BULK_KEYS = 10_000;
/**
 * NOTE: DynamoDB's expressions are at most 4 KB; the condition that the item is unchanged names
 * the attributes it fits (the key first). The exact comparison with a strongly consistent read just
 * before covers every attribute; the condition covers a change in between.
 */
const MAX_CONDITION_CHARS = 3000;

async function get(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const text = ctx.query.get('key');
  if (!text) throw new UiError(400, 'input.key', "key: give the item's key as DynamoDB JSON in ?key=");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UiError(400, 'input.json', `key: not JSON: ${(e as Error).message}`);
  }
  const r = await getItem(ctx.clients, table, itemIn(parsed, 'key'), { consistent: true });
  if (!r.found) throw new UiError(404, 'item.notFound', `no item in ${table} has this key`);
  return { item: itemOut(r.item) };
}

/**
 * Throws ui.changed (409) unless the stored item with `key` is exactly `expected`; returns the
 * condition that it still has `expected`'s values, for the write that follows.
 */
async function checkUnchanged(
  clients: Clients,
  table: string,
  schema: KeySchema,
  expected: Item,
): Promise<{ condition: string; names: Record<string, string>; values: Item }> {
  const key = keyOf(expected, schema);
  const now = await getItem(clients, table, key, { consistent: true });
  if (!now.found || canonicalText(now.item) !== canonicalText(expected)) {
    throw changed(now.found ? 'changed' : 'deleted');
  }
  const keyAttrs = keyNames(schema);
  const names: Record<string, string> = {};
  const values: Item = {};
  const parts: string[] = [];
  let length = 0;
  const attrs = [...keyAttrs, ...Object.keys(expected).filter((n) => !keyAttrs.includes(n))];
  for (const [i, name] of attrs.entries()) {
    const part = `#u${i} = :u${i}`;
    if (length + part.length + 5 > MAX_CONDITION_CHARS) break;
    names[`#u${i}`] = name;
    values[`:u${i}`] = expected[name] as Item[string];
    parts.push(part);
    length += part.length + 5;
  }
  return { condition: parts.join(' AND '), names, values };
}

function changed(how: 'changed' | 'deleted'): UiError {
  return new UiError(
    409,
    'ui.changed',
    `the item was ${how} since it was read; nothing was written: reload it, then make the change again`,
  );
}

function sameKey(a: Item, b: Item, schema: KeySchema): boolean {
  return canonicalKey(a, schema) === canonicalKey(b, schema);
}

async function put(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const b = await readJson(ctx.req);
  const item = itemIn(b.item, 'item');
  const schema = await getKeySchema(ctx.clients, table);
  if (b.expected === undefined || b.expected === null) {
    try {
      await putItem(ctx.clients, table, item, { ifNotExists: true });
    } catch (e) {
      if (isDdbError(e, 'item.conditionFailed')) {
        throw new UiError(
          409,
          'ui.exists',
          `an item with this key already exists in ${table}; nothing was written`,
        );
      }
      throw e;
    }
    return { item: itemOut(item) };
  }
  const expected = itemIn(b.expected, 'expected');
  if (!sameKey(item, expected, schema)) {
    throw new UiError(
      400,
      'input.key',
      'the key of the item differs from the item as read: a key cannot change; duplicate the item with the new key, then delete the old one',
    );
  }
  const unchanged = await checkUnchanged(ctx.clients, table, schema, expected);
  try {
    await putItem(ctx.clients, table, item, unchanged);
  } catch (e) {
    if (isDdbError(e, 'item.conditionFailed')) throw changed('changed');
    throw e;
  }
  return { item: itemOut(item) };
}

async function remove(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const b = await readJson(ctx.req);
  const key = itemIn(b.key, 'key');
  if (b.expected === undefined || b.expected === null) {
    const r = await deleteItem(ctx.clients, table, key);
    return { deleted: r.deleted };
  }
  const schema = await getKeySchema(ctx.clients, table);
  const expected = itemIn(b.expected, 'expected');
  if (!sameKey(key, expected, schema)) {
    throw new UiError(400, 'input.key', 'key and expected name different items');
  }
  const unchanged = await checkUnchanged(ctx.clients, table, schema, expected);
  try {
    const r = await deleteItem(ctx.clients, table, key, unchanged);
    return { deleted: r.deleted };
  } catch (e) {
    if (isDdbError(e, 'item.conditionFailed')) throw changed('changed');
    throw e;
  }
}

async function deleteItems(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const b = await readJson(ctx.req);
  if (!Array.isArray(b.keys) || b.keys.length > MAX_BULK_KEYS) {
    throw new UiError(
      400,
      'input.key',
      `keys: expected a list of at most ${MAX_BULK_KEYS} keys in DynamoDB JSON`,
    );
  }
  const keys = b.keys.map((k, i) => itemIn(k, `key ${i + 1}`));
  const r = await batchWrite(
    ctx.clients,
    table,
    keys.map((k) => ({ delete: k })),
  );
  return {
    deleted: r.written,
    failed: r.failed.map((f) => ({
      key: itemOut('delete' in f.request ? f.request.delete : f.request.put),
      message: f.reason,
    })),
  };
}

export const itemRoutes: Route[] = [
  { method: 'GET', path: '/api/tables/:name/item', write: false, handler: get },
  { method: 'PUT', path: '/api/tables/:name/item', write: true, handler: put },
  { method: 'DELETE', path: '/api/tables/:name/item', write: true, handler: remove },
  { method: 'POST', path: '/api/tables/:name/delete-items', write: true, handler: deleteItems },
];
