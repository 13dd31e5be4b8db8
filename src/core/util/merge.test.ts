import { describe, expect, it } from 'vitest';
import { heapAfterGc } from '../../../test/support/heap.js';
import { mergeAsync } from './merge.js';

describe('mergeAsync', () => {
  it('holds none of the values it gave while one source stays slow: constant memory', async () => {
    const n = 20_000;
    let release: () => void = () => {};
    async function* slow() {
      await new Promise<void>((r) => {
        release = r;
      });
      yield 'slow';
    }
    async function* fast() {
      for (let i = 0; i < n; i++) yield `${'x'.repeat(1000)}${i}`;
    }
    const base = heapAfterGc();
    let held = Number.POSITIVE_INFINITY;
    let i = 0;
    for await (const v of mergeAsync([slow(), fast()])) {
      // At the fast source's last value, 20 MB had been given: measure what is still held.
      if (++i === n) {
        held = heapAfterGc() - base;
        release();
      }
      expect(v.length).toBeGreaterThan(0);
    }
    expect(i).toBe(n + 1);
    expect(held).toBeLessThan(5_000_000);
  });

  it('runs at most `limit` sources at a time, taking the next one only when one ends', async () => {
    let created = 0;
    let running = 0;
    let most = 0;
    const n = 20_000;
    function* sources() {
      for (let i = 0; i < n; i++) {
        created++;
        yield (async function* () {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setImmediate(r));
          yield i;
          running--;
        })();
      }
    }
    let sum = 0;
    let count = 0;
    for await (const v of mergeAsync(sources(), 16)) {
      sum += v;
      count++;
      // Lazily: never more sources made than ended + in flight.
      expect(created).toBeLessThanOrEqual(count + 16);
    }
    expect(count).toBe(n);
    expect(sum).toBe((n * (n - 1)) / 2);
    expect(most).toBe(16);
  });

  it('a failing source ends the merge with its error; the others are stopped without unhandled rejections', async () => {
    const fails = (async function* () {
      await new Promise((r) => setTimeout(r, 5));
      yield* [];
      throw new Error('boom');
    })();
    const slow = (async function* () {
      await new Promise((r) => setTimeout(r, 20));
      yield 1;
      throw new Error('later');
    })();
    await expect(async () => {
      for await (const _ of mergeAsync([fails, slow])) {
      }
    }).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 40));
  });
});
