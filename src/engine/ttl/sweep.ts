/**
 * TTL's sweep: the background work that deletes expired items, as DynamoDB does behind the API.
 * Each piece looks at a bounded run of each TTL-enabled table's items, from where the previous
 * piece stopped (wrapping round at the end), and deletes the expired ones in one commit per table,
 * each through `writeItem` as any delete, so indexes and counts follow. Until a piece reaches an
 * expired item it is still read (GetItem, Query, Scan), as on DynamoDB.
 *
 * Where a piece stopped is kept in memory only: the next engine on a data dir starts from each
 * table's first item, which deletes the same items (expiry is a property of the item and the clock).
 */
import { itemTree } from '../catalog.js';
import type { OpContext } from '../context.js';
import { parseStored, writeItem } from '../ops/_write.js';
import type { Change } from '../store/index.js';
import type { Item } from '../types.js';
import { expiryAttribute } from './settings.js';

/** How often the sweep runs by default (ms): a few seconds, where DynamoDB takes up to two days. */
export const DEFAULT_TTL_SWEEP_MS = 5000;

/** Items looked at per table per piece: bounds the time a piece holds requests back. */
export const SWEEP_CHUNK = 1000;

/**
 * DynamoDB's rule: an item whose TTL is more than five years in the past is not deleted (it is
 * taken for a value in another unit, or a mistake). Five years of 365 days, in seconds.
 */
const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

/**
 * Whether `item` has expired at `nowMs` by its attribute `name`: a Number of epoch seconds before
 * now, and not more than five years before. Any other type (a String, a number set) never expires.
 */
export function isExpired(item: Item, name: string, nowMs: number): boolean {
  const v = item[name];
  if (!v || !('N' in v)) return false;
  // NOTE: a JS number is exact enough here: the value is compared with the clock, not ordered.
  const at = Number(v.N);
  const now = nowMs / 1000;
  return at < now && at >= now - FIVE_YEARS_S;
}

export class TtlSweep {
  /** Per table: the tree key of the last item looked at by the previous piece. */
  private readonly cursor = new Map<string, string>();

  constructor(private readonly ctx: OpContext) {}

  /** One piece over every table with expiry on; returns how many items it deleted. */
  piece(): number {
    let deleted = 0;
    const now = this.ctx.clock.now();
    for (const name of this.ctx.tableNames()) {
      const meta = this.ctx.findTable(name);
      const attribute =
        meta && (meta.status === 'ACTIVE' || meta.status === 'UPDATING') && expiryAttribute(meta, now);
      if (!meta || !attribute) {
        this.cursor.delete(name);
        continue;
      }
      // A cheap look before parsing: an item without the attribute's name in its text cannot expire.
      const needle = JSON.stringify(attribute);
      const after = this.cursor.get(name);
      const changes: Change[] = [];
      let seen = 0;
      let last: string | undefined;
      const tree = this.ctx.store.tree(itemTree(name));
      for (const [key, stored] of tree.entries(after === undefined ? {} : { from: after, afterFrom: true })) {
        if (seen++ >= SWEEP_CHUNK) break;
        last = key;
        if (!stored.j.includes(needle)) continue;
        const item = parseStored(stored);
        if (!isExpired(item, attribute, now)) continue;
        writeItem(meta, key, stored, () => item, null, changes, undefined, 'service');
        deleted++;
      }
      // Past the last item: the next piece starts again from the first.
      if (seen <= SWEEP_CHUNK) this.cursor.delete(name);
      else if (last !== undefined) this.cursor.set(name, last);
      if (changes.length) this.ctx.store.commit(changes);
    }
    return deleted;
  }
}
