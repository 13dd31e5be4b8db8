// Shared by the integration and e2e tests: the engine under test, clients for it, unique table
// names, and running the CLI in-process with captured output.
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import type { Io } from '../src/cli/context.js';
import { main } from '../src/cli/main.js';
import { type Clients, createClients } from '../src/core/clients.js';
import type { Item } from '../src/core/data/codec.js';
import type { Clock } from '../src/core/util/clock.js';

export const engineName = (): string => inject('engine');
export const endpoint = (): string => inject('endpoint');

/** What each engine under test can do (see README "Engines"). */
export function caps() {
  const e = engineName();
  return {
    tags: e !== 'dynamodb-local',
    /** The engine really passes through CREATING/DELETING. */
    transitions: e === 'embedded',
  };
}

export function testClients(): Clients {
  return createClients({
    region: 'us-east-1',
    endpoint: endpoint(),
    credentials: 'local',
    label: endpoint(),
  });
}

export function uniqueName(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Ctrl-C as the process gets it, for a command `cli` runs in this process: the SIGINT handler the
 * command installed (withSignals: the last one), called.
 */
export function ctrlC(): void {
  const handlers = process.listeners('SIGINT');
  (handlers[handlers.length - 1] as (s: NodeJS.Signals) => void)('SIGINT');
}

/** Run ddbctl in-process against the engine under test (unless `args` choose a target). */
export async function cli(
  args: string[],
  opts: {
    stdin?: string;
    tty?: boolean;
    env?: Record<string, string>;
    defaultTarget?: boolean;
    /** The width of the terminal stdout is (tables are fitted to it); default: not a terminal. */
    columns?: number;
    /** Told of stderr so far at every write (to act at a point of the run, a Ctrl-C for example). */
    onStderr?: (stderr: string) => void;
    /** Told of stdout so far at every write (a long-running command's output, before it ends). */
    onStdout?: (stdout: string) => void;
    /** The clock the run reads and waits on; default: the system clock. */
    clock?: Clock;
  } = {},
): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => {
    stdout += d;
    opts.onStdout?.(stdout);
  });
  err.on('data', (d) => {
    stderr += d;
    opts.onStderr?.(stderr);
  });
  const io: Io = {
    stdout: out,
    stderr: err,
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    env: { ...process.env, ...opts.env },
    isTTY: !!opts.tty,
    ...(opts.columns ? { columns: opts.columns } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  };
  const chooses = args.some((a) =>
    ['--endpoint-url', '--local', '--aws', '--memory', '--data-dir'].includes(a),
  );
  const code = await main(chooses || opts.defaultTarget ? args : ['--endpoint-url', endpoint(), ...args], io);
  return { code, stdout, stderr };
}

/** The stderr lines a person reads as the outcome, without the notices (target, waiting, counts). */
export function errorLines(r: CliRun): string[] {
  return r.stderr
    .trim()
    .split('\n')
    .filter((l) => l && !/^ddbctl: (target|source|destination|waiting|\d+ items?$)/.test(l));
}

/** Every item of a table, read directly from the engine (not through a proxy or the CLI). */
export async function scanAll(table: string, on: Clients): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await on.doc.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...((out.Items ?? []) as Item[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Only the `ddbctl: error` lines of stderr (commands that also print notices and plans). */
export function errorMessages(r: CliRun): string[] {
  return r.stderr
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('ddbctl: error'));
}

export function expectOk(r: CliRun): void {
  expect(r.code, r.stderr).toBe(0);
}

/** DescribeTable straight to the engine (not through ddbctl). */
export async function describeRaw(table: string, on: Clients): Promise<TableDescription> {
  const out = await on.ddb.send(new DescribeTableCommand({ TableName: table }));
  if (!out.Table) throw new Error(`no description of ${table}`);
  return out.Table;
}
