/**
 * Work the engine does between requests, as DynamoDB does it behind the API: a new index's
 * backfill, TTL's sweep of expired items. Each task is a function run now and then on a timer; it
 * does a bounded piece of work synchronously (one store commit or a few), so a request never sees
 * half of a piece and requests are never held for long. Timers are unref'd: they never keep a
 * process alive. Work left when the engine closes is carried in the store (a task's progress lives
 * in the table's meta), so the next engine on the data dir goes on with it.
 */
export interface Task {
  /** Stop this task (idempotent). */
  cancel(): void;
}

export class Background {
  private readonly tasks = new Set<NodeJS.Timeout>();
  private stopped = false;

  /**
   * Run `fn` every `ms` milliseconds until it returns false (done), the task is cancelled or the
   * engine stops. A thrown error stops the task and is handed to `onError` (never to a request).
   */
  every(ms: number, fn: () => boolean, onError?: (e: unknown) => void): Task {
    if (this.stopped) return { cancel: () => {} };
    let timer: NodeJS.Timeout | undefined;
    const cancel = () => {
      if (timer) {
        clearTimeout(timer);
        this.tasks.delete(timer);
        timer = undefined;
      }
    };
    const tick = () => {
      if (timer) this.tasks.delete(timer);
      timer = undefined;
      let again: boolean;
      try {
        again = fn();
      } catch (e) {
        onError?.(e);
        return;
      }
      if (again && !this.stopped) schedule();
    };
    const schedule = () => {
      timer = setTimeout(tick, ms);
      timer.unref();
      this.tasks.add(timer);
    };
    schedule();
    return { cancel };
  }

  /** Stop every task; no task starts after this. */
  stop(): void {
    this.stopped = true;
    for (const t of this.tasks) clearTimeout(t);
    this.tasks.clear();
  }
}
