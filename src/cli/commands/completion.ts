import { existsSync } from 'node:fs';
import { Argument, Command } from '@commander-js/extra-typings';
import type { Clients } from '../../core/clients.js';
import { listTables } from '../../core/control/listTables.js';
import { completionModel, completionScript, SHELLS } from '../completion.js';
import { type Cli, type GlobalOptions, openResolved, resolveFlags } from '../context.js';
import { buildProgram } from '../program.js';

export default function completionCommand(cli: Cli) {
  return new Command('completion')
    .description('Print the shell completion script of commands, flags and table names')
    .addHelpText(
      'after',
      "\nLoad it from your shell's start-up file:\n" +
        '  bash (~/.bashrc):                  source <(ddbctl completion bash)\n' +
        '  zsh (~/.zshrc):                    source <(ddbctl completion zsh)\n' +
        '  fish (~/.config/fish/config.fish): ddbctl completion fish | source\n' +
        'Table names are completed when the target answers within 1.5 s (an endpoint, AWS, or an\n' +
        'existing data dir no other command holds); the global options typed before choose it.\n',
    )
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .action(async (shell) => {
      // Every command's flags and arguments, read from the program itself.
      const program = await buildProgram(cli);
      cli.io.stdout.write(completionScript(shell, completionModel(program)));
    });
}

/**
 * How long the table names may take (ms): a Tab key waits for them. Past this, or on any error,
 * nothing is completed.
 */
const TABLES_WITHIN_MS = 1500;

/**
 * `ddbctl [global options] __complete tables`: the table names of the target, one a line, for the
 * completion scripts. Hidden. Quiet whatever happens: no notice, no error, never a prompt (it reads
 * no stdin) and nothing but table names on stdout. An embedded engine is opened only when its data
 * dir exists (a Tab creates no data dir) and is not held by another command for long.
 */
export function completeCommand(cli: Cli) {
  return new Command('__complete')
    .description('table names for the completion scripts')
    .argument('<what>', 'tables')
    .action(async (what, _opts, cmd) => {
      if (what !== 'tables') return;
      const g = { ...(cmd.optsWithGlobals() as GlobalOptions), quiet: true };
      // Released once: at the end, or as soon as it is open when the end came first.
      let ended = false;
      let release = async () => {};
      const close = async () => {
        const r = release;
        release = async () => {};
        await r();
      };
      const names = (async () => {
        const target = await resolveFlags(cli, g);
        // A Tab creates no data dir.
        if (target.kind === 'embedded' && (target.dataDir === null || !existsSync(target.dataDir))) return [];
        // NOTE: lockTimeoutMs 0: a data dir another command holds gives no names, not a wait.
        const open = await openResolved(cli, g, target, 'target', { lockTimeoutMs: 0, maxAttempts: 1 });
        const clients: Clients = open.clients;
        release = open.close;
        if (ended) {
          await close();
          return [];
        }
        return listTables(clients);
      })();
      const stop = new AbortController();
      const late = cli.clock.sleep(TABLES_WITHIN_MS, stop.signal).then(
        () => [],
        () => [],
      );
      const found = await Promise.race([names.catch(() => []), late]);
      stop.abort();
      if (found.length) cli.io.stdout.write(`${found.join('\n')}\n`);
      // Closing cuts a request still on its way; a target still opening is closed once open.
      ended = true;
      await close().catch(() => {});
    });
}
