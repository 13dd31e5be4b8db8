/**
 * The engine and its store, started for startEngine (index.ts): on the caller's thread, or on a
 * thread of its own (thread.ts) when asked and possible.
 */
import type { DdbEngine } from './engine.js';
import type { EngineOptions } from './index.js';
import { type EngineRequestHandler, inProcessHandler } from './inProcess.js';
import { type StartSettings, startHere } from './start.js';
import { storeDir } from './store/index.js';

/** The engine and its store, running: on this thread (`engine` there) or on one of its own (no `engine`). */
export interface Running {
  engine?: DdbEngine;
  /** Why the engine runs on the caller's thread although a thread of its own was asked for. */
  threadRefused?: string;
  requestHandler: EngineRequestHandler;
  /** Let phases end, stop the engine's work between requests, close the store. */
  shutdown(): Promise<void>;
}

/**
 * Open the store and start the engine on it: on a thread of its own when `opts.thread` names the
 * thread's script and `ownThread` allows it (no HTTP door, which answers on this thread; no clock
 * of the caller's, which cannot cross threads), else on this thread.
 */
export async function runEngine(
  opts: EngineOptions,
  dir: string | null,
  ownThread: boolean,
): Promise<Running> {
  const settings: StartSettings = {
    storeDir: dir === null ? null : storeDir(dir),
    transitionMs: opts.transitionMs ?? 500,
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.ttlSweepMs !== undefined ? { ttlSweepMs: opts.ttlSweepMs } : {}),
    ...(opts.salvage ? { salvage: true } : {}),
  };
  let threadRefused: string | undefined;
  if (opts.thread && ownThread && !opts.clock) {
    // NOTE: loaded only when used: a short command on this thread never loads worker_threads.
    const { startEngineThread, ThreadStartError } = await import('./thread.js');
    try {
      const thread = await startEngineThread(opts.thread, settings, opts.onWarning);
      return { requestHandler: thread.requestHandler, shutdown: thread.close };
    } catch (e) {
      // The store's own refusal is the command's; a thread that did not start leaves the engine here.
      if (!(e instanceof ThreadStartError)) throw e;
      threadRefused = e.message;
    }
  }
  const { engine, shutdown } = startHere(settings, {
    ...(opts.onWarning ? { onWarning: opts.onWarning } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    engine,
    ...(threadRefused ? { threadRefused } : {}),
    requestHandler: inProcessHandler(engine),
    shutdown,
  };
}
