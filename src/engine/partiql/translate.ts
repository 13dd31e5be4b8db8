/**
 * A parsed statement, bound to its table and the request's Parameters, as the item operation(s)
 * that do its job: SELECT → Query (one per partition key value the WHERE fixes with `=` or `IN`)
 * or Scan, or GetItem when a whole key is asked for (batches, transactions); INSERT → PutItem
 * under attribute_not_exists; UPDATE → UpdateItem under attribute_exists and the WHERE's other
 * conditions; DELETE → DeleteItem; EXISTS → a condition check. The checks here are PartiQL's
 * own, in DynamoDB Local's words (the oracle); the operations check the rest.
 */
import type { TableMeta } from '../catalog.js';
import type { OpContext } from '../context.js';
import { validation } from '../errors.js';
import { RawJson } from '../json.js';
import type { AV, Item, KeyShape } from '../types.js';
import { checkValue, getOwn } from '../values/validate.js';
import type { Cond, Literal, Operand, Parsed, Path, Statement } from './ast.js';
import { andAll, conjuncts, Expressions, equalityOn, isAttribute, isValue, mentions } from './expressions.js';
import { Malformed, Refused } from './lexer.js';
import { parse } from './parser.js';
import { at, toValue } from './values.js';

type Json = Record<string, unknown>;
type Select = Statement & { kind: 'select' };

/** The statement parsed and its `?` counted against the Parameters. */
export function parseStatement(text: string, params: readonly unknown[]): Statement {
  let parsed: Parsed;
  try {
    parsed = parse(text);
  } catch (e) {
    if (e instanceof Malformed) throw validation(`Statement wasn't well formed, can't be processed: ${text}`);
    if (e instanceof Refused) throw validation(e.message);
    throw e;
  }
  // NOTE: Parameters given to a statement without `?` are ignored, as DynamoDB Local ignores them.
  if (parsed.params > 0 && parsed.params !== params.length) {
    throw validation("Number of parameters in request and statement don't match.");
  }
  // Each value checked as an item's value is (an empty set, two types, a bad number...).
  for (const p of params) checkValue(p);
  return parsed.statement;
}

/**
 * The statement's table, as DynamoDB Local looks for it: INSERT asks for the table first, the
 * others check the name's form before.
 */
export function tableOf(ctx: OpContext, s: Statement): TableMeta {
  const from = s.kind === 'exists' ? s.select.from : s.from;
  if (s.kind !== 'insert' && !/^[a-zA-Z0-9_.-]{3,255}$/.test(from.table)) {
    throw validation(
      "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.",
    );
  }
  // NOTE: ctx.table answers DynamoDB's "Requested resource not found" (DynamoDB Local: "Cannot do
  // operations on a non-existent table"; DIVERGENCES.md, item operations on a missing table).
  return ctx.table(from.table);
}

/** One request to one of the registered item operations. */
export interface Request {
  op: 'GetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheck';
  input: Json;
}

const keyNames = (key: KeyShape): string[] => [key.hash.name, ...(key.range ? [key.range.name] : [])];

/** The key the WHERE fixes with `=` on every key attribute, and its other conditions; or undefined. */
function wholeKey(
  where: Cond | undefined,
  key: KeyShape,
  params: readonly unknown[],
): { key: Item; rest: Cond[] } | undefined {
  const rest = conjuncts(where);
  const out: Item = {};
  for (const k of keyParts(key)) {
    const i = rest.findIndex((c) => equalityOn(c, k.name) !== undefined);
    if (i < 0) return undefined;
    out[k.name] = keyValue(equalityOn(rest[i]!, k.name)!, k, params);
    rest.splice(i, 1);
    if (rest.some((c) => equalityOn(c, k.name) !== undefined)) {
      throw validation(
        `Multiple conditions on same key ${k.name}. Only single item Update/Insert/Delete are supported`,
      );
    }
  }
  return { key: out, rest };
}

const keyParts = (key: KeyShape) => [key.hash, ...(key.range ? [key.range] : [])];

/** A key attribute's value, of the type the schema gives it. */
function keyValue(o: Operand, k: { name: string; type: string }, params: readonly unknown[]): AV {
  const v = toValue(o as Literal, params);
  if (!(k.type in v)) {
    throw validation(`Key attribute's data type should match its data type in table's schema: Key ${k.name}`);
  }
  return v;
}

export const NOT_WHOLE_KEY = 'Where clause does not contain a mandatory equality on all key attributes';

/** SELECT's requests: Query per partition key value, or one Scan. */
export function selectRequests(
  s: Select,
  table: TableMeta,
  params: readonly unknown[],
  more: Json,
): Request[] {
  const index = s.from.index === undefined ? undefined : table.indexes.find((i) => i.name === s.from.index);
  if (s.from.index !== undefined && !index) {
    throw validation(`The table does not have the specified index: ${s.from.index}`);
  }
  const key = index?.key ?? table.key;
  const base: Json = { TableName: table.name, ...(index ? { IndexName: index.name } : {}), ...more };
  let forward = true;
  if (s.order) {
    if (!s.where) throw validation('Must have WHERE clause in the statement when using ORDER BY clause.');
    const name = String(s.order.path.parts[0]);
    if (s.order.path.parts.length !== 1 || !keyNames(key).includes(name)) {
      throw validation(`Variable reference ${name} in ORDER BY clause must be part of the primary key`);
    }
    forward = !s.order.desc;
  }
  // NOTE: a projection with a nested path is applied by projector() to whole items (a projected
  // list keeps only the elements named, renumbered).
  const projection = (x: Expressions): Json =>
    s.projection && !projector(s)
      ? { ProjectionExpression: s.projection.map((p) => x.path(p)).join(', ') }
      : {};

  const all = conjuncts(s.where);
  const pkAt = all.findIndex(
    (c) =>
      equalityOn(c, key.hash.name) !== undefined ||
      (c.t === 'in' && isAttribute(c.x, key.hash.name) && c.items.every(isValue)),
  );
  if (pkAt >= 0) {
    const pkCond = all[pkAt]!;
    const rest = all.filter((_, i) => i !== pkAt);
    const pkValues = pkCond.t === 'in' ? pkCond.items : [equalityOn(pkCond, key.hash.name)!];
    for (const v of pkValues) keyValue(v, key.hash, params);
    const skAt = key.range ? rest.findIndex((c) => sortKeyCondition(c, key.range!.name)) : -1;
    const sk = skAt >= 0 ? rest[skAt] : undefined;
    if (sk) for (const v of sortKeyValues(sk)) keyValue(v, key.range!, params);
    const filter = rest.filter((_, i) => i !== skAt);
    // NOTE: a Query's filter may not name a key attribute; such a WHERE runs as a Scan (the same
    // items, read from the whole table).
    if (!filter.some((c) => mentions(c, keyNames(key)))) {
      return pkValues.map((v) => {
        const x = new Expressions(params);
        const keyCond = `${x.name(key.hash.name)} = ${x.operand(v)}${sk ? ` AND ${x.cond(sk)}` : ''}`;
        const f = andAll(filter);
        const input: Json = {
          ...base,
          KeyConditionExpression: keyCond,
          ...(f ? { FilterExpression: x.cond(f) } : {}),
          ...projection(x),
          ...(forward ? {} : { ScanIndexForward: false }),
        };
        return { op: 'Query', input: { ...input, ...x.members() } };
      });
    }
  }
  const x = new Expressions(params);
  const input: Json = {
    ...base,
    ...(s.where ? { FilterExpression: x.cond(s.where) } : {}),
    ...projection(x),
  };
  return [{ op: 'Scan', input: { ...input, ...x.members() } }];
}

/**
 * How ExecuteStatement answers a SELECT's items: a nested path of its projection becomes a
 * top-level attribute named by its last step (`m.x[1]` → `x[1]`), as DynamoDB Local answers it
 * (its BatchExecuteStatement and ExecuteTransaction answer the nested form, as GetItem projects);
 * undefined when the items are answered as read.
 */
export function projector(s: Select): ((item: unknown) => unknown) | undefined {
  const paths = s.projection;
  if (!paths?.some((p) => p.parts.length > 1)) return undefined;
  return (raw) => {
    const item = (raw instanceof RawJson ? JSON.parse(raw.json) : raw) as Item;
    const out: Item = {};
    for (const p of paths) {
      const v = valueAt(item, p.parts);
      if (v !== undefined) out[flatName(p)] = v;
    }
    return out;
  };
}

function valueAt(item: Item, parts: (string | number)[]): AV | undefined {
  let v: AV | undefined = { M: item };
  for (const part of parts) {
    if (typeof part === 'number') v = v && 'L' in v ? (v.L as AV[])[part] : undefined;
    // NOTE: own names only: a map read from JSON has Object's prototype (`m.constructor`).
    else v = v && 'M' in v && Object.hasOwn(v.M as Item, part) ? (v.M as Item)[part] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

function flatName(p: Path): string {
  let i = p.parts.length - 1;
  while (typeof p.parts[i] === 'number') i--;
  return (
    String(p.parts[i]) +
    p.parts
      .slice(i + 1)
      .map((n) => `[${n}]`)
      .join('')
  );
}

/** The values a sort key condition compares with (their type must be the key's). */
function sortKeyValues(c: Cond): Operand[] {
  if (c.t === 'cmp') return [isValue(c.l) ? c.l : c.r];
  if (c.t === 'between') return [c.lo, c.hi];
  return [];
}

/** Whether `c` is a condition a Query takes on the sort key `name`. */
function sortKeyCondition(c: Cond, name: string): boolean {
  if (c.t === 'cmp' && c.op !== '<>') {
    return (isAttribute(c.l, name) && isValue(c.r)) || (isAttribute(c.r, name) && isValue(c.l));
  }
  if (c.t === 'between') return isAttribute(c.x, name) && isValue(c.lo) && isValue(c.hi);
  if (c.t === 'fn' && c.call.name.toLowerCase() === 'begins_with') {
    return c.call.args.length === 2 && isAttribute(c.call.args[0]!, name) && isValue(c.call.args[1]!);
  }
  return false;
}

/**
 * A SELECT of one item (BatchExecuteStatement, ExecuteTransaction) as GetItem. `whole` words the
 * refusal of any other SELECT.
 */
export function getRequest(
  s: Select,
  table: TableMeta,
  params: readonly unknown[],
  refusal: string,
  more: Json = {},
): Request {
  const k = s.from.index === undefined ? wholeKey(s.where, table.key, params) : undefined;
  if (!k || k.rest.length) throw validation(refusal);
  const x = new Expressions(params);
  const projection = s.projection
    ? { ProjectionExpression: s.projection.map((p) => x.path(p)).join(', ') }
    : {};
  return {
    op: 'GetItem',
    input: { TableName: table.name, Key: k.key, ...more, ...projection, ...x.members() },
  };
}

/** INSERT, UPDATE, DELETE (and EXISTS, a condition check) as one write request. */
export function writeRequest(
  s: Statement,
  table: TableMeta,
  params: readonly unknown[],
  more: Json = {},
): Request {
  const base: Json = { TableName: table.name, ...more };
  // Writes name a table, never one of its indexes (DynamoDB Local's words for each kind).
  if (s.kind !== 'exists' && s.kind !== 'select' && s.from.index !== undefined) {
    throw validation(
      s.kind === 'insert'
        ? 'FROM clause may only contain a single table name in data manipulation statements'
        : 'This operation is not supported on an index',
    );
  }
  switch (s.kind) {
    case 'insert': {
      if (s.value.t !== 'map') {
        throw validation(
          `Unsupported format in item expression. Please use struct format {...} to express item values for insert statement. at ${at(s.value.at)}`,
        );
      }
      const item = (toValue(s.value, params) as { M: Item }).M;
      for (const k of keyParts(table.key)) {
        const v = getOwn(item, k.name);
        if (!v) throw validation(`Key attribute should be present in the item: Key ${k.name}`);
        if (!(k.type in v)) {
          throw validation(
            `Key attribute's data type should match its data type in table's schema: Key ${k.name}`,
          );
        }
      }
      const x = new Expressions(params);
      const cond = `attribute_not_exists(${x.name(table.key.hash.name)})`;
      return { op: 'PutItem', input: { ...base, Item: item, ConditionExpression: cond, ...x.members() } };
    }
    case 'update': {
      const k = wholeKey(s.where, table.key, params);
      if (!k) throw validation(NOT_WHOLE_KEY);
      const x = new Expressions(params);
      const sets: string[] = [];
      const adds: string[] = [];
      const deletes: string[] = [];
      for (const { path, value } of s.sets) {
        const fn = value.t === 'call' ? value.name.toLowerCase() : '';
        if ((fn === 'set_add' || fn === 'set_delete') && value.t === 'call') {
          // PartiQL's set_add(a, <<..>>) / set_delete(a, <<..>>) are UpdateItem's ADD and DELETE.
          const [target, operand] = value.args;
          if (value.args.length !== 2 || !target || !operand || !samePath(target, path)) {
            throw validation(`Invalid ${fn} call: its first argument must be the attribute it sets`);
          }
          (fn === 'set_add' ? adds : deletes).push(`${x.path(path)} ${x.setValue(operand)}`);
        } else sets.push(`${x.path(path)} = ${x.setValue(value)}`);
      }
      const clauses = [
        sets.length ? `SET ${sets.join(', ')}` : '',
        s.removes.length ? `REMOVE ${s.removes.map((p) => x.path(p)).join(', ')}` : '',
        adds.length ? `ADD ${adds.join(', ')}` : '',
        deletes.length ? `DELETE ${deletes.join(', ')}` : '',
      ].filter(Boolean);
      const rest = andAll(k.rest);
      const cond = `attribute_exists(${x.name(table.key.hash.name)})${rest ? ` AND (${x.cond(rest)})` : ''}`;
      const rv = s.returning
        ? `${s.returning.which === 'ALL' ? 'ALL' : 'UPDATED'}_${s.returning.when}`
        : undefined;
      return {
        op: 'UpdateItem',
        input: {
          ...base,
          Key: k.key,
          UpdateExpression: clauses.join(' '),
          ConditionExpression: cond,
          ...(rv ? { ReturnValues: rv } : {}),
          ...x.members(),
        },
      };
    }
    case 'delete': {
      if (s.returning && (s.returning.which !== 'ALL' || s.returning.when !== 'OLD')) {
        throw validation(
          `Invalid returning clause: RETURNING ${s.returning.which} ${s.returning.when} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
        );
      }
      const k = wholeKey(s.where, table.key, params);
      if (!k) throw validation(NOT_WHOLE_KEY);
      const x = new Expressions(params);
      const rest = andAll(k.rest);
      const input: Json = { ...base, Key: k.key, ...(s.returning ? { ReturnValues: 'ALL_OLD' } : {}) };
      if (rest) input.ConditionExpression = x.cond(rest);
      return { op: 'DeleteItem', input: { ...input, ...x.members() } };
    }
    case 'exists': {
      const k = s.select.from.index === undefined ? wholeKey(s.select.where, table.key, params) : undefined;
      if (!k) throw validation(NOT_WHOLE_KEY);
      // The conditions besides the key (none: the caller refuses it, as DynamoDB does); a missing
      // item fails them.
      const x = new Expressions(params);
      const rest = andAll(k.rest);
      const cond = rest ? { ConditionExpression: x.cond(rest) } : {};
      return { op: 'ConditionCheck', input: { ...base, Key: k.key, ...cond, ...x.members() } };
    }
    case 'select':
      throw validation('A SELECT is no write');
  }
}

function samePath(o: Operand, p: Path): boolean {
  return o.t === 'path' && o.parts.length === p.parts.length && o.parts.every((x, i) => x === p.parts[i]);
}
