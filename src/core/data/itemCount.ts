/**
 * How many items a table (or index) holds, as far as anyone can say without reading them all.
 *
 * NOTE: DescribeTable's ItemCount is no count a person can rely on in general: Amazon DynamoDB
 * refreshes it about every six hours, and dynalite (the embedded engine before ddbctl's own) always
 * reported 0. A positive figure is shown as approximate; a 0 is checked with one Scan of at most one
 * item (Select COUNT, half a read unit), which tells an empty table from one whose count is simply
 * not known. ddbctl's own engine counts exactly (`Clients.exactCounts`): its figures are shown as
 * they are, with no Scan.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { isDdbError } from '../errors.js';
import { call } from '../sdkErrors.js';
import { count } from '../util/plural.js';

/**
 * - `exact`: the engine counts exactly (ddbctl's embedded engine) and holds `reported` items;
 * - `empty`: checked: no item;
 * - `approximate`: DynamoDB's count, refreshed about every six hours;
 * - `unknown`: the engine reports 0, but the table holds items;
 * - `unchecked`: the engine reports 0 and the Scan that would check was denied.
 */
export type ItemCountStatus = 'exact' | 'empty' | 'approximate' | 'unknown' | 'unchecked';

export interface ItemCount {
  /** DescribeTable's ItemCount, as the engine reported it. */
  reported: number | undefined;
  status: ItemCountStatus;
  /** True only when the figure is exact (`exact`, `empty`). */
  known: boolean;
}

/** What `reported` (DescribeTable's ItemCount of `table`, or of its index `index`) means. */
export async function itemCountOf(
  clients: Clients,
  table: string,
  reported: number | undefined,
  index?: string,
): Promise<ItemCount> {
  const of = (status: ItemCountStatus): ItemCount => ({
    reported,
    status,
    known: status === 'empty' || status === 'exact',
  });
  if (clients.exactCounts && reported !== undefined) return of(reported > 0 ? 'exact' : 'empty');
  if (reported !== undefined && reported > 0) return of('approximate');
  try {
    const out = await call({ operation: 'Scan', table, target: clients.label }, () =>
      clients.ddb.send(
        new ScanCommand({
          TableName: table,
          Limit: 1,
          Select: 'COUNT',
          ...(index ? { IndexName: index } : {}),
        }),
      ),
    );
    return of((out.Count ?? 0) > 0 || out.LastEvaluatedKey !== undefined ? 'unknown' : 'empty');
  } catch (e) {
    // A person allowed to describe (or delete) a table but not to scan it still gets an answer.
    if (isDdbError(e, 'access.denied')) return of('unchecked');
    throw e;
  }
}

/**
 * What DescribeTable's TableSizeBytes means, judged as the item count was (`items`): the embedded
 * engine reports 0 bytes for every table, as it reports 0 items; DynamoDB refreshes both about
 * every six hours.
 */
export function tableSizeOf(items: ItemCount, reported: number | undefined): ItemCount {
  if (items.status === 'exact') return { reported, status: 'exact', known: true };
  if (reported !== undefined && reported > 0) return { reported, status: 'approximate', known: false };
  if (items.status === 'empty') return { reported, status: 'empty', known: true };
  return { reported, status: items.status === 'unchecked' ? 'unchecked' : 'unknown', known: false };
}

/** For people: `0 (empty)`, `about 1,234 (DynamoDB's figure, ...)`, `unknown (...)`. */
export function formatTableSize(s: ItemCount): string {
  if (s.status === 'empty') return '0 (empty)';
  if (s.status === 'exact') return count(s.reported ?? 0);
  if (s.status === 'approximate') {
    return `about ${count(s.reported ?? 0)} (DynamoDB's figure, refreshed about every six hours)`;
  }
  return formatItemCount(s);
}

/** For people: `1,234` (exact), `empty`, `about 1,234 (DynamoDB's count, ...)`, `unknown (...)`. */
export function formatItemCount(c: ItemCount, of: 'table' | 'index' = 'table'): string {
  switch (c.status) {
    case 'exact':
      return count(c.reported ?? 0);
    case 'empty':
      return 'empty';
    case 'approximate':
      return `about ${count(c.reported ?? 0)} (DynamoDB's count, refreshed about every six hours)`;
    case 'unknown':
      return `unknown (the engine reports 0, but the ${of} holds items)`;
    case 'unchecked':
      return 'unknown (the engine reports 0; the Scan that would check was denied)';
  }
}
