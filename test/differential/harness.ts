// The differential harness: one case (a list of raw DynamoDB requests) is sent to two endpoints,
// our engine and DynamoDB Local (the oracle), and the answers are normalised for what may
// legitimately differ (times, ids, ARNs' account and region, the order of set members and of
// Scan's items) so the rest can be compared exactly: status, error `__type` and message included.
//
// Requests go out as raw HTTP, not through the SDK: the SDK reshapes errors and validates some
// input itself, and what is compared here is what DynamoDB answers on the wire.
import { randomBytes } from 'node:crypto';
import { DIVERGENCES, type Divergence, type DivergenceId, GLOBAL, type StepContext } from './divergences.js';

type Json = Record<string, unknown>;

/** A request body given as text (malformed JSON, ...) and headers to change or drop (null). */
export interface RawRequest {
  text: string;
  headers?: Record<string, string | null>;
}

export interface Step {
  /** The operation (x-amz-target's suffix). */
  op: string;
  /** The request: a JSON value (sent as JSON text) or raw text. `$T`, `$T2`, `$T3`, `$TLONG`
   * (a unique name of 255 characters) and `$P` (a prefix sorting just before them) are replaced
   * by the case's table names, anywhere in the text. */
  body: unknown;
  raw?: RawRequest;
  /** Scan: follow LastEvaluatedKey to the end and compare the union of the items and the summed
   * counts (the split into pages depends on the hash order, which DynamoDB does not promise).
   * Query: follow to the end and compare every page (the order is defined). */
  all?: boolean;
  /** Scan in this many parallel segments, each to its end; the union is compared. */
  segments?: number;
  /** The two answers knowingly differ here: the entry in divergences.ts says how they are still
   * compared, and points to the line of src/engine/DIVERGENCES.md that says why. */
  divergence?: DivergenceId | DivergenceId[];
  /** Sent to both, answer not compared (setup whose answer another step already covers). */
  setup?: boolean;
  /** Values of this answer to use in later steps as `<<name>>` (a stream's ARN, a shard iterator):
   * name → dotted path in the answer (`StreamDescription.Shards.0.ShardId`). Each engine's own. */
  save?: Record<string, string>;
}

export interface Case {
  name: string;
  steps: Step[];
  /** Other tables an engine may make from this case's requests (a coerced name), dropped after. */
  cleanup?: string[];
}

/** What one step answered, normalised. */
export interface Answer {
  step: string;
  status: number;
  body: unknown;
}

const TARGET_PREFIX = 'DynamoDB_20120810';
/** The DynamoDB Streams API's operations, served on the same endpoint under their own prefix. */
const STREAMS_OPS = new Set(['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords']);

export function headersFor(op: string): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `${STREAMS_OPS.has(op) ? 'DynamoDBStreams_20120810' : TARGET_PREFIX}.${op}`,
    'x-amz-date': '20260101T000000Z',
    // A SigV4 header of the right shape; neither engine checks the signature.
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDDDBCTLTEST/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000000000000000000000000000000000000000000000000000',
  };
}

export interface Reply {
  status: number;
  contentType: string | null;
  text: string;
  json: unknown;
  headers: Headers;
}

/** POST one request; `timeoutMs` bounds it so a hang is a failure, not a stuck run. */
export async function send(
  endpoint: string,
  op: string,
  body: string,
  headers: Record<string, string | null> = {},
  timeoutMs = 30_000,
): Promise<Reply> {
  const h: Record<string, string> = headersFor(op);
  for (const [k, v] of Object.entries(headers)) {
    if (v === null) delete h[k];
    else h[k] = v;
  }
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: h,
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
    json,
    headers: res.headers,
  };
}

/** The table names of one run of a case: unique, dropped after. */
export interface Names {
  prefix: string;
  T: string;
  T2: string;
  T3: string;
  TLONG: string;
  /** Values saved from earlier answers of one engine's run (Step.save). */
  vars?: Record<string, string>;
}

export function newNames(): Names {
  const prefix = `diff-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return {
    prefix,
    T: `${prefix}-a`,
    T2: `${prefix}-b`,
    T3: `${prefix}-c`,
    TLONG: `${prefix}-d`.padEnd(255, 'x'),
  };
}

export function substitute(text: string, n: Names): string {
  return text
    .replace(/<<(\w+)>>/g, (all, k: string) => n.vars?.[k] ?? all)
    .replace(/\$(TLONG|T2|T3|T|P)/g, (_, k: string) =>
      k === 'P' ? n.prefix : (n[k as keyof Names] as string),
    );
}

/** Put the names back as placeholders in an answer, so a report reads the same on every run. */
function unsubstitute(text: string, n: Names): string {
  for (const [k, v] of Object.entries(n.vars ?? {})) if (v.length > 8) text = text.split(v).join(`<<${k}>>`);
  return text
    .split(n.TLONG)
    .join('$TLONG')
    .split(n.T2)
    .join('$T2')
    .split(n.T3)
    .join('$T3')
    .split(n.T)
    .join('$T')
    .split(n.prefix)
    .join('$P');
}

/** Members whose value is a time or an id of the engine's own: kept as present, value dropped. */
const VOLATILE = new Set([
  // PartiQL's page token: opaque text of each engine's own (it must continue correctly).
  'NextToken',
  'CreationDateTime',
  'LastIncreaseDateTime',
  'LastDecreaseDateTime',
  'LastUpdateToPayPerRequestDateTime',
  'TableId',
  'LatestStreamLabel',
  'LatestStreamArn',
  'InaccessibleEncryptionDateTime',
  // Streams: ARNs and labels carry the creation time, the rest are the engine's own numbers and ids.
  'StreamArn',
  'StreamLabel',
  'LastEvaluatedStreamArn',
  'ShardId',
  'StartingSequenceNumber',
  'EndingSequenceNumber',
  'SequenceNumber',
  'ApproximateCreationDateTime',
  'CreationRequestDateTime',
  'eventID',
  'ShardIterator',
  'NextShardIterator',
  // A record's region: DynamoDB Local writes ddblocal, we the client's (as in ARNs, DIVERGENCES.md).
  'awsRegion',
]);

/** Sorted by their normalised JSON (members in name order), so two engines' orders meet. */
function sortedJson(values: unknown[]): unknown[] {
  const keyed = values.map((v) => [JSON.stringify(normalise(v)), v] as const);
  keyed.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return keyed.map(([, v]) => v);
}

const byIndexName = (a: unknown, b: unknown) =>
  String((a as Json).IndexName) < String((b as Json).IndexName) ? -1 : 1;

/** Normalise what may differ without meaning anything: see the file's head. */
export function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === 'string') {
    // arn:aws:dynamodb:<region>:<account>:table/... (DynamoDB Local writes ddblocal:000000000000,
    // we the client's region: src/engine/DIVERGENCES.md, "ARNs").
    return value.replace(/^arn:aws:dynamodb:[^:]*:[^:]*:/, 'arn:aws:dynamodb:<region>:<account>:');
  }
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  // A set: its members' order means nothing.
  if (
    keys.length === 1 &&
    (keys[0] === 'SS' || keys[0] === 'NS' || keys[0] === 'BS') &&
    Array.isArray(o[keys[0]])
  ) {
    return { [keys[0]]: sortedJson(o[keys[0]] as unknown[]) };
  }
  const out: Record<string, unknown> = {};
  for (const k of keys.sort()) {
    // NOTE: defined, not assigned: an attribute named __proto__ must stay a member.
    Object.defineProperty(out, k, {
      value: VOLATILE.has(k) ? '<volatile>' : normalise(o[k]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  // A table's indexes: DynamoDB does not promise their order in a description.
  for (const k of ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes']) {
    if (Array.isArray(out[k]) && 'TableName' in o) out[k] = [...(out[k] as unknown[])].sort(byIndexName);
  }
  return out;
}

/** Order-free parts of answers: Scan's items, BatchGetItem's responses, capacity lists by table. */
function unorder(op: string, body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const b = { ...(body as Record<string, unknown>) };
  if (op === 'Scan' && Array.isArray(b.Items)) b.Items = sortedJson(b.Items);
  if (op === 'BatchGetItem' && b.Responses && typeof b.Responses === 'object') {
    const r: Record<string, unknown> = {};
    for (const [t, items] of Object.entries(b.Responses as Record<string, unknown[]>))
      r[t] = sortedJson(items);
    b.Responses = r;
  }
  if (op === 'BatchGetItem' && b.UnprocessedKeys && typeof b.UnprocessedKeys === 'object') {
    const r: Record<string, unknown> = {};
    for (const [t, v] of Object.entries(b.UnprocessedKeys as Record<string, { Keys?: unknown[] }>)) {
      r[t] = Array.isArray(v.Keys) ? { ...v, Keys: sortedJson(v.Keys) } : v;
    }
    b.UnprocessedKeys = r;
  }
  if (Array.isArray(b.ConsumedCapacity)) b.ConsumedCapacity = sortedJson(b.ConsumedCapacity);
  if (op === 'ListTables' && Array.isArray(b.TableNames)) {
    // The oracle is shared with other suites: keep only this case's tables.
    b.TableNames = b.TableNames.filter((n) => typeof n === 'string' && n.startsWith('$'));
    if (typeof b.LastEvaluatedTableName === 'string' && !b.LastEvaluatedTableName.startsWith('$')) {
      b.LastEvaluatedTableName = '<another suite’s table>';
    }
  }
  return b;
}

interface Page {
  status: number;
  body: Record<string, unknown> | undefined;
  text: string;
}

async function sendJson(endpoint: string, op: string, body: unknown, n: Names): Promise<Page> {
  const r = await send(endpoint, op, substitute(JSON.stringify(body), n));
  return { status: r.status, body: r.json as Record<string, unknown> | undefined, text: r.text };
}

/** Follow LastEvaluatedKey to the end (at most 200 pages). */
async function allPages(
  endpoint: string,
  op: string,
  body: Record<string, unknown>,
  n: Names,
): Promise<Page[]> {
  const pages: Page[] = [];
  let start: unknown;
  for (let i = 0; i < 200; i++) {
    // PartiQL pages by NextToken, the others by LastEvaluatedKey.
    const member = op === 'ExecuteStatement' ? 'NextToken' : 'ExclusiveStartKey';
    const p = await sendJson(endpoint, op, start ? { ...body, [member]: start } : body, n);
    pages.push(p);
    start =
      p.status === 200 ? p.body?.[member === 'NextToken' ? 'NextToken' : 'LastEvaluatedKey'] : undefined;
    if (!start) break;
  }
  return pages;
}

/** Scan pages reduced to what does not depend on the hash order: the items' union and the sums. */
function scanUnion(pages: Page[]): { status: number; body: unknown } {
  const failed = pages.find((p) => p.status !== 200);
  if (failed) return { status: failed.status, body: failed.body ?? failed.text };
  const items: unknown[] = [];
  let count = 0;
  let scanned = 0;
  const capacity: unknown[] = [];
  for (const p of pages) {
    if (Array.isArray(p.body?.Items)) items.push(...(p.body.Items as unknown[]));
    count += Number(p.body?.Count ?? 0);
    scanned += Number(p.body?.ScannedCount ?? 0);
    if (p.body?.ConsumedCapacity) capacity.push(p.body.ConsumedCapacity);
  }
  return {
    status: 200,
    body: {
      Items: sortedJson(items),
      Count: count,
      ScannedCount: scanned,
      ...(capacity.length ? { ConsumedCapacityPages: capacity.length } : {}),
    },
  };
}

async function runStep(endpoint: string, s: Step, n: Names): Promise<{ status: number; body: unknown }> {
  if (s.raw) {
    const r = await send(endpoint, s.op, substitute(s.raw.text, n), s.raw.headers);
    return { status: r.status, body: r.json ?? { text: r.text, contentType: r.contentType } };
  }
  const body = s.body as Record<string, unknown>;
  if (s.segments) {
    const pages: Page[] = [];
    for (let seg = 0; seg < s.segments; seg++) {
      pages.push(
        ...(await allPages(endpoint, s.op, { ...body, Segment: seg, TotalSegments: s.segments }, n)),
      );
    }
    return scanUnion(pages);
  }
  // Scan's split into pages follows the hash order; some divergences make a split mean nothing too.
  const union =
    s.op === 'Scan' || [s.divergence ?? []].flat().some((id) => (DIVERGENCES[id] as Divergence).union);
  if (union && !s.all) {
    const p = await sendJson(endpoint, s.op, body, n);
    if (p.status !== 200 || s.op === 'Scan') return { status: p.status, body: p.body ?? { text: p.text } };
    return scanUnion([p]);
  }
  if (s.all && union) return scanUnion(await allPages(endpoint, s.op, body, n));
  if (s.all) {
    const pages = await allPages(endpoint, s.op, body, n);
    return { status: pages.at(-1)?.status ?? 0, body: pages.map((p) => p.body ?? p.text) };
  }
  const p = await sendJson(endpoint, s.op, body, n);
  return { status: p.status, body: p.body ?? { text: p.text } };
}

/** After a table operation, wait until the table settles (ACTIVE or gone) so the next step finds it ready. */
async function settle(endpoint: string, s: Step, n: Names): Promise<void> {
  if (!['CreateTable', 'UpdateTable', 'DeleteTable'].includes(s.op) || s.raw) return;
  const name = (s.body as { TableName?: unknown })?.TableName;
  if (typeof name === 'string') await waitSettled(endpoint, substitute(name, n));
}

/**
 * Wait (30 s at most) until a table and its indexes are ACTIVE in two reads in a row, or the table
 * is gone. NOTE: DynamoDB Local, loaded (CI), can take seconds to build a GSI and has been seen to
 * answer ACTIVE once and CREATING (Backfilling) again just after; a single ACTIVE read within 5 s
 * made the next step's comparison depend on timing.
 */
export async function waitSettled(endpoint: string, table: string): Promise<void> {
  let seen = 0;
  for (let i = 0; i < 600 && seen < 2; i++) {
    const r = await send(endpoint, 'DescribeTable', JSON.stringify({ TableName: table }));
    const t = (r.json as Json | undefined)?.Table as
      | { TableStatus?: string; GlobalSecondaryIndexes?: { IndexStatus?: string }[] }
      | undefined;
    if (r.status !== 200) return;
    const indexes = t?.GlobalSecondaryIndexes ?? [];
    const settled = t?.TableStatus === 'ACTIVE' && indexes.every((g) => g.IndexStatus === 'ACTIVE');
    seen = settled ? seen + 1 : 0;
    if (seen < 2) await new Promise((res) => setTimeout(res, 50));
  }
}

/** Run a case's steps on one endpoint (`ours` tells which: divergences treat the two answers
 * differently); answers normalised and with the names as placeholders. */
export async function runCase(endpoint: string, c: Case, names: Names, ours = false): Promise<Answer[]> {
  const out: Answer[] = [];
  const n: Names = { ...names, vars: {} };
  for (const [i, s] of c.steps.entries()) {
    const a = await runStep(endpoint, s, n);
    for (const [k, path] of Object.entries(s.save ?? {})) {
      let v: unknown = a.body;
      for (const p of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[p];
      if (typeof v === 'string') n.vars![k] = v;
    }
    await settle(endpoint, s, n);
    if (s.setup && a.status === 200) continue;
    let body = unorder(s.op, JSON.parse(unsubstitute(JSON.stringify(a.body ?? null), n))) as Json;
    let status = a.status;
    const ctx: StepContext = { op: s.op, request: s.body as Json | undefined };
    const named: Divergence[] = [s.divergence ?? []].flat().map((id) => DIVERGENCES[id]);
    const d = named.find((x) => x.check);
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const g of [...GLOBAL, ...named]) {
        if (!ours && g.oracle) body = g.oracle(body, ctx);
        if (g.both) body = g.both(body, ctx);
      }
    }
    let answer: unknown = normalise(body);
    if (d?.check) {
      // Not comparable: the oracle's answer is not compared, ours must pass the entry's check.
      answer = (ours ? d.check(status, body) : undefined) ?? 'ok';
      status = 0;
    }
    out.push({
      step: `${i + 1} ${s.op}${s.divergence ? ` (divergence: ${[s.divergence].flat().join(', ')})` : ''}`,
      status,
      body: answer,
    });
  }
  return out;
}

/** Drop every table the case may have made. */
export async function dropTables(endpoint: string, n: Names, more: string[] = []): Promise<void> {
  for (const t of [n.T, n.T2, n.T3, n.TLONG, ...more]) {
    for (let i = 0; i < 20; i++) {
      const r = await send(endpoint, 'DeleteTable', JSON.stringify({ TableName: t })).catch(() => undefined);
      // ResourceInUse: still CREATING/UPDATING; wait and try again.
      if (!r || r.status === 200 || !r.text.includes('ResourceInUseException')) break;
      await new Promise((res) => setTimeout(res, 100));
    }
  }
}
