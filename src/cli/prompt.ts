import { createInterface } from 'node:readline/promises';
import type { Clients } from '../core/clients.js';
import { DdbError } from '../core/errors.js';
import { callerIdentity, describeAccount } from '../core/identity.js';
import { onTarget, type Target } from '../core/target.js';
import type { Cli } from './context.js';

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
 * One line typed on the terminal after `question`; undefined when Ctrl-C or Ctrl-D (the end of
 * input) ended it instead. Ctrl-C also ends the run as Ctrl-C ends any other: exit 130
 * (EXIT.interrupted, main.ts). NOTE: the run's Io says there is a terminal (not the stream's looks):
 * on one, readline reads keys itself, and Ctrl-C reaches it as a key, not as a signal; both keys
 * end the question with the same AbortError, told apart by readline's SIGINT.
 */
async function askLine(cli: Cli, question: string): Promise<string | undefined> {
  const io = cli.io;
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  const stop = new AbortController();
  let interrupted = false;
  rl.once('SIGINT', () => {
    interrupted = true;
    stop.abort();
  });
  try {
    return await rl.question(question, { signal: stop.signal });
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
    io.stderr.write('\n');
    if (interrupted) cli.exitCode = 130;
    return undefined;
  } finally {
    rl.close();
  }
}

/**
 * Ask a yes/no question on the terminal. Without a terminal there is nobody to ask: refuse with
 * a message naming the flag that confirms instead. Ctrl-C or Ctrl-D at the question is a no (Ctrl-C's
 * ends the run with exit 130): the command then says that nothing was changed.
 */
export async function confirm(cli: Cli, question: string, flag = '--yes'): Promise<boolean> {
  if (!cli.io.isTTY) {
    throw new DdbError('usage.invalid', {
      message: `${question.replace(/\?$/, '')}: refusing without a terminal to confirm on; pass ${flag} to confirm`,
    });
  }
  const answer = await askLine(cli, `${question} [y/N] `);
  return answer !== undefined && /^y(es)?$/i.test(answer.trim());
}

/**
 * The MFA code of a role profile with mfa_serial, asked on the terminal as the AWS CLI asks it;
 * undefined without a terminal (nobody to ask: the credentials then fail with a line saying so).
 * Ctrl-C or Ctrl-D instead of a code: one line saying nothing was sent (Ctrl-C's exit 130).
 */
export function mfaPrompt(cli: Cli): ((mfaSerial: string) => Promise<string>) | undefined {
  if (!cli.io.isTTY) return undefined;
  return async (mfaSerial) => {
    const code = await askLine(cli, `Enter MFA code for ${mfaSerial}: `);
    if (code !== undefined) return code.trim();
    throw new DdbError(cli.exitCode === 130 ? 'operation.aborted' : 'credentials.missing', {
      message: `no MFA code was given for ${mfaSerial} (${cli.exitCode === 130 ? 'Ctrl-C' : 'the input ended'}): nothing was sent; run the command again and type the code`,
    });
  };
}
