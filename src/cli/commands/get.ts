import { Command } from '@commander-js/extra-typings';
import { stringifyItem } from '../../core/data/codec.js';
import { getItem } from '../../core/data/getItem.js';
import { getKeySchema } from '../../core/data/keySchema.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { escapeControls } from '../output/text.js';
import { parseKeyArgs } from './_input.js';
import { ddbJsonOption, tableArg } from './_options.js';

export default function getCommand(cli: Cli) {
  return new Command('get')
    .description('Read one item by its key; exit code 1 when not found [API: GetItem]')
    .argument('<table>', 'table name', tableArg)
    .argument('<key...>', 'the key: attr=value pairs (username=ada) or JSON (\'{"username":"ada"}\')')
    .addOption(ddbJsonOption())
    .option('--consistent', 'strongly consistent read')
    .option('--project <paths>', 'only these attributes, e.g. "username,profile.city,tags[0]"')
    .action(async (table, keyArgs, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const r = await withClients(cli, g, async (clients) => {
        const key = parseKeyArgs(keyArgs, await getKeySchema(clients, table), !!opts.ddbJson);
        const options = { consistent: !!opts.consistent, ...(opts.project ? { project: opts.project } : {}) };
        return { key, ...(await getItem(clients, table, key, options)) };
      });
      if (r.found) {
        render(cli, g, { kind: 'item', item: r.item });
      } else {
        cli.io.stderr.write(
          `ddbctl: not found: no item with key ${escapeControls(stringifyItem(r.key))} in ${table}\n`,
        );
        cli.exitCode = 1;
      }
    });
}
