/**
 * DescribeTimeToLive: TTL is never enabled on this engine yet (UpdateTimeToLive is refused, issue
 * 16), so every table's TTL is DISABLED, which is the truth to tell (describe-table shows "off").
 */
import type { Operation } from '../context.js';
import { checkShape } from '../shape.js';
import { checkName } from './_keySchema.js';
import { existingTable } from './_tables.js';

export const describeTimeToLive: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string' } });
  checkName(input.TableName);
  existingTable(ctx, input.TableName);
  return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
};
