/**
 * Wait until a table and every one of its GSIs is ACTIVE and no GSI is backfilling. The SDK's
 * waiters only look at TableStatus, which stays ACTIVE while a new GSI reads every item.
 */
import type { GlobalSecondaryIndexDescription, TableDescription } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import { validateTableName } from '../names.js';
import { type Clock, LAST_LOOK_MS, systemClock, within } from '../util/clock.js';
import { findTable } from './describeTable.js';
import { silentWait, stoppedWaiting } from './waitForTable.js';

export interface IndexState {
  name: string;
  status: string;
  backfilling: boolean;
}

export interface IndexProgress {
  table: string;
  tableStatus: string;
  indexes: IndexState[];
  seconds: number;
}

export interface WaitForIndexesOptions {
  /** Give up after this many seconds. Default 300. */
  timeoutSeconds?: number;
  /** Poll delays in seconds, doubling from min to max. Default 0.2 → 2 s (a CLI, not a batch job). */
  minDelay?: number;
  maxDelay?: number;
  /** Also wait until these GSIs are listed (a create in progress). */
  present?: readonly string[];
  /** Also wait until these GSIs are gone (a delete in progress). */
  absent?: readonly string[];
  /** Called after every DescribeTable. */
  onProgress?: (p: IndexProgress) => void;
  clock?: Clock;
  signal?: AbortSignal;
}

export interface WaitForIndexesResult {
  table: TableDescription;
  seconds: number;
}

function indexStates(gsis: GlobalSecondaryIndexDescription[] | undefined): IndexState[] {
  return (gsis ?? []).map((g) => ({
    name: g.IndexName ?? '?',
    status: g.IndexStatus ?? 'ACTIVE',
    backfilling: g.Backfilling === true,
  }));
}

/** "byEmail CREATING (backfilling), byCountry ACTIVE". */
export function formatIndexStates(indexes: readonly IndexState[]): string {
  if (indexes.length === 0) return 'no GSIs';
  return indexes.map((i) => `${i.name} ${i.status}${i.backfilling ? ' (backfilling)' : ''}`).join(', ');
}

/** Ready: the table ACTIVE, every GSI ACTIVE and done backfilling, `present` listed, `absent` gone. */
export function indexesReady(
  d: TableDescription,
  opts: Pick<WaitForIndexesOptions, 'present' | 'absent'> = {},
): boolean {
  const states = indexStates(d.GlobalSecondaryIndexes);
  const names = new Set(states.map((s) => s.name));
  return (
    d.TableStatus === 'ACTIVE' &&
    states.every((s) => s.status === 'ACTIVE' && !s.backfilling) &&
    (opts.present ?? []).every((n) => names.has(n)) &&
    (opts.absent ?? []).every((n) => !names.has(n))
  );
}

/**
 * Poll DescribeTable until `indexesReady`. A missing table fails at once (table.notFound); a
 * timeout is table.waitTimeout naming each index's last status.
 */
export async function waitForIndexes(
  clients: Clients,
  tableName: string,
  opts: WaitForIndexesOptions = {},
): Promise<WaitForIndexesResult> {
  validateTableName(tableName);
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const timeoutMs = (opts.timeoutSeconds ?? 300) * 1000;
  const minDelay = (opts.minDelay ?? 0.2) * 1000;
  const maxDelay = (opts.maxDelay ?? 2) * 1000;
  let delay = minDelay;
  // NOTE: each DescribeTable is held to the wait's time (and a last look): an endpoint that takes
  // it and never answers would otherwise hold the wait for the request timeout, times its attempts.
  const silent = () =>
    silentWait(
      `the indexes of table ${tableName}`,
      clients,
      'DescribeTable',
      Math.round(timeoutMs / 1000),
      '',
      {
        table: tableName,
        seconds: (clock.now() - started) / 1000,
      },
    );
  for (;;) {
    const left = timeoutMs - (clock.now() - started);
    const d = await within((signal) => findTable(clients, tableName, signal), left + LAST_LOOK_MS, silent);
    if (!d) {
      throw new DdbError('table.notFound', {
        message: `table ${tableName} does not exist at ${clients.label}; list tables with 'ddbctl list-tables'`,
      });
    }
    const seconds = (clock.now() - started) / 1000;
    const indexes = indexStates(d.GlobalSecondaryIndexes);
    opts.onProgress?.({ table: tableName, tableStatus: d.TableStatus ?? '?', indexes, seconds });
    if (indexesReady(d, opts)) return { table: d, seconds };
    if (clock.now() - started + delay > timeoutMs) {
      const missing = (opts.present ?? []).filter((n) => !indexes.some((i) => i.name === n));
      const lingering = (opts.absent ?? []).filter((n) => indexes.some((i) => i.name === n));
      const extra = [
        missing.length ? `not listed yet: ${missing.join(', ')}` : '',
        lingering.length ? `still listed: ${lingering.join(', ')}` : '',
      ].filter(Boolean);
      throw new DdbError('table.waitTimeout', {
        message: `the indexes of table ${tableName} are not ready after ${Math.round(seconds)} s (table ${d.TableStatus}; ${formatIndexStates(indexes)}${extra.length ? `; ${extra.join('; ')}` : ''}); wait longer with --timeout or check with 'ddbctl describe-table ${tableName}'`,
        details: { table: tableName, tableStatus: d.TableStatus, indexes, seconds },
      });
    }
    if (opts.signal?.aborted) {
      throw stoppedWaiting(opts.signal, `the indexes of ${tableName}`);
    }
    await clock.sleep(delay, opts.signal);
    delay = Math.min(maxDelay, delay * 2);
  }
}
