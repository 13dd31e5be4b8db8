import { Command } from '@commander-js/extra-typings';
import { describeTable } from '../../core/control/describeTable.js';
import { listTags } from '../../core/control/tags.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { printJson, printPairs } from '../output/render.js';

export default function describeTableCommand(cli: Cli) {
  return new Command('describe-table')
    .description(
      'Show a table: keys, billing, throughput, indexes, item count, tags [API: DescribeTable, ListTagsOfResource]',
    )
    .argument('<table>', 'table name')
    .action(async (table, _opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const { desc, tags } = await withClients(cli, g, async (clients) => {
        const desc = await describeTable(clients, table);
        const tags = desc.TableArn ? await listTags(clients, desc.TableArn) : undefined;
        return { desc, tags };
      });
      if (g.output === 'json') {
        printJson(cli.io, { Table: desc, Tags: tags ?? null });
        return;
      }
      const type = (n?: string) =>
        desc.AttributeDefinitions?.find((a) => a.AttributeName === n)?.AttributeType ?? '?';
      const key = (desc.KeySchema ?? []).map(
        (k) => `${k.AttributeName} ${type(k.AttributeName)} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`,
      );
      const tp = desc.ProvisionedThroughput;
      const billing = desc.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
      printPairs(cli.io, [
        ['table', desc.TableName],
        ['status', desc.TableStatus],
        ['key', key.join(', ')],
        ['billing', billing],
        [
          'throughput',
          billing === 'PAY_PER_REQUEST'
            ? 'on demand'
            : `${tp?.ReadCapacityUnits} read / ${tp?.WriteCapacityUnits} write`,
        ],
        ['items', desc.ItemCount],
        ['size (bytes)', desc.TableSizeBytes],
        [
          'GSIs',
          (desc.GlobalSecondaryIndexes ?? [])
            .map((i) => `${i.IndexName} (${i.IndexStatus}${i.Backfilling ? ', backfilling' : ''})`)
            .join(', ') || 'none',
        ],
        ['LSIs', (desc.LocalSecondaryIndexes ?? []).map((i) => i.IndexName).join(', ') || 'none'],
        ['stream', desc.StreamSpecification?.StreamEnabled ? desc.StreamSpecification.StreamViewType : 'off'],
        ['deletion protection', desc.DeletionProtectionEnabled ? 'on' : 'off'],
        [
          'tags',
          tags === undefined
            ? 'not supported by this endpoint'
            : Object.entries(tags)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ') || 'none',
        ],
        ['created', desc.CreationDateTime?.toISOString()],
        ['arn', desc.TableArn],
      ]);
    });
}
