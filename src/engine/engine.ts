/**
 * The engine: one store, the catalog of tables kept in it, and the table of operations. Both doors
 * (http.ts, inProcess.ts) hand it a target header and a body text and send back what `handle`
 * answers; nothing here knows about sockets or SDKs.
 *
 * Requests are handled one at a time to the end of their commit: operations are synchronous over
 * the store, so a read-modify-write (a condition, an update, a counter in the meta) never sees
 * another request's half.
 */
import { DdbError } from '../core/errors.js';
import { Background } from './background.js';
import { indexTree, META_TREE, type TableMeta } from './catalog.js';
import type { EngineClock, OpContext, Operation } from './context.js';
import { EngineError } from './errors.js';
import { backfillNow, resumeBackfills } from './indexes/backfill.js';
import { stringify } from './json.js';
import { dropTableChanges, putMeta } from './ops/_tables.js';
import { batchWriteFromText } from './ops/batchWriteFromText.js';
import { OPERATIONS } from './ops/index.js';
import { memoryStore, type Store, type Stored } from './store/index.js';
import { streamingStore } from './streams/capture.js';
import { STREAM_OPERATIONS, STREAMS_PREFIX } from './streams/index.js';
import { SWEEP_MS, sweepStreams } from './streams/sweep.js';
import { DEFAULT_TTL_SWEEP_MS, TtlSweep } from './ttl/sweep.js';

export interface EngineSettings {
  /** Where tables live. Default: a new in-memory store. */
  store?: Store;
  clock?: EngineClock;
  /** How long tables stay CREATING / UPDATING / DELETING (ms). Default 500, as dynalite's. */
  transitionMs?: number;
  /** Written into ARNs. Default us-east-1 (what DynamoDB Local writes is ddblocal; see describe). */
  region?: string;
  /** Written into ARNs. Default 000000000000, as DynamoDB Local. */
  account?: string;
  /** How often TTL's sweep deletes expired items (ms). Default 5000; 0: never (a test runs `TtlSweep` itself). */
  ttlSweepMs?: number;
  /**
   * Told once per message of a failure no request's answer reaches: work between requests that
   * stopped (a backfill meeting a damaged data file), and the engine's own failures its HTTP door
   * answered (said on the server's side).
   */
  onWarning?: (message: string) => void;
}

/** An answer, ready for either door. `body` is the JSON text. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * A failure of the engine itself that its user must hear of as it is (its data file damaged):
   * the in-process door throws it (no retry, its own message), the HTTP door answers 500 with its
   * message and says it once on the server's side.
   */
  failure?: DdbError;
}

/** The API version every target names: `DynamoDB_20120810.<Operation>`. */
export const API_PREFIX = 'DynamoDB_20120810.';

/** BatchWriteItem's target: its puts are read from the request's text when they can be (ops/batchWriteFromText.ts). */
const BATCH_WRITE_TARGET = `${API_PREFIX}BatchWriteItem`;

/** Whether `target` names one of DynamoDB's operations (answered here or not). */
export function isDynamoDbTarget(target: string | undefined): boolean {
  if (target?.startsWith(STREAMS_PREFIX))
    return Object.hasOwn(STREAM_OPERATIONS, target.slice(STREAMS_PREFIX.length));
  return target?.startsWith(API_PREFIX) === true && DYNAMODB_OPERATIONS.has(target.slice(API_PREFIX.length));
}

const DYNAMODB_OPERATIONS = new Set(
  (
    'BatchExecuteStatement BatchGetItem BatchWriteItem CreateBackup CreateGlobalTable CreateTable DeleteBackup ' +
    'DeleteItem DeleteResourcePolicy DeleteTable DescribeBackup DescribeContinuousBackups DescribeContributorInsights ' +
    'DescribeEndpoints DescribeExport DescribeGlobalTable DescribeGlobalTableSettings DescribeImport ' +
    'DescribeKinesisStreamingDestination DescribeLimits DescribeTable DescribeTableReplicaAutoScaling ' +
    'DescribeTimeToLive DisableKinesisStreamingDestination EnableKinesisStreamingDestination ExecuteStatement ' +
    'ExecuteTransaction ExportTableToPointInTime GetItem GetResourcePolicy ImportTable ListBackups ' +
    'ListContributorInsights ListExports ListGlobalTables ListImports ListTables ListTagsOfResource PutItem ' +
    'PutResourcePolicy Query RestoreTableFromBackup RestoreTableToPointInTime Scan TagResource TransactGetItems ' +
    'TransactWriteItems UntagResource UpdateContinuousBackups UpdateContributorInsights UpdateGlobalTable ' +
    'UpdateGlobalTableSettings UpdateItem UpdateKinesisStreamingDestination UpdateTable ' +
    'UpdateTableReplicaAutoScaling UpdateTimeToLive'
  ).split(' '),
);

const JSON_10 = 'application/x-amz-json-1.0';

/** The longest phase closing waits for (ddbctl's commands use 50 ms phases). */
const SETTLE_MS = 100;

/** DynamoDB's answer to a bug of ours: never a crash, never a hang. */
const INTERNAL = 'The request processing has failed because of an unknown error, exception or failure.';

export class DdbEngine implements OpContext {
  readonly store: Store;
  readonly clock: EngineClock;
  readonly transitionMs: number;
  readonly region: string;
  readonly account: string;
  readonly background = new Background();
  /** onWarning, once per message. */
  readonly warnOnce: (message: string) => void;
  /** Parsed TableMeta by name, valid while the meta tree still holds the same Stored object. */
  private readonly metaCache = new Map<string, { stored: Stored; meta: TableMeta }>();
  private readonly ops: Record<string, Operation>;

  constructor(settings: EngineSettings = {}) {
    this.clock = settings.clock ?? { now: () => Date.now() };
    this.transitionMs = settings.transitionMs ?? 500;
    this.region = settings.region ?? 'us-east-1';
    // Every commit goes through the streams' capture: a change and its stream record are one commit.
    this.store = streamingStore(settings.store ?? memoryStore(), this);
    this.account = settings.account ?? '000000000000';
    this.ops = OPERATIONS;
    const told = new Set<string>();
    this.warnOnce = (m) => {
      if (told.has(m)) return;
      told.add(m);
      settings.onWarning?.(m);
    };
    resumeBackfills(this);
    const sweepMs = settings.ttlSweepMs ?? DEFAULT_TTL_SWEEP_MS;
    if (sweepMs > 0) {
      const sweep = new TtlSweep(this);
      this.background.every(sweepMs, () => {
        sweep.piece();
        return true;
      });
    }
    // Streams' 24-hour retention, for streams no write trims any more.
    this.background.every(SWEEP_MS, () => sweepStreams(this));
  }

  findTable(name: string): TableMeta | undefined {
    const stored = this.store.tree(META_TREE).get(name);
    if (!stored) return undefined;
    let cached = this.metaCache.get(name);
    if (!cached || cached.stored !== stored) {
      cached = { stored, meta: JSON.parse(stored.j) as TableMeta };
      this.metaCache.set(name, cached);
    }
    return this.advance(cached.meta);
  }

  table(name: string): TableMeta {
    const meta = this.findTable(name);
    // NOTE: DynamoDB answers data-plane requests on a table still CREATING or already DELETING as if
    // it did not exist (dynalite does too); DynamoDB Local has no such phases.
    if (!meta || meta.status === 'CREATING' || meta.status === 'DELETING') {
      throw new EngineError('ResourceNotFoundException', 'Requested resource not found');
    }
    return meta;
  }

  /** Bring a table's status up to date from the clock: a phase whose time has passed ends now. */
  private advance(meta: TableMeta): TableMeta | undefined {
    if (meta.until === undefined || this.clock.now() < meta.until) return meta;
    if (meta.status === 'DELETING') {
      this.store.commit(dropTableChanges(this.store, meta.name));
      this.metaCache.delete(meta.name);
      return undefined;
    }
    // An index being deleted is gone now (its tree dropped); one being backfilled stays CREATING,
    // and the table UPDATING, until its backfill ends (indexes/backfill.ts).
    const gone = meta.indexes.filter((ix) => ix.status === 'DELETING');
    const indexes = meta.indexes
      .filter((ix) => ix.status !== 'DELETING')
      .map((ix) => (ix.backfill ? ix : { ...ix, status: 'ACTIVE' as const }));
    const next: TableMeta = {
      ...meta,
      status: indexes.some((ix) => ix.backfill) ? 'UPDATING' : 'ACTIVE',
      indexes,
    };
    delete next.until;
    this.store.commit([
      putMeta(next),
      ...gone.map((ix) => ({ tree: indexTree(meta.name, ix.name), drop: true as const })),
    ]);
    return next;
  }

  /**
   * Let the phases in progress end (CREATING, UPDATING, DELETING last `transitionMs`), then record
   * their end. NOTE: called before the store closes, so that a command that created or deleted a
   * table leaves it ACTIVE or gone in the data dir, as the next command (another process, which may
   * start within the phase) expects; the wait is at most SETTLE_MS. So with a GSI's backfill: one
   * that SETTLE_MS of work finishes ends now; a longer one goes on in the next engine on the data dir.
   */
  async settle(): Promise<void> {
    const end = Date.now() + SETTLE_MS;
    const building = Array.from(
      this.store.tree(META_TREE).entries(),
      ([, stored]) => JSON.parse(stored.j) as TableMeta,
    );
    for (const meta of building) {
      for (const ix of meta.indexes)
        if (ix.backfill) backfillNow(this, meta.name, ix.name, () => Date.now() < end);
    }
    let until = 0;
    for (const [, stored] of this.store.tree(META_TREE).entries()) {
      const meta = JSON.parse(stored.j) as TableMeta;
      if (meta.until !== undefined) until = Math.max(until, meta.until);
    }
    // A phase about to end is let end; a longer one (a time chosen to test code that waits) goes on
    // into the next command, as DynamoDB's would.
    const wait = until - this.clock.now();
    if (wait > SETTLE_MS) return;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait + 5));
    this.tableNames();
  }

  /** Stop the work between requests (before the store closes). */
  stop(): void {
    this.background.stop();
  }

  /** Every table name, in DynamoDB's order (names are ASCII: string order is byte order). */
  tableNames(): string[] {
    // NOTE: the names are read first: bringing a status up to date may drop a table from the meta
    // tree, which must not happen under its iterator.
    const all = Array.from(this.store.tree(META_TREE).entries(), ([name]) => name);
    return all.filter((name) => this.findTable(name) !== undefined);
  }

  /**
   * The whole request: target header (`DynamoDB_20120810.PutItem`) and body (text, or the bytes
   * as received: they must be UTF-8) → answer.
   */
  async handle(target: string | undefined, body: string | Uint8Array): Promise<Answer> {
    try {
      // NOTE: DynamoDB reads the body before it looks at the target: malformed JSON with an unknown
      // target is a SerializationException.
      const text = typeof body === 'string' ? body : utf8(body);
      if (target === BATCH_WRITE_TARGET) {
        const out = batchWriteFromText(this, text);
        if (out !== undefined) return answer(200, out);
      }
      const input = parseBody(text);
      const op = this.operation(target);
      const out = await op(this, input);
      return answer(200, stringify(out ?? {}));
    } catch (e) {
      if (e instanceof EngineError) return answer(e.status, stringify(e.body()));
      // The engine's own failure (a DdbError: its data file damaged) with its message; else none.
      const failure = e instanceof DdbError ? e : undefined;
      const body = JSON.stringify({
        __type: 'com.amazon.coral.service#InternalFailure',
        message: failure?.message ?? INTERNAL,
      });
      return { ...answer(500, body), ...(failure ? { failure } : {}) };
    }
  }

  private operation(target: string | undefined): Operation {
    // The DynamoDB Streams API, on the same endpoint (as DynamoDB Local serves it).
    if (target?.startsWith(STREAMS_PREFIX)) {
      const name = target.slice(STREAMS_PREFIX.length);
      if (Object.hasOwn(STREAM_OPERATIONS, name)) return STREAM_OPERATIONS[name]!;
      throw new EngineError('UnknownOperationException', '');
    }
    const name = target?.startsWith(API_PREFIX) ? target.slice(API_PREFIX.length) : undefined;
    const op = name !== undefined && Object.hasOwn(this.ops, name) ? this.ops[name] : undefined;
    if (op) return op;
    if (name !== undefined && DYNAMODB_OPERATIONS.has(name)) {
      throw new EngineError(
        'UnknownOperationException',
        `${name} is not supported by ddbctl's embedded engine; use DynamoDB Local or AWS for it`,
      );
    }
    // DynamoDB's own answer to a target it does not know: the type alone, no message.
    throw new EngineError('UnknownOperationException', '');
  }
}

function answer(status: number, body: string): Answer {
  return { status, headers: { 'content-type': JSON_10 }, body };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body's bytes as text. NOTE: bytes that are no UTF-8 are refused, never replaced by U+FFFD
 * (two different keys would become one item); DynamoDB answers them with a SerializationException.
 */
function utf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new EngineError('SerializationException', 'Invalid UTF-8 in the request body');
  }
}

/**
 * The body as a JSON object. DynamoDB answers text that is not JSON, and JSON that is not an
 * object, with a SerializationException.
 */
function parseBody(text: string): Record<string, unknown> {
  if (text === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    // NOTE: DynamoDB reads one JSON value and ignores what follows it (`{...} trailing` is read as
    // its object, as DynamoDB Local answers it).
    const end = firstObjectEnd(text);
    try {
      v = end ? JSON.parse(text.slice(0, end)) : undefined;
    } catch {}
    if (v === undefined) throw new EngineError('SerializationException', '');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new EngineError('SerializationException', '');
  }
  return v as Record<string, unknown>;
}

/** Where the object `text` starts with ends (just past its `}`), or 0 if it starts with none. */
function firstObjectEnd(text: string): number {
  let i = text.length - text.trimStart().length;
  if (text[i] !== '{') return 0;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return 0;
}
