/**
 * The bytes of the store's files. Both files are a magic string followed by records:
 *
 *   record  = u32 LE payload length (≥ 1) · u32 LE CRC-32 of the payload · payload
 *   payload = ops, each an op byte and its fields; str = u32 LE byte length · UTF-8 bytes;
 *             f64 = IEEE double LE
 *
 * Log (`log-<seq>`, magic LOG_MAGIC): one record per commit, so a commit is read back wholly or
 * not at all. Ops: PUT tree key z j · DEL tree key · DROP tree.
 * Snapshot (`snapshot`, magic SNAP_MAGIC): META logSeq (the first log written after it), then per
 * tree TREE name count bytes followed by its ENTRY key z j in ascending key order (many entries a
 * record, about BLOCK bytes), then END treeCount; then its index, one record: logSeq treeCount,
 * and per tree name count bytes, its runs (the first key of every `runEntries`-th entry, where that
 * entry starts and in which segment) and its segments (where its entries in each record start and
 * end, and where that record starts and ends): name, then count bytes runs segments (f64), then
 * each run's first key (str), then f64 arrays: the runs' entry positions, their segments, the
 * segments' starts, ends, record starts, record ends; then its keys' Bloom filter (bloom.ts): its
 * probes a key and its length in bytes (f64), then its bytes; then a trailer of 16 bytes:
 * f64 where the index record starts · INDEX_MAGIC. Opening it reads the index alone, and each record
 * when a tree first needs it (lazy.ts); a snapshot without an index (an earlier ddbctl's, which
 * stops reading at END) is read whole, walking its length prefixes. Either way items are decoded
 * when read, and a tree loaded whole is built in O(n), with no JSON parsing.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from './crc32.js';
import type { Change, Stored } from './index.js';

export const LOG_MAGIC = 'DDBCTLL1';
export const SNAP_MAGIC = 'DDBCTLS1';
export const MAGIC_LEN = 8;
/** The last 8 bytes of a snapshot with an index. */
export const INDEX_MAGIC = 'DDBCTLX1';
/** Bytes after a snapshot's index record: its position (f64), then INDEX_MAGIC. */
export const TRAILER = 16;
export const HEADER = 8;
/**
 * Target payload size of a snapshot record: what a lookup reads (and checks) when it first needs a
 * record. 64 KB: a few hundred items, read in well under a millisecond.
 */
export const BLOCK = 1 << 16;

// NOTE: Buffer's own utf8Slice/utf8Write (what toString('utf8')/write(s, 'utf8') call after
// sorting out their arguments) are used directly when present: measured about 15% off loading a
// million items. Both are the fallbacks.
type FastBuffer = Buffer & {
  utf8Slice?: (start: number, end: number) => string;
  utf8Write?: (s: string, offset: number, length: number) => number;
};
const proto = Buffer.prototype as FastBuffer;
const utf8Slice =
  typeof proto.utf8Slice === 'function'
    ? (b: FastBuffer, start: number, end: number) => b.utf8Slice!(start, end)
    : (b: Buffer, start: number, end: number) => b.toString('utf8', start, end);
const utf8Write =
  typeof proto.utf8Write === 'function'
    ? (b: FastBuffer, s: string, offset: number) => b.utf8Write!(s, offset, b.length - offset)
    : (b: Buffer, s: string, offset: number) => b.write(s, offset, 'utf8');

export const OP = { PUT: 1, DEL: 2, DROP: 3, META: 16, TREE: 17, ENTRY: 18, END: 19 } as const;

/** A growable buffer that frames records. */
export class Writer {
  buf = Buffer.allocUnsafe(1 << 16);
  pos = HEADER;
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** Start a new record (forgets what was written). */
  reset(): void {
    this.pos = HEADER;
  }
  get payloadBytes(): number {
    return this.pos - HEADER;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }
  str(s: string): void {
    if (typeof s !== 'string') throw new TypeError(`store: expected a string, got ${typeof s}`);
    // NOTE: at most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes).
    this.ensure(4 + s.length * 3);
    const n = utf8Write(this.buf, s, this.pos + 4);
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4 + n;
  }
  /** The framed record: header filled in; valid until the next write. */
  frame(): Buffer {
    const len = this.pos - HEADER;
    this.buf.writeUInt32LE(len, 0);
    this.buf.writeUInt32LE(crc32(this.buf, HEADER, this.pos), 4);
    return this.buf.subarray(0, this.pos);
  }
  change(c: Change): void {
    if ('drop' in c) {
      this.u8(OP.DROP);
      this.str(c.tree);
      return;
    }
    if (c.value === null) {
      this.u8(OP.DEL);
      this.str(c.tree);
      this.str(c.key);
      return;
    }
    this.u8(OP.PUT);
    this.str(c.tree);
    this.str(c.key);
    this.f64(c.value.z);
    this.str(c.value.j);
  }
}

/** Reads the fields of one payload. */
export class Reader {
  constructor(
    public buf: Buffer,
    public pos: number,
    public end: number,
  ) {}
  u8(): number {
    if (this.pos >= this.end) throw new RangeError('record ends early');
    return this.buf[this.pos++]!;
  }
  f64(): number {
    if (this.pos + 8 > this.end) throw new RangeError('record ends early');
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  str(): string {
    if (this.pos + 4 > this.end) throw new RangeError('record ends early');
    const n = this.buf.readUInt32LE(this.pos);
    const s = this.pos + 4;
    if (s + n > this.end) throw new RangeError('record ends early');
    this.pos = s + n;
    // NOTE: toString copies the bytes into a new string; nothing keeps the (large) buffer alive.
    return utf8Slice(this.buf, s, s + n);
  }
  /** `n` bytes, copied out. */
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new RangeError('record ends early');
    const out = new Uint8Array(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }
  /** `n` f64s in a row, as one array (a copy: aligned, and not holding the buffer). */
  f64s(n: number): Float64Array {
    const bytes = n * 8;
    if (this.pos + bytes > this.end) throw new RangeError('record ends early');
    const at = this.buf.byteOffset + this.pos;
    this.pos += bytes;
    if (LITTLE_ENDIAN) return new Float64Array(this.buf.buffer.slice(at, at + bytes));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.buf.readDoubleLE(this.pos - bytes + i * 8);
    return out;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
}

/**
 * Bytes `at` to `at + length` of the file `fd`, read until they are all there; fewer when the file
 * ends before (the snapshot's whole read, its index, its records).
 */
export function readRange(fd: number, at: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  for (let n = 0; n < length; ) {
    const got = readSync(fd, buf, n, length - n, at + n);
    if (got === 0) return buf.subarray(0, n);
    n += got;
  }
  return buf;
}

/** Whether a Float64Array reads the files' f64s (little-endian) as they lie. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The str at byte `at` of `buf` (its length, then its bytes), checked when it was first read. */
export const strAt = (buf: Buffer, at: number): string =>
  utf8Slice(buf, at + 4, at + 4 + buf.readUInt32LE(at));

/** The changes of one log record's payload. */
export function decodeChanges(r: Reader): Change[] {
  const out: Change[] = [];
  while (!r.done) {
    const op = r.u8();
    if (op === OP.PUT) {
      const tree = r.str();
      const key = r.str();
      const z = r.f64();
      const value: Stored = { j: r.str(), z };
      out.push({ tree, key, value });
    } else if (op === OP.DEL) {
      const tree = r.str();
      out.push({ tree, key: r.str(), value: null });
    } else if (op === OP.DROP) out.push({ tree: r.str(), drop: true });
    else throw new RangeError(`unknown op ${op}`);
  }
  return out;
}

/** Where a record's payload lies, or why there is no valid record at `pos`. */
export type Framed = { start: number; end: number } | { bad: 'torn' | 'crc' | 'length' };

/** The record at buf[pos...limit). */
export function readFrame(buf: Buffer, pos: number, limit: number): Framed {
  if (pos + HEADER > limit) return { bad: 'torn' };
  const len = buf.readUInt32LE(pos);
  if (len === 0) return { bad: 'length' };
  const start = pos + HEADER;
  if (start + len > limit) return { bad: 'torn' };
  if (crc32(buf, start, start + len) !== buf.readUInt32LE(pos + 4)) return { bad: 'crc' };
  return { start, end: start + len };
}

/**
 * Reads a file's records in order through a bounded buffer (a snapshot may be far larger than
 * the memory one should spend reading it).
 */
export class RecordFile {
  private fd: number;
  private buf = Buffer.allocUnsafe(8 << 20);
  private bufStart = 0; // file offset of buf[0]
  private have = 0; // valid bytes in buf
  private pos = 0; // offset in buf of the next record
  private eof = false;
  readonly size: number;
  constructor(public path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }
  /** File offset of the next record. */
  get offset(): number {
    return this.bufStart + this.pos;
  }
  private fill(need: number): void {
    if (this.pos + need <= this.have || this.eof) return;
    if (need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
      this.buf.copy(next, 0, this.pos, this.have);
      this.buf = next;
    } else this.buf.copy(this.buf, 0, this.pos, this.have);
    this.bufStart += this.pos;
    this.have -= this.pos;
    this.pos = 0;
    while (this.have < this.buf.length) {
      const n = readSync(
        this.fd,
        this.buf,
        this.have,
        this.buf.length - this.have,
        this.bufStart + this.have,
      );
      if (n === 0) {
        this.eof = true;
        break;
      }
      this.have += n;
      if (this.have >= need) break;
    }
  }
  /** The magic string at the start (call first). */
  magic(): string {
    this.fill(MAGIC_LEN);
    const m = this.buf.toString('latin1', 0, Math.min(MAGIC_LEN, this.have));
    this.pos = Math.min(MAGIC_LEN, this.have);
    return m;
  }
  /** The next record's payload as a Reader; null at a clean end; `bad` for a torn or corrupt one. */
  next(): Reader | null | { bad: 'torn' | 'crc' | 'length' } {
    this.fill(HEADER);
    if (this.pos === this.have) return null;
    if (this.pos + HEADER <= this.have) {
      const len = this.buf.readUInt32LE(this.pos);
      // A length past the end of the file is a torn record: never allocate for it.
      if (this.offset + HEADER + len > this.size) return { bad: 'torn' };
      this.fill(HEADER + len);
    }
    const f = readFrame(this.buf, this.pos, this.have);
    if ('bad' in f) return f;
    this.pos = f.end;
    return new Reader(this.buf, f.start, f.end);
  }
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Reads `path` from byte `from` to its end a chunk at a time, each chunk as buf[0, n) at file
 * offset `at`; `visit` returns how many bytes it is done with (the rest come again at the start
 * of the next chunk), or -1 to stop.
 */
function scan(
  path: string,
  from: number,
  visit: (buf: Buffer, n: number, at: number, fd: number, size: number) => number,
): void {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let at = from; at < size; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), at);
      if (n === 0) return;
      const done = visit(buf, n, at, fd, size);
      if (done < 0) return;
      // NOTE: a chunk too short to be done with anything is the file's end: nothing more comes.
      if (done === 0) return;
      at += done;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The offset of the first whole log record (length, checksum and changes all valid) that starts
 * after byte `from` of a log, looked for a byte at a time; -1 if there is none. What tells damage
 * in the middle of a log (records follow it) from a write cut short (the last thing in the file).
 */
export function findLogRecord(path: string, from: number): number {
  let found = -1;
  scan(path, from + 1, (buf, n, at, fd, size) => {
    // A record is at least a header and an op byte.
    const last = n - HEADER - 1;
    for (let i = 0; i <= last; i++) {
      const len = buf.readUInt32LE(i);
      const op = buf[i + HEADER];
      if (len === 0 || at + i + HEADER + len > size) continue;
      if (op !== OP.PUT && op !== OP.DEL && op !== OP.DROP) continue;
      let payload = buf;
      let start = i + HEADER;
      if (start + len > n) {
        payload = Buffer.allocUnsafe(len);
        if (readSync(fd, payload, 0, len, at + start) !== len) continue;
        start = 0;
      }
      if (crc32(payload, start, start + len) !== buf.readUInt32LE(i + 4)) continue;
      try {
        decodeChanges(new Reader(payload, start, start + len));
      } catch {
        continue;
      }
      found = at + i;
      return -1;
    }
    return Math.max(0, last + 1);
  });
  return found;
}

/** Whether the bytes of `path` from `from` to its end are all zero (a tail the file system filled). */
export function zeroFrom(path: string, from: number): boolean {
  let zero = true;
  scan(path, from, (buf, n) => {
    for (let i = 0; i < n; i++) {
      if (buf[i] !== 0) {
        zero = false;
        return -1;
      }
    }
    return n;
  });
  return zero;
}
