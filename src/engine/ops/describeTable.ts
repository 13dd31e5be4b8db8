/** DescribeTable: the table's full description, its counts true as of now. */
import type { Operation } from '../context.js';
import { checkShape } from '../shape.js';
import { checkName } from './_keySchema.js';
import { existingTable, tableDescription } from './_tables.js';

export const describeTable: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string' } });
  checkName(input.TableName);
  return { Table: tableDescription(ctx, existingTable(ctx, input.TableName)) };
};
