/**
 * The in-process door: an AWS SDK `requestHandler` that hands each request to the engine in this
 * process (no socket, no HTTP server). Every command still speaks the SDK as to any endpoint; only
 * the transport differs. The SDK does not check `x-amz-crc32`, so none is computed here.
 */
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import type { DdbEngine } from './engine.js';

/** What an SDK client accepts as `requestHandler` (the part of it the SDK calls). */
export interface EngineRequestHandler {
  handle(request: HttpRequest): Promise<{ response: HttpResponse }>;
  /** The SDK calls these on its handler; there is nothing to update or free. */
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  destroy(): void;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // NOTE: the SDK hands a Uint8Array subclass (a Buffer); string methods on it print a deprecation
  // warning, TextDecoder does not.
  if (body instanceof Uint8Array) return decoder.decode(body);
  // A stream (a caller's own request body): read it whole.
  const chunks: Uint8Array[] = [];
  for await (const c of body as AsyncIterable<Uint8Array | string>)
    chunks.push(typeof c === 'string' ? encoder.encode(c) : c);
  return decoder.decode(Buffer.concat(chunks));
}

let counter = 0;

/** A request handler for SDK clients that reach `engine` in this process. */
export function inProcessHandler(engine: DdbEngine): EngineRequestHandler {
  return {
    async handle(request) {
      const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'];
      const answer = await engine.handle(target, await bodyText(request.body));
      const response = new HttpResponse({
        statusCode: answer.status,
        headers: { ...answer.headers, 'x-amzn-requestid': `ddbctl-${process.pid}-${++counter}` },
        body: encoder.encode(answer.body),
      });
      return { response };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}
