/**
 * Copy every item of one table into another, exactly: items are read with lib-dynamodb (numbers
 * stay NumberValue, sets stay sets) and written with `batchWrite` (bounded retries, nothing
 * dropped). Used by the copy-and-swap of a table replacement.
 */
import { paginateScan, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  type BatchWriteOptions,
  batchWrite,
  type FailedWrite,
  type WriteRequest,
} from '../batch/batchWrite.js';
import type { Clients } from '../clients.js';
import type { Item } from '../data/codec.js';
import type { KeySchema } from '../data/keySchema.js';
import { call } from '../sdkErrors.js';

export interface CopyProgress {
  read: number;
  written: number;
}

export interface CopyItemsOptions
  extends Pick<BatchWriteOptions, 'concurrency' | 'maxRetries' | 'backoff' | 'clock' | 'random' | 'signal'> {
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
}

/**
 * Copy every item of `from` into `to` (whose key schema is `toSchema`). Reads with strongly
 * consistent Scan pages so that items written before the copy began are all seen.
 */
export async function copyItems(
  clients: Clients,
  from: string,
  to: string,
  toSchema: KeySchema,
  opts: CopyItemsOptions = {},
): Promise<CopyItemsResult> {
  let read = 0;
  let written = 0;
  const progress = () => opts.onProgress?.({ read, written });
  async function* requests(): AsyncGenerator<WriteRequest> {
    // NOTE: the paginator writes ExclusiveStartKey into the input it is given: a fresh object.
    const input: ScanCommandInput = { TableName: from, ConsistentRead: true };
    const pages = paginateScan({ client: clients.doc }, input);
    const it = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await call({ operation: 'Scan', table: from, target: clients.label }, () => it.next());
      if (next.done) return;
      const items = (next.value.Items ?? []) as Item[];
      read += items.length;
      progress();
      for (const item of items) yield { put: item };
    }
  }
  const result = await batchWrite(clients, to, requests(), {
    ...opts,
    schema: toSchema,
    onProgress: (p) => {
      written = p.written;
      progress();
    },
  });
  if (result.stopped) throw result.stopped;
  return {
    read,
    written: result.written,
    failed: result.failed,
    duplicates: result.duplicatesResolved,
  };
}

/** The exact number of items in `table`: a strongly consistent Scan with Select COUNT, every page. */
export async function countItems(clients: Clients, table: string): Promise<number> {
  let count = 0;
  await call({ operation: 'Scan', table, target: clients.label }, async () => {
    const input: ScanCommandInput = { TableName: table, ConsistentRead: true, Select: 'COUNT' };
    for await (const page of paginateScan({ client: clients.doc }, input)) count += page.Count ?? 0;
  });
  return count;
}
