/**
 * Interleave a stream by partition so consecutive writes spread over partitions: input sorted by
 * partition key would otherwise send every call of a run to one partition and throttle it.
 * Holds at most `window` values; within one partition the input order is kept, so a later write
 * of a key still lands after an earlier one.
 */
export async function* interleave<T>(
  source: AsyncIterable<T>,
  partitionOf: (v: T) => string,
  window: number,
): AsyncGenerator<T> {
  const queues = new Map<string, T[]>();
  let held = 0;
  let order: string[] = [];
  let turn = 0;
  const next = (): T => {
    // Round robin over the partitions that have something queued.
    for (;;) {
      if (turn >= order.length) {
        order = [...queues.keys()];
        turn = 0;
      }
      const p = order[turn++] as string;
      const q = queues.get(p);
      if (!q?.length) continue;
      const v = q.shift() as T;
      if (!q.length) queues.delete(p);
      held--;
      return v;
    }
  };
  for await (const v of source) {
    const p = partitionOf(v);
    const q = queues.get(p);
    if (q) q.push(v);
    else queues.set(p, [v]);
    held++;
    if (held >= window) yield next();
  }
  while (held > 0) yield next();
}
