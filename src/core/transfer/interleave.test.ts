// interleave: every value once, the order within a partition kept, partitions spread, memory
// bounded by the window.
import { describe, expect, it } from 'vitest';
import { interleaveBatches } from './interleave.js';

/** One value at a time: each value its own batch in, and the batches out flattened. */
async function* interleave<T>(source: AsyncIterable<T>, partitionOf: (v: T) => string, window: number) {
  async function* ones() {
    for await (const v of source) yield [v];
  }
  for await (const batch of interleaveBatches(ones(), partitionOf, window)) yield* batch;
}

interface V {
  p: string;
  i: number;
}

async function* from<T>(values: T[], onPull?: () => void): AsyncGenerator<T> {
  for (const v of values) {
    onPull?.();
    yield v;
  }
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of source) out.push(v);
  return out;
}

/** `partitions` partitions of `each` values, sorted by partition (the worst case for a table). */
function sorted(partitions: number, each: number): V[] {
  const out: V[] = [];
  for (let p = 0; p < partitions; p++) for (let i = 0; i < each; i++) out.push({ p: `p${p}`, i });
  return out;
}

const byPartition = (values: V[]) => {
  const m = new Map<string, number[]>();
  for (const v of values) m.set(v.p, [...(m.get(v.p) ?? []), v.i]);
  return m;
};

const longestRun = (values: V[]) => {
  let best = 0;
  let run = 0;
  values.forEach((v, k) => {
    run = k > 0 && values[k - 1]!.p === v.p ? run + 1 : 1;
    best = Math.max(best, run);
  });
  return best;
};

describe('interleave', () => {
  it.each([1, 2, 7, 100, 1000, 5000])(
    'window %i: every value exactly once, in order within a partition',
    async (window) => {
      // Partitions of uneven sizes, in an uneven order.
      const input: V[] = [];
      for (let k = 0; k < 2000; k++) input.push({ p: `p${(k * k) % 37}`, i: k });
      const out = await collect(interleave(from(input), (v) => v.p, window));
      expect(out).toHaveLength(input.length);
      expect(new Set(out)).toEqual(new Set(input));
      const before = byPartition(input);
      const after = byPartition(out);
      expect(after).toEqual(before);
    },
  );

  it('spreads input sorted by partition: no partition twice in a row while others wait', async () => {
    const input = sorted(20, 50);
    const out = await collect(interleave(from(input), (v) => v.p, 1000));
    expect(longestRun(out)).toBe(1);
    // Round robin: the first 20 outputs are 20 different partitions.
    expect(new Set(out.slice(0, 20).map((v) => v.p)).size).toBe(20);
  });

  it('mixes runs longer than the window as far as the window allows', async () => {
    const input = sorted(10, 300);
    const out = await collect(interleave(from(input), (v) => v.p, 1000));
    expect(out).toHaveLength(3000);
    // Neighbours in the same partition: 2,990 of 2,999 pairs without interleaving.
    const same = out.filter((v, k) => k > 0 && out[k - 1]!.p === v.p).length;
    expect(same).toBeLessThan(300);
  });

  it('holds at most `window` values: reading stays at most window ahead of writing', async () => {
    let pulled = 0;
    let maxAhead = 0;
    const window = 64;
    for await (const _ of interleave(
      from(sorted(5, 200), () => pulled++),
      (v) => v.p,
      window,
    )) {
      // `pulled` counts values read; one value has just been handed out.
      maxAhead = Math.max(maxAhead, pulled);
      pulled--;
    }
    expect(maxAhead).toBeLessThanOrEqual(window);
  });

  it('window 1 passes values through in input order', async () => {
    const input = sorted(3, 4).reverse();
    const out = await collect(interleave(from(input), (v) => v.p, 1));
    expect(out).toEqual(input);
  });

  it('an empty source yields nothing; one partition keeps its order', async () => {
    expect(await collect(interleave(from<V>([]), (v) => v.p, 10))).toEqual([]);
    const one = sorted(1, 50);
    expect(await collect(interleave(from(one), (v) => v.p, 10))).toEqual(one);
  });

  it('with sizes, holds at most the bytes given as well as the window (a large value passes at once)', async () => {
    interface S extends V {
      size: number;
    }
    // Sorted by partition, sizes 10 to 100; one value of 1,000 (over the limit by itself).
    const input: S[] = Array.from({ length: 400 }, (_, i) => ({
      p: `p${Math.floor(i / 50)}`,
      i,
      size: 10 + (i % 10) * 10,
    }));
    input.splice(200, 0, { p: 'big', i: -1, size: 1000 });
    const batches: S[][] = [];
    for (let k = 0; k < input.length; k += 7) batches.push(input.slice(k, k + 7));
    // What the interleaver holds after each batch out: read so far, less given out so far.
    let held = 0;
    let heldBytes = 0;
    let most = 0;
    let mostBytes = 0;
    async function* counted() {
      for (const b of batches) {
        held += b.length;
        heldBytes += b.reduce((t, v) => t + v.size, 0);
        yield b;
      }
    }
    const out: S[] = [];
    for await (const b of interleaveBatches(counted(), (v) => v.p, 100, {
      bytes: 500,
      sizeOf: (v) => v.size,
    })) {
      out.push(...b);
      held -= b.length;
      heldBytes -= b.reduce((t, v) => t + v.size, 0);
      most = Math.max(most, held);
      mostBytes = Math.max(mostBytes, heldBytes);
    }
    // Every value once, each partition in its order.
    const order = (vs: S[]) => vs.map((v) => v.i).sort((a, b) => a - b);
    expect(order(out)).toEqual(order(input));
    for (const p of new Set(input.map((v) => v.p)))
      expect(out.filter((v) => v.p === p).map((v) => v.i)).toEqual(
        input.filter((v) => v.p === p).map((v) => v.i),
      );
    // Within 500 bytes (the window of 100 never fills).
    expect(mostBytes).toBeLessThanOrEqual(500);
    expect(most).toBeLessThan(100);
  });

  it('a source that fails passes its error on', async () => {
    async function* bad(): AsyncGenerator<V> {
      yield { p: 'a', i: 0 };
      throw new Error('read failed');
    }
    await expect(collect(interleave(bad(), (v) => v.p, 10))).rejects.toThrow('read failed');
  });

  it('gives the same order whatever the size of the batches in', async () => {
    const input = sorted(7, 30);
    const expected = await collect(interleave(from(input), (v) => v.p, 40));
    for (const size of [1, 3, 64, 1000]) {
      const batches: V[][] = [];
      for (let k = 0; k < input.length; k += size) batches.push(input.slice(k, k + size));
      const out = await collect(interleaveBatches(from(batches), (v) => v.p, 40));
      expect(out.flat()).toEqual(expected);
      expect(out.every((b) => b.length > 0)).toBe(true);
    }
  });
});
