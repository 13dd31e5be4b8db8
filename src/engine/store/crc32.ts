/**
 * CRC-32 (IEEE, as zlib and gzip compute it) of the log's records and the snapshot's blocks.
 * NOTE: node's zlib.crc32 (native) exists from 20.15 and 22.2 on; older 20.x get the table below.
 */
import * as zlib from 'node:zlib';

let table: Int32Array | undefined;

function jsCrc32(buf: Uint8Array, start: number, end: number): number {
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let c = -1;
  for (let i = start; i < end; i++) c = table[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 of buf[start, end). */
export function crc32(buf: Uint8Array, start: number, end: number): number {
  if (native) return native(buf.subarray(start, end)) >>> 0;
  return jsCrc32(buf, start, end);
}

/** The portable implementation, for tests that check it agrees with node's. */
export const crc32Portable = jsCrc32;
