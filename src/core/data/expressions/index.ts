/**
 * Expression compiler: readable condition, filter, key-condition, projection and update text in,
 * DynamoDB expression strings out — safe by construction.
 *
 * Every attribute name becomes a generated `#nN` placeholder and every value a generated `:vN`
 * placeholder, so no user text is ever spliced into expression text and reserved words (name,
 * status, data, size, ...) just work. The only user text that passes through is the user's own raw
 * placeholders (`#x`, `:x`), and only when they are defined (see `Placeholders.addRaw`).
 *
 * Syntax, in short (keywords and function names are case-insensitive):
 *   path       name.other[0].`name with spaces.or-dots`   (unquoted names: [A-Za-z_][A-Za-z0-9_]*,
 *              anything else between backticks; `\`` and `\\` escape inside them; no spaces in a path)
 *   value      'text' or "text" (backslash escapes), 12.5 (kept exact), true, false, null,
 *              [list], {"map": 1}, {"$set": ["a"]}, {"$binary": "AAE="}, {"$map": {"$set": 1}} (a map
 *              whose only key is a tag's name), or a raw :placeholder
 *   condition  a = b, <>, <, <=, >, >=, a BETWEEN x AND y, a IN (x, y), attribute_exists(p),
 *              attribute_not_exists(p), attribute_type(p, 'S'), begins_with(p, 'x'),
 *              contains(p, v), size(p) as an operand; NOT > AND > OR; parentheses
 *   update     set: `p = v`, `p = v + v`, `p = v - v`, `if_not_exists(p, v)`, `list_append(v, v)`;
 *              add / delete: `p v` or `p = v`; remove: `p`; append / setIfNotExists: `p = v`;
 *              several actions of one kind may share an entry, separated by commas
 *
 * Errors are `DdbError('input.expression')` with a one-line message naming the expression, the
 * 1-based column and what was expected.
 *
 * NOTE: one file over 500 lines holding a whole compiler (scanner, parser, emitter); issue 14
 * ("one path for each job") turns it into a folder of small files, as src/engine/expr already is.
 */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { LosslessNumber } from 'lossless-json';
import { DdbError, inputError } from '../../errors.js';
import { fromPlainValue, type ItemValue } from '../codec.js';

// NOTE: DynamoDB's limits, checked locally so a mistake is a clear error, not a round trip.
/** Maximum length of one expression string: 4 KB. */
const MAX_EXPRESSION_BYTES = 4096;
/** Maximum number of operands in an IN list. */
const MAX_IN_VALUES = 100;
/** Maximum depth of a document path. */
const MAX_PATH_DEPTH = 32;
/** Numbers keep at most 38 significant digits, between 1E-130 and 9.99…E+125 in magnitude. */
const MAX_NUMBER_DIGITS = 38;
const MAX_NUMBER_EXPONENT = 125;
const MIN_NUMBER_EXPONENT = -130;

const ATTRIBUTE_TYPES = ['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'];
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_FUNCTIONS = [
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
];
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RAW_NAME_RE = /^#[A-Za-z0-9_]+$/;
const RAW_VALUE_RE = /^:[A-Za-z0-9_]+$/;

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** One compiled expression with the placeholders it uses. */
export interface CompiledExpression {
  /** The expression text, made of placeholders, operators and function names only. */
  expression: string;
  /** `#nN` → attribute name. */
  names: Record<string, string>;
  /** `:vN` → value. */
  values: Record<string, ItemValue>;
}

/**
 * One step of a document path: an attribute or map key name, a list index, or a raw `#x`
 * placeholder the caller defines in `ExpressionAttributeNames`.
 */
export type PathSegment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'placeholder'; placeholder: string };

/**
 * The actions of one UpdateExpression; each entry may hold several actions of its kind separated
 * by commas. All are grouped into one `SET ... REMOVE ... ADD ... DELETE ...` expression.
 */
export interface UpdateActions {
  /** `path = value`, `path = a + b`, `path = a - b`, `path = if_not_exists(p, v)`, `path = list_append(a, b)`. */
  set?: string[];
  /** `path value` or `path = value`: add a number to a number, or elements to a set. */
  add?: string[];
  /** `path`: remove an attribute, map key or list element. */
  remove?: string[];
  /** `path value` or `path = value`: remove the elements of a set from a set. */
  delete?: string[];
  /** `path = value`: append to a list (created when missing); a value that is not a list is appended as one element. */
  append?: string[];
  /** `path = value`: set only when the attribute does not exist yet. */
  setIfNotExists?: string[];
}

/** Inputs of `buildExpressions`; every expression is optional, raw placeholders are merged first. */
export interface BuildExpressionsOptions {
  /** ConditionExpression of a put, update or delete. */
  condition?: string;
  /** FilterExpression of a query or scan. */
  filter?: string;
  /** KeyConditionExpression of a query: partition key `=`, and optionally one sort key condition. */
  keyCondition?: string;
  /** ProjectionExpression: comma-separated paths. */
  projection?: string;
  /** UpdateExpression actions. */
  update?: UpdateActions;
  /** A raw UpdateExpression, passed through as written; its `#x` / `:x` must be raw placeholders. */
  rawUpdate?: string;
  /** The caller's own `#x` placeholders, used verbatim in the expressions above. */
  rawNames?: Record<string, string>;
  /** The caller's own `:x` placeholders, used verbatim in the expressions above. */
  rawValues?: Record<string, ItemValue>;
}

/** The request fields `buildExpressions` fills in; fields with nothing to say are left out. */
export interface BuiltExpressions {
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  ProjectionExpression?: string;
  UpdateExpression?: string;
  /** Left out when empty: DynamoDB rejects an empty map. */
  ExpressionAttributeNames?: Record<string, string>;
  /** Left out when empty: DynamoDB rejects an empty map. */
  ExpressionAttributeValues?: Record<string, ItemValue>;
}

/**
 * Shared placeholder allocator so several expressions of one request (condition + update +
 * projection) never collide; identical names reuse one #n placeholder, values get fresh :v
 * placeholders.
 *
 * Add raw placeholders (`addRaw`) before compiling expressions that use them: compiling checks that
 * each `#x` / `:x` in the text is defined.
 */
export class Placeholders {
  private readonly byName = new Map<string, string>();
  private readonly nameMap: Record<string, string> = {};
  private readonly valueMap: Record<string, ItemValue> = {};
  private readonly raw = new Set<string>();
  private readonly used = new Set<string>();
  private nextName = 0;
  private nextValue = 0;

  /** The `#nN` placeholder for an attribute name (or map key); the same name always gets the same one. */
  name(part: string): string {
    const known = this.byName.get(part);
    if (known !== undefined) return known;
    let key: string;
    do key = `#n${this.nextName++}`;
    while (Object.hasOwn(this.nameMap, key));
    this.nameMap[key] = part;
    this.byName.set(part, key);
    return key;
  }

  /** A fresh `:vN` placeholder for a value. */
  value(v: ItemValue): string {
    let key: string;
    do key = `:v${this.nextValue++}`;
    while (Object.hasOwn(this.valueMap, key));
    this.valueMap[key] = v;
    return key;
  }

  /** ExpressionAttributeNames so far (a copy). */
  get names(): Record<string, string> {
    return { ...this.nameMap };
  }

  /** ExpressionAttributeValues so far (a copy). */
  get values(): Record<string, ItemValue> {
    return { ...this.valueMap };
  }

  /**
   * Merge the caller's own raw placeholders (`#x` → name, `:x` → value). Redefining one with the
   * same content is allowed; a conflicting redefinition (including of a generated `#nN`/`:vN`)
   * throws `input.expression`.
   */
  addRaw(names?: Record<string, string>, values?: Record<string, ItemValue>): void {
    for (const [key, name] of Object.entries(names ?? {})) {
      if (!RAW_NAME_RE.test(key)) {
        throw inputError(
          'input.expression',
          `raw name placeholder ${JSON.stringify(key)} must be '#' followed by letters, digits or '_', such as #name`,
        );
      }
      if (typeof name !== 'string' || name === '') {
        throw inputError(
          'input.expression',
          `raw name placeholder ${key} must stand for a non-empty attribute name`,
        );
      }
      if (Object.hasOwn(this.nameMap, key) && this.nameMap[key] !== name) {
        throw inputError(
          'input.expression',
          `raw name placeholder ${key} is already defined as ${JSON.stringify(this.nameMap[key])}, cannot redefine it as ${JSON.stringify(name)}${generatedHint(key)}`,
        );
      }
      this.nameMap[key] = name;
      this.raw.add(key);
    }
    for (const [key, value] of Object.entries(values ?? {})) {
      if (!RAW_VALUE_RE.test(key)) {
        throw inputError(
          'input.expression',
          `raw value placeholder ${JSON.stringify(key)} must be ':' followed by letters, digits or '_', such as :value`,
        );
      }
      if (value === undefined) {
        throw inputError('input.expression', `raw value placeholder ${key} has no value`);
      }
      const known = this.valueMap[key];
      if (known !== undefined && !sameValue(known, value)) {
        throw inputError(
          'input.expression',
          `raw value placeholder ${key} is already defined with another value${generatedHint(key)}`,
        );
      }
      this.valueMap[key] = value;
      this.raw.add(key);
    }
  }

  /** Mark a raw `#x` / `:x` placeholder as used; false when it was never defined with `addRaw`. */
  useRaw(placeholder: string): boolean {
    if (!this.raw.has(placeholder)) return false;
    this.used.add(placeholder);
    return true;
  }

  /** Raw placeholders defined but not used by any compiled expression (DynamoDB rejects those). */
  unusedRaw(): string[] {
    return [...this.raw].filter((k) => !this.used.has(k));
  }
}

/**
 * Compile a condition — a ConditionExpression, a FilterExpression, or (without the key-specific
 * checks of `compileKeyCondition`) a KeyConditionExpression. `what` names the expression in errors.
 */
export function compileCondition(text: string, ph: Placeholders, what = 'condition'): string {
  const src = new Source(what, text);
  const cond = new Parser(src).conditionExpression();
  return checkSize(src, new Emitter(src, ph).condition(cond));
}

/**
 * Compile a KeyConditionExpression: the condition grammar restricted to what DynamoDB accepts for
 * keys — `key = v`, and optionally AND one sort key condition (`=`, `<`, `<=`, `>`, `>=`, BETWEEN,
 * begins_with) — on top-level attributes compared with values.
 */
export function compileKeyCondition(text: string, ph: Placeholders, what = 'key condition'): string {
  const src = new Source(what, text);
  const cond = new Parser(src).conditionExpression();
  checkKeyCondition(src, cond);
  return checkSize(src, new Emitter(src, ph).condition(cond));
}

/** Compile a ProjectionExpression from comma-separated paths such as `a,b.c,d[0]`. */
export function compileProjection(list: string, ph: Placeholders, what = 'projection'): string {
  const src = new Source(what, list);
  const parser = new Parser(src);
  const emitter = new Emitter(src, ph);
  const seen: Target[] = [];
  const out: string[] = [];
  for (;;) {
    const path = parser.path('an attribute path');
    checkOverlap(src, ph, seen, path, 'a projection');
    out.push(emitter.path(path));
    const sep = parser.scanner.peek();
    if (sep.type === 'end') break;
    if (!isPunct(sep, ',')) parser.expected("',' or the end of the list");
    parser.scanner.next();
  }
  return checkSize(src, out.join(', '));
}

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
    return `${target} = ${e.update(p.updateValue())}`;
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

/**
 * Parse a document path such as `a.b[0].c` or `` a.`b.c`[1] `` into its segments.
 * Raw `#x` placeholders come back as `{ kind: 'placeholder' }` segments.
 */
export function parsePath(text: string): PathSegment[] {
  const src = new Source('path', text);
  const parser = new Parser(src);
  const path = parser.path('an attribute path');
  parser.expectEnd('the end of the path');
  return path.segments.map((s): PathSegment => {
    if (s.kind === 'name') return { kind: 'name', name: s.name };
    if (s.kind === 'index') return { kind: 'index', index: s.index };
    return { kind: 'placeholder', placeholder: s.placeholder };
  });
}

/**
 * The quoted string literal at `start` of `text`, as expressions read one ('text' or "text", with
 * backslash escapes): its value and the index just after its closing quote. Throws
 * input.expression naming `label` when it is not closed or holds a bad escape.
 */
export function readStringLiteral(
  text: string,
  start: number,
  label: string,
): { value: string; end: number } {
  const quote = text[start];
  if (quote !== "'" && quote !== '"') {
    throw new DdbError('internal', { message: `readStringLiteral: no quote at ${start} of ${label}` });
  }
  const token = new Scanner(new Source(label, text)).quoted(start, quote, 'string');
  return { value: token.value, end: token.end };
}

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
 * Why an update may not write an attribute named "__proto__": DynamoDB stores it, and every answer
 * holding it is then refused (protoGuard.ts), the update's own first. Removing one is allowed.
 */
const PROTO_UPDATE_PROBLEM =
  'an attribute named "__proto__" cannot be written through the AWS SDK for JavaScript (it could not be read back); rename it, or only REMOVE it';

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

// ---------------------------------------------------------------------------------------------
// Source text and errors
// ---------------------------------------------------------------------------------------------

class Source {
  constructor(
    readonly label: string,
    readonly text: string,
  ) {}

  /** Throw `input.expression` at a 0-based index, reported as a 1-based column. */
  fail(index: number, message: string): never {
    throw inputError(
      'input.expression',
      `${this.label} ${excerpt(this.text, index)} at column ${index + 1}: ${message}`,
    );
  }
}

/** The expression as a one-line quoted string; a long one is cut around the column. */
function excerpt(text: string, index: number): string {
  const max = 80;
  if (text.length <= max) return JSON.stringify(text);
  const from = Math.max(0, Math.min(index - max / 2, text.length - max));
  const cut = text.slice(from, from + max);
  return JSON.stringify(`${from > 0 ? '…' : ''}${cut}${from + max < text.length ? '…' : ''}`);
}

function generatedHint(key: string): string {
  return /^(#n|:v)\d+$/.test(key) ? ` (#nN and :vN are generated placeholders: give yours other names)` : '';
}

function checkSize(src: Source, expression: string): string {
  const bytes = Buffer.byteLength(expression, 'utf8');
  if (bytes > MAX_EXPRESSION_BYTES) {
    throw inputError(
      'input.expression',
      `${src.label} is ${bytes} bytes once compiled; DynamoDB allows at most ${MAX_EXPRESSION_BYTES} bytes (4 KB) per expression: shorten it or split the work into several requests`,
    );
  }
  return expression;
}

// ---------------------------------------------------------------------------------------------
// Scanner: tokens produced on demand, so a parser can re-read characters in another way
// ---------------------------------------------------------------------------------------------

type TokenType = 'name' | 'quotedName' | 'rawName' | 'rawValue' | 'string' | 'number' | 'punct' | 'end';

interface Token {
  type: TokenType;
  /** The source text of the token. */
  text: string;
  /** The decoded name or string; the text otherwise. */
  value: string;
  start: number;
  end: number;
}

const TWO_CHAR_PUNCT = new Set(['<>', '<=', '>=']);
const ONE_CHAR_PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', '.', '=', '<', '>', '+', '-', ':']);
const MISTAKES: Record<string, string> = {
  '!=': "'!=' is not DynamoDB syntax: use '<>'",
  '==': "'==' is not DynamoDB syntax: use '='",
  '&&': "'&&' is not DynamoDB syntax: use AND",
  '||': "'||' is not DynamoDB syntax: use OR",
};
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
  '`': '`',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '0': '\0',
};

class Scanner {
  pos = 0;
  /** The last token consumed with `next()`, for "after ..." in messages. */
  last: Token | undefined;
  private readonly cache = new Map<number, Token>();

  constructor(readonly src: Source) {}

  peek(): Token {
    return this.lexAt(this.pos);
  }

  peekAfter(token: Token): Token {
    return this.lexAt(token.end);
  }

  next(): Token {
    const token = this.peek();
    this.pos = token.end;
    this.last = token;
    return token;
  }

  /** Consume only the first character of a token (a ':' lexed as part of `:name`). */
  splitFirstChar(token: Token): void {
    this.pos = token.start + 1;
    this.last = {
      type: 'punct',
      text: token.text[0]!,
      value: token.text[0]!,
      start: token.start,
      end: token.start + 1,
    };
  }

  private lexAt(pos: number): Token {
    let token = this.cache.get(pos);
    if (token === undefined) {
      token = this.lex(pos);
      this.cache.set(pos, token);
    }
    return token;
  }

  private lex(pos: number): Token {
    const text = this.src.text;
    let i = pos;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const start = i;
    const make = (type: TokenType, end: number, value = text.slice(start, end)): Token => ({
      type,
      text: text.slice(start, end),
      value,
      start,
      end,
    });
    if (i >= text.length) return make('end', i);
    const c = text[i]!;
    if (/[A-Za-z_]/.test(c)) {
      i++;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      return make('name', i);
    }
    if (c === '`') return this.quoted(start, '`', 'quotedName');
    if (c === "'" || c === '"') return this.quoted(start, c, 'string');
    if (c === '#' || c === ':') {
      i++;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      if (i > start + 1) return make(c === '#' ? 'rawName' : 'rawValue', i);
      if (c === '#') this.src.fail(start, "expected a placeholder name after '#', such as #name");
      return make('punct', i);
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      i += m[0].length;
      if (i < text.length && /[A-Za-z_.]/.test(text[i]!)) {
        const word = /^[A-Za-z0-9_.]*/.exec(text.slice(start))![0];
        this.src.fail(
          start,
          `invalid number '${word}'; a name that starts with a digit goes between backticks, such as \`${word}\``,
        );
      }
      return make('number', i);
    }
    const two = text.slice(i, i + 2);
    if (MISTAKES[two] !== undefined) this.src.fail(start, MISTAKES[two]);
    if (TWO_CHAR_PUNCT.has(two)) return make('punct', i + 2);
    if (ONE_CHAR_PUNCT.has(c)) return make('punct', i + 1);
    this.src.fail(start, `unexpected character ${JSON.stringify(c)}`);
  }

  /** A backtick-quoted name or a quoted string, with backslash escapes. */
  quoted(start: number, quote: string, type: 'quotedName' | 'string'): Token {
    const text = this.src.text;
    let i = start + 1;
    let value = '';
    for (;;) {
      if (i >= text.length) {
        const what = type === 'string' ? 'string' : 'name';
        this.src.fail(start, `unterminated ${what}; expected a closing ${quote}`);
      }
      const c = text[i]!;
      if (c === quote) break;
      if (c === '\\') {
        const e = text[i + 1];
        if (type === 'quotedName') {
          // NOTE: in names only \` and \\ escape; any other backslash is part of the name.
          if (e === '`' || e === '\\') {
            value += e;
            i += 2;
          } else {
            value += c;
            i++;
          }
          continue;
        }
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.src.fail(i, "expected 4 hex digits after '\\u'");
          value += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
          continue;
        }
        const decoded = e === undefined ? undefined : ESCAPES[e];
        if (decoded === undefined) {
          this.src.fail(i, `unknown escape '\\${e ?? ''}'; use \\\\ for a backslash`);
        }
        value += decoded;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    if (type === 'quotedName' && value === '') this.src.fail(start, 'empty name between backticks');
    return { type, text: text.slice(start, i + 1), value, start, end: i + 1 };
  }
}

function isPunct(token: Token, text: string): boolean {
  return token.type === 'punct' && token.text === text;
}

function isKeyword(token: Token, word: string): boolean {
  return token.type === 'name' && token.text.toUpperCase() === word;
}

function describe(token: Token): string {
  if (token.type === 'end') return 'the end';
  const text = token.text.length > 30 ? `${token.text.slice(0, 29)}…` : token.text;
  return token.type === 'string' ? text : `'${text}'`;
}

// ---------------------------------------------------------------------------------------------
// Syntax tree
// ---------------------------------------------------------------------------------------------

type Segment =
  | { kind: 'name'; name: string; start: number }
  | { kind: 'index'; index: number; start: number }
  | { kind: 'placeholder'; placeholder: string; start: number };

interface Path {
  segments: Segment[];
  start: number;
}

type Operand =
  | { kind: 'path'; path: Path; start: number }
  | { kind: 'value'; value: ItemValue; start: number }
  | { kind: 'raw'; placeholder: string; start: number }
  | { kind: 'size'; path: Path; start: number };

type UpdateOperand =
  | Operand
  | { kind: 'if_not_exists'; path: Path; fallback: UpdateOperand; start: number }
  | { kind: 'list_append'; first: UpdateOperand; second: UpdateOperand; start: number };

type UpdateValue =
  | UpdateOperand
  | { kind: 'arith'; op: '+' | '-'; left: UpdateOperand; right: UpdateOperand; start: number };

type Condition =
  | { kind: 'compare'; op: string; left: Operand; right: Operand; start: number; opStart: number }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand; start: number }
  | { kind: 'in'; subject: Operand; list: Operand[]; start: number }
  | { kind: 'function'; name: string; args: Operand[]; start: number }
  | { kind: 'and' | 'or'; left: Condition; right: Condition; start: number }
  | { kind: 'not'; operand: Condition; start: number };

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

class Parser {
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
    const token = this.scanner.peek();
    if (token.type === 'rawValue') {
      this.scanner.next();
      return { kind: 'raw', placeholder: token.text, start: token.start };
    }
    return this.literal();
  }

  // --- conditions ----------------------------------------------------------------------------

  /** A whole condition, up to the end of the text. */
  conditionExpression(): Condition {
    const cond = this.or();
    this.expectEnd('AND, OR or the end of the condition');
    return cond;
  }

  private or(): Condition {
    let left = this.and();
    while (isKeyword(this.scanner.peek(), 'OR')) {
      const op = this.scanner.next();
      left = { kind: 'or', left, right: this.and(), start: op.start };
    }
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (isKeyword(this.scanner.peek(), 'AND')) {
      const op = this.scanner.next();
      left = { kind: 'and', left, right: this.not(), start: op.start };
    }
    return left;
  }

  private not(): Condition {
    const token = this.scanner.peek();
    // NOTE: `not = 1` compares an attribute called "not"; NOT before anything else negates.
    if (isKeyword(token, 'NOT') && !isComparator(this.scanner.peekAfter(token))) {
      this.scanner.next();
      return { kind: 'not', operand: this.not(), start: token.start };
    }
    return this.primary();
  }

  private primary(): Condition {
    const token = this.scanner.peek();
    if (isPunct(token, '(')) {
      this.scanner.next();
      const inner = this.or();
      if (!isPunct(this.scanner.peek(), ')'))
        this.expected(`AND, OR or ')' to close the '(' at column ${token.start + 1}`);
      this.scanner.next();
      return inner;
    }
    if (token.type === 'name' && isPunct(this.scanner.peekAfter(token), '(')) {
      const name = token.text.toLowerCase();
      if (CONDITION_FUNCTIONS.includes(name)) return this.conditionFunction(name);
      if (name !== 'size') this.unknownFunction(token);
    }
    if (token.type === 'end') this.expected('a condition', token);
    const left = this.operand('a condition');
    const op = this.scanner.peek();
    if (isComparator(op)) {
      this.scanner.next();
      const right = this.operand('a value');
      return { kind: 'compare', op: op.text, left, right, start: left.start, opStart: op.start };
    }
    if (isKeyword(op, 'BETWEEN')) {
      this.scanner.next();
      const low = this.operand('a value');
      if (!isKeyword(this.scanner.peek(), 'AND')) this.expected('AND between the two bounds of BETWEEN');
      this.scanner.next();
      const high = this.operand('a value');
      return { kind: 'between', subject: left, low, high, start: left.start };
    }
    if (isKeyword(op, 'IN')) {
      this.scanner.next();
      const open = this.expectPunct('(', "'('");
      const list: Operand[] = [];
      for (;;) {
        const item = this.operand('a value');
        if (list.length === MAX_IN_VALUES) {
          this.src.fail(
            item.start,
            `IN takes at most ${MAX_IN_VALUES} values (a DynamoDB limit); split it with OR`,
          );
        }
        list.push(item);
        if (this.acceptPunct(')')) break;
        this.expectPunct(',', `',' or ')' to close the '(' at column ${open.start + 1}`);
      }
      return { kind: 'in', subject: left, list, start: left.start };
    }
    const hint = isKeyword(op, 'NOT') ? '; put NOT before the whole condition, such as NOT a IN (1, 2)' : '';
    this.expected('a comparison (=, <>, <, <=, >, >=), BETWEEN or IN', op, hint);
  }

  private unknownFunction(token: Token): never {
    this.src.fail(
      token.start,
      `unknown function '${token.text}'; a condition can use attribute_exists, attribute_not_exists, attribute_type, begins_with, contains and size`,
    );
  }

  private conditionFunction(name: string): Condition {
    const token = this.scanner.next();
    this.scanner.next(); // '('
    const first = this.path(`an attribute path as the first argument of ${name}`);
    const args: Operand[] = [{ kind: 'path', path: first, start: first.start }];
    if (name === 'attribute_exists' || name === 'attribute_not_exists') {
      this.expectPunct(')', `')' (${name} takes one path)`);
      return { kind: 'function', name, args, start: token.start };
    }
    this.expectPunct(',', `',' and a second argument of ${name}`);
    const second = this.operand(`a value as the second argument of ${name}`);
    if (name === 'attribute_type') {
      if (
        second.kind !== 'raw' &&
        (second.kind !== 'value' || !ATTRIBUTE_TYPES.includes(second.value as string))
      ) {
        this.src.fail(
          second.start,
          `attribute_type takes a type: one of ${ATTRIBUTE_TYPES.map((t) => `'${t}'`).join(', ')}`,
        );
      }
    }
    if (name === 'begins_with' && second.kind === 'value') {
      if (typeof second.value !== 'string' && !(second.value instanceof Uint8Array)) {
        this.src.fail(second.start, "begins_with takes a string (or binary) prefix, such as 'abc'");
      }
    }
    args.push(second);
    this.expectPunct(')', `')' (${name} takes two arguments)`);
    return { kind: 'function', name, args, start: token.start };
  }

  /** A condition operand: path, literal, raw `:x` or size(path). */
  private operand(what: string): Operand {
    const token = this.scanner.peek();
    if (token.type === 'rawValue') {
      this.scanner.next();
      return { kind: 'raw', placeholder: token.text, start: token.start };
    }
    if (this.atLiteral()) return this.literal();
    if (token.type === 'name' && isPunct(this.scanner.peekAfter(token), '(')) {
      if (token.text.toLowerCase() !== 'size') this.unknownFunction(token);
      this.scanner.next();
      this.scanner.next();
      const path = this.path('an attribute path as the argument of size');
      this.expectPunct(')', "')' (size takes one path)");
      return { kind: 'size', path, start: token.start };
    }
    if (token.type === 'name' || token.type === 'quotedName' || token.type === 'rawName') {
      const path = this.path(what);
      return { kind: 'path', path, start: path.start };
    }
    this.expected(what, token);
  }

  // --- updates -------------------------------------------------------------------------------

  /** The right side of a SET action: operand, operand + operand or operand - operand. */
  updateValue(): UpdateValue {
    const left = this.updateOperand('a value');
    const op = this.scanner.peek();
    if (!isPunct(op, '+') && !isPunct(op, '-')) return left;
    this.scanner.next();
    const right = this.updateOperand('a value');
    for (const side of [left, right]) {
      if (side.kind === 'value' && !(side.value instanceof NumberValue)) {
        this.src.fail(
          side.start,
          `'${op.text}' works on numbers; to add to a list use list_append, to a set use ADD`,
        );
      }
    }
    return { kind: 'arith', op: op.text as '+' | '-', left, right, start: left.start };
  }

  private updateOperand(what: string): UpdateOperand {
    const token = this.scanner.peek();
    if (token.type === 'rawValue') {
      this.scanner.next();
      return { kind: 'raw', placeholder: token.text, start: token.start };
    }
    if (this.atLiteral()) return this.literal();
    if (token.type === 'name' && isPunct(this.scanner.peekAfter(token), '(')) {
      const name = token.text.toLowerCase();
      if (name === 'if_not_exists') {
        this.scanner.next();
        this.scanner.next();
        const path = this.path('an attribute path as the first argument of if_not_exists');
        this.expectPunct(',', "',' and the value to use when the path does not exist");
        const fallback = this.updateOperand('a value as the second argument of if_not_exists');
        this.expectPunct(')', "')' (if_not_exists takes two arguments)");
        return { kind: 'if_not_exists', path, fallback, start: token.start };
      }
      if (name === 'list_append') {
        this.scanner.next();
        this.scanner.next();
        const first = this.updateOperand('a list as the first argument of list_append');
        this.expectPunct(',', "',' and the list to append");
        const second = this.updateOperand('a list as the second argument of list_append');
        this.expectPunct(')', "')' (list_append takes two lists)");
        for (const arg of [first, second]) {
          if (arg.kind === 'value' && !Array.isArray(arg.value)) {
            this.src.fail(arg.start, "list_append takes lists: wrap a single value in [ ], such as ['x']");
          }
        }
        return { kind: 'list_append', first, second, start: token.start };
      }
      this.src.fail(
        token.start,
        `unknown function '${token.text}'; an update value can use if_not_exists and list_append`,
      );
    }
    if (token.type === 'name' || token.type === 'quotedName' || token.type === 'rawName') {
      const path = this.path(what);
      return { kind: 'path', path, start: path.start };
    }
    this.expected(what, token);
  }
}

function isComparator(token: Token): boolean {
  return token.type === 'punct' && COMPARATORS.has(token.text);
}

function isPathEnd(token: Token): boolean {
  return (
    token.type === 'name' || token.type === 'quotedName' || token.type === 'rawName' || isPunct(token, ']')
  );
}

/** Why DynamoDB would refuse a number, or undefined when it is fine. */
function numberProblem(text: string): string | undefined {
  const m = /^-?([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (m === null) return 'is not a number';
  const whole = m[1]!;
  const all = whole + (m[2] ?? '');
  const digits = all.replace(/^0+/, '');
  if (digits === '') return undefined;
  const significant = digits.replace(/0+$/, '');
  if (significant.length > MAX_NUMBER_DIGITS) {
    return `has ${significant.length} significant digits; DynamoDB keeps at most ${MAX_NUMBER_DIGITS}`;
  }
  const exponent = whole.length - 1 - (all.length - digits.length) + Number(m[3] ?? 0);
  if (exponent > MAX_NUMBER_EXPONENT) return 'is too large; DynamoDB numbers go up to 9.99…E+125';
  if (exponent < MIN_NUMBER_EXPONENT) return 'is too small; DynamoDB numbers go down to 1E-130';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Emitter: syntax tree → expression text with placeholders
// ---------------------------------------------------------------------------------------------

class Emitter {
  constructor(
    readonly src: Source,
    readonly ph: Placeholders,
  ) {}

  path(path: Path): string {
    let out = '';
    for (const s of path.segments) {
      if (s.kind === 'index') {
        out += `[${s.index}]`;
        continue;
      }
      if (out !== '') out += '.';
      if (s.kind === 'name') {
        out += this.ph.name(s.name);
      } else {
        if (!this.ph.useRaw(s.placeholder)) {
          this.src.fail(s.start, `placeholder ${s.placeholder} is not defined: define it in the raw names`);
        }
        out += s.placeholder;
      }
    }
    return out;
  }

  operand(o: UpdateOperand): string {
    switch (o.kind) {
      case 'path':
        return this.path(o.path);
      case 'value':
        return this.ph.value(o.value);
      case 'raw':
        if (!this.ph.useRaw(o.placeholder)) {
          this.src.fail(o.start, `placeholder ${o.placeholder} is not defined: define it in the raw values`);
        }
        return o.placeholder;
      case 'size':
        return `size(${this.path(o.path)})`;
      case 'if_not_exists': {
        const path = this.path(o.path);
        return `if_not_exists(${path}, ${this.operand(o.fallback)})`;
      }
      case 'list_append': {
        const first = this.operand(o.first);
        return `list_append(${first}, ${this.operand(o.second)})`;
      }
    }
  }

  update(v: UpdateValue): string {
    if (v.kind !== 'arith') return this.operand(v);
    const left = this.operand(v.left);
    return `${left} ${v.op} ${this.operand(v.right)}`;
  }

  condition(c: Condition): string {
    switch (c.kind) {
      case 'compare': {
        const left = this.operand(c.left);
        return `${left} ${c.op} ${this.operand(c.right)}`;
      }
      case 'between': {
        const subject = this.operand(c.subject);
        const low = this.operand(c.low);
        return `${subject} BETWEEN ${low} AND ${this.operand(c.high)}`;
      }
      case 'in': {
        const subject = this.operand(c.subject);
        return `${subject} IN (${c.list.map((o) => this.operand(o)).join(', ')})`;
      }
      case 'function':
        return `${c.name}(${c.args.map((o) => this.operand(o)).join(', ')})`;
      case 'and': {
        // NOTE: AND binds tighter than OR, so an OR inside an AND keeps its parentheses.
        const left = this.wrapIf(c.left, 'or');
        return `${left} AND ${this.wrapIf(c.right, 'or')}`;
      }
      case 'or': {
        const left = this.condition(c.left);
        return `${left} OR ${this.condition(c.right)}`;
      }
      case 'not':
        return c.operand.kind === 'function'
          ? `NOT ${this.condition(c.operand)}`
          : `NOT (${this.condition(c.operand)})`;
    }
  }

  private wrapIf(c: Condition, kind: Condition['kind']): string {
    const text = this.condition(c);
    return c.kind === kind ? `(${text})` : text;
  }
}

// ---------------------------------------------------------------------------------------------
// Checks across a whole expression
// ---------------------------------------------------------------------------------------------

interface Target {
  src: Source;
  path: Path;
  /** The path with raw placeholders resolved, for comparison. */
  resolved: (string | number)[];
}

function resolvePath(ph: Placeholders, path: Path): (string | number)[] {
  const names = ph.names;
  return path.segments.map((s) => {
    if (s.kind === 'index') return s.index;
    if (s.kind === 'name') return s.name;
    return names[s.placeholder] ?? s.placeholder;
  });
}

/** Reject a path equal to, inside, containing, or conflicting with one already used. */
function checkOverlap(src: Source, ph: Placeholders, seen: Target[], path: Path, where: string): void {
  const resolved = resolvePath(ph, path);
  for (const other of seen) {
    const n = Math.min(resolved.length, other.resolved.length);
    let relation: 'same' | 'overlaps' | 'conflicts with' | undefined;
    for (let i = 0; i <= n; i++) {
      if (i === n) {
        relation = resolved.length === other.resolved.length ? 'same' : 'overlaps';
        break;
      }
      const a = resolved[i];
      const b = other.resolved[i];
      if (typeof a !== typeof b) {
        relation = 'conflicts with';
        break;
      }
      if (a !== b) break;
    }
    if (relation === undefined) continue;
    const mine = formatPath(path);
    const theirs = `${formatPath(other.path)}${other.src === src ? '' : ` (in ${other.src.label} ${JSON.stringify(other.src.text)})`}`;
    const message =
      relation === 'same'
        ? `path ${mine} appears twice${other.src === src ? '' : `, also in ${other.src.label} ${JSON.stringify(other.src.text)}`}; DynamoDB rejects ${where} that names a path twice: keep one`
        : `path ${mine} ${relation} ${theirs}; DynamoDB rejects ${where} with overlapping paths: keep only one of them`;
    src.fail(path.start, message);
  }
  seen.push({ src, path, resolved });
}

/** A path written back in the input syntax, for messages. */
function formatPath(path: Path): string {
  let out = '';
  for (const s of path.segments) {
    if (s.kind === 'index') out += `[${s.index}]`;
    else {
      if (out !== '') out += '.';
      out +=
        s.kind === 'placeholder'
          ? s.placeholder
          : NAME_RE.test(s.name)
            ? s.name
            : `\`${s.name.replace(/[`\\]/g, '\\$&')}\``;
    }
  }
  return out;
}

function clauseOf(kind: keyof UpdateActions): 'SET' | 'REMOVE' | 'ADD' | 'DELETE' {
  if (kind === 'remove') return 'REMOVE';
  if (kind === 'add') return 'ADD';
  if (kind === 'delete') return 'DELETE';
  return 'SET';
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

/** Deep equality of item values (numbers by their text, sets and binary by content). */
function sameValue(a: ItemValue, b: ItemValue): boolean {
  if (a instanceof NumberValue || b instanceof NumberValue) {
    return a instanceof NumberValue && b instanceof NumberValue && a.value === b.value;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    const rest = [...(b as Set<ItemValue>)];
    return [...(a as Set<ItemValue>)].every((x) => rest.some((y) => sameValue(x, y)));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]!))
    );
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(
        (k) =>
          Object.hasOwn(b, k) &&
          sameValue((a as Record<string, ItemValue>)[k]!, (b as Record<string, ItemValue>)[k]!),
      )
    );
  }
  return a === b;
}
