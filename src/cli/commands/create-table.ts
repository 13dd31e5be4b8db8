import { Command, Option } from '@commander-js/extra-typings';
import { findTable } from '../../core/control/describeTable.js';
import { DdbError } from '../../core/errors.js';
import { applyPlan, existingTableDifferences, prepareTable } from '../../core/spec/apply.js';
import { refuseDeleting } from '../../core/spec/createTable.js';
import { type CreateTableFlags as FlagOptions, specFromFlags } from '../../core/spec/flags.js';
import type { PlanStep } from '../../core/spec/plan.js';
import { readSpecFile, type TableSpec } from '../../core/spec/tableSpec.js';
import { hintsOn } from '../commandLine.js';
import { type Cli, type GlobalOptions, notice, warn, withClients } from '../context.js';
import { render } from '../output/render.js';
import { collect, positiveInt, timeoutOption } from './_options.js';
import { applyProgress, capsKind } from './_tables.js';

/** The flags that describe the table (all of them conflict with --spec). */
const TABLE_FLAGS: [keyof FlagOptions, string][] = [
  ['pk', '--pk'],
  ['sk', '--sk'],
  ['billing', '--billing'],
  ['rcu', '--rcu'],
  ['wcu', '--wcu'],
  ['gsi', '--gsi'],
  ['lsi', '--lsi'],
  ['tag', '--tag'],
  ['ttl', '--ttl'],
  ['pitr', '--pitr'],
  ['stream', '--stream'],
  ['deletionProtection', '--deletion-protection'],
  ['tableClass', '--table-class'],
];

function given(opts: FlagOptions): string[] {
  return TABLE_FLAGS.filter(([k]) => {
    const v = opts[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  }).map(([, flag]) => flag);
}

async function specFromFile(
  file: string,
  table: string | undefined,
  g: GlobalOptions,
  onNote: (message: string) => void,
): Promise<TableSpec> {
  const specs = await readSpecFile(file, onNote);
  if (table !== undefined) {
    const found = specs.find((s) => s.name === table);
    if (!found) {
      throw new DdbError('usage.invalid', {
        message: `${file} has no table ${table} (it has ${specs.map((s) => s.name).join(', ')})`,
      });
    }
    return found;
  }
  const [only] = specs;
  if (specs.length !== 1 || !only) {
    throw new DdbError('usage.invalid', {
      message: hintsOn(
        `${file} has ${specs.length} tables (${specs.map((s) => s.name).join(', ')}): name the one to create, or use 'ddbctl apply ${file}'`,
        g,
      ),
    });
  }
  return only;
}

/**
 * The error for a table created without some of what was asked (settings this endpoint cannot
 * apply; they were never attempted), or undefined when nothing is missing. Exit 1, as apply's.
 */
function notAppliedError(
  table: string,
  unsupported: readonly PlanStep[],
  specFile: string | undefined,
): DdbError | undefined {
  if (unsupported.length === 0) return undefined;
  const n = unsupported.length;
  const what = unsupported.map((s) => `${s.description} (${s.reason ?? 'not supported by this endpoint'})`);
  return new DdbError('engine.unsupported', {
    message: `table ${table} was created without ${n === 1 ? 'a setting' : `${n} settings`} this endpoint cannot apply: ${what.join('; ')}; the rest was done. Take ${n === 1 ? 'it' : 'them'} out of ${specFile ?? 'the flags'}, or create the table on an endpoint that can`,
    details: { table, unsupported },
  });
}

export default function createTableCommand(cli: Cli) {
  return new Command('create-table')
    .description(
      'Create a table (from flags or a spec file), then turn on TTL / PITR as asked; an existing table is reported, not an error [API: CreateTable, DescribeTable, UpdateTimeToLive, UpdateContinuousBackups, TagResource]',
    )
    .argument('[table]', 'table name (with --spec: which table of the file, optional when it has one)')
    .option('--spec <file>', 'take the table from a spec file (the format of apply) instead of the flags')
    .option('--pk <name:type>', 'partition key, type S, N or B (default username:S)')
    .option('--sk <name:type>', 'sort key, e.g. createdAt:N')
    .addOption(
      new Option(
        '--billing <mode>',
        'billing mode (default on-demand, as a spec without billing; --rcu/--wcu imply provisioned)',
      ).choices(['provisioned', 'on-demand'] as const),
    )
    .addOption(
      new Option('--rcu <n>', 'read capacity units (provisioned: give --wcu too)').argParser(
        positiveInt('--rcu'),
      ),
    )
    .addOption(
      new Option('--wcu <n>', 'write capacity units (provisioned: give --rcu too)').argParser(
        positiveInt('--wcu'),
      ),
    )
    .option(
      '--gsi <spec>',
      'a global secondary index (repeatable): NAME:PK:TYPE[:SK:TYPE][:all|keys-only|include=a,b][:R/W]',
      collect,
    )
    .option(
      '--lsi <spec>',
      'a local secondary index (repeatable; needs --sk): NAME:SK:TYPE[:all|keys-only|include=a,b]',
      collect,
    )
    .option('--tag <key=value>', 'a tag (repeatable)', collect)
    .option('--ttl <attribute>', 'turn on TTL: items expire at the epoch seconds in this attribute')
    .option('--pitr', 'turn on point-in-time recovery')
    .option('--stream <view>', 'turn on a stream: new-image, old-image, new-and-old-images or keys-only')
    .option('--deletion-protection', 'turn on deletion protection')
    .option('--table-class <class>', 'standard or standard-ia (STANDARD_INFREQUENT_ACCESS)')
    .option('--wait', 'wait until the table and its indexes are ACTIVE (default on a terminal)')
    .option('--no-wait', 'return once CreateTable is accepted (default when not on a terminal)')
    .addOption(timeoutOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  ddbctl create-table users --pk username:S --billing on-demand\n' +
        '  ddbctl create-table events --pk id:S --sk at:N --rcu 10 --wcu 5 \\\n' +
        '      --gsi byType:type:S:at:N:keys-only:5/5 --gsi byUser:user:S:include=title,body \\\n' +
        '      --lsi byScore:score:N --ttl expiresAt --stream new-and-old-images --tag env=dev\n' +
        '  ddbctl create-table --spec tables.yaml users\n' +
        '\nA GSI is NAME:PK:TYPE, then optionally SK:TYPE, the projection (all, the default; keys-only;\n' +
        "include=attr,attr) and its own READ/WRITE capacity (provisioned tables; default the table's).\n" +
        'What the endpoint cannot do (for example tags on DynamoDB Local) is left out of the table, then\n' +
        'create-table exits 1 naming each such setting (-o json: after the result). An existing table\n' +
        'that differs from what was asked is left as it is, with a warning (shown with -q too).',
    )
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const flags = given(opts as FlagOptions);
      let spec: TableSpec;
      if (opts.spec !== undefined) {
        if (flags.length > 0) {
          throw new DdbError('usage.invalid', {
            message: `--spec gives the whole table: remove ${flags.join(', ')} (or put them in ${opts.spec})`,
          });
        }
        spec = await specFromFile(opts.spec, table, g, (m) => warn(cli, m));
      } else {
        if (table === undefined) {
          throw new DdbError('usage.invalid', {
            message: "missing the table name: 'ddbctl create-table NAME --pk id:S'",
          });
        }
        spec = specFromFlags(table, opts as FlagOptions);
      }
      const wait = opts.wait ?? cli.io.isTTY;
      const result = await withClients(cli, g, async (clients, target) => {
        const prepared = await prepareTable(clients, spec, { kind: capsKind(target) });
        if (prepared.live) {
          // Another key schema throws; other differences are reported, not made.
          const differences = existingTableDifferences(prepared);
          const desc = (await findTable(clients, spec.name)) ?? { TableName: spec.name };
          refuseDeleting(desc);
          const fix = opts.spec
            ? `'ddbctl apply ${opts.spec}'`
            : `'ddbctl update-table ${spec.name}' or 'ddbctl apply'`;
          if (differences.length === 0) {
            notice(cli, g, `table ${spec.name} already exists (${desc.TableStatus}) as asked`);
          } else {
            // What was asked and not done is a warning, shown with -q too. The suggested commands
            // carry this run's target flags.
            warn(
              cli,
              hintsOn(
                `table ${spec.name} already exists (${desc.TableStatus}) and differs from what was asked; not changed: ${differences.join('; ')}; to change it use ${fix}`,
                g,
              ),
            );
          }
          return {
            outcome: 'exists' as const,
            table: desc,
            notApplied: [] as string[],
            differences,
            unapplied: undefined,
          };
        }
        const notApplied = prepared.plan.unsupported.map(
          (s) => `${s.description}: ${s.reason ?? 'not supported by this endpoint'}`,
        );
        await applyPlan(clients, prepared, {
          waitAfterLast: wait,
          timeoutSeconds: opts.timeout,
          onEvent: applyProgress(cli, g),
          clock: cli.clock,
        });
        const desc = (await findTable(clients, spec.name)) ?? { TableName: spec.name };
        return {
          outcome: 'created' as const,
          table: desc,
          notApplied,
          differences: [] as string[],
          unapplied: notAppliedError(spec.name, prepared.plan.unsupported, opts.spec),
        };
      });
      const { unapplied, ...doc } = result;
      render(cli, g, {
        kind: 'report',
        json: doc,
        raw: [result.table],
        people: [`${result.outcome}: ${spec.name} (${result.table.TableStatus ?? 'CREATING'})`],
      });
      // As apply: the result first (the table was created), then the error naming what is missing.
      if (unapplied) throw unapplied;
    });
}
