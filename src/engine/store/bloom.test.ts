// The snapshot index's Bloom filter: never says no to a key it holds, and says yes to few others.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bloom } from './bloom.js';

describe('Bloom', () => {
  it('holds every key added, whatever its characters', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary' }), { maxLength: 300 }), (keys) => {
        const b = Bloom.sized(keys.length);
        for (const k of keys) b.add(k);
        expect(keys.filter((k) => !b.has(k))).toEqual([]);
      }),
    );
  });

  it('says yes to about 0.05% of keys it does not hold, and no to every key of an empty one', () => {
    const b = Bloom.sized(100_000);
    for (let i = 0; i < 100_000; i++) b.add(`user#${String(i).padStart(8, '0')}`);
    let yes = 0;
    for (let i = 100_000; i < 200_000; i++) if (b.has(`user#${String(i).padStart(8, '0')}`)) yes++;
    expect(yes / 100_000).toBeLessThan(0.002);
    expect(yes).toBeGreaterThan(0);
    const empty = Bloom.sized(0);
    expect(['', 'a', 'user#1'].some((k) => empty.has(k))).toBe(false);
  });

  it('reads back as written, with the probes it was written with; refuses what is no filter', () => {
    const b = Bloom.sized(1000);
    for (let i = 0; i < 1000; i++) b.add(`k${i}`);
    const read = new Bloom(Uint8Array.from(b.bits), b.probes);
    expect(Array.from({ length: 1000 }, (_, i) => read.has(`k${i}`)).every(Boolean)).toBe(true);
    expect(() => new Bloom(new Uint8Array(0), 3)).toThrow(RangeError);
    expect(() => new Bloom(b.bits, 0)).toThrow(RangeError);
    expect(() => new Bloom(b.bits, 1.5)).toThrow(RangeError);
  });
});
