/**
 * An export's Scan pages turned into plain JSON text on a worker thread (transcodeWorker.ts), while
 * this thread goes on with the next calls (and, on the embedded engine, with the engine's own work):
 * on two cores an in-process export spent about two fifths of its time in that one step.
 *
 * The pages sent while the worker starts (about 50 ms) wait for it; after it fails or stops, the
 * pages it held and every page after are turned into text here: the worker only ever makes an
 * export sooner, never different and never failed (an error in a page is the same error from
 * either thread).
 */
import { Worker } from 'node:worker_threads';
import { DdbError, type DdbErrorCode } from '../core/errors.js';
import { readWireBody, type Transcode, type WireBodyText } from '../core/wire/wireText.js';
import { besideProgram } from './built.js';
import type { TranscodeAnswer, TranscodeRequest } from './transcodeWorker.js';

export interface Transcoder {
  transcode: Transcode;
  /** Pages sent to the worker so far (the others were turned into text on this thread). */
  readonly sent: number;
  /** Stop the worker. */
  close(): Promise<void>;
}

/** The worker's script: dist/cli/transcodeWorker.cjs, beside the program; undefined when there is none. */
export function transcodeWorkerFile(): string | undefined {
  return besideProgram('transcodeWorker.cjs');
}

interface Waiting {
  body: Uint8Array;
  between: string;
  after: string;
  resolve: (t: WireBodyText) => void;
  reject: (e: unknown) => void;
}

/** A transcoder whose worker runs `file`; undefined when no worker can be started. */
export function startTranscoder(file: string | undefined = transcodeWorkerFile()): Transcoder | undefined {
  if (!file) return undefined;
  let worker: Worker;
  try {
    worker = new Worker(file);
  } catch {
    return undefined;
  }
  let gone = false;
  let sent = 0;
  let next = 0;
  const waiting = new Map<number, Waiting>();
  /** Pages the worker took and can no longer answer: turned into text here. */
  const takeBack = () => {
    gone = true;
    for (const w of waiting.values()) here(w);
    waiting.clear();
  };
  const here = (w: Waiting) => {
    try {
      w.resolve(readWireBody(w.body, w.between, w.after));
    } catch (e) {
      w.reject(e);
    }
  };
  worker.on('message', (m: TranscodeAnswer) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (waiting.size === 0) worker.unref();
    if ('error' in m) {
      w.reject(
        m.error.code
          ? new DdbError(m.error.code as DdbErrorCode, { message: m.error.message })
          : new Error(m.error.message),
      );
    } else {
      const text = Buffer.from(m.text.buffer, m.text.byteOffset, m.text.byteLength);
      w.resolve({ text, items: m.items, rest: m.rest });
    }
  });
  worker.on('error', takeBack);
  worker.on('exit', takeBack);
  // NOTE: the worker keeps the process alive only while it holds a page (an in-process export has
  // nothing else that does while it waits); a command that forgets close() still ends.
  worker.unref();
  return {
    transcode(body, between, after) {
      // NOTE: every page goes to the worker, even while it starts (the first pages wait in its queue)
      // or holds others: this thread has the engine's work and the SDK's. Turning the first pages
      // into text here until the worker was ready cost an in-process export of 100,000 items ~25 ms
      // (465 against 436 ms, alternating); a share for this thread when the worker held two or more
      // measured no sooner, and often later.
      if (gone) return Promise.resolve(readWireBody(body, between, after));
      return new Promise<WireBodyText>((resolve, reject) => {
        const id = next++;
        waiting.set(id, { body, between, after, resolve, reject });
        // A copy of the page's bytes of its own, handed over (the body may lie in a larger buffer).
        const copy = new Uint8Array(body);
        sent++;
        worker.ref();
        worker.postMessage({ id, body: copy, between, after } satisfies TranscodeRequest, [copy.buffer]);
      });
    },
    get sent() {
      return sent;
    },
    async close() {
      gone = true;
      await worker.terminate();
    },
  };
}
