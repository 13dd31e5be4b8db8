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

// NOTE: fatal, so invalid UTF-8 is refused instead of silently becoming U+FFFD (as import does);
// ignoreBOM, so a U+FEFF is kept: the reader decides whether a byte order mark belongs to the text.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes as text, or undefined when they are not valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
