/**
 * The table of contents: global options and every command, each loaded only when it is needed.
 * A command runs with its own module alone loaded (and what that module imports): the others,
 * and the libraries only they use, are never evaluated, which is most of a short command's
 * start-up. `ddbctl --help`, a mistyped command ("did you mean"), `help` and `completion` load
 * them all, since they show every command's description, which each command's file holds.
 * NOTE: esbuild bundles each import() below as a module evaluated on its first call
 * (scripts/build.mjs); the names here are checked against the commands' own in program.test.ts.
 */
import { Command, Option } from '@commander-js/extra-typings';
import type { Cli } from './context.js';

export const VERSION = '0.1.0';

/** A command's module: its default export makes the command. */
type CommandModule = {
  default: (cli: Cli) => Command<unknown[], Record<string, unknown>, Record<string, unknown>>;
};

/** Every command, in the order of `ddbctl --help`. */
export const COMMANDS: readonly { name: string; hidden?: true; load: () => Promise<CommandModule> }[] = [
  { name: 'lab', load: () => import('./commands/lab.js') },
  { name: 'create-table', load: () => import('./commands/create-table.js') },
  { name: 'wait', load: () => import('./commands/wait.js') },
  { name: 'list-tables', load: () => import('./commands/list-tables.js') },
  { name: 'describe-table', load: () => import('./commands/describe-table.js') },
  { name: 'delete-table', load: () => import('./commands/delete-table.js') },
  { name: 'update-table', load: () => import('./commands/update-table.js') },
  { name: 'plan', load: () => import('./commands/plan.js') },
  { name: 'apply', load: () => import('./commands/apply.js') },
  { name: 'put', load: () => import('./commands/put.js') },
  { name: 'get', load: () => import('./commands/get.js') },
  { name: 'batch-write', load: () => import('./commands/batch-write.js') },
  { name: 'batch-get', load: () => import('./commands/batch-get.js') },
  { name: 'update', load: () => import('./commands/update.js') },
  { name: 'delete', load: () => import('./commands/delete.js') },
  { name: 'query', load: () => import('./commands/query.js') },
  { name: 'scan', load: () => import('./commands/scan.js') },
  { name: 'transact', load: () => import('./commands/transact.js') },
  { name: 'transact-get', load: () => import('./commands/transact-get.js') },
  { name: 'sql', load: () => import('./commands/sql.js') },
  { name: 'import', load: () => import('./commands/import.js') },
  { name: 'export', load: () => import('./commands/export.js') },
  { name: 'copy-table', load: () => import('./commands/copy-table.js') },
  { name: 'truncate', load: () => import('./commands/truncate.js') },
  { name: 'tail', load: () => import('./commands/tail.js') },
  { name: 'serve', load: () => import('./commands/serve.js') },
  { name: 'ui', load: () => import('./commands/ui.js') },
  { name: 'migrate-data-dir', load: () => import('./commands/migrate-data-dir.js') },
  { name: 'whoami', load: () => import('./commands/whoami.js') },
  { name: 'completion', load: () => import('./commands/completion.js') },
  {
    // The table names the completion scripts ask for (hidden: not a command for people).
    name: '__complete',
    hidden: true,
    load: async () => ({ default: (await import('./commands/completion.js')).completeCommand }),
  },
];

/**
 * The program with its global options and no command yet. `helpOf()`: the help a usage error points
 * to (the command's, once buildProgram knows which runs).
 */
function globalProgram(cli: Cli, helpOf: () => string = () => 'ddbctl --help') {
  return new Command('ddbctl')
    .description(
      'Automate Amazon DynamoDB tables. Runs on an embedded engine by default (no AWS account needed), ' +
        'on AWS when credentials resolve, or on any endpoint with --endpoint-url.',
    )
    .version(VERSION)
    .option(
      '--endpoint-url <url>',
      'any DynamoDB-compatible endpoint (also AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL)',
    )
    .option('--local', "use the embedded engine (ddbctl's own, in this process)")
    .option('--aws', 'use Amazon DynamoDB; fails when no credentials resolve')
    .option('--region <region>', 'AWS region (also AWS_REGION, AWS_DEFAULT_REGION, the profile)')
    .option('--profile <name>', 'AWS profile from the shared config/credentials files')
    .option('--data-dir <dir>', 'embedded engine data folder (env DDBCTL_DATA_DIR; default ./.ddbctl)')
    .option('--memory', 'embedded engine keeping nothing on disk')
    .addOption(
      new Option(
        '-o, --output <format>',
        "table for people; for scripts: json (one document, exact numbers), ndjson (one JSON value a line), raw (DynamoDB's own shapes, one a line)",
      )
        .choices(['table', 'json', 'ndjson', 'raw'] as const)
        .default('table' as const),
    )
    .option('-q, --quiet', 'no notices on stderr (the target line, progress)')
    .option('--debug', 'stack traces on errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => cli.io.stdout.write(s),
      writeErr: (s) => cli.io.stderr.write(s),
      outputError: (s, write) =>
        // One line, also when commander adds a suggestion ("(Did you mean scan?)") on a line of its own.
        write(
          `ddbctl: ${s
            .replace(/^error: /, 'error: ')
            .trimEnd()
            .replace(/\s*\n\s*/g, ' ')} (see '${helpOf()}')\n`,
        ),
    });
}

/**
 * The command `argv` runs, when it can be told from the global options alone: the first word that
 * is neither a global option nor its value. Undefined when something else comes first (--help, an
 * unknown option, a combined short flag): then every command is loaded and commander decides.
 */
export function commandWord(argv: readonly string[], options: readonly Option[]): string | undefined {
  const at = commandWordAt(argv, options);
  return at === undefined ? undefined : argv[at];
}

/** Where commandWord is in `argv`. */
function commandWordAt(argv: readonly string[], options: readonly Option[]): number | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-') || a === '-') return i;
    const long = a.startsWith('--');
    const opt = options.find((o) => (long ? o.long === a.split('=')[0] : o.short === a));
    if (!opt) return undefined;
    if ((opt.required || opt.optional) && !a.includes('=')) i++;
  }
  return undefined;
}

/**
 * The program for `argv`: the global options, and the command it runs (when `commandWord` names
 * one) or every command. Without `argv`, every command.
 */
export async function buildProgram(cli: Cli, argv?: readonly string[]) {
  let help = 'ddbctl --help';
  const program = globalProgram(cli, () => help);
  const word = argv ? commandWord(argv, program.options) : undefined;
  const wanted = COMMANDS.filter((c) => c.name === word);
  // A mistake in a command's arguments or options: its own help says what it takes.
  if (wanted.length && !wanted[0]?.hidden) help = `ddbctl ${word} --help`;
  // `ddbctl --version` with no command (and no --help): the version alone, no command loaded.
  const versionOnly =
    word === undefined &&
    !!argv?.some((a) => a === '--version' || a === '-V') &&
    !argv.some((a) => a === '--help' || a === '-h');
  const entries = wanted.length ? wanted : versionOnly ? [] : COMMANDS;
  const known = { help: () => help, acting: false };
  parsing.set(program, known);
  program.hook('preAction', () => {
    known.acting = true;
  });
  const modules = await Promise.all(entries.map((c) => c.load()));
  for (const [i, m] of modules.entries()) {
    const cmd = m.default(cli);
    cmd.copyInheritedSettings(program);
    program.addCommand(cmd, { hidden: !!entries[i]?.hidden });
  }
  return program;
}

/**
 * The arguments to parse: `argv` itself, or, for `help X` where X is no command, `argv` without
 * `help`, so that it fails as `ddbctl X` does (unknown command, with commander's suggestion)
 * instead of printing the whole help without saying why.
 */
export function argsToParse(argv: readonly string[], program: ReturnType<typeof globalProgram>): string[] {
  const at = commandWordAt(argv, program.options);
  const asked = at === undefined || argv[at] !== 'help' ? undefined : argv[at + 1];
  if (at === undefined || asked === undefined || asked.startsWith('-')) return [...argv];
  const known = program.commands.some((c) => c.name() === asked || c.aliases().includes(asked));
  return known ? [...argv] : [...argv.slice(0, at), ...argv.slice(at + 1)];
}

/** What buildProgram knows of a program while it parses: which help a mistake points to, and whether a command runs yet. */
const parsing = new WeakMap<object, { help: () => string; acting: boolean }>();

/**
 * The pointer to the help for a usage error of ddbctl's own checks (an option's value refused by
 * its parser, as commander's own refusals end): `(see 'ddbctl CMD --help')` while the command line
 * is being read, undefined once a command runs (its errors are about the data, not the syntax).
 */
export function helpPointer(program: object): string | undefined {
  const p = parsing.get(program);
  return p && !p.acting ? `(see '${p.help()}')` : undefined;
}
