import { Command, Option } from '@commander-js/extra-typings';
import { stringifyItem } from '../../core/data/codec.js';
import { deleteItem } from '../../core/data/deleteItem.js';
import { getKeySchema } from '../../core/data/keySchema.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { writeResult } from '../output/result.js';
import { conditionOptions, parseKeyArgs } from './_input.js';
import { conditionOption, ddbJsonOption, namesOption, tableArg, valuesOption } from './_options.js';

export default function deleteCommand(cli: Cli) {
  return new Command('delete')
    .description(
      'Delete one item by its key and say whether there was one; a key with no item deletes nothing and exits 0 (the item is absent, as asked) [API: DeleteItem]',
    )
    .argument('<table>', 'table name', tableArg)
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
        const r = await deleteItem(clients, table, key, { returnOld: opts.return === 'old', ...condition });
        return { ...r, key };
      });
      const none = `no item had the key ${stringifyItem(r.key)} in ${table}: nothing deleted`;
      render(
        cli,
        g,
        writeResult({
          returned: r.old,
          asked: opts.return === 'old',
          none,
          done: r.deleted ? `deleted the item with the key ${stringifyItem(r.key)} from ${table}` : none,
          result: { deleted: r.deleted },
        }),
      );
    });
}
