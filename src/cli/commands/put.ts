import { Command } from '@commander-js/extra-typings';
import { putItem } from '../../core/data/putItem.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { printItem, printJson, writeLine } from '../output/render.js';
import { parseItemText, readJsonArgument } from './_input.js';

export default function putCommand(cli: Cli) {
  return new Command('put')
    .description('Create or replace an item [API: PutItem]')
    .argument('<table>', 'table name')
    .argument('<item>', 'the item: JSON such as \'{"username":"ada","age":36}\', a file, or - for stdin')
    .option('--ddb-json', 'the item is DynamoDB JSON ({"S": "..."} typed form)')
    .option('--return-old', 'print the item this put replaced')
    .action(async (table, itemArg, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      // Parse before connecting: malformed input is a usage error that starts nothing.
      const { text, where } = await readJsonArgument(cli.io, itemArg, 'item');
      const item = parseItemText(text, where, !!opts.ddbJson);
      const r = await withClients(cli, g, (clients) =>
        putItem(clients, table, item, { returnOld: !!opts.returnOld }),
      );
      if (opts.returnOld) {
        if (r.old) printItem(cli.io, g.output ?? 'table', r.old);
        else if (g.output === 'json') printJson(cli.io, null);
        else writeLine(cli.io, '(no previous item)');
      } else if (g.output === 'json') {
        printJson(cli.io, { ok: true });
      } else {
        writeLine(cli.io, `put 1 item into ${table}`);
      }
    });
}
