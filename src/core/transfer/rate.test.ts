// RateLimiter on a fake clock: the cap holds over any stretch of time, a burst is one second's
// worth, a large item's debt is paid by later waits, and an abort ends a wait.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../util/clock.js';
import { RateLimiter } from './rate.js';

/** A clock that only moves when slept on; records each sleep. Honours an abort signal. */
function fakeClock(start = 0): Clock & { sleeps: number[]; advance(ms: number): void } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** Take `units` one call at a time; returns the clock time (ms) at which each call returned. */
async function takeAll(limiter: RateLimiter, clock: Clock, calls: number[]): Promise<number[]> {
  const at: number[] = [];
  for (const units of calls) {
    await limiter.take(units);
    at.push(clock.now());
  }
  return at;
}

describe('RateLimiter', () => {
  it('lets one second’s worth go at once, then paces the rest at the rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    const at = await takeAll(limiter, clock, Array(110).fill(1));
    // The burst: the first 10 units without waiting.
    expect(at.slice(0, 10)).toEqual(Array(10).fill(0));
    // The next 100 units at 10 a second: 10 s, each about 100 ms apart.
    expect(clock.now()).toBeGreaterThanOrEqual(10_000);
    expect(clock.now()).toBeLessThanOrEqual(10_000 + 100);
    for (let i = 11; i < at.length; i++) {
      expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(99);
      expect(at[i]! - at[i - 1]!).toBeLessThanOrEqual(101);
    }
  });

  it('never lets more than rate × (seconds + 1) units through in any window', async () => {
    const clock = fakeClock(1_000_000);
    const rate = 25;
    const limiter = new RateLimiter(rate, clock);
    // Items of 1 to 4 units (1–4 KB), in a fixed pseudo-random order.
    let seed = 7;
    const calls = Array.from({ length: 400 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % 4);
    });
    const at = await takeAll(limiter, clock, calls);
    const total = calls.reduce((a, b) => a + b, 0);
    const seconds = (clock.now() - 1_000_000) / 1000;
    // The engine-independent fact: N units at rate R take at least (N − R) / R seconds …
    expect(seconds).toBeGreaterThanOrEqual((total - rate) / rate);
    // … and the limiter does not waste time either (rounding up to whole ms per wait aside).
    expect(seconds).toBeLessThanOrEqual((total - rate) / rate + calls.length / 1000 + 0.01);
    // Any window [t, t + w): at most rate × (w/1000 + 1) units (the burst is one second's worth).
    for (let i = 0; i < at.length; i++) {
      for (const w of [100, 1000, 5000]) {
        let units = 0;
        for (let j = i; j < at.length && at[j]! < at[i]! + w; j++) units += calls[j]!;
        expect(units).toBeLessThanOrEqual(rate * (w / 1000 + 1));
      }
    }
  });

  it('counts the units of each take (a 3 KB item costs 3)', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(6, clock);
    await takeAll(limiter, clock, [3, 3]);
    expect(clock.now()).toBe(0);
    await limiter.take(3);
    // 3 units at 6 a second: half a second.
    expect(clock.now()).toBe(500);
  });

  it('lets an item larger than a second’s budget go once the bucket is full, then pays the debt', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    await limiter.take(25);
    expect(clock.now()).toBe(0);
    // 10 − 25 = −15 tokens: the next unit waits until 1 is there again, 1.6 s.
    await limiter.take(1);
    expect(clock.now()).toBe(1600);
    // A large item after waiting only for a full bucket (10), not for all of its 25.
    clock.advance(5000);
    await limiter.take(25);
    expect(clock.now()).toBe(6600);
  });

  it('refills to one second’s worth at most, however long it was idle', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(5, clock);
    await takeAll(limiter, clock, Array(5).fill(1));
    clock.advance(3_600_000);
    const start = clock.now();
    const at = await takeAll(limiter, clock, Array(6).fill(1));
    expect(at.slice(0, 5)).toEqual(Array(5).fill(start));
    expect(at[5]).toBe(start + 200);
  });

  it('an abort ends a wait with the signal’s reason', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1, clock);
    await limiter.take(1);
    const ctl = new AbortController();
    ctl.abort(new Error('stopped by the test'));
    await expect(limiter.take(1, ctl.signal)).rejects.toThrow('stopped by the test');
  });

  it('waits on the real clock too (a short real wait)', async () => {
    const real: Clock = {
      now: () => Date.now(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
    const limiter = new RateLimiter(50, real);
    const started = Date.now();
    for (let i = 0; i < 55; i++) await limiter.take(1);
    // 5 units past the burst at 50 a second: at least 100 ms (timers never fire early).
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
