/**
 * Conditions: ConditionExpression, FilterExpression and KeyConditionExpression. Nodes parse
 * generically (an operand or a condition) and are checked where they meet, which is how DynamoDB
 * reports misuse ("The function is not allowed to be used this way in an expression; function: size").
 *
 * Precedence (DynamoDB's): comparisons, BETWEEN, IN and functions, then NOT, then AND, then OR.
 */
import type { AttributeValue } from '../types.js';
import { compareScalars } from '../values/compare.js';
import type { Comparator, Condition, Operand, Path } from './ast.js';
import { ParserBase, typeOf } from './parserBase.js';
import { pathText } from './paths.js';

/** NOTE: an IN list holds at most 100 operands. */
export const MAX_IN_OPERANDS = 100;

const COMPARATORS = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);
export const CONDITION_FUNCTIONS = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
]);
export const UPDATE_FUNCTIONS = new Set(['if_not_exists', 'list_append']);
const ATTRIBUTE_TYPES = new Set(['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M']);

type Node = { t: 'cond'; c: Condition; fn?: string } | { t: 'operand'; o: Operand; fn?: string };

const DUMMY_COND: Condition = { kind: 'true' };
const DUMMY_OPERAND: Operand = { kind: 'path', path: [] };

/** A scalar as DynamoDB's messages print it: `{N:5}`. */
function avText(v: AttributeValue): string {
  const type = typeOf(v);
  const x = (v as Record<string, unknown>)[type];
  return `{${type}:${typeof x === 'string' ? x : JSON.stringify(x)}}`;
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

export class ConditionParser extends ParserBase {
  /** The whole text as one condition, every check done. */
  parse(): Condition {
    const c = this.asCond(this.or());
    this.expectEnd();
    this.finishChecks();
    return c;
  }

  private asCond(n: Node): Condition {
    if (n.t === 'cond') return n.c;
    if (!n.fn) throw this.syntax();
    this.misuse(`The function is not allowed to be used this way in an expression; function: ${n.fn}`);
    return DUMMY_COND;
  }

  private asOperand(n: Node): Operand {
    if (n.t === 'operand') return n.o;
    if (!n.fn) throw this.syntax();
    this.misuse(`The function is not allowed to be used this way in an expression; function: ${n.fn}`);
    return DUMMY_OPERAND;
  }

  private binary(kind: 'or' | 'and', word: string, sub: () => Node): Node {
    let left = sub();
    while (this.isKeyword(word)) {
      this.next();
      const right = sub();
      left = { t: 'cond', c: { kind, left: this.asCond(left), right: this.asCond(right) } };
    }
    return left;
  }

  private or(): Node {
    return this.binary('or', 'OR', () => this.and());
  }

  private and(): Node {
    return this.binary('and', 'AND', () => this.not());
  }

  private not(): Node {
    if (this.isKeyword('NOT')) {
      this.next();
      return { t: 'cond', c: { kind: 'not', cond: this.asCond(this.not()) } };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const slot = this.slot();
    const left = this.primary();
    const t = this.peek();
    if (t.kind === 'op' && COMPARATORS.has(t.text)) {
      this.next();
      const op = t.text as Comparator;
      const l = this.asOperand(left);
      const r = this.asOperand(this.primary());
      this.setCheck(slot, () => {
        this.resolveOperands([l, r]);
        if (op !== '=' && op !== '<>') this.checkScalars(op, [l, r]);
        this.checkDistinct(op, [l, r]);
      });
      return { t: 'cond', c: { kind: 'compare', op, left: l, right: r } };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const value = this.asOperand(left);
      const low = this.asOperand(this.primary());
      if (!this.isKeyword('AND')) throw this.syntax();
      this.next();
      const high = this.asOperand(this.primary());
      this.setCheck(slot, () => {
        this.resolveOperands([value, low, high]);
        this.checkScalars('BETWEEN', [value, low, high]);
        if (low.kind === 'value' && high.kind === 'value') this.checkBounds(low.value, high.value);
        this.checkDistinct('BETWEEN', [value, low, high]);
      });
      return { t: 'cond', c: { kind: 'between', value, low, high } };
    }
    if (this.isKeyword('IN')) {
      this.next();
      const value = this.asOperand(left);
      this.expectOp('(');
      const list: Operand[] = [this.asOperand(this.primary())];
      while (this.isOp(',')) {
        this.next();
        list.push(this.asOperand(this.primary()));
      }
      this.expectOp(')');
      if (list.length > MAX_IN_OPERANDS)
        this.misuse(`The IN operator is provided with too many operands; number of operands: ${list.length}`);
      this.setCheck(slot, () => {
        this.resolveOperands([value, ...list]);
        this.checkDistinct('IN', [value, ...list]);
      });
      return { t: 'cond', c: { kind: 'in', value, list } };
    }
    return left;
  }

  /** Ordering operators and BETWEEN take scalars: a literal of another type is refused up front. */
  private checkScalars(op: string, operands: Operand[]): void {
    for (const o of operands) {
      if (o.kind !== 'value') continue;
      const type = typeOf(o.value);
      if (type !== 'S' && type !== 'N' && type !== 'B')
        throw this.fail(
          `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`,
        );
    }
  }

  private checkDistinct(op: string, operands: Operand[]): void {
    const first = operands[0]!;
    if (first.kind !== 'path') return;
    for (const o of operands.slice(1)) {
      if (o.kind === 'path' && samePath(o.path, first.path))
        throw this.fail(
          `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${pathText(first.path)}`,
        );
    }
  }

  private checkBounds(low: AttributeValue, high: AttributeValue): void {
    const bounds = `lower bound operand: AttributeValue: ${avText(low)}, upper bound operand: AttributeValue: ${avText(high)}`;
    if (typeOf(low) !== typeOf(high))
      throw this.fail(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    if (compareScalars(low, high) > 0)
      throw this.fail(
        `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
      );
  }

  private primary(): Node {
    const t = this.peek();
    if (t.kind === 'op' && t.text === '(') {
      this.next();
      const n = this.or();
      this.expectOp(')');
      return n;
    }
    if (this.atCall()) return this.call();
    if (t.kind === 'id' || t.kind === 'name') return { t: 'operand', o: { kind: 'path', path: this.path() } };
    if (t.kind === 'value') return { t: 'operand', o: this.valueOperand() };
    throw this.syntax();
  }

  private call(): Node {
    const slot = this.slot();
    const name = this.next().text;
    this.expectOp('(');
    const args: Operand[] = [this.asOperand(this.or())];
    while (this.isOp(',')) {
      this.next();
      args.push(this.asOperand(this.or()));
    }
    this.expectOp(')');
    if (!CONDITION_FUNCTIONS.has(name)) {
      if (UPDATE_FUNCTIONS.has(name))
        this.misuse(`The function is not allowed in a condition expression; function: ${name}`);
      else this.misuse(`Invalid function name; function: ${name}`);
      // Either use is fine from here: the misuse above is what DynamoDB reports.
      return { t: 'operand', o: DUMMY_OPERAND, fn: name };
    }
    const arity = name === 'attribute_type' || name === 'begins_with' || name === 'contains' ? 2 : 1;
    if (args.length !== arity)
      this.misuse(
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
    const [a = DUMMY_OPERAND, b = DUMMY_OPERAND] = args;
    const pathOf = (o: Operand): Path => {
      if (o.kind === 'path') return o.path;
      this.misuse(`Operator or function requires a document path; operator or function: ${name}`);
      return [];
    };
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists': {
        const path = pathOf(a);
        this.setCheck(slot, () => this.resolveNames([path]));
        return {
          t: 'cond',
          fn: name,
          c: { kind: name === 'attribute_exists' ? 'exists' : 'notExists', path },
        };
      }
      case 'size': {
        // NOTE: size() of a :value is allowed (DynamoDB Local: `size(:v) = :v` is evaluated).
        if (a.kind === 'value') {
          const o: Operand = { kind: 'size', path: [], value: undefined };
          this.setCheck(slot, () => {
            this.resolveOperands([a]);
            (o as { value?: AttributeValue }).value = (a as { value: AttributeValue }).value;
          });
          return { t: 'operand', fn: name, o };
        }
        const path = pathOf(a);
        this.setCheck(slot, () => this.resolveNames([path]));
        return { t: 'operand', fn: name, o: { kind: 'size', path } };
      }
      case 'attribute_type': {
        const path = pathOf(a);
        this.setCheck(slot, () => {
          this.resolveOperands([a, b]);
          this.checkDistinct(name, [a, b]);
          if (b.kind !== 'value') return;
          if (typeOf(b.value) !== 'S') this.checkTypes(name, [b], ['S']);
          const type = (b.value as { S: string }).S;
          if (!ATTRIBUTE_TYPES.has(type))
            throw this.fail(
              `Invalid attribute type name found; type: ${type}, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}`,
            );
        });
        return { t: 'cond', fn: name, c: { kind: 'type', path, type: b } };
      }
      case 'begins_with':
        this.setCheck(slot, () => {
          this.resolveOperands([a, b]);
          this.checkTypes(name, [a, b], ['S', 'B']);
          this.checkDistinct(name, [a, b]);
        });
        return { t: 'cond', fn: name, c: { kind: 'beginsWith', value: a, prefix: b } };
      default:
        this.setCheck(slot, () => {
          this.resolveOperands([a, b]);
          this.checkDistinct(name, [a, b]);
        });
        return { t: 'cond', fn: name, c: { kind: 'contains', value: a, item: b } };
    }
  }

  private checkTypes(fn: string, operands: Operand[], allowed: string[]): void {
    for (const o of operands) {
      if (o.kind === 'value' && !allowed.includes(typeOf(o.value)))
        throw this.fail(
          `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${typeOf(o.value)}`,
        );
    }
  }
}
