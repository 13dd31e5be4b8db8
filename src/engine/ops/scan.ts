/**
 * Scan: every item of a table or index in key order (partition hash first, so a parallel-scan
 * segment is one contiguous key range), filtered (FilterExpression / ScanFilter) and projected,
 * a page at a time.
 */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import { long } from '../shape.js';
import type { Range } from '../store/index.js';
import { segmentBounds } from '../values/keys.js';
import { capacityMode, checkCommon } from './_common.js';
import { readScanExpressions } from './_expr.js';
import { after, checkLimit, checkReadAttributes, readPage, readSource, startKey } from './_read.js';

export const scan: Operation = (ctx, input) => {
  const name = checkCommon(input, false);
  const mode = capacityMode(input);
  // NOTE: DynamoDB Local's order: the table, Limit, then the segments (their bound first).
  const table = ctx.table(name);
  checkLimit(input);
  const segment = long(input.Segment);
  const total = long(input.TotalSegments);
  const constraint = (value: number, member: string, rule: string) =>
    validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must have value ${rule}`,
    );
  if (segment !== undefined && total === undefined) {
    throw validation('If segment is specified, total segment must also be specified');
  }
  if (total !== undefined && segment === undefined) {
    throw validation(
      'If total segments is specified, a particular segment must also be specified for this request',
    );
  }
  if (segment !== undefined && total !== undefined && segment >= total) {
    throw constraint(segment, 'segment', `less than or equal to ${total - 1}`);
  }
  if (total !== undefined && total < 1)
    throw constraint(total, 'totalSegments', 'greater than or equal to 1');
  if (total !== undefined && total > 1000000)
    throw constraint(total, 'totalSegments', 'less than or equal to 1000000');
  if (segment !== undefined && segment < 0)
    throw constraint(segment, 'segment', 'greater than or equal to 0');
  const hasProjection = input.ProjectionExpression != null || input.AttributesToGet != null;
  const src = readSource(input, table, hasProjection);
  const ex = readScanExpressions(input);
  checkReadAttributes(src, ex, false);
  let range: Range = {};
  if (segment !== undefined && total !== undefined) {
    const b = segmentBounds(segment, total);
    range = b.to === undefined ? { from: b.from } : { from: b.from, to: b.to, beforeTo: true };
  }
  const start = startKey(input, src);
  // NOTE: a start key outside the segment is not refused (DynamoDB Local): the walk starts at
  // whichever comes later, the key or the segment's start.
  if (start !== undefined && (range.from === undefined || start >= range.from)) range = after(range, start);
  return readPage(ctx, src, range, { filter: ex.filter, projection: ex.projection }, mode);
};
