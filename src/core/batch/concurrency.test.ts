import { describe, expect, it } from 'vitest';
import type { Clock } from '../util/clock.js';
import { ConcurrencyController, type ConcurrencyOptions } from './concurrency.js';
import { Slots } from './slots.js';

function fakeClock(): Clock & { set(t: number): void } {
  let t = 0;
  return {
    now: () => t,
    set: (v) => {
      t = v;
    },
    sleep: async () => {},
  };
}

/** What a model endpoint answers a call started with `inFlight` calls in flight (itself included). */
type Endpoint = (now: number, inFlight: number) => { ms: number; throttled: boolean };

/**
 * Run `calls` calls of 25 units through `endpoint`, as many in flight as the controller allows;
 * returns the controller, the limits seen, and the units written per second of simulated time.
 */
function simulate(endpoint: Endpoint, calls: number, opts: ConcurrencyOptions = {}) {
  const clock = fakeClock();
  const c = new ConcurrencyController(opts, clock);
  const flight: { start: number; end: number; throttled: boolean }[] = [];
  const limits: number[] = [];
  let done = 0;
  let units = 0;
  let unitsLate = 0;
  const lateFrom = calls / 2;
  let lateStart = 0;
  while (done < calls) {
    while (flight.length < c.limit) {
      const start = c.started();
      const { ms, throttled } = endpoint(start, flight.length + 1);
      flight.push({ start, end: start + ms, throttled });
    }
    flight.sort((a, b) => a.end - b.end);
    const f = flight.shift() as (typeof flight)[number];
    clock.set(f.end);
    c.ended(f.start, { units: f.throttled ? 0 : 25, throttled: f.throttled });
    done++;
    if (!f.throttled) units += 25;
    if (done === lateFrom) lateStart = clock.now();
    if (done > lateFrom && !f.throttled) unitsLate += 25;
    limits.push(c.limit);
  }
  return {
    c,
    limits,
    rate: units / (clock.now() / 1000),
    lateRate: unitsLate / ((clock.now() - lateStart) / 1000),
  };
}

describe('ConcurrencyController', () => {
  it('a fixed limit never moves', () => {
    const { c, limits } = simulate(() => ({ ms: 10, throttled: false }), 500, { fixed: 3 });
    expect(new Set(limits)).toEqual(new Set([3]));
    expect(c.stats).toMatchObject({ limit: 3, reached: 3, calls: 500, throttled: 0, adaptive: false });
  });

  it('grows to its maximum behind a far endpoint with room to spare (latency stays at its floor)', () => {
    const { c } = simulate((_, n) => ({ ms: 50 + n * 0.05, throttled: false }), 3000, { initial: 4 });
    expect(c.stats.reached).toBe(64);
    expect(c.limit).toBeGreaterThanOrEqual(48);
  });

  it('does not grow against a CPU-bound endpoint (latency grows with load, throughput does not), nor falls below its start', () => {
    const { c, limits } = simulate((_, n) => ({ ms: 2 * n, throttled: false }), 5000, { initial: 8 });
    expect(Math.min(...limits)).toBeGreaterThanOrEqual(8);
    expect(c.limit).toBeLessThanOrEqual(24);
  });

  it('settles near a provisioned rate (token bucket) with few throttled calls', () => {
    // 20,000 units a second with a second's burst; 25 units in 20 ms a call: 16 in flight is right.
    const rate = 20_000;
    let tokens = rate;
    let last = 0;
    const bucket: Endpoint = (now) => {
      tokens = Math.min(rate, tokens + ((now - last) / 1000) * rate);
      last = now;
      // NOTE: the SDK retries a throttled call after a backoff (hundreds of ms) before it ends.
      if (tokens < 25) return { ms: 250, throttled: true };
      tokens -= 25;
      return { ms: 20, throttled: false };
    };
    const { c, lateRate } = simulate(bucket, 20_000, { initial: 4 });
    expect(lateRate).toBeGreaterThan(rate * 0.9);
    expect(lateRate).toBeLessThanOrEqual(rate * 1.01);
    expect(c.stats.throttled / c.stats.calls).toBeLessThan(0.05);
    expect(c.limit).toBeLessThan(40);
  });

  it('cuts at once on throttling, once per round trip, never below its minimum', () => {
    const clock = fakeClock();
    const c = new ConcurrencyController({ initial: 32 }, clock);
    const changes: number[] = [];
    c.onChange = (n) => changes.push(n);
    const starts = Array.from({ length: 8 }, () => c.started());
    clock.set(10);
    for (const s of starts) c.ended(s, { units: 0, throttled: true });
    // Eight throttled answers to calls of one round trip: one cut (a half: it ends the slow start).
    expect(changes).toEqual([16]);
    for (let i = 0; i < 40; i++) {
      clock.set(20 + i * 10);
      c.ended(c.started(), { units: 0, throttled: true });
    }
    expect(c.limit).toBe(1);
    expect(c.stats).toMatchObject({ reached: 32, throttled: 48, calls: 48 });
  });
});

describe('Slots', () => {
  it('grows and shrinks while held, losing no waiter and taking back no held slot', async () => {
    const s = new Slots(2);
    await s.acquire();
    await s.acquire();
    const order: number[] = [];
    const waits = [1, 2, 3].map((i) => s.acquire().then(() => order.push(i)));
    s.resize(3);
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual([1]);
    expect(s.held).toBe(3);
    s.resize(1);
    // Three held, room for one: two releases pay the shrink back before a waiter goes.
    s.release();
    s.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual([1]);
    s.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual([1, 2]);
    s.resize(4);
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect(s.held).toBe(2);
    expect(() => s.resize(0)).toThrow(RangeError);
  });
});
