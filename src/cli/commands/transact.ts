import { Command } from '@commander-js/extra-typings';
import { parseTransactActions, transactWrite } from '../../core/data/transact/index.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { printCancellation, readListArgument } from './_transact.js';

const FORMAT = `
The actions: a JSON array, or NDJSON (one action a line), of objects with one of
  {"put":    {"table": "T", "item": {...}, "condition": "attribute_not_exists(id)"}}
  {"update": {"table": "T", "key": {...}, "set": ["total = total + 1"], "add": [...],
              "remove": [...], "delete": [...], "condition": "..."}}
  {"delete": {"table": "T", "key": {...}, "condition": "..."}}
  {"check":  {"table": "T", "key": {...}, "condition": "status = 'open'"}}
Items and keys are plain JSON (numbers exact, {"$set": [...]}, {"$binary": "..."}, {"$map": {...}}), or DynamoDB
JSON with --ddb-json; conditions and updates use the readable expression syntax ("condition" is
optional except for "check"). At most 100 actions, each on a different item, 4 MB in all.
A cancelled transaction writes nothing and names each action's reason (exit code 1); -o json
prints {"ok": false, "cancelled": true, "reasons": [...]}, -o raw DynamoDB's CancellationReasons.

Example:
  ddbctl transact - <<'END'
  {"put": {"table": "Orders", "item": {"id": "o1", "total": 30}, "condition": "attribute_not_exists(id)"}}
  {"update": {"table": "Customers", "key": {"id": "c1"}, "add": ["orders 1"]}}
  END
`;

export default function transactCommand(cli: Cli) {
  return new Command('transact')
    .description(
      'Apply up to 100 puts, updates, deletes and condition checks across tables, all or nothing [API: TransactWriteItems]',
    )
    .argument('<file>', 'the actions: a JSON array or NDJSON file, or - for stdin')
    .option('--ddb-json', 'items and keys are DynamoDB JSON ({"S": "..."} typed form)')
    .option(
      '--token <token>',
      'idempotency token (ClientRequestToken, 1–36 characters): the same token within 10 minutes applies the actions once',
    )
    .addHelpText('after', FORMAT)
    .action(async (fileArg, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      // Parse before connecting: malformed input is a usage error that starts nothing.
      const { text, where } = await readListArgument(cli.io, fileArg, 'actions');
      const actions = parseTransactActions(text, { ddbJson: !!opts.ddbJson, where });
      const r = await withClients(cli, g, (clients) =>
        transactWrite(clients, actions, opts.token === undefined ? {} : { token: opts.token }),
      ).catch((e: unknown) => printCancellation(cli, g, e));
      render(cli, g, {
        kind: 'report',
        json: { ok: true, actions: r.actions, tables: r.tables },
        people: [`committed ${r.actions} action${r.actions === 1 ? '' : 's'} on ${r.tables.join(', ')}`],
      });
    });
}
