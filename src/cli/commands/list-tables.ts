import { Command, Option } from '@commander-js/extra-typings';
import { listTables } from '../../core/control/listTables.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { positiveInt } from './_options.js';

export default function listTablesCommand(cli: Cli) {
  return new Command('list-tables')
    .description('List every table, across all pages [API: ListTables]')
    .option('--prefix <prefix>', 'only tables whose name starts with this')
    .addOption(
      // NOTE: for tests of the paging; ListTables returns at most 100 names a call anyway.
      new Option('--page-size <n>', 'names per ListTables call (1–100)')
        .argParser(positiveInt('--page-size'))
        .hideHelp(),
    )
    .action(async (opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const names = await withClients(cli, g, (clients) =>
        listTables(clients, {
          ...(opts.prefix ? { prefix: opts.prefix } : {}),
          ...(opts.pageSize ? { pageSize: Math.min(100, opts.pageSize) } : {}),
        }),
      );
      // ndjson: one name a line; raw: ListTables' own answer, all pages in one.
      render(cli, g, {
        kind: 'report',
        json: { TableNames: names },
        lines: names,
        raw: [{ TableNames: names }],
        people: names,
      });
    });
}
