import { Command, Option } from '@commander-js/extra-typings';
import { getKeySchema, keyNames } from '../../core/data/keySchema.js';
import { countItems, type ScanOptions, scanPages } from '../../core/data/read.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { countResult } from '../output/result.js';
import { parseNames, parseValues } from './_input.js';
import {
  ddbJsonOption,
  indexOption,
  limitOption,
  namesOption,
  segmentsArg,
  tableArg,
  valuesOption,
} from './_options.js';

export default function scanCommand(cli: Cli) {
  return new Command('scan')
    .description(
      'Read every item of a table or index, streaming page by page (parallel with --segments) [API: Scan]\n' +
        'Example: scan Users --filter "status = \'active\' AND age >= 21" --project username,age -o ndjson',
    )
    .argument('<table>', 'table name', tableArg)
    .option('--filter <expr>', 'filter applied after reading (read units are still spent on every item)')
    .option('--project <paths>', 'only these attributes')
    .addOption(limitOption())
    .addOption(new Option('--count', 'print only the number of matching items').conflicts('project'))
    .addOption(
      new Option(
        '--segments <n>',
        'parallel scan with N segments (1 to 1,000,000; 16 scanned at a time)',
      ).argParser(segmentsArg),
    )
    .addOption(indexOption('scan'))
    .option('--consistent', 'strongly consistent reads')
    .addOption(namesOption())
    .addOption(valuesOption())
    .addOption(ddbJsonOption())
    .addOption(new Option('--page-size <n>', 'items per request').argParser(Number).hideHelp())
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const names = parseNames(opts.names);
      const values = parseValues(opts.values, !!opts.ddbJson);
      const s: ScanOptions = {
        ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
        ...(opts.project !== undefined ? { project: opts.project } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        ...(opts.segments ? { segments: opts.segments } : {}),
        ...(opts.index ? { index: opts.index } : {}),
        ...(opts.consistent ? { consistent: true } : {}),
        ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
        ...(names ? { names } : {}),
        ...(values ? { values } : {}),
      };
      await withClients(cli, g, async (clients) => {
        if (opts.count) {
          const c = await countItems(clients, table, s);
          render(cli, g, countResult(c));
          return;
        }
        const schema = await getKeySchema(clients, table);
        const keys = keyNames(schema);
        await render(cli, g, { kind: 'items', pages: scanPages(clients, table, s), keyNames: keys });
      });
    });
}
