/**
 * Key identity inside a batch: two requests for the same key in one BatchWriteItem make DynamoDB
 * reject the whole call, and BatchGetItem rejects duplicate keys too. Pure.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { type Item, type ItemValue, normalizeNumber } from '../data/codec.js';
import type { KeySchema } from '../data/keySchema.js';

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
