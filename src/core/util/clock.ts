/** Injectable time, so waits, backoff and progress are tested with a fake clock. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * `run`'s answer, or `late()` thrown once `ms` milliseconds pass first: then `run`'s signal aborts
 * (its request ends, and the SDK tries it no more). For a wait's own requests, held to the wait's
 * time. NOTE: real time, not a Clock's: it bounds how long a request takes, and a test's clock that
 * jumps ahead on every sleep would end each request at once.
 */
export async function within<T>(
  run: (signal: AbortSignal) => Promise<T>,
  ms: number,
  late: () => Error,
): Promise<T> {
  const stop = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const e = late();
        stop.abort(e);
        reject(e);
      },
      Math.max(ms, 0),
    );
  });
  const p = run(stop.signal);
  p.catch(() => {});
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long a wait's look after its time allowed may take (for the last status it reports), in ms. */
export const LAST_LOOK_MS = 5000;

/** The clock's time as ISO 8601 text, e.g. a checkpoint's `updated`. */
export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/**
 * A gate that opens at most once every `ms` of `clock` (its first call opens it): "save at most
 * twice a second" when a million pages each ask.
 */
export function every(clock: Clock, ms: number): () => boolean {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const now = clock.now();
    if (now - last < ms) return false;
    last = now;
    return true;
  };
}
