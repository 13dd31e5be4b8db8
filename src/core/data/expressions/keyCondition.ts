/** KeyConditionExpression: the condition grammar restricted to what DynamoDB accepts for keys. */
import type { Condition, Operand } from './ast.js';
import { parseCondition } from './condition.js';
import { Emitter } from './emitter.js';
import { Parser } from './parser.js';
import type { Placeholders } from './placeholders.js';
import { checkSize, Source } from './source.js';

/**
 * Compile a KeyConditionExpression: the condition grammar restricted to what DynamoDB accepts for
 * keys — `key = v`, and optionally AND one sort key condition (`=`, `<`, `<=`, `>`, `>=`, BETWEEN,
 * begins_with) — on top-level attributes compared with values.
 */
export function compileKeyCondition(text: string, ph: Placeholders, what = 'key condition'): string {
  const src = new Source(what, text);
  const cond = parseCondition(new Parser(src));
  checkKeyCondition(src, cond);
  return checkSize(src, new Emitter(src, ph).condition(cond));
}

/** DynamoDB's key conditions: `pk = v` [AND one of = < <= > >= BETWEEN begins_with on the sort key]. */
function checkKeyCondition(src: Source, cond: Condition): void {
  const parts = cond.kind === 'and' ? [cond.left, cond.right] : [cond];
  if (cond.kind === 'and' && cond.left.kind === 'and') {
    src.fail(
      cond.start,
      'a key condition has at most two parts: the partition key with = AND one sort key condition',
    );
  }
  const keyPath = (o: Operand) => {
    if (o.kind !== 'path' || o.path.segments.length !== 1 || o.path.segments[0]!.kind === 'index') {
      src.fail(o.start, 'a key condition compares a key attribute (a top-level name): put it on the left');
    }
  };
  const value = (o: Operand) => {
    if (o.kind !== 'value' && o.kind !== 'raw')
      src.fail(o.start, 'a key condition compares a key with a value');
  };
  for (const part of parts) {
    switch (part.kind) {
      case 'compare':
        if (part.op === '<>') src.fail(part.opStart, "'<>' is not allowed in a key condition: use a filter");
        keyPath(part.left);
        value(part.right);
        break;
      case 'between':
        keyPath(part.subject);
        value(part.low);
        value(part.high);
        break;
      case 'function':
        if (part.name !== 'begins_with') {
          src.fail(
            part.start,
            `${part.name} is not allowed in a key condition (only begins_with): use a filter`,
          );
        }
        keyPath(part.args[0]!);
        value(part.args[1]!);
        break;
      case 'in':
        src.fail(part.start, 'IN is not allowed in a key condition: use a filter');
        break;
      case 'and':
      case 'or':
        src.fail(
          part.start,
          `${part.kind.toUpperCase()} is not allowed here: a key condition is the partition key with = AND at most one sort key condition`,
        );
        break;
      case 'not':
        src.fail(part.start, 'NOT is not allowed in a key condition: use a filter');
    }
  }
  if (!parts.some((p) => p.kind === 'compare' && p.op === '=')) {
    src.fail(parts[0]!.start, 'a key condition needs the partition key compared with =, such as pk = 1');
  }
}
