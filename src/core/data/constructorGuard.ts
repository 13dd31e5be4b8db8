/**
 * Attribute values go to the document client's marshaller in a form it reads as meant.
 *
 * Why: util-dynamodb's marshall tells a map by `value.constructor.name`, which a map's own attribute
 * named "constructor" shadows, so `{"constructor": "c"}` is refused as a class instance (and
 * `{"constructor": {"name": "Set"}}` would be taken for a set). `marshallable` (codec/ddbJsonWrite.ts) gives
 * such maps as JS Maps; this middleware applies it to every attribute value of a request, before
 * the document client's own marshalling middleware (a later step) reads them.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ItemValue, marshallable } from './codec.js';

/** Input members that hold attribute values by name or placeholder, and those that list them. */
const VALUE_MAPS = new Set(['Item', 'Key', 'ExclusiveStartKey', 'ExpressionAttributeValues']);
const VALUE_LISTS = new Set(['Parameters']);
const KEY_LISTS = new Set(['Keys']);

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

const valuesOf = (m: unknown) =>
  isPlain(m) ? Object.fromEntries(Object.keys(m).map((k) => [k, marshallable(m[k] as ItemValue)])) : m;

/** A request input with its attribute values made `marshallable`; other members as they are. */
export function marshallableInput(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(marshallableInput);
  if (!isPlain(x)) return x;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(x)) {
    const v = x[k];
    out[k] = VALUE_MAPS.has(k)
      ? valuesOf(v)
      : VALUE_LISTS.has(k) && Array.isArray(v)
        ? v.map((e) => marshallable(e as ItemValue))
        : KEY_LISTS.has(k) && Array.isArray(v)
          ? v.map(valuesOf)
          : marshallableInput(v);
  }
  return out;
}

/** Add the rewrite to the document client's base client (the initialize step runs before marshalling). */
export function marshallConstructorMaps(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next) => async (args) => next({ ...args, input: marshallableInput(args.input) as typeof args.input }),
    { step: 'initialize', name: 'ddbctlMarshallableValues' },
  );
}
