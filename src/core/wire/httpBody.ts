/**
 * The body of a successful HTTP answer, read inside an SDK middleware that sits between the SDK's
 * deserializer and its HTTP handler (data/protoGuard.ts, wire/wireScan.ts).
 */
import { readAll } from '../util/bytes.js';

/** The raw response such a middleware gets from the handler. */
export interface HttpLikeResponse {
  statusCode?: number;
  body?: unknown;
}

/** Every byte of `response`'s body when its status is 2xx (a stream read to its end), else undefined. */
export async function successBody(response: HttpLikeResponse): Promise<Buffer | undefined> {
  const status = response.statusCode ?? 0;
  const body = response.body;
  if (status < 200 || status >= 300 || body === undefined) return undefined;
  return readBody(body);
}

/** Every byte of a response body: text, bytes, or a stream read to its end. */
export async function readBody(body: unknown): Promise<Buffer> {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return readAll(body as AsyncIterable<Buffer | string>);
}
