/**
 * DescribeTimeToLive: the table's TTL status (ttl/settings.ts) and, unless DISABLED, its attribute.
 */
import type { Operation } from '../context.js';
import { checkShape } from '../shape.js';
import { ttlStatus } from '../ttl/settings.js';
import { checkTableName } from './_keySchema.js';
import { existingTable } from './_tables.js';

export const describeTimeToLive: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string' } });
  checkTableName(input.TableName);
  const { status, attribute } = ttlStatus(existingTable(ctx, input.TableName), ctx.clock.now());
  return {
    TimeToLiveDescription: {
      TimeToLiveStatus: status,
      ...(attribute !== undefined ? { AttributeName: attribute } : {}),
    },
  };
};
