/**
 * An async iterable that ends as soon as `signal` aborts, even while the source is waiting for
 * its next value (stdin from a producer that stalled): the consumer stops at once, and the source
 * is asked to stop (its `return`, not awaited: a generator busy on an await ends when that does).
 */
export function untilAborted<T>(
  source: AsyncIterable<T> | Iterable<T>,
  signal: AbortSignal | undefined,
): AsyncIterable<T> {
  if (!signal) return toAsync(source);
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const it = toAsync(source)[Symbol.asyncIterator]();
      const finish = () => {
        // NOTE: not awaited: the source may be blocked on its own read.
        void Promise.resolve(it.return?.()).catch(() => {});
      };
      return {
        async next() {
          if (signal.aborted) {
            finish();
            return { done: true, value: undefined };
          }
          // NOTE: a promise of this call alone, its listener removed when the call ends. One promise
          // for the whole run, raced on every call, kept a reaction per call, and each held the
          // value of its call: an import held every record it read (0.8 KB an item, until the heap ran out).
          let onAbort: () => void = () => {};
          const stopped = new Promise<IteratorResult<T>>((resolve) => {
            onAbort = () => resolve({ done: true, value: undefined });
            signal.addEventListener('abort', onAbort, { once: true });
          });
          try {
            const r = await Promise.race([it.next(), stopped]);
            if (r.done) finish();
            return r;
          } finally {
            signal.removeEventListener('abort', onAbort);
          }
        },
        async return() {
          finish();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

function toAsync<T>(source: AsyncIterable<T> | Iterable<T>): AsyncIterable<T> {
  if (Symbol.asyncIterator in source) return source as AsyncIterable<T>;
  return (async function* () {
    yield* source as Iterable<T>;
  })();
}
