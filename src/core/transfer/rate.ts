import type { Clock } from '../util/clock.js';

/**
 * A token bucket: at most `perSecond` units a second, with a burst of one second's worth.
 * `take` waits (on the injected clock) until the units are there.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = perSecond;
    this.last = clock.now();
  }

  async take(units: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      // NOTE: an item costing more than a whole second's budget still goes, once the bucket is full.
      const need = Math.min(units, this.perSecond);
      if (this.tokens >= need) {
        this.tokens -= units;
        return;
      }
      await this.clock.sleep(Math.ceil(((need - this.tokens) / this.perSecond) * 1000), signal);
    }
  }
}
