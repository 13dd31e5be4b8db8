/**
 * The embedded engine boundary: starts ddbctl's own engine (engine.ts) on a store and opens its
 * doors: the in-process one (an SDK requestHandler: ddbctl's own commands, no socket) always, the
 * HTTP one on loopback for `serve` or when an endpoint is asked for.
 *
 * One data dir is used by one engine at a time. `engine.json` in the data dir records who holds
 * it: a `ddbctl serve`, `tail` or `ui` is shared (other commands use its endpoint); a short command
 * is waited for, then the next command takes the data dir over. A command joined to another's
 * engine takes the data dir over when that one stops (handoff.ts). engine.json whose process is
 * gone, or is another process now (pid reuse), is stale; a holder that is stopped is said so.
 */
import { closeSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { DdbError } from '../core/errors.js';
import { type Clock, systemClock } from '../core/util/clock.js';
import { hostInUrl, listenError } from '../core/util/listen.js';
import { makeDirs } from '../core/util/paths.js';
import { handoff, stoppedHolder } from './handoff.js';
import { createEngineServer, isLocalHost } from './http.js';
import type { EngineRequestHandler } from './inProcess.js';
import { startedAt, stopped } from './proc.js';
import { type Running, runEngine } from './run.js';
import { legacyDataDir } from './store/index.js';
import { diskFull, writeFix } from './store/open.js';

export interface EngineOptions {
  /** Where the engine keeps its data; `null` keeps nothing (in memory). */
  dataDir: string | null;
  /**
   * Open the HTTP door too (an `endpoint` other processes and tools can use). Implied by `serve`.
   * Default false: ddbctl's own commands use `requestHandler`, in-process.
   */
  http?: boolean;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1: the engine is never reachable from other hosts unless asked. */
  host?: string;
  /** `serve`: a long-lived engine other processes may use (recorded as such in engine.json). */
  serve?: boolean;
  /**
   * A long-running command (`tail`, `ui`): open the HTTP door on loopback and record this engine as
   * served, so that other commands on the data dir use it meanwhile instead of waiting for it to
   * end; a `ddbctl serve` already there is joined, as any command joins it.
   */
  shareable?: boolean;
  /**
   * What the holder of a shareable engine is (`ui`, `tail`), recorded in engine.json so that the
   * commands using it name it when it stops. Default `serve`.
   */
  holder?: string;
  /**
   * A command joined to another's engine: told when that engine stopped and this command took the
   * data dir over (or joined the command that did).
   */
  onHandoff?: (message: string) => void;
  /** How long to wait for another command that holds the data dir. Default 60 s. */
  lockTimeoutMs?: number;
  /** The caller's stop (Ctrl-C): waiting for that command ends with operation.aborted, nothing done. */
  stop?: AbortSignal;
  /** Told once when this process has to wait for another one. */
  onWait?: (message: string) => void;
  /** Told about a problem the store survived (a torn log tail dropped on start, a failed snapshot). */
  onWarning?: (message: string) => void;
  /**
   * Open a data dir whose last log is damaged in its middle by starting from the commits before
   * the damage (the log as it was is copied aside first), instead of refusing. Default false.
   */
  salvage?: boolean;
  /** Time the engine keeps tables in CREATING / DELETING / UPDATING (ms). Default 500, as dynalite's. */
  transitionMs?: number;
  /**
   * The script of the engine's own thread (the build's dist/cli/engineThread.cjs): the engine runs
   * there, beside the caller's work instead of on its thread, unless it opens the HTTP door or is
   * given a `clock`. For a command that keeps its own thread busy (an import); the thread costs a
   * few tens of ms to start.
   */
  thread?: string;
  /** Region written into ARNs. Default us-east-1. */
  region?: string;
  /** How often TTL's sweep deletes expired items (ms). Default 5000; 0 turns it off. */
  ttlSweepMs?: number;
  clock?: Clock;
  /** What is known of another process (tests): default Linux's /proc (nothing elsewhere). */
  proc?: ProcessInfo;
  /**
   * Start beside the previous engine's tables (`<dataDir>/db`), which are otherwise refused: only
   * for `openLegacyMigration` (migrate.ts), which copies them into this engine and then moves them aside.
   */
  besideLegacy?: boolean;
}

export interface Engine {
  /** The HTTP endpoint: when the HTTP door is open, or when a `ddbctl serve` of another process is shared. */
  endpoint?: string;
  /**
   * An AWS SDK `requestHandler` that reaches the engine in this process without a socket; for a
   * command joined to another's engine, one that forwards to it over loopback and takes the data
   * dir over when it stops (handoff.ts). Absent only for a `ddbctl serve` of another process
   * joined by a caller of startEngine that is not ddbctl's (never, today): use `endpoint` then.
   */
  requestHandler?: EngineRequestHandler;
  /** True when this process uses the engine of another process (a serve, tail or ui) instead of its own. */
  shared: boolean;
  /** True when the engine runs on a thread of its own (EngineOptions.thread). */
  threaded?: boolean;
  /** Why the engine runs on the caller's thread although EngineOptions.thread asked for one of its own. */
  threadRefused?: string;
  /** The pid serving the endpoint. */
  pid: number;
  /** When `shared`: what the process holding the engine is (`serve`, `ui`, `tail`). */
  holder?: string;
  close(): Promise<void>;
}

export interface ProcessInfo {
  /** When `pid` started (ms since the epoch); undefined: not known. */
  startedAt(pid: number): number | undefined;
  /** Whether `pid` is stopped (Ctrl-Z, SIGSTOP); undefined: not known. */
  stopped(pid: number): boolean | undefined;
}

interface Holder {
  pid: number;
  endpoint?: string;
  serve?: boolean;
  /** The command holding a served engine: serve, ui, tail (absent: serve, as ddbctl wrote it before). */
  kind?: string;
  started?: string;
}

const HOLDER_FILE = 'engine.json';

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

/** Whether process `pid` is alive (one of another user counts). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a door answers at `endpoint`: connected, refused (nobody listens), or not known (timeout). */
function reachable(endpoint: string): Promise<boolean | 'refused'> {
  const u = new URL(endpoint);
  // NOTE: URL keeps an IPv6 literal's brackets in `hostname` ("[::1]"); net.connect wants the bare
  // address, and with the brackets it looks the name up, fails, and the serve looks unreachable.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((res) => {
    const s = connect({ host, port: Number(u.port) }, () => {
      s.destroy();
      res(true);
    });
    s.on('error', (e: NodeJS.ErrnoException) => res(e.code === 'ECONNREFUSED' ? 'refused' : false));
    s.setTimeout(1000, () => {
      s.destroy();
      res(false);
    });
  });
}

/**
 * Whether engine.json's process is not the one that wrote it: the pid was given to a process
 * started after the file was written (after kill -9, a reboot, a container's restart). Only where
 * the start time is known (Linux); the 2 s cover its precision (a second) and clock steps.
 */
function notItsWriter(h: Holder, proc: ProcessInfo): boolean {
  const written = h.started === undefined ? Number.NaN : Date.parse(h.started);
  const began = proc.startedAt(h.pid);
  return began !== undefined && Number.isFinite(written) && began > written + 2000;
}

/** Try to create the holder file exclusively; true when this process now holds the data dir. */
function tryClaim(file: string): boolean {
  let made = false;
  try {
    const fd = openSync(file, 'wx');
    made = true;
    try {
      writeFileSync(fd, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }));
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Made but not written (a full disk): not left behind as an empty holder.
    if (made) rmSync(file, { force: true });
    throw new DdbError('engine.start', {
      message: `cannot use data dir ${dirname(file)} (its ${HOLDER_FILE} cannot be made): ${(e as Error).message}${
        diskFull(code) ? writeFix(code, dirname(file)) : '; pass --data-dir to a writable folder or --memory'
      }`,
      cause: e,
    });
  }
}

async function claimDataDir(
  dir: string,
  opts: EngineOptions,
): Promise<{ shared: Engine } | { claimed: true }> {
  const clock = opts.clock ?? systemClock;
  const proc = opts.proc ?? { startedAt, stopped };
  const file = join(dir, HOLDER_FILE);
  const deadline = clock.now() + (opts.lockTimeoutMs ?? 60_000);
  let told = false;
  for (;;) {
    if (tryClaim(file)) return { claimed: true };
    const h = readHolder(file);
    if (h && h.pid !== process.pid && alive(h.pid) && !notItsWriter(h, proc)) {
      // NOTE: a stopped process's door still accepts connections (the kernel queues them), and
      // then never answers: say so now rather than wait on it.
      if (proc.stopped(h.pid)) {
        throw new DdbError('engine.locked', {
          message: stoppedHolder({ holder: h.serve ? (h.kind ?? 'serve') : 'command', pid: h.pid }, dir),
        });
      }
      const door = h.serve && h.endpoint ? await reachable(h.endpoint) : false;
      // Where the start time is not known: a served holder's door is open until it writes
      // engine.json without it (as it stops), so a door refused is another process's pid.
      if (door === 'refused' && proc.startedAt(h.pid) === undefined) {
        try {
          unlinkSync(file);
        } catch {}
        continue;
      }
      if (door === true && h.endpoint) {
        if (opts.serve) {
          throw new DdbError('engine.locked', {
            message: `data dir ${dir} is already served by ddbctl ${h.kind ?? 'serve'} (pid ${h.pid}) at ${h.endpoint}; use that endpoint or stop it first`,
          });
        }
        const holder = h.kind ?? 'serve';
        return { shared: { endpoint: h.endpoint, shared: true, pid: h.pid, holder, close: async () => {} } };
      }
      if (clock.now() > deadline) {
        throw new DdbError('engine.locked', {
          message: `data dir ${dir} has been in use by another ddbctl (pid ${h.pid}) for too long; wait for it to finish, or pass --memory or another --data-dir`,
        });
      }
      if (opts.stop?.aborted) {
        throw new DdbError('operation.aborted', {
          message: `interrupted while waiting for another ddbctl (pid ${h.pid}) to finish with data dir ${dir}: nothing was done`,
        });
      }
      if (!told) opts.onWait?.(`waiting for another ddbctl (pid ${h.pid}) to finish with data dir ${dir}`);
      told = true;
      await clock.sleep(100);
      continue;
    }
    if (!h) {
      // NOTE: the holder may be mid-write (created, not yet written); give it a moment before
      // treating an empty or unreadable file as stale.
      await clock.sleep(50);
      const again = readHolder(file);
      if (again) continue;
    }
    // Stale: its process is gone, or the pid is another process's now (the store's lock died with
    // the writer). Remove and claim again.
    try {
      unlinkSync(file);
    } catch {}
  }
}

/** Listen, and say where: the port bound and the address clients on this host connect to. */
function listen(server: Server, port: number, host: string): Promise<{ port: number; urlHost: string }> {
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(port, host, () => {
      server.off('error', rej);
      const addr = server.address();
      const bound = typeof addr === 'object' && addr ? addr : { port, address: host, family: '' };
      res({ port: bound.port, urlHost: connectHost(bound.address) });
    });
  });
}

/**
 * The host part of the endpoint URL other processes use. A wildcard bind is reached through
 * loopback of its family: `::` (dual-stack on Linux, so IPv4 clients get in too) through ::1,
 * 0.0.0.0 through 127.0.0.1. An IPv6 address goes in brackets in a URL.
 */
function connectHost(address: string): string {
  if (address === '::') return '[::1]';
  if (address === '0.0.0.0') return '127.0.0.1';
  // The bound address, not a name given (localhost): a name may resolve to the other family.
  return address.includes(':') ? `[${address}]` : address;
}

/**
 * Engines of this process by data dir. NOTE: a second start on a data dir this process already
 * holds (copy-table between two tables of one data dir, a serve and a command in one test run)
 * shares that engine: two stores on one folder would write over each other.
 */
const running = new Map<string, { engine: Engine; users: number }>();

function share(entry: { engine: Engine; users: number }): Engine {
  entry.users++;
  let closed = false;
  return {
    ...entry.engine,
    close: async () => {
      if (closed) return;
      closed = true;
      if (--entry.users === 0) await entry.engine.close();
    },
  };
}

/** Start (or join a served) embedded engine. */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const dir = opts.dataDir === null ? null : resolve(opts.dataDir);
  const here = dir === null ? undefined : running.get(dir);
  if (here) {
    if (opts.serve) {
      throw new DdbError('engine.locked', {
        message: `data dir ${dir} is already open in this process; close it before serving it`,
      });
    }
    return share(here);
  }
  const engine = await startOwn(opts, dir);
  if (dir === null || engine.shared) return engine;
  const entry = { engine, users: 0 };
  running.set(dir, entry);
  const shared = share(entry);
  const close = engine.close;
  entry.engine = {
    ...engine,
    close: async () => {
      running.delete(dir);
      await close();
    },
  };
  return shared;
}

async function startOwn(opts: EngineOptions, dir: string | null): Promise<Engine> {
  // `[::1]` as in a URL is accepted too: listen() wants the bare address.
  const host = (opts.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  let holderFile: string | undefined;
  if (dir !== null) {
    try {
      makeDirs(dir);
    } catch (e) {
      throw new DdbError('engine.start', {
        message: `cannot create data dir ${dir}: ${(e as Error).message}; pass --data-dir to a writable folder or --memory`,
        cause: e,
      });
    }
    // NOTE: the previous engine's tables are never read as empty, written beside or overwritten.
    const legacy = opts.besideLegacy ? undefined : legacyDataDir(dir);
    if (legacy) throw new DdbError('engine.start', { message: legacy });
    const claim = await claimDataDir(dir, opts);
    if ('shared' in claim) {
      // A command outlives the holder it joined: it takes the data dir over then (a short one for
      // itself alone, as when it opens the data dir; a long-running one shareable).
      return handoff(claim.shared, {
        holderFile: join(dir, HOLDER_FILE),
        alive,
        ...(opts.proc ? { stopped: opts.proc.stopped } : {}),
        reopen: () => startEngine(opts),
        ...(opts.onHandoff ? { onHandoff: opts.onHandoff } : {}),
      });
    }
    holderFile = join(dir, HOLDER_FILE);
  }
  const release = () => {
    if (holderFile && readHolder(holderFile)?.pid === process.pid) {
      try {
        unlinkSync(holderFile);
      } catch {}
    }
  };
  const served = opts.http || opts.serve || opts.shareable;
  let running: Running;
  try {
    running = await runEngine(opts, dir, !served);
  } catch (e) {
    release();
    throw e;
  }
  let server: Server | undefined;
  let endpoint: string | undefined;
  if (served && running.engine) {
    // NOTE: bound to loopback, the door answers only requests sent to a local name (DNS rebinding).
    server = createEngineServer(running.engine, { localOnly: isLocalHost(host) });
    let bound: { port: number; urlHost: string };
    try {
      bound = await listen(server, opts.port ?? 0, host);
    } catch (e) {
      release();
      await running.shutdown();
      throw listenError(
        e as NodeJS.ErrnoException,
        host,
        `cannot listen on ${hostInUrl(host)}:${opts.port ?? 0}`,
      );
    }
    endpoint = `http://${bound.urlHost}:${bound.port}`;
  }
  const holderStarted = new Date().toISOString();
  if (holderFile) {
    const h: Holder = {
      pid: process.pid,
      ...(endpoint ? { endpoint } : {}),
      serve: !!(opts.serve || opts.shareable),
      ...(opts.serve || opts.shareable ? { kind: opts.serve ? 'serve' : (opts.holder ?? 'serve') } : {}),
      started: holderStarted,
    };
    writeFileSync(holderFile, JSON.stringify(h));
  }
  let closing: Promise<void> | undefined;
  return {
    ...(endpoint ? { endpoint } : {}),
    requestHandler: running.requestHandler,
    shared: false,
    // Started on a thread of its own: no engine on this thread.
    ...(running.engine ? {} : { threaded: true }),
    ...(running.threadRefused ? { threadRefused: running.threadRefused } : {}),
    pid: process.pid,
    close: () => {
      closing ??= (async () => {
        // Told first: the door closes now, but the data dir is held until the store is closed;
        // a door that refuses while engine.json names it would look like a pid's reuse.
        if (server && holderFile && readHolder(holderFile)?.pid === process.pid) {
          try {
            writeFileSync(
              holderFile,
              JSON.stringify({ pid: process.pid, started: holderStarted, closing: true }),
            );
          } catch {}
        }
        if (server) {
          const s = server;
          // Requests in flight are answered (close waits for them); idle keep-alive sockets go now.
          await new Promise<void>((res) => {
            // NOTE: a client that keeps its connection open would hold close() for ever: cut it after 2 s.
            const t = setTimeout(() => s.closeAllConnections(), 2000);
            s.close(() => {
              clearTimeout(t);
              res();
            });
            s.closeIdleConnections();
          });
        }
        await running.shutdown();
        release();
      })();
      return closing;
    },
  };
}

export { type LegacyMigration, openLegacyMigration } from './migrate.js';
