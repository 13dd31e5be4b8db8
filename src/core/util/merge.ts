/**
 * Merge async iterables, yielding values as soon as any source has one. Each source has at most
 * one `next()` in flight, so memory stays at one value (one page) per source.
 */
export async function* mergeAsync<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const its = sources.map((s) => s[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ i: number; r: IteratorResult<T> }>>();
  const arm = (i: number) =>
    pending.set(
      i,
      its[i]!.next().then((r) => ({ i, r })),
    );
  for (let i = 0; i < its.length; i++) arm(i);
  try {
    while (pending.size) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      arm(i);
      yield r.value;
    }
  } finally {
    // Stop the others when the consumer stops early (a --limit) or a source failed.
    await Promise.allSettled(its.map((it) => it.return?.()));
  }
}
