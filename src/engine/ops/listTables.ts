/** ListTables: names in order, pages of `Limit` (1–100, default 100) after ExclusiveStartTableName. */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { checkShape, long } from '../shape.js';
import { checkName } from './_keySchema.js';

export const listTables: Operation = (ctx, input) => {
  checkShape(input, { struct: { ExclusiveStartTableName: 'string', Limit: 'long' } });
  const limit = long(input.Limit) ?? 100;
  if (limit < 1) throw validation('Limit must be greater than or equal to 1');
  if (limit > 100) throw validation('Limit in ListTables must be <= 100');
  const start = input.ExclusiveStartTableName as string | undefined;
  if (start !== undefined) checkName(start);
  const names = ctx.tableNames().filter((n) => start === undefined || n > start);
  const page = names.slice(0, limit);
  return {
    TableNames: page,
    ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}),
  };
};
