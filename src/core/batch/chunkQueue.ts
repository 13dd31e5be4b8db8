/**
 * batchWrite's chunks in flight: at most the controller's limit at once (it moves as the run goes) (a slot is taken when a chunk starts
 * to fill, so the open chunk counts too), and a chunk that names a key an earlier chunk in flight
 * is writing waits for it, so the input's order holds across chunks.
 */
import type { ConcurrencyController } from './concurrency.js';
import { Slots } from './slots.js';
import type { PreparedWrite } from './writePlan.js';

interface Task {
  done: Promise<void>;
}

export class ChunkQueue {
  private readonly slots: Slots;
  private readonly tasks = new Set<Task>();
  /** For each key, the chunk in flight that is writing it. */
  private readonly writing = new Map<string, Task>();
  /** Whether the open chunk (being filled) holds a slot. */
  private holding = false;

  /**
   * `send` settles every request of its chunk and never throws; should it throw all the same,
   * `lost` settles the chunk.
   */
  constructor(
    concurrency: ConcurrencyController,
    private readonly send: (chunk: PreparedWrite[]) => Promise<void>,
    private readonly lost: (chunk: PreparedWrite[], e: unknown) => void,
  ) {
    const slots = new Slots(concurrency.limit);
    concurrency.onChange = (n) => slots.resize(n);
    this.slots = slots;
  }

  /**
   * A chunk starts to fill: take its slot. Undefined when it holds one now; else a promise that
   * resolves once it does (while `concurrency` chunks are in flight). NOTE: not async: import asks
   * for every request it reads, and an await per request was a promise and a turn each.
   */
  open(): Promise<void> | undefined {
    if (this.holding) return undefined;
    if (this.slots.tryAcquire()) {
      this.holding = true;
      return undefined;
    }
    return this.slots.acquire().then(() => {
      this.holding = true;
    });
  }

  /** Send a closed chunk, on the open chunk's slot (or a new one). */
  async dispatch(chunk: PreparedWrite[]): Promise<void> {
    await this.open();
    this.holding = false;
    const before = new Set<Promise<void>>();
    for (const p of chunk) {
      const t = this.writing.get(p.key);
      if (t) before.add(t.done);
    }
    // Registered before it starts: a chunk that settles at once must find itself to clean up.
    const task: Task = { done: Promise.resolve() };
    this.tasks.add(task);
    for (const p of chunk) this.writing.set(p.key, task);
    task.done = this.run(task, chunk, [...before]);
  }

  /** Wait for every chunk in flight; the open chunk's slot, if any, is given back. */
  async drain(): Promise<void> {
    if (this.holding) {
      this.holding = false;
      this.slots.release();
    }
    while (this.tasks.size) await Promise.all([...this.tasks].map((t) => t.done));
  }

  private async run(task: Task, chunk: PreparedWrite[], before: Promise<void>[]): Promise<void> {
    try {
      if (before.length) await Promise.all(before);
      await this.send(chunk);
    } catch (e) {
      this.lost(chunk, e);
    } finally {
      this.slots.release();
      this.tasks.delete(task);
      for (const p of chunk) if (this.writing.get(p.key) === task) this.writing.delete(p.key);
    }
  }
}
