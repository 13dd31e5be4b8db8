/**
 * Retention, between requests: records older than 24 hours are deleted, and a stream disabled more
 * than 24 hours ago goes with all its records. Commits trim the streams they write to (capture.ts);
 * this sweep reaches the streams nobody writes to any more. Each run is one bounded commit.
 */
import type { OpContext } from '../context.js';
import type { Change } from '../store/index.js';
import { RETENTION_MS, recordTree, STREAMS_TREE, type StreamMeta, seqAt } from './meta.js';

/** How often the engine sweeps (ms): retention is counted in hours, a minute late is nothing. */
export const SWEEP_MS = 60_000;

/** Deletes per run at most. */
const MAX_CHANGES = 1000;

/** One run of the sweep; true to be run again. */
export function sweepStreams(ctx: OpContext): boolean {
  const now = ctx.clock.now();
  const horizon = seqAt(now - RETENTION_MS);
  const changes: Change[] = [];
  for (const [arn, stored] of ctx.store.tree(STREAMS_TREE).entries()) {
    const m = JSON.parse(stored.j) as StreamMeta;
    if (m.disabledAt !== undefined && m.disabledAt <= now - RETENTION_MS) {
      changes.push({ tree: STREAMS_TREE, key: arn, value: null }, { tree: recordTree(arn), drop: true });
    } else {
      for (const [k] of ctx.store.tree(recordTree(arn)).entries({ to: horizon, beforeTo: true })) {
        changes.push({ tree: recordTree(arn), key: k, value: null });
        if (changes.length >= MAX_CHANGES) break;
      }
    }
    if (changes.length >= MAX_CHANGES) break;
  }
  if (changes.length) ctx.store.commit(changes);
  return true;
}
