/**
 * DynamoDB's number type, exactly: up to 38 significant digits, magnitude 1E-130 to
 * 9.9999999999999999999999999999999999999E+125, compared by value, never through a JS number.
 * Shared by the core (checks before sending) and the engine (storage, order, expressions).
 */

/** A number taken apart: value = (neg ? -1 : 1) × 0.DIGITS × 10^exp; zero has digits ''. */
export interface Decimal {
  neg: boolean;
  /** Significant digits, no leading or trailing zeros; '' for zero. */
  digits: string;
  /** Position of the decimal point relative to the first significant digit. */
  exp: number;
}

const NUMBER_RE = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/** The ASCII digit of a Unicode decimal digit (`٣` → `3`): runs of Nd characters go 0 to 9. */
function asciiDigit(ch: string): string {
  let cp = ch.codePointAt(0)!;
  let n = 0;
  while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) {
    cp--;
    n++;
  }
  return String(n % 10);
}

/** Parse number text as DynamoDB accepts it (`+1`, `1.`, `.5`, `1e3`); undefined when it is not a number. */
export function parseDecimal(text: string): Decimal | undefined {
  // NOTE: DynamoDB reads numbers with Java's BigDecimal, which takes any Unicode decimal digit
  // of the BMP (a Java char); digits beyond it (`𝟙`, two chars) are refused.
  if (/[\u0080-\uffff]/.test(text))
    text = text.replace(/\p{Nd}/gu, (ch) => (ch <= '9' || ch.length > 1 ? ch : asciiDigit(ch)));
  const m = NUMBER_RE.exec(text);
  if (!m) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return undefined;
  const e = Number(m[4] ?? 0);
  // NOTE: DynamoDB reads numbers as Java BigDecimals, whose exponent is an int: a longer one is
  // not a number at all ("A value provided cannot be converted into a number"), even for zero.
  if (Math.abs(e) > 2147483647) return undefined;
  let all = int + frac;
  let point = int.length + e;
  const lead = /^0*/.exec(all)![0].length;
  all = all.slice(lead);
  point -= lead;
  const digits = all.replace(/0+$/, '');
  if (digits === '') return { neg: false, digits: '', exp: 0 };
  return { neg: m[1] === '-', digits, exp: point };
}

/** Why DynamoDB refuses this number, or undefined when it takes it. */
export function decimalProblem(d: Decimal): 'digits' | 'large' | 'small' | undefined {
  if (d.digits === '') return undefined;
  if (d.digits.length > 38) return 'digits';
  // Leading digit's power of ten is exp - 1.
  if (d.exp - 1 > 125) return 'large';
  if (d.exp - 1 < -130) return 'small';
  return undefined;
}

/** Canonical text: no exponent, no leading/trailing zeros, no `+`, `-0` is `0`. */
export function formatDecimal(d: Decimal): string {
  if (d.digits === '') return '0';
  const sign = d.neg ? '-' : '';
  const n = d.digits.length;
  if (d.exp <= 0) return `${sign}0.${'0'.repeat(-d.exp)}${d.digits}`;
  if (d.exp >= n) return sign + d.digits + '0'.repeat(d.exp - n);
  return `${sign}${d.digits.slice(0, d.exp)}.${d.digits.slice(d.exp)}`;
}

/** Compare by value: -1, 0 or 1. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const sa = a.digits === '' ? 0 : a.neg ? -1 : 1;
  const sb = b.digits === '' ? 0 : b.neg ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  let c: number;
  if (a.exp !== b.exp) c = a.exp < b.exp ? -1 : 1;
  else c = a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
  return sa < 0 ? -c : c;
}

/** Compare two number texts by value (both assumed valid). */
export function compareNumberText(a: string, b: string): number {
  return compareDecimal(parseDecimal(a)!, parseDecimal(b)!);
}

/**
 * decimalSize of a number's text, in one walk without parsing it (bulk writes measure every number
 * they send). Text that is no number counts as zero does (1 byte): it is refused elsewhere.
 */
export function numberTextSize(text: string): number {
  let neg = false;
  let intDigits = 0;
  let point = false;
  let leadZeros = 0;
  let kept = 0;
  let significant = 0;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x65 || c === 0x45) break;
    if (c === 0x2d) neg = true;
    else if (c === 0x2e) point = true;
    else if (c >= 0x30 && c <= 0x39) {
      if (!point) intDigits++;
      if (c === 0x30 && kept === 0) leadZeros++;
      else {
        kept++;
        if (c !== 0x30) significant = kept;
      }
    } else if (c !== 0x2b) return decimalSize(parseDecimal(text) ?? ZERO);
  }
  if (significant === 0) return 1;
  const e = i < text.length ? Number(text.slice(i + 1)) : 0;
  if (!Number.isSafeInteger(e)) return decimalSize(parseDecimal(text) ?? ZERO);
  return pairsSize(significant, intDigits + e - leadZeros, neg);
}

const ZERO: Decimal = { neg: false, digits: '', exp: 0 };

/** The bytes DynamoDB counts for a number: 1 per 2 significant digits, plus 1 (one more when negative). */
export function decimalSize(d: Decimal): number {
  if (d.digits === '') return 1;
  return pairsSize(d.digits.length, d.exp, d.neg);
}

/** `digits` significant digits, the point `exp` places after the first; non-zero. */
function pairsSize(digits: number, exp: number, neg: boolean): number {
  // NOTE: stored as base-100 digit pairs aligned on the decimal point; a leading or trailing
  // half pair costs a whole byte. A negative number carries a terminator byte.
  const lead = ((exp % 2) + 2) % 2; // 1 when the first pair is a half pair
  return Math.ceil((digits + lead) / 2) + 1 + (neg ? 1 : 0);
}

/** The exact value of a decimal as an integer and a power of ten: value = int × 10^scale. */
function toScaled(d: Decimal): { int: bigint; scale: number } {
  if (d.digits === '') return { int: 0n, scale: 0 };
  const int = BigInt(d.digits);
  return { int: d.neg ? -int : int, scale: d.exp - d.digits.length };
}

function fromScaled(int: bigint, scale: number): Decimal {
  if (int === 0n) return { neg: false, digits: '', exp: 0 };
  const neg = int < 0n;
  const text = (neg ? -int : int).toString();
  const digits = text.replace(/0+$/, '');
  return { neg, digits, exp: text.length + scale };
}

/**
 * a + b, exactly (no rounding: the caller checks the result with decimalProblem, as DynamoDB
 * refuses a sum that needs more than 38 digits rather than rounding it).
 */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.min(x.scale, y.scale);
  const sum = x.int * 10n ** BigInt(x.scale - scale) + y.int * 10n ** BigInt(y.scale - scale);
  return fromScaled(sum, scale);
}

/** a − b, exactly. */
export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  return addDecimal(a, b.digits === '' ? b : { ...b, neg: !b.neg });
}
