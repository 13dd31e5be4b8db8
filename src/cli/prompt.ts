import { createInterface } from 'node:readline/promises';
import type { Clients } from '../core/clients.js';
import { DdbError } from '../core/errors.js';
import { callerIdentity, describeAccount } from '../core/identity.js';
import { onTarget, type Target } from '../core/target.js';
import type { Cli, Io } from './context.js';

/**
 * Where a destructive command is about to act, for its prompt: on AWS the account and principal
 * (one GetCallerIdentity, made only here, before a prompt: --yes asks nothing and makes no call),
 * elsewhere the target line. An account that cannot be told is said, with why, not a failure: the
 * user can still answer no.
 */
export async function promptTarget(clients: Clients, target: Target): Promise<string> {
  if (target.kind !== 'aws') return onTarget(target);
  try {
    return `on ${describeAccount(target, await callerIdentity(clients))}`;
  } catch (e) {
    return `${onTarget(target)}, account unknown (${(e as Error).message})`;
  }
}

/**
 * Ask a yes/no question on the terminal. Without a terminal there is nobody to ask: refuse with
 * a message naming the flag that confirms instead. Ctrl-C at the question is a no that ends the run
 * as Ctrl-C ends any other (exit 130): the command then says that nothing was changed.
 */
export async function confirm(cli: Cli, question: string, flag = '--yes'): Promise<boolean> {
  const io = cli.io;
  if (!io.isTTY) {
    throw new DdbError('usage.invalid', {
      message: `${question.replace(/\?$/, '')}: refusing without a terminal to confirm on; pass ${flag} to confirm`,
    });
  }
  // NOTE: a terminal as the run's Io says (not as the stream looks): on one, readline reads keys
  // itself, and Ctrl-C at the question reaches it as a key, not as a signal.
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  // Ctrl-C ends the question as Ctrl-D (end of input) does, told apart here: both are a no, and
  // Ctrl-C's also ends the run with exit 130 (EXIT.interrupted, main.ts).
  let interrupted = false;
  const stop = new AbortController();
  rl.once('SIGINT', () => {
    interrupted = true;
    stop.abort();
  });
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: stop.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (e) {
    // The command says that nothing was changed.
    if ((e as Error).name === 'AbortError') {
      io.stderr.write('\n');
      if (interrupted) cli.exitCode = 130;
      return false;
    }
    throw e;
  } finally {
    rl.close();
  }
}

/**
 * The MFA code of a role profile with mfa_serial, asked on the terminal as the AWS CLI asks it;
 * undefined without a terminal (nobody to ask: the credentials then fail with a line saying so).
 */
export function mfaPrompt(io: Io): ((mfaSerial: string) => Promise<string>) | undefined {
  if (!io.isTTY) return undefined;
  return async (mfaSerial) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
    try {
      return (await rl.question(`Enter MFA code for ${mfaSerial}: `)).trim();
    } finally {
      rl.close();
    }
  };
}
