/**
 * What a commit does to the store's trees in memory, in its order: each change checked (check),
 * the lazy trees it would load whole loaded first (prepare: a damaged snapshot record fails the
 * commit before it is logged), then applied (apply). open.ts logs the commit between the last two.
 */
import { BTreeTree } from './btree.js';
import { applyChanges, type Change } from './index.js';
import { LazyTree } from './lazy.js';
import type { MemTree } from './snapshot.js';

/** Load whole each lazy tree these changes would load (LazyTree.prepare), before they are logged. */
export function prepare(trees: Map<string, MemTree>, changes: readonly Change[]): void {
  let writes: Map<LazyTree, number> | undefined;
  for (const c of changes) {
    const t = 'drop' in c ? undefined : trees.get(c.tree);
    if (!(t instanceof LazyTree)) continue;
    writes ??= new Map();
    writes.set(t, (writes.get(t) ?? 0) + 1);
  }
  if (writes) for (const [t, n] of writes) t.prepare(n);
}

export function apply(trees: Map<string, MemTree>, changes: readonly Change[]): void {
  let dropped: LazyTree[] | undefined;
  for (const c of changes) {
    const t = 'drop' in c ? trees.get(c.tree) : undefined;
    if (t instanceof LazyTree) {
      dropped ??= [];
      dropped.push(t);
    }
  }
  applyChanges(trees, changes, () => new BTreeTree());
  // A dropped tree read from the snapshot lets the others take their own bytes out of it.
  if (dropped) for (const t of dropped) t.release();
}

/** A change the store can keep: strings where strings go, a finite size. Throws before anything is applied. */
export function check(c: Change): void {
  const ok =
    typeof c.tree === 'string' &&
    ('drop' in c
      ? c.drop === true
      : typeof c.key === 'string' &&
        (c.value === null ||
          (typeof c.value === 'object' && typeof c.value.j === 'string' && Number.isFinite(c.value.z))));
  if (!ok) throw new TypeError(`store: not a change it can keep: ${JSON.stringify(c)?.slice(0, 200)}`);
}
