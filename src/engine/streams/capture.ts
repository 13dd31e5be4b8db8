/**
 * Stream records, written in the same commit as the change they tell of. The engine's store is
 * wrapped (`streamingStore`): every commit is looked at before it goes to the store, and for each
 * item of a table whose stream is enabled that the commit changes (an item tree's put or delete:
 * PutItem, UpdateItem, DeleteItem, BatchWriteItem, transactions, PartiQL, TTL's sweep: every path
 * ends in one commit) a record is added to the same commit, so the change and its record are
 * durable together or not at all. No record when nothing changed (a put of the same item), as
 * DynamoDB.
 *
 * The same look at the meta tree keeps the `streams` tree in step with the tables: a table meta
 * record whose stream is new opens the stream, one whose stream was disabled, or a table deleted,
 * closes it. Old records (24 hours) are trimmed a few at a time by the commits that add new ones.
 */
import { randomUUID } from 'node:crypto';
import { itemTree, META_TREE, type TableMeta } from '../catalog.js';
import type { EngineClock } from '../context.js';
import type { Change, Store, Stored } from '../store/index.js';
import type { Item } from '../types.js';
import { valuesEqual } from '../values/compare.js';
import { itemSize } from '../values/size.js';
import {
  newStream,
  RETENTION_MS,
  recordTree,
  STREAMS_TREE,
  type StreamMeta,
  seqAfter,
  seqAt,
  type TableStream,
  tableStream,
} from './meta.js';

/**
 * Item changes made by the service itself (TTL's deletions): their records carry DynamoDB's
 * userIdentity. writeItem marks them (its `origin` parameter).
 */
const byService = new WeakSet<Change>();

export function markByService(change: Change): void {
  byService.add(change);
}

/**
 * The identity DynamoDB writes into the record of a deletion made by TTL. NOTE: GetRecords writes
 * the members capitalised (API reference, Identity: PrincipalId, Type); Lambda's event records
 * carry them as `principalId` and `type`.
 */
export const SERVICE_IDENTITY = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' };

/** Old records deleted per stream per commit at most: the trim keeps up without a long commit. */
const TRIM_PER_COMMIT = 16;

export interface CaptureContext {
  clock: EngineClock;
  region: string;
}

const ITEM_PREFIX = itemTree('');

/** `inner` with stream records added to each commit that changes items of a table with a stream. */
export function streamingStore(inner: Store, ctx: CaptureContext): Store {
  // NOTE: the meta record as stored, not brought up to date (that would commit inside this commit).
  const parsed = new WeakMap<Stored, TableMeta>();
  const findTable = (name: string): TableMeta | undefined => {
    const stored = inner.tree(META_TREE).get(name);
    if (!stored) return undefined;
    let meta = parsed.get(stored);
    if (!meta) {
      meta = JSON.parse(stored.j) as TableMeta;
      parsed.set(stored, meta);
    }
    return meta;
  };
  return {
    tree: (name) => inner.tree(name),
    treeNames: () => inner.treeNames(),
    close: () => inner.close(),
    commit(changes) {
      const more = streamChanges(inner, ctx, findTable, changes);
      inner.commit(more.length ? [...changes, ...more] : changes);
    },
  };
}

/** The changes to add to `changes`: records, streams opened or closed, old records trimmed. */
function streamChanges(
  store: Store,
  ctx: CaptureContext,
  findTable: (name: string) => TableMeta | undefined,
  changes: readonly Change[],
): Change[] {
  const out: Change[] = [];
  let now: number | undefined;
  const time = () => (now ??= ctx.clock.now());
  /** Streams written to in this commit: their last sequence number so far. */
  const last = new Map<string, string>();
  /** Items already changed in this commit (by tree + key): their value after it. */
  const pending = new Map<string, Stored | null>();
  for (const c of changes) {
    if ('drop' in c) continue;
    if (c.tree === META_TREE) {
      streamLifecycle(store, c.key, c.value, time, out);
      continue;
    }
    if (!c.tree.startsWith(ITEM_PREFIX)) continue;
    const table = findTable(c.tree.slice(ITEM_PREFIX.length));
    const s = tableStream(table);
    // NOTE: a table without a stream costs one meta lookup per change, nothing more.
    if (!table || !s?.enabled) continue;
    const id = `${c.tree}\u0000${c.key}`;
    const old = pending.has(id) ? pending.get(id) : store.tree(c.tree).get(c.key);
    pending.set(id, c.value);
    if ((old ?? null) === null && c.value === null) continue;
    if (old && c.value && sameItem(old, c.value)) continue;
    let prev = last.get(s.arn);
    if (prev === undefined) {
      prev = lastSeq(store, s.arn);
      trim(store, s.arn, time(), out);
    }
    const floor = seqAt(time());
    const seq = prev !== undefined && seqAfter(prev) > floor ? seqAfter(prev) : floor;
    last.set(s.arn, seq);
    const rec = streamRecord(table, s, old ?? undefined, c.value ?? undefined, seq, time(), ctx.region);
    if (byService.has(c)) rec.userIdentity = SERVICE_IDENTITY;
    const j = JSON.stringify(rec);
    out.push({ tree: recordTree(s.arn), key: seq, value: { j, z: j.length } });
  }
  return out;
}

/**
 * Whether two stored items hold the same data: the same text, or (of the same size) the same
 * attributes and values in another order (maps' names, sets' members), which DynamoDB takes for no
 * change either.
 */
function sameItem(a: Stored, b: Stored): boolean {
  if (a.j === b.j) return true;
  if (a.z !== b.z) return false;
  return valuesEqual({ M: JSON.parse(a.j) as Item }, { M: JSON.parse(b.j) as Item });
}

/** The last sequence number written to a stream (undefined: none is left). */
function lastSeq(store: Store, arn: string): string | undefined {
  for (const [k] of store.tree(recordTree(arn)).entries({ reverse: true })) return k;
  return undefined;
}

/** Delete a few records older than the retention period. */
function trim(store: Store, arn: string, now: number, out: Change[]): void {
  const horizon = seqAt(now - RETENTION_MS);
  let n = 0;
  for (const [k] of store.tree(recordTree(arn)).entries({ to: horizon, beforeTo: true })) {
    out.push({ tree: recordTree(arn), key: k, value: null });
    if (++n >= TRIM_PER_COMMIT) break;
  }
}

/** One record as GetRecords answers it. */
function streamRecord(
  table: TableMeta,
  s: TableStream,
  old: Stored | undefined,
  next: Stored | undefined,
  seq: string,
  now: number,
  region: string,
): Record<string, unknown> {
  const oldItem = old ? (JSON.parse(old.j) as Item) : undefined;
  const newItem = next ? (JSON.parse(next.j) as Item) : undefined;
  const any = (newItem ?? oldItem)!;
  const keys: Item = {};
  for (const k of [table.key.hash, table.key.range]) if (k && any[k.name]) keys[k.name] = any[k.name]!;
  const dynamodb: Record<string, unknown> = {
    // NOTE: DynamoDB writes whole seconds here (the SDKs read it as a date).
    ApproximateCreationDateTime: Math.floor(now / 1000),
    Keys: keys,
  };
  let size = itemSize(keys);
  if (newItem && (s.viewType === 'NEW_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.NewImage = newItem;
    size += next!.z;
  }
  if (oldItem && (s.viewType === 'OLD_IMAGE' || s.viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb.OldImage = oldItem;
    size += old!.z;
  }
  dynamodb.SequenceNumber = seq;
  dynamodb.SizeBytes = size;
  dynamodb.StreamViewType = s.viewType;
  return {
    eventID: randomUUID().replaceAll('-', ''),
    eventName: !old ? 'INSERT' : !next ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
  };
}

/**
 * A table's meta record is written (`value`; null: the table is gone): open the stream it names if
 * it is new, close the one it had if it is disabled now or the table is being deleted.
 */
function streamLifecycle(
  store: Store,
  name: string,
  value: Stored | null,
  time: () => number,
  out: Change[],
): void {
  const beforeStored = store.tree(META_TREE).get(name);
  const before = beforeStored ? (JSON.parse(beforeStored.j) as TableMeta) : undefined;
  const after = value ? (JSON.parse(value.j) as TableMeta) : undefined;
  // A table already DELETING closed its stream when it entered that phase.
  const was = before && before.status !== 'DELETING' ? tableStream(before) : undefined;
  const is = after && after.status !== 'DELETING' ? tableStream(after) : undefined;
  const wasOn = was?.enabled ? was.arn : undefined;
  const isOn = is?.enabled ? is.arn : undefined;
  if (wasOn === isOn) return;
  const streams = store.tree(STREAMS_TREE);
  if (wasOn) {
    const m = streams.get(wasOn);
    if (m) {
      const meta = JSON.parse(m.j) as StreamMeta;
      const lastKey = lastSeq(store, wasOn);
      const closed: StreamMeta = { ...meta, disabledAt: time(), end: lastKey ?? meta.start };
      out.push(putStream(closed));
    }
  }
  if (isOn && after && is) {
    // Created when its label says (the operation that enabled it chose the label and the ARN).
    out.push(putStream(newStream(after, is.viewType, Date.parse(`${is.label}Z`))));
  }
}

function putStream(m: StreamMeta): Change {
  const j = JSON.stringify(m);
  return { tree: STREAMS_TREE, key: m.arn, value: { j, z: j.length } };
}
