/**
 * GetRecords: up to `Limit` (1000) records from an iterator's position, at most 1 MB, and the
 * iterator to read on from; none once a closed shard has been read to its end.
 */
import type { Operation } from '../context.js';
import { EngineError } from '../errors.js';
import { RawJson } from '../json.js';
import { Constraints, checkShape } from '../shape.js';
import {
  alive,
  decodeIterator,
  encodeIterator,
  ITERATOR_MS,
  limitConstraint,
  trimHorizon,
} from './_streams.js';
import { recordTree, STREAMS_TREE, type StreamMeta } from './meta.js';

/** DynamoDB's limit on one GetRecords answer. */
const MAX_BYTES = 1024 * 1024;

export const getRecords: Operation = (ctx, input) => {
  checkShape(input, { struct: { ShardIterator: 'string', Limit: 'long' } });
  const c = new Constraints();
  c.notNull(input.ShardIterator, 'shardIterator');
  c.length(input.ShardIterator, 'shardIterator', 1, 2048);
  limitConstraint(c, input.Limit, 1000);
  c.throwIfAny();
  const p = decodeIterator(input.ShardIterator as string);
  const now = ctx.clock.now();
  const stored = ctx.store.tree(STREAMS_TREE).get(p.arn);
  const m = stored ? (JSON.parse(stored.j) as StreamMeta) : undefined;
  if (!m || !alive(m, now) || m.shardId !== p.shard) {
    throw new EngineError(
      'ResourceNotFoundException',
      `Requested resource not found: Stream: ${p.arn} not found`,
    );
  }
  if (now - p.issued > ITERATOR_MS) {
    throw new EngineError(
      'ExpiredIteratorException',
      'Iterator expired. The iterator was created at time ' +
        `${new Date(p.issued).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of 900000 milliseconds.`,
    );
  }
  if (p.from < trimHorizon(m, now)) {
    throw new EngineError(
      'TrimmedDataAccessException',
      'The operation attempted to read past the oldest stream record in a shard.',
    );
  }
  const limit = (input.Limit as number | undefined) ?? 1000;
  const records: RawJson[] = [];
  let bytes = 0;
  let from = p.from;
  let after = p.after;
  for (const [k, v] of ctx.store.tree(recordTree(m.arn)).entries({ from: p.from, afterFrom: p.after })) {
    if (records.length >= limit || (records.length > 0 && bytes + v.z > MAX_BYTES)) break;
    records.push(new RawJson(v.j));
    bytes += v.z;
    from = k;
    after = true;
  }
  // A closed shard read to its end: no iterator (a reader moves on to the shard's children: none here).
  let done = false;
  if (m.end !== undefined) {
    done = true;
    for (const _ of ctx.store.tree(recordTree(m.arn)).entries({ from, afterFrom: after })) {
      done = false;
      break;
    }
  }
  return {
    Records: records,
    ...(done ? {} : { NextShardIterator: encodeIterator({ ...p, from, after, issued: now }) }),
  };
};
