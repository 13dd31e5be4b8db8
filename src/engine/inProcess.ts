/**
 * The in-process door: an AWS SDK `requestHandler` that hands each request to the engine in this
 * process (no socket, no HTTP server), on this thread or on one of its own (thread.ts). Every command still speaks the SDK as to any endpoint; only
 * the transport differs. The SDK does not check `x-amz-crc32`, so none is computed here.
 */
import { HttpResponse } from '@smithy/core/transport';
import type { HttpHandlerOptions, HttpRequest } from '@smithy/types';
import type { DdbEngine } from './engine.js';

/** What an SDK client accepts as `requestHandler` (the part of it the SDK calls). */
export interface EngineRequestHandler {
  /** `abortSignal`: the SDK's, for a request the caller gives up on (the in-process door answers at once). */
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }>;
  /** The SDK calls these on its handler; there is nothing to update or free. */
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

const encoder = new TextEncoder();

/** The request body as text, or as its bytes (the engine decodes them, refusing what is no UTF-8). */
async function bodyOf(body: unknown): Promise<string | Uint8Array> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return body;
  // A stream (a caller's own request body): read it whole.
  const chunks: Uint8Array[] = [];
  for await (const c of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof c === 'string' ? encoder.encode(c) : c);
  return Buffer.concat(chunks);
}

let counter = 0;

/**
 * How long (ms) requests may follow one another without the event loop getting a turn.
 * NOTE: a command that talks only to this engine (copy-table, truncate from one data dir to another)
 * never waits on I/O: each answer is a resolved promise, so its chain of requests would run on
 * microtasks alone and no signal handler (Ctrl-C), timer or progress line would ever run. Every
 * YIELD_MS the door lets the event loop turn once (setImmediate: about a microsecond).
 */
const YIELD_MS = 20;

/**
 * Milliseconds from a fixed point, never going back. NOTE: not performance.now(): node 20 loads
 * its performance timing on its first use, ~0.5 ms of a short command's start.
 */
const monotonicMs = (): number => process.uptime() * 1000;

/** An engine's answer as a door hands it on: the body as text, or as its UTF-8 bytes. */
export interface DoorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** The engine's own failure (its data file damaged): thrown to the caller as it is. */
  failure?: Error;
}

/**
 * A request handler for SDK clients whose requests `answer` answers without a socket: the engine
 * in this process (inProcessHandler) or on a thread of its own (thread.ts).
 */
export function answeringHandler(
  answer: (target: string | undefined, body: string | Uint8Array) => Promise<DoorAnswer>,
): EngineRequestHandler {
  return {
    async handle(request) {
      const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'];
      const a = await answer(target, await bodyOf(request.body));
      // The engine's own failure (its data file damaged): the caller's error as it is, not a 500
      // the SDK would retry and the command would report as the service's.
      if (a.failure) throw a.failure;
      const response = new HttpResponse({
        statusCode: a.status,
        headers: { ...a.headers, 'x-amzn-requestid': `ddbctl-${process.pid}-${++counter}` },
        body: typeof a.body === 'string' ? encoder.encode(a.body) : a.body,
      });
      return { response };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/** A request handler for SDK clients that reach `engine` in this process. */
export function inProcessHandler(engine: DdbEngine): EngineRequestHandler {
  let turned = monotonicMs();
  return answeringHandler(async (target, body) => {
    if (monotonicMs() - turned >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turned = monotonicMs();
    }
    return engine.handle(target, body);
  });
}
