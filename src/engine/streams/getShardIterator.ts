/**
 * GetShardIterator: where to read a shard from. TRIM_HORIZON: its oldest record kept; LATEST: just
 * after its last record; AT_ / AFTER_SEQUENCE_NUMBER: at or after a record's sequence number.
 */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { Constraints, checkShape } from '../shape.js';
import { encodeIterator, findStream, lastRecord, notFound, trimHorizon, trimmed } from './_streams.js';
import { seqOf } from './meta.js';

const TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

export const getShardIterator: Operation = (ctx, input) => {
  checkShape(input, {
    struct: { StreamArn: 'string', ShardId: 'string', ShardIteratorType: 'string', SequenceNumber: 'string' },
  });
  // NOTE: DynamoDB Local fails inside (500) on a missing or unknown type; this is DynamoDB's
  // request validation (DIVERGENCES.md).
  const c = new Constraints();
  c.notNull(input.ShardIteratorType, 'shardIteratorType');
  c.enumOf(input.ShardIteratorType, 'shardIteratorType', TYPES);
  c.length(input.SequenceNumber, 'sequenceNumber', 21, 40);
  c.throwIfAny();
  const type = input.ShardIteratorType as string;
  const bySeq = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  const given = input.SequenceNumber as string | undefined | null;
  // DynamoDB Local's words.
  if (bySeq && given == null)
    throw validation('One or more parameter values were invalid: Invalid SequenceNumber');
  if (!bySeq && given != null) {
    throw validation(
      'One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type',
    );
  }
  const m = findStream(ctx, input.StreamArn);
  if (input.ShardId !== m.shardId) throw notFound();
  const now = ctx.clock.now();
  let from: string;
  let after = false;
  if (type === 'TRIM_HORIZON') from = trimHorizon(m, now);
  else if (type === 'LATEST') {
    const last = lastRecord(ctx, m);
    from = last ?? m.start;
    after = last !== undefined;
  } else {
    const seq = seqOf(given!);
    const end = m.end ?? lastRecord(ctx, m);
    if (seq === undefined || seq < m.start || end === undefined || seq > end) {
      throw validation('Invalid SequenceNumber for the shard');
    }
    // A record already trimmed: DynamoDB says so here, before any read.
    if (seq < trimHorizon(m, now)) throw trimmed();
    from = seq;
    after = type === 'AFTER_SEQUENCE_NUMBER';
  }
  return { ShardIterator: encodeIterator({ arn: m.arn, shard: m.shardId, from, after, issued: now }) };
};
