/** The items grid's columns: found in the loaded items, arranged as the user chose. */
import type { DdbItem } from './ddb.js';

/** The key names first (those given, in order), then every other name in the order the rows first show it. */
export function discoverColumns(keyNames: readonly string[], rows: readonly DdbItem[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (n: string) => {
    if (n !== '' && !seen.has(n)) {
      seen.add(n);
      out.push(n);
    }
  };
  for (const k of keyNames) add(k);
  for (const r of rows) for (const n of Object.keys(r)) add(n);
  return out;
}

/** The user's order for the columns it names (still present), then the new ones as discovered. */
export function arrangeColumns(order: readonly string[], discovered: readonly string[]): string[] {
  const present = new Set(discovered);
  const placed = new Set(order);
  return [...order.filter((c) => present.has(c)), ...discovered.filter((c) => !placed.has(c))];
}

/** The columns with `col` moved `by` places (−1 left, 1 right); unchanged at an end. */
export function moveColumn(columns: readonly string[], col: string, by: number): string[] {
  const list = [...columns];
  const i = list.indexOf(col);
  const j = i + by;
  if (i < 0 || j < 0 || j >= list.length) return list;
  [list[i], list[j]] = [list[j]!, list[i]!];
  return list;
}
