/** "1 item", "2 items", "12,345 items": a count and its noun, for messages (core and CLI alike). */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns}`;
}
