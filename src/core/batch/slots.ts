/**
 * A counting semaphore: at most `size` holders at a time; waiters are served first come, first
 * served. Resizable while in use: growing wakes waiters at once; shrinking takes effect as holders
 * release (a held slot is never taken back, a waiter never lost).
 */
export class Slots {
  /** Slots free now; below zero while a shrink waits for holders to release. */
  private free: number;
  private size: number;
  private readonly waiters: (() => void)[] = [];

  constructor(n: number) {
    checkSize(n);
    this.free = n;
    this.size = n;
  }

  /** Take a slot if one is free now (true), without waiting. */
  tryAcquire(): boolean {
    if (this.free <= 0) return false;
    this.free--;
    return true;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    // NOTE: a shrink left `free` below zero: the released slot pays that back before anyone waits on it.
    const next = this.free >= 0 ? this.waiters.shift() : undefined;
    if (next) next();
    else this.free++;
  }

  /** Allow `n` holders from now on. */
  resize(n: number): void {
    checkSize(n);
    this.free += n - this.size;
    this.size = n;
    while (this.free > 0 && this.waiters.length) {
      this.free--;
      (this.waiters.shift() as () => void)();
    }
  }

  /** Holders now. */
  get held(): number {
    return this.size - this.free;
  }
}

function checkSize(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('concurrency must be a whole number ≥ 1');
}
