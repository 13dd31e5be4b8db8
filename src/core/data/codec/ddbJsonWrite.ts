/** Item values → DynamoDB JSON (`{"S": "..."}`), through util-dynamodb's marshall or in one walk. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { base64Of, binaryToBase64, isPlainObject, objectText, setOwn } from './shared.js';
import type { Item, ItemValue } from './types.js';

/** Convert an item to DynamoDB JSON (`{"name": {"S": "..."}}`). */
export function toDdbJson(item: Item): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const k of Object.keys(item)) setOwn(out, k, marshallValue(item[k] as ItemValue));
  return out;
}

/** One attribute value as util-dynamodb's marshall writes it (its conversion, or its error). */
function marshallValue(v: ItemValue): AttributeValue {
  return marshall({ v: marshallable(v) }, { convertTopLevelContainer: false }).v as AttributeValue;
}

/**
 * An item value that util-dynamodb's marshall reads as it is meant: each map holding an attribute
 * named "constructor" becomes a JS Map of the same entries; the value itself when none does.
 * NOTE: marshall tells a map by `value.constructor.name === 'Object'`, which an own attribute
 * "constructor" shadows: `{"constructor": "c"}` is refused as a class instance, and
 * `{"constructor": {"name": "Set"}}` would be taken for a set. A Map has no such own name.
 * Every path that hands item values to marshall goes through this (here, and the document
 * client's middleware in clients.ts).
 */
export function marshallable(v: ItemValue): ItemValue {
  if (v === null || typeof v !== 'object' || v instanceof Set || v instanceof Uint8Array) return v;
  if (v instanceof NumberValue || !(Array.isArray(v) || isPlainObject(v))) return v;
  if (Array.isArray(v)) {
    let out: ItemValue[] | undefined;
    v.forEach((x, i) => {
      const c = marshallable(x);
      if (c !== x) out ??= v.slice();
      if (out) out[i] = c;
    });
    return out ?? v;
  }
  const names = Object.keys(v);
  const values = names.map((k) => marshallable(v[k] as ItemValue));
  const changed = values.some((c, i) => c !== v[names[i] as string]);
  if (!Object.hasOwn(v, 'constructor') && !changed) return v;
  const entries = names.map((k, i): [string, ItemValue] => [k, values[i] as ItemValue]);
  // A Map where marshall would misread the object; an object (copied) where only a value changed.
  return (Object.hasOwn(v, 'constructor')
    ? new Map(entries)
    : Object.fromEntries(entries)) as unknown as ItemValue;
}

/**
 * An item's DynamoDB JSON as a request body carries it (binary as base64): the text of
 * `toDdbJson(item)` written in one walk, without the attribute-value objects in between. A bulk
 * write spends much of its own time there (BENCHMARKS.md). A value outside `ItemValue` (a JS
 * number, a Map, an empty set, undefined) goes through `marshall`, which converts or refuses it
 * exactly as the SDK does.
 */
export function ddbJsonText(item: Item): string {
  return objectText(item, valueDdbJsonText);
}

function valueDdbJsonText(v: ItemValue): string {
  if (typeof v === 'string') return `{"S":${JSON.stringify(v)}}`;
  if (v instanceof NumberValue) return `{"N":${JSON.stringify(v.value)}}`;
  if (typeof v === 'boolean') return v ? '{"BOOL":true}' : '{"BOOL":false}';
  if (v === null) return '{"NULL":true}';
  if (v instanceof Uint8Array) return `{"B":"${base64Of(v)}"}`;
  if (Array.isArray(v)) {
    let out = '{"L":[';
    for (let i = 0; i < v.length; i++) out += `${i ? ',' : ''}${valueDdbJsonText(v[i] as ItemValue)}`;
    return `${out}]}`;
  }
  if (v instanceof Set && v.size > 0) {
    const [sample] = v;
    if (typeof sample === 'string' && [...v].every((x) => typeof x === 'string'))
      return `{"SS":[${[...v].map((x) => JSON.stringify(x)).join(',')}]}`;
    if (sample instanceof NumberValue && [...v].every((x) => x instanceof NumberValue))
      return `{"NS":[${[...(v as Set<NumberValue>)].map((x) => JSON.stringify(x.value)).join(',')}]}`;
    if (sample instanceof Uint8Array && [...v].every((x) => x instanceof Uint8Array))
      return `{"BS":[${[...(v as Set<Uint8Array>)].map((x) => `"${base64Of(x)}"`).join(',')}]}`;
  } else if (v !== undefined && typeof v === 'object' && !(v instanceof Set) && isPlainObject(v)) {
    return `{"M":${ddbJsonText(v as Item)}}`;
  }
  // Anything else: the SDK's own conversion (or its error).
  return JSON.stringify(binaryToBase64(marshallValue(v)));
}

/** DynamoDB JSON with binary as base64 text, as the AWS CLI prints it. */
export function stringifyDdbJson(item: Item, indent?: number): string {
  return JSON.stringify(binaryToBase64(toDdbJson(item)), undefined, indent);
}

/** The DynamoDB type letter of a value (S, N, B, BOOL, NULL, SS, NS, BS, L, M). */
export function typeOf(value: ItemValue): string {
  const av = marshallValue(value);
  return av ? Object.keys(av)[0]! : 'NULL';
}
