/** ListStreams: the readable streams, of one table or all, in pages of `Limit` (at most 100). */
import type { Operation } from '../context.js';
import { EngineError } from '../errors.js';
import { Constraints, checkShape } from '../shape.js';
import { allStreams, limitConstraint } from './_streams.js';

export const listStreams: Operation = (ctx, input) => {
  checkShape(input, { struct: { TableName: 'string', Limit: 'long', ExclusiveStartStreamArn: 'string' } });
  const c = new Constraints();
  limitConstraint(c, input.Limit, 100);
  if (input.TableName !== undefined) c.length(input.TableName, 'tableName', 3, 255);
  if (input.ExclusiveStartStreamArn !== undefined)
    c.length(input.ExclusiveStartStreamArn, 'exclusiveStartStreamArn', 37, 1024);
  c.throwIfAny();
  const table = input.TableName as string | undefined;
  let streams = allStreams(ctx).filter((s) => table === undefined || s.table === table);
  const start = input.ExclusiveStartStreamArn as string | undefined;
  if (start !== undefined) {
    const i = streams.findIndex((s) => s.arn === start);
    if (i < 0) {
      throw new EngineError(
        'ResourceNotFoundException',
        `Requested resource not found: Stream: ${start} not found`,
      );
    }
    streams = streams.slice(i + 1);
  }
  const limit = (input.Limit as number | undefined) ?? 100;
  const page = streams.slice(0, limit);
  return {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.table, StreamLabel: s.label })),
    ...(streams.length > limit ? { LastEvaluatedStreamArn: page.at(-1)!.arn } : {}),
  };
};
