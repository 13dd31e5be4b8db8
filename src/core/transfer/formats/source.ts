/**
 * Byte sources for the readers: whatever the caller passes (a Node stream, an async iterable of
 * strings or buffers) becomes an async iterable of Buffers, gunzipped when asked or sniffed.
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DdbError } from '../../errors.js';

export type ByteInput = NodeJS.ReadableStream | AsyncIterable<Buffer | Uint8Array | string>;

/**
 * Every chunk as a Buffer: strings are UTF-8 encoded, empty chunks dropped. A string chunk that
 * ends inside a surrogate pair (an emoji split by a careless producer) is completed from the
 * next chunk, so the character is not encoded as two replacement characters.
 */
export async function* toBuffers(input: ByteInput): AsyncGenerator<Buffer> {
  let pending = '';
  for await (const chunk of input as AsyncIterable<Buffer | Uint8Array | string>) {
    let buf: Buffer;
    if (typeof chunk === 'string') {
      let text = pending + chunk;
      pending = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pending = text.slice(-1);
        text = text.slice(0, -1);
      }
      buf = Buffer.from(text, 'utf8');
    } else {
      if (pending !== '') yield Buffer.from(pending, 'utf8');
      pending = '';
      buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    if (buf.length > 0) yield buf;
  }
  if (pending !== '') yield Buffer.from(pending, 'utf8');
}

/**
 * Read chunks until at least `n` bytes are at hand (or the input ends), without losing any:
 * returns those first bytes and an iterable that yields everything, the peeked bytes included.
 */
export async function peek(
  source: AsyncIterable<Buffer>,
  n: number,
): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  const it = source[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    parts.push(r.value);
    size += r.value.length;
  }
  const head = Buffer.concat(parts);
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      // NOTE: a consumer that stops early must still release the underlying stream (a file handle).
      if (!done) await it.return?.();
    }
  }
  return { head, all: all() };
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Gunzip a byte stream (several concatenated gzip members too). Corrupt input throws input.file. */
export async function* gunzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const z = createGunzip();
  const src = Readable.from(source, { objectMode: false });
  // NOTE: errors reach the consumer through the iteration of `z` (pipeline destroys it with them).
  pipeline(src, z, () => {});
  try {
    for await (const chunk of z) yield chunk as Buffer;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new DdbError('input.file', {
        message: `the input is not valid gzip (${(e as Error).message}): the file is cut short or damaged past that point`,
        cause: e,
      });
    }
    throw e;
  } finally {
    src.destroy();
    z.destroy();
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Drop a leading UTF-8 byte order mark (spreadsheets write one before a CSV header). Returns how
 * many bytes were dropped, so byte offsets still count them.
 */
export async function stripBom(
  source: AsyncIterable<Buffer>,
): Promise<{ dropped: number; rest: AsyncGenerator<Buffer> }> {
  const { head, all } = await peek(source, BOM.length);
  if (head.length < BOM.length || !head.subarray(0, BOM.length).equals(BOM)) return { dropped: 0, rest: all };
  async function* rest(): AsyncGenerator<Buffer> {
    let first = true;
    for await (const chunk of all) {
      // NOTE: the peeked head is always the first chunk `all` yields, and holds the whole mark.
      if (first) {
        first = false;
        if (chunk.length > BOM.length) yield chunk.subarray(BOM.length);
        continue;
      }
      yield chunk;
    }
  }
  return { dropped: BOM.length, rest: rest() };
}
