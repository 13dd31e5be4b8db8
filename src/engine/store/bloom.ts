/**
 * A Bloom filter of a snapshot tree's keys, kept in the snapshot's index (codec.ts): a key it does
 * not hold is not in the tree, so a lookup of an absent key (a new item's put, its count in
 * DescribeTable after a log replayed at open) reads no record of the snapshot. Sixteen bits and
 * eleven probes a key: about 0.05% of absent keys still read their run (at 1%, the 150,000 new
 * keys of a log replayed onto a million items read most of the snapshot's records).
 */

/** Bits a key. */
const BITS_PER_KEY = 16;
/** Probes a key. */
const PROBES = 11;

/** Two 32-bit FNV-1a hashes of the key's UTF-16 code units, with different offsets; the second odd. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return [a >>> 0, (b | 1) >>> 0];
}

export class Bloom {
  private readonly nbits: number;
  /**
   * `bits` and `probes` as a filter was written with (the index keeps both: a filter read with
   * other probes than it was written with would say no to keys it holds).
   */
  constructor(
    readonly bits: Uint8Array,
    readonly probes: number,
  ) {
    this.nbits = bits.length * 8;
    if (this.nbits === 0 || !Number.isInteger(probes) || probes < 1 || probes > 32)
      throw new RangeError('not a Bloom filter');
  }

  /** An empty filter sized for `count` keys. */
  static sized(count: number): Bloom {
    return new Bloom(new Uint8Array(Math.max(8, Math.ceil((count * BITS_PER_KEY) / 8))), PROBES);
  }

  add(key: string): void {
    const [a, b] = hashes(key);
    for (let i = 0, h = a; i < this.probes; i++, h = (h + b) >>> 0) {
      const bit = h % this.nbits;
      this.bits[bit >>> 3]! |= 1 << (bit & 7);
    }
  }

  /** False: the key was never added. True: it may have been. */
  has(key: string): boolean {
    const [a, b] = hashes(key);
    for (let i = 0, h = a; i < this.probes; i++, h = (h + b) >>> 0) {
      const bit = h % this.nbits;
      if ((this.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }
}
