/**
 * How many bytes an item takes in a request body (DynamoDB JSON over HTTP), for the 16 MB limit of
 * BatchWriteItem. An estimate from above: typed wrappers, quotes, escapes and base64 included, so a
 * chunk within the budget is never refused for its size. Pure.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { Item, ItemValue } from '../data/codec.js';

// Printable ASCII without a quote or backslash is written as it is: its length, plus the quotes.
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const jsonStringBytes = (s: string): number =>
  PLAIN_ASCII.test(s) ? s.length + 2 : Buffer.byteLength(JSON.stringify(s), 'utf8');
const base64Bytes = (n: number): number => 4 * Math.ceil(n / 3) + 2;

function valueBytes(v: ItemValue): number {
  // Each value is wrapped as {"T":...}: 5 bytes plus the type letters.
  if (v === null) return 13; // {"NULL":true}
  if (typeof v === 'boolean') return 14; // {"BOOL":false}
  if (typeof v === 'string') return 6 + jsonStringBytes(v);
  if (v instanceof NumberValue) return 8 + v.value.length;
  if (v instanceof Uint8Array) return 6 + base64Bytes(v.byteLength);
  if (v instanceof Set) {
    let n = 9; // {"SS":[]}
    for (const x of v) {
      if (typeof x === 'string') n += jsonStringBytes(x) + 1;
      else if (x instanceof NumberValue) n += x.value.length + 3;
      else n += base64Bytes((x as Uint8Array).byteLength) + 1;
    }
    return n;
  }
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + valueBytes(x) + 1, 8); // {"L":[]}
  return 6 + mapBytes(v); // {"M":{}}
}

function mapBytes(m: Record<string, ItemValue>): number {
  let n = 2; // {}
  for (const [k, v] of Object.entries(m)) n += jsonStringBytes(k) + 1 + valueBytes(v) + 1;
  return n;
}

/** Bytes of `item` as DynamoDB JSON (an upper estimate). */
export function itemWireBytes(item: Item): number {
  return mapBytes(item);
}

/** Bytes around an item in a put request: {"PutRequest":{"Item":…}}. */
export const PUT_ENVELOPE_BYTES = 25;

/** Bytes of one write request in a BatchWriteItem body: {"PutRequest":{"Item":…}} or DeleteRequest/Key. */
export function writeRequestWireBytes(kind: 'put' | 'delete', item: Item): number {
  return (kind === 'put' ? PUT_ENVELOPE_BYTES : 26) + itemWireBytes(item);
}
