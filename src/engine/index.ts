/**
 * The embedded engine boundary: the only module that imports dynalite. It starts the engine
 * in-process on loopback and hands back an endpoint; everything else reaches it over HTTP like
 * any other endpoint.
 *
 * One data dir is used by one engine at a time (LevelDB holds a lock). `engine.json` in the data
 * dir records who holds it: a `ddbctl serve` is shared (other commands use its endpoint); a short
 * command is waited for, then the next command takes the data dir over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { DdbError } from '../core/errors.js';
import { type Clock, systemClock } from '../core/util/clock.js';

export interface EngineOptions {
  /** Where LevelDB keeps the data; `null` keeps nothing (in memory). */
  dataDir: string | null;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1: the engine is never reachable from other hosts unless asked. */
  host?: string;
  /** `serve`: a long-lived engine other processes may use (recorded as such in engine.json). */
  serve?: boolean;
  /** How long to wait for another command that holds the data dir. Default 60 s. */
  lockTimeoutMs?: number;
  /** Told once when this process has to wait for another one. */
  onWait?: (message: string) => void;
  /** Time the engine keeps tables in CREATING / DELETING / UPDATING (ms). Default 500, as dynalite. */
  transitionMs?: number;
  clock?: Clock;
}

export interface Engine {
  endpoint: string;
  /** True when this process uses a `ddbctl serve` of another process instead of its own engine. */
  shared: boolean;
  /** The pid serving the endpoint. */
  pid: number;
  close(): Promise<void>;
}

interface Holder {
  pid: number;
  endpoint?: string;
  serve?: boolean;
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function reachable(endpoint: string): Promise<boolean> {
  const u = new URL(endpoint);
  // NOTE: URL keeps an IPv6 literal's brackets in `hostname` ("[::1]"); net.connect wants the bare
  // address, and with the brackets it looks the name up, fails, and the serve looks unreachable.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((res) => {
    const s = connect({ host, port: Number(u.port) }, () => {
      s.destroy();
      res(true);
    });
    s.on('error', () => res(false));
    s.setTimeout(1000, () => {
      s.destroy();
      res(false);
    });
  });
}

/** Try to create the holder file exclusively; true when this process now holds the data dir. */
function tryClaim(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    writeFileSync(fd, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }));
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DdbError('engine.start', {
      message: `cannot use data dir ${file}: ${(e as Error).message}; pass --data-dir to a writable folder or --memory`,
      cause: e,
    });
  }
}

async function claimDataDir(
  dir: string,
  opts: EngineOptions,
): Promise<{ shared: Engine } | { claimed: true }> {
  const clock = opts.clock ?? systemClock;
  const file = join(dir, HOLDER_FILE);
  const deadline = clock.now() + (opts.lockTimeoutMs ?? 60_000);
  let told = false;
  for (;;) {
    if (tryClaim(file)) return { claimed: true };
    const h = readHolder(file);
    if (h && h.pid !== process.pid && alive(h.pid)) {
      if (h.serve && h.endpoint && (await reachable(h.endpoint))) {
        if (opts.serve) {
          throw new DdbError('engine.locked', {
            message: `data dir ${dir} is already served by ddbctl serve (pid ${h.pid}) at ${h.endpoint}; use that endpoint or stop it first`,
          });
        }
        return { shared: { endpoint: h.endpoint, shared: true, pid: h.pid, close: async () => {} } };
      }
      if (clock.now() > deadline) {
        throw new DdbError('engine.locked', {
          message: `data dir ${dir} has been in use by another ddbctl (pid ${h.pid}) for too long; wait for it to finish, or pass --memory or another --data-dir`,
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
    // Stale: its process is gone (LevelDB's own lock died with it). Remove and claim again.
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

/** Start (or join a served) embedded engine. */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  // `[::1]` as in a URL is accepted too: listen() wants the bare address.
  const host = (opts.host ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  let holderFile: string | undefined;
  let path: string | undefined;
  if (opts.dataDir !== null) {
    const dir = resolve(opts.dataDir);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new DdbError('engine.start', {
        message: `cannot create data dir ${dir}: ${(e as Error).message}; pass --data-dir to a writable folder or --memory`,
        cause: e,
      });
    }
    const claim = await claimDataDir(dir, opts);
    if ('shared' in claim) return claim.shared;
    holderFile = join(dir, HOLDER_FILE);
    path = join(dir, 'db');
  }
  const ms = opts.transitionMs ?? 500;
  // Loaded here, not at the top: a command that never starts the engine never loads it (nor does
  // the bundled binary, which keeps dynalite outside: scripts/build.mjs).
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({
    ...(path ? { path } : {}),
    createTableMs: ms,
    deleteTableMs: ms,
    updateTableMs: ms,
  });
  // NOTE: dynalite finishes CREATING/DELETING/UPDATING on a timer; a process that closes the
  // engine before it fires leaves the table half-made in the data dir. Remember the last such
  // request and let its transition finish before closing.
  let lastTransition = 0;
  // NOTE: a request whose client went away (Ctrl-C aborts the calls in flight) is still being
  // handled; closing the database under it makes dynalite throw "Database is closed" out of the
  // process. Count the requests until dynalite answers them, and let them finish before closing.
  let handling = 0;
  let idle: (() => void) | undefined;
  server.on('request', (req, res) => {
    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (op === 'CreateTable' || op === 'DeleteTable' || op === 'UpdateTable') lastTransition = Date.now();
    handling++;
    const end = res.end;
    res.end = function (this: typeof res, ...args: unknown[]) {
      res.end = end;
      if (--handling === 0) idle?.();
      return (end as (...a: unknown[]) => typeof res).apply(this, args);
    } as typeof res.end;
  });
  let bound: { port: number; urlHost: string };
  try {
    bound = await listen(server, opts.port ?? 0, host);
  } catch (e) {
    if (holderFile) unlinkSync(holderFile);
    throw new DdbError('engine.start', {
      message: `cannot listen on ${host}:${opts.port ?? 0}: ${(e as Error).message}; pick another --port`,
      cause: e,
    });
  }
  const endpoint = `http://${bound.urlHost}:${bound.port}`;
  if (holderFile) {
    const h: Holder = { pid: process.pid, endpoint, serve: !!opts.serve, started: new Date().toISOString() };
    writeFileSync(holderFile, JSON.stringify(h));
  }
  let closed = false;
  return {
    endpoint,
    shared: false,
    pid: process.pid,
    close: async () => {
      const settle = lastTransition + ms + 100 - Date.now();
      if (settle > 0) await new Promise((r) => setTimeout(r, settle));
      if (handling > 0) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, 10_000);
          idle = () => {
            clearTimeout(t);
            r();
          };
        });
      }
      return new Promise<void>((res) => {
        if (closed) return res();
        closed = true;
        server.close(() => {
          if (holderFile && readHolder(holderFile)?.pid === process.pid) {
            try {
              unlinkSync(holderFile);
            } catch {}
          }
          res();
        });
      });
    },
  };
}
