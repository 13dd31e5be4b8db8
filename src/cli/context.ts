/**
 * Global flags → target → clients, for one command run. The CLI's edge: it reads the environment
 * and the shared AWS files (never the network) and starts the embedded engine when that is the target.
 */
import { setMaxListeners } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { type ClientConfig, type Clients, createClients, LOCAL_CREDENTIALS } from '../core/clients.js';
import { AUTH_TIMEOUTS, type AuthTimeouts, readSharedFiles } from '../core/credentials.js';
import { DdbError } from '../core/errors.js';
import { againWithToken, toDdbError } from '../core/sdkErrors.js';
import { describeTarget, resolveTarget, type Target, type TargetFlags } from '../core/target.js';
import type { Clock } from '../core/util/clock.js';
import { besideProgram } from './built.js';
import { hintsOn } from './commandLine.js';
import { mfaPrompt } from './prompt.js';
import { onStop, stoppedExitCode } from './signals.js';

export type OutputFormat = 'table' | 'json' | 'ndjson' | 'raw';

export interface GlobalOptions extends TargetFlags {
  output?: OutputFormat;
  quiet?: boolean;
  debug?: boolean;
}

/** What a command may touch of the outside world; injected so tests run commands in-process. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** stdin and stderr are terminals (prompts, progress bars). */
  isTTY: boolean;
  /** The width of the terminal stdout is, to fit tables to; undefined when stdout is not a terminal. */
  columns?: number;
  /** The width of the terminal stderr is, to cut progress lines to (a wrapped line cannot be redrawn). */
  stderrColumns?: number;
  /** Time: durations, rates, checkpoint times, waits. Default: the system clock (tests pass a fake one). */
  clock?: Clock;
}

export interface Cli {
  io: Io;
  /** The clock every command reads and waits on (io.clock, else the system clock). */
  clock: Clock;
  /** The exit code of the run when no error is thrown (for example 1 for "not found"). */
  exitCode: number;
}

export function notice(cli: Cli, g: GlobalOptions, line: string): void {
  if (!g.quiet) cli.io.stderr.write(`ddbctl: ${line}\n`);
}

/**
 * A warning: something asked for was not done, or input was read otherwise than given. Unlike a
 * notice (progress, what is happening), -q does not silence it: a script must still hear it.
 */
export function warn(cli: Cli, line: string): void {
  cli.io.stderr.write(`ddbctl: ${line}\n`);
}

/**
 * The embedded engine's timing for ddbctl's own commands and `serve`, from the environment:
 * - `DDBCTL_TRANSITION_MS` (default 50): how long tables stay CREATING / UPDATING / DELETING (and
 *   TTL ENABLING / DISABLING). Short, not dynalite's 500: the phases are still there for code that
 *   waits (a waiter sees CREATING on its first look), but `create-table --wait`, `delete-table`,
 *   `apply` and `lab` do not spend half a second a table.
 * - `DDBCTL_TTL_SWEEP_MS` (default 5000): how often expired items of tables with TTL are deleted
 *   while an engine runs; 0 never.
 */
export function engineTiming(env: Io['env']): { transitionMs: number; ttlSweepMs: number } {
  return {
    transitionMs: envMilliseconds(env, 'DDBCTL_TRANSITION_MS', 50),
    ttlSweepMs: envMilliseconds(env, 'DDBCTL_TTL_SWEEP_MS', 5000),
  };
}

function envMilliseconds(env: Io['env'], name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // NOTE: digits only: Number() also reads "0x10", "1e3" and " " (as 0: no timeout at all).
  const ms = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
    throw new DdbError('usage.invalid', {
      message: `${name} is "${raw}": it must be a whole number of milliseconds from 0 to 600000; unset it for the default of ${fallback}`,
    });
  }
  return ms;
}

/**
 * `AWS_MAX_ATTEMPTS`, as the SDK and the AWS CLI read it: how many times a request is tried (the
 * SDK's default 3 when unset). Anything but a whole number of 1 or more is refused (usage), not
 * read as something else: "1.5" had made 2 attempts, "abc" 3.
 */
function envAttempts(env: Io['env']): number | undefined {
  const raw = env.AWS_MAX_ATTEMPTS;
  if (raw === undefined || raw === '') return undefined;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : 0;
  if (n < 1) {
    throw new DdbError('usage.invalid', {
      message: `AWS_MAX_ATTEMPTS is "${raw}": it must be a whole number of attempts, 1 or more; unset it for the SDK's default of 3`,
    });
  }
  return n;
}

/**
 * `DDBCTL_AWS_TIMEOUT_MS` (default 10000): how long the AWS credential providers' calls and STS
 * may wait for an answer once connected, per attempt.
 */
export function awsTimeouts(env: Io['env']): AuthTimeouts {
  return {
    ...AUTH_TIMEOUTS,
    responseMs: envMilliseconds(env, 'DDBCTL_AWS_TIMEOUT_MS', AUTH_TIMEOUTS.responseMs),
  };
}

/**
 * `DDBCTL_REQUEST_TIMEOUT_MS` (default 60000, boto3's read timeout): how long a request to an
 * endpoint or AWS may stay without an answer before it fails (and the SDK tries it again); 0 waits
 * for ever.
 */
const REQUEST_TIMEOUT_MS = 60_000;

/** The target `flags` choose, decided without opening it (no engine started, no request). */
export async function resolveFlags(cli: Cli, flags: TargetFlags): Promise<Target> {
  return resolveTarget(flags, cli.io.env, await readSharedFiles(cli.io.env));
}

/**
 * The endpoint SDK clients of the in-process door are configured with: never connected to (the
 * request handler answers), but an endpoint keeps the SDK from resolving an AWS one.
 */
const EMBEDDED_ENDPOINT = 'http://127.0.0.1:0';

/** Clients of an embedded engine started for `target` (startEngine's answer). */
export function embeddedClients(
  engine: {
    requestHandler?: ClientConfig['requestHandler'];
    endpoint?: string;
    shared?: boolean;
    pid?: number;
    /** What holds the engine when `shared`: serve, ui, tail. */
    holder?: string;
  },
  target: Target & { kind: 'embedded' },
  more: Pick<ClientConfig, 'maxAttempts' | 'env' | 'stop' | 'onRetry' | 'requestTimeoutMs' | 'clock'> = {},
  /** Whether a process still runs (src/engine's, passed in: this module loads the engine lazily). */
  alive?: (pid: number) => boolean,
): Clients {
  // Our own engine in-process (no socket); a shared one (another process's serve) over HTTP through
  // handoff.ts's handler: calls to cut and adapt there. (Counts exact; it may be another version.)
  const door = engine.requestHandler
    ? {
        requestHandler: engine.requestHandler,
        inProcess: !engine.shared,
        endpoint: EMBEDDED_ENDPOINT,
        exactCounts: true,
      }
    : { endpoint: engine.endpoint as string };
  // NOTE: read when it happens, from `engine` itself: a tail or ui that took the data dir over
  // (engine/handoff.ts) may be using another holder by then.
  const holder = () => engine.holder ?? 'serve';
  const serve = () =>
    `the ddbctl ${holder()} at ${engine.endpoint} (pid ${engine.pid}) that this command was using`;
  // A holder killed or stopped under a command: say which, and the ways on (its data dir is free).
  const unreachable = (net: string) =>
    engine.pid !== undefined && alive?.(engine.pid)
      ? `${serve()} does not answer (${net}); check that process (or stop it), then run the command again`
      : holder() === 'serve'
        ? `${serve()} is gone (${net}): start it again with 'ddbctl serve --data-dir ${target.dataDir}', or run the command again without it (the data dir is free now, and the command opens it itself)`
        : `the ddbctl ${holder()} (pid ${engine.pid}) whose engine this command was using stopped (${net}): run the command again (the data dir is free now, or used by another long-running ddbctl, and the command opens or joins it itself)`;
  return createClients({
    region: target.region,
    ...door,
    // NOTE: the embedded engine checks no signature: no profile or process of the environment is
    // read or run for it (a failing AWS_PROFILE must not stop a --local command).
    credentials: LOCAL_CREDENTIALS,
    // NOTE: named by its data dir: the port is picked anew at every run and tells nobody anything.
    label: `the ${describeTarget(target)}`,
    ...(engine.shared ? { unreachable } : {}),
    ...more,
  });
}

/** An open target: its clients, and what to release afterwards. */
export interface OpenTarget {
  target: Target;
  clients: Clients;
  close(): Promise<void>;
}

/** Limits for a caller that must answer fast or not at all (shell completion). */
export interface OpenLimits {
  /** Attempts of each call (default AWS_MAX_ATTEMPTS, else the SDK's). */
  maxAttempts?: number;
  /** How long to wait for a data dir another command holds (default: the engine's). */
  lockTimeoutMs?: number;
  /**
   * A long-running command (tail, ui), by its name: the embedded engine it starts is shared with
   * other commands on the data dir (served on loopback while it runs, named so in engine.json)
   * instead of making them wait for it; joined to another's engine, it takes the data dir over
   * when that one stops.
   */
  share?: string;
  /**
   * The command's stop (an interruptible command's signal): requests to an endpoint sent without a
   * signal of their own abort with it (ClientConfig.stop).
   */
  stop?: AbortSignal;
  /**
   * The embedded engine this command starts runs on a thread of its own (EngineOptions.thread),
   * when the build's script for it is there: for a command that keeps its own thread busy.
   */
  engineThread?: boolean;
}

/** The build's script of the embedded engine's own thread (src/engine/threadWorker.ts). */
const ENGINE_THREAD = 'engineThread.cjs';

/**
 * Open the target `flags` choose: start (or join) the embedded engine, resolve credentials for
 * AWS, build the clients; announce it on stderr as `role` ("target", "source", ...) unless --quiet.
 */
export async function openTarget(
  cli: Cli,
  g: GlobalOptions,
  flags: TargetFlags = g,
  role = 'target',
  limits: OpenLimits = {},
): Promise<OpenTarget> {
  return openResolved(cli, g, await resolveFlags(cli, flags), role, limits);
}

/** openTarget for a target already resolved (resolveFlags), by a caller that looked at it first. */
export async function openResolved(
  cli: Cli,
  g: GlobalOptions,
  target: Target,
  role = 'target',
  limits: OpenLimits = {},
): Promise<OpenTarget> {
  const maxAttempts = limits.maxAttempts ?? envAttempts(cli.io.env);
  // Credentials come from the environment this run was given (not the process's).
  const more = {
    ...(maxAttempts ? { maxAttempts } : {}),
    ...(limits.stop ? { stop: limits.stop } : {}),
    env: cli.io.env,
    requestTimeoutMs: envMilliseconds(cli.io.env, 'DDBCTL_REQUEST_TIMEOUT_MS', REQUEST_TIMEOUT_MS),
    onRetry: (line: string) => notice(cli, g, line),
    clock: cli.clock,
  };
  if (target.kind === 'embedded') {
    // NOTE: loaded only when used: the engine and its store are a good part of a start-up.
    const { alive, startEngine } = await import('../engine/index.js');
    const thread = limits.engineThread ? besideProgram(ENGINE_THREAD) : undefined;
    const engine = await startEngine({
      dataDir: target.dataDir,
      region: target.region,
      ...engineTiming(cli.io.env),
      onWait: (m) => notice(cli, g, m),
      onWarning: (m) => notice(cli, g, m),
      // NOTE: the store's SALVAGE_ENV, spelt out: importing it would load the engine before it is needed.
      salvage: cli.io.env.DDBCTL_ENGINE_SALVAGE === '1',
      ...(limits.lockTimeoutMs !== undefined ? { lockTimeoutMs: limits.lockTimeoutMs } : {}),
      ...(thread ? { thread } : {}),
      ...(limits.stop ? { stop: limits.stop } : {}),
      // NOTE: an engine in memory (--memory) has no data dir other commands could find it by.
      ...(limits.share && target.dataDir !== null ? { shareable: true, holder: limits.share } : {}),
      onHandoff: (m) => notice(cli, g, m),
    });
    const where = engine.shared
      ? `ddbctl ${engine.holder ?? 'serve'} at ${engine.endpoint} (pid ${engine.pid})`
      : limits.share && engine.endpoint
        ? `${describeTarget(target)}, which other commands use at ${engine.endpoint} while this runs`
        : describeTarget(target);
    notice(cli, g, `${role}: ${where}`);
    if (g.debug && thread && !engine.shared)
      cli.io.stderr.write(
        `ddbctl: debug: the embedded engine runs ${engine.threaded ? 'on a thread of its own' : `on the command's thread (${engine.threadRefused ?? 'its own did not start'})`}\n`,
      );
    const clients = embeddedClients(engine, target, more, alive);
    return {
      target,
      clients,
      close: async () => {
        clients.destroy();
        await engine.close();
      },
    };
  }
  notice(cli, g, `${role}: ${describeTarget(target)}`);
  const mfa = mfaPrompt(cli);
  const profile = target.profile ? { profile: target.profile } : {};
  const clients =
    target.kind === 'endpoint'
      ? createClients({
          region: target.region,
          endpoint: target.endpoint,
          credentials: 'local',
          label: target.endpoint,
          ...profile,
          ...more,
        })
      : createClients({
          region: target.region,
          credentials: 'chain',
          label: `AWS ${target.region}`,
          authTimeouts: awsTimeouts(cli.io.env),
          ...(mfa ? { mfaCode: mfa } : {}),
          ...(g.debug
            ? { onCredentials: (line: string) => cli.io.stderr.write(`ddbctl: debug: ${line}\n`) }
            : {}),
          ...profile,
          ...more,
        });
  if (target.kind === 'aws') {
    try {
      await checkCredentials(clients);
    } catch (e) {
      clients.destroy();
      throw e;
    }
  }
  return { target, clients, close: async () => clients.destroy() };
}

export interface RunOptions {
  /**
   * The command stops itself on Ctrl-C (SIGINT), SIGTERM or SIGHUP: the `signal` it is given aborts,
   * and it finishes its requests in flight (or counts them as not done), saves its checkpoint,
   * reports and sets exit code 130 (main.ts makes it the signal's: signals.ts) before the targets
   * are closed. A second signal ends the process at once. Without it, a signal closes the targets
   * and ends the process straight away, with the signal's exit code.
   */
  interruptible?: boolean;
  /** A long-running command, by its name: see OpenLimits.share. */
  share?: string;
  /** See OpenLimits.engineThread. */
  engineThread?: boolean;
  /**
   * Said on stderr when a second signal ends an interruptible command at once, without its report
   * (what the command was doing is not known to the handler): one line, so the exit is not silent.
   */
  onForce?: () => void;
  /**
   * Said (by withTargets) when a signal ends a command that does not stop itself, before its
   * targets close: which changes were sent and not answered (Clients.unanswered), if any.
   */
  onCut?: (signal: NodeJS.Signals) => void;
}

/**
 * Run `fn` with clients for the target the global flags choose; always release the clients and
 * the embedded engine afterwards, also on Ctrl-C.
 */
export async function withClients<T>(
  cli: Cli,
  g: GlobalOptions,
  fn: (clients: Clients, target: Target, signal: AbortSignal) => Promise<T>,
  opts: RunOptions = {},
): Promise<T> {
  return withTargets(
    cli,
    g,
    [g],
    ([t], signal) => fn((t as OpenTarget).clients, (t as OpenTarget).target, signal),
    ['target'],
    opts,
  );
}

/** Open several targets (a copy's source and destination), run `fn`, release them all. */
export async function withTargets<T>(
  cli: Cli,
  g: GlobalOptions,
  flags: TargetFlags[],
  fn: (targets: OpenTarget[], signal: AbortSignal) => Promise<T>,
  roles: string[] = ['target'],
  opts: RunOptions = {},
): Promise<T> {
  const open: OpenTarget[] = [];
  const closeAll = () => Promise.allSettled(open.map((t) => t.close()));
  let stopped: AbortSignal | undefined;
  try {
    return await withSignals(
      closeAll,
      async (signal) => {
        stopped = signal;
        const limits = {
          ...(opts.share ? { share: opts.share } : {}),
          ...(opts.interruptible ? { stop: signal } : {}),
          ...(opts.engineThread ? { engineThread: true } : {}),
        };
        for (const [i, f] of flags.entries())
          open.push(await openTarget(cli, g, f, roles[i] ?? 'target', limits));
        return await fn(open, signal);
      },
      {
        ...opts,
        onCut: (signal) => {
          const ops = [...new Set(open.flatMap((t) => t.clients.unanswered?.() ?? []))];
          if (ops.length === 0) return;
          // A transaction's token makes it safe to send again (DynamoDB carries a token out once).
          const tokens = [...new Set(open.flatMap((t) => t.clients.unansweredTokens?.() ?? []))];
          const again =
            tokens.length === 1 ? `; ${againWithToken(tokens[0] as string, 'the TransactWriteItems')}` : '';
          cli.io.stderr.write(
            `ddbctl: interrupted (${signal}) with ${ops.join(', ')} sent and not answered: ${ops.length > 1 ? 'they' : 'it'} may or may not have been carried out; check the table before running the command again${again}\n`,
          );
        },
        onForce: () =>
          cli.io.stderr.write(
            `ddbctl: stopped at once by a second Ctrl-C (or signal), without waiting for the calls in flight or saying what was done; run the same command again to see where things stand (a transfer: with --resume when it has a checkpoint)\n`,
          ),
      },
    );
  } catch (e) {
    if (e instanceof DdbError) retarget(e, open, flags);
    // An error because of Ctrl-C (its message says what was done): exit 130, as for any Ctrl-C.
    if (stopped?.aborted) cli.exitCode = 130;
    throw e;
  }
}

/**
 * Run `fn` with Ctrl-C (SIGINT), SIGTERM and SIGHUP handled as `opts` says (RunOptions); `close` releases
 * what `fn` opened, always afterwards, and at once on a stop `fn` does not handle itself.
 */
export async function withSignals<T>(
  close: () => Promise<unknown>,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: RunOptions = {},
): Promise<T> {
  const interrupt = new AbortController();
  // NOTE: every request in flight listens to it (the SDK removes its listener when the request
  // ends): as many as the calls or segments in flight, beyond Node's warning at 10.
  setMaxListeners(0, interrupt.signal);
  // NOTE: Ctrl-C must still close the embedded engine (its data dir lock) before the process ends;
  // a command that stops itself does so first, so that no request is cut off under the engine.
  // A signal that ends the process has come (the second one of an interruptible command).
  let ending = false;
  const stop = (signal: NodeJS.Signals) => {
    if (opts.interruptible && !interrupt.signal.aborted) {
      interrupt.abort(new DdbError('operation.aborted', { message: `interrupted (${signal})` }));
      return;
    }
    if (opts.interruptible) opts.onForce?.();
    else opts.onCut?.(signal);
    ending = true;
    void close().finally(() => process.exit(stoppedExitCode()));
  };
  const off = onStop(stop);
  try {
    return await fn(interrupt.signal);
  } finally {
    // NOTE: still handled while the targets close (an engine writing its last changes): a signal
    // then is said, not the default that ends the process without a word.
    try {
      await close();
    } finally {
      off();
    }
    // A signal that ends the process came while the targets closed (an engine on a thread of its
    // own writes its last changes meanwhile): the process ends when they are closed, as that
    // signal's line said, not after this command's report.
    if (ending) await new Promise<never>(() => {});
  }
}

/**
 * The commands an error suggests carry the target flags of the target it came from: the one
 * target, or of two (a copy's source and destination) the one its message names.
 */
function retarget(e: DdbError, open: OpenTarget[], flags: TargetFlags[]): void {
  const [only] = flags;
  const from =
    flags.length === 1 ? only : flags.find((_, i) => open[i] && e.message.includes(open[i].clients.label));
  // NOTE: Error.message is writable; the code, cause and stack stay the error's own.
  if (from) e.message = hintsOn(e.message, from);
}

/** Resolve credentials before the first request, so a missing one is one clear error. */
async function checkCredentials(clients: Clients): Promise<void> {
  try {
    const provider = clients.ddb.config.credentials;
    await provider();
  } catch (e) {
    const err = toDdbError(e, { operation: 'resolving credentials' });
    // Ctrl-C at the MFA code prompt (prompt.ts): its own line, nothing about configuring credentials.
    throw err.code === 'credentials.missing' || err.code === 'operation.aborted'
      ? err
      : new DdbError('credentials.missing', {
          message: `could not resolve AWS credentials (${(e as Error).message}); run "aws configure", pass --profile, or use --local`,
          cause: e,
        });
  }
}
