import { Command, Option } from '@commander-js/extra-typings';
import { findTable } from '../../core/control/describeTable.js';
import { DdbError } from '../../core/errors.js';
import { applyPlan, replacementSteps } from '../../core/spec/apply.js';
import {
  parseGsiFlag,
  parseIndexThroughputFlag,
  parseStreamFlag,
  parseTableClassFlag,
  parseTagFlag,
  parseUntagFlag,
} from '../../core/spec/flags.js';
import { formatPlan } from '../../core/spec/plan.js';
import { prepareUpdate, type TableChanges } from '../../core/spec/updateTable.js';
import { refuseContradictions } from '../commandLine.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { render } from '../output/render.js';
import { collect, positiveInt, tableArg } from './_options.js';
import { applyProgress, capsKind } from './_tables.js';

export default function updateTableCommand(cli: Cli) {
  return new Command('update-table')
    .description(
      'Change a table: each change a flag; several are ordered, sent one UpdateTable at a time and waited for [API: UpdateTable, UpdateTimeToLive, UpdateContinuousBackups, TagResource, UntagResource]',
    )
    .argument('<table>', 'table name', tableArg)
    .addOption(
      new Option('--billing <mode>', 'switch billing mode').choices(['provisioned', 'on-demand'] as const),
    )
    .addOption(new Option('--rcu <n>', 'read capacity units (provisioned)').argParser(positiveInt('--rcu')))
    .addOption(new Option('--wcu <n>', 'write capacity units (provisioned)').argParser(positiveInt('--wcu')))
    .option('--gsi-throughput <index:r/w>', "a GSI's capacity (repeatable), e.g. byEmail:10/5", collect)
    .option(
      '--add-gsi <spec>',
      'create a GSI (repeatable; waits for its backfill): NAME:PK:TYPE[:SK:TYPE][:all|keys-only|include=a,b][:R/W]',
      collect,
    )
    .option('--remove-gsi <name>', 'delete a GSI (repeatable)', collect)
    .option(
      '--allow-replace',
      'allow rebuilding a GSI that --add-gsi changes (its keys or projection): it is deleted, then created again, each waited for',
    )
    .option(
      '--stream <view>',
      'turn on the stream (or change its view): new-image, old-image, new-and-old-images, keys-only',
    )
    .option('--no-stream', 'turn the stream off')
    .option('--ttl <attribute>', 'turn on TTL on this attribute')
    .option('--no-ttl', 'turn TTL off')
    .option('--pitr', 'turn on point-in-time recovery')
    .option('--no-pitr', 'turn off point-in-time recovery')
    .option('--deletion-protection', 'turn on deletion protection')
    .option('--no-deletion-protection', 'turn off deletion protection')
    .option('--tag <key=value>', 'add or change a tag (repeatable)', collect)
    .option('--untag <key>', 'remove a tag (repeatable)', collect)
    .option('--table-class <class>', 'standard or standard-ia (STANDARD_INFREQUENT_ACCESS)')
    .option('--wait', 'wait until the last change is done (default on a terminal)')
    .option('--no-wait', 'return once the last change is accepted (earlier ones are always waited for)')
    .addOption(
      new Option('--timeout <seconds>', 'give up waiting for any one change after this many seconds')
        .default(600)
        .argParser(positiveInt('--timeout')),
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  ddbctl update-table users --rcu 10 --wcu 10\n' +
        '  ddbctl update-table users --billing on-demand\n' +
        '  ddbctl update-table users --add-gsi byEmail:email:S --remove-gsi byName\n' +
        '  ddbctl update-table users --add-gsi byEmail:email:S:keys-only --allow-replace   # rebuild byEmail\n' +
        '  ddbctl update-table users --ttl expiresAt --pitr --tag team=core --untag old\n' +
        '  ddbctl update-table users --no-deletion-protection\n' +
        'A change the endpoint cannot make is refused before anything is sent.',
    )
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      refuseContradictions(cmd, [
        ['--stream', '--no-stream'],
        ['--ttl', '--no-ttl'],
        ['--pitr', '--no-pitr'],
        ['--deletion-protection', '--no-deletion-protection'],
        ['--wait', '--no-wait'],
      ]);
      const changes: TableChanges = {};
      if (opts.billing) changes.billing = opts.billing === 'on-demand' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
      if (opts.rcu !== undefined) changes.read = opts.rcu;
      if (opts.wcu !== undefined) changes.write = opts.wcu;
      if (opts.gsiThroughput)
        changes.gsiThroughput = opts.gsiThroughput.map((t) => parseIndexThroughputFlag(t));
      if (opts.addGsi) changes.addGsis = opts.addGsi.map((s) => parseGsiFlag(s, '--add-gsi'));
      if (opts.removeGsi) changes.removeGsis = opts.removeGsi;
      if (opts.stream !== undefined)
        changes.stream = opts.stream === false ? null : parseStreamFlag(opts.stream);
      if (opts.ttl !== undefined) changes.ttl = opts.ttl === false ? null : opts.ttl;
      if (opts.pitr !== undefined) changes.pitr = opts.pitr;
      if (opts.deletionProtection !== undefined) changes.deletionProtection = opts.deletionProtection;
      if (opts.tableClass !== undefined) changes.tableClass = parseTableClassFlag(opts.tableClass);
      if (opts.tag) changes.tags = Object.fromEntries(opts.tag.map((t) => parseTagFlag(t)));
      if (opts.untag) changes.untag = opts.untag.map((k) => parseUntagFlag(k));
      const both = (opts.untag ?? []).filter((k) => changes.tags && Object.hasOwn(changes.tags, k));
      if (both.length > 0) {
        throw new DdbError('usage.invalid', {
          message: `--tag and --untag both name ${both.join(', ')}: pass one of them for each tag`,
        });
      }
      const wait = opts.wait ?? cli.io.isTTY;

      const r = await withClients(
        cli,
        g,
        async (clients, target, signal) => {
          const prepared = await prepareUpdate(clients, table, changes, { kind: capsKind(target) });
          const { plan } = prepared;
          if (plan.unsupported.length > 0) {
            throw new DdbError('engine.unsupported', {
              message: `${plan.unsupported.map((s) => s.reason ?? s.description).join('; ')}: nothing was changed; leave out ${plan.unsupported.length === 1 ? 'that change' : 'those changes'} or use another endpoint`,
            });
          }
          const rebuilt = replacementSteps(plan).filter((s) => s.kind === 'deleteGsi');
          if (rebuilt.length > 0 && !opts.allowReplace) {
            throw new DdbError('spec.replacementRefused', {
              message: `${rebuilt.map((s) => s.description).join('; ')}: queries on it fail until it is built again; nothing was changed; pass --allow-replace to rebuild it`,
            });
          }
          if (plan.steps.length === 0) {
            notice(cli, g, `no changes: table ${table} already has these settings`);
            return {
              applied: [] as string[],
              table: (await findTable(clients, table)) ?? { TableName: table },
            };
          }
          for (const line of formatPlan(plan)) notice(cli, g, `plan:${line}`);
          const result = await applyPlan(clients, prepared, {
            waitAfterLast: wait,
            allowReplace: !!opts.allowReplace,
            timeoutSeconds: opts.timeout,
            onEvent: applyProgress(cli, g),
            clock: cli.clock,
            signal,
            name: 'update-table',
          });
          const now = (await findTable(clients, table)) ?? { TableName: table };
          const building = (now.GlobalSecondaryIndexes ?? []).filter((i) => i.IndexStatus === 'CREATING');
          if (target.kind === 'embedded' && building.length > 0) {
            // NOTE: the embedded engine indexes existing items between requests, only while an engine
            // runs on the data dir: this command's ends with it.
            notice(
              cli,
              g,
              `${building.map((i) => i.IndexName).join(', ')} ${building.length === 1 ? 'is' : 'are'} being built: the embedded engine indexes the existing items only while an engine runs on this data dir ('ddbctl serve', or 'ddbctl wait ${table} --for indexes', which waits for the end)`,
            );
          }
          return { applied: result.applied.map((s) => s.description), table: now };
        },
        // Ctrl-C while waiting: the error says which change was accepted and goes on (exit 130).
        { interruptible: true },
      );
      render(cli, g, {
        kind: 'report',
        json: { table: r.table, applied: r.applied },
        raw: [r.table],
        people:
          r.applied.length === 0 ? [`unchanged: ${table}`] : r.applied.map((a) => `updated: ${table}: ${a}`),
      });
    });
}
