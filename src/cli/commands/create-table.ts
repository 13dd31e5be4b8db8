import { Command, Option } from '@commander-js/extra-typings';
import { createTable, type KeyDef, LAB_DEFAULTS } from '../../core/control/createTable.js';
import { ensureTags } from '../../core/control/tags.js';
import { waitForTable } from '../../core/control/waitForTable.js';
import { DdbError } from '../../core/errors.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { printJson, writeLine } from '../output/render.js';
import { positiveInt, timeoutOption } from './_options.js';

function keyDef(flag: string) {
  return (v: string): KeyDef => {
    const m = /^([^:]+):(S|N|B)$/.exec(v);
    if (!m) {
      throw new DdbError('usage.invalid', {
        message: `${flag} ${JSON.stringify(v)}: expected NAME:TYPE with TYPE S, N or B (for example ${flag} username:S)`,
      });
    }
    return { name: m[1]!, type: m[2] as KeyDef['type'] };
  };
}

function tag(v: string, prev: Record<string, string> = {}): Record<string, string> {
  const i = v.indexOf('=');
  if (i < 1)
    throw new DdbError('usage.invalid', { message: `--tag ${JSON.stringify(v)}: expected KEY=VALUE` });
  return { ...prev, [v.slice(0, i)]: v.slice(i + 1) };
}

export default function createTableCommand(cli: Cli) {
  return new Command('create-table')
    .description(
      'Create a table and wait until it is ACTIVE; an existing table is reported, not an error [API: CreateTable]',
    )
    .argument('<table>', 'table name')
    .addOption(
      new Option('--pk <name:type>', 'partition key')
        .default(LAB_DEFAULTS.partitionKey)
        .argParser(keyDef('--pk')),
    )
    .addOption(new Option('--sk <name:type>', 'sort key').argParser(keyDef('--sk')))
    .addOption(
      new Option('--billing <mode>', 'billing mode')
        .choices(['provisioned', 'on-demand'] as const)
        .default('provisioned' as const),
    )
    .addOption(
      new Option('--rcu <n>', 'read capacity units (provisioned)').default(5).argParser(positiveInt('--rcu')),
    )
    .addOption(
      new Option('--wcu <n>', 'write capacity units (provisioned)')
        .default(5)
        .argParser(positiveInt('--wcu')),
    )
    .option('--tag <key=value>', 'a tag (repeatable)', tag, {} as Record<string, string>)
    .option('--no-wait', 'return without waiting for ACTIVE')
    .addOption(timeoutOption())
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const result = await withClients(cli, g, async (clients) => {
        const created = await createTable(clients, {
          tableName: table,
          partitionKey: opts.pk,
          ...(opts.sk ? { sortKey: opts.sk } : {}),
          throughput: opts.billing === 'on-demand' ? 'on-demand' : { read: opts.rcu, write: opts.wcu },
          tags: opts.tag,
        });
        notice(
          cli,
          g,
          created.outcome === 'created'
            ? `creating table ${table}`
            : `table ${table} already exists (${created.table.TableStatus})`,
        );
        if (!opts.wait) return { ...created, table: created.table, tags: undefined };
        const w = await waitForTable(clients, table, { for: 'active', timeoutSeconds: opts.timeout });
        const desc = w.table ?? created.table;
        const tags =
          created.outcome === 'created' && Object.keys(opts.tag).length && desc.TableArn
            ? await ensureTags(clients, desc.TableArn, opts.tag)
            : undefined;
        if (tags && !tags.supported) notice(cli, g, `tags not applied: ${tags.reason}`);
        return { ...created, table: desc, tags };
      });
      if (g.output === 'json') {
        printJson(cli.io, { outcome: result.outcome, table: result.table, tags: result.tags ?? null });
      } else {
        writeLine(
          cli.io,
          `${result.outcome === 'created' ? 'created' : 'exists'}: ${table} (${result.table.TableStatus ?? 'CREATING'})`,
        );
      }
    });
}
