// When a run saves its checkpoint, on a fake clock: no real waiting, and the time it records is the clock's.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDdbError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import {
  type CheckpointBody,
  checkpointMismatch,
  checkpointSaver,
  type ImportCheckpoint,
  lockCheckpoint,
} from './checkpoint.js';

/** A clock that moves only when told (`at`). */
function fakeClock(start = Date.UTC(2030, 0, 2, 3, 4, 5)): Clock & { at: number } {
  const c = {
    at: start,
    now: () => c.at,
    sleep: async (ms: number) => {
      c.at += ms;
    },
  };
  return c;
}

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddbctl-checkpoint-'));
  path = join(dir, 'cp.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Position {
  written: number;
  rejected: number;
}

const body = (p: Position): CheckpointBody => ({
  kind: 'import',
  table: 't',
  target: { kind: 'embedded', where: '/data' },
  into: { name: 't', key: { partitionKey: { name: 'id', type: 'S' } } },
  input: { path: '/in.ndjson', size: 100 },
  format: 'ndjson',
  offset: p.written + p.rejected,
  line: p.written + p.rejected + 1,
  rejectsBytes: 0,
  ...p,
});

/** A checkpointSaver on `path` for body(): resumable, not resumed, on a fake clock, unless `opts` say. */
const saverOf = (opts: Partial<Parameters<typeof checkpointSaver<Position>>[1]> = {}) =>
  checkpointSaver<Position>(path, {
    resumable: true,
    resumed: false,
    checkpoint: body,
    clock: fakeClock(),
    ...opts,
  });

const onDisk = () => JSON.parse(readFileSync(path, 'utf8')) as ImportCheckpoint;

describe('checkpointSaver', () => {
  it('saves at most once every everyMs of the clock while the run goes, stamped with its time', () => {
    const clock = fakeClock();
    const saver = saverOf({ clock });
    saver.saveDue({ written: 1, rejected: 0 });
    expect(onDisk()).toMatchObject({ written: 1, updated: '2030-01-02T03:04:05.000Z' });
    clock.at += 499;
    saver.saveDue({ written: 2, rejected: 0 });
    expect(onDisk().written).toBe(1);
    clock.at += 1;
    saver.saveDue({ written: 3, rejected: 0 });
    expect(onDisk()).toMatchObject({ written: 3, updated: '2030-01-02T03:04:05.500Z' });
    // A stop saves its position at once, whatever the interval.
    saver.save({ written: 4, rejected: 0 });
    expect(onDisk().written).toBe(4);
    expect(saver.saved).toBe(true);
  });

  it('the interval is the caller’s (everyMs)', () => {
    const clock = fakeClock();
    const saver = saverOf({ clock, everyMs: 10_000 });
    saver.saveDue({ written: 1, rejected: 0 });
    clock.at += 9_999;
    saver.saveDue({ written: 2, rejected: 0 });
    expect(onDisk().written).toBe(1);
    clock.at += 1;
    saver.saveDue({ written: 3, rejected: 0 });
    expect(onDisk().written).toBe(3);
  });

  it('saves nothing before the position passed a record, unless a checkpoint is there already', () => {
    const passed = (p: Position) => p.written + p.rejected > 0;
    const fresh = saverOf({ passed });
    fresh.save({ written: 0, rejected: 0 });
    fresh.save(undefined);
    expect(existsSync(path)).toBe(false);
    expect(fresh.saved).toBe(false);
    fresh.save({ written: 0, rejected: 1 });
    expect(onDisk().rejected).toBe(1);

    const resumed = saverOf({ resumed: true, passed });
    expect(resumed.saved).toBe(true);
    resumed.save({ written: 0, rejected: 0 });
    expect(onDisk().rejected).toBe(0);
  });

  it('saves nothing on a run that cannot be resumed (stdin, stdout, the in-memory engine)', () => {
    const saver = saverOf({ resumable: false });
    saver.save({ written: 5, rejected: 0 });
    saver.saveDue({ written: 6, rejected: 0 });
    expect(existsSync(path)).toBe(false);
    expect(saver.saved).toBe(false);
  });
});

describe('writeCheckpoint that cannot write', () => {
  it('is one output.write error naming the checkpoint; the one before stays, no half of this one is left', () => {
    const clock = fakeClock();
    const saver = saverOf({ clock });
    saver.save({ written: 5, rejected: 0 });
    // The next write fails (its .tmp cannot be made: a folder holds the name).
    mkdirSync(`${path}.tmp`);
    writeFileSync(join(`${path}.tmp`, 'x'), 'in the way');
    let error: unknown;
    try {
      saver.save({ written: 9, rejected: 0 });
    } catch (e) {
      error = e;
    }
    expect(isDdbError(error, 'output.write')).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot write the checkpoint ${path}: .*\\(EISDIR\\)$`),
    );
    expect(onDisk().written).toBe(5);
    expect(saver.saved).toBe(true);
  });
});

describe('lockCheckpoint: one run at a time on a checkpoint', () => {
  it('refuses a second run while the first holds it, and lets the next one in once it is released', () => {
    const release = lockCheckpoint(path, 'import of in.ndjson');
    expect(existsSync(`${path}.lock`)).toBe(true);
    let refused: unknown;
    try {
      lockCheckpoint(path, 'import of in.ndjson');
    } catch (e) {
      refused = e;
    }
    expect(isDdbError(refused, 'transfer.busy')).toBe(true);
    expect((refused as Error).message).toBe(
      `another import of in.ndjson (pid ${process.pid}) is running with the checkpoint ${path}: wait for it to end, or stop it (Ctrl-C), then run this again (a run to another target or table can have its own --checkpoint FILE); if no such run exists, delete ${path}.lock`,
    );
    release();
    release(); // twice is once
    expect(existsSync(`${path}.lock`)).toBe(false);
    lockCheckpoint(path, 'import of in.ndjson')();
  });

  it('takes over the lock of a run that is gone (kill -9, a crash) or that was left half-written', () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: gone, host: hostname() }));
    const release = lockCheckpoint(path, 'export to out.ndjson');
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toEqual({ pid: process.pid, host: hostname() });
    release();
    // Cut short: held while it is new (a run taking it this instant), taken over once old.
    writeFileSync(`${path}.lock`, '{"pi');
    expect(() => lockCheckpoint(path, 'export to out.ndjson')).toThrow(/another export to out\.ndjson/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${path}.lock`, old, old);
    lockCheckpoint(path, 'export to out.ndjson')();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('says a folder that cannot hold the lock is the problem, not another run', () => {
    const where = join(dirname(path), 'no-such-folder', 'out.ndjson.ddbctl-export.json');
    let refused: unknown;
    try {
      lockCheckpoint(where, 'export to out.ndjson');
    } catch (e) {
      refused = e;
    }
    expect(isDdbError(refused, 'input.file')).toBe(true);
    expect((refused as Error).message).toMatch(
      /^cannot make the lock file \S+no-such-folder\/out\.ndjson\.ddbctl-export\.json\.lock of this export to out\.ndjson \(ENOENT: .*\): a run writes its lock and checkpoint beside its file \(or its --checkpoint FILE\); give a file in a folder you can write to$/,
    );
  });

  it('counts a lock from another host as held (a shared disk), naming the host', () => {
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, host: 'elsewhere.example' }));
    expect(() => lockCheckpoint(path, 'import of in.ndjson')).toThrow(
      /another import of in\.ndjson \(pid 1 on elsewhere\.example\) is running/,
    );
  });
});

describe('checkpointMismatch: the same target however written', () => {
  const table = { name: 'Users', key: { table: 'Users', partitionKey: { name: 'id', type: 'S' as const } } };
  const on = (kind: 'embedded' | 'endpoint', where: string) => ({ target: { kind, where }, table });

  it('a data dir and a symlink to it, an endpoint with and without its trailing slash, are the same; others are not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-where-'));
    try {
      mkdirSync(join(dir, 'data'));
      symlinkSync(join(dir, 'data'), join(dir, 'link'));
      expect(
        checkpointMismatch(on('embedded', join(dir, 'data')), on('embedded', join(dir, 'link'))),
      ).toBeUndefined();
      expect(
        checkpointMismatch(on('embedded', join(dir, 'data')), on('embedded', join(dir, 'other'))),
      ).toMatch(/^it was made on the embedded engine \(data dir .*data\), and this run's target is/);
      // The in-memory engine is no path: a folder named "memory" in the current one is not it.
      expect(
        checkpointMismatch(on('embedded', 'memory'), on('embedded', join(process.cwd(), 'memory'))),
      ).toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(
      checkpointMismatch(on('endpoint', 'http://127.0.0.1:8000'), on('endpoint', 'http://127.0.0.1:8000/')),
    ).toBeUndefined();
    expect(
      checkpointMismatch(on('endpoint', 'http://LOCALHOST:80/'), on('endpoint', 'http://localhost')),
    ).toBeUndefined();
    expect(
      checkpointMismatch(on('endpoint', 'http://127.0.0.1:8000'), on('endpoint', 'http://127.0.0.1:8001')),
    ).toBeDefined();
  });
});
