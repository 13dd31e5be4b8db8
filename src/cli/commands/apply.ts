import { readFile } from 'node:fs/promises';
import { Command, Option } from '@commander-js/extra-typings';
import { formatItemCount } from '../../core/control/itemCount.js';
import { formatIndexStates } from '../../core/control/waitForIndexes.js';
import { DdbError } from '../../core/errors.js';
import {
  type ApplyEvent,
  type ApplyResult,
  applyPlan,
  isNoop,
  type PreparedPlan,
  prepareSpecs,
  replacementSteps,
  unmatchedError,
} from '../../core/spec/apply.js';
import type { DetectCapsOptions } from '../../core/spec/caps.js';
import { formatPlan, type PlanStep } from '../../core/spec/plan.js';
import { parseSpecFile, type TableSpec } from '../../core/spec/tableSpec.js';
import { onTarget, type Target } from '../../core/target.js';
import { plural } from '../../core/util/plural.js';
import { type Cli, type GlobalOptions, notice, warn, withClients } from '../context.js';
import { forPeople, printOutput, writeLine } from '../output/render.js';
import { confirm } from '../prompt.js';
import { positiveInt } from './_options.js';

// Helpers shared by the table commands (create-table, update-table, plan, apply).

/**
 * Read and check a spec file: one line naming the file and field on any problem. `onNote` hears
 * what was read but ignored (the placeholders of an AWS CLI skeleton), for stderr.
 */
export async function readSpecFile(file: string, onNote?: (message: string) => void): Promise<TableSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DdbError('input.file', {
      message: `cannot read spec file ${file}${code ? ` (${code})` : ''}: check the path`,
      cause: e,
    });
  }
  return parseSpecFile(text, file, onNote ? { onNote } : {});
}

/** What the target says about the engine, so that capabilities need no probe when known. */
export function capsKind(target: Target): DetectCapsOptions['kind'] {
  return target.kind;
}

/** Progress of an apply on stderr: each step, waits (when their state changes), copies, notes. */
export function applyProgress(cli: Cli, g: GlobalOptions): (e: ApplyEvent) => void {
  let lastWait = '';
  let lastCopy = 0;
  return (e) => {
    switch (e.type) {
      case 'step':
        lastWait = '';
        notice(cli, g, `${e.table}: [${e.index}/${e.total}] ${e.step.description}`);
        return;
      case 'stepDone':
        notice(cli, g, `${e.table}: [${e.index}/${e.total}] done (${e.seconds.toFixed(1)} s)`);
        return;
      case 'wait': {
        const p = e.progress;
        const ready =
          p.tableStatus === 'ACTIVE' && p.indexes.every((i) => i.status === 'ACTIVE' && !i.backfilling);
        if (ready && lastWait === '') return; // nothing to wait for: say nothing
        const text = `${p.table}: waiting: table ${p.tableStatus}; ${formatIndexStates(p.indexes)}`;
        if (text !== lastWait) notice(cli, g, `${text} (${p.seconds.toFixed(0)} s)`);
        lastWait = text;
        return;
      }
      case 'copy':
        // One line per 1000 items written, not per page.
        if (e.written - lastCopy >= 1000 || e.written < lastCopy) {
          notice(cli, g, `copying ${e.from} → ${e.to}: ${plural(e.written, 'item')} written`);
          lastCopy = e.written;
        }
        return;
      case 'note':
        notice(cli, g, `${e.table}: ${e.message}`);
        return;
    }
  };
}

/** A step for scripts: its kind, label, what it does and the SDK input it sends. */
function stepJson(s: PlanStep) {
  return {
    kind: s.kind,
    label: s.label,
    description: s.description,
    ...(s.limitNote ? { limitNote: s.limitNote } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    input: s.input,
  };
}

/**
 * A plan for scripts. `replacement`: some step is labelled REPLACEMENT (the table or a GSI is
 * deleted and built again: apply needs --allow-replace), as the text says; `tableReplaced`: the
 * table itself (copy-and-swap).
 */
export function planJson(p: PreparedPlan) {
  return {
    table: p.plan.table,
    exists: p.live !== undefined,
    engine: p.caps.engine ?? null,
    replacement: replacementSteps(p.plan).length > 0,
    tableReplaced: p.plan.replacement,
    steps: p.plan.steps.map(stepJson),
    unsupported: p.plan.unsupported.map(stepJson),
    ...(p.resumeFrom ? { resumeFrom: p.resumeFrom.table } : {}),
  };
}

/** The plan for people: the table, then its steps (see formatPlan); nothing else. */
export function planLines(p: PreparedPlan): string[] {
  const state = !p.live ? 'new' : p.plan.replacement ? 'replaced' : 'exists';
  const lines = [`${p.plan.table} (${state}):`, ...formatPlan(p.plan)];
  if (p.resumeFrom) {
    lines.push(
      `  + [in place] copy back the items kept in ${p.resumeFrom.table} by an interrupted replacement, then delete it; items: ${formatItemCount(p.resumeFrom.items)}`,
    );
  }
  return lines;
}

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
    .option('-y, --yes', 'apply without a prompt (required when not on a terminal)')
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
      const json = !forPeople(g.output);
      const run = await withClients(cli, g, async (clients, target) => {
        const plans = await prepareSpecs(clients, specs, { kind: capsKind(target) });
        if (json) {
          // The plan goes to stderr here: stdout carries the result for scripts. It is what the
          // prompt asks about, so it is shown whenever there is a prompt; with -q and --yes, not.
          if (!(g.quiet && opts.yes)) {
            for (const p of plans) for (const line of planLines(p)) cli.io.stderr.write(`${line}\n`);
          }
        } else {
          for (const p of plans) for (const line of planLines(p)) writeLine(cli.io, line);
        }
        const todo = plans.filter((p) => !isNoop(p));
        const unmatched = unmatchedError(plans, true);
        if (todo.length === 0) {
          // Nothing that can run: "no changes" only when nothing is left undone either; the
          // result (with what could not run) is printed, then the error (exit 1).
          if (!json && !unmatched) writeLine(cli.io, 'no changes');
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
          throw new DdbError('spec.replacementRefused', {
            message: `the plan replaces ${replacing.join('; ')}; nothing was changed; pass --allow-replace to do it (items are kept by copy-and-swap), or change the spec`,
          });
        }
        const steps = todo.reduce((n, p) => n + p.plan.steps.length + (p.resumeFrom ? 1 : 0), 0);
        if (!opts.yes) {
          const ok = await confirm(
            cli.io,
            `Apply ${plural(steps, 'step')} to ${plural(todo.length, 'table')} ${onTarget(target)}?`,
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
            }),
          );
        }
        return { out, unmatched };
      });
      const results = run.out;
      const tables = results.map(resultJson);
      printOutput(cli.io, g.output, {
        json: { tables },
        lines: tables,
        table: () => appliedLines(cli, results),
      });
      if (run.unmatched) throw run.unmatched;
    });
}

/** What apply did, for people: a line per table changed. */
function appliedLines(cli: Cli, results: ApplyResult[]): void {
  for (const r of results) {
    if (r.applied.length === 0 && !r.resumed) continue;
    const parts = [`applied ${plural(r.applied.length, 'step')}`];
    if (r.replacement) {
      parts.push(
        `replaced by copy-and-swap: ${plural(r.replacement.itemsBefore, 'item')} before, ${r.replacement.itemsAfter} after`,
      );
    }
    if (r.resumed) parts.push(`${plural(r.resumed.items, 'item')} copied back from ${r.resumed.swapTable}`);
    writeLine(cli.io, `${r.table}: ${parts.join('; ')}`);
  }
}
