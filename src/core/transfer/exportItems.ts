/**
 * Export: a parallel Scan, page by page, handed to a writer in order of arrival. After each page is
 * written, the segment's position (its LastEvaluatedKey) advances, so a checkpoint taken then
 * resumes with nothing missing and nothing twice.
 *
 * Pages are handed over as DynamoDB wrote them (attribute values parsed from the response body,
 * binary as base64 text, `RawItem`): writers turn them into text in one walk, the fastest way out
 * (see BENCHMARKS.md); `fromRawItem` gives native items.
 */
import type { ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { sdkRetriesOf } from '../batch/backoff.js';
import type { Clients } from '../clients.js';
import { fromDdbJson, type RawItem, rawItemBytes, stringifyRawDdbJson, toDdbJson } from '../data/codec.js';
import { checkSegments, type ScanOptions, scanInput, scanSegments } from '../data/read.js';
import { DdbError } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
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

export interface ExportOptions<P = RawItem[]>
  extends Pick<ScanOptions, 'filter' | 'project' | 'names' | 'values' | 'consistent' | 'index'> {
  /**
   * Turns a page into what `writePage` takes, as soon as the page arrives: pages that wait for
   * their turn to be written wait in this form (text is far smaller than the items). Default: the
   * page's items (`page.items()`).
   */
  prepare?: (page: WireScanPage) => P;
  /** Parallel scan segments (at most SEGMENTS_IN_FLIGHT scanned at a time). Default 4. */
  segments?: number;
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
  const segments = opts.resume?.segments ?? opts.segments ?? 4;
  checkSegments(segments);
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
  const { prepare = (page: WireScanPage) => page.items() as P, ...scanOpts } = opts;
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
        const page = await scanWirePage(
          clients.ddb,
          {
            ...input,
            Limit: opts.pageSize ?? DEFAULT_PAGE_SIZE,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          },
          opts.signal,
        );
        // prepare first: a writer of plain JSON reads the counts and the key with the items.
        const prepared = prepare(page);
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
  let retried = 0;
  let scanned = 0;
  // The writer's own failure (a full disk) is not the Scan's: it is thrown as it is.
  let writeFailed: { error: unknown } | undefined;
  try {
    for await (const page of scanSegments(order, segment)) {
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
      onPage?.({ items, scanned, pages, retried, position: position() });
    }
  } catch (e) {
    if (writeFailed?.error === e) throw e;
    if (!opts.signal?.aborted) throw toDdbError(e, { operation: 'Scan', table, target: clients.label });
  }
  if (opts.signal?.aborted) {
    throw new DdbError('operation.aborted', {
      message: `export stopped after ${items} items`,
      cause: opts.signal.reason,
    });
  }
  return items;
}
