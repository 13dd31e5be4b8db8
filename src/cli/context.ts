/**
 * Global flags → target → clients, for one command run. The CLI's edge: it reads the environment
 * and the shared AWS files (never the network) and starts the embedded engine when that is the target.
 */
import type { Readable, Writable } from 'node:stream';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { type Clients, createClients } from '../core/clients.js';
import { DdbError } from '../core/errors.js';
import { toDdbError } from '../core/sdkErrors.js';
import {
  describeTarget,
  resolveTarget,
  type SharedFiles,
  type Target,
  type TargetFlags,
} from '../core/target.js';
import { startEngine } from '../engine/index.js';

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
}

export interface Cli {
  io: Io;
  /** The exit code of the run when no error is thrown (for example 1 for "not found"). */
  exitCode: number;
}

export function notice(cli: Cli, g: GlobalOptions, line: string): void {
  if (!g.quiet) cli.io.stderr.write(`ddbctl: ${line}\n`);
}

async function sharedFiles(env: Record<string, string | undefined>): Promise<SharedFiles> {
  try {
    const f = await loadSharedConfigFiles({ ignoreCache: true });
    return {
      configFile: f.configFile as SharedFiles['configFile'],
      credentialsFile: f.credentialsFile as SharedFiles['credentialsFile'],
    };
  } catch {
    void env;
    return { configFile: {}, credentialsFile: {} };
  }
}

export async function resolveCliTarget(g: GlobalOptions, io: Io): Promise<Target> {
  return resolveTarget(g, io.env, await sharedFiles(io.env));
}

/**
 * Run `fn` with clients for the target the global flags choose; announce the target on stderr
 * (unless --quiet); always release the clients and the embedded engine afterwards.
 */
export async function withClients<T>(
  cli: Cli,
  g: GlobalOptions,
  fn: (clients: Clients, target: Target) => Promise<T>,
): Promise<T> {
  const target = await resolveCliTarget(g, cli.io);
  const maxAttempts = Number(cli.io.env.AWS_MAX_ATTEMPTS) || undefined;
  if (target.kind === 'embedded') {
    const engine = await startEngine({
      dataDir: target.dataDir,
      onWait: (m) => notice(cli, g, m),
    });
    const label = engine.shared
      ? `ddbctl serve at ${engine.endpoint} (pid ${engine.pid})`
      : describeTarget(target);
    notice(cli, g, `target: ${label}`);
    const clients = createClients({
      region: target.region,
      endpoint: engine.endpoint,
      credentials: 'local',
      label: `the embedded engine (${engine.endpoint})`,
      ...(maxAttempts ? { maxAttempts } : {}),
    });
    const stop = () => {
      clients.destroy();
      void engine.close().finally(() => process.exit(130));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      return await fn(clients, target);
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clients.destroy();
      await engine.close();
    }
  }
  notice(cli, g, `target: ${describeTarget(target)}`);
  const clients =
    target.kind === 'endpoint'
      ? createClients({
          region: target.region,
          endpoint: target.endpoint,
          credentials: 'local',
          label: target.endpoint,
          ...(target.profile ? { profile: target.profile } : {}),
          ...(maxAttempts ? { maxAttempts } : {}),
        })
      : createClients({
          region: target.region,
          credentials: 'chain',
          label: `AWS ${target.region}`,
          ...(target.profile ? { profile: target.profile } : {}),
          ...(maxAttempts ? { maxAttempts } : {}),
        });
  try {
    if (target.kind === 'aws') await checkCredentials(clients);
    return await fn(clients, target);
  } finally {
    clients.destroy();
  }
}

/** Resolve credentials before the first request, so a missing one is one clear error. */
async function checkCredentials(clients: Clients): Promise<void> {
  try {
    const provider = clients.ddb.config.credentials;
    await provider();
  } catch (e) {
    const err = toDdbError(e, { operation: 'resolving credentials' });
    throw err.code === 'credentials.missing'
      ? err
      : new DdbError('credentials.missing', {
          message: `could not resolve AWS credentials (${(e as Error).message}); run "aws configure", pass --profile, or use --local`,
          cause: e,
        });
  }
}
