/**
 * The heap in use after a full garbage collection: what a run really holds at that moment (no
 * garbage waiting to be collected). For tests that a stream keeps constant memory; a size, not a time.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function heapAfterGc(): number {
  if (!gc) {
    // NOTE: node's documented way to reach gc() in a process started without --expose-gc.
    setFlagsFromString('--expose_gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
