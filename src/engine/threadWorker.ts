/**
 * The worker thread of engine/thread.ts: the engine and its store on a thread of their own. It
 * opens the store, answers each request the main thread hands on (the body as it came, the answer
 * as UTF-8 bytes handed back), tells the store's warnings, and closes the store when asked; then
 * its port closes and the thread ends. The build bundles it into dist/cli/engineThread.cjs.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { DdbError } from '../core/errors.js';
import { type Started, type StartSettings, startHere } from './start.js';

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
  const send = (m: ThreadMessage, moved: ArrayBuffer[] = []) => port.postMessage(m, moved);
  const onWarning = (warning: string) => send({ warning });
  let started: Started | undefined;
  try {
    started = startHere(workerData as StartSettings, { onWarning });
  } catch (e) {
    send({ startFailed: threadError(e) });
    port.close();
  }
  if (started) serve(port, started, send);
}

/** Answer the main thread's requests on `started` until it asks for the close. */
function serve(
  port: MessagePort,
  { engine, shutdown }: Started,
  send: (m: ThreadMessage, moved?: ArrayBuffer[]) => void,
) {
  port.on('message', async (m: ThreadRequest) => {
    if ('close' in m) {
      let error: ThreadError | undefined;
      try {
        await shutdown();
      } catch (e) {
        error = threadError(e);
      }
      send({ id: m.id, closed: true, ...(error ? { error } : {}) });
      port.close();
      return;
    }
    const a = await engine.handle(m.target, m.body);
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
