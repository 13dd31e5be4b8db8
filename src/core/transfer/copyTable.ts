/**
 * Copy a table between any two targets: create the destination with the source's schema when it
 * does not exist, copy every item (parallel scan → batchWrite), then verify the counts.
 */
import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import type { FailedWrite } from '../batch/batchWrite.js';
import type { ConcurrencyStats } from '../batch/concurrency.js';
import { inFlightAtStop } from '../batch/writeChunk.js';
import { sendCreateTable } from '../control/createTable.js';
import { describeTable, findTable } from '../control/describeTable.js';
import { waitForTable } from '../control/waitForTable.js';
import { describedKeySchema } from '../data/keySchema.js';
import { formatKeySchema, sameKeySchema } from '../data/tableKeys.js';
import { DdbError } from '../errors.js';
import { detectCaps } from '../spec/caps.js';
import { ALL_CAPS, type EngineCaps, planTable } from '../spec/plan.js';
import { createTableInput, specFromDescription } from '../spec/tableSpec.js';
import { type Clock, systemClock } from '../util/clock.js';
import { count, plural } from '../util/plural.js';
import { type CopyProgress, copyItems, exactCount, type TableRef } from './copyItems.js';

export type Endpoint = TableRef;

/**
 * Pure: the CreateTable input that gives `name` every setting of `source` that CreateTable takes
 * (keys, indexes, billing, on-demand and warm throughput of the table and its GSIs, stream, table
 * class, deletion protection, a KMS key), built as apply builds a new table: the live table read
 * as a spec, planned for an engine with `caps` (the planner leaves out what it cannot take). Tags,
 * TTL, point-in-time recovery and a resource policy (it names the source's ARN) are not copied.
 * What was left out for `caps` is named in `notCarried`.
 */
export function cloneTableInput(
  source: TableDescription,
  name: string,
  caps: EngineCaps = ALL_CAPS,
): { input: CreateTableCommandInput; notCarried: string[] } {
  const spec = { ...specFromDescription(source, {}), name };
  delete spec.resourcePolicy;
  const create = planTable(undefined, spec, caps).steps.find((s) => s.kind === 'create');
  // NOTE: the plan of a table that does not exist always starts with its CreateTable.
  if (create?.kind !== 'create') {
    throw new DdbError('internal', { message: `the plan of a new table ${name} has no CreateTable step` });
  }
  const full = createTableInput(spec);
  const input = create.input;
  const gsis = (i: CreateTableCommandInput) => i.GlobalSecondaryIndexes ?? [];
  const left = (has: (i: CreateTableCommandInput) => unknown) => !!has(full) && !has(input);
  const notCarried: string[] = [];
  if (left((i) => i.OnDemandThroughput || gsis(i).some((g) => g.OnDemandThroughput))) {
    notCarried.push('on-demand throughput limits');
  }
  if (left((i) => i.WarmThroughput || gsis(i).some((g) => g.WarmThroughput)))
    notCarried.push('warm throughput');
  if (left((i) => i.StreamSpecification)) notCarried.push('stream');
  if (left((i) => i.TableClass !== undefined && i.TableClass !== 'STANDARD')) {
    notCarried.push(`table class ${full.TableClass}`);
  }
  if (left((i) => i.DeletionProtectionEnabled)) notCarried.push('deletion protection');
  if (left((i) => i.SSESpecification)) notCarried.push('encryption with a KMS key');
  return { input, notCarried };
}

/**
 * Before anything is read: an existing destination must have the source's key schema, or every
 * write would be refused after a full scan of the source.
 */
function checkSameKeys(source: TableDescription, dest: TableDescription, from: Endpoint, to: Endpoint): void {
  const a = describedKeySchema(source);
  const b = describedKeySchema(dest);
  if (sameKeySchema(a, b)) return;
  throw new DdbError('table.exists', {
    message: `table ${to.table} (${to.clients.label}) already exists with key schema ${formatKeySchema(b)}, but ${from.table} has ${formatKeySchema(a)}: its items cannot be written there; nothing was copied. Copy into a new table name (created with ${from.table}'s schema), or delete ${to.table} first`,
  });
}

export interface CopyTableOptions {
  segments?: number;
  concurrency?: number;
  /** Progress, with `total` the source's approximate item count. */
  onProgress?: (p: CopyProgress) => void;
  signal?: AbortSignal;
  /** Times the copy (`seconds`), paces the retries and the wait for DST. Default: the system clock. */
  clock?: Clock;
}

export interface CopyTableResult {
  created: boolean;
  read: number;
  written: number;
  failed: FailedWrite[];
  /** The exact counts at the end; null when the run was interrupted (nothing counted). */
  sourceCount: number | null;
  destinationCount: number | null;
  seconds: number;
  /** The writes' calls in flight and throttling (absent when interrupted before any write). */
  concurrency?: ConcurrencyStats;
  /**
   * `signal` aborted the copy: `written` of the `read` items are in the destination (`created`
   * says whether this run created it); copy-table again writes every item anew.
   */
  interrupted?: true;
  /** Interrupted: the writes whose calls the stop cut off in flight (they may have landed too). */
  inFlight?: number;
  /**
   * Settings of the source the destination was created without, because its engine does not take
   * them ("on-demand throughput limits"); absent when nothing was left out or DST existed.
   */
  notCarried?: string[];
}

/** Copy every item of `from` into `to`; the counts are compared at the end (batch.incomplete if they differ). */
export async function copyTable(
  from: Endpoint,
  to: Endpoint,
  opts: CopyTableOptions = {},
): Promise<CopyTableResult> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const source = await describeTable(from.clients, from.table);
  const existing = await findTable(to.clients, to.table);
  if (existing) checkSameKeys(source, existing, from, to);
  let created = false;
  let notCarried: string[] = [];
  const interrupted = (read: number, written: number, inFlight = 0): CopyTableResult => ({
    created,
    ...(notCarried.length ? { notCarried } : {}),
    read,
    written,
    inFlight,
    failed: [],
    sourceCount: null,
    destinationCount: null,
    seconds: (clock.now() - started) / 1000,
    interrupted: true,
  });
  // Stopped before anything was written: the destination is not created either.
  if (opts.signal?.aborted) return interrupted(0, 0);
  if (!existing) {
    const clone = cloneTableInput(source, to.table, await detectCaps(to.clients));
    notCarried = clone.notCarried;
    await sendCreateTable(to.clients, clone.input);
    created = true;
  }
  await waitForTable(to.clients, to.table, { for: 'active', clock });
  let last: CopyProgress = { read: 0, written: 0, retried: 0 };
  let inFlight = 0;
  const r = await copyItems(from, to, {
    ...(opts.segments ? { segments: opts.segments } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    onProgress: (p: CopyProgress) => {
      last = p;
      opts.onProgress?.({ ...p, ...(source.ItemCount ? { total: source.ItemCount } : {}) });
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
    clock,
  }).catch((e: unknown) => {
    if (!(e instanceof DdbError)) throw e;
    // Stopped by the caller's signal: what was done is the result, not an error.
    if (opts.signal?.aborted) {
      if (Array.isArray(e.details?.failed)) inFlight = inFlightAtStop(e.details.failed as FailedWrite[]);
      return undefined;
    }
    // What was done before the stop: the destination is not left half-written without a word.
    throw new DdbError(e.code, {
      message: `${e.message}. The copy stopped after writing ${count(last.written)} of the ${plural(last.read, 'item')} read into ${to.table}${created ? ' (created by this run)' : ''}; once the cause is fixed, copy-table again writes every item anew`,
      cause: e,
      details: {
        created,
        read: last.read,
        written: last.written,
        ...(Array.isArray(e.details?.failed) ? { failed: e.details.failed } : {}),
        seconds: (clock.now() - started) / 1000,
      },
    });
  });
  if (!r) return interrupted(last.read, last.written, inFlight);
  const sourceCount = await exactCount(from);
  const destinationCount = await exactCount(to);
  const result = {
    created,
    read: r.read,
    written: r.written,
    failed: r.failed,
    sourceCount,
    destinationCount,
    seconds: (clock.now() - started) / 1000,
    concurrency: r.concurrency,
    ...(notCarried.length ? { notCarried } : {}),
  };
  if (r.failed.length || destinationCount < sourceCount) {
    // Items the destination refused (a key or index key of another type, too large) fail the same
    // way on every run: "again" is advice only for writes that may still go through.
    const refused = r.failed.filter(
      (f) => f.code === 'request.invalid' || f.code.startsWith('input.') || f.code === 'item.tooLarge',
    );
    const advice =
      refused.length === 0
        ? 'run copy-table again to finish'
        : `${refused.length === r.failed.length ? (refused.length === 1 ? 'it was' : 'they were') : `${count(refused.length)} of them were`} refused by ${to.table} itself, and would be again: make ${to.table} take them (its key and index key types must be those of the items), then run copy-table again`;
    throw new DdbError('batch.incomplete', {
      message: `copy incomplete: ${from.table} has ${plural(sourceCount, 'item')}, ${to.table} has ${count(destinationCount)} (${count(r.failed.length)} not written${r.failed[0] ? `: ${r.failed[0].reason}` : ''}); ${advice}`,
      details: { ...result },
    });
  }
  return result;
}
