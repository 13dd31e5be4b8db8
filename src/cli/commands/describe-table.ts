import type {
  AttributeDefinition,
  KeySchemaElement,
  Projection,
  ProvisionedThroughputDescription,
} from '@aws-sdk/client-dynamodb';
import { Command } from '@commander-js/extra-typings';
import {
  formatItemCount,
  formatTableSize,
  type ItemCount,
  itemCountOf,
  tableSizeOf,
} from '../../core/data/itemCount.js';
import { DdbError } from '../../core/errors.js';
import { validateTableName } from '../../core/names.js';
import { readTableState } from '../../core/spec/tableState.js';
import { hintsOn } from '../commandLine.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { pairsBlock } from '../output/result.js';
import { tableArg } from './_options.js';

const UNSUPPORTED = 'not supported by this endpoint';

function keys(schema: KeySchemaElement[] | undefined, defs: AttributeDefinition[] | undefined): string {
  const type = (n?: string) => defs?.find((a) => a.AttributeName === n)?.AttributeType ?? '?';
  return (schema ?? [])
    .map(
      (k) => `${k.AttributeName} ${type(k.AttributeName)} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`,
    )
    .join(', ');
}

function projection(p: Projection | undefined): string {
  if (!p?.ProjectionType) return '?';
  return p.ProjectionType === 'INCLUDE'
    ? `INCLUDE ${(p.NonKeyAttributes ?? []).join(', ')}`
    : p.ProjectionType;
}

function capacity(t: ProvisionedThroughputDescription | undefined): string | undefined {
  if (!t?.ReadCapacityUnits && !t?.WriteCapacityUnits) return undefined;
  return `${t.ReadCapacityUnits} read / ${t.WriteCapacityUnits} write`;
}

export default function describeTableCommand(cli: Cli) {
  return new Command('describe-table')
    .description(
      'Show a table: keys, billing and throughput, indexes with status and backfill, items, TTL, PITR, stream, tags, deletion protection [API: DescribeTable, ListTagsOfResource, DescribeTimeToLive, DescribeContinuousBackups, Scan (one item)]',
    )
    .argument('<table>', 'table name', tableArg)
    .addHelpText(
      'after',
      '\n-o json prints the full DescribeTable answer with the tags, TTL and backups descriptions;\n-o raw the Table of DescribeTable as DynamoDB answers it.\n' +
        'Items: DynamoDB refreshes its count about every six hours and the embedded engine reports 0, so a\n' +
        "count above 0 is shown as 'about N', and a 0 is checked with a one-item Scan: 'empty', or 'unknown'\n" +
        'when the table holds items (-o json: ItemCount {reported, status, known}). The size in bytes is\n' +
        'judged the same way (-o json: ItemCount.size {reported, status, known}).',
    )
    .action(async (table, _opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      validateTableName(table);
      const read = await withClients(cli, g, async (clients) => {
        const state = await readTableState(clients, table);
        if (!state) return undefined;
        const d = state.table;
        const items = await itemCountOf(clients, table, d.ItemCount);
        // NOTE: an index that is not ACTIVE cannot be scanned; its count is left out.
        const indexItems = new Map<string, ItemCount>();
        for (const i of d.GlobalSecondaryIndexes ?? []) {
          if (i.IndexName && i.IndexStatus === 'ACTIVE') {
            const empty = items.status === 'empty' && !i.ItemCount;
            indexItems.set(
              i.IndexName,
              empty
                ? { reported: i.ItemCount, status: 'empty', known: true }
                : await itemCountOf(clients, table, i.ItemCount, i.IndexName),
            );
          }
        }
        return { state, items, indexItems };
      });
      if (!read) {
        throw new DdbError('table.notFound', {
          message: hintsOn(
            `DescribeTable: table ${table} does not exist; list tables with 'ddbctl list-tables'`,
            g,
          ),
        });
      }
      const { state, items, indexItems } = read;
      const desc = state.table;
      const size = tableSizeOf(items, desc.TableSizeBytes);
      const billing =
        desc.BillingModeSummary?.BillingMode ??
        (capacity(desc.ProvisionedThroughput) ? 'PROVISIONED' : 'PAY_PER_REQUEST');
      const onDemand = billing === 'PAY_PER_REQUEST';
      const gsis = (desc.GlobalSecondaryIndexes ?? []).map((i) => {
        const parts = [
          keys(i.KeySchema, desc.AttributeDefinitions),
          `projection ${projection(i.Projection)}`,
          `${i.IndexStatus ?? '?'}${i.Backfilling ? ' (backfilling)' : ''}`,
        ];
        const tp = onDemand ? undefined : capacity(i.ProvisionedThroughput);
        if (tp) parts.push(tp);
        const n = i.IndexName ? indexItems.get(i.IndexName) : undefined;
        if (n) parts.push(`items ${formatItemCount(n, 'index')}`);
        return `${i.IndexName}: ${parts.join('; ')}`;
      });
      const lsis = (desc.LocalSecondaryIndexes ?? []).map(
        (i) =>
          `${i.IndexName}: ${keys(i.KeySchema, desc.AttributeDefinitions)}; projection ${projection(i.Projection)}`,
      );
      const ttl = state.timeToLive;
      const ttlText = !ttl
        ? UNSUPPORTED
        : ttl.TimeToLiveStatus === 'DISABLED' || !ttl.TimeToLiveStatus
          ? 'off'
          : `${ttl.TimeToLiveStatus === 'ENABLED' ? 'on' : ttl.TimeToLiveStatus.toLowerCase()} (attribute ${ttl.AttributeName})`;
      const pitr = state.continuousBackups?.PointInTimeRecoveryDescription;
      const pitrText = !state.continuousBackups
        ? UNSUPPORTED
        : pitr?.PointInTimeRecoveryStatus === 'ENABLED'
          ? `on${pitr.EarliestRestorableDateTime ? ` (restorable from ${pitr.EarliestRestorableDateTime.toISOString()})` : ''}`
          : 'off';
      const stream = desc.StreamSpecification?.StreamEnabled
        ? `${desc.StreamSpecification.StreamViewType}${desc.LatestStreamArn ? ` (${desc.LatestStreamArn})` : ''}`
        : 'off';
      const pairs: [string, string | number | undefined][] = [
        ['table', desc.TableName],
        ['status', desc.TableStatus],
        ['key', keys(desc.KeySchema, desc.AttributeDefinitions)],
        ['billing', onDemand ? 'on-demand (PAY_PER_REQUEST)' : 'provisioned'],
        ['throughput', onDemand ? 'on demand' : capacity(desc.ProvisionedThroughput)],
        ['items', formatItemCount(items)],
        ['size (bytes)', formatTableSize(size)],
        ['GSIs', gsis.join('\n') || 'none'],
        ['LSIs', lsis.join('\n') || 'none'],
        ['TTL', ttlText],
        ['point-in-time recovery', pitrText],
        ['stream', stream],
        ['deletion protection', desc.DeletionProtectionEnabled ? 'on' : 'off'],
        ['table class', desc.TableClassSummary?.TableClass ?? 'STANDARD'],
        [
          'tags',
          state.tags === undefined
            ? UNSUPPORTED
            : Object.entries(state.tags)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ') || 'none',
        ],
        ['created', desc.CreationDateTime?.toISOString()],
        ['arn', desc.TableArn],
      ];
      render(cli, g, {
        kind: 'report',
        json: {
          Table: desc,
          // Table.ItemCount as reported, and whether it can be relied on (see itemCount.ts).
          // NOTE: the size's verdict rides in ItemCount: this document is also a spec (apply, plan),
          // whose reader knows these top-level fields only.
          ItemCount: { ...items, size },
          Tags: state.tags ?? null,
          TimeToLiveDescription: state.timeToLive ?? null,
          ContinuousBackupsDescription: state.continuousBackups ?? null,
        },
        raw: [desc],
        people: [pairsBlock(pairs)],
      });
    });
}
