/** Number text compared by value. */
import { parseDecimal } from '../../../ddb/numbers.js';

/**
 * The canonical text of a number, for comparing values: DynamoDB stores numbers by value and
 * answers in its own notation (`1.50` → `1.5`, `1E-130` written out in full), never rounded.
 * The text itself when it is not a number. Parsing is src/ddb/numbers.ts's, the engine's.
 */
export function normalizeNumber(text: string): string {
  const d = parseDecimal(text.trim());
  if (d === undefined) return text;
  if (d.digits === '') return '0';
  // Exponent of the leading significant digit.
  return `${d.neg ? '-' : ''}${d.digits}e${d.exp - 1}`;
}
