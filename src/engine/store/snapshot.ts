/**
 * The snapshot file: read at open into lazy trees (lazy.ts: nothing decoded but every run's first
 * key), written now and then from the trees as they are (open.ts decides when). Byte layout: codec.ts.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { DdbError } from '../../core/errors.js';
import { BTreeTree } from './btree.js';
import { BLOCK, MAGIC_LEN, OP, Reader, readFrame, SNAP_MAGIC, strAt, Writer } from './codec.js';
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

export function corrupt(
  file: string,
  why: string,
  fix = 'Move the data dir aside and restore it from a backup or an export, or pass --data-dir to another folder or --memory',
): DdbError {
  return new DdbError('engine.start', {
    message: `the engine's data file ${file} is damaged (${why}); nothing was changed. ${fix}`,
  });
}

function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(size);
    for (let at = 0; at < size; ) {
      const n = readSync(fd, buf, at, size - at, at);
      if (n === 0) return buf.subarray(0, at);
      at += n;
    }
    return buf;
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
export function readSnapshot(path: string, trees: Map<string, MemTree>, lazy: LazyOptions): number {
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
    if (readOps(new Reader(buf, f.start, f.end))) return seq!;
  }
}

/** Write the snapshot (temp file, fsync, rename, fsync the folder); returns its size. */
export async function writeSnapshot(
  dir: string,
  trees: readonly (readonly [string, MemTree])[],
  seq: number,
  background: boolean,
): Promise<number> {
  const tmp = join(dir, TMP_FILE);
  const fd = openSync(tmp, 'w');
  let size = 0;
  try {
    const magic = Buffer.from(SNAP_MAGIC, 'latin1');
    writeAll(fd, magic);
    size += magic.length;
    const w = new Writer();
    const flush = (): void => {
      if (w.payloadBytes === 0) return;
      const rec = w.frame();
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
      // NOTE: a B+tree's own walk with one reused pair: no array per entry (a million of them).
      const all =
        t instanceof BTreeTree
          ? (t.t.entries(undefined, pair as unknown as (string | Stored)[]) as IterableIterator<
              [string, Stored]
            >)
          : t.entries();
      for (const [k, v] of all) {
        w.u8(OP.ENTRY);
        w.str(k);
        w.f64(v.z);
        w.str(v.j);
        if (w.payloadBytes >= BLOCK) {
          flush();
          // NOTE: in the background, let requests in between the blocks (a million items take a second or two).
          if (background) await tick();
        }
      }
    }
    w.u8(OP.END);
    w.f64(trees.length);
    flush();
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
