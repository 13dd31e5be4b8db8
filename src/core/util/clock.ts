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
