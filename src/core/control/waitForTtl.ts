/**
 * Wait until a table's TTL setting is settled (ENABLED or DISABLED): DynamoDB refuses another
 * UpdateTimeToLive while a change is in progress, and an engine may show the change (ENABLING,
 * DISABLING) for a while. DynamoDB itself settles within seconds (and then still refuses a change
 * for up to an hour, which no wait here can cover: the plan's note says so).
 */
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import { type Clock, LAST_LOOK_MS, systemClock, within } from '../util/clock.js';
import { describeTimeToLive } from './describeTimeToLive.js';
import { silentWait } from './waitForTable.js';

export interface TtlWaitOptions {
  /** Give up after this many seconds. Default 300. */
  timeoutSeconds?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

/** Poll DescribeTimeToLive (every 0.1 s, then up to 2 s) until the status is not ENABLING / DISABLING. */
export async function waitForTtl(
  clients: Clients,
  table: string,
  opts: TtlWaitOptions = {},
): Promise<string> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const timeoutMs = (opts.timeoutSeconds ?? 300) * 1000;
  let delay = 100;
  // NOTE: each DescribeTimeToLive is held to the wait's time (and a last look), as in waitForTable.
  const silent = () =>
    silentWait(`the TTL of table ${table}`, clients, 'DescribeTimeToLive', Math.round(timeoutMs / 1000), '', {
      table,
      seconds: (clock.now() - started) / 1000,
    });
  for (;;) {
    const left = timeoutMs - (clock.now() - started);
    const d = await within(
      (signal) => describeTimeToLive(clients, { TableName: table }, table, signal),
      left + LAST_LOOK_MS,
      silent,
    );
    const status = d.TimeToLiveDescription?.TimeToLiveStatus ?? 'DISABLED';
    if (status !== 'ENABLING' && status !== 'DISABLING') return status;
    if (clock.now() - started >= timeoutMs) {
      throw new DdbError('table.waitTimeout', {
        message: `the TTL of table ${table} is still ${status} after ${Math.round((clock.now() - started) / 1000)} s; wait longer with --timeout or check it with 'ddbctl describe-table ${table}'`,
        details: { table, lastStatus: status, seconds: (clock.now() - started) / 1000 },
      });
    }
    await clock.sleep(delay, opts.signal);
    delay = Math.min(delay * 2, 2000);
  }
}
