import { Command, Option } from '@commander-js/extra-typings';
import { DdbError } from '../../core/errors.js';
import { resolveTarget } from '../../core/target.js';
import { hostInUrl } from '../../core/util/listen.js';
import { type Cli, engineTiming, type GlobalOptions, notice } from '../context.js';
import { render } from '../output/render.js';
import { onStop } from '../signals.js';
import { hostArg, isLoopbackHost, port } from './_options.js';

export default function serveCommand(cli: Cli) {
  return new Command('serve')
    .description(
      'Run the embedded engine as a long-lived endpoint for other tools (AWS CLI, SDKs, other ddbctl ' +
        'commands, which use it automatically while it holds the data dir). Stops on Ctrl-C (exit 130; SIGTERM 143, SIGHUP 129).',
    )
    .addOption(
      new Option('--port <port>', 'port to listen on (0 picks a free one)').default(8000).argParser(port),
    )
    .addOption(
      new Option('--host <host>', 'interface to bind; anything but loopback is reachable from other hosts')
        .default('127.0.0.1')
        .argParser(hostArg),
    )
    .action(async (opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      if (g.aws || g.endpointUrl) {
        throw new DdbError('usage.invalid', {
          message: `serve runs the embedded engine only: drop ${g.aws ? '--aws' : '--endpoint-url'} (it serves --data-dir DIR, else DDBCTL_DATA_DIR, else ./.ddbctl; or --memory)`,
        });
      }
      // The embedded target as every command decides it (its checks: empty flags, --data-dir with --memory).
      const target = resolveTarget(
        {
          local: true,
          ...(g.dataDir !== undefined ? { dataDir: g.dataDir } : {}),
          ...(g.memory ? { memory: true } : {}),
        },
        cli.io.env,
        { configFile: {}, credentialsFile: {} },
      );
      const dataDir = target.kind === 'embedded' ? target.dataDir : null;
      const { startEngine } = await import('../../engine/index.js');
      const engine = await startEngine({
        dataDir,
        port: opts.port,
        host: opts.host,
        serve: true,
        ...engineTiming(cli.io.env),
        // NOTE: as every command on a data dir another holds: said, not a silent wait.
        onWait: (m) => notice(cli, g, m),
        onWarning: (m) => notice(cli, g, m),
      });
      // Said once it is so (a port in use is the error alone).
      if (!isLoopbackHost(opts.host)) {
        cli.io.stderr.write(
          `ddbctl: warning: serving on ${hostInUrl(opts.host)}: the engine has no authentication and anyone who can reach this address can read and change every table\n`,
        );
      }
      cli.io.stderr.write(
        `ddbctl: serving the embedded engine at ${engine.endpoint} (${dataDir === null ? 'in memory' : `data dir ${dataDir}`}); Ctrl-C stops it\n`,
      );
      render(cli, g, {
        kind: 'report',
        json: { endpoint: engine.endpoint },
        people: [engine.endpoint ?? ''],
      });
      await new Promise<void>((resolve) => {
        const off = onStop(() => {
          off();
          void engine.close().then(resolve);
        });
      });
      cli.io.stderr.write('ddbctl: engine stopped\n');
      // As every command a signal stops: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP (signals.ts).
      cli.exitCode = 130;
    });
}
