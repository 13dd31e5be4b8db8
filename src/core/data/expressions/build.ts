/** `buildExpressions`: every expression field of one request, with one shared set of placeholders. */
import { inputError } from '../../errors.js';
import { compileCondition } from './condition.js';
import { compileKeyCondition } from './keyCondition.js';
import { Placeholders } from './placeholders.js';
import { compileProjection } from './projection.js';
import { Source } from './source.js';
import type { BuildExpressionsOptions, BuiltExpressions } from './types.js';
import { compileUpdate, PROTO_UPDATE_PROBLEM } from './update.js';

/**
 * Build the expression fields of one request with one shared set of placeholders. Raw placeholders
 * are merged first; one that no expression uses is an error, because DynamoDB rejects it.
 */
export function buildExpressions(opts: BuildExpressionsOptions): BuiltExpressions {
  const ph = new Placeholders();
  ph.addRaw(opts.rawNames, opts.rawValues);
  const out: BuiltExpressions = {};
  if (opts.keyCondition !== undefined)
    out.KeyConditionExpression = compileKeyCondition(opts.keyCondition, ph);
  if (opts.condition !== undefined) out.ConditionExpression = compileCondition(opts.condition, ph);
  if (opts.filter !== undefined) out.FilterExpression = compileCondition(opts.filter, ph, 'filter');
  if (opts.projection !== undefined) out.ProjectionExpression = compileProjection(opts.projection, ph);
  if (opts.update !== undefined) out.UpdateExpression = compileUpdate(opts.update, ph);
  if (opts.rawUpdate !== undefined) {
    for (const p of opts.rawUpdate.match(/[#:][A-Za-z0-9_]+/g) ?? []) {
      if (!ph.useRaw(p)) {
        throw inputError(
          'input.expression',
          `update expression: placeholder ${p} is not defined; define it with ${p.startsWith('#') ? '--names' : '--values'}`,
        );
      }
    }
    checkRawUpdateNames(opts.rawUpdate, ph.names);
    out.UpdateExpression = opts.rawUpdate;
  }
  const unused = ph.unusedRaw();
  if (unused.length > 0) {
    throw inputError(
      'input.expression',
      `placeholder ${unused.join(', ')} is defined but no expression uses it; DynamoDB rejects unused placeholders: use it or leave it out`,
    );
  }
  const names = ph.names;
  const values = ph.values;
  if (Object.keys(names).length > 0) out.ExpressionAttributeNames = names;
  if (Object.keys(values).length > 0) out.ExpressionAttributeValues = values;
  return out;
}

/**
 * Refuse a raw update expression naming "__proto__" (bare or by a #placeholder) in a SET, ADD or
 * DELETE clause. NOTE: a raw expression holds no string literals (values are :placeholders) and
 * the clause keywords are reserved words, so splitting on them is exact.
 */
function checkRawUpdateNames(expression: string, names: Record<string, string>): void {
  const clauses = expression.split(/\b(SET|REMOVE|ADD|DELETE)\b/i);
  let at = 0;
  for (let i = 0; i < clauses.length; i++) {
    const text = clauses[i] as string;
    const writes = i % 2 === 0 && i > 0 && !/^remove$/i.test(clauses[i - 1] as string);
    for (const m of writes ? text.matchAll(/[#:]?[A-Za-z0-9_]+/g) : []) {
      const name = m[0].startsWith('#') ? names[m[0]] : m[0];
      if (name === '__proto__') {
        new Source('update expression', expression).fail(at + (m.index ?? 0), PROTO_UPDATE_PROBLEM);
      }
    }
    at += text.length;
  }
}
