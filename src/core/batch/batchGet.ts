/**
 * batchGet: read many items by key with BatchGetItem, 100 keys a call, identical keys asked once,
 * UnprocessedKeys retried with backoff a bounded number of times. Every key ends up in exactly one
 * of `items` (found), `missing` (no such item) or `failed` (still unprocessed, with the reason).
 */
import { BatchGetCommand, type BatchGetCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { fromJsItem, type Item, type ItemInput } from '../data/codec.js';
import { compileProjection, Placeholders } from '../data/expressions/index.js';
import { canonicalKey, checkKeyAttributes, getKeySchema, type KeySchema } from '../data/keySchema.js';
import { DdbError, type DdbErrorCode } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { type BackoffOptions, backoffDelay, isTransient, sdkRetriesOf } from './backoff.js';
import { Slots } from './slots.js';

/** NOTE: BatchGetItem takes at most 100 keys per call (and answers at most 16 MB: the rest comes back unprocessed). */
export const MAX_BATCH_GET_KEYS = 100;

export interface BatchGetOptions {
  /** Strongly consistent reads. Default false (eventually consistent, half the read units). */
  consistentRead?: boolean;
  /**
   * Attributes to return: a ProjectionExpression list of paths (`"name, address.city"`) or a list
   * of top-level attribute names. Default: whole items. The key attributes are always fetched (to
   * tell found from missing) but only returned when asked for.
   */
  projection?: string | readonly string[];
  /** Calls in flight at once. Default 4. */
  concurrency?: number;
  /** Retries per chunk of UnprocessedKeys or a transient failure. Default 8. */
  maxRetries?: number;
  /** Backoff between retries: full jitter, base 50 ms, cap 5 s by default. */
  backoff?: BackoffOptions;
  /** Keys per call. Default (and maximum) 100. */
  chunkSize?: number;
  /** The table's key schema, when the caller knows it; default: read once with DescribeTable. */
  schema?: KeySchema;
  clock?: Clock;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** How messages name the key at `index` (0-based) of the input. Default "key <index+1>". */
  where?: (index: number) => string;
  onProgress?: (p: { found: number; retried: number; failed: number; calls: number }) => void;
}

export interface FailedKey {
  key: Item;
  reason: string;
  code: DdbErrorCode;
}

export interface BatchGetResult {
  /** The items found, each once, in the order their keys were first given. */
  items: Item[];
  /** Keys with no item, in input order. */
  missing: Item[];
  /** Keys still unprocessed after the retries (or whose call failed), with the reason. */
  failed: FailedKey[];
  /** Keys given more than once (each asked for once). */
  duplicateKeys: number;
  calls: number;
  /** Keys asked for again, summed over every retry. */
  retried: number;
  /** Retries the SDK made inside calls. */
  sdkRetries: number;
}

export interface PlannedKey {
  key: Item;
  /** canonicalKey: equal for keys DynamoDB sees as the same. */
  id: string;
  /** Position of its first appearance in the input (0-based). */
  index: number;
}

/**
 * Pure: check every key (exactly the key attributes, right types and sizes), drop repeated keys and
 * cut the rest into chunks. Throws input.key naming the first bad key: nothing is sent.
 */
export function planBatchGet(
  keys: readonly ItemInput[],
  schema: KeySchema,
  opts: { chunkSize?: number; where?: (index: number) => string } = {},
): { chunks: PlannedKey[][]; unique: PlannedKey[]; duplicateKeys: number } {
  const size = Math.min(opts.chunkSize ?? MAX_BATCH_GET_KEYS, MAX_BATCH_GET_KEYS);
  if (size < 1) throw new RangeError('chunkSize must be at least 1');
  const where = opts.where ?? ((i: number) => `key ${i + 1}`);
  const seen = new Set<string>();
  const unique: PlannedKey[] = [];
  keys.forEach((given, index) => {
    const key = fromJsItem(given, where(index));
    checkKeyAttributes(key, schema, where(index), true);
    const id = canonicalKey(key, schema);
    if (seen.has(id)) return;
    seen.add(id);
    unique.push({ key, id, index });
  });
  const chunks: PlannedKey[][] = [];
  for (let i = 0; i < unique.length; i += size) chunks.push(unique.slice(i, i + size));
  return { chunks, unique, duplicateKeys: keys.length - unique.length };
}

export interface CompiledProjection {
  ProjectionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  /** Key attributes added to tell found from missing; strip them from the items returned. */
  added: string[];
}

/** Pure: the projection with the key attributes added (placeholders for every name). */
export function batchGetProjection(
  projection: string | readonly string[],
  schema: KeySchema,
): CompiledProjection {
  const ph = new Placeholders();
  const parts =
    typeof projection === 'string'
      ? compileProjection(projection, ph).split(', ')
      : projection.map((name) => {
          if (name === '')
            throw new DdbError('input.expression', { message: 'projection: an attribute name is empty' });
          return ph.name(name);
        });
  const added: string[] = [];
  for (const k of [schema.partitionKey, schema.sortKey]) {
    if (!k) continue;
    const p = ph.name(k.name);
    if (!parts.includes(p)) {
      parts.push(p);
      added.push(k.name);
    }
  }
  return { ProjectionExpression: [...new Set(parts)].join(', '), ExpressionAttributeNames: ph.names, added };
}

/** Pure: the BatchGetCommand input for one chunk of keys. */
export function batchGetInput(
  table: string,
  keys: readonly Item[],
  opts: { consistentRead?: boolean; projection?: CompiledProjection } = {},
): BatchGetCommandInput {
  return {
    RequestItems: {
      [table]: {
        Keys: [...keys],
        ...(opts.consistentRead ? { ConsistentRead: true } : {}),
        ...(opts.projection
          ? {
              ProjectionExpression: opts.projection.ProjectionExpression,
              ExpressionAttributeNames: opts.projection.ExpressionAttributeNames,
            }
          : {}),
      },
    },
  };
}

/**
 * Read the items with these keys. Keys are checked first (a bad one throws input.key before any
 * call); identical keys are asked once. Throws only before the first call.
 */
export async function batchGet(
  clients: Clients,
  table: string,
  keys: Iterable<ItemInput> | AsyncIterable<ItemInput>,
  opts: BatchGetOptions = {},
): Promise<BatchGetResult> {
  const maxRetries = opts.maxRetries ?? 8;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new DdbError('usage.invalid', { message: 'maxRetries must be a whole number ≥ 0' });
  }
  const slots = new Slots(opts.concurrency ?? 4);
  const schema = opts.schema ?? (await getKeySchema(clients, table));
  const all: ItemInput[] = [];
  for await (const k of keys) all.push(k);
  const plan = planBatchGet(all, schema, {
    ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
    ...(opts.where ? { where: opts.where } : {}),
  });
  const projection = opts.projection === undefined ? undefined : batchGetProjection(opts.projection, schema);
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const ctx = { operation: 'BatchGetItem', table, target: clients.label };

  const found = new Map<string, Item>();
  const failed = new Map<string, FailedKey>();
  const stats = { calls: 0, retried: 0, sdkRetries: 0 };
  const progress = () =>
    opts.onProgress?.({ found: found.size, retried: stats.retried, failed: failed.size, calls: stats.calls });
  const fail = (pending: readonly PlannedKey[], code: DdbErrorCode, reason: string) => {
    for (const k of pending) failed.set(k.id, { key: k.key, reason, code });
    progress();
  };

  const sendChunk = async (chunk: PlannedKey[]): Promise<void> => {
    let pending = chunk;
    for (let retry = 0; ; retry++) {
      let last: DdbError;
      try {
        stats.calls++;
        const out = await clients.doc.send(
          new BatchGetCommand(
            batchGetInput(
              table,
              pending.map((k) => k.key),
              projection
                ? { consistentRead: !!opts.consistentRead, projection }
                : { consistentRead: !!opts.consistentRead },
            ),
          ),
        );
        stats.sdkRetries += sdkRetriesOf(out);
        for (const item of (out.Responses?.[table] ?? []) as Item[]) {
          const id = canonicalKey(item, schema);
          if (!found.has(id)) found.set(id, item);
        }
        const unprocessed = new Set(
          ((out.UnprocessedKeys?.[table]?.Keys ?? []) as Item[]).map((k) => canonicalKey(k, schema)),
        );
        progress();
        pending = pending.filter((k) => unprocessed.has(k.id) && !found.has(k.id));
        if (!pending.length) return;
        last = new DdbError('batch.incomplete', {
          message:
            'DynamoDB returned them as UnprocessedKeys (throttled: over the read capacity, or the answer exceeded 16 MB)',
        });
      } catch (e) {
        stats.sdkRetries += sdkRetriesOf(e);
        const err = toDdbError(e, ctx);
        if (!isTransient(e, err)) return fail(pending, err.code, err.message);
        last = err;
      }
      if (retry >= maxRetries) {
        return fail(
          pending,
          last.code,
          `BatchGetItem: not read after ${retry + 1} attempt${retry ? 's' : ''}: ${last.message}; read these keys again later`,
        );
      }
      await clock.sleep(backoffDelay(retry, opts.backoff, random));
      stats.retried += pending.length;
    }
  };

  await Promise.all(
    plan.chunks.map(async (chunk) => {
      await slots.acquire();
      try {
        await sendChunk(chunk);
      } catch (e) {
        fail(chunk, 'internal', `not read: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        slots.release();
      }
    }),
  );

  const items: Item[] = [];
  const missing: Item[] = [];
  const failedList: FailedKey[] = [];
  for (const k of plan.unique) {
    const item = found.get(k.id);
    const f = failed.get(k.id);
    if (item) {
      if (projection?.added.length) for (const name of projection.added) delete item[name];
      items.push(item);
    } else if (f) failedList.push(f);
    else missing.push(k.key);
  }
  return { items, missing, failed: failedList, duplicateKeys: plan.duplicateKeys, ...stats };
}
