/**
 * The one try/catch of the CLI: every error becomes one line on stderr and an exit code
 * (0 ok, 1 operation failed, 2 usage). A stack trace only with --debug.
 */
import { isatty } from 'node:tty';
import { CommanderError } from '@commander-js/extra-typings';
import { DdbError } from '../core/errors.js';
import { systemClock } from '../core/util/clock.js';
import type { Cli, Io } from './context.js';
import { escapeControls } from './output/text.js';
import { argsToParse, buildProgram, helpPointer } from './program.js';
import { forgetStop, stoppedExitCode } from './signals.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export function defaultIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // NOTE: read when a command reads it: node makes process.stdin's stream on first use (~1 ms of
    // every command's start), and most commands never read their input.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    isTTY: isatty(0) && !!process.stderr.isTTY,
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    ...(process.stderr.isTTY && process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
  };
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  forgetStop();
  const code = await run(argv, io);
  // Interrupted: by the signal that came (SIGTERM 143, SIGHUP 129), as a shell reports it.
  return code === EXIT.interrupted ? stoppedExitCode() : code;
}

async function run(argv: string[], io: Io): Promise<number> {
  const cli: Cli = { io, clock: io.clock ?? systemClock, exitCode: EXIT.ok };
  const debug = argv.includes('--debug');
  const program = await buildProgram(cli, argv);
  try {
    await program.parseAsync(argsToParse(argv, program), { from: 'user' });
    return cli.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      // commander already wrote its one-line message through configureOutput, or the help shown for
      // a mistake (no command given, on stderr): a usage error, so that a script running
      // `ddbctl $CMD` with an empty $CMD does not pass.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (cwdGone() && notFound(e)) {
      // A relative path (an input, a checkpoint, a lock beside it) in a folder deleted since.
      io.stderr.write(`ddbctl: error: ${CWD_GONE}\n`);
      if (debug && e instanceof Error) io.stderr.write(`${debugTrace(e)}\n`);
      return EXIT.usage;
    }
    if (e instanceof DdbError) {
      // NOTE: messages may quote stored data (a key, a current item): no control character of it
      // reaches the terminal, and the message stays one line.
      const pointer = e.isUsage ? helpPointer(program) : undefined;
      io.stderr.write(`ddbctl: error: ${escapeControls(e.message)}${pointer ? ` ${pointer}` : ''}\n`);
      if (debug) io.stderr.write(`${debugTrace(e)}\n`);
      // An interruptible command stopped by Ctrl-C reports what it did and exits 130 (withTargets).
      return e.isUsage ? EXIT.usage : cli.exitCode === EXIT.interrupted ? EXIT.interrupted : EXIT.failed;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(
      `ddbctl: unexpected error: ${err.message}${debug ? '' : ' (run again with --debug for details)'}\n`,
    );
    if (debug) io.stderr.write(`${debugTrace(err)}\n`);
    return EXIT.failed;
  }
}

const CWD_GONE =
  'the current folder is gone (deleted or moved since the shell entered it); cd to a folder that exists and run again';

/**
 * Whether the folder the shell is in was deleted since: node cannot name it (process.cwd fails),
 * and every relative path (the default data dir, an input, a checkpoint) is then not found. Not
 * ddbctl's error, and the fix is the user's.
 */
function cwdGone(): boolean {
  try {
    process.cwd();
    return false;
  } catch {
    return true;
  }
}

/** Whether `e` (or a cause of it) is a file not found: ENOENT, as code or in its words. */
function notFound(e: unknown): boolean {
  for (let c: unknown = e, i = 0; c instanceof Error && i < 5; c = c.cause, i++) {
    if ((c as NodeJS.ErrnoException).code === 'ENOENT' || /\bENOENT\b|no such file/i.test(c.message))
      return true;
  }
  return false;
}

/** Stack and causes; only names, messages and stacks (never request or credential objects). */
function debugTrace(e: Error): string {
  const parts: string[] = [];
  for (let c: unknown = e, i = 0; c instanceof Error && i < 5; c = c.cause, i++) {
    parts.push(i === 0 ? (c.stack ?? c.message) : `caused by: ${c.stack ?? `${c.name}: ${c.message}`}`);
  }
  return parts.join('\n');
}
