/**
 * DescribeTimeToLive: the table's TTL status (ttl/settings.ts) and, unless DISABLED, its attribute.
 */
import type { Operation } from '../context.js';
import { checkShape } from '../shape.js';
import { ttlStatus, ttlTable } from '../ttl/settings.js';
import { checkTableName } from './_keySchema.js';

export const describeTimeToLive: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string' } });
  checkTableName(input.TableName);
  const { status, attribute } = ttlStatus(ttlTable(ctx, input.TableName), ctx.clock.now());
  return {
    TimeToLiveDescription: {
      TimeToLiveStatus: status,
      ...(attribute !== undefined ? { AttributeName: attribute } : {}),
    },
  };
};
