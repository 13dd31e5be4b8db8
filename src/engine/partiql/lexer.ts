/**
 * PartiQL's tokens as DynamoDB reads them: keywords and names (unquoted, or in double quotes),
 * 'strings' (a quote doubled inside), numbers, `?`, and the punctuation of paths, lists, maps and
 * bags (`<<`, `>>`). Anything else is a statement that "wasn't well formed".
 */
import type { Pos } from './ast.js';

export type TokenKind = 'word' | 'quoted' | 'str' | 'num' | 'ion' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text: a word as written, a quoted name or string without its quotes, a number's text. */
  text: string;
  at: Pos;
}

/** Thrown for any text the grammar does not take; the operation turns it into DynamoDB's message. */
export class Malformed extends Error {}

/** Thrown for text the grammar takes but DynamoDB refuses with a message of its own (the message). */
export class Refused extends Error {}

const PUNCT = [
  '<<',
  '>>',
  '<=',
  '>=',
  '<>',
  '!=',
  '=',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  '*',
  '?',
  '+',
  '-',
  ';',
];

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (start: number, end: number): Pos => ({ line, col: start - lineStart + 1, len: end - start });
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      // A block comment, as PartiQL (and DynamoDB) take it; its newlines still count for positions.
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Malformed('unterminated comment');
      for (let j = i; j < end; j++) {
        if (text[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Malformed('unterminated quote');
        if (text[i] === c) {
          if (text[i + 1] === c) {
            v += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += text[i];
        i++;
      }
      out.push({ kind: c === "'" ? 'str' : 'quoted', text: v, at: pos(start, i) });
      continue;
    }
    if (c === '`') {
      // An Ion literal: read whole (DynamoDB refuses them, naming their type).
      const end = text.indexOf('`', i + 1);
      if (end < 0) throw new Malformed('unterminated Ion literal');
      i = end + 1;
      out.push({ kind: 'ion', text: text.slice(start + 1, end), at: pos(start, i) });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_]/.test(text[i] ?? '')) throw new Malformed('a number runs into a name');
      out.push({ kind: 'num', text: m[0], at: pos(start, i) });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      out.push({ kind: 'word', text: text.slice(start, i), at: pos(start, i) });
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (!p) throw new Malformed(`unexpected character ${c}`);
    i += p.length;
    out.push({ kind: 'punct', text: p, at: pos(start, i) });
  }
  out.push({ kind: 'end', text: '', at: pos(i, i) });
  return out;
}
