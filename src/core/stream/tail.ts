/**
 * Follow a table's stream like `tail -f`: every change from now (or from the oldest record kept),
 * across shards, until the signal stops it. A reader: it hands each change to `onChange` in the
 * order read and never prints.
 *
 * Shards: a shard is read once its parent has been read to its end (DynamoDB Streams' rule for
 * keeping each item's changes in order); a shard that ends (no NextShardIterator) makes the reader
 * describe the stream again to find its children, which start at their TRIM_HORIZON. From `latest`,
 * the shards open now start at LATEST and the closed ones are skipped.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Clients } from '../clients.js';
import { describeTable } from '../control/describeTable.js';
import { fromRawItem, type Item, type RawItem } from '../data/codec.js';
import { DdbError } from '../errors.js';
import { call, toDdbError } from '../sdkErrors.js';
import { type Clock, systemClock } from '../util/clock.js';

/** One change of an item, as read from the stream. */
export interface StreamChange {
  event: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The item's key attributes. */
  keys: Item;
  /** The item after the change (view types NEW_IMAGE, NEW_AND_OLD_IMAGES). */
  new?: Item;
  /** The item before the change (view types OLD_IMAGE, NEW_AND_OLD_IMAGES). */
  old?: Item;
  /** When the change was made (ApproximateCreationDateTime), ISO 8601. */
  time?: string;
  /** The record's sequence number in its shard. */
  sequence: string;
  /** The change was a deletion by TTL (userIdentity: Service dynamodb.amazonaws.com). */
  ttl?: true;
  /** The record as DynamoDB Streams sent it (for output in DynamoDB's own shape). */
  record: StreamRecord;
}

export interface TailOptions {
  /** `latest` (default): changes made from now; `trim-horizon`: from the oldest record kept (24 h). */
  from?: 'latest' | 'trim-horizon';
  /** Each change, in the order read; awaited before the next is read. */
  onChange: (change: StreamChange) => void | Promise<void>;
  /** Called once the reader has its place in every shard: changes made after it are seen. */
  onReady?: () => void;
  /** Stops the reader between reads: the changes read so far have all been handed over. */
  signal?: AbortSignal;
  clock?: Clock;
  /**
   * The wait after a round of reads that found nothing (ms). Default 1000: DynamoDB Streams allows
   * about five GetRecords a second per shard, shared by every reader.
   */
  pollMs?: number;
  /** How often the stream is described again to find new shards, besides when one ends (ms). Default 60,000. */
  refreshMs?: number;
}

export interface TailResult {
  streamArn: string;
  changes: number;
  /** Stopped by the signal (a reader stops no other way, but by an error). */
  interrupted: boolean;
}

/** The userIdentity of a deletion made by TTL (DynamoDB's developer guide, "TTL and streams"). */
const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

/** A stream record as a change with items in ddbctl's values (numbers exact). */
export function toChange(r: StreamRecord): StreamChange {
  const d = r.dynamodb ?? {};
  const item = (m: unknown) => fromRawItem(m as RawItem);
  const ttl = r.userIdentity?.Type === 'Service' && r.userIdentity.PrincipalId === TTL_PRINCIPAL;
  return {
    event: r.eventName as StreamChange['event'],
    keys: item(d.Keys ?? {}),
    ...(d.NewImage ? { new: item(d.NewImage) } : {}),
    ...(d.OldImage ? { old: item(d.OldImage) } : {}),
    ...(d.ApproximateCreationDateTime ? { time: d.ApproximateCreationDateTime.toISOString() } : {}),
    sequence: d.SequenceNumber ?? '',
    ...(ttl ? { ttl: true as const } : {}),
    record: r,
  };
}

/** The stream of `table`, or table.noStream saying how to turn one on. */
async function streamOf(clients: Clients, table: string): Promise<string> {
  const d = await describeTable(clients, table);
  if (d.StreamSpecification?.StreamEnabled && d.LatestStreamArn) return d.LatestStreamArn;
  throw new DdbError('table.noStream', {
    message: `${table} has no stream (on ${clients.label}): turn one on with 'ddbctl update-table ${table} --stream new-and-old-images', then tail it`,
  });
}

/** Why the stream `arn` of `table` ended, as the error tail stops with. */
async function streamEnded(clients: Clients, table: string, arn: string, changes: number): Promise<DdbError> {
  const printed = `${changes} change${changes === 1 ? ' was' : 's were'} printed`;
  let now: { LatestStreamArn?: string; StreamSpecification?: { StreamEnabled?: boolean } } | undefined;
  try {
    now = await describeTable(clients, table);
  } catch (e) {
    if (!(e instanceof DdbError && e.code === 'table.notFound')) throw e;
  }
  const why = !now
    ? `table ${table} was deleted`
    : now.StreamSpecification?.StreamEnabled && now.LatestStreamArn && now.LatestStreamArn !== arn
      ? `${table} has a new stream (the view type changed): run 'ddbctl tail ${table} --from trim-horizon' to follow it from its start`
      : `the stream of ${table} was turned off: turn it on again with 'ddbctl update-table ${table} --stream new-and-old-images'`;
  return new DdbError('table.noStream', { message: `tail ${table}: the stream ended (${printed}): ${why}` });
}

function streamsClient(clients: Clients): Promise<DynamoDBStreamsClient> {
  if (!clients.streams) {
    throw new DdbError('engine.unsupported', {
      message: `DynamoDB Streams is not available on ${clients.label}`,
    });
  }
  return clients.streams();
}

/** Every shard of the stream (DescribeStream, page by page), and whether the stream is still on. */
async function listShards(
  streams: DynamoDBStreamsClient,
  arn: string,
  target: string,
): Promise<Shard[] & { enabled?: boolean }> {
  const shards: Shard[] & { enabled?: boolean } = [];
  let start: string | undefined;
  do {
    const out = await call({ operation: 'DescribeStream', target }, () =>
      streams.send(
        new DescribeStreamCommand({ StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
      ),
    );
    shards.push(...(out.StreamDescription?.Shards ?? []));
    shards.enabled = out.StreamDescription?.StreamStatus !== 'DISABLED';
    start = out.StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return shards;
}

interface Reading {
  iterator: string | undefined;
  /** The last sequence number handed over: where an expired iterator resumes. */
  last?: string;
  done: boolean;
}

/** Follow the stream of `table` until `opts.signal` aborts. */
export async function tailStream(clients: Clients, table: string, opts: TailOptions): Promise<TailResult> {
  const clock = opts.clock ?? systemClock;
  const pollMs = opts.pollMs ?? 1000;
  const refreshMs = opts.refreshMs ?? 60_000;
  const signal = opts.signal;
  const target = clients.label;
  const arn = await streamOf(clients, table);
  const streams = await streamsClient(clients);

  const iterator = async (shardId: string, type: ShardIteratorType, after?: string) =>
    (
      await call({ operation: 'GetShardIterator', target }, () =>
        streams.send(
          new GetShardIteratorCommand({
            StreamArn: arn,
            ShardId: shardId,
            ShardIteratorType: type,
            ...(after ? { SequenceNumber: after } : {}),
          }),
        ),
      )
    ).ShardIterator;

  const reading = new Map<string, Reading>();
  /** Start the shards whose parent is done (or was never part of this reading); skip, from latest, the closed ones. */
  const place = async (shards: Shard[], first: boolean) => {
    const known = new Set(shards.map((s) => s.ShardId));
    for (const s of shards) {
      const id = s.ShardId as string;
      if (reading.has(id)) continue;
      const parent = s.ParentShardId;
      if (first && opts.from !== 'trim-horizon') {
        const open = s.SequenceNumberRange?.EndingSequenceNumber === undefined;
        reading.set(
          id,
          open
            ? { iterator: await iterator(id, 'LATEST'), done: false }
            : { iterator: undefined, done: true },
        );
        continue;
      }
      const parentDone = !parent || !known.has(parent) || reading.get(parent)?.done === true;
      // NOTE: a child waits for its parent (absent from `reading` while the parent itself waits).
      if (parentDone) reading.set(id, { iterator: await iterator(id, 'TRIM_HORIZON'), done: false });
    }
  };

  await place(await listShards(streams, arn, target), true);
  opts.onReady?.();
  let changes = 0;
  let lastRefresh = clock.now();
  // NOTE: a stop (Ctrl-C) cuts the request in flight to an endpoint: that is the end it asked for,
  // not an error (the changes printed so far are the answer).
  try {
    while (!signal?.aborted) {
      let got = 0;
      let ended = false;
      for (const [id, r] of reading) {
        if (r.done || signal?.aborted) continue;
        if (!r.iterator) {
          r.done = true;
          ended = true;
          continue;
        }
        let out: { Records?: StreamRecord[]; NextShardIterator?: string };
        try {
          out = await streams.send(new GetRecordsCommand({ ShardIterator: r.iterator, Limit: 1000 }));
        } catch (e) {
          const name = (e as { name?: string }).name;
          // An iterator lasts 15 minutes; data older than 24 hours is trimmed: take a new place.
          if (name === 'ExpiredIteratorException') {
            r.iterator = await iterator(id, r.last ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON', r.last);
            continue;
          }
          if (name === 'TrimmedDataAccessException') {
            r.iterator = await iterator(id, 'TRIM_HORIZON');
            continue;
          }
          throw toDdbError(e, { operation: 'GetRecords', table, target });
        }
        for (const rec of out.Records ?? []) {
          await opts.onChange(toChange(rec));
          changes++;
          got++;
          r.last = rec.dynamodb?.SequenceNumber ?? r.last;
        }
        r.iterator = out.NextShardIterator;
        if (!r.iterator) {
          r.done = true;
          ended = true;
        }
      }
      if (ended || clock.now() - lastRefresh >= refreshMs || ![...reading.values()].some((r) => !r.done)) {
        lastRefresh = clock.now();
        const shards = await listShards(streams, arn, target);
        await place(shards, false);
        // A stream turned off (the table deleted, the stream disabled or replaced by one of another
        // view type) is read to its end, then tail says so instead of waiting for ever.
        if (shards.enabled === false && ![...reading.values()].some((r) => !r.done)) {
          throw await streamEnded(clients, table, arn, changes);
        }
      }
      if (got === 0 && !signal?.aborted) {
        try {
          await clock.sleep(pollMs, signal);
        } catch {
          break;
        }
      }
    }
  } catch (e) {
    if (!signal?.aborted) throw e;
  }
  return { streamArn: arn, changes, interrupted: !!signal?.aborted };
}
