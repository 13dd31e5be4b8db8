/**
 * BatchGetItem: up to 100 items by key over one or more tables, each table with its own
 * projection and read consistency. Items are answered as their stored JSON text unless
 * projected; once the answer passes 16 MB the remaining keys come back in UnprocessedKeys.
 */
import { itemTree } from '../catalog.js';
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { RawJson } from '../json.js';
import { checkShape } from '../shape.js';
import type { Item } from '../types.js';
import { Capacity, COMMON_SHAPE, capacityMode, checkCommon, isObject, readUnits } from './_common.js';
import { checkItemMember, readProjection } from './_expr.js';
import { checkName } from './_keySchema.js';
import { checkKeyMember } from './_keys.js';
import { itemKey, parseStored } from './_write.js';

const MAX_KEYS = 100;
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export const batchGetItem: Operation = (ctx, input) => {
  checkCommon(input, false, false);
  const mode = capacityMode(input);
  const req = input.RequestItems;
  if (!isObject(req) || Object.keys(req).length === 0)
    throw validation('BatchGetItem must have some requests set');
  const names = Object.keys(req);
  let total = 0;
  for (const name of names) {
    checkName(name);
    const r = req[name];
    const keys = isObject(r) ? r.Keys : undefined;
    if (!Array.isArray(keys) || keys.length === 0) {
      throw validation(
        `The list of keys in RequestItems for BatchGetItem is required: ${name} has empty list`,
      );
    }
    total += keys.length;
  }
  if (total > MAX_KEYS) throw validation('Too many items requested for the BatchGetItem call');

  const plans = names.map((name) => {
    const r = req[name] as Record<string, unknown>;
    checkShape(r, { struct: { ...COMMON_SHAPE, Keys: { list: { map: 'any' } } } });
    const table = ctx.table(name);
    const consistent = (r.ConsistentRead as boolean | undefined) ?? false;
    const seen = new Set<string>();
    const keys: { key: string; item: Item }[] = [];
    for (const k of r.Keys as unknown[]) {
      const item = checkItemMember(k);
      checkKeyMember(item, table.key);
      const key = itemKey(table, item);
      if (seen.has(key)) throw validation('Provided list of item keys contains duplicates');
      seen.add(key);
      keys.push({ key, item });
    }
    return { name, r, table, consistent, keys, projection: readProjection(r) };
  });

  const responses: Record<string, unknown[]> = {};
  const unprocessed: Record<string, Record<string, unknown>> = {};
  const caps: [string, Capacity][] = [];
  let bytes = 0;
  let full = false;
  for (const p of plans) {
    const tree = ctx.store.tree(itemTree(p.name));
    const items: unknown[] = [];
    responses[p.name] = items;
    const cap = new Capacity();
    caps.push([p.name, cap]);
    for (const { key, item } of p.keys) {
      const s = full ? undefined : tree.get(key);
      if (full || (s && bytes + s.z > MAX_ANSWER_BYTES)) {
        // The answer would pass 16 MB: this key and every later one are left for the next call.
        full = true;
        let u = unprocessed[p.name];
        if (!u) {
          u = { ...p.r, Keys: [] };
          unprocessed[p.name] = u;
        }
        (u.Keys as Item[]).push(item);
        continue;
      }
      if (!s) continue;
      bytes += s.z;
      cap.table += readUnits(s.z, p.consistent);
      items.push(p.projection ? p.projection(parseStored(s)) : new RawJson(s.j));
    }
  }
  const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
  if (mode !== 'NONE') out.ConsumedCapacity = caps.map(([name, cap]) => cap.answer(name, mode));
  return out;
};
