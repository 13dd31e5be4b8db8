/**
 * How many calls a bulk transfer keeps in flight, found as it runs (as TCP finds its window):
 * grow while the throughput rises and nothing is throttled, cut at once on throttling, back off
 * when the latency climbs with no gain. Pure logic on an injected clock; the executors report each
 * call's end (`ended`) and resize their slots when `limit` changes (`onChange`).
 *
 * The rule, per window of about `limit` calls:
 * - a throttled call (ProvisionedThroughputExceededException, ThrottlingException, UnprocessedItems,
 *   a retry the SDK made) cuts the limit by a quarter (by half when it ends the slow start), or to
 *   the calls the table sustained if fewer, once per round trip (calls that started before the last
 *   cut do not cut again); growing back to where it met throttling is slow;
 * - slow start: the limit grows by half while the latency stays near its floor and the throughput
 *   rises (SLOW_START_GROWTH: doubling overshot);
 * - after it: one more call a window while the latency stays near its floor (the best window
 *   seen); when it does not and the throughput stopped rising, a tenth less, but never below
 *   `initial` for latency alone (only throttling goes lower: a local engine is CPU-bound, its
 *   latency grows with any load, and it must run no slower than with today's fixed default).
 *
 * And once throttled, a pace: the units a second the table accepted, kept by spacing the calls'
 * starts (`delay`). A count of calls alone cannot hold a rate (at one call in flight a near
 * endpoint still does thousands of units a second; a burst allowance hides the capacity for a
 * while): a pace is what keeps throttled calls rare and the rate near the table's.
 * - measured at the first throttling: the higher of the last second's rate (or the last
 *   RECENT_CALLS calls' when a second holds fewer) and the last RECENT_CALLS calls';
 * - measured again at throttling a second or more later, or sooner when most calls sent at it were
 *   throttled (what went through since): the pace goes a tenth below that, and 5% below itself at
 *   least (`paceCeiling` keeps the value before the tenth);
 * - raised while it binds and nothing is throttled: quickly up to `paceCeiling`, each rise twice
 *   the last; past it 5% a second once PACE_PATIENCE_MS and PACE_PATIENCE_CALLS went clean;
 * - calls asleep on a pace since lowered ask again (`turn`).
 * A fixed limit (`--concurrency`) is paced the same way; only the count of calls stays put.
 * The pace is a guess that the throttling is the rate's doing; when PACE_TRIES spans in a row (a
 * second and SPAN_CALLS calls each) at the pace still see a tenth of the calls throttled or more,
 * it was not (an endpoint's faults, which no lower rate lessens): the pace is dropped for the run
 * and the count of calls goes on alone.
 *
 * A fault that is not throttling (a 5xx, a dropped connection: `fault`) moves nothing, as in the
 * SDK's adaptive retry mode: the executor retries it; cutting on it took the limit to 1 and kept it
 * there with one call in 40 failing (a unit test models it).
 */
import type { Clock } from '../util/clock.js';

export interface ConcurrencyOptions {
  /** A fixed limit (`--concurrency N`): never adapted. */
  fixed?: number;
  /** The limit to start with, and the floor for latency alone. Default 8. */
  initial?: number;
  /** Default 1. */
  min?: number;
  /** Default 64: past it, calls queue in the client's sockets and gain nothing. */
  max?: number;
  /**
   * Whether throttling sets a pace that `delay` keeps (the executor then asks it before each call:
   * batchWrite does, unless told `paced: false`). Default false: the limit of calls alone.
   */
  paced?: boolean;
}

/** What the controller met, for progress lines and summaries. */
export interface ConcurrencyStats {
  /** The limit now. */
  limit: number;
  /** The highest limit reached. */
  reached: number;
  /** Calls ended. */
  calls: number;
  /** Calls that met throttling (one or more times). */
  throttled: number;
  /** Calls in flight now. */
  inFlight: number;
  /** Whether the limit adapts (no fixed --concurrency). */
  adaptive: boolean;
  /** Units a second the calls are paced at now, since throttling met them (undefined: not paced). */
  pace: number | undefined;
  /**
   * Units a second the calls went through at since the pace was set (the pace itself in its first
   * second); undefined: not paced, or the pace was dropped.
   */
  pacedRate: number | undefined;
}

/** A slow start's step (16, 24, 36, 54, 81): doubling took 32 to 64 as a burst allowance ran out,
 * and every call then in flight was throttled (2,000 units: 80–100 calls of 2,000; by half 40–50). */
const SLOW_START_GROWTH = 1.5;
/** A limit is cut to this share on throttling: gentle, so it settles near the table's capacity. */
const CUT = 0.75;
/** Clean windows before a step up to the limit that last met throttling. */
const PATIENCE = 8;
/** Latency within this factor of its floor counts as "near the floor". */
const NEAR_FLOOR = 1.5;
/** The pace's measure: units accepted over this much time. */
const PACE_SPAN_MS = 1000;
/** A rise of the pace past paceCeiling (the first rise below it; later ones twice the last). */
const PACE_PROBE = 1.05;
/** Throttling at a pace lowers it to this share of itself at least, then to PACE_MARGIN of that or of the measure. */
const PACE_DOWN = 0.95;
const PACE_MARGIN = 0.9;
/** Spans in a row at the pace with this share of throttled calls or more drop the pace. */
const PACE_TRIES = 5;
const PACE_FAILED_SHARE = 0.1;
/** A span is judged once it holds this many calls (a low rate makes spans longer than a second). */
const SPAN_CALLS = 10;
/** The pace's measure covers at least this many calls (a low rate: more than a second); the first
 * one is also taken over the last this many (the rate that met throttling). */
const RECENT_CALLS = 16;
/** After throttling, the pace is probed up again only this long and this many calls clean. */
const PACE_PATIENCE_MS = 3000;
const PACE_PATIENCE_CALLS = 40;

/**
 * Units a second across calls through, [end time, units] in time order: the units after the first,
 * over the time from its end to the last one's (undefined under 10 ms).
 */
function rateAcross(calls: readonly [number, number][]): number | undefined {
  const span = (calls.at(-1)?.[0] ?? 0) - (calls[0]?.[0] ?? 0);
  if (span < 10) return undefined;
  let units = 0;
  for (const [, u] of calls.slice(1)) units += u;
  return (units * 1000) / span;
}

export class ConcurrencyController {
  readonly adaptive: boolean;
  private readonly min: number;
  private readonly max: number;
  private readonly initial: number;
  private current: number;
  private reached: number;
  private calls = 0;
  private throttledCalls = 0;
  private inFlight = 0;
  private slowStart = true;
  /** Calls started before this time do not cut the limit again. */
  private lastCut = Number.NEGATIVE_INFINITY;
  private floorMs = Number.POSITIVE_INFINITY;
  private window = { start: 0, calls: 0, units: 0, ms: 0 };
  private lastRate = 0;
  /** The limit throttling last met: growing up to it again is slow (it is the table's capacity). */
  private ceiling = Number.POSITIVE_INFINITY;
  /** Clean windows in a row since the last change. */
  private clean = 0;
  /** Units a second, once throttling met the calls; undefined before. */
  private pace: number | undefined;
  /** When the next call may start at the pace (GCRA's theoretical arrival time). */
  private nextStart = 0;
  /** When the pace last changed. */
  private paceSet = 0;
  /** Units accepted by calls ended over the last PACE_SPAN_MS, and at least RECENT_CALLS: [end time, units]. */
  private accepted: [number, number][] = [];
  /** When the controller was made: the measure's origin before a second has passed. */
  private readonly born: number;
  private readonly paced: boolean;
  /** When the pace was last measured, and the calls since (at the pace). */
  private paceCut = 0;
  private sinceCut = { calls: 0, throttled: 0, units: 0 };
  /** When a call at the pace was last throttled, and the calls since. */
  private lastThrottle = 0;
  private cleanCalls = 0;
  /** Units through since the pace was first set, from when, to the last call's end. */
  private pacedRun = { units: 0, from: 0, to: 0 };
  /** Calls through since the pace last rose. */
  private probeCalls = 0;
  /** Rises of the pace in a row below paceCeiling: each twice the last (5%, 10%, 20%, 40%). */
  private probeStreak = 0;
  /** What the table accepted at the last cut of the pace (before the margin). */
  private paceCeiling = Number.POSITIVE_INFINITY;
  /** Calls ended, and those throttled, in the current span at the pace. */
  private span = { start: 0, calls: 0, throttled: 0 };
  /** Spans in a row at the pace that were throttled as much as before it (PACE_FAILED_SHARE). */
  private failedSpans = 0;
  /** The pace did not lessen the throttling: no pace again in this run. */
  private unpaced = false;
  /** Told of every new limit (the executor resizes its slots). */
  onChange: ((limit: number) => void) | undefined;

  constructor(
    opts: ConcurrencyOptions,
    private readonly clock: Clock,
  ) {
    this.adaptive = opts.fixed === undefined;
    this.min = opts.min ?? 1;
    this.max = Math.max(this.min, opts.max ?? 64);
    this.initial = Math.min(this.max, Math.max(this.min, opts.initial ?? 8));
    this.current = opts.fixed ?? this.initial;
    if (!Number.isInteger(this.current) || this.current < 1) {
      throw new RangeError('concurrency must be a whole number ≥ 1');
    }
    this.reached = this.current;
    this.window.start = clock.now();
    this.born = clock.now();
    this.paced = opts.paced ?? false;
  }

  get limit(): number {
    return this.current;
  }

  get stats(): ConcurrencyStats {
    return {
      limit: this.current,
      reached: this.reached,
      calls: this.calls,
      throttled: this.throttledCalls,
      inFlight: this.inFlight,
      adaptive: this.adaptive,
      pace: this.pace,
      pacedRate: this.pacedRate(),
    };
  }

  private pacedRate(): number | undefined {
    if (this.pace === undefined) return undefined;
    const { units, from, to } = this.pacedRun;
    return to - from >= PACE_SPAN_MS ? (units * 1000) / (to - from) : this.pace;
  }

  /**
   * A call of `units` is about to start: the milliseconds it must wait first to keep the pace (0
   * before any throttling). Reserves its place: calls asking together are spaced one after another.
   */
  delay(units: number): number {
    if (this.pace === undefined) return 0;
    const now = this.clock.now();
    const at = Math.max(now, this.nextStart);
    this.nextStart = at + (units * 1000) / this.pace;
    return at - now;
  }

  /**
   * Wait for a call's turn at the pace (at once before any throttling); a call asleep when the
   * pace changes asks again. Rejects with the signal's reason when it aborts.
   */
  async turn(units: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const version = this.paceVersion;
      const wait = this.delay(units);
      if (wait <= 0) return;
      await this.clock.sleep(wait, signal);
      if (version === this.paceVersion) return;
    }
  }

  /** Changes each time the pace does: a reservation made under another version is void. */
  paceVersion = 0;

  /** A call starts; give its start time back to `ended`. */
  started(): number {
    this.inFlight++;
    return this.clock.now();
  }

  /**
   * A call started at `start` ended: `units` of work done (requests written, items read), whether
   * it met throttling, and whether it met a fault that is not throttling (a 5xx, a dropped
   * connection).
   */
  ended(start: number, outcome: { units: number; throttled: boolean; fault?: boolean }): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.calls++;
    const now = this.clock.now();
    const ms = now - start;
    if (outcome.throttled) this.throttledCalls++;
    if (this.paced) {
      if (outcome.units > 0) this.accepted.push([now, outcome.units]);
      const a = this.accepted;
      while (a.length > RECENT_CALLS && (a[0]?.[0] ?? now) <= now - PACE_SPAN_MS) a.shift();
      if (this.pace !== undefined) {
        this.countSpan(now, outcome.throttled);
        this.pacedRun.units += outcome.units;
        this.pacedRun.to = now;
        const since = this.sinceCut;
        since.units += outcome.units;
        // NOTE: a call sent before the last measure says nothing of the pace it set (it went at
        // the old one): counting them took a pace from 3,835 to 194 in 40 ms against 2,000.
        if (start >= this.paceCut) {
          since.calls++;
          if (outcome.throttled) since.throttled++;
        }
        if (outcome.throttled) {
          this.lastThrottle = now;
          this.cleanCalls = 0;
          this.probeStreak = 0;
        } else {
          this.cleanCalls++;
          this.probeCalls++;
        }
      }
    }
    if (outcome.throttled) {
      // Once per round trip: calls that started before the last cut do not cut again.
      if (start < this.lastCut) return;
      if (this.adaptive) this.cut(now);
      this.lastCut = now;
      if (this.paced && !this.unpaced) this.measurePace(now);
      return;
    }
    // NOTE: a fault is retried by the executor; its time says nothing of the endpoint's load.
    if (outcome.fault) return;
    this.probePace(now);
    if (!this.adaptive) return;
    const w = this.window;
    w.calls++;
    w.units += outcome.units;
    w.ms += ms;
    if (w.calls >= Math.max(2, this.current)) this.closeWindow(now);
  }

  /** Judge the pace once a span: a throttled share that persists at it drops it (see the top). */
  private countSpan(now: number, throttled: boolean): void {
    const span = this.span;
    span.calls++;
    if (throttled) span.throttled++;
    if (now - span.start < PACE_SPAN_MS || span.calls < SPAN_CALLS) return;
    this.failedSpans = span.throttled >= span.calls * PACE_FAILED_SHARE ? this.failedSpans + 1 : 0;
    this.span = { start: now, calls: 0, throttled: 0 };
    if (this.failedSpans < PACE_TRIES) return;
    this.pace = undefined;
    this.paceVersion++;
    this.nextStart = 0;
    this.unpaced = true;
  }

  private cut(now: number): void {
    // The first throttling ends a slow start that grew past the capacity: halve, as TCP does.
    const share = this.slowStart ? 0.5 : CUT;
    this.slowStart = false;
    this.ceiling = this.current;
    this.clean = 0;
    // The calls that went through since the window began, as calls in flight on average (their
    // time over the window's): what the table sustains. A cut goes there when it is lower, so a
    // limit grown while a burst allowance lasted comes down in one step, not a storm of them.
    const w = this.window;
    const elapsed = now - w.start;
    const sustained = w.calls >= 2 && elapsed > 0 ? Math.ceil(w.ms / elapsed) : this.current;
    this.set(Math.max(this.min, Math.min(Math.floor(this.current * share), sustained)));
    this.resetWindow(now, 0);
  }

  /** Throttling met the calls: set the pace, or measure it again (see the top). */
  private measurePace(now: number): void {
    // NOTE: what the table accepted over the last second is its rate, measured at the first
    // throttling and again at throttling a second or more after the last measure: a measure
    // within the second would still count the burst allowance the first one spent, and
    // throttling that is not the rate's doing (an endpoint's faults) would ratchet it down call
    // after call, to a standstill, before the spans could tell (countSpan).
    // But when most calls since the last measure were throttled, it was far too high (a burst
    // allowance spent): what went through since it is the rate, measured at once.
    const since = this.sinceCut;
    let rate: number | undefined;
    if (this.pace === undefined) {
      // NOTE: the higher of the last second (a ramp-up deflates it: a pace set low takes seconds
      // of probing to rise) and the last calls' rate: too high is undone by the next throttling
      // at once (below), too low only by probing.
      const last = this.acceptedRate(now);
      const recent = this.recentRate();
      rate = last === undefined ? recent : Math.max(last, recent ?? 0);
    } else if (now - this.paceCut >= PACE_SPAN_MS) rate = this.acceptedRate(now);
    else if (since.calls >= SPAN_CALLS && since.throttled * 2 >= since.calls && now > this.paceCut) {
      // NOTE: four calls through and 50 ms at least, or the measure is a call's size over a short
      // time (seen: 776 a second against 1,000, and probing took 30 s to undo it): the pace times
      // the share of calls that went through (a quarter at least) instead.
      const through = since.calls - since.throttled;
      rate =
        through >= 4 && now - this.paceCut >= 50
          ? (since.units * 1000) / (now - this.paceCut)
          : this.pace * Math.max(0.25, through / since.calls);
    }
    if (rate === undefined) return;
    if (this.pace === undefined) {
      this.span = { start: now, calls: 0, throttled: 0 };
      this.pacedRun = { units: 0, from: now, to: now };
      this.paceCeiling = rate;
    } else {
      // NOTE: 5% below the pace at least: calls at a pace a little above the capacity go through
      // while a burst allowance lasts, so the measure is the pace itself (seen: 54 a second
      // against 50, throttled every 14 calls for ever). And a tenth below that: a measure over a
      // short time is noisy (seen: 2,336 a second against 2,000, then throttling all along);
      // probing brings it back up to the ceiling quickly, past it slowly.
      this.paceCeiling = Math.min(rate, this.pace * PACE_DOWN);
      rate = this.paceCeiling * PACE_MARGIN;
    }
    this.pace = rate;
    // NOTE: the queue starts again from now: the calls asleep on the old pace ask again (`turn`,
    // `paceVersion`), or they would go out at it.
    this.paceVersion++;
    this.nextStart = Math.min(this.nextStart, now);
    this.paceSet = now;
    this.paceCut = now;
    this.sinceCut = { calls: 0, throttled: 0, units: 0 };
  }

  /** Units a second over the last RECENT_CALLS calls through. */
  private recentRate(): number | undefined {
    const a = this.accepted.slice(-RECENT_CALLS);
    return a.length < 4 ? undefined : rateAcross(a);
  }

  /**
   * Units a second accepted over the last PACE_SPAN_MS, or over the last RECENT_CALLS calls when
   * the second holds fewer (a low rate), or since the controller began when it is younger.
   */
  private acceptedRate(now: number): number | undefined {
    const a = this.accepted;
    const oldest = a[0];
    if (!oldest) return undefined;
    let rate: number | undefined;
    if (oldest[0] > now - PACE_SPAN_MS) {
      const span = Math.min(PACE_SPAN_MS, now - this.born);
      let units = 0;
      for (const [, u] of a) units += u;
      rate = span < 10 ? undefined : (units * 1000) / span;
    } else {
      // The oldest call kept ended before the span: measured up to the last call through (not
      // `now`, the end of a throttled call: at one call a second, a second's bias).
      rate = rateAcross(a);
    }
    return rate === undefined ? undefined : Math.max(1, rate);
  }

  /**
   * Raise a pace that binds (the calls go at 90% of it or more). Below what the table last
   * accepted (`paceCeiling`: the margin taken at a cut) quickly, each rise twice the last, up to
   * it; at or past it only after PACE_PATIENCE_MS and PACE_PATIENCE_CALLS went clean, 5% a second
   * (each probe past the capacity costs throttled calls: at a low rate, a few seconds are a few
   * calls).
   */
  private probePace(now: number): void {
    if (this.pace === undefined || this.probeCalls < PACE_PATIENCE_CALLS / 4) return;
    const below = this.pace * PACE_PROBE < this.paceCeiling;
    if (below ? now - this.paceSet < PACE_SPAN_MS / 4 : now - this.paceSet < PACE_SPAN_MS) return;
    if (!below && (now - this.lastThrottle < PACE_PATIENCE_MS || this.cleanCalls < PACE_PATIENCE_CALLS)) {
      return;
    }
    const rate = this.acceptedRate(now) ?? 0;
    if (rate >= this.pace * 0.9) {
      if (below) {
        this.pace = Math.min(
          this.paceCeiling,
          this.pace * (1 + (PACE_PROBE - 1) * 2 ** Math.min(this.probeStreak, 3)),
        );
        this.probeStreak++;
      } else this.pace *= PACE_PROBE;
    }
    this.paceSet = now;
    this.probeCalls = 0;
  }

  private closeWindow(now: number): void {
    const w = this.window;
    const elapsed = Math.max(1, now - w.start);
    const rate = w.units / elapsed;
    const latency = w.ms / w.calls;
    const rising = rate > this.lastRate * 1.1;
    const nearFloor = latency <= this.floorMs * NEAR_FLOOR + 1;
    // NOTE: the floor is the best window's mean, not the fastest call: one lucky call set a floor
    // that a loaded client (2 cores shared with the engine) never met again, and the calls in
    // flight stopped at 9 where 16 did 20–50% more (behind +10 ms).
    if (latency < this.floorMs) this.floorMs = latency;
    let next = this.current;
    // NOTE: calls queued for the pace: more of them in flight would only wait longer.
    if (this.pace !== undefined && this.nextStart > now) {
      this.resetWindow(now, rate);
      return;
    }
    if (this.slowStart) {
      // NOTE: both must hold. A rising throughput alone also comes from a JIT warming up (it took
      // an in-process engine to 64 calls in flight, for nothing); the latency alone let a client
      // whose first calls were slow (connections, JIT: a high floor) grow past its CPU's limit.
      if (nearFloor && rising) next = Math.ceil(this.current * SLOW_START_GROWTH);
      else this.slowStart = false;
    } else if (nearFloor) {
      // NOTE: near the limit that met throttling, a step up waits for a few clean windows: each
      // probe there costs throttled calls, and the rate barely changes.
      this.clean++;
      const patience = this.current + 1 >= this.ceiling ? PATIENCE : 1;
      if (this.clean >= patience) {
        next = this.current + 1;
        this.clean = 0;
        if (next > this.ceiling) this.ceiling = Number.POSITIVE_INFINITY;
      }
    }
    // Latency up, throughput flat: step back. NOTE: never up, even below `initial` (after a cut).
    else if (!rising) next = Math.min(this.current, Math.max(this.initial, Math.floor(this.current * 0.9)));
    this.resetWindow(now, rate);
    this.set(Math.min(this.max, next));
  }

  private resetWindow(now: number, rate: number): void {
    this.window = { start: now, calls: 0, units: 0, ms: 0 };
    this.lastRate = rate;
  }

  private set(limit: number): void {
    if (limit === this.current) return;
    this.current = limit;
    if (limit > this.reached) this.reached = limit;
    this.onChange?.(limit);
  }
}
