/**
 * Trees read from a snapshot without decoding them (issue 13: a cold `ddbctl get` needs one item,
 * not the whole store). Opening a store reads the snapshot's index (or, for a snapshot without one,
 * walks its length prefixes once) and keeps, per tree, its count and size, where its entries lie,
 * and every `every`-th key with where its entry starts (a run): a get decodes the keys of one run
 * (reading that run's record of the file when first needed); a walk decodes runs in order, in
 * either direction.
 *
 * Writes to such a tree go to an overlay (a B+tree of changes, `null` for a deletion) merged on
 * every read; count and bytes stay exact by looking each written key up in the snapshot when they
 * are next asked for. Once the overlay passes `overlayMax` changes the tree is materialised (one
 * B+tree of everything, built as a snapshot's load built it, in O(n)) and the snapshot's bytes are
 * let go: a long run of writes (an import into a loaded table) then costs what it did with the
 * whole store loaded at open, a few writes (a put, a short log replayed at open) cost a few lookups.
 */

import { closeSync } from 'node:fs';
import { DdbError } from '../../core/errors.js';
import type { Bloom } from './bloom.js';
import { type BTreeOf, BTreeTree, emptyRange, newBTree, walk } from './btree.js';
import { HEADER, OP, readFrame, readRange, strAt } from './codec.js';
import type { Range, Stored, Tree } from './index.js';

/** A run's keys decoded, where each entry's value starts (its z, then its j) and in which buffer, values decoded once asked for. */
interface Run {
  keys: string[];
  at: number[];
  bufs: Buffer[];
  vals: (Stored | undefined)[];
}

/** Runs a tree keeps decoded for gets; past it the cache starts again (a get decodes one run: cheap). */
const CACHED_RUNS = 1024;

/** Index of the first key in sorted `keys` that is ≥ k (or > k when `after`). */
function bound(keys: readonly string[], k: string, after: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = keys[mid]!;
    if (m < k || (after && m === k)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The snapshot file, shared by the trees read from it, in one of two ways:
 * - **whole**: its bytes read at open (a snapshot without an index: written by an earlier ddbctl).
 *   Once one of the trees no longer needs them (materialised, or dropped), each of the others
 *   copies its own part out: the file's bytes are then let go, not held for a small tree (the
 *   tables' metadata) beside a materialised copy.
 * - **by record**: only its index read at open; a tree reads each record it needs when it first
 *   needs it (checksum and entries checked then), through a descriptor held until the store closes
 *   (a snapshot written since replaces the file's name, not the file this reads).
 */
export class SnapFile {
  private readonly users = new Set<SnapRuns>();
  constructor(
    readonly whole: Buffer | undefined,
    private readonly read?: {
      fd: number;
      /** The error for a damaged record (what is wrong, and the fix): the request that read it fails with it. */
      damaged: (why: string) => Error;
    },
  ) {}
  use(r: SnapRuns): void {
    this.users.add(r);
  }
  release(r: SnapRuns): void {
    if (!this.users.delete(r)) return;
    if (!this.whole) {
      r.drop();
      return;
    }
    for (const u of this.users) u.own();
    this.users.clear();
  }
  /** The record at [start, end) of the file, header included, its checksum checked. */
  frame(start: number, end: number): Buffer {
    if (!this.read || this.closed) throw new Error('store: the snapshot was read after the store closed');
    const buf = readRange(this.read.fd, start, end - start);
    if (buf.length < end - start)
      throw this.read.damaged(`it ends at byte ${start + buf.length}, inside a record`);
    const f = readFrame(buf, 0, buf.length);
    if ('bad' in f || f.end !== buf.length) throw this.read.damaged(`bad block at byte ${start}`);
    return buf;
  }
  damaged(why: string): Error {
    return this.read ? this.read.damaged(why) : new RangeError(why);
  }
  private closed = false;
  /** Let the descriptor go (the store closes). */
  close(): void {
    if (this.closed || !this.read) return;
    this.closed = true;
    closeSync(this.read.fd);
  }
}

/**
 * One tree's entries in a snapshot: the file's ENTRY ops (op byte, key str, z f64, j str) lie in
 * segments (one per record the tree spans); run r starts at entry r × every. Positions are the
 * file's; segment s is read from `bufs[s]`, whose byte 0 is the file's byte `offs[s]`.
 */
export class SnapRuns {
  private cache = new Map<number, Run>();
  private bufs: (Buffer | undefined)[];
  private offs: number[];
  constructor(
    private file: SnapFile | undefined,
    readonly count: number,
    private readonly every: number,
    /** First key of each run, where its entry's op byte is and in which segment. */
    private readonly marks: readonly string[],
    private readonly markPos: ArrayLike<number>,
    private readonly markSeg: ArrayLike<number>,
    private readonly segStart: ArrayLike<number>,
    private readonly segEnd: ArrayLike<number>,
    /**
     * Read by record: where each segment's record starts and ends (header included), and a filter
     * of the tree's keys (a key it does not hold is not looked for).
     */
    private readonly frames?: { start: ArrayLike<number>; end: ArrayLike<number>; bloom?: Bloom },
  ) {
    const whole = file!.whole;
    this.bufs = Array.from({ length: segStart.length }, () => whole);
    this.offs = Array.from({ length: segStart.length }, (_, s) => (whole ? 0 : frames!.start[s]!));
    file!.use(this);
  }

  /** Segment s's buffer, its record read (and checked) on first use when the file is read by record. */
  private seg(s: number): Buffer {
    const b = this.bufs[s];
    if (b) return b;
    if (!this.file || !this.frames) throw new Error('store: a snapshot segment is gone');
    const buf = this.file.frame(this.frames.start[s]!, this.frames.end[s]!);
    // Its entries, as a whole read checks them: each an ENTRY whose lengths stay inside it.
    const off = this.offs[s]!;
    const end = this.segEnd[s]! - off;
    let p = this.segStart[s]! - off;
    if (p < HEADER || end > buf.length) throw this.file.damaged(`bad index for the record at byte ${off}`);
    while (p < end) {
      if (buf[p] !== OP.ENTRY || p + 5 > end) throw this.file.damaged(`bad entry at byte ${p + off}`);
      const z = p + 5 + buf.readUInt32LE(p + 1);
      if (z + 12 > end) throw this.file.damaged(`bad entry at byte ${p + off}`);
      p = z + 12 + buf.readUInt32LE(z + 8);
    }
    if (p !== end) throw this.file.damaged(`bad entry at byte ${p + off}`);
    this.bufs[s] = buf;
    return buf;
  }

  /** Hold a copy of this tree's own bytes instead of the whole file's. */
  own(): void {
    for (let s = 0; s < this.bufs.length; s++) {
      const b = this.seg(s);
      const off = this.offs[s]!;
      this.bufs[s] = Buffer.from(b.subarray(this.segStart[s]! - off, this.segEnd[s]! - off));
      this.offs[s] = this.segStart[s]!;
    }
    this.cache.clear();
    this.file = undefined;
  }

  /** Let go of the records read so far (read by record: they are read again if a walk still needs them). */
  drop(): void {
    this.bufs = this.bufs.map(() => undefined);
    this.cache.clear();
  }

  /** This tree no longer reads the file's bytes (the others copy theirs out). */
  release(): void {
    const f = this.file;
    if (!f) return;
    if (f.whole) this.file = undefined;
    f.release(this);
  }

  private decode(r: number): Run {
    const n = Math.min(this.every, this.count - r * this.every);
    const keys = new Array<string>(n);
    const at = new Array<number>(n);
    const bufs = new Array<Buffer>(n);
    let seg = this.markSeg[r]!;
    let buf = this.seg(seg);
    let off = this.offs[seg]!;
    let p = this.markPos[r]! - off;
    for (let i = 0; i < n; i++) {
      if (p >= this.segEnd[seg]! - off) {
        seg++;
        buf = this.seg(seg);
        off = this.offs[seg]!;
        p = this.segStart[seg]! - off;
      }
      keys[i] = strAt(buf, p + 1);
      const z = p + 5 + buf.readUInt32LE(p + 1);
      at[i] = z;
      bufs[i] = buf;
      p = z + 12 + buf.readUInt32LE(z + 8);
    }
    return { keys, at, bufs, vals: new Array(n) };
  }

  private cached(r: number): Run {
    let d = this.cache.get(r);
    if (!d) {
      if (this.cache.size >= CACHED_RUNS) this.cache.clear();
      d = this.decode(r);
      this.cache.set(r, d);
    }
    return d;
  }

  private value(d: Run, i: number): Stored {
    let v = d.vals[i];
    if (!v) {
      const at = d.at[i]!;
      const buf = d.bufs[i]!;
      v = { j: strAt(buf, at + 8), z: buf.readDoubleLE(at) };
      d.vals[i] = v;
    }
    return v;
  }

  /** The last run whose first key is ≤ key; -1 when every key is after it. */
  private runOf(key: string): number {
    return bound(this.marks, key, true) - 1;
  }

  /** Whether the tree may hold `key`, by its filter alone (no record read); true without a filter. */
  mayHold(key: string): boolean {
    return !this.frames?.bloom || this.frames.bloom.has(key);
  }

  get(key: string): Stored | undefined {
    if (this.frames?.bloom && !this.frames.bloom.has(key)) return undefined;
    const r = this.runOf(key);
    if (r < 0) return undefined;
    const d = this.cached(r);
    const i = bound(d.keys, key, false);
    return d.keys[i] === key ? this.value(d, i) : undefined;
  }

  /** Entries within `r` in its direction (a scan's runs are decoded afresh, not cached). */
  *walk(r: Range): IterableIterator<[string, Stored]> {
    if (emptyRange(r)) return;
    const { from, to } = r;
    const last = this.marks.length - 1;
    if (!r.reverse) {
      let run = from === undefined ? 0 : Math.max(0, this.runOf(from));
      let d = this.cache.get(run) ?? this.decode(run);
      let i = from === undefined ? 0 : bound(d.keys, from, !!r.afterFrom);
      for (;;) {
        for (; i < d.keys.length; i++) {
          const k = d.keys[i]!;
          if (to !== undefined && (k > to || (r.beforeTo && k === to))) return;
          yield [k, this.value(d, i)];
        }
        if (++run > last) return;
        d = this.cache.get(run) ?? this.decode(run);
        i = 0;
      }
    }
    let run = to === undefined ? last : this.runOf(to);
    if (run < 0) return;
    let d = this.cache.get(run) ?? this.decode(run);
    let i = to === undefined ? d.keys.length - 1 : bound(d.keys, to, !r.beforeTo) - 1;
    for (;;) {
      for (; i >= 0; i--) {
        const k = d.keys[i]!;
        if (from !== undefined && (k < from || (r.afterFrom && k === from))) return;
        yield [k, this.value(d, i)];
      }
      if (--run < 0) return;
      d = this.cache.get(run) ?? this.decode(run);
      i = d.keys.length - 1;
    }
  }
}

/** Base entries with the overlay's changes over them (a `null` hides the base's entry), one direction. */
function* merge(
  base: Iterator<[string, Stored]>,
  over: Iterator<[string, Stored | null]>,
  reverse: boolean,
): IterableIterator<[string, Stored]> {
  let b = base.next();
  let o = over.next();
  for (;;) {
    if (o.done) {
      for (; !b.done; b = base.next()) yield b.value;
      return;
    }
    if (!b.done) {
      const bk = b.value[0];
      const ok = o.value[0];
      if (reverse ? bk > ok : bk < ok) {
        yield b.value;
        b = base.next();
        continue;
      }
      if (bk === ok) b = base.next();
    }
    if (o.value[1] !== null) yield o.value as [string, Stored];
    o = over.next();
  }
}

/**
 * A tree from a snapshot: its runs plus an overlay of changes, until it is materialised. Its count
 * and bytes are the snapshot's, plus the overlay's values, less what the overlay hides of the
 * snapshot; a key's first write only notes the key, which is looked up in the snapshot when count
 * or bytes are asked for (DescribeTable): a log replayed at open, or an import, then reads no
 * record of the snapshot it does not need.
 */
export class LazyTree implements Tree {
  private mat: BTreeTree | undefined;
  private over: BTreeOf<Stored | null>;
  private n: number;
  private z: number;
  /** Keys written since the last count whose entries in the snapshot are not yet taken off n and z. */
  private unseen: string[] = [];
  constructor(
    private base: SnapRuns | undefined,
    bytes: number,
    private readonly overlayMax: number,
    over: BTreeOf<Stored | null> = newBTree(),
  ) {
    this.n = base?.count ?? 0;
    this.z = bytes;
    this.over = over;
    this.average = this.n ? bytes / this.n : 0;
  }
  /** The snapshot's bytes an entry, for one that cannot be read (settle). */
  private readonly average: number;

  /**
   * Take off n and z what the overlay hides of the snapshot, for the keys not seen yet.
   * NOTE: a key whose record of the snapshot cannot be read (damaged) is taken as there when the
   * snapshot's filter says it may be, at the snapshot's average size: a table whose damaged items
   * were all written anew still answers DescribeTable (its counts then near, not exact), while a
   * read of an item still in that record fails with the damage.
   */
  private settle(): void {
    if (this.unseen.length === 0) return;
    const base = this.base!;
    for (const k of this.unseen) {
      let old: Stored | undefined;
      try {
        old = base.get(k);
      } catch (e) {
        // A damaged record (the store's error, or a bare RangeError without a file to name); an
        // error of another kind is not this one's to take.
        if (!(e instanceof DdbError || e instanceof RangeError)) throw e;
        if (!base.mayHold(k)) continue;
        this.n--;
        this.z -= this.average;
        continue;
      }
      if (old) {
        this.n--;
        this.z -= old.z;
      }
    }
    this.unseen = [];
  }

  get count(): number {
    if (this.mat) return this.mat.count;
    this.settle();
    return this.n;
  }
  get bytes(): number {
    if (this.mat) return this.mat.bytes;
    this.settle();
    return this.z;
  }

  get(key: string): Stored | undefined {
    if (this.mat) return this.mat.get(key);
    const o = this.over.get(key);
    if (o !== undefined) return o ?? undefined;
    return this.base!.get(key);
  }

  set(key: string, value: Stored | null): void {
    if (this.mat) {
      this.mat.set(key, value);
      return;
    }
    const o = this.over.get(key);
    if (o === undefined) this.unseen.push(key);
    else if (o) {
      this.n--;
      this.z -= o.z;
    }
    if (value) {
      this.n++;
      this.z += value.z;
    }
    this.over.set(key, value);
    if (this.over.size >= this.overlayMax) this.materialise();
  }

  /**
   * Before a commit that writes up to `writes` changes to this tree is logged: load it whole now if
   * those changes would, so that a record of the snapshot that cannot be read (damaged) fails the
   * commit before it is in the log, not halfway through applying it (store: a commit applies wholly
   * or not at all).
   */
  prepare(writes: number): void {
    if (!this.mat && this.over.size + writes >= this.overlayMax) this.materialise();
  }

  /** One B+tree of everything; the snapshot's bytes are no longer needed by this tree. */
  private materialise(): void {
    const keys: string[] = [];
    const vals: Stored[] = [];
    let z = 0;
    for (const [k, v] of this.entries()) {
      keys.push(k);
      vals.push(v);
      z += v.z;
    }
    this.mat = BTreeTree.load(keys, vals, z);
    this.release();
    this.base = undefined;
    this.over = newBTree();
    this.unseen = [];
  }

  /**
   * This tree no longer needs the snapshot's bytes for the store (materialised, or dropped: a
   * reader still holding it keeps its part).
   */
  release(): void {
    this.base?.release();
  }

  /** An O(1) copy that later changes to either side do not reach (for a snapshot being written). */
  clone(): BTreeTree | LazyTree {
    if (this.mat) return this.mat.clone();
    this.settle();
    const c = new LazyTree(this.base, this.z, Number.POSITIVE_INFINITY, this.over.clone());
    c.n = this.n;
    return c;
  }

  entries(range: Range = {}): IterableIterator<[string, Stored]> {
    if (this.mat) return this.mat.entries(range);
    // NOTE: the overlay is cloned now (the base never changes): a commit made during the walk
    // neither breaks it nor shows it half of that commit, as with a B+tree.
    const base = this.base!.walk(range);
    if (this.over.size === 0) return base;
    return merge(base, walk(this.over.clone(), range), !!range.reverse);
  }
}
