import { Command, Option } from '@commander-js/extra-typings';
import { formatIndexStates, waitForIndexes } from '../../core/control/waitForIndexes.js';
import { waitForTable } from '../../core/control/waitForTable.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { render } from '../output/render.js';
import { tableArg, timeoutOption } from './_options.js';

export default function waitCommand(cli: Cli) {
  return new Command('wait')
    .description(
      'Wait until a table is ACTIVE, deleted, or until every GSI is ACTIVE and done backfilling [API: DescribeTable, with the SDK waiters for active/deleted]',
    )
    .argument('<table>', 'table name', tableArg)
    .addOption(
      new Option(
        '--for <state>',
        'active: TableStatus ACTIVE; deleted: the table is gone; indexes: the table and every GSI ACTIVE, no backfill running',
      )
        .choices(['active', 'deleted', 'indexes'] as const)
        .default('active' as const),
    )
    .addOption(timeoutOption())
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const goal =
        opts.for === 'active'
          ? 'ACTIVE'
          : opts.for === 'deleted'
            ? 'deleted'
            : 'ready (every GSI ACTIVE, no backfill)';
      const r = await withClients(cli, g, async (clients) => {
        notice(cli, g, `waiting for ${table} to be ${goal} (timeout ${opts.timeout} s)`);
        if (opts.for !== 'indexes') {
          const w = await waitForTable(clients, table, {
            for: opts.for,
            timeoutSeconds: opts.timeout,
            clock: cli.clock,
          });
          return {
            status: opts.for === 'active' ? (w.table?.TableStatus ?? 'ACTIVE') : 'DELETED',
            seconds: w.seconds,
            indexes: undefined,
          };
        }
        let last = '';
        const w = await waitForIndexes(clients, table, {
          timeoutSeconds: opts.timeout,
          clock: cli.clock,
          onProgress: (p) => {
            const text = `table ${p.tableStatus}; ${formatIndexStates(p.indexes)}`;
            if (text !== last) notice(cli, g, `${table}: ${text} (${p.seconds.toFixed(0)} s)`);
            last = text;
          },
        });
        const indexes = (w.table.GlobalSecondaryIndexes ?? []).map((i) => ({
          name: i.IndexName,
          status: i.IndexStatus,
          backfilling: i.Backfilling === true,
        }));
        return { status: w.table.TableStatus ?? 'ACTIVE', seconds: w.seconds, indexes };
      });
      const idx = r.indexes
        ? `, ${r.indexes.length ? r.indexes.map((i) => `${i.name} ${i.status}`).join(', ') : 'no GSIs'}`
        : '';
      render(cli, g, {
        kind: 'report',
        json: { table, status: r.status, seconds: r.seconds, ...(r.indexes ? { indexes: r.indexes } : {}) },
        people: [`${table}: ${r.status}${idx} (${r.seconds.toFixed(1)} s)`],
      });
    });
}
