/**
 * Query: the items of one partition of a table or index, in sort key order (ScanIndexForward),
 * narrowed by a key condition on the sort key (KeyConditionExpression or the legacy
 * KeyConditions), then filtered (FilterExpression / QueryFilter) and projected, a page at a time.
 */
import type { Operation } from '../context.js';
import { validation } from '../errors.js';
import type { KeyCondition } from '../expr/index.js';
import type { Range } from '../store/index.js';
import type { KeyShape } from '../types.js';
import { END, part, partitionPrefix } from '../values/keys.js';
import { capacityMode, checkCommon } from './_common.js';
import { readQueryExpressions } from './_expr.js';
import { after, checkLimit, checkReadAttributes, inRange, readPage, readSource, startKey } from './_read.js';

/** The tree range holding the items a key condition selects. */
export function keyRange(cond: KeyCondition, key: KeyShape): Range {
  const p = partitionPrefix(cond.pk, key.hash.type);
  const sk = cond.sk;
  if (!sk || !key.range) return { from: p, to: p + END };
  const t = key.range.type;
  const v = sk.values[0]!;
  switch (sk.op) {
    case '=':
      return { from: p + part(v, t), to: p + part(v, t) + END };
    case '<':
      return { from: p, to: p + part(v, t), beforeTo: true };
    case '<=':
      return { from: p, to: p + part(v, t) + END };
    case '>':
      return { from: p + part(v, t) + END, to: p + END };
    case '>=':
      return { from: p + part(v, t), to: p + END };
    case 'BETWEEN':
      return { from: p + part(v, t), to: p + part(sk.values[1]!, t) + END };
    default: {
      // BEGINS_WITH
      // The value's parts without their terminator: every longer value shares this prefix.
      const whole = part(v, t);
      const prefix = p + whole.slice(0, -2);
      return { from: prefix, to: prefix + END };
    }
  }
}

export const query: Operation = (ctx, input) => {
  const name = checkCommon(input, false);
  const mode = capacityMode(input);
  const table = ctx.table(name);
  checkLimit(input);
  const hasProjection = input.ProjectionExpression != null || input.AttributesToGet != null;
  const src = readSource(input, table, hasProjection);
  const forward = (input.ScanIndexForward as boolean | undefined) ?? true;
  const ex = readQueryExpressions(input, src.key);
  checkReadAttributes(src, ex, true);
  let range = keyRange(ex.key, src.key);
  if (!forward) range = { ...range, reverse: true };
  const start = startKey(input, src);
  if (start !== undefined) {
    if (!inRange(start, { ...range, reverse: false })) {
      throw validation('The provided starting key does not match the range key predicate');
    }
    range = after(range, start);
  }
  return readPage(ctx, src, range, { filter: ex.filter, projection: ex.projection }, mode);
};
