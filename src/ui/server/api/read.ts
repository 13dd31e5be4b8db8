/**
 * POST /api/tables/:name/read: one page of a Scan or Query, built by the same pure builders as
 * `ddbctl scan` and `ddbctl query` (scanInput, queryInput), sent with the page's start key. The
 * body's filter and project are ddbctl's expression text; names and values are your own #name
 * and :value placeholders (`--names`, and `--values` in DynamoDB JSON).
 * NOTE: the library's readers (scanPages, queryPages) follow every page to the end and keep no
 * position; the page needs one page at a time and the key to go on from.
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Item } from '../../../core/data/codec.js';
import {
  type QueryOptions,
  queryInput,
  readKeySchema,
  type ScanOptions,
  type SortKeyOp,
  scanInput,
} from '../../../core/data/read.js';
import { call } from '../../../core/sdkErrors.js';
import { itemIn, itemOut, valueIn } from '../ddbJson.js';
import { readJson, UiError } from '../http.js';
import type { ApiContext, Route } from './context.js';

const SK_OPS: readonly SortKeyOp[] = ['=', '<', '<=', '>', '>=', 'between', 'begins_with'];
/** Items of a page when the request gives no limit, and at most. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
/**
 * Requests one page may make, and for how long: a filter that matches little makes DynamoDB
 * return pages with few items; past either, the page answers with what it has and the key to go
 * on from (the page's "next page" goes on). NOTE: each request asks for no more items than are
 * still wanted (below), so that its LastEvaluatedKey is exactly where the next page starts.
 */
const MAX_REQUESTS = 100;
const MAX_PAGE_MS = 3000;

const optString = (v: unknown, name: string): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new UiError(400, 'input.json', `${name}: expected text`);
  return v;
};

function limitOf(v: unknown): number {
  if (v === undefined || v === null) return DEFAULT_LIMIT;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_LIMIT) {
    throw new UiError(
      400,
      'input.limit',
      `limit ${JSON.stringify(v)}: expected a whole number from 1 to ${MAX_LIMIT}`,
    );
  }
  return v;
}

async function read(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const b = await readJson(ctx.req);
  const mode = b.mode ?? 'scan';
  if (mode !== 'scan' && mode !== 'query') {
    throw new UiError(400, 'input.json', `mode ${JSON.stringify(mode)}: expected "scan" or "query"`);
  }
  const index = optString(b.index, 'index');
  const filter = optString(b.filter, 'filter');
  const project = optString(b.project, 'project');
  const limit = limitOf(b.limit);
  const names = namesOf(b.names);
  const common = {
    ...(names ? { names } : {}),
    ...(b.values !== undefined && b.values !== null ? { values: itemIn(b.values, 'values') } : {}),
    ...(index ? { index } : {}),
    ...(filter !== undefined ? { filter } : {}),
    ...(project !== undefined ? { project } : {}),
    ...(b.consistent === true ? { consistent: true } : {}),
  };
  let input: ReturnType<typeof scanInput> | ReturnType<typeof queryInput>;
  if (mode === 'query') {
    if (b.partition === undefined) {
      throw new UiError(400, 'input.key', 'a query needs the partition key value (partition)');
    }
    const schema = await readKeySchema(ctx.clients, table, index);
    const q: QueryOptions = {
      ...common,
      partitionValue: valueIn(b.partition, 'partition'),
      ...(b.sk !== undefined && b.sk !== null ? { sortKey: sortKeyOf(b.sk) } : {}),
      ...(b.descending === true ? { descending: true } : {}),
    };
    input = queryInput(table, schema, q);
  } else {
    const s: ScanOptions = common;
    input = scanInput(table, s);
  }
  if (b.startKey !== undefined && b.startKey !== null)
    input.ExclusiveStartKey = itemIn(b.startKey, 'startKey');
  const items: Item[] = [];
  let scanned = 0;
  let lastKey: Item | undefined;
  const ctxErr = { operation: mode === 'query' ? 'Query' : 'Scan', table, target: ctx.clients.label };
  const started = Date.now();
  for (let n = 0; n < MAX_REQUESTS && items.length < limit && Date.now() - started < MAX_PAGE_MS; n++) {
    // NOTE: Limit counts items evaluated, so a page never returns more than the items still wanted:
    // its LastEvaluatedKey is then exactly where the next page starts.
    input.Limit = limit - items.length;
    const sent = { ...input };
    const out = await call(ctxErr, () =>
      ctx.clients.doc.send(mode === 'query' ? new QueryCommand(sent) : new ScanCommand(sent)),
    );
    items.push(...((out.Items ?? []) as Item[]));
    scanned += out.ScannedCount ?? 0;
    lastKey = out.LastEvaluatedKey as Item | undefined;
    if (!lastKey) break;
    input.ExclusiveStartKey = lastKey;
  }
  return {
    items: items.map(itemOut),
    ...(lastKey ? { lastKey: itemOut(lastKey) } : {}),
    count: items.length,
    scanned,
  };
}

/** Your own #name placeholders, as `--names` takes them: `{"#s": "status"}`. */
function namesOf(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const bad = () =>
    new UiError(
      400,
      'input.json',
      'names: expected an object of #placeholder → attribute name, such as {"#s": "status"}',
    );
  if (typeof v !== 'object' || Array.isArray(v)) throw bad();
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw bad();
    out[k] = x;
  }
  return out;
}

function sortKeyOf(v: unknown): QueryOptions['sortKey'] {
  const sk = v as { op?: unknown; values?: unknown };
  if (typeof sk !== 'object' || !SK_OPS.includes(sk.op as SortKeyOp) || !Array.isArray(sk.values)) {
    throw new UiError(
      400,
      'input.key',
      `sk: expected {op, values} with op one of ${SK_OPS.join(', ')} and values a list of attribute values`,
    );
  }
  const want = sk.op === 'between' ? 2 : 1;
  if (sk.values.length !== want) {
    throw new UiError(
      400,
      'input.key',
      `sk ${sk.op as string}: expected ${want} value${want === 1 ? '' : 's'}`,
    );
  }
  return { op: sk.op as SortKeyOp, values: sk.values.map((x, i) => valueIn(x, `sk value ${i + 1}`)) };
}

export const readRoutes: Route[] = [
  { method: 'POST', path: '/api/tables/:name/read', write: false, handler: read },
];
