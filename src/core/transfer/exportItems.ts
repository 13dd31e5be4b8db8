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
import { type ScanOptions, scanInput } from '../data/read.js';
import { DdbError } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import { mergeAsync } from '../util/merge.js';
import { scanWirePage, type WireScanPage } from './wireScan.js';

const DEFAULT_PAGE_SIZE = 2000;

/** Where a segment stands: the last key of the last page written (DynamoDB JSON text), or done. */
export interface SegmentState {
  lastKey?: string;
  done: boolean;
}

export interface ExportOptions<P = RawItem[]>
  extends Pick<ScanOptions, 'filter' | 'project' | 'names' | 'values' | 'consistent' | 'index'> {
  /**
   * Turns a page into what `writePage` takes, as soon as the page arrives: pages that wait for
   * their turn to be written wait in this form (text is far smaller than the items). Default: the
   * page's items (`page.items()`).
   */
  prepare?: (page: WireScanPage) => P;
  /** Parallel scan segments. Default 4. */
  segments?: number;
  /** Continue from these segment states (a checkpoint); their number sets `segments`. */
  resume?: SegmentState[];
  /**
   * Items per Scan call (DynamoDB stops a page at 1 MB anyway). Default 2,000: pages of small items
   * wait in memory as objects several times their size, and smaller pages keep the peak low (see
   * BENCHMARKS.md) at little cost in calls.
   */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface ExportProgress {
  items: number;
  /** Items the scan read (before a --filter): against the table's item count, how far it is. */
  scanned: number;
  pages: number;
  /** Scan calls the SDK sent again (throttling, 5xx, dropped connections) before a page came back. */
  retried: number;
  segments: SegmentState[];
}

/**
 * Scan `table` and hand each page to `writePage`; `onPage` follows each written page with the
 * segment states (for a checkpoint). Returns the number of items exported.
 */
export async function exportItems<P = RawItem[]>(
  clients: Clients,
  table: string,
  writePage: (page: P) => Promise<void>,
  opts: ExportOptions<P> = {},
  onPage?: (p: ExportProgress) => void,
): Promise<number> {
  const segments = opts.resume?.length ?? opts.segments ?? 4;
  if (!Number.isInteger(segments) || segments < 1 || segments > 1_000_000) {
    throw new DdbError('usage.invalid', { message: `segments ${segments}: expected 1 to 1,000,000` });
  }
  const states: SegmentState[] =
    opts.resume?.map((s) => ({ ...s })) ?? Array.from({ length: segments }, () => ({ done: false }));
  const { prepare = (page: WireScanPage) => page.items() as P, ...scanOpts } = opts;
  const readOpts: ScanOptions = { ...scanOpts, segments };

  const segment = (i: number) =>
    (async function* () {
      const state = states[i] as SegmentState;
      if (state.done) return;
      const { ExpressionAttributeValues: values, ...rest } = scanInput(
        table,
        readOpts,
        segments > 1 ? i : undefined,
      );
      const input: ScanCommandInput = {
        ...rest,
        ...(values ? { ExpressionAttributeValues: toDdbJson(values) } : {}),
        ...(state.lastKey
          ? { ExclusiveStartKey: toDdbJson(fromDdbJson(JSON.parse(state.lastKey), 'checkpoint key')) }
          : {}),
      };
      let startKey = input.ExclusiveStartKey;
      do {
        const page = await scanWirePage(clients.ddb, {
          ...input,
          Limit: opts.pageSize ?? DEFAULT_PAGE_SIZE,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        });
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
  try {
    for await (const page of mergeAsync(Array.from({ length: segments }, (_, i) => segment(i)))) {
      if (opts.signal?.aborted) throw new DdbError('operation.aborted', { message: 'export stopped' });
      if (page.count) await writePage(page.page);
      items += page.count;
      pages++;
      retried += page.retried;
      scanned += page.scanned;
      const s = states[page.i] as SegmentState;
      if (page.lastKey) s.lastKey = stringifyRawDdbJson(page.lastKey);
      else {
        s.done = true;
        delete s.lastKey;
      }
      onPage?.({ items, scanned, pages, retried, segments: states });
    }
  } catch (e) {
    throw toDdbError(e, { operation: 'Scan', table, target: clients.label });
  }
  return items;
}
