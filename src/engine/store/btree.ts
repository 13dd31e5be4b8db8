/**
 * The store's trees: sorted-btree's B+tree (copy-on-write clones in O(1)) of string keys, with the
 * key count and the sum of the values' sizes kept as they change.
 */
import * as btreeModule from 'sorted-btree';
import { bulkLoad } from 'sorted-btree/extended/bulkLoad.js';
import type { Range, Stored, Tree } from './index.js';

type BTreeClass = typeof btreeModule.default.default;
// NOTE: sorted-btree is CommonJS with `exports.default = BTree`. node's own ESM loader hands
// `module.exports` as the default import (the class is then its `.default`), while esbuild and tsx
// hand the class itself: take whichever is the constructor.
const loaded = btreeModule.default as unknown as BTreeClass | { default: BTreeClass };
const BTree: BTreeClass = typeof loaded === 'function' ? loaded : loaded.default;

export type BTreeOf<V> = import('sorted-btree/b+tree.js').default<string, V>;
type Tr = BTreeOf<Stored>;

/** Plain string order (UTF-16 code units), as the interface promises. */
export const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const NODE_SIZE = 64;

/** An empty B+tree of string keys in the store's order. */
export const newBTree = <V>(): BTreeOf<V> =>
  new BTree<string, V>(undefined, compareKeys, NODE_SIZE) as BTreeOf<V>;

export class BTreeTree implements Tree {
  bytes = 0;
  constructor(public t: Tr = newBTree<Stored>()) {}

  /** A tree from keys already in strictly ascending order (a snapshot's), built in O(n). */
  static load(keys: string[], vals: Stored[], bytes: number): BTreeTree {
    const tree = new BTreeTree(bulkLoad(keys, vals, NODE_SIZE, compareKeys) as Tr);
    tree.bytes = bytes;
    return tree;
  }

  get count(): number {
    return this.t.size;
  }
  get(key: string): Stored | undefined {
    return this.t.get(key);
  }
  set(key: string, value: Stored | null): void {
    if (value === null) {
      // One walk down: the old value (for bytes) is seen where it is deleted.
      this.t.editRange(key, key, true, (_k, old) => {
        this.bytes -= old.z;
        return { delete: true };
      });
      return;
    }
    // NOTE: a new key costs one walk down the tree, a replaced one two (measured: the walks, not
    // the comparisons, are what a million-key tree spends its time on).
    if (this.t.set(key, value, false)) {
      this.bytes += value.z;
      return;
    }
    this.t.editRange(key, key, true, (_k, old) => {
      this.bytes += value.z - old.z;
      return { value };
    });
  }
  /** An O(1) copy that later changes to either side do not reach (copy on write). */
  clone(): BTreeTree {
    const c = new BTreeTree(this.t.clone() as Tr);
    c.bytes = this.bytes;
    return c;
  }
  entries(range: Range = {}): IterableIterator<[string, Stored]> {
    // NOTE: walk a clone: a commit made while the caller is still iterating (a scan that writes as
    // it goes) must neither break the walk nor show it half of that commit.
    return walk(this.t.clone() as Tr, range);
  }
}

/** Whether a range holds no key at all (from after to, or one key both included and left out). */
export const emptyRange = ({ from, to, afterFrom, beforeTo }: Range): boolean =>
  from !== undefined && to !== undefined && (from > to || (from === to && !!(afterFrom || beforeTo)));

/** The entries of `t` within `r`, in its direction. */
export function* walk<V>(t: BTreeOf<V>, r: Range): IterableIterator<[string, V]> {
  const { from, to } = r;
  if (emptyRange(r)) return;
  if (!r.reverse) {
    const it = t.entries(from) as IterableIterator<[string, V]>;
    for (const e of it) {
      const k = e[0];
      if (r.afterFrom && k === from) continue;
      if (to !== undefined && (k > to || (r.beforeTo && k === to))) return;
      yield e;
    }
    return;
  }
  const it = t.entriesReversed(to, undefined, !!r.beforeTo) as IterableIterator<[string, V]>;
  for (const e of it) {
    const k = e[0];
    if (from !== undefined && (k < from || (r.afterFrom && k === from))) return;
    yield e;
  }
}
