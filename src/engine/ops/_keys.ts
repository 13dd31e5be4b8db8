/**
 * Keys of items: the checks DynamoDB makes on a key (in an item, in a Key member, in an
 * ExclusiveStartKey) and the tree keys (values/keys.ts) of a table's and its indexes' entries.
 */
import type { IndexMeta, TableMeta } from '../catalog.js';
import { validation } from '../errors.js';
import type { AttributeValue, Item, KeyShape, ScalarType } from '../types.js';
import { part, partitionPrefix } from '../values/keys.js';
import { getOwn as own } from '../values/validate.js';

/** Byte length of a key value (S: UTF-8, B: decoded bytes). */
function keyBytes(v: AttributeValue, type: ScalarType): number {
  if (type === 'S') return Buffer.byteLength((v as { S: string }).S, 'utf8');
  if (type === 'B') return Buffer.byteLength((v as { B: string }).B, 'base64');
  return 0;
}

/** The single type letter of a value, or undefined for a value without exactly one. */
function typeOf(v: AttributeValue | undefined): string | undefined {
  if (!v || typeof v !== 'object') return undefined;
  for (const k in v) return k;
  return undefined;
}

/** DynamoDB Local's words for a key (table or index) given a value that is no S, N or B at all. */
const INVALID_KEY_TYPE = 'Invalid attribute value type';

function isScalar(v: AttributeValue): boolean {
  const t = typeOf(v);
  return t === 'S' || t === 'N' || t === 'B';
}

/**
 * Check the key attributes an item or Key carries against the key's shape, in DynamoDB's order:
 * present, of the declared type, not empty, within the key size limits.
 */
export function checkKeyValues(item: Item, key: KeyShape): void {
  const h = own(item, key.hash.name);
  const r = key.range ? own(item, key.range.name) : undefined;
  if (h === undefined || (key.range && r === undefined)) {
    throw validation('One of the required keys was not given a value');
  }
  if (!isScalar(h) || (key.range && !isScalar(r!))) throw validation(INVALID_KEY_TYPE);
  if (typeOf(h) !== key.hash.type || (key.range && typeOf(r) !== key.range.type)) {
    throw validation('One or more parameter values were invalid: Type mismatch for key');
  }
  checkNotEmpty(h, key.hash.type, key.hash.name);
  if (key.range) checkNotEmpty(r!, key.range.type, key.range.name);
  if (keyBytes(h, key.hash.type) > 2048 || (key.range && keyBytes(r!, key.range.type) > 1024)) {
    throw validation(
      'Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes',
    );
  }
}

function checkNotEmpty(v: AttributeValue, type: ScalarType, name: string): void {
  if (type === 'S' && (v as { S: string }).S === '') {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
    );
  }
  if (type === 'B' && (v as { B: string }).B === '') {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`,
    );
  }
}

/**
 * A `Key` member (GetItem, DeleteItem, UpdateItem, BatchGetItem, BatchWriteItem's DeleteRequest):
 * exactly the key's attributes.
 */
export function checkKeyMember(keyItem: Item, key: KeyShape): void {
  let n = 0;
  for (const _ in keyItem) n++;
  if (n !== (key.range ? 2 : 1)) throw validation('The number of conditions on the keys is invalid');
  checkKeyValues(keyItem, key);
}

/** The tree key of an item under a key shape; the item must carry the key (checked). */
export function treeKey(item: Item, key: KeyShape): string {
  const p = partitionPrefix(item[key.hash.name]!, key.hash.type);
  return key.range ? p + part(item[key.range.name]!, key.range.type) : p;
}

/**
 * The index entry's tree key of an item, or undefined when the item is not in the index (sparse:
 * an index key attribute missing or of another type than declared).
 */
export function indexKey(item: Item, index: IndexMeta, table: TableMeta): string | undefined {
  const h = own(item, index.key.hash.name);
  if (h === undefined || typeOf(h) !== index.key.hash.type) return undefined;
  let k = partitionPrefix(h, index.key.hash.type);
  if (index.key.range) {
    const r = own(item, index.key.range.name);
    if (r === undefined || typeOf(r) !== index.key.range.type) return undefined;
    k += part(r, index.key.range.type);
  }
  k += part(item[table.key.hash.name]!, table.key.hash.type);
  if (table.key.range) k += part(item[table.key.range.name]!, table.key.range.type);
  return k;
}

/** The attributes that make an index entry's key: the index's, then the table's (no repeats). */
export function indexKeyNames(index: IndexMeta, table: TableMeta): string[] {
  const names = [index.key.hash.name];
  if (index.key.range) names.push(index.key.range.name);
  for (const n of [table.key.hash.name, table.key.range?.name]) if (n && !names.includes(n)) names.push(n);
  return names;
}

/**
 * The index key attributes an item holds must have their declared type, for S and B not be empty,
 * and fit the key size limits: DynamoDB refuses the write otherwise (an item without the attribute
 * is simply not in the index). `byUpdate`: UpdateItem's words for an empty value.
 */
export function checkIndexKeys(item: Item, table: TableMeta, byUpdate = false): void {
  for (const index of table.indexes) {
    for (const k of [index.key.hash, index.key.range]) {
      if (!k) continue;
      const v = own(item, k.name);
      if (v === undefined) continue;
      if (!isScalar(v)) throw validation(INVALID_KEY_TYPE);
      if (typeOf(v) !== k.type)
        throw validation('One or more parameter values were invalid: Type mismatch for Index Key');
      if (
        (k.type === 'S' && (v as { S: string }).S === '') ||
        (k.type === 'B' && (v as { B: string }).B === '')
      ) {
        const what = k.type === 'S' ? 'string' : 'binary';
        throw validation(
          byUpdate
            ? `One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty ${what} value.`
            : `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${what} value. IndexName: ${index.name}, IndexKey: ${k.name}`,
        );
      }
      if (keyBytes(v, k.type) > (k === index.key.hash ? 2048 : 1024)) {
        throw validation('One or more parameter values were invalid: Size limit exceeded');
      }
    }
  }
}
