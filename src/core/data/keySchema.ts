import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { describeTable } from '../control/describeTable.js';
import { DdbError } from '../errors.js';
import { type Item, type ItemValue, normalizeNumber } from './codec.js';
import { type KeyFields, keySchemaOf } from './tableKeys.js';

export interface KeyAttr {
  name: string;
  type: 'S' | 'N' | 'B';
}
export interface KeySchema {
  table: string;
  partitionKey: KeyAttr;
  sortKey?: KeyAttr;
  /**
   * The key attributes of the table's secondary indexes (not DELETING), but a table key that is an
   * index's partition key (the same limits), when the schema was read from a description of the live table: an item that holds one must
   * give it its type, and for S and B a value neither empty nor over the key size, or DynamoDB
   * refuses the whole write (checkKeyAttributes checks them before sending).
   */
  indexKeys?: IndexKeyAttr[];
}

/** A secondary index's key attribute. */
export interface IndexKeyAttr extends KeyAttr {
  index: string;
  role: 'partition' | 'sort';
  /** It is a key attribute of the table too (its type checked as such; an index sort key's size may be lower). */
  tableKey?: boolean;
}

/** The index fields of a DescribeTable answer. */
interface IndexFields {
  GlobalSecondaryIndexes?: { IndexName?: string; KeySchema?: KeyFields['KeySchema']; IndexStatus?: string }[];
  LocalSecondaryIndexes?: { IndexName?: string; KeySchema?: KeyFields['KeySchema'] }[];
}

// NOTE: one DescribeTable per table and client for the whole run (a CLI run is short-lived).
const cache = new WeakMap<Clients, Map<string, Promise<KeySchema>>>();

/** The table's key schema, read with DescribeTable once per run. */
export function getKeySchema(clients: Clients, table: string): Promise<KeySchema> {
  let perClient = cache.get(clients);
  if (!perClient) {
    perClient = new Map();
    cache.set(clients, perClient);
  }
  let p = perClient.get(table);
  if (!p) {
    p = describeTable(clients, table).then((d) => describedKeySchema({ ...d, TableName: table }));
    p.catch(() => perClient?.delete(table));
    perClient.set(table, p);
  }
  return p;
}

/**
 * The key schema of a table as an endpoint described it. Throws service.error when the description
 * has no key, or a key attribute without a type in AttributeDefinitions (moto drops them after an
 * UpdateTable that adds a GSI): a guessed type would send every key wrong, and a get would say
 * "not found" of an item that is there.
 */
export function describedKeySchema(d: KeyFields & IndexFields): KeySchema {
  const table = d.TableName ?? '';
  const schema = keySchemaOf(d);
  if (!schema.partitionKey.name) {
    throw new DdbError('service.error', { message: `DescribeTable of ${table} returned no key schema` });
  }
  checkKeyTypes(d, keyNames(schema), table);
  const indexKeys = indexKeysOf(d, keyNames(schema));
  return indexKeys.length ? { ...schema, indexKeys } : schema;
}

/**
 * The key attributes of `d`'s secondary indexes, with their types; of `tableKeys`, only one that
 * is an index's sort key (marked `tableKey`). An index being deleted is left out (it takes no more
 * writes), and so is an attribute the description gives no type (moto's after an UpdateTable): the
 * endpoint then checks it alone.
 */
function indexKeysOf(d: KeyFields & IndexFields, tableKeys: string[]): IndexKeyAttr[] {
  const out: IndexKeyAttr[] = [];
  const indexes = [
    ...(d.GlobalSecondaryIndexes ?? []).filter((ix) => ix.IndexStatus !== 'DELETING'),
    ...(d.LocalSecondaryIndexes ?? []),
  ];
  for (const ix of indexes) {
    for (const k of ix.KeySchema ?? []) {
      const name = k.AttributeName;
      const type = d.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
      if (!name || !type) continue;
      const role = k.KeyType === 'RANGE' ? 'sort' : 'partition';
      // NOTE: a table key matters here only as an index's sort key (1024 bytes, not its 2048).
      const tableKey = tableKeys.includes(name);
      if (tableKey && role === 'partition') continue;
      out.push({
        name,
        type: type as KeyAttr['type'],
        index: ix.IndexName ?? '',
        role,
        ...(tableKey ? { tableKey } : {}),
      });
    }
  }
  return out;
}

/**
 * Throws service.error when a key attribute of `names` has no type in the description's
 * AttributeDefinitions (see describedKeySchema): a table's keys or an index's.
 */
export function checkKeyTypes(
  d: Pick<Parameters<typeof keySchemaOf>[0], 'AttributeDefinitions'>,
  names: readonly string[],
  table: string,
): void {
  const untyped = names.filter((n) => !d.AttributeDefinitions?.some((a) => a.AttributeName === n));
  if (untyped.length === 0) return;
  throw new DdbError('service.error', {
    message: `DescribeTable of ${table} gives key attribute${untyped.length > 1 ? 's' : ''} ${untyped.map((n) => `"${n}"`).join(' and ')} no type (missing from its AttributeDefinitions), so ddbctl cannot tell how to send its keys; the endpoint's description of the table is wrong (moto loses AttributeDefinitions after an UpdateTable that adds a GSI): re-create the table there, or use another endpoint`,
  });
}

/** The key's attribute names: the partition key's, then the sort key's if there is one. */
export function keyNames(s: KeySchema): string[] {
  return s.sortKey ? [s.partitionKey.name, s.sortKey.name] : [s.partitionKey.name];
}

/** "username (S)" or "pk (S), sk (N)". */
export function describeSchema(s: KeySchema): string {
  return [s.partitionKey, s.sortKey]
    .filter((k): k is KeyAttr => !!k)
    .map((k) => `${k.name} (${k.type})`)
    .join(', ');
}

function typeMatches(v: ItemValue | undefined, t: KeyAttr['type']): boolean {
  if (t === 'S') return typeof v === 'string';
  if (t === 'N') return v instanceof NumberValue;
  return v instanceof Uint8Array;
}

// NOTE: DynamoDB limits: partition key values 1–2048 bytes, sort key values 1–1024 bytes.
const KEY_MAX_BYTES = { partition: 2048, sort: 1024 };

function keyBytes(v: ItemValue): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (v instanceof Uint8Array) return v.byteLength;
  return 1;
}

/**
 * The item's own attribute of that name. NOTE: not `item[name]`: an item is a plain object, whose
 * prototype answers `constructor`, `toString` or `valueOf` for an attribute it does not have.
 */
function ownValue(item: Item, name: string): ItemValue | undefined {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}

/**
 * Check that `item` carries every key attribute of the schema with the right type and size.
 * `where` names the input in messages ("item", "key", "line 12"). `exact`: no other attributes (a key).
 */
export function checkKeyAttributes(item: Item, schema: KeySchema, where: string, exact = false): void {
  if (exact) {
    const extra = Object.keys(item).filter(
      (n) => n !== schema.partitionKey.name && n !== schema.sortKey?.name,
    );
    if (extra.length) {
      throw new DdbError('input.key', {
        message: `${where}: ${extra.map((n) => `"${n}"`).join(', ')} ${extra.length > 1 ? 'are' : 'is'} not part of the key; table ${schema.table} has key ${describeSchema(schema)}`,
      });
    }
  }
  const attrs: [KeyAttr, 'partition' | 'sort'][] = [[schema.partitionKey, 'partition']];
  if (schema.sortKey) attrs.push([schema.sortKey, 'sort']);
  for (const [k, role] of attrs) {
    const v = ownValue(item, k.name);
    if (v === undefined) {
      throw new DdbError('input.key', {
        message: `${where}: the ${role} key attribute "${k.name}" is missing; table ${schema.table} has key ${describeSchema(schema)}`,
      });
    }
    if (!typeMatches(v, k.type)) {
      throw new DdbError('input.key', {
        message: `${where}: key attribute "${k.name}" must be of type ${k.type} (table ${schema.table} has key ${describeSchema(schema)})`,
      });
    }
    checkKeySize(v, k.name, role, where);
  }
  if (!exact && schema.indexKeys) checkIndexKeys(item, schema, where);
}

/** An item's values of the index key attributes it holds: their type, and for S and B their size. */
function checkIndexKeys(item: Item, schema: KeySchema, where: string): void {
  for (const k of schema.indexKeys ?? []) {
    const v = ownValue(item, k.name);
    if (v === undefined) continue;
    const max = KEY_MAX_BYTES[k.role];
    if (k.tableKey) {
      // Its type is the table key's; DynamoDB holds it to the index's size even in an item the
      // index does not take (without the index's partition key), as DynamoDB Local does.
      const bytes = keyBytes(v);
      if (k.type !== 'N' && bytes > max) {
        throw new DdbError('input.key', {
          message: `${where}: key attribute "${k.name}" of table ${schema.table} is also the ${k.role} key of index ${k.index}, and must be 1–${max} bytes there, not ${bytes}; shorten it`,
        });
      }
      continue;
    }
    if (!typeMatches(v, k.type)) {
      throw new DdbError('input.key', {
        message: `${where}: ${indexKeyOf(k, schema)} be of type ${k.type}; give it that type, or leave it out (${NOT_IN_INDEX})`,
      });
    }
    const bytes = keyBytes(v);
    if (k.type !== 'N' && (bytes < 1 || bytes > max)) {
      throw new DdbError('input.key', {
        message: `${where}: ${indexKeyOf(k, schema)} be 1–${max} bytes, not ${bytes === 0 ? '0 (empty); leave it out instead' : `${bytes}; shorten it, or leave it out`} (${NOT_IN_INDEX})`,
      });
    }
  }
}

const NOT_IN_INDEX = 'an item without it is not in that index';

/** The start of a refusal of an index key's value (made only when one is refused: items' hot path). */
const indexKeyOf = (k: IndexKeyAttr, schema: KeySchema): string =>
  `attribute "${k.name}" is the ${k.role} key of index ${k.index} of table ${schema.table} and must`;

/** Check a key attribute's value (or a key condition's) against DynamoDB's key sizes. */
export function checkKeySize(v: ItemValue, name: string, role: 'partition' | 'sort', where: string): void {
  const bytes = keyBytes(v);
  if (bytes < 1 || bytes > KEY_MAX_BYTES[role]) {
    throw new DdbError('input.key', {
      message: `${where}: ${role} key "${name}" is ${bytes} bytes; DynamoDB allows 1–${KEY_MAX_BYTES[role]}`,
    });
  }
}

/** The key part of an item. */
export function keyOf(item: Item, schema: KeySchema): Item {
  const key: Item = { [schema.partitionKey.name]: item[schema.partitionKey.name] as ItemValue };
  if (schema.sortKey) key[schema.sortKey.name] = item[schema.sortKey.name] as ItemValue;
  return key;
}

/** One key attribute's identity: type and canonical value. */
function keyPart(v: ItemValue | undefined): string {
  if (typeof v === 'string') return `S${JSON.stringify(v)}`;
  if (v instanceof NumberValue) return `N${normalizeNumber(v.value)}`;
  if (v instanceof Uint8Array) return `B${Buffer.from(v).toString('base64')}`;
  // Not a valid key value; still give it a stable identity (the request fails validation anyway).
  return `?${typeof v === 'object' && v !== null ? Object.prototype.toString.call(v) : String(v)}`;
}

/** A string that is equal for two items exactly when DynamoDB sees the same primary key. */
export function canonicalKey(item: Item, schema: KeySchema): string {
  const pk = keyPart(item[schema.partitionKey.name]);
  return schema.sortKey ? `${pk}|${keyPart(item[schema.sortKey.name])}` : pk;
}
