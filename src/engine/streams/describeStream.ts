/** DescribeStream: a stream's status, view type, key schema and its shard. */
import type { Operation } from '../context.js';
import { Constraints, checkShape } from '../shape.js';
import { arnConstraint, findStream, limitConstraint, shardDescription } from './_streams.js';

export const describeStream: Operation = (ctx, input) => {
  checkShape(input, { struct: { StreamArn: 'string', Limit: 'long', ExclusiveStartShardId: 'string' } });
  const c = new Constraints();
  arnConstraint(c, input.StreamArn, 'streamArn');
  limitConstraint(c, input.Limit, 100);
  if (input.ExclusiveStartShardId !== undefined)
    c.length(input.ExclusiveStartShardId, 'exclusiveStartShardId', 28, 65);
  c.throwIfAny();
  const m = findStream(ctx, input.StreamArn as string);
  // One shard: it is listed unless the page starts after it.
  const startAfter = input.ExclusiveStartShardId as string | undefined | null;
  const shards = startAfter != null && startAfter >= m.shardId ? [] : [m];
  return {
    StreamDescription: {
      StreamArn: m.arn,
      StreamLabel: m.label,
      StreamStatus: m.disabledAt === undefined ? 'ENABLED' : 'DISABLED',
      StreamViewType: m.viewType,
      CreationRequestDateTime: m.createdAt / 1000,
      TableName: m.table,
      KeySchema: m.keySchema,
      Shards: shards.map(shardDescription),
    },
  };
};
