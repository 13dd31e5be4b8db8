/** Number text compared by value. */

/**
 * The canonical text of a number, for comparing values: DynamoDB stores numbers by value and
 * answers in its own notation (`1.50` → `1.5`, `1E-130` written out in full), never rounded.
 */
export function normalizeNumber(text: string): string {
  const m = /^([-+]?)(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?$/.exec(text.trim());
  if (!m) return text;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  const lead = digits.search(/[1-9]/);
  if (lead < 0) return '0';
  const significant = digits.slice(lead).replace(/0+$/, '');
  // Exponent of the leading significant digit.
  const exp = (m[2] ?? '').length - lead - 1 + Number(m[4] ?? 0);
  return `${m[1] === '-' ? '-' : ''}${significant}e${exp}`;
}
