/**
 * The worker thread of cli/transcoder.ts: turns Scan pages into plain JSON text (readWireBody), one
 * message at a time, and answers with the text or the error. The build bundles it into
 * dist/cli/transcodeWorker.cjs, which the transcoder starts.
 */
import { parentPort } from 'node:worker_threads';
import { DdbError } from '../core/errors.js';
import { readWireBody } from '../core/wire/wireText.js';

export interface TranscodeRequest {
  id: number;
  body: Uint8Array;
  between: string;
  after: string;
}

export type TranscodeAnswer =
  | { id: number; text: Uint8Array; items: number; rest: Record<string, unknown> }
  | { id: number; error: { code?: string; message: string } };

const port = parentPort;
if (port) {
  port.on('message', (m: TranscodeRequest) => {
    let answer: TranscodeAnswer;
    const moved: ArrayBuffer[] = [];
    try {
      const r = readWireBody(m.body, m.between, m.after);
      // NOTE: a copy of its own to hand over: the text lies in a buffer that may be the pool's.
      const text = new Uint8Array(r.text);
      moved.push(text.buffer);
      answer = { id: m.id, text, items: r.items, rest: r.rest };
    } catch (e) {
      answer = {
        id: m.id,
        error: { ...(e instanceof DdbError ? { code: e.code } : {}), message: (e as Error).message },
      };
    }
    port.postMessage(answer, moved);
  });
}
