import { Command, Option } from '@commander-js/extra-typings';
import { putItem } from '../../core/data/putItem.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { printItem, printJson, writeLine } from '../output/render.js';
import { parseItemText, parseNames, parseValues, readJsonArgument } from './_input.js';
import { conditionOption, ddbJsonOption, namesOption, valuesOption } from './_options.js';

export default function putCommand(cli: Cli) {
  return new Command('put')
    .description('Create or replace an item [API: PutItem]')
    .argument('<table>', 'table name')
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
      const names = parseNames(opts.names);
      const values = parseValues(opts.values, !!opts.ddbJson);
      const r = await withClients(cli, g, (clients) =>
        putItem(clients, table, item, {
          ifNotExists: !!opts.ifNotExists,
          returnOld: opts.return === 'old',
          ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
          ...(names ? { names } : {}),
          ...(values ? { values } : {}),
        }),
      );
      const format = g.output ?? 'table';
      if (opts.return === 'old') {
        if (r.old) printItem(cli.io, format, r.old);
        else if (format === 'table') writeLine(cli.io, '(no previous item)');
        else printJson(cli.io, null);
      } else if (format === 'table') {
        writeLine(cli.io, `put 1 item into ${table}`);
      } else {
        printJson(cli.io, { ok: true });
      }
    });
}
