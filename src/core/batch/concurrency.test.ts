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
type Endpoint = (now: number, inFlight: number) => { ms: number; throttled: boolean; fault?: boolean };

/**
 * Run `calls` calls of 25 units through `endpoint`, as many in flight as the controller allows;
 * returns the controller, the limits seen, and the units written per second of simulated time.
 */
function simulate(endpoint: Endpoint, calls: number, opts: ConcurrencyOptions = {}) {
  const clock = fakeClock();
  const c = new ConcurrencyController(opts, clock);
  // A slot is held from the moment a call asks to start (it may wait for the pace, as writeChunk
  // does) to its end: `ready` events start calls, `end` events end them, in time order.
  const events: { at: number; v?: number; start?: number; throttled?: boolean; fault?: boolean }[] = [];
  let inFlight = 0;
  const limits: number[] = [];
  let done = 0;
  let units = 0;
  let unitsLate = 0;
  const lateFrom = calls / 2;
  let lateStart = 0;
  while (done < calls) {
    while (events.length < c.limit) events.push({ at: clock.now() + c.delay(25), v: c.paceVersion });
    events.sort((a, b) => a.at - b.at);
    const e = events.shift() as (typeof events)[number];
    clock.set(e.at);
    if (e.start === undefined) {
      // As `turn`: a call asleep on a pace since changed asks again.
      if (e.v !== c.paceVersion) {
        events.push({ at: clock.now() + c.delay(25), v: c.paceVersion });
        continue;
      }
      const start = c.started();
      inFlight++;
      const { ms, throttled, fault } = endpoint(start, inFlight);
      events.push({ at: start + ms, start, throttled, fault });
      continue;
    }
    inFlight--;
    const ok = !e.throttled && !e.fault;
    c.ended(e.start, { units: ok ? 25 : 0, throttled: !!e.throttled, fault: !!e.fault });
    done++;
    if (ok) units += 25;
    if (done === lateFrom) lateStart = clock.now();
    if (done > lateFrom && ok) unitsLate += 25;
    limits.push(c.limit);
  }
  return {
    c,
    limits,
    rate: units / (clock.now() / 1000),
    lateRate: unitsLate / ((clock.now() - lateStart) / 1000),
  };
}

/** A provisioned table: `rate` units a second, `burst` seconds of them saved up; a call over it costs `throttledMs`. */
function tokenBucket(rate: number, burst: number, ms: number, throttledMs: number, jitter = 0): Endpoint {
  let tokens = rate * burst;
  let last = 0;
  // A seeded jitter (a real endpoint's calls vary in time): 0 to `jitter` ms more a call.
  let seed = 42;
  const more = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return (seed / 2 ** 31) * jitter;
  };
  return (now) => {
    tokens = Math.min(rate * burst, tokens + ((now - last) / 1000) * rate);
    last = now;
    if (tokens < 25) return { ms: throttledMs + more(), throttled: true };
    tokens -= 25;
    return { ms: ms + more(), throttled: false };
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

  it('grows by half a step in its slow start (16, 24, 36, 54, 64) while latency and throughput allow', () => {
    const { limits } = simulate((_, n) => ({ ms: 50 + n * 0.05, throttled: false }), 1000, { initial: 16 });
    expect([...new Set(limits)].slice(0, 5)).toEqual([16, 24, 36, 54, 64]);
  });

  it('few calls in flight when a burst allowance runs out: the throttled share of a 2,000-call run stays low', () => {
    // As the bench's proxy at +10 ms: 2,000 units a second, a second's burst (80 calls); calls of
    // 12–20 ms and 1 ms more a call in flight (a client at its CPU's limit), a throttled one answered
    // as fast. Doubling reached 64 in flight as the burst ran out: 5% throttled here; by half, 2.9%.
    const bucket = tokenBucket(2000, 1, 12, 12, 8);
    const { c } = simulate(
      (now, n) => {
        const answer = bucket(now, n);
        return { ...answer, ms: answer.ms + n };
      },
      2000,
      { initial: 16, paced: true },
    );
    expect(c.stats.throttled / c.stats.calls).toBeLessThan(0.035);
  });

  it('does not grow against a CPU-bound endpoint (latency grows with load, throughput does not), nor falls below its start', () => {
    const { c, limits } = simulate((_, n) => ({ ms: 2 * n, throttled: false }), 5000, { initial: 8 });
    expect(Math.min(...limits)).toBeGreaterThanOrEqual(8);
    expect(c.limit).toBeLessThanOrEqual(24);
  });

  it('settles near a provisioned rate (token bucket) with few throttled calls', () => {
    // 20,000 units a second with a second's burst; 25 units in 20 ms a call: 16 in flight is right.
    const rate = 20_000;
    // NOTE: the SDK retries a throttled call after a backoff (hundreds of ms) before it ends.
    const bucket = tokenBucket(rate, 1, 20, 250);
    const { c, lateRate } = simulate(bucket, 20_000, { initial: 4 });
    expect(lateRate).toBeGreaterThan(rate * 0.9);
    expect(lateRate).toBeLessThanOrEqual(rate * 1.01);
    expect(c.stats.throttled / c.stats.calls).toBeLessThan(0.05);
    expect(c.limit).toBeLessThan(40);
  });

  it('paces the units at the rate the table accepted: within 10% of it, under 2.5% of calls throttled', () => {
    // As the bench's proxy: 2,000 units a second with a second's burst, 50 ms a call and up to
    // 50 ms more, a throttled call answered as fast (the bulk client makes one attempt a call).
    const rate = 2000;
    const { c, lateRate } = simulate(tokenBucket(rate, 1, 50, 50, 50), 4000, { paced: true });
    expect(c.stats.throttled).toBeGreaterThan(0);
    // NOTE: the issue asks under 5%; a count of calls alone measured 3.9% here, paced 1.8% (most
    // of it the slow start's overshoot, before the first throttling).
    expect(c.stats.throttled / c.stats.calls).toBeLessThan(0.025);
    expect(lateRate).toBeGreaterThan(rate * 0.9);
    expect(lateRate).toBeLessThan(rate * 1.1);
    expect(c.stats.pace).toBeGreaterThan(rate * 0.9);
    expect(c.stats.pace).toBeLessThan(rate * 1.3);
    // What the summary shows: the rate the calls went through at while paced, not the pace.
    expect(c.stats.pacedRate).toBeGreaterThan(rate * 0.9);
    expect(c.stats.pacedRate).toBeLessThan(rate * 1.1);
  });

  it.each([
    // NOTE: at a call or two a second the bound is 8%: the start's cost (the calls in flight when
    // the first throttling answers, then a measure a burst allowance inflated: 35-55 calls) and a
    // probe past the capacity every 20-40 s (this model's burst is one second, DynamoDB's up to
    // 300) weigh on so few calls. From ten calls a second the 5% holds.
    [25, 10, 2000, 0.08],
    [50, 10, 2000, 0.08],
    [250, 10, 1500, 0.05],
    [500, 10, 3000, 0.05],
    [1000, 10, 4000, 0.05],
    [500, 50, 3000, 0.05],
  ])(
    'paces a low capacity (%i units a second, %i ms a call, %i calls): within a tenth of it, under %d of calls throttled',
    (rate, ms, calls, share) => {
      // As the acceptance pass met it: one call in flight far outruns the table (25 units in 10 ms
      // is 2,500 a second), a second's burst first; only a pace holds it.
      const { c, lateRate } = simulate(tokenBucket(rate, 1, ms, ms, ms / 2), calls, {
        paced: true,
        initial: 16,
      });
      expect(c.stats.pace).toBeDefined();
      expect(c.stats.throttled / c.stats.calls).toBeLessThan(share);
      expect(lateRate).toBeGreaterThan(rate * 0.9);
      expect(lateRate).toBeLessThan(rate * 1.1);
    },
  );

  it('paces a fixed number of calls too (--concurrency fixes the calls, not the rate)', () => {
    const rate = 500;
    const { c, limits, lateRate } = simulate(tokenBucket(rate, 1, 10, 10, 5), 3000, {
      fixed: 4,
      paced: true,
    });
    expect(new Set(limits)).toEqual(new Set([4]));
    expect(c.stats.pace).toBeDefined();
    expect(c.stats.throttled / c.stats.calls).toBeLessThan(0.05);
    expect(lateRate).toBeGreaterThan(rate * 0.9);
    expect(lateRate).toBeLessThan(rate * 1.1);
  });

  it("drops the pace when throttling is not the rate's doing (random faults): the run keeps its speed", () => {
    // An endpoint that throttles a third of the calls at random, whatever the rate (the fault
    // proxy's batch test): a pace measured at each throttling would ratchet itself down.
    let seed = 7;
    const dice = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const random: Endpoint = () => ({ ms: 20, throttled: dice() < 0.33 });
    const paced = simulate(random, 6000, { paced: true });
    const unpaced = simulate(random, 6000, {});
    expect(paced.c.stats.throttled).toBeGreaterThan(1500);
    expect(paced.c.stats.pace).toBeUndefined();
    expect(paced.lateRate).toBeGreaterThan(unpaced.lateRate * 0.9);
  });

  it('keeps the pace against a provisioned table with faults besides (a 5xx now and then)', () => {
    const rate = 2000;
    const bucket = tokenBucket(rate, 1, 50, 50, 50);
    let n = 0;
    // Every 40th call a 5xx: it moves neither the calls in flight nor the pace, and counts as no
    // throttling (cutting on it held the limit at 1: 450 units a second).
    const faulty: Endpoint = (now, inFlight) =>
      ++n % 40 === 0 ? { ms: 50, throttled: false, fault: true } : bucket(now, inFlight);
    const { c, lateRate } = simulate(faulty, 4000, { paced: true });
    // NOTE: the pace itself saws around the rate (probed up 5% a clean second, measured again at
    // each throttling): what the table sees is what must be right.
    expect(c.stats.pace).toBeDefined();
    expect(lateRate).toBeGreaterThan(rate * 0.9);
    expect(lateRate).toBeLessThan(rate * 1.1);
    expect(c.stats.throttled / c.stats.calls).toBeLessThan(0.05);
  });

  it('waits for no pace before throttling; after it, spaces the calls that ask together', () => {
    const clock = fakeClock();
    const c = new ConcurrencyController({ paced: true }, clock);
    expect(c.delay(25)).toBe(0);
    for (let i = 1; i <= 10; i++) {
      clock.set(i * 10);
      c.ended(c.started(), { units: 25, throttled: false });
    }
    // 250 units in the 100 ms since the controller began: 2,500 a second, 10 ms for 25.
    c.ended(c.started(), { units: 0, throttled: true });
    expect(c.stats.pace).toBeCloseTo(2500, 6);
    expect([c.delay(25), c.delay(25), c.delay(25)].map(Math.round)).toEqual([0, 10, 20]);
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
