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
import { after, checkReadAttributes, readPage, readSource, startKey } from './_read.js';

export const scan: Operation = (ctx, input) => {
  const name = checkCommon(input, false);
  const mode = capacityMode(input);
  const segment = long(input.Segment);
  const total = long(input.TotalSegments);
  if (total !== undefined && (total < 1 || total > 1000000)) {
    throw validation(
      `1 validation error detected: Value '${total}' at 'totalSegments' failed to satisfy constraint: Member must have value ${total < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000000'}`,
    );
  }
  if (segment !== undefined && segment < 0) {
    throw validation(
      `1 validation error detected: Value '${segment}' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  }
  if (segment !== undefined && total === undefined) {
    throw validation('If segment is specified, total segment must also be specified');
  }
  if (total !== undefined && segment === undefined) {
    throw validation('If total segment is specified, segment must also be specified');
  }
  if (segment !== undefined && total !== undefined && segment >= total) {
    throw validation(
      `1 validation error detected: Value '${segment}' at 'segment' failed to satisfy constraint: Member must have value less than or equal to ${total - 1}`,
    );
  }
  const table = ctx.table(name);
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
