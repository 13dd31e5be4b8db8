/**
 * Wait until a table's TTL setting is settled (ENABLED or DISABLED): DynamoDB refuses another
 * UpdateTimeToLive while a change is in progress, and an engine may show the change (ENABLING,
 * DISABLING) for a while. DynamoDB itself settles within seconds (and then still refuses a change
 * for up to an hour, which no wait here can cover: the plan's note says so).
 */
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import { type Clock, systemClock } from '../util/clock.js';
import { describeTimeToLive } from './describeTimeToLive.js';

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
  for (;;) {
    const d = await describeTimeToLive(clients, { TableName: table });
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
