/** DescribeTable: the table's full description, its counts true as of now. */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { checkShape } from '../shape.js';
import { checkName } from './_keySchema.js';
import { existingTable, tableDescription } from './_tables.js';

export const describeTable: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string' } });
  // A missing name is a constraint of the request, not a bad name; DynamoDB Local words it alone,
  // without "1 validation error detected: ".
  if (input.TableName === undefined || input.TableName === null) {
    throw validation("Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  }
  checkName(input.TableName);
  return { Table: tableDescription(ctx, existingTable(ctx, input.TableName)) };
};
