/**
 * What the expression parsers share: token handling, document paths, and DynamoDB's order of
 * errors. DynamoDB parses the whole expression first (syntax errors), then checks its structure
 * (a function used the wrong way), then reserved words; then a condition is visited node by node
 * (pre-order), each node resolving its operands left to right (`#names` and `:values`), then checking
 * their types and that its operands differ; an update or a projection resolves all its `#names` first (its paths
 * must not overlap), then its `:values` action by action. The parsers record the later checks
 * while parsing and `finishChecks()` runs them in that order.
 */
import { validation } from '../errors.js';
import type { AttributeValue } from '../types.js';
import type { Operand, Path } from './ast.js';
import type { ExprContext } from './context.js';
import { isReserved } from './reserved.js';
import { syntaxError, type Token, tokenize } from './tokens.js';

/** NOTE: DynamoDB's limit on an expression's length: 4 KB. */
export const MAX_EXPRESSION_BYTES = 4096;
/** NOTE: document paths nest at most 32 levels. */
export const MAX_PATH_DEPTH = 32;
/** NOTE: list indexes are Java ints in DynamoDB. */
const MAX_INDEX = 2 ** 31 - 1;

/** The type letter(s) of a value ("N", "SS", "M"...). */
export function typeOf(v: AttributeValue): string {
  return Object.keys(v)[0]!;
}

/** DynamoDB's long type names, used by its ADD / DELETE messages (expressions and AttributeUpdates). */
export const LONG_TYPE: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  L: 'LIST',
  M: 'MAP',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};

export class ParserBase {
  protected readonly tokens: Token[];
  protected pos = 0;
  private structural: Error | undefined;
  private reserved: Error | undefined;
  /** Each path's `#name` resolutions, in the order the paths were written. */
  private readonly nameFixups = new Map<Path, (() => void)[]>();
  /** Per-node checks in the order the nodes start (pre-order); a slot may stay empty. */
  private readonly nodeChecks: ((() => void) | undefined)[] = [];
  /** Value operands not resolved yet, and the placeholder each refers to. */
  private readonly pending = new Map<Operand, string>();

  constructor(
    protected readonly ctx: ExprContext,
    protected readonly text: string,
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

  /** Record a structural error (reported once the whole text has parsed). */
  protected misuse(why: string): void {
    this.structural ??= this.fail(why);
  }

  /** Reserve the check slot of a node that starts here; fill it with `setCheck`. */
  protected slot(): number {
    this.nodeChecks.push(undefined);
    return this.nodeChecks.length - 1;
  }
  protected setCheck(slot: number, check: () => void): void {
    this.nodeChecks[slot] = check;
  }

  /**
   * Run the recorded checks in DynamoDB's order (call after the text parsed). `afterNames` (an
   * update's or projection's overlap check) runs once every `#name` is resolved, before the nodes.
   */
  protected finishChecks(afterNames?: () => void): void {
    if (this.structural) throw this.structural;
    if (this.reserved) throw this.reserved;
    if (afterNames) {
      this.resolveNames([...this.nameFixups.keys()]);
      afterNames();
    }
    for (const c of this.nodeChecks) c?.();
    this.resolveNames([...this.nameFixups.keys()]);
    for (const o of [...this.pending.keys()]) this.resolve(o);
  }

  /** Resolve the `#names` of these paths (once each). */
  protected resolveNames(paths: Path[]): void {
    for (const p of paths) {
      const fixups = this.nameFixups.get(p);
      if (!fixups) continue;
      this.nameFixups.delete(p);
      for (const f of fixups) f();
    }
  }

  /** Resolve a node's direct operands, left to right: a path's `#names`, a `:value`. */
  protected resolveOperands(operands: Operand[]): void {
    for (const o of operands) {
      if (o.kind === 'value') this.resolve(o);
      else this.resolveNames([o.path]);
    }
  }

  /** Resolve a value operand's placeholder (once); other operands are left as they are. */
  protected resolve(o: Operand): Operand {
    const ref = this.pending.get(o);
    if (ref !== undefined) {
      (o as { value: AttributeValue }).value = this.ctx.value(ref, this.param);
      this.pending.delete(o);
    }
    return o;
  }

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  protected next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  protected syntax(at = this.pos): Error {
    return syntaxError(this.param, this.text, this.tokens, Math.min(at, this.tokens.length - 1));
  }
  protected isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'id' && t.text.toUpperCase() === word;
  }
  protected isOp(op: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === op;
  }
  protected expectOp(op: string): void {
    if (!this.isOp(op)) throw this.syntax();
    this.next();
  }
  protected expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.syntax();
  }
  /** Whether a function call starts here (`name(`). */
  protected atCall(): boolean {
    return this.peek().kind === 'id' && this.isOp('(', 1);
  }

  /** A `:value` operand, resolved later (undefined placeholders are reported after names). */
  protected valueOperand(): Operand {
    const t = this.next();
    const o = { kind: 'value', value: undefined as unknown as AttributeValue } as Operand;
    this.pending.set(o, t.text);
    return o;
  }

  /** A document path: name or #name, then `.name` / `.#name` / `[n]` steps. */
  path(): Path {
    const path: Path = [];
    this.pathName(path);
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        this.pathName(path);
      } else if (this.isOp('[')) {
        this.next();
        const t = this.peek();
        if (t.kind !== 'int') throw this.syntax();
        this.next();
        const n = Number(t.text);
        if (!(n <= MAX_INDEX))
          throw this.fail(`List index is not within the allowable range; index: [${t.text}]`);
        path.push(n);
        this.expectOp(']');
      } else break;
    }
    if (path.length > MAX_PATH_DEPTH)
      this.misuse(`The document path has too many nesting levels; nesting levels: ${path.length}`);
    return path;
  }

  private pathName(path: Path): void {
    const t = this.peek();
    if (t.kind === 'name') {
      this.next();
      const i = path.length;
      path.push(t.text);
      const fixups = this.nameFixups.get(path) ?? [];
      this.nameFixups.set(path, fixups);
      fixups.push(() => {
        path[i] = this.ctx.name(t.text, this.param);
      });
      return;
    }
    if (t.kind === 'id') {
      if (isReserved(t.text))
        this.reserved ??= this.fail(`Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
      this.next();
      path.push(t.text);
      return;
    }
    throw this.syntax();
  }
}
