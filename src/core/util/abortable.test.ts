import { describe, expect, it } from 'vitest';
import { untilAborted } from './abortable.js';

describe('untilAborted', () => {
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
