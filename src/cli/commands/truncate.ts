import { Command, Option } from '@commander-js/extra-typings';
import { describeTable } from '../../core/control/describeTable.js';
import { formatItemCount, itemCountOf } from '../../core/data/itemCount.js';
import { DdbError } from '../../core/errors.js';
import { type TruncateResult, truncateTable } from '../../core/transfer/truncate.js';
import { plural } from '../../core/util/plural.js';
import { commandLine } from '../commandLine.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { callsJson, callsParts, count, createProgress, inFlightWords, line } from '../output/progress.js';
import { render } from '../output/render.js';
import { confirm, promptTarget } from '../prompt.js';
import { positiveInt, segmentsArg, tableArg } from './_options.js';

export default function truncateCommand(cli: Cli) {
  return new Command('truncate')
    .description(
      'Delete every item of a table, keeping the table; the prompt names the target (on AWS the account) and the item count; ' +
        'Ctrl-C stops it saying how many were deleted (exit 130; run again to delete the rest) [API: Scan, BatchWriteItem]',
    )
    .argument('<table>', 'table name', tableArg)
    .option(
      '-y, --yes',
      'without a prompt (required when not on a terminal; on AWS no GetCallerIdentity either)',
    )
    .addOption(
      new Option('--segments <n>', 'parallel scan segments (1 to 1,000,000; 16 scanned at a time)')
        .default(4)
        .argParser(segmentsArg),
    )
    .addOption(
      new Option(
        '--concurrency <n>',
        'BatchWriteItem calls in flight, fixed (to an endpoint at most 128, its connections), still paced on throttling (default: adapts, from 16 up to 128, cut back and paced on throttling)',
      ).argParser(positiveInt('--concurrency')),
    )
    .action(async (table, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const progress = createProgress(cli, { quiet: g.quiet });
      const r = await withClients(
        cli,
        g,
        async (clients, target, signal) => {
          const d = await describeTable(clients, table);
          if (
            !opts.yes &&
            !(await confirm(
              cli,
              `Delete every item of ${table} ${await promptTarget(clients, target)}, items: ${formatItemCount(await itemCountOf(clients, table, d.ItemCount))}?`,
            ))
          ) {
            throw new DdbError('operation.aborted', { message: `not truncated: ${table} is unchanged` });
          }
          return truncateTable(clients, table, {
            segments: opts.segments,
            ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
            signal,
            clock: cli.clock,
            onProgress: (n, calls) =>
              progress.update(`truncate ${table}`, [`${count(n)} deleted`, ...callsParts(calls)]),
          });
        },
        { interruptible: true },
      )
        .finally(() => progress.done())
        .catch((e: unknown) => {
          // A run that stopped (the table deleted, the endpoint gone) still ends with its report;
          // the error after it says why and how to go on.
          const d = e instanceof DdbError ? e.details : undefined;
          if (d && typeof d.deleted === 'number') report(d as unknown as TruncateResult);
          throw e;
        });
      /** The report: a line for people on stdout, or one document for scripts (-o json). */
      function report(r: TruncateResult) {
        render(cli, g, {
          kind: 'report',
          json: { ...r, concurrency: callsJson(r.concurrency) },
          people: r.interrupted
            ? []
            : [
                `deleted ${plural(r.deleted, 'item')} from ${table} (${r.seconds.toFixed(1)} s, ${line('', callsParts(r.concurrency, true))})`,
              ],
        });
      }
      report(r);
      if (r.interrupted) {
        // One report of what is done and how to go on (also with --quiet); exit 130 as for any Ctrl-C.
        cli.io.stderr.write(
          `ddbctl: truncate ${table} interrupted: ${plural(r.deleted, 'item')} deleted (${inFlightWords(r.inFlight, 'deletes')}), the rest is left; the same command again deletes what is left: ${commandLine(cmd)}\n`,
        );
        cli.exitCode = 130;
        return;
      }
      if (r.failed) {
        // The report says how many; this says why, and the one way on.
        throw new DdbError('batch.incomplete', {
          message: `truncate ${table}: ${plural(r.failed, 'item')} not deleted after the retries (${r.failedReason}), ${count(r.deleted)} deleted; the same command again deletes what is left: ${commandLine(cmd)}`,
        });
      }
    });
}
