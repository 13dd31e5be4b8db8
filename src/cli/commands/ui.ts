import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import type { Clients } from '../../core/clients.js';
import { callerIdentity } from '../../core/identity.js';
import { describeTarget, type Target } from '../../core/target.js';
import { hostInUrl } from '../../core/util/listen.js';
import type { UiTarget } from '../../ui/server/index.js';
import { type Cli, type GlobalOptions, notice, warn, withClients } from '../context.js';
import { render } from '../output/render.js';
import { hostArg, isLoopbackHost, port } from './_options.js';

/**
 * The built web app: dist/ui beside dist/cli, found from the program's own path (the bundle is
 * CommonJS, so no import.meta; a global install's bin is a symlink to dist/cli/bin.cjs).
 */
function staticDir(): string {
  const bin = process.argv[1];
  if (bin) {
    try {
      return join(dirname(realpathSync(bin)), '..', 'ui');
    } catch {
      // Not a file (a REPL, a test runner's worker): fall through.
    }
  }
  return join(process.cwd(), 'dist', 'ui');
}

/** The program that opens a URL on this desktop, when there is one (a display and xdg-open). */
function opener(env: Record<string, string | undefined>): string | undefined {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return (env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'xdg-open'))
    .find((f) => existsSync(f));
}

/**
 * The account the banner shows: GetCallerIdentity, as whoami and the destructive prompts ask it;
 * else what the credentials say of it (never the keys); else none.
 */
async function accountOf(clients: Clients): Promise<string | undefined> {
  try {
    return (await callerIdentity(clients)).account;
  } catch {
    try {
      const id = (await clients.ddb.config.credentials()) as { accountId?: string };
      return id.accountId;
    } catch {
      return undefined;
    }
  }
}

async function uiTarget(target: Target, clients: Clients): Promise<UiTarget> {
  const account = target.kind === 'aws' ? await accountOf(clients) : undefined;
  return {
    kind: target.kind,
    label: describeTarget(target),
    region: target.region,
    ...(account ? { account } : {}),
  };
}

export default function uiCommand(cli: Cli) {
  return new Command('ui')
    .description(
      'Browse and edit tables and items in a web page served on 127.0.0.1 (every type kept exactly: ' +
        '38-digit numbers, sets, binary), for the target the global options choose; read-only on AWS ' +
        'unless --allow-writes. Stops on Ctrl-C (exit 130; SIGTERM 143, SIGHUP 129).',
    )
    .addOption(
      new Option('--port <port>', 'port to listen on (default: a free one)').default(0).argParser(port),
    )
    .addOption(
      new Option('--host <host>', 'interface to bind; anything but loopback is reachable from other hosts')
        .default('127.0.0.1')
        .argParser(hostArg),
    )
    .option('--no-open', 'print the URL only; do not open a browser')
    .option('--allow-writes', 'on AWS, allow changes (the page still asks before each write)')
    .addHelpText(
      'after',
      '\nThe printed URL holds a token made at each start: the page swaps it for a cookie. Requests\n' +
        "need that cookie, a local Host name, and (writes) the page's own Origin; nothing of the\n" +
        'credentials reaches the page.',
    )
    .action(async (opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const { startUiServer } = await import('../../ui/server/index.js');
      const stopped = await withClients(
        cli,
        g,
        async (clients, target, signal) => {
          const server = await startUiServer({
            clients,
            target: await uiTarget(target, clients),
            host: opts.host,
            port: opts.port,
            allowWrites: !!opts.allowWrites,
            staticDir: staticDir(),
            onEvent: (e) => {
              // The page shows the message; the terminal keeps it too (the stack with --debug).
              if (e.type === 'error') {
                const err = e.error as Error | undefined;
                warn(
                  cli,
                  `ui: ${e.method} ${e.path} failed: ${(g.debug ? err?.stack : err?.message) ?? String(err)}`,
                );
              }
            },
          });
          try {
            // Said once it is so (a port in use is the error alone).
            if (!isLoopbackHost(opts.host)) {
              warn(
                cli,
                `warning: serving on ${hostInUrl(opts.host)}: the UI is reachable from other hosts; anyone who has the token of the printed URL can read and change the target's tables`,
              );
            }
            if (target.kind === 'aws') {
              notice(
                cli,
                g,
                opts.allowWrites
                  ? 'writes allowed on AWS (--allow-writes)'
                  : 'read-only on AWS (pass --allow-writes to change data)',
              );
            }
            render(cli, g, { kind: 'report', json: { url: server.url }, people: [server.url] });
            notice(cli, g, `ui at ${server.origin}; Ctrl-C stops it`);
            const open = opts.open ? opener(cli.io.env) : undefined;
            if (open)
              spawn(open, [server.url], { detached: true, stdio: 'ignore' })
                .on('error', () => {})
                .unref();
            await new Promise<void>((resolve) => {
              if (signal.aborted) resolve();
              signal.addEventListener('abort', () => resolve(), { once: true });
            });
            return true;
          } finally {
            await server.close();
          }
        },
        // NOTE: on the embedded engine, other commands on the data dir use the UI's engine while it
        // runs (served on loopback) instead of waiting for the UI to stop; a UI using another's
        // engine takes the data dir over when that one stops.
        { interruptible: true, share: 'ui' },
      );
      notice(cli, g, 'ui stopped');
      if (stopped) cli.exitCode = 130;
    });
}
