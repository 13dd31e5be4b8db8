import { Command } from '@commander-js/extra-typings';
import { deleteTable } from '../../core/control/deleteTable.js';
import { describeTable } from '../../core/control/describeTable.js';
import { formatItemCount, itemCountOf } from '../../core/data/itemCount.js';
import { DdbError } from '../../core/errors.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { render } from '../output/render.js';
import { confirm, promptTarget } from '../prompt.js';
import { tableArg, timeoutOption } from './_options.js';

export default function deleteTableCommand(cli: Cli) {
  return new Command('delete-table')
    .description(
      'Delete a table and every item in it, then wait until it is gone; the prompt says how many items, or that the count is approximate or unknown, and on AWS which account [API: DescribeTable, Scan (one item, for the prompt), STS GetCallerIdentity (the prompt on AWS), DeleteTable]',
    )
    .argument('<table>', 'table name', tableArg)
    .option(
      '-y, --yes',
      'delete without a prompt (required when not on a terminal; on AWS no GetCallerIdentity either)',
    )
    .option('--wait', 'wait until the table is gone (the default)')
    .option('--no-wait', 'return once DeleteTable is accepted')
    .addOption(timeoutOption())
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const r = await withClients(cli, g, async (clients, target) => {
        const desc = await describeTable(clients, table);
        if (desc.DeletionProtectionEnabled) {
          throw new DdbError('table.deletionProtected', {
            message: `table ${table} has deletion protection; lift it first with 'ddbctl update-table ${table} --no-deletion-protection'`,
          });
        }
        if (!opts.yes) {
          const items = await itemCountOf(clients, table, desc.ItemCount);
          const ok = await confirm(
            cli,
            `Delete table ${table} ${await promptTarget(clients, target)}, items: ${formatItemCount(items)}?`,
          );
          if (!ok)
            throw new DdbError('operation.aborted', { message: `not deleted: table ${table} is unchanged` });
        }
        notice(cli, g, `deleting table ${table}`);
        return deleteTable(clients, table, {
          wait: opts.wait ?? true,
          waitOptions: { timeoutSeconds: opts.timeout },
        });
      });
      render(cli, g, {
        kind: 'report',
        json: { table, deleted: true, gone: r.gone },
        people: [r.gone ? `deleted: ${table}` : `deleting: ${table} (not waited for)`],
      });
    });
}
