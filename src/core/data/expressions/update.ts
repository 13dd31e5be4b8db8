/** UpdateExpression: the actions of `UpdateActions` compiled into one `SET ... REMOVE ... ADD ... DELETE ...`. */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { inputError } from '../../errors.js';
import type { Operand, UpdateOperand, UpdateValue } from './ast.js';
import { Emitter } from './emitter.js';
import { Parser } from './parser.js';
import { checkOverlap, resolvePath, type Target } from './paths.js';
import type { Placeholders } from './placeholders.js';
import { isPunct } from './scanner.js';
import { checkSize, Source } from './source.js';
import type { UpdateActions } from './types.js';

/**
 * Why an update may not write an attribute named "__proto__": DynamoDB stores it, and every answer
 * holding it is then refused (protoGuard.ts), the update's own first. Removing one is allowed.
 */
export const PROTO_UPDATE_PROBLEM =
  'an attribute named "__proto__" cannot be written through the AWS SDK for JavaScript (it could not be read back); rename it, or only REMOVE it';

/**
 * Compile update actions into one UpdateExpression `SET ... REMOVE ... ADD ... DELETE ...`.
 * Throws when two actions touch overlapping paths (DynamoDB would reject the request).
 */
export function compileUpdate(actions: UpdateActions, ph: Placeholders): string {
  const targets: Target[] = [];
  const clauses = {
    SET: [] as string[],
    REMOVE: [] as string[],
    ADD: [] as string[],
    DELETE: [] as string[],
  };
  const each = (kind: keyof UpdateActions, action: (p: Parser, e: Emitter, target: string) => string) => {
    for (const text of actions[kind] ?? []) {
      const src = new Source(`update ${kind}`, text);
      const parser = new Parser(src);
      const emitter = new Emitter(src, ph);
      for (;;) {
        const path = parser.path('an attribute path');
        checkOverlap(src, ph, targets, path, 'an update');
        if (kind !== 'remove' && resolvePath(ph, path).includes('__proto__')) {
          src.fail(path.start, PROTO_UPDATE_PROBLEM);
        }
        clauses[clauseOf(kind)].push(action(parser, emitter, emitter.path(path)));
        const sep = parser.scanner.peek();
        if (sep.type === 'end') break;
        if (!isPunct(sep, ',')) {
          const hint =
            isPunct(sep, '+') || isPunct(sep, '-') ? '; DynamoDB allows one + or - per SET action' : '';
          parser.expected(`',' or the end of the ${kind} action`, sep, hint);
        }
        parser.scanner.next();
      }
    }
  };

  each('set', (p, e, target) => {
    p.expectPunct('=', "'='");
    return `${target} = ${e.update(parseUpdateValue(p))}`;
  });
  each('setIfNotExists', (p, e, target) => {
    p.expectPunct('=', "'='");
    const value = p.plainOperand();
    return `${target} = if_not_exists(${target}, ${e.operand(value)})`;
  });
  each('append', (p, e, target) => {
    p.expectPunct('=', "'='");
    const value = p.plainOperand();
    // NOTE: list_append needs two lists; a missing list starts empty and a scalar becomes [scalar].
    const list: Operand =
      value.kind === 'value' && !Array.isArray(value.value) ? { ...value, value: [value.value] } : value;
    const empty = e.ph.value([]);
    return `${target} = list_append(if_not_exists(${target}, ${empty}), ${e.operand(list)})`;
  });
  each('remove', (_p, _e, target) => target);
  each('add', (p, e, target) => {
    p.acceptPunct('=');
    const value = p.plainOperand();
    if (value.kind === 'value' && !(value.value instanceof NumberValue) && !(value.value instanceof Set)) {
      p.src.fail(value.start, 'ADD takes a number or a set, such as 1 or {"$set":["a"]}');
    }
    return `${target} ${e.operand(value)}`;
  });
  each('delete', (p, e, target) => {
    p.acceptPunct('=');
    const value = p.plainOperand();
    if (value.kind === 'value' && !(value.value instanceof Set)) {
      p.src.fail(value.start, 'DELETE takes a set of the elements to remove, such as {"$set":["a"]}');
    }
    return `${target} ${e.operand(value)}`;
  });

  const parts = Object.entries(clauses)
    .filter(([, list]) => list.length > 0)
    .map(([clause, list]) => `${clause} ${list.join(', ')}`);
  if (parts.length === 0) {
    throw inputError(
      'input.expression',
      'update: nothing to update; give at least one set, remove, add, delete, append or setIfNotExists action',
    );
  }
  return checkSize(new Source('update expression', ''), parts.join(' '));
}

function clauseOf(kind: keyof UpdateActions): 'SET' | 'REMOVE' | 'ADD' | 'DELETE' {
  if (kind === 'remove') return 'REMOVE';
  if (kind === 'add') return 'ADD';
  if (kind === 'delete') return 'DELETE';
  return 'SET';
}

/** The right side of a SET action: operand, operand + operand or operand - operand. */
export function parseUpdateValue(p: Parser): UpdateValue {
  const left = updateOperand(p, 'a value');
  const op = p.scanner.peek();
  if (!isPunct(op, '+') && !isPunct(op, '-')) return left;
  p.scanner.next();
  const right = updateOperand(p, 'a value');
  for (const side of [left, right]) {
    if (side.kind === 'value' && !(side.value instanceof NumberValue)) {
      p.src.fail(
        side.start,
        `'${op.text}' works on numbers; to add to a list use list_append, to a set use ADD`,
      );
    }
  }
  return { kind: 'arith', op: op.text as '+' | '-', left, right, start: left.start };
}

function updateOperand(p: Parser, what: string): UpdateOperand {
  const value = p.valueOperand();
  if (value !== undefined) return value;
  const token = p.scanner.peek();
  if (token.type === 'name' && isPunct(p.scanner.peekAfter(token), '(')) {
    const name = token.text.toLowerCase();
    if (name === 'if_not_exists') {
      p.scanner.next();
      p.scanner.next();
      const path = p.path('an attribute path as the first argument of if_not_exists');
      p.expectPunct(',', "',' and the value to use when the path does not exist");
      const fallback = updateOperand(p, 'a value as the second argument of if_not_exists');
      p.expectPunct(')', "')' (if_not_exists takes two arguments)");
      return { kind: 'if_not_exists', path, fallback, start: token.start };
    }
    if (name === 'list_append') {
      p.scanner.next();
      p.scanner.next();
      const first = updateOperand(p, 'a list as the first argument of list_append');
      p.expectPunct(',', "',' and the list to append");
      const second = updateOperand(p, 'a list as the second argument of list_append');
      p.expectPunct(')', "')' (list_append takes two lists)");
      for (const arg of [first, second]) {
        if (arg.kind === 'value' && !Array.isArray(arg.value)) {
          p.src.fail(arg.start, "list_append takes lists: wrap a single value in [ ], such as ['x']");
        }
      }
      return { kind: 'list_append', first, second, start: token.start };
    }
    p.src.fail(
      token.start,
      `unknown function '${token.text}'; an update value can use if_not_exists and list_append`,
    );
  }
  return p.pathOperand(what);
}
