/**
 * "12,345": a count for messages (core and CLI alike).
 * NOTE: integers are grouped here: the first toLocaleString of a process builds ICU's number format
 * (about 11 ms, as much as a cold `get` spends on its command), and every summary line has a count.
 * Anything else (a fraction, an integer past 2^53) is toLocaleString's, as before.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  if (digits.length <= 3) return n < 0 ? `-${digits}` : digits;
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** "1 item", "2 items", "12,345 items": a count and its noun, for messages (core and CLI alike). */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}
