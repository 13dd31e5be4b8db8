/**
 * Merge async iterables, yielding values as soon as any source has one. Each source has at most
 * one `next()` in flight, so memory stays at one value (one page) per source.
 *
 * At most `limit` sources run at a time: the others are taken from `sources` (read lazily) only
 * when one ends, so a million scan segments cost the memory and connections of `limit`.
 */
export async function* mergeAsync<T>(
  sources: Iterable<AsyncIterable<T>>,
  limit: number | (() => number) = Number.POSITIVE_INFINITY,
): AsyncGenerator<T> {
  // NOTE: a limit that moves (an adaptive one) is read each time a source could start: a lower one
  // lets the running sources finish, a higher one starts more at once.
  const max = typeof limit === 'function' ? limit : () => limit;
  const waiting = sources[Symbol.iterator]();
  const running = new Map<number, AsyncIterator<T>>();
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<T> }>>();
  let started = 0;
  const arm = (i: number) => {
    const p = (running.get(i) as AsyncIterator<T>).next().then((r) => ({ i, r }));
    // NOTE: a source whose next() fails after the consumer stopped (an aborted request) must not
    // become an unhandled rejection; the race below still sees every failure while it runs.
    p.catch(() => {});
    pending.set(i, p);
  };
  const startNext = (): boolean => {
    const s = waiting.next();
    if (s.done) return false;
    const i = started++;
    running.set(i, s.value[Symbol.asyncIterator]());
    arm(i);
    return true;
  };
  const fill = () => {
    while (running.size < max() && startNext()) {}
  };
  fill();
  try {
    while (pending.size) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        running.delete(i);
        fill();
        continue;
      }
      fill();
      arm(i);
      yield r.value;
    }
  } finally {
    // Stop the others when the consumer stops early (a --limit) or a source failed.
    await Promise.allSettled([...running.values()].map((it) => it.return?.()));
  }
}
