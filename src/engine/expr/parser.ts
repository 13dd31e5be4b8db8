/**
 * The parser of DynamoDB's expression language: conditions (ConditionExpression, FilterExpression,
 * KeyConditionExpression), update expressions and projections. Nodes are parsed generically (an
 * operand or a condition) and checked where they meet, which is how DynamoDB reports misuse
 * ("The function is not allowed to be used this way in an expression; function: size").
 */
import { validation } from '../errors.js';
import type { AttributeValue } from '../types.js';
import { compareScalars } from '../values/compare.js';
import type { Comparator, Condition, Operand, Path, Projection, SetValue, Update } from './ast.js';
import type { ExprContext } from './context.js';
import { isReserved } from './reserved.js';
import { syntaxError, type Token, tokenize } from './tokens.js';

/** NOTE: DynamoDB's limit on an expression's length: 4 KB. */
export const MAX_EXPRESSION_BYTES = 4096;
/** NOTE: an IN list holds at most 100 operands. */
export const MAX_IN_OPERANDS = 100;
/** NOTE: document paths nest at most 32 levels. */
export const MAX_PATH_DEPTH = 32;

const COMPARATORS = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_FUNCTIONS = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
]);
const UPDATE_FUNCTIONS = new Set(['if_not_exists', 'list_append']);
export const ATTRIBUTE_TYPES = ['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'];

type Node = { t: 'cond'; c: Condition; fn?: string } | { t: 'operand'; o: Operand; fn?: string };

/** The type letter(s) of a value ("N", "SS", "M"...). */
export function typeOf(v: AttributeValue): string {
  return Object.keys(v)[0]!;
}

export class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(
    private readonly ctx: ExprContext,
    private readonly text: string,
    /** The request parameter, as DynamoDB names it in messages ("ConditionExpression"). */
    readonly param: string,
  ) {
    if (text.length === 0) throw this.fail('The expression can not be empty;');
    const size = Buffer.byteLength(text, 'utf8');
    if (size > MAX_EXPRESSION_BYTES)
      throw this.fail(`Expression size has exceeded the maximum allowed size; expression size: ${size}`);
    this.tokens = tokenize(text);
  }

  /** A ValidationException "Invalid <param>: <why>". */
  fail(why: string): Error {
    return validation(`Invalid ${this.param}: ${why}`);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private syntax(at = this.pos): Error {
    return syntaxError(this.param, this.text, this.tokens, Math.min(at, this.tokens.length - 1));
  }
  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'id' && t.text.toUpperCase() === word;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === op;
  }
  private expectOp(op: string): void {
    if (!this.isOp(op)) throw this.syntax();
    this.next();
  }
  private expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.syntax();
  }

  // --- paths -------------------------------------------------------------------------------

  /** A document path: name or #name, then `.name` / `.#name` / `[n]` steps. */
  path(): Path {
    const path: Path = [this.pathName()];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        path.push(this.pathName());
      } else if (this.isOp('[')) {
        this.next();
        const t = this.peek();
        if (t.kind !== 'int') throw this.syntax();
        this.next();
        const n = Number(t.text);
        if (!Number.isSafeInteger(n) || n > 2 ** 31 - 1)
          throw this.fail(`List index is out of range; index: ${t.text}`);
        path.push(n);
        this.expectOp(']');
      } else break;
    }
    if (path.length > MAX_PATH_DEPTH)
      throw this.fail(`The document path has too many nesting levels; nesting levels: ${path.length}`);
    return path;
  }

  private pathName(): string {
    const t = this.peek();
    if (t.kind === 'name') {
      this.next();
      return this.ctx.name(t.text, this.param);
    }
    if (t.kind === 'id') {
      if (isReserved(t.text))
        throw this.fail(`Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
      this.next();
      return t.text;
    }
    throw this.syntax();
  }

  private valueRef(): AttributeValue {
    const t = this.next();
    return this.ctx.value(t.text, this.param);
  }

  // --- conditions --------------------------------------------------------------------------

  /** A whole condition expression. */
  condition(): Condition {
    const c = this.asCond(this.or());
    this.expectEnd();
    return c;
  }

  private asCond(n: Node): Condition {
    if (n.t === 'cond') return n.c;
    if (n.fn)
      throw this.fail(`The function is not allowed to be used this way in an expression; function: ${n.fn}`);
    throw this.syntax();
  }

  private asOperand(n: Node): Operand {
    if (n.t === 'operand') return n.o;
    if (n.fn)
      throw this.fail(`The function is not allowed to be used this way in an expression; function: ${n.fn}`);
    throw this.syntax();
  }

  private or(): Node {
    let left = this.and();
    while (this.isKeyword('OR')) {
      this.next();
      const l = this.asCond(left);
      const r = this.asCond(this.and());
      left = { t: 'cond', c: { kind: 'or', left: l, right: r } };
    }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.isKeyword('AND')) {
      this.next();
      const l = this.asCond(left);
      const r = this.asCond(this.not());
      left = { t: 'cond', c: { kind: 'and', left: l, right: r } };
    }
    return left;
  }

  private not(): Node {
    if (this.isKeyword('NOT')) {
      this.next();
      return { t: 'cond', c: { kind: 'not', cond: this.asCond(this.not()) } };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const left = this.primary();
    const t = this.peek();
    if (t.kind === 'op' && COMPARATORS.has(t.text)) {
      this.next();
      const l = this.asOperand(left);
      const r = this.asOperand(this.primary());
      const op = t.text as Comparator;
      if (op !== '=' && op !== '<>') {
        this.checkScalar(op, l);
        this.checkScalar(op, r);
      }
      return { t: 'cond', c: { kind: 'compare', op, left: l, right: r } };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const value = this.asOperand(left);
      const low = this.asOperand(this.primary());
      if (!this.isKeyword('AND')) throw this.syntax();
      this.next();
      const high = this.asOperand(this.primary());
      for (const o of [value, low, high]) this.checkScalar('BETWEEN', o);
      if (low.kind === 'value' && high.kind === 'value') this.checkBounds(low.value, high.value);
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
        throw this.fail(
          `The IN operator is provided with too many operands; number of operands: ${list.length}`,
        );
      return { t: 'cond', c: { kind: 'in', value, list } };
    }
    return left;
  }

  /** Ordering operators and BETWEEN take scalars: a literal of another type is refused up front. */
  private checkScalar(op: string, o: Operand): void {
    if (o.kind !== 'value') return;
    const type = typeOf(o.value);
    if (type !== 'S' && type !== 'N' && type !== 'B')
      throw this.fail(
        `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`,
      );
  }

  private checkBounds(low: AttributeValue, high: AttributeValue): void {
    const lt = typeOf(low);
    const ht = typeOf(high);
    if (lt !== ht)
      throw this.fail(
        `The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {${lt}:${scalarText(low)}}, upper bound operand: AttributeValue: {${ht}:${scalarText(high)}}`,
      );
    if (compareScalars(low, high) > 0)
      throw this.fail(
        `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {${lt}:${scalarText(low)}}, upper bound operand: AttributeValue: {${ht}:${scalarText(high)}}`,
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
    if (t.kind === 'id' && this.peek(1).kind === 'op' && this.peek(1).text === '(')
      return this.conditionFunction();
    if (t.kind === 'id' || t.kind === 'name') return { t: 'operand', o: { kind: 'path', path: this.path() } };
    if (t.kind === 'value') return { t: 'operand', o: { kind: 'value', value: this.valueRef() } };
    throw this.syntax();
  }

  private conditionFunction(): Node {
    const name = this.next().text;
    if (!CONDITION_FUNCTIONS.has(name)) {
      if (UPDATE_FUNCTIONS.has(name))
        throw this.fail(`The function is not allowed in a condition expression; function: ${name}`);
      throw this.fail(`Invalid function name; function: ${name}`);
    }
    this.expectOp('(');
    const args: Operand[] = [this.asOperand(this.or())];
    while (this.isOp(',')) {
      this.next();
      args.push(this.asOperand(this.or()));
    }
    this.expectOp(')');
    const arity = name === 'attribute_type' || name === 'begins_with' || name === 'contains' ? 2 : 1;
    if (args.length !== arity)
      throw this.fail(
        `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
      );
    const pathArg = (o: Operand): Path => {
      if (o.kind !== 'path')
        throw this.fail(`Operator or function requires a document path; operator or function: ${name}`);
      return o.path;
    };
    switch (name) {
      case 'attribute_exists':
        return { t: 'cond', fn: name, c: { kind: 'exists', path: pathArg(args[0]!) } };
      case 'attribute_not_exists':
        return { t: 'cond', fn: name, c: { kind: 'notExists', path: pathArg(args[0]!) } };
      case 'size':
        return { t: 'operand', fn: name, o: { kind: 'size', path: pathArg(args[0]!) } };
      case 'attribute_type': {
        const path = pathArg(args[0]!);
        const type = args[1]!;
        if (type.kind === 'value') {
          const tv = type.value;
          if (typeOf(tv) !== 'S')
            throw this.fail(
              `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${typeOf(tv)}`,
            );
          const name = (tv as { S: string }).S;
          if (!ATTRIBUTE_TYPES.includes(name))
            throw this.fail(
              `Invalid attribute type name found; type: ${name}, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}`,
            );
        }
        return { t: 'cond', fn: name, c: { kind: 'type', path, type } };
      }
      case 'begins_with': {
        for (const a of args) {
          if (a.kind === 'value' && typeOf(a.value) !== 'S' && typeOf(a.value) !== 'B')
            throw this.fail(
              `Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${typeOf(a.value)}`,
            );
        }
        return { t: 'cond', fn: name, c: { kind: 'beginsWith', value: args[0]!, prefix: args[1]! } };
      }
      default:
        return { t: 'cond', fn: name, c: { kind: 'contains', value: args[0]!, item: args[1]! } };
    }
  }

  // --- projections -------------------------------------------------------------------------

  projection(): Projection {
    const paths: Path[] = [this.path()];
    while (this.isOp(',')) {
      this.next();
      paths.push(this.path());
    }
    this.expectEnd();
    return paths;
  }

  // --- updates -----------------------------------------------------------------------------

  update(): Update {
    const u: Update = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    do {
      const t = this.peek();
      const section = t.kind === 'id' ? t.text.toUpperCase() : '';
      if (section !== 'SET' && section !== 'REMOVE' && section !== 'ADD' && section !== 'DELETE')
        throw this.syntax();
      if (seen.has(section))
        throw this.fail(`The "${section}" section can only be used once in an update expression;`);
      seen.add(section);
      this.next();
      for (let more = true; more; ) {
        if (section === 'SET') {
          const path = this.path();
          this.expectOp('=');
          u.set.push({ path, value: this.setValue() });
        } else if (section === 'REMOVE') u.remove.push(this.path());
        else {
          const path = this.path();
          const v = this.peek();
          if (v.kind !== 'value') throw this.syntax();
          (section === 'ADD' ? u.add : u.delete).push({ path, value: this.valueRef() });
        }
        more = this.isOp(',');
        if (more) this.next();
      }
    } while (this.peek().kind !== 'eof');
    return u;
  }

  private setValue(): SetValue {
    const left = this.setOperand();
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text;
      const right = this.setOperand();
      return { kind: op === '+' ? 'plus' : 'minus', left, right };
    }
    return left;
  }

  private setOperand(): SetValue {
    const t = this.peek();
    if (t.kind === 'id' && this.peek(1).kind === 'op' && this.peek(1).text === '(') {
      const name = this.next().text;
      if (!UPDATE_FUNCTIONS.has(name)) {
        if (CONDITION_FUNCTIONS.has(name))
          throw this.fail(`The function is not allowed in an update expression; function: ${name}`);
        throw this.fail(`Invalid function name; function: ${name}`);
      }
      this.expectOp('(');
      const args: SetValue[] = [this.setValue()];
      while (this.isOp(',')) {
        this.next();
        args.push(this.setValue());
      }
      this.expectOp(')');
      if (args.length !== 2)
        throw this.fail(
          `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
        );
      if (name === 'if_not_exists') {
        const p = args[0]!;
        if (p.kind !== 'path')
          throw this.fail(`Operator or function requires a document path; operator or function: ${name}`);
        return { kind: 'ifNotExists', path: p.path, fallback: args[1]! };
      }
      return { kind: 'listAppend', left: args[0]!, right: args[1]! };
    }
    if (t.kind === 'id' || t.kind === 'name') return { kind: 'path', path: this.path() };
    if (t.kind === 'value') return { kind: 'value', value: this.valueRef() };
    if (t.kind === 'op' && t.text === '(') {
      this.next();
      const v = this.setValue();
      this.expectOp(')');
      return v;
    }
    throw this.syntax();
  }
}

/** A scalar's text as DynamoDB's messages print it. */
export function scalarText(v: AttributeValue): string {
  const type = typeOf(v);
  const x = (v as Record<string, unknown>)[type];
  return typeof x === 'string' ? x : JSON.stringify(x);
}
