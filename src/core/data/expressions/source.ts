/** The text being compiled, and the errors and size check every expression kind shares. */
import { inputError } from '../../errors.js';

// NOTE: DynamoDB's limit, checked locally so a mistake is a clear error, not a round trip.
/** Maximum length of one expression string: 4 KB. */
const MAX_EXPRESSION_BYTES = 4096;

export class Source {
  constructor(
    readonly label: string,
    readonly text: string,
  ) {}

  /** Throw `input.expression` at a 0-based index, reported as a 1-based column. */
  fail(index: number, message: string): never {
    throw inputError(
      'input.expression',
      `${this.label} ${excerpt(this.text, index)} at column ${columnOf(this.text, index)}: ${message}`,
    );
  }
}

/** The 1-based column of a UTF-16 index, counted in characters as people count them (an emoji is one). */
function columnOf(text: string, index: number): number {
  return [...text.slice(0, index)].length + 1;
}

/** True when a cut at `i` would split a surrogate pair (an emoji) in two. */
const splitsPair = (text: string, i: number): boolean =>
  i > 0 && i < text.length && /[\uD800-\uDBFF]/.test(text[i - 1]!) && /[\uDC00-\uDFFF]/.test(text[i]!);

/**
 * The expression as a one-line quoted string; a long one is cut around the column, never inside
 * a surrogate pair (half an emoji would print as an escape such as \ud83d).
 */
function excerpt(text: string, index: number): string {
  const max = 80;
  if (text.length <= max) return JSON.stringify(text);
  let from = Math.max(0, Math.min(index - max / 2, text.length - max));
  if (splitsPair(text, from)) from--;
  let to = Math.min(text.length, from + max);
  if (splitsPair(text, to)) to++;
  const cut = text.slice(from, to);
  return JSON.stringify(`${from > 0 ? '…' : ''}${cut}${to < text.length ? '…' : ''}`);
}

export function checkSize(src: Source, expression: string): string {
  const bytes = Buffer.byteLength(expression, 'utf8');
  if (bytes > MAX_EXPRESSION_BYTES) {
    throw inputError(
      'input.expression',
      `${src.label} is ${bytes} bytes once compiled; DynamoDB allows at most ${MAX_EXPRESSION_BYTES} bytes (4 KB) per expression: shorten it or split the work into several requests`,
    );
  }
  return expression;
}
