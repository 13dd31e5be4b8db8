/**
 * Command lines for people to type: the run's own (to resume or repeat it) and the target flags a
 * suggested command must carry, so that a fix-it hint goes where the command went.
 */
import type { Command } from '@commander-js/extra-typings';

/** An argument as a POSIX shell reads it back. */
export function shellWord(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`;
}

/** This run's command line, with the arguments of `add` it does not have yet: what a person types to run it again. */
export function commandLine(
  cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
  add: string[] = [],
): string {
  let root: { parent: unknown } = cmd;
  while (root.parent) root = root.parent as { parent: unknown };
  // NOTE: commander keeps the arguments it parsed (the user's, with `from: 'user'`) on the root.
  const args = (root as { rawArgs?: string[] }).rawArgs ?? [];
  return ['ddbctl', ...args, ...add.filter((a) => !args.includes(a))].map(shellWord).join(' ');
}
