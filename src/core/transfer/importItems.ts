/**
 * Import: a stream of records (any format) → BatchWriteItem, concurrently, at a capped rate, with
 * the items of a partition spread over calls (tables with a sort key). Nothing is lost: every
 * record is written or rejected (with its line and reason), and a checkpoint tells how far the
 * input is done, so a run stopped at any moment resumes to a complete table with each item once
 * (puts are idempotent).
 */
import {
  type BatchWriteResult,
  batchWrite,
  type SettledWrite,
  type WriteRequest,
} from '../batch/batchWrite.js';
import type { ConcurrencyOptions, ConcurrencyStats } from '../batch/concurrency.js';
import type { Clients } from '../clients.js';
import type { Item } from '../data/codec.js';
import { canonicalKey, getKeySchema, type KeySchema } from '../data/keySchema.js';
import { itemSize } from '../data/validate.js';
import { DdbError, type DdbErrorCode, isEngineFilesCode } from '../errors.js';
import { type Clock, every, systemClock } from '../util/clock.js';
import { plural } from '../util/plural.js';
import type { CheckedText } from '../wire/plainItem.js';
import type { ReadRecord } from './formats/index.js';
import { interleaveBatches } from './interleave.js';
import { RateLimiter } from './rate.js';

/**
 * The read size for an input file (createReadStream's highWaterMark): 1 MiB, not Node's 64 KiB. On
 * the embedded engine a batch is written faster than a 64 KiB read comes back from the thread
 * pool, and an import sat idle a twentieth of its time waiting for reads.
 */
export const READ_CHUNK = 1 << 20;

/**
 * The most item bytes the interleave window holds (beside its count, `interleaveWindow`): 1,000
 * items of 200 KB held 200 MB (on a table with a sort key); 32 MiB keeps 160 of them.
 */
export const INTERLEAVE_BYTES = 32 * 1024 * 1024;

export interface ImportReject {
  line: number;
  reason: string;
  /** The record's text when it could not be parsed, else the item. */
  raw?: string;
  /** A record that is not UTF-8: its bytes in base64 (ReadRecord's rawBase64). */
  rawBase64?: string;
  item?: Item;
}

export interface ImportProgress {
  /** Records read from the input. */
  read: number;
  written: number;
  rejected: number;
  retried: number;
  /** Bytes of the input done (the checkpoint offset). */
  offset: number;
  /** Calls in flight, the limit reached, throttled calls (from the first call on). */
  concurrency?: ConcurrencyStats;
}

/** Where a run may resume: every record before `offset` is written or rejected. */
export interface ImportPosition {
  offset: number;
  line: number;
  written: number;
  rejected: number;
}

export interface ImportOptions {
  /** BatchWriteItem calls in flight, fixed. Default: adapts (batchWrite), from 16 up to 128. */
  concurrency?: number;
  /** Bounds of the adaptive concurrency. */
  adaptive?: Omit<ConcurrencyOptions, 'fixed'>;
  /** At most this many write units a second (1 unit per started KB of an item). Default: no cap. */
  rate?: number;
  /**
   * On a table with a sort key, spread consecutive writes of one partition over calls, within a
   * window of this many items (default 1000; 1 keeps the input order) and of at most
   * INTERLEAVE_BYTES of them. A table without one has a partition per item, so there is nothing to
   * spread and the input order is kept.
   */
  interleaveWindow?: number;
  /** Retries per chunk (batchWrite). Default 10. */
  maxRetries?: number;
  /** Where a resumed run starts counting (from its checkpoint). */
  resumeFrom?: ImportPosition;
  /** Called for each rejected record, in input order, before the checkpoint passes it. */
  onReject?: (r: ImportReject) => void;
  /** Called when the position advanced (at most every `checkpointMs`) and once at the end. */
  onCheckpoint?: (p: ImportPosition) => void;
  checkpointMs?: number;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  clock?: Clock;
  schema?: KeySchema;
}

export interface ImportResult {
  /** Records read, written and rejected by this run (a resumed run: not the earlier runs'). */
  read: number;
  written: number;
  /**
   * Records this run rejected and handed to `onReject` (the reject file's): a run that stopped
   * leaves out those after its position, which its resume reads and rejects again.
   */
  rejected: number;
  retried: number;
  duplicatesResolved: number;
  seconds: number;
  concurrency: ConcurrencyStats;
  /** Why the run ended before the input did, if it did. */
  stopped?: DdbError;
  /**
   * Where a next run resumes, with the records before it written and rejected over every run, each
   * once (a record written after a later one stopped the position is written again on resume).
   */
  position: ImportPosition;
}

/** Failures that no retry can fix: the record goes to the reject file. */
const REJECTED_FOR_GOOD = new Set<DdbErrorCode>([
  'input.item',
  'input.key',
  'input.json',
  'item.tooLarge',
  'request.invalid',
]);

interface Tracked {
  seq: number;
  line: number;
  /** Offset just after the record. */
  end: number;
}

/** A record's put request, carrying its place in the input (no lookup table per request). */
type TrackedPut = WriteRequest & Tracked & { hint?: string };

/**
 * The put of a record read with the table's key (CheckedText's `key`): its item, made from the
 * record's text, only when asked (a reject; a client without the wire path).
 */
class KeyedPut implements Tracked {
  readonly checked: CheckedText;
  readonly line: number;
  readonly end: number;
  hint?: string;
  constructor(
    private readonly record: ReadRecord,
    readonly seq: number,
  ) {
    this.checked = record.checked as CheckedText;
    this.line = record.line;
    this.end = record.offset;
    if (record.hint !== undefined) this.hint = record.hint;
  }
  get put(): Item {
    return this.record.item as Item;
  }
}

/**
 * Import records into `table`. `records` come from `readItems` or, faster, `readItemBatches` (or
 * any source of the same shape).
 */
export async function importItems(
  clients: Clients,
  table: string,
  records: AsyncIterable<ReadRecord> | AsyncIterable<ReadRecord[]>,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const schema = opts.schema ?? (await getKeySchema(clients, table));
  const limiter = opts.rate ? new RateLimiter(opts.rate, clock) : undefined;
  const base = opts.resumeFrom ?? { offset: 0, line: 1, written: 0, rejected: 0 };

  // The position: records settle out of order (concurrent calls); the checkpoint may only pass a
  // record once every record before it has settled. Its counts are of the records it passed, so a
  // record written after a later one was written twice (once in each run) is counted once.
  const settled = new Map<number, Tracked & { written: boolean }>();
  const rejectsWaiting = new Map<number, ImportReject>();
  let nextSeq = 0;
  let position = { ...base };
  let written = 0;
  let rejected = 0;
  let read = 0;
  let retried = 0;
  const checkpointDue = every(clock, opts.checkpointMs ?? 500);
  let unwritten = 0;
  let unwrittenReason: string | undefined;
  let unwrittenCode: DdbErrorCode | undefined;

  const advance = () => {
    let last: (Tracked & { written: boolean }) | undefined;
    let passedWritten = 0;
    let passedRejected = 0;
    try {
      for (let t = settled.get(nextSeq); t; t = settled.get(nextSeq)) {
        settled.delete(nextSeq);
        if (rejectsWaiting.size) {
          const r = rejectsWaiting.get(nextSeq);
          if (r) {
            rejectsWaiting.delete(nextSeq);
            opts.onReject?.(r);
            passedRejected++;
          }
        }
        if (t.written) passedWritten++;
        last = t;
        nextSeq++;
      }
    } finally {
      // NOTE: one new position for the records passed (not one for each), also when onReject threw.
      if (last !== undefined) {
        position = {
          offset: last.end,
          line: last.line + 1,
          written: position.written + passedWritten,
          rejected: position.rejected + passedRejected,
        };
      }
    }
    if (last !== undefined && opts.onCheckpoint && checkpointDue()) opts.onCheckpoint({ ...position });
  };
  let concurrency: ConcurrencyStats | undefined;
  const progress = () =>
    opts.onProgress?.({
      read,
      written,
      rejected,
      retried,
      offset: position.offset,
      ...(concurrency ? { concurrency } : {}),
    });
  const settle = (t: Tracked, how: { written?: boolean; reject?: ImportReject } = {}) => {
    if (how.reject) {
      rejected++;
      rejectsWaiting.set(t.seq, how.reject);
    }
    settled.set(t.seq, { seq: t.seq, line: t.line, end: t.end, written: !!how.written });
  };

  async function* requests(): AsyncGenerator<WriteRequest[]> {
    let seq = 0;
    for await (const got of records) {
      const batch = Array.isArray(got) ? got : [got];
      const out: WriteRequest[] = [];
      let skipped = false;
      for (const rec of batch) {
        read++;
        if (rec.checked?.key) {
          out.push(new KeyedPut(rec, seq++));
          continue;
        }
        if (!rec.item) {
          const t: Tracked = { seq: seq++, line: rec.line, end: rec.offset };
          settle(t, {
            reject: {
              line: rec.line,
              reason: rec.error ?? 'unreadable record',
              ...(rec.raw !== undefined ? { raw: rec.raw } : {}),
              ...(rec.rawBase64 !== undefined ? { rawBase64: rec.rawBase64 } : {}),
            },
          });
          skipped = true;
          continue;
        }
        const request: TrackedPut = rec.checked
          ? { put: rec.item, line: rec.line, checked: rec.checked, seq: seq++, end: rec.offset }
          : { put: rec.item, line: rec.line, seq: seq++, end: rec.offset };
        if (rec.hint !== undefined) request.hint = rec.hint;
        out.push(request);
      }
      if (skipped) {
        advance();
        progress();
      }
      if (out.length) yield out;
    }
  }

  const onSettled = (list: SettledWrite[]) => {
    for (const s of list) {
      // NOTE: a request batchWrite made itself (a key an engine changed) is not a record's.
      if ((s.request as Partial<Tracked>).seq === undefined) continue;
      const t = s.request as TrackedPut;
      if (s.outcome === 'written') {
        written++;
        settle(t, { written: true });
      } else if (s.outcome === 'superseded') {
        settle(t);
      } else if (s.code && REJECTED_FOR_GOOD.has(s.code)) {
        const put = 'put' in s.request ? s.request.put : undefined;
        settle(t, {
          reject: {
            line: t.line,
            reason: `${s.reason ?? 'not written'}${t.hint ? `; ${t.hint}` : ''}`,
            ...(put ? { item: put } : {}),
          },
        });
      } else {
        // Not written, but not for good (throttled past the retries, unreachable, stopped): the
        // checkpoint stays before it, so --resume writes it.
        unwritten++;
        unwrittenReason ??= s.reason;
        unwrittenCode ??= s.code;
      }
    }
    advance();
    // NOTE: progress follows in batchWrite's onProgress, which comes after, with the concurrency.
  };

  const window = schema.sortKey ? (opts.interleaveWindow ?? 1000) : 1;
  const partitionOnly = { ...schema, sortKey: undefined };
  const source =
    window > 1
      ? interleaveBatches(
          requests(),
          (r) => canonicalKey('put' in r ? (r.checked?.key ?? r.put) : r.delete, partitionOnly),
          window,
          {
            bytes: INTERLEAVE_BYTES,
            sizeOf: (r) => ('put' in r ? (r.checked?.bytes ?? itemSize(r.put)) : 0),
          },
        )
      : requests();
  /**
   * The rate cap, last: each request goes on as soon as its units are granted, in the order it is
   * sent. NOTE: taken before interleaving, the units of the requests the window holds would be
   * spent long before they are sent, and the window would go out as a burst at the end.
   */
  async function* paced(): AsyncGenerator<WriteRequest[]> {
    for await (const batch of source) {
      for (const r of batch) {
        if ('put' in r) {
          // NOTE: a write unit covers 1 KB of item; the cap counts what DynamoDB will charge.
          const size = r.checked?.size ?? itemSize(r.put);
          await (limiter as RateLimiter).take(Math.max(1, Math.ceil(size / 1024)), opts.signal);
        }
        yield [r];
      }
    }
  }
  const result: BatchWriteResult = await batchWrite(clients, table, limiter ? paced() : source, {
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    maxRetries: opts.maxRetries ?? 10,
    schema,
    clock,
    keepFailed: false,
    onSettled,
    ...(opts.adaptive ? { adaptive: opts.adaptive } : {}),
    onProgress: (p) => {
      retried = p.retried;
      concurrency = p.concurrency;
      progress();
    },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  advance();
  opts.onCheckpoint?.({ ...position });
  const stopped =
    result.stopped ??
    (unwritten
      ? // NOTE: the reason says whether retries ran out; an engine whose data files failed keeps
        // its code (engine.storage; engine.start for a damaged record), which --resume cannot get
        // past either.
        new DdbError(unwrittenCode && isEngineFilesCode(unwrittenCode) ? unwrittenCode : 'batch.incomplete', {
          // NOTE: no instruction here: whether --resume can continue depends on a checkpoint,
          // which the caller keeps or not (stdin, the in-memory engine); it says how to go on.
          message: `${plural(unwritten, 'item')} ${unwritten > 1 ? 'were' : 'was'} not written (${unwrittenReason})`,
        })
      : undefined);
  return {
    read,
    written,
    rejected: position.rejected - base.rejected,
    retried: result.retried,
    duplicatesResolved: result.duplicatesResolved,
    seconds: (clock.now() - started) / 1000,
    concurrency: result.concurrency,
    position,
    ...(stopped ? { stopped } : {}),
  };
}
