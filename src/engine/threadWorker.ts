/**
 * The worker thread of engine/thread.ts: the engine and its store on a thread of their own. It
 * opens the store, answers each request the main thread hands on (the body as it came, the answer
 * as UTF-8 bytes handed back), tells the store's warnings, and closes the store when asked; then
 * its port closes and the thread ends. The build bundles it into dist/cli/engineThread.cjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DdbError } from '../core/errors.js';
import { DdbEngine } from './engine.js';
import { openStore, type Store } from './store/index.js';

/** What the thread is started with (workerData). */
export interface ThreadSettings {
  /** The store's folder (storeDir of the data dir); null: in memory. */
  storeDir: string | null;
  transitionMs: number;
  region?: string;
  ttlSweepMs?: number;
  salvage?: boolean;
}

/** A DdbError as it crosses threads. */
export interface ThreadError {
  code?: string;
  message: string;
  details?: Record<string, unknown>;
}

export type ThreadRequest =
  | { id: number; target: string | undefined; body: string | Uint8Array }
  | { id: number; close: true };

export type ThreadMessage =
  | { ready: true }
  | { startFailed: ThreadError }
  | { warning: string }
  | { id: number; status: number; headers: Record<string, string>; body: Uint8Array; failure?: ThreadError }
  | { id: number; closed: true; error?: ThreadError };

export function threadError(e: unknown): ThreadError {
  if (!(e instanceof DdbError)) return { message: (e as Error)?.message ?? String(e) };
  let details: Record<string, unknown> | undefined;
  try {
    // NOTE: as JSON: what a message cannot carry (a function, a class's own shape) must not stop the thread.
    details = e.details ? (JSON.parse(JSON.stringify(e.details)) as Record<string, unknown>) : undefined;
  } catch {}
  return { code: e.code, message: e.message, ...(details ? { details } : {}) };
}

const encoder = new TextEncoder();

const port = parentPort;
if (port) {
  const settings = workerData as ThreadSettings;
  const send = (m: ThreadMessage, moved: ArrayBuffer[] = []) => port.postMessage(m, moved);
  const onWarning = (warning: string) => send({ warning });
  let engine: DdbEngine | undefined;
  let store: Store | undefined;
  try {
    store = openStore({
      dir: settings.storeDir,
      onWarning,
      ...(settings.salvage ? { salvage: true } : {}),
    });
    engine = new DdbEngine({
      store,
      transitionMs: settings.transitionMs,
      ...(settings.region ? { region: settings.region } : {}),
      ...(settings.ttlSweepMs !== undefined ? { ttlSweepMs: settings.ttlSweepMs } : {}),
      onWarning,
    });
  } catch (e) {
    send({ startFailed: threadError(e) });
    port.close();
  }
  if (engine && store) {
    const running = engine;
    const opened = store;
    port.on('message', async (m: ThreadRequest) => {
      if ('close' in m) {
        let error: ThreadError | undefined;
        try {
          await running.settle();
          running.stop();
          await opened.close();
        } catch (e) {
          error = threadError(e);
        }
        send({ id: m.id, closed: true, ...(error ? { error } : {}) });
        port.close();
        return;
      }
      const a = await running.handle(m.target, m.body);
      // NOTE: encoded here, not on the main thread (a Scan page is up to 1 MB), in a buffer of its own to hand over.
      const body = encoder.encode(a.body);
      send(
        {
          id: m.id,
          status: a.status,
          headers: a.headers,
          body,
          ...(a.failure ? { failure: threadError(a.failure) } : {}),
        },
        [body.buffer as ArrayBuffer],
      );
    });
    send({ ready: true });
  }
}
