/**
 * Scanner: tokens produced on demand, so a parser can re-read characters in another way (a `:` of a
 * map literal lexed as the start of a `:placeholder`, say). Also reads one quoted string literal for
 * callers outside the compiler (`readStringLiteral`).
 */
import { DdbError } from '../../errors.js';
import { Source } from './source.js';

export type TokenType =
  | 'name'
  | 'quotedName'
  | 'rawName'
  | 'rawValue'
  | 'string'
  | 'number'
  | 'punct'
  | 'end';

export interface Token {
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

export class Scanner {
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
      if (i < text.length && text.charCodeAt(i) > 0x7f) this.notAscii(i, start);
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
    if (c.charCodeAt(0) > 0x7f) this.notAscii(i, start);
    this.src.fail(start, `unexpected character ${JSON.stringify(c)}`);
  }

  /**
   * A character outside ASCII at `at`, in a bare name that starts at `wordStart`: DynamoDB's bare
   * names are A-Z, a-z, 0-9 and _, and backticks take any name. NOTE: the whole character is named
   * (an emoji is two UTF-16 units: half of it would print as an escape, \ud83d).
   */
  private notAscii(at: number, wordStart: number): never {
    const text = this.src.text;
    const char = String.fromCodePoint(text.codePointAt(at)!);
    const word = /^[^\s()[\]{},.=<>+:'"`]+/u.exec(text.slice(wordStart))?.[0] ?? char;
    this.src.fail(
      at,
      `unexpected character ${JSON.stringify(char)}; a name with characters other than A-Z, a-z, 0-9 and _ goes between backticks, such as \`${word}\``,
    );
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

export function isPunct(token: Token, text: string): boolean {
  return token.type === 'punct' && token.text === text;
}

export function isKeyword(token: Token, word: string): boolean {
  return token.type === 'name' && token.text.toUpperCase() === word;
}

export function describe(token: Token): string {
  if (token.type === 'end') return 'the end';
  const text = token.text.length > 30 ? `${token.text.slice(0, 29)}…` : token.text;
  return token.type === 'string' ? text : `'${text}'`;
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
