/**
 * Query and Scan as streams: every page, in order, with constant memory, and `limit` as a cap on
 * items returned across pages (never DynamoDB's per-page Limit, which counts items evaluated
 * before the filter).
 */
import {
  type DynamoDBDocumentPaginationConfiguration,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { describeTable } from '../control/describeTable.js';
import { DdbError } from '../errors.js';
import { validateTableName } from '../names.js';
import { toDdbError } from '../sdkErrors.js';
import { mergeAsync } from '../util/merge.js';
import { fromJsItem, fromJsValues, type Item, type ItemInputValue, type ItemValue } from './codec.js';
import { buildExpressions } from './expressions/index.js';
import { checkKeyTypes, type KeySchema, keyNames } from './keySchema.js';
import { keySchemaOf } from './tableKeys.js';

export interface ReadOptions {
  /** A filter in readable form, applied by DynamoDB after reading (read units are still spent). */
  filter?: string;
  /** Only these paths: "a,b.c". */
  project?: string;
  /** At most this many items in total (across pages). */
  limit?: number;
  /** Strongly consistent reads (not on GSIs). */
  consistent?: boolean;
  /** The caller's own placeholders used in `filter`. */
  names?: Record<string, string>;
  /** Values of the `:x` placeholders; plain JS numbers are taken where exact (see `fromJsItem`). */
  values?: Record<string, ItemInputValue>;
  /** Items per request (DynamoDB's Limit); default: up to 1 MB pages. */
  pageSize?: number;
}

export type SortKeyOp = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';

export interface QueryOptions extends ReadOptions {
  /** The partition key value. */
  partitionValue: ItemInputValue;
  /** One condition on the sort key. `between` takes two values. */
  sortKey?: { op: SortKeyOp; values: ItemInputValue[] };
  /** A GSI or LSI name. */
  index?: string;
  /** Highest sort key first. */
  descending?: boolean;
}

export interface ScanOptions extends ReadOptions {
  /**
   * Parallel scan with this many segments (1–1,000,000); items of all segments are merged, with at
   * most SEGMENTS_IN_FLIGHT segments scanned at a time.
   */
  segments?: number;
  index?: string;
}

/**
 * Segments of a parallel scan read at a time, whatever their number. NOTE: every segment at once
 * made 2,000 segments time out waiting for connections, and 1,000,000 (DynamoDB's maximum) run
 * out of memory; a few more than the cores of a large client is as fast.
 */
export const SEGMENTS_IN_FLIGHT = 16;

/** DynamoDB's TotalSegments: 1 to 1,000,000. Throws input.limit. */
export function checkSegments(segments: number): void {
  if (!Number.isInteger(segments) || segments < 1 || segments > 1_000_000) {
    throw new DdbError('input.limit', { message: `segments ${segments}: expected 1 to 1,000,000` });
  }
}

/**
 * The one way segments of a parallel scan run (scan, count, export, copy-table, truncate): the
 * pages of the segments `indexes` names, each read by `segment(i)`, merged as they come, with at
 * most `inFlight` (default SEGMENTS_IN_FLIGHT; export's adapts) segments started and not yet
 * ended; a segment starts when one ends.
 */
export function scanSegments<T>(
  indexes: Iterable<number>,
  segment: (i: number) => AsyncIterable<T>,
  inFlight: number | (() => number) = SEGMENTS_IN_FLIGHT,
): AsyncGenerator<T> {
  return mergeAsync(
    (function* () {
      for (const i of indexes) yield segment(i);
    })(),
    inFlight,
  );
}

/** 0, 1, …, n - 1, lazily (a million segments are not an array). */
export function* range(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}

/** The key schema of a table or one of its indexes (DescribeTable). */
export async function readKeySchema(clients: Clients, table: string, index?: string): Promise<KeySchema> {
  const d = await describeTable(clients, table);
  let keys = d.KeySchema;
  if (index) {
    const idx = [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])].find(
      (i) => i.IndexName === index,
    );
    if (!idx) {
      const names = [...(d.GlobalSecondaryIndexes ?? []), ...(d.LocalSecondaryIndexes ?? [])].map(
        (i) => i.IndexName,
      );
      throw new DdbError('input.key', {
        message: `table ${table} has no index ${JSON.stringify(index)}; its indexes: ${names.length ? names.join(', ') : 'none'}`,
      });
    }
    keys = idx.KeySchema;
  }
  const schema = keySchemaOf({
    TableName: index ? `${table} (index ${index})` : table,
    KeySchema: keys,
    AttributeDefinitions: d.AttributeDefinitions,
  });
  checkKeyTypes(d, keyNames(schema), table);
  return schema;
}

function readExpressions(
  opts: ReadOptions,
  key?: { text: string; names: Record<string, string>; values: Record<string, ItemValue> },
) {
  return buildExpressions({
    ...(key ? { keyCondition: key.text } : {}),
    ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
    ...(opts.project !== undefined ? { projection: opts.project } : {}),
    rawNames: { ...opts.names, ...key?.names },
    rawValues: { ...(opts.values ? fromJsItem(opts.values, 'values') : {}), ...key?.values },
  });
}

/** Pure: the Query input. The key condition is made of placeholders only: values never enter its text. */
export function queryInput(
  table: string,
  schema: KeySchema,
  opts: QueryOptions,
  select?: 'COUNT',
): QueryCommandInput {
  const names: Record<string, string> = { '#pk': schema.partitionKey.name };
  const values: Record<string, ItemValue> = {
    ':pk': fromJsValues([opts.partitionValue], 'partition key value')[0] as ItemValue,
  };
  let text = '#pk = :pk';
  if (opts.sortKey) {
    if (!schema.sortKey) {
      throw new DdbError('input.key', {
        message: `${schema.table} has no sort key; drop the sort key condition`,
      });
    }
    names['#sk'] = schema.sortKey.name;
    const [a, b] = fromJsValues(opts.sortKey.values, 'sort key value');
    const op = opts.sortKey.op;
    if (op === 'between') {
      values[':sk1'] = a as ItemValue;
      values[':sk2'] = b as ItemValue;
      text += ' AND #sk BETWEEN :sk1 AND :sk2';
    } else {
      values[':sk'] = a as ItemValue;
      text += op === 'begins_with' ? ' AND begins_with(#sk, :sk)' : ` AND #sk ${op} :sk`;
    }
  }
  const built = readExpressions(opts, { text, names, values });
  checkFilterKeys(built.FilterExpression, built.ExpressionAttributeNames, schema);
  return {
    TableName: table,
    ...(opts.index ? { IndexName: opts.index } : {}),
    ...built,
    ...(opts.descending ? { ScanIndexForward: false } : {}),
    ...(opts.consistent ? { ConsistentRead: true } : {}),
    ...(select ? { Select: select } : {}),
  };
}

/** NOTE: DynamoDB refuses a Query filter on key attributes; say so before sending, with the fix. */
function checkFilterKeys(
  filter: string | undefined,
  names: Record<string, string> | undefined,
  schema: KeySchema,
): void {
  if (!filter) return;
  for (const ph of filter.match(/#[A-Za-z0-9_]+/g) ?? []) {
    const name = names?.[ph];
    if (name === schema.partitionKey.name || name === schema.sortKey?.name) {
      throw new DdbError('input.expression', {
        message: `filter: "${name}" is a key attribute of ${schema.table}, and a query filter cannot use key attributes; use the partition value${schema.sortKey ? ' and --sk' : ''} instead`,
      });
    }
  }
}

/** Pure: the Scan input (one segment of `segments` when given). */
export function scanInput(
  table: string,
  opts: ScanOptions,
  segment?: number,
  select?: 'COUNT',
): ScanCommandInput {
  const built = readExpressions(opts);
  return {
    // NOTE: a Scan needs no DescribeTable first (a Query does, and checks there): check names here.
    TableName: validateTableName(table),
    ...(opts.index ? { IndexName: validateTableName(opts.index, 'index') } : {}),
    ...built,
    ...(opts.consistent ? { ConsistentRead: true } : {}),
    ...(segment !== undefined ? { Segment: segment, TotalSegments: opts.segments } : {}),
    ...(select ? { Select: select } : {}),
  };
}

function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new DdbError('input.limit', { message: `limit ${limit}: expected a whole number ≥ 1` });
  }
}

function pageSize(opts: ReadOptions): number | undefined {
  // NOTE: without a filter, asking for no more than the cap saves reading whole 1 MB pages.
  if (opts.pageSize) return opts.pageSize;
  if (opts.limit !== undefined && opts.filter === undefined) return Math.min(opts.limit, 1000);
  return undefined;
}

/**
 * The pages of one Scan or Query, read with `pageSize(opts)`. When `limit` caps what this one read
 * returns and every item read is returned (no filter), the request after a page asks for no more
 * than the cap still needs, so the last page is exact: --limit 2500 reads 2,500 items, not 3,000.
 * NOTE: the paginator sends `input.Limit ?? pageSize` and reads `input` again for each page (it
 * writes ExclusiveStartKey into it too), so a Limit set between pages is the next request's.
 */
async function* pagesOf<I extends { Limit?: number | undefined }, P extends { Count?: number | undefined }>(
  paginate: (config: DynamoDBDocumentPaginationConfiguration, input: I) => AsyncIterable<P>,
  clients: Clients,
  input: I,
  opts: ReadOptions,
  limit: number | undefined,
): AsyncGenerator<P> {
  const size = pageSize(opts);
  let left = limit ?? Number.POSITIVE_INFINITY;
  for await (const p of paginate({ client: clients.doc, ...(size ? { pageSize: size } : {}) }, input)) {
    yield p;
    left -= p.Count ?? 0;
    if (size && opts.filter === undefined && left > 0 && left < size) input.Limit = left;
  }
}

async function* capped<T>(source: AsyncIterable<T[]>, limit: number | undefined): AsyncGenerator<T[]> {
  let left = limit ?? Number.POSITIVE_INFINITY;
  for await (const page of source) {
    if (left <= 0) return;
    const out = page.length > left ? page.slice(0, left) : page;
    left -= out.length;
    yield out;
    if (left <= 0) return;
  }
}

async function* guarded<T>(
  ctx: { operation: string; table: string; target: string },
  source: AsyncIterable<T>,
) {
  try {
    yield* source;
  } catch (e) {
    throw toDdbError(e, ctx);
  }
}

/** Query: pages of items, with `limit` a cap across pages. */
export async function* queryPages(
  clients: Clients,
  table: string,
  schema: KeySchema,
  opts: QueryOptions,
): AsyncGenerator<Item[]> {
  checkLimit(opts.limit);
  const pages = pagesOf(paginateQuery, clients, queryInput(table, schema, opts), opts, opts.limit);
  const items = (async function* () {
    for await (const p of pages) yield (p.Items ?? []) as Item[];
  })();
  yield* capped(guarded({ operation: 'Query', table, target: clients.label }, items), opts.limit);
}

/** Scan (parallel with `segments`): pages of items, with `limit` a cap across pages and segments. */
export async function* scanPages(
  clients: Clients,
  table: string,
  opts: ScanOptions = {},
): AsyncGenerator<Item[]> {
  checkLimit(opts.limit);
  const segments = opts.segments ?? 1;
  checkSegments(segments);
  const one = (segment: number | undefined) =>
    (async function* () {
      // NOTE: a fresh input object per paginator: paginators write ExclusiveStartKey into it. One
      // segment of several is not capped alone: the cap is across them (below).
      const input = scanInput(table, opts, segment);
      const pages = pagesOf(paginateScan, clients, input, opts, segments === 1 ? opts.limit : undefined);
      for await (const p of pages) yield (p.Items ?? []) as Item[];
    })();
  const source = segments === 1 ? one(undefined) : scanSegments(range(0, segments), one);
  yield* capped(guarded({ operation: 'Scan', table, target: clients.label }, source), opts.limit);
}

/** Count matching items without returning them (Select COUNT), across pages; capped by `limit`. */
export async function countItems(
  clients: Clients,
  table: string,
  opts: (ScanOptions & { query?: undefined }) | (QueryOptions & { query: KeySchema }),
): Promise<{ count: number; scanned: number }> {
  checkLimit(opts.limit);
  let count = 0;
  let scanned = 0;
  const segments = 'segments' in opts && opts.segments ? opts.segments : 1;
  if (!opts.query) checkSegments(segments);
  // NOTE: pages as the reads of items have them: with one 1 MB page, --limit 7 read (and counted
  // as scanned) 64 items before it stopped.
  const pages: AsyncIterable<{ Count?: number; ScannedCount?: number }> = opts.query
    ? pagesOf(paginateQuery, clients, queryInput(table, opts.query, opts, 'COUNT'), opts, opts.limit)
    : scanSegments(range(0, segments), (i) =>
        pagesOf(
          paginateScan,
          clients,
          scanInput(table, opts, segments > 1 ? i : undefined, 'COUNT'),
          opts,
          segments === 1 ? opts.limit : undefined,
        ),
      );
  const ctx = { operation: opts.query ? 'Query' : 'Scan', table, target: clients.label };
  for await (const p of guarded(ctx, pages)) {
    count += p.Count ?? 0;
    scanned += p.ScannedCount ?? 0;
    if (opts.limit !== undefined && count >= opts.limit) return { count: opts.limit, scanned };
  }
  return { count, scanned };
}
