/**
 * The scanner of DynamoDB's expressions: names, `#name` and `:value` placeholders, list indexes,
 * operators and punctuation, each with its place in the text (syntax errors quote the text near
 * the offending token, as DynamoDB does).
 */
import { validation } from '../errors.js';

export type TokenKind = 'id' | 'name' | 'value' | 'int' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const OPS = ['<=', '>=', '<>', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];

// NOTE: a name starts with a letter (`_a` is a syntax error in DynamoDB), then letters, digits and `_`.
function isIdStart(c: string): boolean {
  return /[A-Za-z]/.test(c);
}
function isIdPart(c: string): boolean {
  return /[A-Za-z0-9_]/.test(c);
}

/** Split expression text into tokens; an unknown character becomes a one-character token (refused by the parser). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    let kind: TokenKind;
    if ((c === '#' || c === ':') && i + 1 < text.length && isIdPart(text[i + 1]!)) {
      i++;
      while (i < text.length && isIdPart(text[i]!)) i++;
      kind = c === '#' ? 'name' : 'value';
    } else if (isIdStart(c)) {
      while (i < text.length && isIdPart(text[i]!)) i++;
      kind = 'id';
    } else if (/[0-9]/.test(c)) {
      // NOTE: an index is 0 or digits not starting with 0: `01` is the two tokens 0 and 1.
      i++;
      if (c !== '0') while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      kind = 'int';
    } else {
      const op = OPS.find((o) => text.startsWith(o, i));
      i += op ? op.length : 1;
      kind = 'op';
    }
    out.push({ kind, text: text.slice(start, i), start, end: i });
  }
  out.push({ kind: 'eof', text: '<EOF>', start: text.length, end: text.length });
  return out;
}

/**
 * DynamoDB's syntax error: the offending token, and the text from the token before it to the end
 * of the token after it (to the end of the text, trailing blanks included, at the end).
 */
export function syntaxError(param: string, text: string, tokens: Token[], at: number): Error {
  const tok = tokens[at]!;
  const prev = tokens[at - 1];
  const next = tokens[at + 1];
  const from = prev ? prev.start : tok.start;
  const to = (next ?? tok).end;
  return validation(`Invalid ${param}: Syntax error; token: "${tok.text}", near: "${text.slice(from, to)}"`);
}
