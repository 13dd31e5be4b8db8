/** DescribeTable: the table's full description, its counts true as of now. */
import type { Operation } from '../context.js';
import { EngineError } from '../errors.js';
import { tableDescription } from './_tables.js';

export const describeTable: Operation = (ctx, input) => {
  const name = input.TableName as string;
  const meta = ctx.findTable(name);
  if (!meta)
    throw new EngineError(
      'ResourceNotFoundException',
      `Requested resource not found: Table: ${name} not found`,
    );
  return { Table: tableDescription(ctx, meta) };
};
