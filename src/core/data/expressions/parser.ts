/**
 * The parser's base: token expectations and their messages, document paths, literal values and
 * operands. Each expression kind parses its own grammar on top of it (condition.ts, update.ts).
 */
import { LosslessNumber } from 'lossless-json';
import { decimalProblem, parseDecimal } from '../../../ddb/numbers.js';
import { DdbError } from '../../errors.js';
import { fromPlainValue, type ItemValue } from '../codec.js';
import type { Operand, Path, Segment } from './ast.js';
import { describe, isPunct, Scanner, type Token } from './scanner.js';
import type { Source } from './source.js';

// NOTE: DynamoDB's limit, checked locally so a mistake is a clear error, not a round trip.
/** Maximum depth of a document path. */
const MAX_PATH_DEPTH = 32;

const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);

export class Parser {
  readonly scanner: Scanner;

  constructor(readonly src: Source) {
    this.scanner = new Scanner(src);
  }

  /** Fail at a token: "expected X after 'Y', found 'Z'". */
  expected(what: string, token = this.scanner.peek(), hint = ''): never {
    const last = this.scanner.last;
    const after = last === undefined ? '' : ` after ${describe(last)}`;
    const found = token.type === 'end' ? '' : `, found ${describe(token)}`;
    let extra = hint;
    // NOTE: `first-name` lexes as first - name: point at the backticks.
    if (
      extra === '' &&
      last !== undefined &&
      isPunct(token, '-') &&
      token.start === last.end &&
      isPathEnd(last)
    ) {
      extra = '; a name with dashes, dots or spaces goes between backticks, such as `first-name`';
    }
    this.src.fail(token.start, `expected ${what}${after}${found}${extra}`);
  }

  expectPunct(text: string, what: string): Token {
    const token = this.scanner.peek();
    if (!isPunct(token, text)) this.expected(what, token);
    return this.scanner.next();
  }

  acceptPunct(text: string): boolean {
    if (!isPunct(this.scanner.peek(), text)) return false;
    this.scanner.next();
    return true;
  }

  expectEnd(what: string): void {
    const token = this.scanner.peek();
    if (token.type !== 'end') this.expected(what, token);
  }

  // --- paths ---------------------------------------------------------------------------------

  /** A document path. Its parts are written without spaces: `a.b[0]`. */
  path(what: string): Path {
    const first = this.scanner.peek();
    const segments: Segment[] = [this.pathName(first, what)];
    this.scanner.next();
    for (;;) {
      const token = this.scanner.peek();
      if (token.start !== this.scanner.pos) break;
      if (isPunct(token, '.')) {
        this.scanner.next();
        const name = this.scanner.peek();
        segments.push(this.pathName(name, 'a name'));
        this.scanner.next();
      } else if (isPunct(token, '[')) {
        this.scanner.next();
        const index = this.scanner.peek();
        if (
          index.type !== 'number' ||
          !/^[0-9]+$/.test(index.text) ||
          !Number.isSafeInteger(Number(index.text))
        ) {
          this.expected('a list index (a whole number)', index);
        }
        this.scanner.next();
        segments.push({ kind: 'index', index: Number(index.text), start: index.start });
        this.expectPunct(']', "']' to close the list index");
      } else {
        break;
      }
      if (segments.length > MAX_PATH_DEPTH) {
        this.src.fail(
          token.start,
          `the path is nested deeper than DynamoDB's limit of ${MAX_PATH_DEPTH} levels`,
        );
      }
    }
    return { segments, start: first.start };
  }

  private pathName(token: Token, what: string): Segment {
    if (token.type === 'name' || token.type === 'quotedName')
      return { kind: 'name', name: token.value, start: token.start };
    if (token.type === 'rawName') return { kind: 'placeholder', placeholder: token.text, start: token.start };
    this.expected(what, token);
  }

  // --- values --------------------------------------------------------------------------------

  /** A literal value: string, number, true/false/null, [list] or {map} (with $set / $binary / $map tags). */
  literal(): { kind: 'value'; value: ItemValue; start: number } {
    const start = this.scanner.peek().start;
    const plain = this.plainValue();
    try {
      return { kind: 'value', value: fromPlainValue(plain, 'value'), start };
    } catch (e) {
      if (e instanceof DdbError) this.src.fail(start, e.message);
      throw e;
    }
  }

  /** True when the next token starts a literal value. */
  private atLiteral(): boolean {
    const token = this.scanner.peek();
    if (token.type === 'string' || token.type === 'number') return true;
    if (token.type === 'name') return ['TRUE', 'FALSE', 'NULL'].includes(token.text.toUpperCase());
    if (isPunct(token, '[') || isPunct(token, '{')) return true;
    return isPunct(token, '-') && this.scanner.peekAfter(token).type === 'number';
  }

  /** A JSON-ish value: numbers as LosslessNumber (exact), strings in either quote, nested lists and maps. */
  private plainValue(): unknown {
    const token = this.scanner.peek();
    if (token.type === 'string') {
      this.scanner.next();
      return token.value;
    }
    if (token.type === 'number') {
      this.scanner.next();
      return this.number(token, '');
    }
    if (token.type === 'name') {
      const word = token.text.toLowerCase();
      if (word === 'true' || word === 'false' || word === 'null') {
        this.scanner.next();
        return word === 'null' ? null : word === 'true';
      }
      this.expected('a value', token, `; quote text: '${token.text}'`);
    }
    if (isPunct(token, '-')) {
      const digits = this.scanner.peekAfter(token);
      if (digits.type !== 'number') this.expected('a value', token);
      this.scanner.next();
      this.scanner.next();
      return this.number(digits, '-');
    }
    if (isPunct(token, '[')) {
      this.scanner.next();
      const list: unknown[] = [];
      if (this.acceptPunct(']')) return list;
      for (;;) {
        list.push(this.plainValue());
        if (this.acceptPunct(']')) return list;
        this.expectPunct(',', `',' or ']' to close the list at column ${token.start + 1}`);
      }
    }
    if (isPunct(token, '{')) {
      this.scanner.next();
      const entries: [string, unknown][] = [];
      if (this.acceptPunct('}')) return {};
      for (;;) {
        const key = this.scanner.peek();
        if (key.type !== 'string') this.expected('a quoted key', key);
        if (entries.some(([k]) => k === key.value)) this.src.fail(key.start, `duplicate key ${key.text}`);
        this.scanner.next();
        const colon = this.scanner.peek();
        // NOTE: `{"a":1}` lexes `:1` as a placeholder; a map only wants its ':'.
        if (colon.type === 'rawValue' && colon.start === this.scanner.pos) this.scanner.splitFirstChar(colon);
        else this.expectPunct(':', "':'");
        entries.push([key.value, this.plainValue()]);
        // NOTE: fromEntries defines keys, so even "__proto__" stays a plain key.
        if (this.acceptPunct('}')) return Object.fromEntries(entries);
        this.expectPunct(',', `',' or '}' to close the map at column ${token.start + 1}`);
      }
    }
    this.expected('a value', token);
  }

  private number(token: Token, sign: '' | '-'): LosslessNumber {
    // NOTE: JSON (and so LosslessNumber) has no leading zeros; 007 means 7.
    const text = sign + token.text.replace(/^0+(?=[0-9])/, '');
    const problem = numberProblem(text);
    if (problem !== undefined) this.src.fail(token.start - sign.length, `number ${text} ${problem}`);
    return new LosslessNumber(text);
  }

  /** A value only (literal or raw `:x`), as ADD, DELETE, append and setIfNotExists take. */
  plainOperand(): Operand {
    return this.valueOperand() ?? this.literal();
  }

  /** A raw `:x` placeholder or a literal, or undefined when the next token starts neither. */
  valueOperand(): Operand | undefined {
    const token = this.scanner.peek();
    if (token.type === 'rawValue') {
      this.scanner.next();
      return { kind: 'raw', placeholder: token.text, start: token.start };
    }
    return this.atLiteral() ? this.literal() : undefined;
  }

  /** A path as an operand; fails with "expected `what`" when the next token starts none. */
  pathOperand(what: string): Operand & { kind: 'path' } {
    const token = this.scanner.peek();
    if (token.type !== 'name' && token.type !== 'quotedName' && token.type !== 'rawName') {
      this.expected(what, token);
    }
    const path = this.path(what);
    return { kind: 'path', path, start: path.start };
  }

  unknownFunction(token: Token): never {
    this.src.fail(
      token.start,
      `unknown function '${token.text}'; a condition can use attribute_exists, attribute_not_exists, attribute_type, begins_with, contains and size`,
    );
  }

  /** A condition operand: path, literal, raw `:x` or size(path). */
  operand(what: string): Operand {
    const value = this.valueOperand();
    if (value !== undefined) return value;
    const token = this.scanner.peek();
    if (token.type === 'name' && isPunct(this.scanner.peekAfter(token), '(')) {
      if (token.text.toLowerCase() !== 'size') this.unknownFunction(token);
      this.scanner.next();
      this.scanner.next();
      const path = this.path('an attribute path as the argument of size');
      this.expectPunct(')', "')' (size takes one path)");
      return { kind: 'size', path, start: token.start };
    }
    return this.pathOperand(what);
  }
}

export function isComparator(token: Token): boolean {
  return token.type === 'punct' && COMPARATORS.has(token.text);
}

function isPathEnd(token: Token): boolean {
  return (
    token.type === 'name' || token.type === 'quotedName' || token.type === 'rawName' || isPunct(token, ']')
  );
}

/** Why DynamoDB would refuse a number, or undefined when it is fine (its rules: src/ddb/numbers.ts). */
function numberProblem(text: string): string | undefined {
  const d = parseDecimal(text);
  if (d === undefined) return 'is not a number';
  switch (decimalProblem(d)) {
    case 'digits':
      return `has ${d.digits.length} significant digits; DynamoDB keeps at most 38`;
    case 'large':
      return 'is too large; DynamoDB numbers go up to 9.99…E+125';
    case 'small':
      return 'is too small; DynamoDB numbers go down to 1E-130';
    default:
      return undefined;
  }
}
