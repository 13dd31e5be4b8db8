/** Delete every item of a table, keeping the table: a parallel scan of keys → batch deletes. */
import { batchWrite, type WriteRequest } from '../batch/batchWrite.js';
import type { ConcurrencyStats } from '../batch/concurrency.js';
import { inFlightAtStop } from '../batch/writeChunk.js';
import type { Clients } from '../clients.js';
import { getKeySchema, keyNames } from '../data/keySchema.js';
import { scanPages } from '../data/read.js';
import { DdbError } from '../errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { plural } from '../util/plural.js';

export interface TruncateResult {
  deleted: number;
  failed: number;
  seconds: number;
  /** The deletes' calls in flight and throttling. */
  concurrency: ConcurrencyStats;
  /** Why the first of the `failed` deletes failed (after its retries), when some did. */
  failedReason?: string;
  /** `signal` aborted the run: `deleted` items are gone, the rest is left (truncate again to finish). */
  interrupted?: true;
  /** Interrupted: the deletes whose calls the stop cut off in flight (they may have landed too). */
  inFlight?: number;
}

export async function truncateTable(
  clients: Clients,
  table: string,
  opts: {
    segments?: number;
    concurrency?: number;
    onProgress?: (deleted: number, concurrency: ConcurrencyStats) => void;
    signal?: AbortSignal;
    /** Times the run (`seconds`) and paces the retries. Default: the system clock. */
    clock?: Clock;
  } = {},
): Promise<TruncateResult> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const schema = await getKeySchema(clients, table);
  // NOTE: only key attributes are read (a projection of the key), which keeps the scan light.
  const keys = keyNames(schema);
  async function* requests(): AsyncGenerator<WriteRequest> {
    const project = keys.map((k) => `\`${k.replace(/[`\\]/g, '\\$&')}\``).join(',');
    for await (const page of scanPages(clients, table, { segments: opts.segments ?? 4, project })) {
      for (const key of page) yield { delete: key };
    }
  }
  const r = await batchWrite(clients, table, requests(), {
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    schema,
    clock,
    onProgress: (p) => opts.onProgress?.(p.written, p.concurrency),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const seconds = (clock.now() - started) / 1000;
  // Stopped by the caller's signal: what was done is the result, not an error.
  if (r.stopped && opts.signal?.aborted)
    return {
      deleted: r.written,
      failed: 0,
      seconds,
      concurrency: r.concurrency,
      interrupted: true,
      inFlight: inFlightAtStop(r.failed),
    };
  if (r.stopped) {
    throw new DdbError(r.stopped.code, {
      message: `${r.stopped.message}; ${plural(r.written, 'item')} of ${table} deleted before the stop; once the cause is fixed, truncate again deletes what is left`,
      cause: r.stopped,
      details: { deleted: r.written, failed: r.failed.length, seconds, concurrency: r.concurrency },
    });
  }
  return {
    deleted: r.written,
    failed: r.failed.length,
    seconds,
    concurrency: r.concurrency,
    ...(r.failed[0] ? { failedReason: r.failed[0].reason } : {}),
  };
}
