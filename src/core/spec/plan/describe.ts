/** How the planner compares the parts of two specs, describes them for people, and the DynamoDB limits it warns about. */
import {
  type Billing,
  formatKey,
  type GsiSpec,
  gsiThroughput,
  type KeyAttribute,
  type LsiSpec,
  type OnDemandLimit,
  type Projection,
  type SseSpec,
  type TableSpec,
  type Throughput,
  type WarmThroughput,
} from '../tableSpec.js';

// ---------------------------------------------------------------------------------------------
// Limits the plan warns about

// NOTE: AWS has relaxed these over the years; the wording states today's rule.
export const NOTE_TO_ON_DEMAND = 'PROVISIONED → PAY_PER_REQUEST switch: at most 4 times in a rolling 24 h';
export const NOTE_TO_PROVISIONED =
  'PAY_PER_REQUEST → PROVISIONED switch: allowed any time, but switching back is rationed (4 times in 24 h)';
export const NOTE_DECREASE = 'throughput decreases: at most 27 a day (4 at any time, then 1 an hour)';
export const NOTE_TABLE_CLASS = 'table class: at most twice in 30 days';
export const NOTE_TTL = 'Amazon DynamoDB refuses a TTL attribute change within 1 h of the last change';
export const NOTE_TTL_REENABLE =
  'Amazon DynamoDB refuses a TTL attribute change within 1 h of the last change: there this step fails until an hour after the disable';
export const NOTE_GSI_REBUILD = 'queries on the index fail from its deletion until the new one is ACTIVE';
export const NOTE_REPLACE =
  'key schema and LSIs are fixed at creation; writes made while the items are copied may be lost: stop writers first';
export const NOTE_STREAM_NEW = 'the new stream has a new ARN: consumers of the old stream must move to it';
export const NOTE_WARM = 'warm throughput can only be raised, never lowered';

// ---------------------------------------------------------------------------------------------
// Comparisons and descriptions

function sameKey(a: KeyAttribute | undefined, b: KeyAttribute | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.name === b.name && a.type === b.type;
}

function sameProjection(a: Projection, b: Projection): boolean {
  if (a.type !== b.type) return false;
  if (a.type !== 'INCLUDE') return true;
  const x = [...(a.attributes ?? [])].sort();
  const y = [...(b.attributes ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export function sameThroughput(a: Throughput | undefined, b: Throughput | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.read === b.read && a.write === b.write;
}

export function isDecrease(from: Throughput, to: Throughput): boolean {
  return to.read < from.read || to.write < from.write;
}

function fmtKey(k: KeyAttribute | undefined): string {
  return k ? formatKey(k) : 'none';
}

export function fmtThroughput(t: Throughput): string {
  return `${t.read}/${t.write}`;
}

export function fmtBilling(b: Billing): string {
  return b.mode === 'PROVISIONED' ? `provisioned ${fmtThroughput(b)}` : 'on-demand';
}

function fmtProjection(p: Projection): string {
  return p.type === 'INCLUDE' ? `INCLUDE [${(p.attributes ?? []).join(', ')}]` : p.type;
}

export function fmtIndexKeys(pk: KeyAttribute | undefined, sk: KeyAttribute | undefined): string {
  return [pk, sk]
    .filter((k): k is KeyAttribute => k !== undefined)
    .map(formatKey)
    .join(', ');
}

export function fmtGsi(g: GsiSpec, billing: Billing): string {
  const t = gsiThroughput(g, billing);
  const parts = [fmtIndexKeys(g.partitionKey, g.sortKey), `projection ${fmtProjection(g.projection)}`];
  if (t) parts.push(`throughput ${fmtThroughput(t)}`);
  return `(${parts.join(', ')})`;
}

export function fmtStream(s: { viewType: string } | null | undefined): string {
  return s ? s.viewType : 'off';
}

function fmtLimit(n: number): string {
  return n === -1 ? 'no limit' : String(n);
}

export function fmtOnDemand(o: OnDemandLimit | undefined): string {
  const x = o ?? { maxRead: -1, maxWrite: -1 };
  return `max read ${fmtLimit(x.maxRead)}, max write ${fmtLimit(x.maxWrite)}`;
}

export function sameOnDemand(a: OnDemandLimit | undefined, b: OnDemandLimit | undefined): boolean {
  const x = a ?? { maxRead: -1, maxWrite: -1 };
  const y = b ?? { maxRead: -1, maxWrite: -1 };
  return x.maxRead === y.maxRead && x.maxWrite === y.maxWrite;
}

export function fmtWarm(w: WarmThroughput | undefined): string {
  if (!w) return 'default';
  return [w.read !== undefined ? `read ${w.read}/s` : '', w.write !== undefined ? `write ${w.write}/s` : '']
    .filter(Boolean)
    .join(', ');
}

/** Warm throughput only rises: `desired` is met when the live value is at least as high. */
export function warmMet(live: WarmThroughput | undefined, desired: WarmThroughput): boolean {
  if (!live) return false;
  return (desired.read ?? 0) <= (live.read ?? 0) && (desired.write ?? 0) <= (live.write ?? 0);
}

export function fmtSse(s: SseSpec | undefined): string {
  if (!s?.kms) return 'AWS owned key';
  return s.kmsKey ? `KMS key ${s.kmsKey}` : 'AWS managed KMS key';
}

/**
 * NOTE: DescribeTable reports the key's ARN; a spec may name it by id, ARN or alias. An id matches
 * the ARN's last part; an alias cannot be resolved without KMS, so it matches any KMS key.
 */
export function sameSse(live: SseSpec | undefined, desired: SseSpec): boolean {
  const l = live ?? { kms: false };
  if (l.kms !== desired.kms) return false;
  if (!desired.kms || desired.kmsKey === undefined || l.kmsKey === undefined) return true;
  const want = desired.kmsKey;
  if (want === l.kmsKey || /(^|:)alias\//.test(want)) return true;
  return l.kmsKey.endsWith(`:key/${want}`);
}

/** Two policy documents with the same JSON content (DynamoDB may re-space them). */
export function samePolicy(a: string, b: string): boolean {
  const canon = (text: string): string => {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text;
    }
  };
  return canon(a) === canon(b);
}

export function fmtTags(tags: [string, string][]): string {
  return tags.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** What makes a GSI need a rebuild; empty when it can stay. */
export function gsiRebuildReasons(live: GsiSpec, desired: GsiSpec): string[] {
  const reasons: string[] = [];
  if (!sameKey(live.partitionKey, desired.partitionKey)) {
    reasons.push(`partition key ${fmtKey(live.partitionKey)} → ${fmtKey(desired.partitionKey)}`);
  }
  if (!sameKey(live.sortKey, desired.sortKey)) {
    reasons.push(`sort key ${fmtKey(live.sortKey)} → ${fmtKey(desired.sortKey)}`);
  }
  if (!sameProjection(live.projection, desired.projection)) {
    reasons.push(`projection ${fmtProjection(live.projection)} → ${fmtProjection(desired.projection)}`);
  }
  return reasons;
}

function sameLsi(a: LsiSpec, b: LsiSpec): boolean {
  return sameKey(a.sortKey, b.sortKey) && sameProjection(a.projection, b.projection);
}

/** Why the table must be replaced; empty when it can be updated in place. */
export function replacementReasons(live: TableSpec, desired: TableSpec): string[] {
  const reasons: string[] = [];
  if (!sameKey(live.partitionKey, desired.partitionKey)) {
    reasons.push(`partition key ${fmtKey(live.partitionKey)} → ${fmtKey(desired.partitionKey)}`);
  }
  if (!sameKey(live.sortKey, desired.sortKey)) {
    reasons.push(`sort key ${fmtKey(live.sortKey)} → ${fmtKey(desired.sortKey)}`);
  }
  if (desired.lsis === undefined) return reasons; // unmanaged
  const live_ = live.lsis ?? [];
  const liveLsis = new Map(live_.map((l) => [l.name, l]));
  const desiredLsis = new Map(desired.lsis.map((l) => [l.name, l]));
  for (const l of live_) {
    const d = desiredLsis.get(l.name);
    if (!d) reasons.push(`remove LSI ${l.name}`);
    else if (!sameLsi(l, d)) reasons.push(`change LSI ${l.name}`);
  }
  for (const d of desired.lsis) if (!liveLsis.has(d.name)) reasons.push(`add LSI ${d.name}`);
  return reasons;
}
