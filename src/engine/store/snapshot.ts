/**
 * The snapshot file: read at open into lazy trees (lazy.ts: nothing decoded but every run's first
 * key; from its index alone, its records read as they are needed, or, without an index, read and
 * checked whole), written now and then from the trees as they are, its index at its end (open.ts
 * decides when). Byte layout: codec.ts.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { DdbError } from '../../core/errors.js';
import { Bloom } from './bloom.js';
import { BTreeTree } from './btree.js';
import {
  BLOCK,
  HEADER,
  INDEX_MAGIC,
  MAGIC_LEN,
  OP,
  Reader,
  readFrame,
  readRange,
  SNAP_MAGIC,
  strAt,
  TRAILER,
  Writer,
} from './codec.js';
import type { Stored } from './index.js';
import { LazyTree, SnapFile, SnapRuns } from './lazy.js';

export const SNAPSHOT_FILE = 'snapshot';
export const TMP_FILE = 'snapshot.tmp';

/** A tree the store holds: a B+tree, or one read lazily from the snapshot. */
export type MemTree = BTreeTree | LazyTree;

export function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/**
 * The error for a damaged data file. `changed`: what the failure left undone, by default the whole
 * start (nothing was changed); a record read on demand fails only the request that needed it,
 * after the requests before it were done (an import's summary counts them).
 */
export function corrupt(
  file: string,
  why: string,
  fix = 'Move the data dir aside and restore it from a backup or an export, or pass --data-dir to another folder or --memory',
  changed = 'nothing was changed',
): DdbError {
  return new DdbError('engine.start', {
    message: `the engine's data file ${file} is damaged (${why}); ${changed}. ${fix}`,
  });
}

function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    return readRange(fd, 0, fstatSync(fd).size);
  } finally {
    closeSync(fd);
  }
}

export interface LazyOptions {
  /** Entries per run: a get decodes the keys of one run. */
  every: number;
  /** Changes a lazy tree of `count` entries takes in its overlay before it is materialised. */
  overlayMax: (count: number) => number;
}

/**
 * Read a snapshot into `trees`, each checked (every record's checksum, every entry's lengths) but
 * held as the file's bytes (lazy.ts); returns the first log written after it.
 */
export function readSnapshot(
  path: string,
  trees: Map<string, MemTree>,
  lazy: LazyOptions,
  onWarning: (message: string) => void = () => {},
): { seq: number; file: SnapFile } {
  const indexed = readIndexed(path, trees, lazy);
  if (typeof indexed === 'object') return indexed;
  const buf = readWhole(path);
  if (buf.toString('latin1', 0, Math.min(MAGIC_LEN, buf.length)) !== SNAP_MAGIC)
    throw corrupt(path, 'not a ddbctl engine snapshot');
  const file = new SnapFile(buf);
  const every = lazy.every;
  let seq: number | undefined;
  let name: string | undefined;
  let expect = 0;
  let bytes = 0;
  let at = 0;
  let marks: string[] = [];
  let markPos: number[] = [];
  let markSeg: number[] = [];
  let segStart: number[] = [];
  let segEnd: number[] = [];
  /** End of the last entry read, while a segment is open (-1: none is). */
  let open = -1;
  const close = (): void => {
    if (open < 0) return;
    segEnd.push(open);
    open = -1;
  };
  const finish = (): void => {
    close();
    if (name === undefined) return;
    if (at !== expect) throw corrupt(path, `tree ${name} has ${at} entries, not ${expect}`);
    if (expect === 0) {
      const t = new BTreeTree();
      t.bytes = bytes;
      trees.set(name, t);
    } else {
      const runs = new SnapRuns(file, expect, every, marks, markPos, markSeg, segStart, segEnd);
      trees.set(name, new LazyTree(runs, bytes, lazy.overlayMax(expect)));
    }
    marks = [];
    markPos = [];
    markSeg = [];
    segStart = [];
    segEnd = [];
    name = undefined;
  };
  const readOps = (r: Reader): boolean => {
    while (!r.done) {
      const op = r.u8();
      if (op === OP.ENTRY) {
        if (at >= expect) throw corrupt(path, `tree ${name} has more entries than ${expect}`);
        const p = r.pos - 1;
        if (open < 0) segStart.push(p);
        // NOTE: the lengths read here, not through the Reader's calls: a million entries a second
        // or so of start-up is this loop (the Reader's checks, the same errors).
        const end = r.end;
        if (p + 5 > end) throw new RangeError('record ends early');
        const z = p + 5 + buf.readUInt32LE(p + 1);
        if (z + 12 > end) throw new RangeError('record ends early');
        const next = z + 12 + buf.readUInt32LE(z + 8);
        if (next > end) throw new RangeError('record ends early');
        if (at % every === 0) {
          marks.push(strAt(buf, p + 1));
          markPos.push(p);
          markSeg.push(segStart.length - 1);
        }
        r.pos = next;
        open = next;
        at++;
        continue;
      }
      close();
      if (op === OP.TREE) {
        finish();
        name = r.str();
        expect = r.f64();
        bytes = r.f64();
        if (!Number.isSafeInteger(expect) || expect < 0 || expect > 2 ** 31)
          throw corrupt(path, `tree ${name} has a bad count`);
        at = 0;
      } else if (op === OP.META) seq = r.f64();
      else if (op === OP.END) {
        finish();
        if (seq === undefined || r.f64() !== trees.size) throw corrupt(path, 'its end does not match');
        return true;
      } else throw corrupt(path, `unknown op ${op}`);
    }
    // A tree's entries in the next record are a segment of their own.
    close();
    return false;
  };
  for (let pos = MAGIC_LEN; ; ) {
    if (pos >= buf.length) throw corrupt(path, 'it ends early');
    const f = readFrame(buf, pos, buf.length);
    if ('bad' in f) throw corrupt(path, `bad block at byte ${pos}`);
    pos = f.end;
    if (readOps(new Reader(buf, f.start, f.end))) {
      // Bytes after the items are an index that did not read (readIndexed): a damaged end.
      if (pos < buf.length && indexed === undefined && process.platform !== 'win32') {
        onWarning(
          `the index at the end of the engine's data file ${path} is damaged; its items are whole (each checked), and it was read whole instead, a slower start for each command until the next snapshot is written`,
        );
      }
      return { seq: seq!, file };
    }
  }
}

/**
 * The snapshot's trees from its index alone (its records read when first needed, lazy.ts); else
 * readSnapshot reads and checks the whole file: 'other runs' for an index of another run length,
 * undefined when it has no index that reads (a snapshot of an earlier ddbctl, or a damaged end,
 * which readSnapshot then tells from the bytes after the items).
 */
function readIndexed(
  path: string,
  trees: Map<string, MemTree>,
  lazy: LazyOptions,
): { seq: number; file: SnapFile } | 'other runs' | undefined {
  // NOTE: not on Windows, where a file held open can stand in the way of the rename that puts the
  // next snapshot in its place.
  if (process.platform === 'win32') return undefined;
  const fd = openSync(path, 'r');
  let file: SnapFile | undefined;
  let kept = false;
  try {
    const size = fstatSync(fd).size;
    if (size < MAGIC_LEN + TRAILER) return undefined;
    const head = Buffer.alloc(MAGIC_LEN);
    const tail = Buffer.alloc(TRAILER);
    if (readSync(fd, head, 0, MAGIC_LEN, 0) !== MAGIC_LEN) return undefined;
    if (readSync(fd, tail, 0, TRAILER, size - TRAILER) !== TRAILER) return undefined;
    if (head.toString('latin1') !== SNAP_MAGIC || tail.toString('latin1', 8) !== INDEX_MAGIC)
      return undefined;
    const at = tail.readDoubleLE(0);
    if (!Number.isSafeInteger(at) || at < MAGIC_LEN || at + HEADER > size - TRAILER) return undefined;
    const buf = readRange(fd, at, size - TRAILER - at);
    const f = readFrame(buf, 0, buf.length);
    if ('bad' in f || f.end !== buf.length) return undefined;
    const damaged = (why: string): Error =>
      corrupt(path, why, undefined, 'the request that needed it changed nothing');
    file = new SnapFile(undefined, { fd, damaged });
    const r = new Reader(buf, f.start, f.end);
    const seq = r.f64();
    const count = r.f64();
    const read: [string, MemTree][] = [];
    const num = (): number => {
      const v = r.f64();
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError('not a count');
      return v;
    };
    for (let t = 0; t < count; t++) {
      const name = r.str();
      const n = num();
      const bytes = r.f64();
      const nRuns = num();
      const segs = num();
      const marks = new Array<string>(nRuns);
      for (let i = 0; i < nRuns; i++) marks[i] = r.str();
      const at = r.f64s(2 * nRuns + 4 * segs);
      for (let i = 0; i < at.length; i++) {
        if (!Number.isSafeInteger(at[i]) || at[i]! < 0) throw new RangeError('not a position');
      }
      const markPos = at.subarray(0, nRuns);
      const markSeg = at.subarray(nRuns, 2 * nRuns);
      const part = (f: number): Float64Array => at.subarray(2 * nRuns + f * segs, 2 * nRuns + (f + 1) * segs);
      const [segStart, segEnd, start, end] = [part(0), part(1), part(2), part(3)];
      const probes = num();
      const bloom = new Bloom(r.bytes(num()), probes);
      if (marks.length !== Math.ceil(n / lazy.every) || n > 0 !== segStart.length > 0) {
        // Written with another run length (a store opened with other options): the whole read
        // builds the runs.
        return 'other runs';
      }
      if (n === 0) {
        const e = new BTreeTree();
        e.bytes = bytes;
        read.push([name, e]);
        continue;
      }
      const runs = new SnapRuns(file, n, lazy.every, marks, markPos, markSeg, segStart, segEnd, {
        start,
        end,
        bloom,
      });
      read.push([name, new LazyTree(runs, bytes, lazy.overlayMax(n))]);
    }
    if (!r.done) return undefined;
    for (const [name, t] of read) trees.set(name, t);
    kept = true;
    return { seq, file };
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  } finally {
    // The descriptor is the SnapFile's once the trees are handed back; let go of here otherwise.
    if (!kept) {
      if (file) file.close();
      else closeSync(fd);
    }
  }
}

/** Where a tree's entries lie in the snapshot being written (codec.ts: the index). */
interface TreeIndex {
  name: string;
  count: number;
  bytes: number;
  marks: string[];
  markPos: number[];
  markSeg: number[];
  /** Per segment: its entries' start and end, its record's start and end (file offsets). */
  segs: number[][];
  bloom: Bloom;
}

/**
 * Write the snapshot (temp file, fsync, rename, fsync the folder), its index at its end, each run
 * of `every` entries indexed; returns its size.
 */
export async function writeSnapshot(
  dir: string,
  trees: readonly (readonly [string, MemTree])[],
  seq: number,
  background: boolean,
  every: number,
): Promise<number> {
  const tmp = join(dir, TMP_FILE);
  const fd = openSync(tmp, 'w');
  let size = 0;
  try {
    const magic = Buffer.from(SNAP_MAGIC, 'latin1');
    writeAll(fd, magic);
    size += magic.length;
    const w = new Writer();
    const index: TreeIndex[] = [];
    /** Segments in the record being written: [entries' start, end] in it, then its start and end once written. */
    let pending: number[][] = [];
    /** The segment the next entry joins (its tree's, in this record), if any. */
    let seg: number[] | undefined;
    const flush = (): void => {
      if (w.payloadBytes === 0) return;
      const rec = w.frame();
      // Positions in the Writer's buffer are the record's: the file's, less `size`.
      for (const g of pending) g.push(size + g[0]!, size + g[1]!, size, size + rec.length);
      for (const g of pending) g.splice(0, 2);
      pending = [];
      seg = undefined;
      writeAll(fd, rec);
      size += rec.length;
      w.reset();
    };
    w.u8(OP.META);
    w.f64(seq);
    const pair: [string, Stored] = ['', { j: '', z: 0 }];
    for (const [name, t] of trees) {
      w.u8(OP.TREE);
      w.str(name);
      w.f64(t.count);
      w.f64(t.bytes);
      const ix: TreeIndex = {
        name,
        count: t.count,
        bytes: t.bytes,
        marks: [],
        markPos: [],
        markSeg: [],
        segs: [],
        bloom: Bloom.sized(t.count),
      };
      index.push(ix);
      seg = undefined;
      // NOTE: a B+tree's own walk with one reused pair: no array per entry (a million of them).
      const all =
        t instanceof BTreeTree
          ? (t.t.entries(undefined, pair as unknown as (string | Stored)[]) as IterableIterator<
              [string, Stored]
            >)
          : t.entries();
      let at = 0;
      for (const [k, v] of all) {
        if (!seg) {
          seg = [w.pos, w.pos];
          pending.push(seg);
          ix.segs.push(seg);
        }
        if (at % every === 0) {
          ix.marks.push(k);
          ix.markPos.push(size + w.pos);
          ix.markSeg.push(ix.segs.length - 1);
        }
        at++;
        ix.bloom.add(k);
        w.u8(OP.ENTRY);
        w.str(k);
        w.f64(v.z);
        w.str(v.j);
        seg[1] = w.pos;
        if (w.payloadBytes >= BLOCK) {
          flush();
          // NOTE: in the background, let requests in between the blocks (a million items take a second or two).
          if (background) await tick();
        }
      }
      if (at !== t.count) throw new Error(`store: tree ${name} walked ${at} entries, not ${t.count}`);
    }
    w.u8(OP.END);
    w.f64(trees.length);
    flush();
    const x = new Writer();
    x.f64(seq);
    x.f64(index.length);
    for (const ix of index) {
      x.str(ix.name);
      x.f64(ix.count);
      x.f64(ix.bytes);
      x.f64(ix.marks.length);
      x.f64(ix.segs.length);
      for (const k of ix.marks) x.str(k);
      for (const v of ix.markPos) x.f64(v);
      for (const v of ix.markSeg) x.f64(v);
      for (let f = 0; f < 4; f++) for (const g of ix.segs) x.f64(g[f]!);
      x.f64(ix.bloom.probes);
      x.f64(ix.bloom.bits.length);
      x.bytes(ix.bloom.bits);
    }
    const rec = x.frame();
    const trailer = Buffer.alloc(TRAILER);
    trailer.writeDoubleLE(size, 0);
    trailer.write(INDEX_MAGIC, 8, 'latin1');
    writeAll(fd, rec);
    writeAll(fd, trailer);
    size += rec.length + TRAILER;
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, SNAPSHOT_FILE));
  const d = openSync(dir, 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
  return size;
}
