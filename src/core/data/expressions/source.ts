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
