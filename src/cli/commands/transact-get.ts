import { Command } from '@commander-js/extra-typings';
import { stringifyItem } from '../../core/data/codec.js';
import { parseTransactGets, transactGet } from '../../core/data/transact/index.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { plainItem, rawItem } from '../output/result.js';
import { escapeControls } from '../output/text.js';
import { printCancellation, readListArgument } from './_transact.js';

const FORMAT = `
The gets: a JSON array, or NDJSON (one a line), of
  {"table": "T", "key": {"id": "o1"}, "project": "total,status"}
("project" is optional: comma-separated attribute paths). Keys are plain JSON, or DynamoDB JSON
with --ddb-json. At most 100 gets, each of a different item.

Prints the items in the order asked, null (json, ndjson, raw) or "(not found)" (table) for a key
with no item: -o json one array, -o ndjson one item a line, -o raw one DynamoDB JSON item a line.
`;

export default function transactGetCommand(cli: Cli) {
  return new Command('transact-get')
    .description('Read up to 100 items across tables from one consistent snapshot [API: TransactGetItems]')
    .argument('<file>', 'the gets: a JSON array or NDJSON file, or - for stdin')
    .option('--ddb-json', 'keys are DynamoDB JSON ({"S": "..."} typed form)')
    .addHelpText('after', FORMAT)
    .action(async (fileArg, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      // Parse before connecting: malformed input is a usage error that starts nothing.
      const { text, where } = await readListArgument(cli.io, fileArg, 'gets');
      const gets = parseTransactGets(text, { ddbJson: !!opts.ddbJson, where });
      const items = await withClients(cli, g, (clients) => transactGet(clients, gets)).catch((e: unknown) =>
        printCancellation(cli, g, e),
      );
      render(cli, g, {
        kind: 'report',
        json: items.map(plainItem),
        lines: items.map(plainItem),
        raw: items.map((i) => (i === null ? null : rawItem(i))),
        people: [
          {
            head: ['#', 'table', 'key', 'item'],
            rows: gets.map((get, n) => {
              const item = items[n] ?? null;
              return [
                n + 1,
                get.table,
                escapeControls(stringifyItem(get.key)),
                item === null ? '(not found)' : escapeControls(stringifyItem(item)),
              ];
            }),
          },
        ],
      });
    });
}
