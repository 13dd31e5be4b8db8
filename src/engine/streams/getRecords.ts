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
  checkLimitMax,
  decodeIterator,
  encodeIterator,
  ITERATOR_MS,
  limitConstraint,
  notFound,
  trimHorizon,
  trimmed,
} from './_streams.js';
import { recordTree, STREAMS_TREE, type StreamMeta } from './meta.js';

/** DynamoDB's limit on one GetRecords answer. */
const MAX_BYTES = 1024 * 1024;

/** A time as DynamoDB's (Java's) Date prints it in this message: `Thu Jan 01 00:15:00 UTC 2026`. */
function javaDate(ms: number): string {
  const [day, date, month, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ') as string[];
  return `${day} ${month} ${date} ${time} UTC ${year}`;
}

export const getRecords: Operation = (ctx, input) => {
  checkShape(input, { struct: { ShardIterator: 'string', Limit: 'long' } });
  const c = new Constraints();
  limitConstraint(c, input.Limit);
  c.throwIfAny();
  checkLimitMax(input.Limit, 1000, 'Limit should be less than or equal to 1000');
  const p = decodeIterator(input.ShardIterator);
  const now = ctx.clock.now();
  const stored = ctx.store.tree(STREAMS_TREE).get(p.arn);
  const m = stored ? (JSON.parse(stored.j) as StreamMeta) : undefined;
  if (!m || !alive(m, now) || m.shardId !== p.shard) throw notFound();
  if (now - p.issued > ITERATOR_MS) {
    throw new EngineError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${javaDate(p.issued)} while right now it is ${javaDate(now)} which is further in the future than the tolerated delay of ${ITERATOR_MS} milliseconds.`,
    );
  }
  if (p.from < trimHorizon(m, now)) throw trimmed();
  const limit = (input.Limit as number | undefined) ?? 1000;
  const tree = ctx.store.tree(recordTree(m.arn));
  const records: RawJson[] = [];
  let bytes = 0;
  let from = p.from;
  let after = p.after;
  for (const [k, v] of tree.entries({ from: p.from, afterFrom: p.after })) {
    if (records.length >= limit || (records.length > 0 && bytes + v.z > MAX_BYTES)) break;
    records.push(new RawJson(v.j));
    bytes += v.z;
    from = k;
    after = true;
  }
  // A closed shard read to its end: no iterator (a reader moves on to the shard's children: none here).
  let done = m.end !== undefined;
  if (done) {
    for (const _ of tree.entries({ from, afterFrom: after })) {
      done = false;
      break;
    }
  }
  return {
    Records: records,
    ...(done ? {} : { NextShardIterator: encodeIterator({ ...p, from, after, issued: now }) }),
  };
};
