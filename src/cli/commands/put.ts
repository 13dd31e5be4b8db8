import { Command, Option } from '@commander-js/extra-typings';
import { putItem } from '../../core/data/putItem.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { writeResult } from '../output/result.js';
import { conditionOptions, parseItemText, readJsonArgument } from './_input.js';
import { conditionOption, ddbJsonOption, namesOption, tableArg, valuesOption } from './_options.js';

export default function putCommand(cli: Cli) {
  return new Command('put')
    .description('Create or replace an item [API: PutItem]')
    .argument('<table>', 'table name', tableArg)
    .argument('<item>', 'the item: JSON such as \'{"username":"ada","age":36}\', a file, or - for stdin')
    .addOption(ddbJsonOption())
    .option('--if-not-exists', 'fail instead of replacing an existing item')
    .addOption(conditionOption())
    .addOption(namesOption())
    .addOption(valuesOption())
    .addOption(
      new Option('--return <what>', 'print the item this put replaced')
        .choices(['old', 'none'] as const)
        .default('none' as const),
    )
    .action(async (table, itemArg, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      // Parse before connecting: malformed input is a usage error that starts nothing.
      const { text, where } = await readJsonArgument(cli.io, itemArg, 'item');
      const item = parseItemText(text, where, !!opts.ddbJson);
      const condition = conditionOptions(opts);
      const r = await withClients(cli, g, (clients) =>
        putItem(clients, table, item, {
          ifNotExists: !!opts.ifNotExists,
          returnOld: opts.return === 'old',
          ...condition,
        }),
      );
      render(
        cli,
        g,
        writeResult({
          returned: r.old,
          asked: opts.return === 'old',
          none: '(no previous item)',
          done: `put 1 item into ${table}`,
        }),
      );
    });
}
