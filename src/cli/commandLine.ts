/**
 * Command lines for people to type: the run's own (to resume or repeat it) and the target flags a
 * suggested command must carry, so that a fix-it hint goes where the command went.
 */
import type { Command } from '@commander-js/extra-typings';
import type { TargetFlags } from '../core/target.js';
import { shellWord } from '../core/util/shellWord.js';

export { shellWord };

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
