/**
 * GetShardIterator: where to read a shard from. TRIM_HORIZON: its oldest record kept; LATEST: just
 * after its last record; AT_ / AFTER_SEQUENCE_NUMBER: at or after a record's sequence number.
 */
import type { Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import { Constraints, checkShape } from '../shape.js';
import { arnConstraint, encodeIterator, findStream, lastRecord, trimHorizon } from './_streams.js';
import { seqOf } from './meta.js';

const TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

export const getShardIterator: Operation = (ctx, input) => {
  checkShape(input, {
    struct: { StreamArn: 'string', ShardId: 'string', ShardIteratorType: 'string', SequenceNumber: 'string' },
  });
  const c = new Constraints();
  arnConstraint(c, input.StreamArn, 'streamArn');
  c.notNull(input.ShardId, 'shardId');
  c.length(input.ShardId, 'shardId', 28, 65);
  c.notNull(input.ShardIteratorType, 'shardIteratorType');
  c.enumOf(input.ShardIteratorType, 'shardIteratorType', TYPES);
  c.length(input.SequenceNumber, 'sequenceNumber', 21, 40);
  c.throwIfAny();
  const m = findStream(ctx, input.StreamArn as string);
  if (input.ShardId !== m.shardId) {
    throw new EngineError(
      'ResourceNotFoundException',
      `Requested resource not found: Shard: ${input.ShardId as string} in Stream: ${m.arn} not found`,
    );
  }
  const type = input.ShardIteratorType as string;
  const now = ctx.clock.now();
  const bySeq = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  const given = input.SequenceNumber as string | undefined;
  if (bySeq && given === undefined) {
    throw validation('Must specify a sequence number with AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.');
  }
  if (!bySeq && given !== undefined) {
    throw validation('Cannot specify a sequence number with TRIM_HORIZON or LATEST.');
  }
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
    if (seq === undefined || seq < m.start || (end !== undefined && seq > end) || end === undefined) {
      throw validation(`Invalid SequenceNumber for ShardId: ${m.shardId}, SequenceNumber: ${given!}`);
    }
    from = seq;
    after = type === 'AFTER_SEQUENCE_NUMBER';
  }
  return { ShardIterator: encodeIterator({ arn: m.arn, shard: m.shardId, from, after, issued: now }) };
};
