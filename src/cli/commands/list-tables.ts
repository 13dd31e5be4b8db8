import { Command } from '@commander-js/extra-typings';
import { listTables } from '../../core/control/listTables.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { printJson, writeLine } from '../output/render.js';

export default function listTablesCommand(cli: Cli) {
  return new Command('list-tables')
    .description('List every table, across all pages [API: ListTables]')
    .option('--prefix <prefix>', 'only tables whose name starts with this')
    .action(async (opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const names = await withClients(cli, g, (clients) =>
        listTables(clients, opts.prefix ? { prefix: opts.prefix } : {}),
      );
      if (g.output === 'json') printJson(cli.io, { TableNames: names });
      else for (const n of names) writeLine(cli.io, n);
    });
}
