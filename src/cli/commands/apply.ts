import { Command, Option } from '@commander-js/extra-typings';
import { DdbError } from '../../core/errors.js';
import {
  type ApplyResult,
  applyPlan,
  isNoop,
  prepareSpecs,
  replacementSteps,
  unmatchedError,
} from '../../core/spec/apply.js';
import { readSpecFile } from '../../core/spec/tableSpec.js';
import { onTarget } from '../../core/target.js';
import { count, plural } from '../../core/util/plural.js';
import { type Cli, type GlobalOptions, warn, withClients } from '../context.js';
import { render } from '../output/render.js';
import { confirm, promptTarget } from '../prompt.js';
import { positiveInt } from './_options.js';
import { applyProgress, capsKind, planLines } from './_tables.js';

function resultJson(r: ApplyResult) {
  return {
    table: r.table,
    applied: r.applied.map((s) => s.description),
    unsupported: r.unsupported.map((s) => ({ description: s.description, reason: s.reason ?? null })),
    ...(r.replacement ? { replacement: r.replacement } : {}),
    ...(r.resumed ? { resumed: r.resumed } : {}),
    ...(r.tagsReapplied ? { tagsReapplied: r.tagsReapplied } : {}),
  };
}

export default function applyCommand(cli: Cli) {
  return new Command('apply')
    .description(
      'Make the live tables match a spec file: print the plan, ask (or --yes), then carry it out step by step, waiting between steps and for each new GSI to finish backfilling [API: DescribeTable, UpdateTable, CreateTable, UpdateTimeToLive, UpdateContinuousBackups, TagResource, UntagResource]',
    )
    .argument('<spec>', 'spec file: YAML or JSON; ddbctl format, CreateTable input or describe-table output')
    .option(
      '-y, --yes',
      'apply without a prompt (required when not on a terminal); the prompt of a plan that deletes or replaces names the AWS account',
    )
    .option(
      '--allow-replace',
      'allow REPLACEMENT steps: a key schema or LSI change (done as copy-and-swap, keeping every item) or a GSI rebuilt',
    )
    .addOption(
      new Option('--timeout <seconds>', 'give up waiting for any one step after this many seconds')
        .default(600)
        .argParser(positiveInt('--timeout')),
    )
    .addHelpText(
      'after',
      '\nThe plan is the one `ddbctl plan` prints. Order: GSIs deleted (one per UpdateTable), table class,\n' +
        'billing / throughput / stream / deletion protection, GSIs created (one at a time, each waited for\n' +
        'until its backfill ends), then TTL, PITR and tags. Steps the endpoint cannot do are listed as\n' +
        '[cannot run here] and never attempted; the rest is applied, then apply exits 1 saying the tables\n' +
        'do not match the spec (-o json: the result, with those steps under "unsupported", then exit 1).\n' +
        'Fields a spec leaves out are left as they are. With -o json|ndjson the plan goes to stderr, as\n' +
        'the content of the prompt; with -q and --yes (no prompt) it is left out.\n' +
        'A replacement copies every item to <table>-ddbctl-swap, counts them, deletes and re-creates the\n' +
        'table, copies the items back and counts again; if it stops midway the error says where the items\n' +
        'are, and running the same apply again finishes it. Stop writers to the table first.',
    )
    .action(async (file, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const specs = await readSpecFile(file, (m) => warn(cli, m));
      const run = await withClients(
        cli,
        g,
        async (clients, target, signal) => {
          const plans = await prepareSpecs(clients, specs, { kind: capsKind(target) });
          // For scripts the plan goes to stderr: stdout carries the result. It is what the prompt
          // asks about, so it is shown whenever there is a prompt; with -q and --yes, not.
          render(cli, g, {
            kind: 'steps',
            lines: plans.flatMap(planLines),
            scripts: g.quiet && opts.yes ? 'none' : 'stderr',
          });
          const todo = plans.filter((p) => !isNoop(p));
          const unmatched = unmatchedError(plans, true);
          if (todo.length === 0) {
            // Nothing that can run: "no changes" only when nothing is left undone either; the
            // result (with what could not run) is printed, then the error (exit 1).
            if (!unmatched) render(cli, g, { kind: 'steps', lines: ['no changes'], scripts: 'none' });
            return {
              out: plans.map(
                (p) => ({ table: p.plan.table, applied: [], unsupported: p.plan.unsupported }) as ApplyResult,
              ),
              unmatched,
            };
          }
          const replacing = todo.flatMap((p) =>
            replacementSteps(p.plan).map((s) => `${p.plan.table}: ${s.description.split(' — ')[0]}`),
          );
          if (replacing.length > 0 && !opts.allowReplace) {
            // NOTE: a table replaced keeps its items by copy-and-swap; a GSI rebuilt is unqueryable while it backfills.
            const how = [
              todo.some((p) => p.plan.replacement) && 'a table replaced keeps its items by copy-and-swap',
              todo.some((p) => replacementSteps(p.plan).some((s) => s.kind === 'deleteGsi')) &&
                'a GSI rebuilt cannot be queried until its backfill ends',
            ].filter(Boolean);
            throw new DdbError('spec.replacementRefused', {
              message: `the plan replaces ${replacing.join('; ')}; nothing was changed; pass --allow-replace to do it (${how.join('; ')}), or change the spec`,
            });
          }
          const steps = todo.reduce((n, p) => n + p.plan.steps.length + (p.resumeFrom ? 1 : 0), 0);
          if (!opts.yes) {
            // Only a plan that deletes (a GSI) or replaces asks which account: the others add or change.
            const destructive = todo.some((p) =>
              p.plan.steps.some(
                (s) => s.kind === 'deleteGsi' || s.kind === 'replace' || s.label === 'REPLACEMENT',
              ),
            );
            const where = destructive ? await promptTarget(clients, target) : onTarget(target);
            const ok = await confirm(
              cli,
              `Apply ${plural(steps, 'step')} to ${plural(todo.length, 'table')} ${where}?`,
            );
            if (!ok) throw new DdbError('operation.aborted', { message: 'not applied: nothing was changed' });
          }
          const onEvent = applyProgress(cli, g);
          const out: ApplyResult[] = [];
          for (const p of plans) {
            if (isNoop(p)) {
              out.push({ table: p.plan.table, applied: [], unsupported: p.plan.unsupported });
              continue;
            }
            out.push(
              await applyPlan(clients, p, {
                allowReplace: !!opts.allowReplace,
                timeoutSeconds: opts.timeout,
                onEvent,
                clock: cli.clock,
                signal,
              }),
            );
          }
          return { out, unmatched };
        },
        // Ctrl-C: the error says what was applied and what goes on at the endpoint (exit 130).
        { interruptible: true },
      );
      const results = run.out;
      const tables = results.map(resultJson);
      render(cli, g, { kind: 'report', json: { tables }, lines: tables, people: appliedLines(results) });
      if (run.unmatched) throw run.unmatched;
    });
}

/** What apply did, for people: a line per table changed. */
function appliedLines(results: ApplyResult[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.applied.length === 0 && !r.resumed) continue;
    const parts = [`applied ${plural(r.applied.length, 'step')}`];
    if (r.replacement) {
      parts.push(
        `replaced by copy-and-swap: ${plural(r.replacement.itemsBefore, 'item')} before, ${count(r.replacement.itemsAfter)} after`,
      );
    }
    if (r.resumed) parts.push(`${plural(r.resumed.items, 'item')} copied back from ${r.resumed.swapTable}`);
    lines.push(`${r.table}: ${parts.join('; ')}`);
  }
  return lines;
}
