/** An argument as a POSIX shell reads it back: for commands and values quoted in messages (core and CLI alike). */
export function shellWord(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`;
}
