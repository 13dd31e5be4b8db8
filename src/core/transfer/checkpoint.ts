/**
 * Checkpoints of imports and exports: small JSON files written atomically (temp file, then
 * rename), so a crash at any moment, even SIGKILL, leaves the last complete one.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { describeTable } from '../control/describeTable.js';
import { getKeySchema, type KeySchema } from '../data/keySchema.js';
import { DdbError } from '../errors.js';
import { type Clock, every, isoTime, systemClock } from '../util/clock.js';
import { canonicalPath } from '../util/paths.js';
import type { ScanPosition } from './exportItems.js';

/**
 * Where the table of a checkpoint lives, never with credentials: a resume elsewhere would write
 * the rest of the input into another database (or read the rest of another table) and claim a
 * complete run.
 */
export interface CheckpointTarget {
  kind: 'embedded' | 'endpoint' | 'aws';
  /** The data dir (absolute; `memory` for --memory), the endpoint URL, or the AWS region. */
  where: string;
}

/** The table a checkpoint belongs to: its name, key schema and creation time. */
export interface CheckpointTable {
  name: string;
  key: Omit<KeySchema, 'table'>;
  /** DescribeTable's CreationDateTime (ISO), when the engine gives one: a re-created table differs. */
  created?: string;
}

export interface ImportCheckpoint {
  kind: 'import';
  table: string;
  target: CheckpointTarget;
  into: CheckpointTable;
  /** The input it belongs to: path and size (a different file is refused). */
  input: { path: string; size: number };
  format: string;
  /** The options that shape the items (--format, --types: option → value, '' = not given). */
  options?: Record<string, string>;
  /** Every record before this byte offset of the (decompressed) input is written or rejected. */
  offset: number;
  /** The next record's line number. */
  line: number;
  /** Bytes of the reject file that belong to records before `offset`. */
  rejectsBytes: number;
  /** Records before `offset` written, and rejected (each counted once over every run). */
  written: number;
  rejected: number;
  updated: string;
}

export interface ExportCheckpoint {
  kind: 'export';
  table: string;
  target: CheckpointTarget;
  from: CheckpointTable;
  format: string;
  /** The options that shape the items (--filter, --project, --columns, …: option → value, '' = not given). */
  options?: Record<string, string>;
  output: string;
  /** Bytes of the output written for the pages recorded below. */
  outputBytes: number;
  items: number;
  /** How far the scan is after the pages written. */
  scan: ScanPosition;
  /** CSV: items rejected so far (not in the output), and the bytes of the reject file they took. */
  rejected?: number;
  rejectsBytes?: number;
  /** CSV: the columns of the header already written. */
  columns?: string[];
  /** CSV: the column types of the rows already written (given, or each column's first value's). */
  columnTypes?: Record<string, string>;
  updated: string;
}

export type Checkpoint = ImportCheckpoint | ExportCheckpoint;

export function writeCheckpoint(path: string, cp: Checkpoint): void {
  const tmp = `${path}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(cp));
    renameSync(tmp, path);
  } catch (e) {
    // A full disk, say: the checkpoint written before (if any) stays as it was, and no half of
    // this one is left beside it.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Not a file of ours (a folder by that name): left as it is.
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new DdbError('output.write', {
      message: `cannot write the checkpoint ${path}: ${code === 'ENOSPC' ? 'no space left on device' : (e as Error).message}${code ? ` (${code})` : ''}`,
      cause: e,
    });
  }
}

export function readCheckpoint<K extends Checkpoint['kind']>(
  path: string,
  kind: K,
): Extract<Checkpoint, { kind: K }> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let cp: Checkpoint;
  try {
    cp = JSON.parse(text) as Checkpoint;
    if (cp === null || typeof cp !== 'object' || (cp.kind !== 'import' && cp.kind !== 'export')) {
      throw new Error('it is not a checkpoint of ddbctl');
    }
  } catch (e) {
    // NOTE: a file of the user's own given as --checkpoint: never "delete it" alone.
    throw new DdbError('input.file', {
      message: `checkpoint ${path} is not usable (${(e as Error).message.replace(/\n/g, '\\n')}): give --checkpoint a path of its own (the run writes its checkpoint there), or delete the file if a stopped run of ddbctl left it`,
    });
  }
  try {
    if (cp.kind !== kind) throw new Error(`it is an ${cp.kind} checkpoint`);
    if (!cp.target || !(cp.kind === 'import' ? cp.into : cp.from)) {
      throw new Error('it does not record its target and table (an older ddbctl wrote it)');
    }
    return cp as Extract<Checkpoint, { kind: K }>;
  } catch (e) {
    throw new DdbError('input.file', {
      message: `checkpoint ${path} is not usable (${(e as Error).message}); delete it to start over`,
    });
  }
}

/**
 * The table as a checkpoint records it, its key schema, and the DescribeTable answer it came from
 * (`description`: an export sizes its segments from it, without another round trip).
 */
export async function readCheckpointTable(
  clients: Clients,
  table: string,
): Promise<{ table: CheckpointTable; schema: KeySchema; description: TableDescription }> {
  const [schema, d] = await Promise.all([getKeySchema(clients, table), describeTable(clients, table)]);
  const { table: _, ...key } = schema;
  return {
    table: { name: table, key, ...(d.CreationDateTime ? { created: d.CreationDateTime.toISOString() } : {}) },
    schema,
    description: d,
  };
}

/** "the embedded engine (data dir /x)", "endpoint http://…", "AWS eu-west-1". */
export function describeCheckpointTarget(t: CheckpointTarget): string {
  if (t.kind === 'embedded')
    return t.where === 'memory'
      ? 'the embedded engine in memory'
      : `the embedded engine (data dir ${t.where})`;
  return t.kind === 'endpoint' ? `endpoint ${t.where}` : `AWS ${t.where}`;
}

function describeKey(k: CheckpointTable['key']): string {
  return [k.partitionKey, k.sortKey]
    .filter((a) => a !== undefined)
    .map((a) => `${a.name}:${a.type}`)
    .join(', ');
}

/**
 * The same place, however written: a data dir by its real path (a symlink to it, or the folder
 * itself), an endpoint by its URL's origin and path (`http://h:8000/` is `http://h:8000`).
 */
function sameWhere(a: CheckpointTarget, b: CheckpointTarget): boolean {
  if (a.where === b.where) return true;
  if (a.kind === 'embedded') return realOrSame(a.where) === realOrSame(b.where);
  if (a.kind === 'endpoint') return urlKey(a.where) === urlKey(b.where);
  return false;
}

/** An absolute path's canonical path (symlinks followed), or the text itself: `memory` (no data dir). */
const realOrSame = (path: string): string => (isAbsolute(path) ? canonicalPath(path) : path);

/** An endpoint URL's origin and path without a trailing slash, or the text itself if no URL. */
function urlKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return url;
  }
}

/**
 * Why a checkpoint made for `was` cannot be resumed on `now` (which of target, table, key
 * schema or table creation differs), or undefined when it is the same table.
 */
export function checkpointMismatch(
  was: { target: CheckpointTarget; table: CheckpointTable },
  now: { target: CheckpointTarget; table: CheckpointTable },
): string | undefined {
  const a = was.target;
  const b = now.target;
  if (a.kind !== b.kind || !sameWhere(a, b)) {
    return `it was made on ${describeCheckpointTarget(a)}, and this run's target is ${describeCheckpointTarget(b)}`;
  }
  if (was.table.name !== now.table.name) {
    return `it was made for table ${was.table.name}, not ${now.table.name}`;
  }
  if (describeKey(was.table.key) !== describeKey(now.table.key)) {
    return `table ${now.table.name} has the key ${describeKey(now.table.key)} now, and had ${describeKey(was.table.key)} then`;
  }
  if (was.table.created && now.table.created && was.table.created !== now.table.created) {
    return `table ${now.table.name} was created again (at ${now.table.created}) since then`;
  }
  return undefined;
}

/**
 * Hold the run lock of the checkpoint at `path` (`<path>.lock`, holding this process's pid and
 * host) until the returned release is called: two runs of one checkpoint would write it over each
 * other, and the second would resume a position the first is still moving. A lock whose process is
 * gone (kill -9, a crash) is taken over. Throws transfer.busy when a live process holds it.
 * NOTE: only runs on one host are told apart; a lock from another host (a shared disk) counts as held.
 */
export function lockCheckpoint(
  path: string,
  what: string,
  clock: Clock = systemClock,
  /** The message when a live run holds it (default: that run has this checkpoint). */
  busy?: (holder: string, lock: string) => string,
): () => void {
  const lock = `${path}.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname() });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, mine, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(e, lock, what);
      const holder = lockHolder(lock, clock);
      if (holder?.alive) {
        const who = `pid ${holder.pid || 'not written yet'}${holder.host === hostname() ? '' : ` on ${holder.host}`}`;
        throw new DdbError('transfer.busy', {
          message: busy
            ? busy(who, lock)
            : `another ${what} (${who}) is running with the checkpoint ${path}: wait for it to end, or stop it (Ctrl-C), then run this again (a run to another target or table can have its own --checkpoint FILE); if no such run exists, delete ${lock}`,
        });
      }
      rmSync(lock, { force: true });
    }
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    // NOTE: only our own lock: one taken over after ours was removed by hand stays.
    try {
      if (readFileSync(lock, 'utf8') === mine) rmSync(lock, { force: true });
    } catch {
      // gone already
    }
  };
}

/** Who holds a lock file, and whether that process is alive (on this host). */
function lockHolder(lock: string, clock: Clock): { pid: number; host: string; alive: boolean } | undefined {
  let held: { pid?: unknown; host?: unknown } = {};
  try {
    held = JSON.parse(readFileSync(lock, 'utf8')) as typeof held;
  } catch {
    // unreadable below
  }
  if (typeof held.pid !== 'number' || typeof held.host !== 'string') {
    // NOTE: empty or cut short: a run taking it this instant (held), or one that crashed while
    // taking it (taken over once it is a few seconds old).
    let age = Number.POSITIVE_INFINITY;
    try {
      age = clock.now() - statSync(lock).mtimeMs;
    } catch {
      // gone: taken over
    }
    return age < 5000 ? { pid: 0, host: hostname(), alive: true } : undefined;
  }
  if (held.host !== hostname()) return { pid: held.pid, host: held.host, alive: true };
  try {
    process.kill(held.pid, 0);
    return { pid: held.pid, host: held.host, alive: true };
  } catch (e) {
    // EPERM: a process of another user has that pid, alive.
    return { pid: held.pid, host: held.host, alive: (e as NodeJS.ErrnoException).code === 'EPERM' };
  }
}

function lockError(e: unknown, lock: string, what: string): DdbError {
  const code = (e as NodeJS.ErrnoException).code;
  // Its folder refuses the file (not there, read-only, not a folder): no run holds it, so no
  // "delete it" (`export T /proc/version` said so of a file that could not be made at all).
  if (code !== 'EEXIST') {
    return new DdbError('input.file', {
      message: `cannot make the lock file ${lock} of this ${what} (${(e as Error).message}): a run writes its lock and checkpoint beside its file (or its --checkpoint FILE); give a file in a folder you can write to`,
      cause: e,
    });
  }
  return new DdbError('transfer.busy', {
    message: `cannot take the lock ${lock} of this ${what} (${(e as Error).message}); if no other run holds it, delete it`,
    cause: e,
  });
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.tmp`, { force: true });
}

/** A checkpoint as a run builds it from its position: everything but the time it is saved at. */
export type CheckpointBody = Omit<ImportCheckpoint, 'updated'> | Omit<ExportCheckpoint, 'updated'>;

export interface CheckpointSaver<P> {
  /**
   * Save the checkpoint of position `p` (stamped with the clock's time), unless the run cannot be
   * resumed, there is no position yet, or it passed nothing and none was saved before.
   */
  save(p: P | undefined): void;
  /** The same, unless one was saved less than `everyMs` ago (the stop paths call `save`). */
  saveDue(p: P | undefined): void;
  /** A checkpoint of this run is on disk: saved by it, or the one it resumed. */
  readonly saved: boolean;
}

/**
 * When a run's checkpoint is written to `path`: never on a run that cannot be resumed (stdin,
 * stdout, the in-memory engine); only once the position passed a record, so a run that fails
 * before (a bad header, --types naming no column) leaves nothing behind to --resume; and, while
 * the run goes, at most once every `everyMs` (default 500: a million pages are not a million
 * file writes; a kill -9 resumes from an earlier one).
 */
export function checkpointSaver<P>(
  path: string,
  opts: {
    /** Checkpoints are written at all. */
    resumable: boolean;
    /** The run resumes the checkpoint at `path` (it is saved already). */
    resumed: boolean;
    /** The checkpoint of position `p`. */
    checkpoint: (p: P) => CheckpointBody;
    /** Position `p` passed at least one record. Default: every position does. */
    passed?: (p: P) => boolean;
    everyMs?: number;
    clock?: Clock;
  },
): CheckpointSaver<P> {
  const clock = opts.clock ?? systemClock;
  const due = every(clock, opts.everyMs ?? 500);
  let saved = opts.resumed;
  const save = (p: P | undefined) => {
    if (!opts.resumable || p === undefined || (!saved && opts.passed && !opts.passed(p))) return;
    writeCheckpoint(path, { ...opts.checkpoint(p), updated: isoTime(clock) });
    saved = true;
  };
  return {
    save,
    saveDue: (p) => {
      if (due()) save(p);
    },
    get saved() {
      return saved;
    },
  };
}
