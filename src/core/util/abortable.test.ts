import { describe, expect, it } from 'vitest';
import { heapAfterGc } from '../../../test/support/heap.js';
import { untilAborted } from './abortable.js';

describe('untilAborted', () => {
  it('holds none of the values it gave: a long run keeps constant memory', async () => {
    const n = 20_000;
    async function* kilobytes() {
      for (let i = 0; i < n; i++) yield `${'x'.repeat(1000)}${i}`;
    }
    const base = heapAfterGc();
    let held = Number.POSITIVE_INFINITY;
    let i = 0;
    for await (const v of untilAborted(kilobytes(), new AbortController().signal)) {
      // At the last value, 20 MB had been given: measure what is still held.
      if (++i === n) held = heapAfterGc() - base;
      expect(v.length).toBeGreaterThan(1000);
    }
    expect(i).toBe(n);
    expect(held).toBeLessThan(5_000_000);
  });

  it('gives every value of a source that ends, and ends with it', async () => {
    const got: number[] = [];
    for await (const v of untilAborted([1, 2, 3], new AbortController().signal)) got.push(v);
    expect(got).toEqual([1, 2, 3]);
  });

  it('ends at the abort while the source waits for its next value, and asks the source to stop', async () => {
    let stoppedSource = false;
    let release: () => void = () => {};
    async function* stalled() {
      try {
        yield 1;
        await new Promise<void>((r) => {
          release = r;
        }); // a producer that went quiet
        yield 2;
      } finally {
        stoppedSource = true;
      }
    }
    const stop = new AbortController();
    const got: number[] = [];
    setTimeout(() => stop.abort(), 30);
    for await (const v of untilAborted(stalled(), stop.signal)) got.push(v);
    expect(got).toEqual([1]);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(stoppedSource).toBe(true);
  });

  it('gives nothing once already aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    const got: number[] = [];
    for await (const v of untilAborted([1, 2], stop.signal)) got.push(v);
    expect(got).toEqual([]);
  });
});
