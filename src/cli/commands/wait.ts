import { Command, Option } from '@commander-js/extra-typings';
import { waitForTable } from '../../core/control/waitForTable.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { printJson, writeLine } from '../output/render.js';
import { timeoutOption } from './_options.js';

export default function waitCommand(cli: Cli) {
  return new Command('wait')
    .description('Wait until a table is ACTIVE, or deleted [API: DescribeTable, with the SDK waiters]')
    .argument('<table>', 'table name')
    .addOption(
      new Option('--for <state>', 'what to wait for')
        .choices(['active', 'deleted'] as const)
        .default('active' as const),
    )
    .addOption(timeoutOption())
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const r = await withClients(cli, g, (clients) => {
        notice(
          cli,
          g,
          `waiting for ${table} to be ${opts.for === 'active' ? 'ACTIVE' : 'deleted'} (timeout ${opts.timeout} s)`,
        );
        return waitForTable(clients, table, { for: opts.for, timeoutSeconds: opts.timeout });
      });
      const status = opts.for === 'active' ? (r.table?.TableStatus ?? 'ACTIVE') : 'DELETED';
      if (g.output === 'json') printJson(cli.io, { table, status, seconds: r.seconds });
      else writeLine(cli.io, `${table}: ${status} (${r.seconds.toFixed(1)} s)`);
    });
}
