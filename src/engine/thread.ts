/**
 * The embedded engine on a worker thread of its own (threadWorker.ts), for a command whose client
 * has as much work as the engine: an import reads, parses and sends on this thread while the
 * engine parses, checks and writes on the other core (an in-process import of 100,000 items took
 * about a quarter less time). Requests reach it through the same kind of SDK request handler as
 * the engine on this thread (inProcess.ts); each answer comes back as a message.
 *
 * The thread keeps the process alive only while it holds a request or is closing: a command that
 * forgets close() still ends. Its writes are acknowledged once the store has handed them to the
 * kernel, as on this thread, so a process killed meanwhile keeps every acknowledged write. A
 * thread that stops on its own (a bug of ours, memory) fails the requests it held and every
 * later one with one error that says so.
 */
import { Worker } from 'node:worker_threads';
import { DdbError, type DdbErrorCode } from '../core/errors.js';
import { processLimits, softLimit } from '../core/util/limits.js';
import { answeringHandler, type DoorAnswer, type EngineRequestHandler } from './inProcess.js';
import type { StartSettings } from './start.js';
import type { ThreadError, ThreadMessage, ThreadRequest } from './threadWorker.js';

export interface EngineThread {
  requestHandler: EngineRequestHandler;
  /** Let phases end, stop the engine, close the store; then the thread ends. */
  close(): Promise<void>;
}

function fromThread(e: ThreadError): Error {
  return e.code
    ? new DdbError(e.code as DdbErrorCode, {
        message: e.message,
        ...(e.details ? { details: e.details } : {}),
      })
    : new Error(e.message);
}

/** What a request after close() is refused with. */
const CLOSED = () => new DdbError('internal', { message: "the embedded engine's thread is closed" });

/** The thread itself could not start (its script, its memory): the engine can run on the caller's thread instead. */
export class ThreadStartError extends Error {
  override readonly name = 'ThreadStartError';
}

/**
 * Start the engine on a thread running `file` (the bundled threadWorker.ts); resolves once its store
 * is open, rejects with the store's own error when it cannot be opened (a DdbError, as on the
 * caller's thread) and with a ThreadStartError when the thread itself did not start.
 */
export function startEngineThread(
  file: string,
  settings: StartSettings,
  onWarning: (message: string) => void = () => {},
): Promise<EngineThread> {
  // NOTE: under a limit on the address space (`ulimit -v`) a second V8 may find no room for its
  // code (1–1.5 GB failed here): V8 then ends the whole process at once, which no handler sees.
  const space = softLimit(processLimits(), 'Max address space');
  if (typeof space === 'number')
    return Promise.reject(new ThreadStartError(`the address space is limited (ulimit -v ${space / 1024})`));
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: settings });
  } catch (e) {
    // Thrown at once by a limit of processes or threads (EAGAIN).
    return Promise.reject(
      new ThreadStartError(`the embedded engine's thread did not start: ${(e as Error).message}`),
    );
  }
  const waiting = new Map<number, { resolve: (m: ThreadMessage) => void; reject: (e: Error) => void }>();
  let next = 0;
  let gone: Error | undefined;
  let closing: Promise<void> | undefined;
  const stopped = (why: string) => {
    gone ??= new DdbError('internal', {
      message: `the embedded engine's thread stopped (${why}); the writes it acknowledged are in the data dir: run the command again`,
    });
    for (const w of waiting.values()) w.reject(gone);
    waiting.clear();
  };
  const ask = (m: Omit<ThreadRequest, 'id'>, moved: ArrayBuffer[] = []) =>
    new Promise<ThreadMessage>((resolve, reject) => {
      if (gone) return reject(gone);
      const id = next++;
      if (waiting.size === 0) worker.ref();
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...m, id } as ThreadRequest, moved);
    });
  return new Promise<EngineThread>((started, failed) => {
    worker.on('message', (m: ThreadMessage) => {
      if ('warning' in m) return onWarning(m.warning);
      if ('ready' in m) {
        worker.unref();
        return started(thread);
      }
      if ('startFailed' in m) return failed(fromThread(m.startFailed));
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      if (waiting.size === 0) worker.unref();
      w.resolve(m);
    });
    // NOTE: after `ready` or `startFailed` the promise is settled and these reject nothing more.
    worker.on('error', (e) => {
      stopped(e.message);
      failed(new ThreadStartError(`the embedded engine's thread did not start: ${e.message}`));
    });
    worker.on('exit', (code) => {
      // A thread closed as asked ends with its port; any other end fails what it still held. A
      // request after the end is refused at once, never left waiting on a thread that is gone.
      if (!closing || waiting.size > 0) stopped(`exit code ${code}`);
      else gone ??= CLOSED();
      failed(
        new ThreadStartError(`the embedded engine's thread ended before it started (exit code ${code})`),
      );
    });
    const thread: EngineThread = {
      requestHandler: answeringHandler(async (target, body): Promise<DoorAnswer> => {
        // NOTE: the bytes of the body alone, handed over: a view may lie in a larger buffer (the pool's).
        const own = typeof body === 'string' ? body : new Uint8Array(body);
        const a = (await ask(
          { target, body: own },
          typeof own === 'string' ? [] : [own.buffer as ArrayBuffer],
        )) as Extract<ThreadMessage, { status: number }>;
        return {
          status: a.status,
          headers: a.headers,
          body: a.body,
          ...(a.failure ? { failure: fromThread(a.failure) } : {}),
        };
      }),
      close: () => {
        closing ??= (async () => {
          if (gone) return;
          const m = (await ask({ close: true })) as Extract<ThreadMessage, { closed: true }>;
          gone ??= CLOSED();
          if (m.error) throw fromThread(m.error);
        })();
        return closing;
      },
    };
  });
}
