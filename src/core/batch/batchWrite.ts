/**
 * batchWrite: put and delete any number of items with BatchWriteItem, 25 requests a call, several
 * calls in flight, and nothing lost: every request read is either written or returned in `failed`
 * with its reason (and line). Retries are bounded; backoff uses an injectable clock and random.
 *
 * Its parts, by concern: writePlan.ts checks requests and cuts chunks, chunkQueue.ts keeps chunks in
 * flight in order, writeChunk.ts sends one chunk and retries what is left, writeLedger.ts settles
 * every request exactly once and reports. This file reads the requests and ties them together.
 */

import type { Clients } from '../clients.js';
import type { Item, ItemInput } from '../data/codec.js';
import { getKeySchema, type KeySchema } from '../data/keySchema.js';
import { DdbError, type DdbErrorCode } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import { untilAborted } from '../util/abortable.js';
import { type Clock, systemClock } from '../util/clock.js';
import { bulkSockets } from '../wire/wireBody.js';
import type { BackoffOptions } from './backoff.js';
import { ChunkQueue } from './chunkQueue.js';
import { ConcurrencyController, type ConcurrencyOptions, type ConcurrencyStats } from './concurrency.js';
import { aborted, type ChunkRun, writeChunk } from './writeChunk.js';
import { Halt, notSentReason, WriteLedger } from './writeLedger.js';
import {
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
  /** Calls in flight, the limit reached, throttled calls. */
  concurrency: ConcurrencyStats;
}

export interface BatchWriteOptions {
  /**
   * Chunks (calls) in flight at once: a number fixes it; default, it adapts (concurrency.ts): from
   * `adaptive.initial` (16; an engine in this process: a fixed 8), growing while the latency stays
   * near its floor and the throughput rises, cut and paced on throttling.
   */
  concurrency?: number;
  /**
   * Bounds of the adaptive concurrency (no `concurrency`). Default initial 16 (behind +10 ms, 8
   * stopped short of what 16 did), min 1, max 64, paced.
   */
  adaptive?: Omit<ConcurrencyOptions, 'fixed'>;
  /**
   * Retries per chunk after UnprocessedItems or a transient failure of the call (throttling, 5xx,
   * network), each after a backoff. Default 8 (with the default backoff, about 10 s in all before
   * giving up). The bulk client ddbctl makes sends each call once (so throttling reaches the
   * concurrency at once); through the document client, the SDK's retries happen first, inside each call.
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
  /** The concurrency reached and the throttling met (calls answered with it, SDK retries included). */
  concurrency: ConcurrencyStats;
  /**
   * Set when the run ended before the input did: the table or the credentials went away, the
   * endpoint stayed unreachable, the input could not be read, or `signal` aborted. Requests read
   * but not written are in `failed`; requests after the last one read were never read.
   */
  stopped?: DdbError;
}

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
  const clock = opts.clock ?? systemClock;
  if (opts.concurrency !== undefined && (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)) {
    throw new DdbError('usage.invalid', { message: 'concurrency must be a whole number ≥ 1' });
  }
  // NOTE: an engine in this process shares the client's thread: more calls in flight only cost
  // memory there (measured: 5–20% slower adapting than at a fixed 8), so its start stays fixed.
  // NOTE: to an endpoint, no more calls than the bulk client's sockets (wireBody.ts): the others
  // would wait in the client for one, into the SDK's connection timeout.
  const sockets = clients.inProcess ? undefined : bulkSockets();
  const fixed =
    opts.concurrency !== undefined
      ? Math.min(opts.concurrency, sockets ?? opts.concurrency)
      : clients.inProcess
        ? (opts.adaptive?.initial ?? 8)
        : undefined;
  const concurrency = new ConcurrencyController(
    // NOTE: paced once throttled (the bench's 2,000-unit table: 3-5% of calls throttled over
    // 50,000 items, 7% unpaced); a pace that does not lessen the throttling is dropped
    // (concurrency.ts).
    // A fixed number of calls (--concurrency) is paced too: it fixes the calls, not the rate.
    fixed !== undefined
      ? { fixed, paced: opts.adaptive?.paced ?? !clients.inProcess }
      : { paced: true, initial: 16, max: sockets, ...opts.adaptive },
    clock,
  );
  const maxRetries = opts.maxRetries ?? 8;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new DdbError('usage.invalid', { message: 'maxRetries must be a whole number ≥ 0' });
  }
  const ledger = new WriteLedger(opts, concurrency);
  const queue = new ChunkQueue(
    concurrency,
    (chunk) => writeChunk(run, chunk),
    // writeChunk handles every failure it knows; anything else must still not lose the chunk.
    (chunk, e) =>
      ledger.fail(chunk, 'internal', `not written: ${e instanceof Error ? e.message : String(e)}`),
  );
  const chunker = new WriteChunker(opts.limits);
  const run: ChunkRun = {
    clients,
    table,
    schema: opts.schema ?? (await getKeySchema(clients, table)),
    maxRetries,
    backoff: opts.backoff,
    clock,
    concurrency,
    random: opts.random ?? Math.random,
    signal: opts.signal,
    ledger,
    halt: new Halt(),
  };

  let inputError: DdbError | undefined;
  try {
    await readRequests(run, requests, chunker, queue);
  } catch (e) {
    inputError = toDdbError(e, { operation: 'reading the requests' });
  }
  if (run.signal?.aborted) run.halt.set(aborted(run.signal));
  const last = chunker.take();
  if (last.length && run.halt.error) ledger.notSent(last, run.halt);
  else if (last.length) await queue.dispatch(last);
  await queue.drain();

  const result = ledger.result;
  const stopped = run.halt.error ?? inputError;
  if (stopped) result.stopped = stopped;
  return result;
}

/**
 * Read `requests`, check each, and feed the chunks they fill to `queue`, until the input ends or the
 * run halts. An invalid request settles as failed at once, and the reading goes on.
 */
async function readRequests(
  run: ChunkRun,
  requests:
    | AsyncIterable<WriteRequest<ItemInput> | readonly WriteRequest<ItemInput>[]>
    | Iterable<WriteRequest<ItemInput>>,
  chunker: WriteChunker,
  queue: ChunkQueue,
): Promise<void> {
  const { ledger, halt, schema } = run;
  const ctx = { operation: 'BatchWriteItem', table: run.table, target: run.clients.label };
  let index = 0;
  // NOTE: a source may give batches of requests (import does): one await per batch. A stop ends
  // the reading at once, also while the source waits (stdin from a producer that went quiet).
  for await (const got of untilAborted(requests, run.signal)) {
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
        ledger.failRequests([request as WriteRequest], err.code, err.message);
        continue;
      }
      // NOTE: a slot is taken when a chunk starts to fill, not when it is sent: the open chunk
      // counts against `concurrency`, so memory stays at concurrency × 25 requests.
      const slot = queue.open();
      if (slot) await slot;
      const r = chunker.add(p);
      if (r.superseded) ledger.supersede(r.superseded, p, schema);
      for (const c of r.closed) await queue.dispatch(c);
      if (chunker.size > 0) {
        const next = queue.open();
        if (next) await next;
      }
      if (run.signal?.aborted) halt.set(aborted(run.signal));
      if (halt.error) {
        // The rest of a batch was read: it settles too, as not sent.
        const rest = batch.slice(k + 1);
        if (rest.length) ledger.failRequests(rest as WriteRequest[], halt.error.code, notSentReason(halt));
        return;
      }
    }
  }
}
