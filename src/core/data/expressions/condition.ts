/**
 * Conditions: ConditionExpression, FilterExpression (and the grammar of KeyConditionExpression,
 * checked further in keyCondition.ts). NOT binds tighter than AND, AND tighter than OR.
 */
import type { Condition, Operand } from './ast.js';
import { Emitter } from './emitter.js';
import { isComparator, Parser } from './parser.js';
import type { Placeholders } from './placeholders.js';
import { isKeyword, isPunct } from './scanner.js';
import { checkSize, Source } from './source.js';

// NOTE: DynamoDB's limit, checked locally so a mistake is a clear error, not a round trip.
/** Maximum number of operands in an IN list. */
const MAX_IN_VALUES = 100;

const ATTRIBUTE_TYPES = ['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'];
const CONDITION_FUNCTIONS = [
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
];

/**
 * Compile a condition — a ConditionExpression, a FilterExpression, or (without the key-specific
 * checks of `compileKeyCondition`) a KeyConditionExpression. `what` names the expression in errors.
 */
export function compileCondition(text: string, ph: Placeholders, what = 'condition'): string {
  const src = new Source(what, text);
  const cond = parseCondition(new Parser(src));
  return checkSize(src, new Emitter(src, ph).condition(cond));
}

/** A whole condition, up to the end of the text. */
export function parseCondition(p: Parser): Condition {
  const cond = or(p);
  p.expectEnd('AND, OR or the end of the condition');
  return cond;
}

function or(p: Parser): Condition {
  let left = and(p);
  while (isKeyword(p.scanner.peek(), 'OR')) {
    const op = p.scanner.next();
    left = { kind: 'or', left, right: and(p), start: op.start };
  }
  return left;
}

function and(p: Parser): Condition {
  let left = not(p);
  while (isKeyword(p.scanner.peek(), 'AND')) {
    const op = p.scanner.next();
    left = { kind: 'and', left, right: not(p), start: op.start };
  }
  return left;
}

function not(p: Parser): Condition {
  const token = p.scanner.peek();
  // NOTE: `not = 1` compares an attribute called "not"; NOT before anything else negates.
  if (isKeyword(token, 'NOT') && !isComparator(p.scanner.peekAfter(token))) {
    p.scanner.next();
    return { kind: 'not', operand: not(p), start: token.start };
  }
  return primary(p);
}

function primary(p: Parser): Condition {
  const token = p.scanner.peek();
  if (isPunct(token, '(')) {
    p.scanner.next();
    const inner = or(p);
    if (!isPunct(p.scanner.peek(), ')'))
      p.expected(`AND, OR or ')' to close the '(' at column ${token.start + 1}`);
    p.scanner.next();
    return inner;
  }
  if (token.type === 'name' && isPunct(p.scanner.peekAfter(token), '(')) {
    const name = token.text.toLowerCase();
    if (CONDITION_FUNCTIONS.includes(name)) return conditionFunction(p, name);
    if (name !== 'size') p.unknownFunction(token);
  }
  if (token.type === 'end') p.expected('a condition', token);
  const left = p.operand('a condition');
  const op = p.scanner.peek();
  if (isComparator(op)) {
    p.scanner.next();
    const right = p.operand('a value');
    return { kind: 'compare', op: op.text, left, right, start: left.start, opStart: op.start };
  }
  if (isKeyword(op, 'BETWEEN')) {
    p.scanner.next();
    const low = p.operand('a value');
    if (!isKeyword(p.scanner.peek(), 'AND')) p.expected('AND between the two bounds of BETWEEN');
    p.scanner.next();
    const high = p.operand('a value');
    return { kind: 'between', subject: left, low, high, start: left.start };
  }
  if (isKeyword(op, 'IN')) {
    p.scanner.next();
    const open = p.expectPunct('(', "'('");
    const list: Operand[] = [];
    for (;;) {
      const item = p.operand('a value');
      if (list.length === MAX_IN_VALUES) {
        p.src.fail(
          item.start,
          `IN takes at most ${MAX_IN_VALUES} values (a DynamoDB limit); split it with OR`,
        );
      }
      list.push(item);
      if (p.acceptPunct(')')) break;
      p.expectPunct(',', `',' or ')' to close the '(' at column ${open.start + 1}`);
    }
    return { kind: 'in', subject: left, list, start: left.start };
  }
  const hint = isKeyword(op, 'NOT') ? '; put NOT before the whole condition, such as NOT a IN (1, 2)' : '';
  p.expected('a comparison (=, <>, <, <=, >, >=), BETWEEN or IN', op, hint);
}

function conditionFunction(p: Parser, name: string): Condition {
  const token = p.scanner.next();
  p.scanner.next(); // '('
  const first = p.path(`an attribute path as the first argument of ${name}`);
  const args: Operand[] = [{ kind: 'path', path: first, start: first.start }];
  if (name === 'attribute_exists' || name === 'attribute_not_exists') {
    p.expectPunct(')', `')' (${name} takes one path)`);
    return { kind: 'function', name, args, start: token.start };
  }
  p.expectPunct(',', `',' and a second argument of ${name}`);
  const second = p.operand(`a value as the second argument of ${name}`);
  if (name === 'attribute_type') {
    if (
      second.kind !== 'raw' &&
      (second.kind !== 'value' || !ATTRIBUTE_TYPES.includes(second.value as string))
    ) {
      p.src.fail(
        second.start,
        `attribute_type takes a type: one of ${ATTRIBUTE_TYPES.map((t) => `'${t}'`).join(', ')}`,
      );
    }
  }
  if (name === 'begins_with' && second.kind === 'value') {
    if (typeof second.value !== 'string' && !(second.value instanceof Uint8Array)) {
      p.src.fail(second.start, "begins_with takes a string (or binary) prefix, such as 'abc'");
    }
  }
  args.push(second);
  p.expectPunct(')', `')' (${name} takes two arguments)`);
  return { kind: 'function', name, args, start: token.start };
}
