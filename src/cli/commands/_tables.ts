/**
 * Helpers shared by the table commands (create-table, update-table, plan, apply): how a plan and
 * an apply's progress are shown. No command imports another command's file: what they share is here.
 */

import { formatIndexStates } from '../../core/control/waitForIndexes.js';
import { formatItemCount } from '../../core/data/itemCount.js';
import { type ApplyEvent, type PreparedPlan, replacementSteps, stepJson } from '../../core/spec/apply.js';
import type { DetectCapsOptions } from '../../core/spec/caps.js';
import { formatPlan } from '../../core/spec/plan.js';
import type { Target } from '../../core/target.js';
import { plural } from '../../core/util/plural.js';
import { type Cli, type GlobalOptions, notice } from '../context.js';

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

/** What formatPlan says of a plan without steps. */
const NO_CHANGES = '  no changes';

/** The plan for people: the table, then its steps (see formatPlan); nothing else. */
export function planLines(p: PreparedPlan): string[] {
  const state = !p.live ? 'new' : p.plan.replacement ? 'replaced' : 'exists';
  const steps = formatPlan(p.plan);
  // NOTE: "no changes" is about the steps; a copy back is still to do.
  const lines = [
    `${p.plan.table} (${state}):`,
    ...(p.resumeFrom ? steps.filter((l) => l !== NO_CHANGES) : steps),
  ];
  if (p.resumeFrom) {
    lines.push(
      `  + [in place] copy back the items kept in ${p.resumeFrom.table} by an interrupted replacement, then delete it; items: ${formatItemCount(p.resumeFrom.items)}`,
    );
  }
  return lines;
}
