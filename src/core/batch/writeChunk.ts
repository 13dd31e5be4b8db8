/**
 * batchWrite's sending: one BatchWriteItem call for a chunk (on the wire path when the clients
 * have a bulk client, as every target ddbctl makes has; else through the document client), the
 * requests DynamoDB hands back matched to ours, and the retries of what is left with backoff. Each
 * request of a chunk is settled in the ledger exactly once, whatever happens to the calls.
 */
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import type { Item } from '../data/codec.js';
import { canonicalKey, type KeySchema } from '../data/keySchema.js';
import { DdbError, type DdbErrorCode } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import type { Clock } from '../util/clock.js';
import { count } from '../util/plural.js';
import { sendBatchWrite } from '../wire/batchWriteText.js';
import { writeRequestWireBytes } from '../wire/wireSize.js';
import { type BackoffOptions, backoffDelay, isTransient, sdkRetriesOf } from './backoff.js';
import type { ConcurrencyController } from './concurrency.js';
import type { Halt, WriteLedger } from './writeLedger.js';
import { batchWriteInput, type PreparedWrite, type WriteRequest } from './writePlan.js';

/** What sending a chunk needs to know of its run. */
export interface ChunkRun {
  clients: Clients;
  table: string;
  schema: KeySchema;
  maxRetries: number;
  backoff: BackoffOptions | undefined;
  clock: Clock;
  /** Told of each call's time and throttling: it sets how many chunks are in flight. */
  concurrency: ConcurrencyController;
  random: () => number;
  signal: AbortSignal | undefined;
  ledger: WriteLedger;
  halt: Halt;
  /** Requests written when a chunk last ran out of retries for throttling (see giveUp). */
  throttledOut?: number;
}

/** Codes after which no further call can succeed: stop reading instead of failing chunk after chunk. */
const FATAL = new Set<DdbErrorCode>([
  'table.notFound',
  'credentials.missing',
  'credentials.invalid',
  'access.denied',
  'engine.unsupported',
  // The data dir's holder is stopped (Ctrl-Z) or hung (engine/handoff.ts): no later call does better.
  'engine.locked',
]);

/** One BatchWriteItem call for `chunk`: the wire path on a bulk client, else the document client. */
export function sendOnce(
  clients: Clients,
  table: string,
  chunk: readonly PreparedWrite[],
  signal?: AbortSignal,
): Promise<BatchWriteCommandOutput> {
  if (clients.bulk) return sendBatchWrite(clients.bulk, table, chunk, signal);
  return clients.doc.send(
    new BatchWriteCommand(batchWriteInput(table, chunk)),
    signal ? { abortSignal: signal } : {},
  );
}

/**
 * The requests of `pending` DynamoDB handed back (`returned`, native items), matched to ours by
 * key; `matched` counts ours. A request that matches none of ours is kept too, rather than lost.
 */
export function unprocessedOf(
  pending: readonly PreparedWrite[],
  returned: BatchWriteCommandOutput['UnprocessedItems'],
  table: string,
  schema: KeySchema,
): { left: PreparedWrite[]; matched: number } {
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
}

/** How one attempt ended: all settled, or requests left to try again after `last`. */
type Attempt = { settled: true } | { settled: false; left: PreparedWrite[]; last: DdbError };

const SETTLED: Attempt = { settled: true };

/**
 * Calls of one chunk the endpoint took and kept silent on (no answer within the request timeout,
 * a minute by default) after which the chunk gives up and the run stops as for an unreachable
 * endpoint. NOTE: every retry of such a call waits the whole timeout again: with the retries of
 * any other failure (10 by default) a stalled endpoint held an import for about ten minutes.
 */
export const SILENT_ATTEMPTS = 2;

/** Send one chunk until it is written, retries run out, or the run halts. Never throws. */
export async function writeChunk(run: ChunkRun, chunk: PreparedWrite[]): Promise<void> {
  let pending = chunk;
  let silent = 0;
  for (let retry = 0; ; retry++) {
    if (run.signal?.aborted) run.halt.set(aborted(run.signal));
    if (run.halt.error) return run.ledger.notSent(pending, run.halt);
    if (!(await paced(run, pending.length))) return run.ledger.notSent(pending, run.halt);
    const attempt = await attemptOnce(run, pending);
    if (attempt.settled) return;
    pending = attempt.left;
    if (attempt.last.details?.silent === true) silent++;
    if (retry >= run.maxRetries || silent >= SILENT_ATTEMPTS)
      return giveUp(run, pending, attempt.last, retry, silent > 0);
    try {
      await run.clock.sleep(backoffDelay(retry, run.backoff, run.random), run.signal);
    } catch {
      run.halt.set(aborted(run.signal));
      return run.ledger.notSent(pending, run.halt);
    }
    run.ledger.result.retried += pending.length;
  }
}

/**
 * Wait for the call's turn at the pace the table set by throttling (none before it). False when
 * the run was aborted meanwhile.
 */
async function paced(run: ChunkRun, units: number): Promise<boolean> {
  try {
    await run.concurrency.turn(units, run.signal);
    return true;
  } catch {
    run.halt.set(aborted(run.signal));
    return false;
  }
}

/** One call for `pending`: settles what it can (written, or failed for good); returns what is left. */
async function attemptOnce(run: ChunkRun, pending: PreparedWrite[]): Promise<Attempt> {
  const { ledger, halt, concurrency } = run;
  const start = concurrency.started();
  let timed = false;
  try {
    ledger.result.calls++;
    const out = await sendOnce(run.clients, run.table, pending, run.signal);
    const sdkRetries = sdkRetriesOf(out);
    ledger.result.sdkRetries += sdkRetries;
    const { left, matched } = unprocessedOf(pending, out.UnprocessedItems, run.table, run.schema);
    // NOTE: UnprocessedItems is DynamoDB's throttling of a batch; a retry the SDK made inside the
    // call most often is too (throttling or a 5xx: either way, the endpoint asks for less).
    timed = true;
    concurrency.ended(start, {
      units: pending.length - matched,
      throttled: left.length > 0 || sdkRetries > 0,
    });
    ledger.wrote(pending, left, matched);
    if (!left.length) return SETTLED;
    return {
      settled: false,
      left,
      last: new DdbError('batch.incomplete', {
        message:
          'DynamoDB returned them as UnprocessedItems (throttled: the table or partition is over its write capacity)',
      }),
    };
  } catch (e) {
    ledger.result.sdkRetries += sdkRetriesOf(e);
    const err = toDdbError(e, { operation: 'BatchWriteItem', table: run.table, target: run.clients.label });
    if (!timed) {
      // NOTE: only throttling cuts the calls in flight and sets a pace; a 5xx or a dropped
      // connection is retried and moves neither (concurrency.ts).
      const throttled = err.code === 'request.throttled';
      concurrency.ended(start, { units: 0, throttled, fault: !throttled && isTransient(e, err) });
    }
    if (run.signal?.aborted) {
      halt.set(aborted(run.signal));
      ledger.fail(pending, 'operation.aborted', IN_FLIGHT_ABORTED);
      return SETTLED;
    }
    if (isTransient(e, err)) return { settled: false, left: pending, last: err };
    if (err.code === 'request.invalid' && pending.length > 1) {
      // NOTE: one request DynamoDB refuses fails the whole call (the local checks cannot foresee
      // every engine's rule): halve the chunk until the culprit stands alone, write the rest.
      const mid = Math.ceil(pending.length / 2);
      await writeChunk(run, pending.slice(0, mid));
      await writeChunk(run, pending.slice(mid));
      return SETTLED;
    }
    if (FATAL.has(err.code)) halt.set(err);
    ledger.fail(pending, err.code, err.message);
    return SETTLED;
  }
}

/** Retries ran out: what is left fails, saying what to do. */
/**
 * The chunk's requests left after its last attempt, failed with the reason. `unanswered`: a call of
 * them went unanswered (silent), so they are not known to be unwritten: that call may have landed.
 */
function giveUp(
  run: ChunkRun,
  pending: readonly PreparedWrite[],
  last: DdbError,
  retry: number,
  unanswered: boolean,
): void {
  if (last.code === 'endpoint.unreachable') run.halt.set(last);
  const throttled = last.code === 'batch.incomplete' || last.code === 'request.throttled';
  const capacity = throttled ? ", or raise the table's write capacity" : '';
  if (throttled) {
    // NOTE: two chunks out of retries with not one request written between them: the table takes
    // nothing at this size of call (a capacity under one call's units); going on would spend
    // every chunk's retries, hours for a big input. Stop, as for an unreachable endpoint.
    const written = run.ledger.result.written;
    if (run.throttledOut === written) {
      run.halt.set(
        new DdbError('request.throttled', {
          message: `the table wrote nothing between two chunks that ran out of retries for throttling (${count(written)} written in all): its write capacity is below what one BatchWriteItem call of up to 25 requests needs; raise the table's write capacity (or switch it to on-demand) and run again`,
        }),
      );
    }
    run.throttledOut = written;
  }
  run.ledger.fail(
    pending,
    last.code,
    `BatchWriteItem: ${unanswered ? 'not known to be written' : 'not written'} after ${retry + 1} attempt${retry ? 's' : ''}: ${last.message}; write these requests again later${capacity}`,
  );
}

/** The reason of a request whose call the stop cut off in flight: it may have landed. */
export const IN_FLIGHT_ABORTED = 'aborted while in flight: it may or may not have been written';

/** How many of `failed` were in flight when the run was stopped (they may have landed). */
export function inFlightAtStop(failed: readonly { reason: string }[]): number {
  return failed.filter((f) => f.reason === IN_FLIGHT_ABORTED).length;
}

export function aborted(signal: AbortSignal | undefined): DdbError {
  // The stop's own words when it has some ("interrupted (SIGINT)"), as the waits say it.
  const why = signal?.reason instanceof Error ? signal.reason.message : '';
  return new DdbError('operation.aborted', { message: why || 'batch write aborted', cause: signal?.reason });
}
