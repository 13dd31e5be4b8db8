/**
 * Copy every item of one table into another, on the same or another target, exactly: items are
 * read with lib-dynamodb (numbers stay NumberValue, sets stay sets) by a strongly consistent
 * parallel scan and written with `batchWrite` (bounded retries, nothing dropped). Used by
 * copy-table and by the copy-and-swap of a table replacement.
 */
import {
  type BatchWriteOptions,
  batchWrite,
  type FailedWrite,
  type WriteRequest,
} from '../batch/batchWrite.js';
import type { ConcurrencyStats } from '../batch/concurrency.js';
import type { Clients } from '../clients.js';
import type { KeySchema } from '../data/keySchema.js';
import { countItems, scanPages } from '../data/read.js';
import { DdbError } from '../errors.js';

export interface CopyProgress {
  read: number;
  written: number;
  /** Writes sent again (UnprocessedItems, throttling, 5xx). */
  retried: number;
  /** The source's approximate item count (DescribeTable), when the caller knows it. */
  total?: number;
  /** The writes' calls in flight and throttling (from the first write on). */
  concurrency?: ConcurrencyStats;
}

export interface TableRef {
  clients: Clients;
  table: string;
}

export interface CopyItemsOptions
  extends Pick<BatchWriteOptions, 'concurrency' | 'maxRetries' | 'backoff' | 'clock' | 'random' | 'signal'> {
  /** Parallel scan segments of the source. Default 4. */
  segments?: number;
  /** The destination's key schema when known (else read with DescribeTable). */
  schema?: KeySchema;
  /** Called after every page read and every batch written. */
  onProgress?: (p: CopyProgress) => void;
}

export interface CopyItemsResult {
  /** Items scanned from the source. */
  read: number;
  /** Items the destination confirmed. */
  written: number;
  /** Items not written, with the reason (an item without the destination's key attributes, …). */
  failed: FailedWrite[];
  /** Source items that share one destination key with another: all but one would be lost. */
  duplicates: number;
  concurrency: ConcurrencyStats;
}

/** Copy every item of `from` into `to`. Throws when the run stops (table gone, credentials, …). */
export async function copyItems(
  from: TableRef,
  to: TableRef,
  opts: CopyItemsOptions = {},
): Promise<CopyItemsResult> {
  let read = 0;
  let written = 0;
  let retried = 0;
  let concurrency: ConcurrencyStats | undefined;
  const progress = () =>
    opts.onProgress?.({ read, written, retried, ...(concurrency ? { concurrency } : {}) });
  async function* requests(): AsyncGenerator<WriteRequest> {
    for await (const page of scanPages(from.clients, from.table, {
      segments: opts.segments ?? 4,
      consistent: true,
    })) {
      read += page.length;
      progress();
      for (const item of page) yield { put: item };
    }
  }
  const { onProgress: _, segments: __, ...writeOpts } = opts;
  const result = await batchWrite(to.clients, to.table, requests(), {
    ...writeOpts,
    onProgress: (p) => {
      written = p.written;
      retried = p.retried;
      concurrency = p.concurrency;
      progress();
    },
  });
  if (result.stopped) {
    // The requests that failed before the stop go with it: the caller's report counts them.
    const { stopped } = result;
    throw new DdbError(stopped.code, {
      message: stopped.message,
      cause: stopped,
      details: { ...stopped.details, failed: result.failed },
    });
  }
  return {
    read,
    written: result.written,
    failed: result.failed,
    duplicates: result.duplicatesResolved,
    concurrency: result.concurrency,
  };
}

/** The exact number of items in `table`: a strongly consistent Scan with Select COUNT, every page. */
export async function exactCount(ref: TableRef): Promise<number> {
  return (await countItems(ref.clients, ref.table, { consistent: true })).count;
}
