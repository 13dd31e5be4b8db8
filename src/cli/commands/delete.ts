import { Command, Option } from '@commander-js/extra-typings';
import { deleteItem } from '../../core/data/deleteItem.js';
import { getKeySchema } from '../../core/data/keySchema.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { printWriteResult } from '../output/render.js';
import { conditionOptions, parseKeyArgs } from './_input.js';
import { conditionOption, ddbJsonOption, namesOption, valuesOption } from './_options.js';

export default function deleteCommand(cli: Cli) {
  return new Command('delete')
    .description('Delete one item by its key [API: DeleteItem]')
    .argument('<table>', 'table name')
    .argument('<key...>', 'the key: attr=value pairs or JSON')
    .addOption(ddbJsonOption())
    .addOption(conditionOption())
    .addOption(namesOption())
    .addOption(valuesOption())
    .addOption(
      new Option('--return <what>', 'print the deleted item')
        .choices(['old', 'none'] as const)
        .default('none' as const),
    )
    .action(async (table, keyArgs, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const condition = conditionOptions(opts);
      const r = await withClients(cli, g, async (clients) => {
        const key = parseKeyArgs(keyArgs, await getKeySchema(clients, table), !!opts.ddbJson);
        return deleteItem(clients, table, key, { returnOld: opts.return === 'old', ...condition });
      });
      const asked = opts.return === 'old';
      printWriteResult(
        cli.io,
        g.output ?? 'table',
        r.old,
        asked,
        '(there was no such item)',
        `deleted 1 item from ${table}`,
      );
    });
}
