/**
 * Tables changed from the page: plan and apply of a spec (the object `ddbctl apply` reads from a
 * file, parsed and checked by the same parser), and delete with the name typed to confirm.
 */
import { deleteTable } from '../../../core/control/deleteTable.js';
import { applyPlan, isNoop, type PreparedPlan, prepareSpecs, stepJson } from '../../../core/spec/apply.js';
import { parseSpecFile } from '../../../core/spec/tableSpec.js';
import { readJson, UiError } from '../http.js';
import type { ApiContext, Route } from './context.js';

/** The spec of a request, through the spec file parser (its checks and its messages). */
async function plansOf(ctx: ApiContext): Promise<{ plans: PreparedPlan[]; notes: string[] }> {
  const b = await readJson(ctx.req);
  if (b.spec === undefined || b.spec === null || typeof b.spec !== 'object') {
    throw new UiError(400, 'input.spec', 'spec: expected the table spec object that ddbctl apply reads');
  }
  const notes: string[] = [];
  const specs = parseSpecFile(JSON.stringify(b.spec), 'spec', { onNote: (m) => notes.push(m) });
  const plans = await prepareSpecs(ctx.clients, specs, { kind: ctx.opts.target.kind });
  return { plans, notes };
}

async function plan(ctx: ApiContext) {
  const { plans, notes } = await plansOf(ctx);
  return {
    steps: plans.flatMap((p) => p.plan.steps.map((s) => ({ table: p.plan.table, ...stepJson(s) }))),
    unsupported: plans.flatMap((p) =>
      p.plan.unsupported.map((s) => ({ table: p.plan.table, ...stepJson(s) })),
    ),
    ...(notes.length ? { notes } : {}),
  };
}

async function apply(ctx: ApiContext) {
  const { plans } = await plansOf(ctx);
  const tables = [];
  for (const p of plans) {
    if (isNoop(p)) {
      tables.push({ table: p.plan.table, applied: [], unsupported: p.plan.unsupported.map(stepJson) });
      continue;
    }
    // NOTE: no replacement from the page (allowReplace false): applyPlan refuses such a plan before
    // any change, with the message that says to use `ddbctl apply --allow-replace`.
    const r = await applyPlan(ctx.clients, p, { allowReplace: false });
    tables.push({
      table: r.table,
      applied: r.applied.map(stepJson),
      unsupported: r.unsupported.map(stepJson),
    });
  }
  return { tables };
}

async function drop(ctx: ApiContext) {
  const table = ctx.params.name as string;
  const b = await readJson(ctx.req);
  if (b.confirm !== table) {
    throw new UiError(400, 'input.tableName', `confirm: type the table's name (${table}) to delete it`);
  }
  const r = await deleteTable(ctx.clients, table);
  return { table, deleted: true, gone: r.gone };
}

export const specRoutes: Route[] = [
  { method: 'POST', path: '/api/plan', write: false, handler: plan },
  { method: 'POST', path: '/api/apply', write: true, handler: apply },
  { method: 'DELETE', path: '/api/tables/:name', write: true, handler: drop },
];
