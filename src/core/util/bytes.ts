/**
 * ASCII bytes that byte-level readers of UTF-8 text look for (no byte of a multi-byte character is
 * ASCII), and reading a whole stream.
 */
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;

/** JSON's whitespace. */
export const isJsonSpace = (c: number | undefined) => c === SPACE || c === LF || c === CR || c === TAB;

/** Every byte of a stream (strings as UTF-8), once it has ended. */
export async function readAll(stream: AsyncIterable<Buffer | string | Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream)
    chunks.push(
      Buffer.isBuffer(c)
        ? c
        : typeof c === 'string'
          ? Buffer.from(c)
          : Buffer.from(c.buffer, c.byteOffset, c.byteLength),
    );
  return Buffer.concat(chunks);
}
