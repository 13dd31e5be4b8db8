/**
 * The engine's store: every tree a B+tree in memory, or, when read from the snapshot, the
 * snapshot's bytes until writes make it worth loading (lazy.ts: start-up checks and indexes the
 * snapshot without decoding its items); with a folder, every commit is first appended to a log as
 * one checksummed record (written to the kernel before `commit` returns, so it survives `kill -9`),
 * and the whole state is now and then written as a snapshot (snapshot.ts) so that start-up reads
 * the snapshot plus a short log instead of every write ever made. Byte layout: codec.ts.
 *
 * Files in the folder: `snapshot` (the state up to the start of log `seq`), `log-<seq>` and later
 * logs (each commit after it), `snapshot.tmp` while a snapshot is written (ignored and removed on
 * open: the rename is what makes a snapshot count).
 */
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  truncateSync,
  unlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { DdbError } from '../../core/errors.js';
import { makeDirs } from '../../core/util/paths.js';
import { BTreeTree } from './btree.js';
import {
  decodeChanges,
  findLogRecord,
  HEADER,
  LOG_MAGIC,
  MAGIC_LEN,
  RecordFile,
  Writer,
  zeroFrom,
} from './codec.js';
import { apply, check, prepare } from './commit.js';
import type { Change, Store, Tree } from './index.js';
import type { SnapFile } from './lazy.js';
import {
  corrupt,
  type LazyOptions,
  type MemTree,
  readSnapshot,
  SNAPSHOT_FILE,
  TMP_FILE,
  writeAll,
  writeSnapshot,
} from './snapshot.js';

export interface StoreOptions {
  /** Folder of the store's files (created if missing); `null` keeps nothing on disk. */
  dir: string | null;
  /**
   * Also fsync every commit, so that it survives a power cut, not only the death of the process.
   * Default false: a commit is handed to the kernel (write(2)), which survives `kill -9`; fsync per
   * commit measured 30 to 100 times slower on this machine (hundreds to a few thousand commits/s
   * against 40k–70k: bench/engine-store.mjs).
   */
  fsync?: boolean;
  /** Log bytes since the last snapshot that start a new snapshot (in the background). Default 64 MiB. */
  compactBytes?: number;
  /**
   * Commits since the last snapshot that start a new one, however small: replay costs by the
   * commit as much as by the byte (a few µs each into a million-key tree). Default 200,000.
   */
  compactRecords?: number;
  /**
   * Log bytes since the last snapshot that make `close` write one. Default 1 MiB, and at least an
   * eighth of the snapshot (up to closeCompactMax): below that, replaying the log at start-up
   * costs less than rewriting the snapshot at every short command's end.
   */
  closeCompactBytes?: number;
  /**
   * Log bytes that make `close` write a snapshot however large the snapshot is. Default 16 MiB:
   * the snapshot is read as it is needed (lazy.ts), the log whole at every start, so a log left
   * behind costs every later command on the data dir (about 0.15 s for 16 MiB, 0.2 s for the
   * 18 MiB of 50,000 items written into a million), while writing a snapshot of a million items
   * is about 2 s, once, at the end of the command that wrote that much.
   */
  closeCompactMax?: number;
  /** Told about a problem the store survived (a torn log tail dropped, a snapshot that failed). */
  onWarning?: (message: string) => void;
  /**
   * When the last log is damaged in its middle (not a write cut short: records follow the
   * damage), start from the commits before the damage instead of refusing to open, after copying
   * the log as it was to `<log>.damaged-<byte>`. Default false: the user chooses to lose them.
   */
  salvage?: boolean;
  /**
   * Entries per run of a tree read from the snapshot (lazy.ts): a get decodes one run's keys.
   * Default 32: measured on a million items, a get that decodes its run took 12–15 µs with runs
   * of 16 or 32, 23–36 with 64, 44–55 with 128, while start-up (reading and checking 350 MB) did
   * not change with it; the index is then a key per 32 entries.
   */
  runEntries?: number;
  /**
   * Changes a tree read from the snapshot keeps in its overlay before it is loaded whole. Default:
   * an eighth of its entries, at least 4096 (a long run of writes then pays the load once, as it
   * did at every open; a few writes pay a lookup each).
   */
  overlayMax?: number;
}

/** How a user asks for `salvage` (named in the message that refuses a damaged log). */
export const SALVAGE_ENV = 'DDBCTL_ENGINE_SALVAGE';

export { SNAPSHOT_FILE };

const LOG_RE = /^log-(\d+)$/;
const logName = (seq: number): string => `log-${String(seq).padStart(8, '0')}`;

/** Open (or create) the store in `opts.dir`, reading its snapshot and replaying its logs. */
export function openStore(opts: StoreOptions): Store {
  try {
    return new BTreeStore(opts);
  } catch (e) {
    if (e instanceof DdbError) throw e;
    throw new DdbError('engine.start', {
      message: `cannot open the engine's data in ${opts.dir}: ${(e as Error).message}; pass --data-dir to a writable folder or --memory`,
      cause: e,
    });
  }
}

/**
 * Why the bad record at byte `at` of the last log is damage, or undefined when it is what a crash
 * leaves: one unfinished record, the last thing in the file (header or payload cut short, or
 * whole with a checksum that does not match), or zeros a file system filled the tail with.
 */
function damageAt(path: string, at: number, size: number): string | undefined {
  const next = findLogRecord(path, at);
  if (next >= 0) return `whole records follow it, from byte ${next} on`;
  if (at + HEADER > size) return undefined;
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, at);
  } finally {
    closeSync(fd);
  }
  const len = head.readUInt32LE(0);
  if (len === 0)
    return zeroFrom(path, at) ? undefined : 'a record of length 0 followed by bytes that are not zeros';
  const end = at + HEADER + len;
  if (end >= size || zeroFrom(path, end)) return undefined;
  return `${size - end} bytes that are not a record follow it, from byte ${end} on`;
}

class BTreeStore implements Store {
  private trees = new Map<string, MemTree>();
  private readonly lazy: LazyOptions;
  private empty = new BTreeTree();
  private readonly dir: string | null;
  private readonly fsync: boolean;
  private readonly compactBytes: number;
  private readonly closeCompactBytes: number;
  private readonly closeCompactMax: number;
  private readonly warn: (m: string) => void;
  private readonly salvage: boolean;
  private w = new Writer();
  private fd = -1;
  private seq = 1;
  /** Record bytes in the current log. */
  private logBytes = 0;
  /** Record bytes in older logs the snapshot does not cover yet (a snapshot being written, or failed). */
  private olderBytes = 0;
  private compactAt: number;
  private readonly compactRecords: number;
  /** Commits in the logs the snapshot does not cover. */
  private records = 0;
  private compactRecordsAt: number;
  private snapBytes = 0;
  /** The snapshot read at open, whose records its trees read as they need them (lazy.ts). */
  private snapFile: SnapFile | undefined;
  private compacting: Promise<void> | undefined;
  private closed = false;
  /** Set when a failed write could not be undone: the log's end is unknown, so no more commits. */
  private broken: Error | undefined;

  constructor(opts: StoreOptions) {
    this.dir = opts.dir;
    this.fsync = !!opts.fsync;
    this.compactBytes = opts.compactBytes ?? 64 << 20;
    this.compactAt = this.compactBytes;
    this.compactRecords = opts.compactRecords ?? 200_000;
    this.compactRecordsAt = this.compactRecords;
    this.closeCompactBytes = opts.closeCompactBytes ?? 1 << 20;
    this.closeCompactMax = opts.closeCompactMax ?? 16 << 20;
    this.warn = opts.onWarning ?? (() => {});
    this.salvage = !!opts.salvage;
    const { runEntries = 32, overlayMax } = opts;
    this.lazy = {
      every: runEntries,
      overlayMax: (count) => overlayMax ?? Math.max(4096, count >> 3),
    };
    if (this.dir !== null) {
      try {
        this.load(this.dir);
      } catch (e) {
        this.snapFile?.close();
        throw e;
      }
    }
  }

  tree(name: string): Tree {
    return this.trees.get(name) ?? this.empty;
  }

  treeNames(): string[] {
    return [...this.trees.keys()];
  }

  commit(changes: readonly Change[]): void {
    if (this.closed) throw new Error('store: commit after close');
    // NOTE: checked in memory too, so that a bad change fails the same way with --memory as with a data dir.
    for (const c of changes) check(c);
    // Whatever of the snapshot applying them needs is read first: a damaged record fails the commit here.
    prepare(this.trees, changes);
    if (this.dir !== null) this.append(changes);
    apply(this.trees, changes);
    if (
      this.dir !== null &&
      !this.compacting &&
      (this.logBytes + this.olderBytes >= this.compactAt || this.records >= this.compactRecordsAt)
    ) {
      this.compacting = this.compact(true).finally(() => {
        this.compacting = undefined;
      });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.dir === null) return;
    await this.compacting;
    // NOTE: a snapshot on close only when the log is large next to it: a one-item write to a
    // million-item data dir should not rewrite the million items.
    const pending = this.logBytes + this.olderBytes;
    const worth =
      pending >= Math.max(this.closeCompactBytes, Math.min(this.snapBytes / 8, this.closeCompactMax)) ||
      this.records >= this.compactRecords / 4;
    if (!this.broken && pending > 0 && worth) {
      await this.compact(false);
    }
    closeSync(this.fd);
    this.snapFile?.close();
  }

  private append(changes: readonly Change[]): void {
    if (this.broken) throw this.broken;
    const w = this.w;
    w.reset();
    for (const c of changes) w.change(c);
    if (w.payloadBytes === 0) return;
    const rec = w.frame();
    // NOTE: a log no longer linked anywhere (the data dir deleted while the engine runs) would take
    // every write and keep none: refused, from this write on (one fstat, about a microsecond).
    let gone = false;
    try {
      gone = fstatSync(this.fd).nlink === 0;
    } catch {}
    if (gone) {
      this.broken = new DdbError('engine.storage', {
        message: `the engine's data dir ${dirname(this.dir!)} was deleted while the engine ran (its log ${this.logPath(this.seq)} is gone): writes are refused from now on, since none could be kept; stop the engine and start it again (its tables are then those of the new data dir), or restore the folder`,
      });
      throw this.broken;
    }
    try {
      writeAll(this.fd, rec);
      if (this.fsync) fdatasyncSync(this.fd);
    } catch (e) {
      // Undo a partial record, so that the next commit's record does not follow garbage.
      try {
        ftruncateSync(this.fd, MAGIC_LEN + this.logBytes);
      } catch (e2) {
        this.broken = new DdbError('engine.storage', {
          message: `cannot write to the engine's log ${this.logPath(this.seq)} (${(e2 as Error).message}); restart the engine`,
        });
      }
      throw new DdbError('engine.storage', {
        message: `cannot write to the engine's log ${this.logPath(this.seq)}: ${(e as Error).message}; nothing of this request was applied${writeFix((e as { code?: string }).code, dirname(this.dir!))}`,
        cause: e,
      });
    }
    this.logBytes += rec.length;
    this.records++;
  }

  private logPath(seq: number): string {
    return join(this.dir!, logName(seq));
  }

  /** Create log `seq` (with its magic) and return its descriptor, opened for appending. */
  private createLog(seq: number): number {
    const fd = openSync(this.logPath(seq), 'w');
    try {
      writeAll(fd, Buffer.from(LOG_MAGIC, 'latin1'));
      if (this.fsync) {
        fsyncSync(fd);
        this.syncDir();
      }
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    closeSync(fd);
    return openSync(this.logPath(seq), 'a');
  }

  private syncDir(): void {
    const d = openSync(this.dir!, 'r');
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  }

  /**
   * Start a new log, write the state as of that moment (O(1) copy-on-write clones of the trees)
   * to a snapshot, then drop the logs it covers. Commits go on meanwhile, into the new log.
   */
  private async compact(background: boolean): Promise<void> {
    const next = this.seq + 1;
    let fd: number;
    try {
      fd = this.createLog(next);
    } catch (e) {
      this.warn(`could not start a new log in ${this.dir} (${(e as Error).message}); the snapshot waits`);
      this.compactAt = this.logBytes + this.olderBytes + this.compactBytes;
      this.compactRecordsAt = this.records + this.compactRecords;
      return;
    }
    try {
      closeSync(this.fd);
    } catch {}
    this.fd = fd;
    this.seq = next;
    this.olderBytes += this.logBytes;
    this.logBytes = 0;
    const covered = this.olderBytes;
    const coveredRecords = this.records;
    const trees = [...this.trees].map(([name, t]) => [name, t.clone()] as const);
    try {
      this.snapBytes = await writeSnapshot(this.dir!, trees, next, background, this.lazy.every);
      for (const f of readdirSync(this.dir!)) {
        const m = LOG_RE.exec(f);
        if (m && Number(m[1]) < next) unlinkSync(join(this.dir!, f));
      }
      this.olderBytes -= covered;
      this.records -= coveredRecords;
      this.compactAt = this.compactBytes;
      this.compactRecordsAt = this.compactRecords;
    } catch (e) {
      try {
        unlinkSync(join(this.dir!, TMP_FILE));
      } catch {}
      this.warn(
        `could not write a snapshot in ${this.dir} (${(e as Error).message}); the logs keep every write`,
      );
      this.compactAt = this.logBytes + this.olderBytes + this.compactBytes;
      this.compactRecordsAt = this.records + this.compactRecords;
    }
  }

  private load(dir: string): void {
    makeDirs(dir);
    try {
      unlinkSync(join(dir, TMP_FILE));
    } catch {}
    const snap = join(dir, SNAPSHOT_FILE);
    let first = 1;
    if (existsSync(snap)) {
      const read = readSnapshot(snap, this.trees, this.lazy, this.warn);
      first = read.seq;
      this.snapFile = read.file;
      this.snapBytes = statSync(snap).size;
    }
    const logs = readdirSync(dir)
      .map((f) => LOG_RE.exec(f))
      .filter((m) => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const n of logs) if (n < first) unlinkSync(join(dir, logName(n)));
    const live = logs.filter((n) => n >= first);
    live.forEach((n, i) => {
      if (n !== first + i) {
        throw corrupt(join(dir, logName(first + i)), 'a log file is missing');
      }
    });
    if (live.length === 0) {
      this.seq = first;
      this.fd = this.createLog(first);
      return;
    }
    for (let i = 0; i < live.length; i++) {
      const bytes = this.replay(live[i]!, i === live.length - 1);
      if (i < live.length - 1) this.olderBytes += bytes;
      else this.logBytes = bytes;
    }
    this.seq = live[live.length - 1]!;
    this.fd = openSync(this.logPath(this.seq), 'a');
  }

  /** Apply a log's commits; returns its record bytes. Only the last log may end torn (cut off). */
  private replay(seq: number, last: boolean): number {
    const path = this.logPath(seq);
    const f = new RecordFile(path);
    let end: number;
    try {
      const magic = f.magic();
      if (magic.length < MAGIC_LEN && last) {
        // Died while creating the log: start it again.
        closeSync(this.createLog(seq));
        return 0;
      }
      if (magic !== LOG_MAGIC) throw corrupt(path, 'not a ddbctl engine log');
      for (;;) {
        const r = f.next();
        if (r === null) break;
        if ('bad' in r) {
          if (!last) throw corrupt(path, `bad record at byte ${f.offset} of a log that later logs follow`);
          this.dropTail(path, f.offset, f.size, r.bad);
          break;
        }
        let changes: Change[];
        try {
          changes = decodeChanges(r);
        } catch (e) {
          throw corrupt(path, `unreadable record at byte ${f.offset}: ${(e as Error).message}`);
        }
        apply(this.trees, changes);
        this.records++;
      }
      end = f.offset;
    } finally {
      f.close();
    }
    return end - MAGIC_LEN;
  }

  /**
   * Cut the last log at its first bad record, at byte `at`, when a crash explains it. Damage in the
   * middle (records after it) is refused unless `salvage` says to start from the commits before it.
   */
  private dropTail(path: string, at: number, size: number, bad: 'torn' | 'crc' | 'length'): void {
    const n = size - at;
    const why = damageAt(path, at, size);
    if (why !== undefined) {
      // A copy from an earlier salvage at the same byte is kept too.
      let aside = `${path}.damaged-${at}`;
      for (let i = 2; existsSync(aside); i++) aside = `${path}.damaged-${at}-${i}`;
      if (!this.salvage) {
        throw corrupt(
          path,
          `bad record at byte ${at}, in the middle of the log: ${why}; not a write cut short by a crash but bytes the disk or another program changed`,
          `Keep a copy of the folder ${this.dir} first. Then either run again with ${SALVAGE_ENV}=1 to start from the commits before byte ${at} (the log as it is now is copied to ${aside}; the commits from byte ${at} on are left out), or move the folder aside and restore it from a backup or an export`,
        );
      }
      copyFileSync(path, aside, constants.COPYFILE_EXCL);
      truncateSync(path, at);
      this.warn(
        `started from the commits before byte ${at} of ${path} (${SALVAGE_ENV}): it is damaged there (${why}); the ${n} bytes from there on were left out, and the log as it was is in ${aside}`,
      );
      return;
    }
    // NOTE: a write cut short by the process's death, or a tail the file system left zeros in:
    // this commit was never acknowledged. Cut it off so that the next commit follows the last whole one.
    const what =
      bad === 'crc'
        ? 'its last commit, whose checksum does not match: cut short by a crash, or damaged'
        : bad === 'length'
          ? 'zeros: space the file system gave the file but no write reached'
          : 'a commit cut short when its process stopped, never acknowledged';
    this.warn(`dropped ${n} bytes of an unfinished write at the end of ${path} (byte ${at} on: ${what})`);
    truncateSync(path, at);
  }
}

/** Whether a write failed for want of room (a full disk, a quota). */
export const diskFull = (code: string | undefined): boolean => code === 'ENOSPC' || code === 'EDQUOT';

/** What to do about a failed write to the data dir `dir`, by its error code ('' when nothing is known to help). */
export function writeFix(code: string | undefined, dir: string): string {
  if (diskFull(code)) return `; free space on the disk that holds ${dir} ('df -h ${dir}' shows it)`;
  if (code === 'EROFS')
    return `; the file system of ${dir} is read-only: remount it writable, or use another --data-dir`;
  if (code === 'EIO') return `; the disk that holds ${dir} failed a write: check it (dmesg) before going on`;
  return '';
}
