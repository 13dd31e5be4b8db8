/**
 * batchWrite's settling and reporting: every request read settles here exactly once, as written,
 * failed (with its reason and code) or superseded, and the counts, `onSettled` and `onProgress`
 * are told of it in one place. The callers' part of the rule is to hand each request over once.
 */
import { type KeySchema, keyOf } from '../data/keySchema.js';
import type { DdbError, DdbErrorCode } from '../errors.js';
import type { BatchWriteOptions, BatchWriteResult, SettledWrite } from './batchWrite.js';
import type { ConcurrencyController } from './concurrency.js';
import type { PreparedWrite, WriteRequest } from './writePlan.js';

/** Why the run stopped sending: a fatal failure or an abort. Set once; the first reason stays. */
export class Halt {
  error: DdbError | undefined;

  /** Stop with `error` unless the run stopped already. */
  set(error: DdbError): void {
    this.error ??= error;
  }
}

export class WriteLedger {
  private readonly counts = {
    written: 0,
    retried: 0,
    sdkRetries: 0,
    failed: [] as BatchWriteResult['failed'],
    duplicatesResolved: 0,
    duplicates: [] as BatchWriteResult['duplicates'],
    calls: 0,
  };
  /** The counts, and the concurrency as it stands now. */
  readonly result: BatchWriteResult;
  /** Failed requests, counted even when `keepFailed` is off. */
  private failedCount = 0;
  private readonly keepFailed: boolean;

  constructor(
    private readonly opts: Pick<BatchWriteOptions, 'onProgress' | 'onSettled' | 'keepFailed'>,
    private readonly concurrency: ConcurrencyController,
  ) {
    this.keepFailed = opts.keepFailed ?? true;
    const counts = this.counts;
    this.result = Object.defineProperty(counts, 'concurrency', {
      get: () => concurrency.stats,
      enumerable: true,
    }) as BatchWriteResult;
  }

  progress(): void {
    const r = this.result;
    this.opts.onProgress?.({
      written: r.written,
      retried: r.retried,
      failed: this.failedCount,
      duplicatesResolved: r.duplicatesResolved,
      calls: r.calls,
      concurrency: this.concurrency.stats,
    });
  }

  /** `requests` settle as failed, each with `reason` and `code`. */
  failRequests(requests: readonly WriteRequest[], code: DdbErrorCode, reason: string): void {
    this.failedCount += requests.length;
    if (this.keepFailed) for (const request of requests) this.result.failed.push({ request, reason, code });
    this.opts.onSettled?.(requests.map((request) => ({ request, outcome: 'failed', reason, code })));
    this.progress();
  }

  fail(prepared: readonly PreparedWrite[], code: DdbErrorCode, reason: string): void {
    this.failRequests(
      prepared.map((p) => p.request),
      code,
      reason,
    );
  }

  /** `pending` settle as not sent, because the run stopped (`halt`). */
  notSent(pending: readonly PreparedWrite[], halt: Halt): void {
    this.fail(pending, halt.error?.code ?? 'operation.aborted', notSentReason(halt));
  }

  /**
   * A call answered: what it sent settles as written, but for the `left` DynamoDB handed back
   * (`matched` of them ours; the others, unknown keys, are kept to fail or retry, not counted).
   */
  wrote(pending: readonly PreparedWrite[], left: readonly PreparedWrite[], matched: number): void {
    this.result.written += pending.length - matched;
    if (this.opts.onSettled) {
      const back = left.length ? new Set(left) : undefined;
      const settled: SettledWrite[] = [];
      for (const p of pending) if (!back?.has(p)) settled.push({ request: p.request, outcome: 'written' });
      this.opts.onSettled(settled);
    }
    this.progress();
  }

  /** `earlier` settles as superseded by `later`, a request for the same key in the same chunk. */
  supersede(earlier: PreparedWrite, later: PreparedWrite, schema: KeySchema): void {
    this.result.duplicatesResolved++;
    this.opts.onSettled?.([{ request: earlier.request, outcome: 'superseded' }]);
    this.result.duplicates.push({
      // NOTE: a put read with its key (CheckedText's `key`) is not made whole for its key.
      key: keyOf(('put' in earlier.request && earlier.request.checked?.key) || earlier.item, schema),
      index: earlier.index,
      keptIndex: later.index,
      ...(earlier.request.line !== undefined ? { line: earlier.request.line } : {}),
      ...(later.request.line !== undefined ? { keptLine: later.request.line } : {}),
    });
  }
}

export function notSentReason(halt: Halt): string {
  return `not sent: the run stopped (${halt.error?.message ?? 'aborted'})`;
}
