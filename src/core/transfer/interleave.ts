/**
 * Interleave a stream by partition so consecutive writes spread over partitions: input sorted by
 * partition key would otherwise send every call of a run to one partition and throttle it.
 * Holds at most `window` values, and (given a size for each) at most `bytes` of them; within
 * one partition the input order is kept, so a later write of a key still lands after an earlier one.
 */
class Interleaver<T> {
  private readonly queues = new Map<string, T[]>();
  private order: string[] = [];
  private turn = 0;
  held = 0;
  /** The sizes of the values held (0 without `sizeOf`). */
  bytes = 0;

  constructor(
    private readonly partitionOf: (v: T) => string,
    private readonly sizeOf?: (v: T) => number,
  ) {}

  push(v: T): void {
    const p = this.partitionOf(v);
    const q = this.queues.get(p);
    if (q) q.push(v);
    else this.queues.set(p, [v]);
    this.held++;
    if (this.sizeOf) this.bytes += this.sizeOf(v);
  }

  /** The next value, round robin over the partitions that have something queued. */
  next(): T {
    for (;;) {
      if (this.turn >= this.order.length) {
        this.order = [...this.queues.keys()];
        this.turn = 0;
      }
      const p = this.order[this.turn++] as string;
      const q = this.queues.get(p);
      if (!q?.length) continue;
      const v = q.shift() as T;
      if (!q.length) this.queues.delete(p);
      this.held--;
      if (this.sizeOf) this.bytes -= this.sizeOf(v);
      return v;
    }
  }
}

/**
 * Interleave a stream of batches (one batch out per batch in, so each value passes through one
 * await per batch rather than one per value); see the top of this file. With `limit`, the values
 * held also stay within `limit.bytes` as `limit.sizeOf` counts them (a window of 1,000 items of
 * 200 KB held 200 MB).
 */
export async function* interleaveBatches<T>(
  source: AsyncIterable<readonly T[]>,
  partitionOf: (v: T) => string,
  window: number,
  limit?: { bytes: number; sizeOf: (v: T) => number },
): AsyncGenerator<T[]> {
  const il = new Interleaver(partitionOf, limit?.sizeOf);
  const maxBytes = limit?.bytes ?? Number.POSITIVE_INFINITY;
  for await (const batch of source) {
    const out: T[] = [];
    for (const v of batch) {
      il.push(v);
      while (il.held > 0 && (il.held >= window || il.bytes > maxBytes)) out.push(il.next());
    }
    if (out.length) yield out;
  }
  const rest: T[] = [];
  while (il.held > 0) rest.push(il.next());
  if (rest.length) yield rest;
}
