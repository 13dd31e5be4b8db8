/**
 * Storage, behind one interface: named ordered trees of string keys → stored values, changed only
 * by `commit`, which applies a list of changes wholly or not at all and returns once they are
 * durable (handed to the kernel: they survive `kill -9` of the process). The store knows nothing
 * of DynamoDB: the engine's operations decide which trees a write touches (a table, its indexes,
 * its metadata) and how keys are encoded (values/keys.ts) so that string order is DynamoDB's order.
 *
 * This file holds the interface and `memoryStore`, a plain sorted-array implementation that is
 * correct but slow: the reference the tests hold `openStore` (open.ts: B+trees, log; snapshot.ts
 * and lazy.ts: snapshots, read lazily; codec.ts: the files' bytes) to. legacy.ts knows the data dir's layout (`storeDir`) and the
 * previous engine's (`legacyDataDir`).
 */

/** What a tree holds for one key: an item's JSON text and the size DynamoDB counts for it. */
export interface Stored {
  readonly j: string;
  readonly z: number;
}

export type Change =
  | { tree: string; key: string; value: Stored } // put
  | { tree: string; key: string; value: null } // delete
  | { tree: string; drop: true }; // remove the whole tree

export interface Range {
  /** Start bound (inclusive unless `afterFrom`). Default: the first key. */
  from?: string;
  afterFrom?: boolean;
  /** End bound (inclusive unless `beforeTo`). Default: the last key. */
  to?: string;
  beforeTo?: boolean;
  /** Walk from the end backwards (bounds keep their meaning: from ≤ key ≤ to). */
  reverse?: boolean;
}

export interface Tree {
  get(key: string): Stored | undefined;
  /** Number of keys. */
  readonly count: number;
  /** Sum of `z` over all values. */
  readonly bytes: number;
  /** Entries in key order (string comparison, code unit by code unit) within the range. */
  entries(range?: Range): IterableIterator<[string, Stored]>;
}

export interface Store {
  /** The tree of that name; an empty one when it does not exist (it exists once written). */
  tree(name: string): Tree;
  treeNames(): string[];
  /** Apply all changes or none; durable before it returns. Throws (and applies nothing) on I/O failure. */
  commit(changes: readonly Change[]): void;
  /** Flush, write a snapshot if worthwhile, release files. */
  close(): Promise<void>;
}

class ArrayTree implements Tree {
  keys: string[] = [];
  vals: Stored[] = [];
  bytes = 0;
  get count(): number {
    return this.keys.length;
  }
  /** Index of the first key ≥ k. */
  lower(k: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  get(key: string): Stored | undefined {
    const i = this.lower(key);
    return this.keys[i] === key ? this.vals[i] : undefined;
  }
  set(key: string, value: Stored | null): void {
    const i = this.lower(key);
    const found = this.keys[i] === key;
    if (found) this.bytes -= this.vals[i]!.z;
    if (value === null) {
      if (found) {
        this.keys.splice(i, 1);
        this.vals.splice(i, 1);
      }
      return;
    }
    this.bytes += value.z;
    if (found) this.vals[i] = value;
    else {
      this.keys.splice(i, 0, key);
      this.vals.splice(i, 0, value);
    }
  }
  *entries(range: Range = {}): IterableIterator<[string, Stored]> {
    let start = range.from === undefined ? 0 : this.lower(range.from);
    if (range.from !== undefined && range.afterFrom && this.keys[start] === range.from) start++;
    let end = range.to === undefined ? this.keys.length : this.lower(range.to);
    if (range.to !== undefined && !range.beforeTo && this.keys[end] === range.to) end++;
    if (range.reverse) for (let i = end - 1; i >= start; i--) yield [this.keys[i]!, this.vals[i]!];
    else for (let i = start; i < end; i++) yield [this.keys[i]!, this.vals[i]!];
  }
}

/** Apply changes in order to named trees, making a tree on its first write (every store's last step). */
export function applyChanges<T extends { set(key: string, value: Stored | null): void }>(
  trees: Map<string, T>,
  changes: readonly Change[],
  make: () => T,
): void {
  for (const c of changes) {
    if ('drop' in c) {
      trees.delete(c.tree);
      continue;
    }
    let t = trees.get(c.tree);
    if (!t) {
      t = make();
      trees.set(c.tree, t);
    }
    t.set(c.key, c.value);
  }
}

/** A store that keeps nothing on disk, on sorted arrays: the reference implementation. */
export function memoryStore(): Store {
  const trees = new Map<string, ArrayTree>();
  const empty = new ArrayTree();
  return {
    tree: (name) => trees.get(name) ?? empty,
    treeNames: () => [...trees.keys()],
    commit: (changes) => applyChanges(trees, changes, () => new ArrayTree()),
    close: async () => {},
  };
}

export { legacyDataDir, legacyDbDir, openLegacyEngine, storeDir } from './legacy.js';
export { openStore, type StoreOptions } from './open.js';
