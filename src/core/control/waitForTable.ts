import {
  type DescribeTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
  type TableDescription,
  waitForTableExists,
  waitForTableNotExists,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import { validateTableName } from '../names.js';
import { toDdbError } from '../sdkErrors.js';
import { type Clock, LAST_LOOK_MS, systemClock, within } from '../util/clock.js';
import { findTable } from './describeTable.js';

export interface WaitOptions {
  /** `active`: until TableStatus is ACTIVE. `deleted`: until the table is gone. */
  for: 'active' | 'deleted';
  /** Give up after this many seconds. Default 300. */
  timeoutSeconds?: number;
  /**
   * Poll delays in seconds (the SDK waiter backs off with jitter between them). Default 0.2–2 s:
   * the SDK's own 20 s minimum would make every create take ≥ 20 s on an engine with a real CREATING phase.
   */
  minDelay?: number;
  maxDelay?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface WaitResult {
  /** The ACTIVE description; undefined once deleted. */
  table: TableDescription | undefined;
  seconds: number;
}

/**
 * Wait for a table with the SDK's waiters. A table that does not exist when waiting for `active`
 * fails at once (table.notFound) instead of polling until the timeout. On timeout: table.waitTimeout
 * naming the table, its last status and the time waited.
 */
export async function waitForTable(
  clients: Clients,
  tableName: string,
  opts: WaitOptions,
): Promise<WaitResult> {
  validateTableName(tableName);
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const timeout = opts.timeoutSeconds ?? 300;
  const elapsed = () => (clock.now() - started) / 1000;
  // NOTE: each DescribeTable of its own is held to the wait's time: an endpoint that takes it and
  // never answers would otherwise hold a 1 s wait for the request timeout, AWS_MAX_ATTEMPTS times.
  const silent = () =>
    silentWait(`table ${tableName}`, clients, 'DescribeTable', timeout, ' (last status: unknown)', {
      table: tableName,
      lastStatus: 'unknown',
      seconds: elapsed(),
    });
  if (opts.for === 'active') {
    const first = await within((signal) => findTable(clients, tableName, signal), timeout * 1000, silent);
    if (!first) {
      throw new DdbError('table.notFound', {
        message: `table ${tableName} does not exist at ${clients.label}; create it first ('ddbctl create-table ${tableName}')`,
      });
    }
    if (first.TableStatus === 'ACTIVE') return { table: first, seconds: elapsed() };
  }
  // NOTE: the SDK's waiter waits for its DescribeTable in flight before it looks at the time (and
  // the SDK retries that call): its calls carry a signal of ours, aborted once it is done, or when
  // the wait's time (and a last look) is up with one of them still unanswered.
  const calls = new AbortController();
  const stop = () => calls.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stop, { once: true });
  const params = {
    client: {
      send: (command: DescribeTableCommand) => clients.ddb.send(command, { abortSignal: calls.signal }),
    } as unknown as DynamoDBClient,
    maxWaitTime: timeout,
    minDelay: opts.minDelay ?? 0.2,
    maxDelay: opts.maxDelay ?? 2,
    ...(opts.signal ? { abortSignal: opts.signal } : {}),
  };
  const waiter = opts.for === 'active' ? waitForTableExists : waitForTableNotExists;
  let result: Awaited<ReturnType<typeof waiter>>;
  try {
    result = await within(
      (late) => {
        late.addEventListener('abort', () => calls.abort(late.reason), { once: true });
        return waiter(params, { TableName: tableName });
      },
      (timeout - elapsed()) * 1000 + LAST_LOOK_MS,
      silent,
    );
  } finally {
    opts.signal?.removeEventListener('abort', stop);
    calls.abort();
  }
  if (result.state === 'SUCCESS') {
    const table = opts.for === 'active' ? (result.reason as DescribeTableCommandOutput)?.Table : undefined;
    return { table, seconds: elapsed() };
  }
  if (result.state === 'ABORTED') throw stoppedWaiting(opts.signal, `table ${tableName}`);
  const reason = result.reason as DescribeTableCommandOutput | Error | undefined;
  if (reason instanceof Error && reason.name !== 'ResourceNotFoundException') {
    throw toDdbError(reason, { operation: 'DescribeTable', table: tableName, target: clients.label });
  }
  // NOTE: the SDK's waiter gives up when its next delay would pass the time allowed, before that
  // time: wait out what is left, then (a TIMEOUT result carries no last response) ask once more.
  const left = timeout - elapsed();
  if (left > 0) {
    try {
      await clock.sleep(left * 1000, opts.signal);
    } catch {
      throw stoppedWaiting(opts.signal, `table ${tableName}`);
    }
  }
  // The last look, after the time allowed: a few seconds more at most.
  const last = await within((signal) => findTable(clients, tableName, signal), LAST_LOOK_MS, silent);
  if (opts.for === 'active' ? last?.TableStatus === 'ACTIVE' : !last)
    return { table: last, seconds: elapsed() };
  const status = last?.TableStatus ?? 'not found';
  const goal = opts.for === 'active' ? 'ACTIVE' : 'deleted';
  throw new DdbError('table.waitTimeout', {
    message: `table ${tableName} is not ${goal} after ${formatSeconds(elapsed())} s (last status: ${status}); wait longer with --timeout or check it with 'ddbctl describe-table ${tableName}'`,
    details: { table: tableName, lastStatus: status, seconds: elapsed() },
  });
}

function formatSeconds(s: number): string {
  return s < 10 ? s.toFixed(1) : String(Math.round(s));
}

/**
 * A wait whose own request (`operation`) got no answer within its `seconds` (see within): `what`
 * the wait is for, `more` after the time (a last status).
 */
export function silentWait(
  what: string,
  clients: Clients,
  operation: string,
  seconds: number,
  more: string,
  details: Record<string, unknown>,
): DdbError {
  return new DdbError('table.waitTimeout', {
    message: `${what}: ${clients.label} did not answer ${operation} within the ${seconds} s of the wait${more}; check that it is not stopped, paused or overloaded, or wait longer with --timeout`,
    details,
  });
}

/** A wait its caller stopped: the caller's reason (a Ctrl-C: "interrupted (SIGINT)") when it gave one. */
export function stoppedWaiting(signal: AbortSignal | undefined, what: string): DdbError {
  const why = signal?.reason instanceof Error ? signal.reason.message : '';
  return new DdbError('operation.aborted', { message: why || `stopped waiting for ${what}` });
}
