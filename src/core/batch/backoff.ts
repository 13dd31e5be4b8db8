/**
 * Bounded retries for batch calls: exponential backoff with full jitter, and which failures of a
 * whole call are worth another try. Pure; the executors bring the clock and the random source.
 */
import { type DdbError, isEngineFilesCode } from '../errors.js';

export interface BackoffOptions {
  /**
   * Delay ceiling of the first retry, in ms; doubled for each further retry. Default 50 (DynamoDB's
   * own advice for UnprocessedItems: back off exponentially, starting small).
   */
  baseMs?: number;
  /** The largest delay ceiling, in ms. Default 5000: a CLI run should not stall for minutes. */
  capMs?: number;
}

export const DEFAULT_BACKOFF = { baseMs: 50, capMs: 5000 } as const;

/**
 * The delay before retry number `retry` (0 = the first retry): "full jitter", a uniform draw in
 * [0, min(cap, base·2^retry)). Spreads concurrent clients apart instead of retrying in lock-step.
 * `random` returns a number in [0, 1), as Math.random.
 */
export function backoffDelay(
  retry: number,
  opts: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = opts.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const cap = opts.capMs ?? DEFAULT_BACKOFF.capMs;
  // NOTE: 2^retry overflows to Infinity for large retries; min() keeps it at the cap.
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

const TRANSIENT_NAMES = new Set([
  'InternalServerError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/**
 * True when a failed call may succeed if sent again unchanged: throttling, HTTP 5xx, a network
 * error (refused, reset, dropped). `err` is `e` mapped by toDdbError.
 */
export function isTransient(e: unknown, err: DdbError): boolean {
  if (err.code === 'request.throttled' || err.code === 'endpoint.unreachable') return true;
  // ddbctl's engine failing on its data files (toDdbError's engine.storage): no retry clears it.
  if (isEngineFilesCode(err.code)) return false;
  const name = (e as { name?: string })?.name ?? '';
  if (TRANSIENT_NAMES.has(name)) return true;
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  // NOTE: a connection closed mid-response surfaces as "socket hang up" (ECONNRESET) or EPIPE.
  for (let c: unknown = e, i = 0; c && i < 5; c = (c as { cause?: unknown }).cause, i++) {
    const code = (c as { code?: unknown }).code;
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNREFUSED' || code === 'ETIMEDOUT') {
      return true;
    }
  }
  return false;
}

/** Retries the SDK itself made inside one `send` (its standard retry strategy runs first). */
export function sdkRetriesOf(outputOrError: unknown): number {
  const attempts = (outputOrError as { $metadata?: { attempts?: number } })?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 1 ? attempts - 1 : 0;
}
