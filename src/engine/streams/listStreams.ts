/** ListStreams: the readable streams, of one table or all, in pages of `Limit` (at most 100). */
import type { Operation } from '../context.js';
import { Constraints, checkShape } from '../shape.js';
import { allStreams, checkLimitMax, limitConstraint, notFound } from './_streams.js';

export const listStreams: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string', Limit: 'long', ExclusiveStartStreamArn: 'string' } });
  const c = new Constraints();
  limitConstraint(c, input.Limit);
  c.throwIfAny();
  checkLimitMax(input.Limit, 100, 'Limit cannot be greater than the maximum: 100');
  const table = input.TableName as string | undefined | null;
  let streams = allStreams(ctx).filter((s) => table == null || s.table === table);
  const start = input.ExclusiveStartStreamArn as string | undefined | null;
  if (start != null) {
    const i = streams.findIndex((s) => s.arn === start);
    if (i < 0) throw notFound();
    streams = streams.slice(i + 1);
  }
  const limit = (input.Limit as number | undefined) ?? 100;
  const page = streams.slice(0, limit);
  return {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.table, StreamLabel: s.label })),
    ...(streams.length > limit ? { LastEvaluatedStreamArn: page.at(-1)!.arn } : {}),
  };
};
