/**
 * Command lines for people to type: the run's own (to resume or repeat it) and the target flags a
 * suggested command must carry, so that a fix-it hint goes where the command went.
 */
import type { Command } from '@commander-js/extra-typings';
import { DdbError } from '../core/errors.js';
import type { TargetFlags } from '../core/target.js';
import { shellWord } from '../core/util/shellWord.js';

export { shellWord };

/** The arguments of this run as the user gave them (commander keeps them on the root command). */
function rawArgsOf(cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>): string[] {
  let root: { parent: unknown } = cmd;
  while (root.parent) root = root.parent as { parent: unknown };
  return (root as { rawArgs?: string[] }).rawArgs ?? [];
}

/**
 * Throws usage.invalid when the run was given both flags of a pair (`--stream X` and `--no-stream`):
 * commander keeps the last one, and a stray flag would quietly undo the other.
 */
export function refuseContradictions(
  cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
  pairs: readonly (readonly [string, string])[],
): void {
  const args = rawArgsOf(cmd);
  const given = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
  for (const [on, off] of pairs) {
    if (given(on) && given(off)) {
      throw new DdbError('usage.invalid', {
        message: `${on} and ${off} contradict each other: pass one of them`,
      });
    }
  }
}

/** This run's command line, with the arguments of `add` it does not have yet: what a person types to run it again. */
export function commandLine(
  cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
  add: string[] = [],
): string {
  // NOTE: commander keeps the arguments it parsed (the user's, with `from: 'user'`) on the root.
  const args = rawArgsOf(cmd);
  return ['ddbctl', ...args, ...add.filter((a) => !args.includes(a))].map(shellWord).join(' ');
}

/** The target flags of `flags` as the user gave them, as arguments: `--endpoint-url URL`, `--aws --region R`, ... */
export function targetArgs(flags: TargetFlags): string[] {
  return [
    ...(flags.endpointUrl ? ['--endpoint-url', flags.endpointUrl] : []),
    ...(flags.local ? ['--local'] : []),
    ...(flags.aws ? ['--aws'] : []),
    ...(flags.region ? ['--region', flags.region] : []),
    ...(flags.profile ? ['--profile', flags.profile] : []),
    ...(flags.dataDir ? ['--data-dir', flags.dataDir] : []),
    ...(flags.memory ? ['--memory'] : []),
  ];
}

/**
 * A message whose suggested commands ('ddbctl update-table T ...', quoted so) carry the target
 * flags of `flags`: a fix-it hint runs where the command that gave it ran, never on the default
 * target (AWS, when credentials are in the environment).
 */
export function hintsOn(message: string, flags: TargetFlags): string {
  const args = targetArgs(flags).map(shellWord).join(' ');
  // NOTE: a pointer to help ('ddbctl update-table --help') needs no target.
  return args ? message.replace(/'ddbctl (?![^']*--help')/g, `'ddbctl ${args} `) : message;
}
