/**
 * Export: a parallel Scan, page by page, handed to a writer in order of arrival. After each page is
 * written, the segment's position (its LastEvaluatedKey) advances, so a checkpoint taken then
 * resumes with nothing missing and nothing twice.
 *
 * Pages are handed over as DynamoDB wrote them (attribute values parsed from the response body,
 * binary as base64 text, `RawItem`): writers turn them into text in one walk, the fastest way out
 * (see BENCHMARKS.md); `fromRawItem` gives native items.
 */
import { setMaxListeners } from 'node:events';
import type { ScanCommandInput, TableDescription } from '@aws-sdk/client-dynamodb';
import { type BackoffOptions, backoffDelay, sdkRetriesOf } from '../batch/backoff.js';
import {
  ConcurrencyController,
  type ConcurrencyOptions,
  type ConcurrencyStats,
} from '../batch/concurrency.js';
import type { Clients } from '../clients.js';
import { describeTable } from '../control/describeTable.js';
import { fromDdbJson, type RawItem, rawItemBytes, stringifyRawDdbJson, toDdbJson } from '../data/codec.js';
import { checkSegments, type ScanOptions, scanInput, scanSegments } from '../data/read.js';
import { DdbError } from '../errors.js';
import { isThrottling, toDdbError } from '../sdkErrors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { scanWirePage, type WireScanPage } from '../wire/wireScan.js';

const DEFAULT_PAGE_SIZE = 2000;

/**
 * How far a parallel scan is, in room bounded by the segments in flight (not by their number):
 * segments from `next` on have not started; those before it have ended, except the `open` ones,
 * which continue after `lastKey` (the last key of the last page written, DynamoDB JSON text), or
 * from their start without one.
 */
export interface ScanPosition {
  segments: number;
  next: number;
  open: { segment: number; lastKey?: string }[];
}

/** The most Scan calls (segments) an export's adaptive pages in flight grow to. */
export const EXPORT_MAX_IN_FLIGHT = 64;

export interface ExportOptions<P = RawItem[]>
  extends Pick<ScanOptions, 'filter' | 'project' | 'names' | 'values' | 'consistent' | 'index'> {
  /**
   * Turns a page into what `writePage` takes, as soon as the page arrives: pages that wait for
   * their turn to be written wait in this form (text is far smaller than the items). Default: the
   * page's items (`page.items()`).
   */
  prepare?: (page: WireScanPage) => P | Promise<P>;
  /**
   * Parallel scan segments. Default: from the table's size (`segmentsFor`), so that segments are
   * short and the pages in flight can adapt (`inFlight`).
   */
  segments?: number;
  /**
   * Scan calls (segments) in flight: a number fixes it; default, it adapts from 4 up to
   * EXPORT_MAX_IN_FLIGHT, as batchWrite's writes do (concurrency.ts).
   */
  inFlight?: number;
  /** Bounds of the adaptive pages in flight. */
  adaptive?: Omit<ConcurrencyOptions, 'fixed'>;
  /**
   * The table's DescribeTable answer, when the caller has one (its checks before the run): the
   * segments are sized from it instead of another DescribeTable, a round trip before the first Scan.
   */
  description?: TableDescription;
  /** Continue from this position (a checkpoint's); its number of segments sets `segments`. */
  resume?: ScanPosition;
  /**
   * Items per Scan call (DynamoDB stops a page at 1 MB anyway). Default 2,000: pages of small items
   * wait in memory as objects several times their size, and smaller pages keep the peak low (see
   * BENCHMARKS.md) at little cost in calls.
   */
  pageSize?: number;
  /** Stops the run: requests in flight are abandoned, and exportItems throws operation.aborted. */
  signal?: AbortSignal;
  /**
   * Told once when a Scan call that keeps failing stops the run, or `signal` aborts it, before
   * exportItems throws its error: the retries and the calls up to it, that call's own included
   * (onPage was told of the pages before it).
   */
  onStop?: (p: Pick<ExportProgress, 'retried' | 'concurrency'>) => void;
  /**
   * A Scan call still throttled once the SDK's own attempts are spent is sent again, after a
   * backoff, up to this many times (default 8, as batchWrite's retries), while the calls in flight
   * are cut: a table over its read capacity slows the export down instead of stopping it. Other
   * failures stop the run after the SDK's attempts.
   */
  maxRetries?: number;
  /** The backoff between those calls (DEFAULT_BACKOFF: 50 ms doubling, at most 5 s, full jitter). */
  backoff?: BackoffOptions;
  /** The clock those waits run on (tests pass a fake one). Default: the system clock. */
  clock?: Clock;
}

export interface ExportProgress {
  items: number;
  /** Items the scan read (before a --filter): against the table's item count, how far it is. */
  scanned: number;
  pages: number;
  /** Scan calls the SDK sent again (throttling, 5xx, dropped connections) before a page came back. */
  retried: number;
  /** Where the scan stands after the pages written so far (for a checkpoint). */
  position: ScanPosition;
  /** Scan calls in flight, the most reached, and the calls that met throttling. */
  concurrency: ConcurrencyStats;
}

/** Items a segment should hold: about two pages, so that segments end often and more can start. */
const ITEMS_PER_SEGMENT = 2 * DEFAULT_PAGE_SIZE;
/** Bytes a segment should hold: two 1 MB pages (DynamoDB's page limit). */
const BYTES_PER_SEGMENT = 2 << 20;
/** Segments at most: a big table's segments run a few dozen at a time anyway. */
const MAX_SEGMENTS = 10_000;

/**
 * The segments of an export from the table's size (DescribeTable's ItemCount and TableSizeBytes,
 * which DynamoDB updates about every six hours): about two pages each, at least 4 (an unknown or
 * new table), at most 10,000. NOTE: DynamoDB's guidance sizes segments for throughput (a
 * segment per 2 GB); short segments are what let the calls in flight grow and shrink, since a
 * segment once started runs to its end.
 */
export function segmentsFor(size: { items?: number | undefined; bytes?: number | undefined }): number {
  const byItems = Math.ceil((size.items ?? 0) / ITEMS_PER_SEGMENT);
  const byBytes = Math.ceil((size.bytes ?? 0) / BYTES_PER_SEGMENT);
  return Math.min(MAX_SEGMENTS, Math.max(4, byItems, byBytes));
}

/**
 * Scan `table` and hand each page to `writePage`; `onPage` follows each written page with the
 * segment states (for a checkpoint). Returns the number of items exported. A failure of
 * `writePage` is thrown as it is; one of the scan as a DdbError naming Scan.
 */
export async function exportItems<P = RawItem[]>(
  clients: Clients,
  table: string,
  writePage: (page: P) => Promise<void>,
  opts: ExportOptions<P> = {},
  onPage?: (p: ExportProgress) => void,
): Promise<number> {
  let segments = opts.resume?.segments ?? opts.segments;
  if (segments === undefined) {
    const d =
      opts.description ??
      (await describeTable(clients, table).catch((e: unknown) => {
        throw toDdbError(e, { operation: 'DescribeTable', table, target: clients.label });
      }));
    const index = opts.index
      ? [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])].find(
          (i) => i.IndexName === opts.index,
        )
      : undefined;
    segments = segmentsFor(
      index
        ? { items: index.ItemCount, bytes: index.IndexSizeBytes }
        : { items: d.ItemCount, bytes: d.TableSizeBytes },
    );
  }
  checkSegments(segments);
  // No more calls in flight than segments: each has one page in flight at a time. An engine in
  // this process (batchWrite says why) keeps the start fixed.
  const initial = Math.min(4, segments);
  const fixed = opts.inFlight ?? (clients.inProcess ? initial : undefined);
  const clock = opts.clock ?? systemClock;
  const concurrency = new ConcurrencyController(
    fixed !== undefined
      ? { fixed }
      : { initial, max: Math.min(EXPORT_MAX_IN_FLIGHT, segments), ...opts.adaptive },
    clock,
  );
  // Segments started and not ended, with their last key; the rest is `next` (see ScanPosition).
  const open = new Map<number, string | undefined>(opts.resume?.open.map((o) => [o.segment, o.lastKey]));
  let next = opts.resume?.next ?? 0;
  const order = (function* () {
    // The ones a stopped run had open first, then those it never started.
    yield* [...open.keys()];
    while (next < segments) {
      const i = next++;
      open.set(i, undefined);
      yield i;
    }
  })();
  const position = (): ScanPosition => ({
    segments,
    next,
    open: [...open]
      .sort(([a], [b]) => a - b)
      .map(([segment, lastKey]) => (lastKey === undefined ? { segment } : { segment, lastKey })),
  });
  const maxRetries = opts.maxRetries ?? 8;
  let retriedAfter = 0;
  // Ends the waits of throttled calls once the run ends (stopped, failed or aborted): none of them
  // sends its call again after that, nor holds the process up with its timer.
  const ended = new AbortController();
  // NOTE: a listener a waiting call, and up to EXPORT_MAX_IN_FLIGHT of them (node warns past 10).
  setMaxListeners(0, ended.signal);
  const end = () => ended.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', end, { once: true });
  const { prepare = (page: WireScanPage) => page.items() as P, description: _, ...scanOpts } = opts;
  const readOpts: ScanOptions = { ...scanOpts, segments };

  const segment = (i: number) =>
    (async function* () {
      const lastKey = open.get(i);
      const { ExpressionAttributeValues: values, ...rest } = scanInput(
        table,
        readOpts,
        segments > 1 ? i : undefined,
      );
      const input: ScanCommandInput = {
        ...rest,
        ...(values ? { ExpressionAttributeValues: toDdbJson(values) } : {}),
        ...(lastKey
          ? { ExclusiveStartKey: toDdbJson(fromDdbJson(JSON.parse(lastKey), 'checkpoint key')) }
          : {}),
      };
      let startKey = input.ExclusiveStartKey;
      do {
        let page: WireScanPage | undefined;
        let start = 0;
        for (let retry = 0; !page; retry++) {
          start = concurrency.started();
          try {
            page = await scanWirePage(
              clients.ddb,
              {
                ...input,
                Limit: opts.pageSize ?? DEFAULT_PAGE_SIZE,
                ...(startKey ? { ExclusiveStartKey: startKey } : {}),
              },
              opts.signal,
            );
          } catch (e) {
            const throttled = isThrottling((e as { name?: unknown })?.name);
            concurrency.ended(start, { units: 0, throttled, fault: !throttled });
            if (!throttled || retry >= maxRetries || ended.signal.aborted) throw e;
            // The call and the SDK's attempts inside it, all sent again.
            retriedAfter += sdkRetriesOf(e) + 1;
            await clock.sleep(backoffDelay(retry, opts.backoff), ended.signal);
          }
        }
        // NOTE: prepare before anything reads the counts or the key (page.scanned, even the
        // controller's): a writer of plain JSON reads them with the items in one walk of the body;
        // read first, they cost a JSON.parse of the whole page as well (a third of the client's CPU).
        const prepared = await prepare(page);
        // NOTE: a retry the SDK made inside the call asks for fewer calls: throttling as such (it
        // is counted and shown), a fault (a 5xx, a dropped connection) as a fault.
        const { throttled, faults } = page.attempts;
        concurrency.ended(start, { units: page.scanned, throttled: throttled > 0, fault: faults > 0 });
        const lastKey = page.lastEvaluatedKey;
        startKey = lastKey && rawItemBytes(lastKey);
        yield {
          i,
          count: page.count,
          page: prepared,
          lastKey,
          scanned: page.scanned,
          retried: sdkRetriesOf(page),
        };
      } while (startKey);
    })();

  let items = 0;
  let pages = 0;
  // Retries the SDK made inside the calls that brought pages, and the throttled calls sent again
  // after the SDK's attempts (retriedAfter, counted as they happen).
  let retried = 0;
  let scanned = 0;
  // The writer's own failure (a full disk) is not the Scan's: it is thrown as it is.
  let writeFailed: { error: unknown } | undefined;
  // The Scan's: a call that kept failing (or the abort's own error).
  let failed: { error: unknown } | undefined;
  try {
    for await (const page of scanSegments(order, segment, () => concurrency.limit)) {
      if (opts.signal?.aborted) break;
      if (page.count) {
        try {
          await writePage(page.page);
        } catch (e) {
          writeFailed = { error: e };
          throw e;
        }
      }
      items += page.count;
      pages++;
      retried += page.retried;
      scanned += page.scanned;
      if (page.lastKey) open.set(page.i, stringifyRawDdbJson(page.lastKey));
      else open.delete(page.i);
      onPage?.({
        items,
        scanned,
        pages,
        retried: retried + retriedAfter,
        position: position(),
        concurrency: concurrency.stats,
      });
    }
  } catch (e) {
    if (writeFailed?.error === e) throw e;
    failed = { error: e };
  } finally {
    opts.signal?.removeEventListener('abort', end);
    end();
  }
  const aborted = !!opts.signal?.aborted;
  if (failed || aborted) {
    // The retries and calls up to the stop, the stopping call's own included (an abort's too: the
    // calls it cut met throttling or faults that no page has told of).
    opts.onStop?.({
      retried: retried + retriedAfter + sdkRetriesOf(failed?.error),
      concurrency: concurrency.stats,
    });
    if (failed && !aborted)
      throw toDdbError(failed.error, { operation: 'Scan', table, target: clients.label });
    throw new DdbError('operation.aborted', {
      message: `export stopped after ${items} items`,
      cause: opts.signal?.reason,
    });
  }
  return items;
}
