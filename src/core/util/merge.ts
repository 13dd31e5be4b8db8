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
  // NOTE: each source's next() reports into `ready` when it settles. A Promise.race over the
  // pending ones left a reaction on a slow source's promise at every race, each holding the value
  // that won it: a page per race, kept until the slow source answered.
  const ready: ({ i: number; r: IteratorResult<T> } | { i: number; error: unknown })[] = [];
  const inFlight = new Set<number>();
  let wake: (() => void) | undefined;
  let started = 0;
  const arm = (i: number) => {
    inFlight.add(i);
    (running.get(i) as AsyncIterator<T>).next().then(
      (r) => {
        ready.push({ i, r });
        wake?.();
      },
      (error: unknown) => {
        ready.push({ i, error });
        wake?.();
      },
    );
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
    while (inFlight.size) {
      while (ready.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      wake = undefined;
      const got = ready.shift() as (typeof ready)[number];
      inFlight.delete(got.i);
      if ('error' in got) {
        running.delete(got.i);
        throw got.error;
      }
      if (got.r.done) {
        running.delete(got.i);
        fill();
        continue;
      }
      fill();
      arm(got.i);
      yield got.r.value;
    }
  } finally {
    // Stop the others when the consumer stops early (a --limit) or a source failed.
    await Promise.allSettled([...running.values()].map((it) => it.return?.()));
  }
}
