/** "12,345": a count for messages (core and CLI alike). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 item", "2 items", "12,345 items": a count and its noun, for messages (core and CLI alike). */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}
