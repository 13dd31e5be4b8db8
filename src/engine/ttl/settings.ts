/**
 * A table's TTL setting (kept in its meta record, `TableMeta.ttl`) and DynamoDB's rules for changing
 * it. DynamoDB shows a change as ENABLING / DISABLING for a moment, then ENABLED / DISABLED; the
 * engine lasts that moment `transitionMs` (as the table phases), computed from the clock, so
 * reading the status never writes.
 */
import type { TableMeta, TtlMeta } from '../catalog.js';
import { validation } from '../errors.js';

export type TtlStatus = 'ENABLING' | 'ENABLED' | 'DISABLING' | 'DISABLED';

/** The TTL status of `meta` at `now` (ms), and the attribute it names (none once DISABLED). */
export function ttlStatus(meta: TableMeta, now: number): { status: TtlStatus; attribute?: string } {
  const t = meta.ttl;
  if (!t) return { status: 'DISABLED' };
  const moving = t.until !== undefined && now < t.until;
  if (t.enabled) return { status: moving ? 'ENABLING' : 'ENABLED', attribute: t.attribute };
  // NOTE: DynamoDB describes a disabled TTL without its former attribute.
  return moving ? { status: 'DISABLING', attribute: t.attribute } : { status: 'DISABLED' };
}

/** The attribute TTL deletes by, when expiry is on (ENABLED; not while ENABLING). */
export function expiryAttribute(meta: TableMeta, now: number): string | undefined {
  const s = ttlStatus(meta, now);
  return s.status === 'ENABLED' ? s.attribute : undefined;
}

/**
 * The setting after UpdateTimeToLive(enabled, attribute), or DynamoDB's ValidationException. The
 * checks of what is asked come first (DynamoDB answers them even within its interval), then the
 * change in progress.
 */
export function changedTtl(
  meta: TableMeta,
  enabled: boolean,
  attribute: string,
  now: number,
  transitionMs: number,
): TtlMeta {
  const { status, attribute: current } = ttlStatus(meta, now);
  const active = status !== 'DISABLED';
  if (active && current !== attribute) {
    throw validation(
      `TimeToLive is active on a different AttributeName: current AttributeName is ${current}`,
    );
  }
  if (enabled && (status === 'ENABLED' || status === 'ENABLING'))
    throw validation('TimeToLive is already enabled');
  if (!enabled && !active) throw validation('TimeToLive is already disabled');
  if (meta.ttl?.until !== undefined && now < meta.ttl.until) {
    // NOTE: DynamoDB refuses a second change for a while after one (its docs say up to an hour;
    // measured ~31 min); the engine holds it for the change's own phase only.
    throw validation('Time to live has been modified multiple times within a fixed interval');
  }
  return { enabled, attribute, ...(transitionMs > 0 ? { until: now + transitionMs } : {}) };
}
