/**
 * batchWrite: put and delete any number of items with BatchWriteItem, 25 requests a call, several
 * calls in flight, and nothing lost: every request read is either written or returned in `failed`
 * with its reason (and line). Retries are bounded; backoff uses an injectable clock and random.
 */

import type { BatchWriteItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { fromRawItem, type Item, type ItemInput } from '../data/codec.js';
import { canonicalKey, getKeySchema, type KeySchema, keyOf } from '../data/keySchema.js';
import { DdbError, type DdbErrorCode } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { sendBatchWriteBody } from '../wire/wireBody.js';
import { writeRequestWireBytes } from '../wire/wireSize.js';
import { type BackoffOptions, backoffDelay, isTransient, sdkRetriesOf } from './backoff.js';
import { Slots } from './slots.js';
import {
  batchWriteBody,
  batchWriteInput,
  type ChunkLimits,
  type PreparedWrite,
  prepareWrite,
  WriteChunker,
  type WriteRequest,
} from './writePlan.js';

export type { WriteRequest } from './writePlan.js';

export interface BatchProgress {
  /** Requests DynamoDB confirmed. */
  written: number;
  /** Requests sent again (after UnprocessedItems or a failed call). */
  retried: number;
  /** Requests given up on (invalid, or still unprocessed after the retries). */
  failed: number;
  duplicatesResolved: number;
  calls: number;
}

export interface BatchWriteOptions {
  /** Chunks (calls) in flight at once. Default 4: fast, yet gentle on a provisioned table. */
  concurrency?: number;
  /**
   * Retries per chunk after UnprocessedItems or a transient failure of the call (throttling, 5xx,
   * network), each after a backoff. Default 8 (with the default backoff, about 10 s in all before
   * giving up). The SDK's own retries (maxAttempts of the client) happen first, inside each call.
   */
  maxRetries?: number;
  /** Backoff between retries: full jitter, base 50 ms, cap 5 s by default. */
  backoff?: BackoffOptions;
  /** Requests and bytes per call. Default (and maximum) 25 requests, 16 MB. */
  limits?: ChunkLimits;
  /** The table's key schema, when the caller knows it; default: read once with DescribeTable. */
  schema?: KeySchema;
  /** Default: the system clock. Tests pass a fake one. */
  clock?: Clock;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** Stop early: requests not yet written go to `failed` ("not sent"), in-flight calls finish. */
  signal?: AbortSignal;
  /** Called after every call and every rejected request. */
  onProgress?: (p: BatchProgress) => void;
  /**
   * Called as requests settle: written, failed (with the reason), or superseded by a later request
   * with the same key. Every request read settles exactly once. Import uses it for its checkpoint
   * and its reject file.
   */
  onSettled?: (settled: SettledWrite[]) => void;
  /** Keep failed requests in the result (default true). Off for streams of any length. */
  keepFailed?: boolean;
}

export interface SettledWrite {
  request: WriteRequest;
  outcome: 'written' | 'failed' | 'superseded';
  /** For `failed`. */
  reason?: string;
  code?: DdbErrorCode;
}

export interface FailedWrite {
  request: WriteRequest;
  reason: string;
  code: DdbErrorCode;
}

/** A request dropped because a later one in the same chunk has the same key (the later one wins). */
export interface ResolvedDuplicate {
  key: Item;
  /** The dropped request's line (or position in the input when it has no line). */
  line?: number;
  index: number;
  /** The line (or position) of the request that replaced it. */
  keptLine?: number;
  keptIndex: number;
}

export interface BatchWriteResult {
  /** Requests DynamoDB confirmed (each counted once, however many times it was sent). */
  written: number;
  /** Requests sent again, summed over every retry. */
  retried: number;
  /** Retries the SDK made inside calls (its standard strategy), as far as it reports them. */
  sdkRetries: number;
  /** Everything not written, with the reason: invalid input, unprocessed after the retries, … */
  failed: FailedWrite[];
  /** Requests replaced by a later request with the same key in the same chunk. */
  duplicatesResolved: number;
  duplicates: ResolvedDuplicate[];
  /** BatchWriteItem calls made (the SDK's own retries not counted). */
  calls: number;
  /**
   * Set when the run ended before the input did: the table or the credentials went away, the
   * endpoint stayed unreachable, the input could not be read, or `signal` aborted. Requests read
   * but not written are in `failed`; requests after the last one read were never read.
   */
  stopped?: DdbError;
}

/** A low-level BatchWriteItem output as lib-dynamodb gives it: UnprocessedItems as native items. */
function fromLowLevel(out: BatchWriteItemCommandOutput): BatchWriteCommandOutput {
  const back = out.UnprocessedItems;
  if (!back || !Object.values(back).some((list) => list?.length)) {
    return { ...out, UnprocessedItems: {} } as BatchWriteCommandOutput;
  }
  const native: NonNullable<BatchWriteCommandOutput['UnprocessedItems']> = {};
  for (const [t, list] of Object.entries(back)) {
    native[t] = (list ?? []).map((r) =>
      r.PutRequest?.Item
        ? { PutRequest: { Item: fromRawItem(r.PutRequest.Item) } }
        : { DeleteRequest: { Key: fromRawItem(r.DeleteRequest?.Key ?? {}) } },
    );
  }
  return { ...out, UnprocessedItems: native } as BatchWriteCommandOutput;
}

/** Codes after which no further call can succeed: stop reading instead of failing chunk after chunk. */
const FATAL = new Set<DdbErrorCode>([
  'table.notFound',
  'credentials.missing',
  'credentials.invalid',
  'access.denied',
  'engine.unsupported',
]);

/**
 * Put and delete items in `table` with BatchWriteItem.
 *
 * - Every request is checked first (item limits, key attributes and types); an invalid one is not
 *   sent: it goes to `failed` with its reason and the run goes on.
 * - Two requests for one key in a chunk: the later wins, the earlier is counted in
 *   `duplicatesResolved`. Across chunks, a chunk waits for an in-flight chunk with the same key, so
 *   the input's order holds there too.
 * - UnprocessedItems and transient failures of a call are retried with backoff, `maxRetries` times;
 *   what is left then is in `failed`, with the items. Never dropped, never retried forever.
 * - Streams: at most `concurrency` × 25 requests are held (plus the one being read), whatever the
 *   input's length.
 *
 * Throws only before the first call (the table does not exist, bad options); after that the result
 * tells what happened, including why the run `stopped` early.
 */
export async function batchWrite(
  clients: Clients,
  table: string,
  requests:
    | AsyncIterable<WriteRequest<ItemInput> | readonly WriteRequest<ItemInput>[]>
    | Iterable<WriteRequest<ItemInput>>,
  opts: BatchWriteOptions = {},
): Promise<BatchWriteResult> {
  const concurrency = opts.concurrency ?? 4;
  const maxRetries = opts.maxRetries ?? 8;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new DdbError('usage.invalid', { message: 'maxRetries must be a whole number ≥ 0' });
  }
  const slots = new Slots(concurrency);
  const chunker = new WriteChunker(opts.limits);
  const schema = opts.schema ?? (await getKeySchema(clients, table));
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const ctx = { operation: 'BatchWriteItem', table, target: clients.label };

  const result: BatchWriteResult = {
    written: 0,
    retried: 0,
    sdkRetries: 0,
    failed: [],
    duplicatesResolved: 0,
    duplicates: [],
    calls: 0,
  };
  /** A fatal failure or an abort: nothing more is sent. */
  let halt: DdbError | undefined;
  const aborted = () =>
    new DdbError('operation.aborted', { message: 'batch write aborted', cause: opts.signal?.reason });
  const checkAbort = () => {
    if (opts.signal?.aborted) halt ??= aborted();
  };

  const progress = () =>
    opts.onProgress?.({
      written: result.written,
      retried: result.retried,
      failed: failedCount,
      duplicatesResolved: result.duplicatesResolved,
      calls: result.calls,
    });
  const keepFailed = opts.keepFailed ?? true;
  let failedCount = 0;
  const failRequests = (requests: readonly WriteRequest[], code: DdbErrorCode, reason: string) => {
    failedCount += requests.length;
    if (keepFailed) for (const request of requests) result.failed.push({ request, reason, code });
    opts.onSettled?.(requests.map((request) => ({ request, outcome: 'failed', reason, code })));
    progress();
  };
  const fail = (requests: readonly PreparedWrite[], code: DdbErrorCode, reason: string) =>
    failRequests(
      requests.map((p) => p.request),
      code,
      reason,
    );
  const notSent = (pending: readonly PreparedWrite[]) =>
    fail(
      pending,
      halt?.code ?? 'operation.aborted',
      `not sent: the run stopped (${halt?.message ?? 'aborted'})`,
    );

  /** The requests of `pending` DynamoDB handed back, matched to ours by key. */
  const unprocessedOf = (
    pending: readonly PreparedWrite[],
    returned: BatchWriteCommandOutput['UnprocessedItems'],
  ): { left: PreparedWrite[]; matched: number } => {
    const list = returned?.[table] ?? [];
    if (!list.length) return { left: [], matched: 0 };
    const byKey = new Map(pending.map((p) => [p.key, p]));
    const left: PreparedWrite[] = [];
    let matched = 0;
    for (const r of list) {
      const kind = r.PutRequest ? 'put' : 'delete';
      const item = (r.PutRequest?.Item ?? r.DeleteRequest?.Key) as Item | undefined;
      if (!item) continue;
      const key = canonicalKey(item, schema);
      const mine = byKey.get(key);
      if (mine) {
        byKey.delete(key);
        matched++;
        left.push(mine);
      } else {
        // NOTE: not one of ours (an engine that echoes a changed key); keep it rather than lose it.
        const request: WriteRequest = kind === 'put' ? { put: item } : { delete: item };
        left.push({ request, kind, item, key, bytes: writeRequestWireBytes(kind, item), index: 0 });
      }
    }
    return { left, matched };
  };

  /** Send one chunk until it is written, retries run out, or the run halts. Never throws. */
  const sendChunk = async (chunk: PreparedWrite[]): Promise<void> => {
    let pending = chunk;
    for (let retry = 0; ; retry++) {
      checkAbort();
      if (halt) return notSent(pending);
      let last: DdbError;
      try {
        result.calls++;
        const out = clients.bulk
          ? fromLowLevel(await sendBatchWriteBody(clients.bulk, batchWriteBody(table, pending), opts.signal))
          : await clients.doc.send(
              new BatchWriteCommand(batchWriteInput(table, pending)),
              opts.signal ? { abortSignal: opts.signal } : {},
            );
        result.sdkRetries += sdkRetriesOf(out);
        const { left, matched } = unprocessedOf(pending, out.UnprocessedItems);
        result.written += pending.length - matched;
        if (opts.onSettled) {
          const back = new Set(left);
          opts.onSettled(
            pending.filter((p) => !back.has(p)).map((p) => ({ request: p.request, outcome: 'written' })),
          );
        }
        progress();
        if (!left.length) return;
        pending = left;
        last = new DdbError('batch.incomplete', {
          message:
            'DynamoDB returned them as UnprocessedItems (throttled: the table or partition is over its write capacity)',
        });
      } catch (e) {
        result.sdkRetries += sdkRetriesOf(e);
        if (opts.signal?.aborted) {
          halt ??= aborted();
          return fail(
            pending,
            'operation.aborted',
            'aborted while in flight: it may or may not have been written',
          );
        }
        const err = toDdbError(e, ctx);
        if (!isTransient(e, err)) {
          if (err.code === 'request.invalid' && pending.length > 1) {
            // NOTE: one request DynamoDB refuses fails the whole call (the local checks cannot foresee
            // every engine's rule): halve the chunk until the culprit stands alone, write the rest.
            const mid = Math.ceil(pending.length / 2);
            await sendChunk(pending.slice(0, mid));
            await sendChunk(pending.slice(mid));
            return;
          }
          if (FATAL.has(err.code)) halt ??= err;
          return fail(pending, err.code, err.message);
        }
        last = err;
      }
      if (retry >= maxRetries) {
        if (last.code === 'endpoint.unreachable') halt ??= last;
        return fail(
          pending,
          last.code,
          `BatchWriteItem: not written after ${retry + 1} attempt${retry ? 's' : ''}: ${last.message}; write these requests again later${last.code === 'batch.incomplete' || last.code === 'request.throttled' ? ", or raise the table's write capacity" : ''}`,
        );
      }
      try {
        await clock.sleep(backoffDelay(retry, opts.backoff, random), opts.signal);
      } catch {
        halt ??= aborted();
        return notSent(pending);
      }
      result.retried += pending.length;
    }
  };

  // Chunks in flight, and for each key the chunk that is writing it (order across chunks).
  interface Task {
    done: Promise<void>;
  }
  const tasks = new Set<Task>();
  const writing = new Map<string, Task>();
  const runTask = async (task: Task, chunk: PreparedWrite[], before: Promise<void>[]): Promise<void> => {
    try {
      if (before.length) await Promise.all(before);
      await sendChunk(chunk);
    } catch (e) {
      // sendChunk handles every failure it knows; anything else must still not lose the chunk.
      fail(chunk, 'internal', `not written: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      slots.release();
      tasks.delete(task);
      for (const p of chunk) if (writing.get(p.key) === task) writing.delete(p.key);
    }
  };
  const dispatch = (chunk: PreparedWrite[]) => {
    const before = new Set<Promise<void>>();
    for (const p of chunk) {
      const t = writing.get(p.key);
      if (t) before.add(t.done);
    }
    // Registered before it starts: a chunk that settles at once must find itself to clean up.
    const task: Task = { done: Promise.resolve() };
    tasks.add(task);
    for (const p of chunk) writing.set(p.key, task);
    task.done = runTask(task, chunk, [...before]);
  };

  // NOTE: a slot is taken when a chunk starts to fill, not when it is sent: the open chunk counts
  // against `concurrency`, so memory stays at concurrency × 25 requests.
  let holding = false;
  let index = 0;
  let inputError: DdbError | undefined;
  try {
    // NOTE: a source may give batches of requests (import does): one await per batch.
    reading: for await (const got of requests) {
      const batch: readonly WriteRequest<ItemInput>[] = Array.isArray(got)
        ? got
        : [got as WriteRequest<ItemInput>];
      for (let k = 0; k < batch.length; k++) {
        const request = batch[k] as WriteRequest<ItemInput>;
        index++;
        let p: PreparedWrite;
        try {
          p = prepareWrite(request, schema, index);
        } catch (e) {
          const err = toDdbError(e, ctx);
          // NOTE: reported as given: a request refused by fromJsItem may hold plain JS numbers.
          failRequests([request as WriteRequest], err.code, err.message);
          continue;
        }
        if (!holding) {
          await slots.acquire();
          holding = true;
        }
        const r = chunker.add(p);
        if (r.superseded) {
          result.duplicatesResolved++;
          opts.onSettled?.([{ request: r.superseded.request, outcome: 'superseded' }]);
          result.duplicates.push({
            key: keyOf(r.superseded.item, schema),
            index: r.superseded.index,
            keptIndex: p.index,
            ...(r.superseded.request.line !== undefined ? { line: r.superseded.request.line } : {}),
            ...(p.request.line !== undefined ? { keptLine: p.request.line } : {}),
          });
        }
        for (const c of r.closed) {
          if (!holding) await slots.acquire();
          dispatch(c);
          holding = false;
        }
        if (chunker.size > 0 && !holding) {
          await slots.acquire();
          holding = true;
        }
        checkAbort();
        if (halt) {
          // The rest of a batch was read: it settles too, as not sent.
          const rest = batch.slice(k + 1);
          if (rest.length)
            failRequests(rest as WriteRequest[], halt.code, `not sent: the run stopped (${halt.message})`);
          break reading;
        }
      }
    }
  } catch (e) {
    inputError = toDdbError(e, { operation: 'reading the requests' });
  }
  const last = chunker.take();
  if (last.length && halt) notSent(last);
  else if (last.length) {
    if (!holding) await slots.acquire();
    dispatch(last);
    holding = false;
  }
  if (holding) slots.release();
  while (tasks.size) await Promise.all([...tasks].map((t) => t.done));

  const stopped = halt ?? inputError;
  if (stopped) result.stopped = stopped;
  return result;
}
