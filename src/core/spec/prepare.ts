/**
 * Read a table and plan it (only reads: DescribeTable and the like, and the read-only capability
 * probes when a step needs them), and what the commands ask of a prepared plan. `applyPlan`
 * (apply.ts) carries it out.
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { findTable } from '../control/describeTable.js';
import { type ItemCount, itemCountOf } from '../data/itemCount.js';
import type { KeySchema } from '../data/keySchema.js';
import { formatKeySchema, keySchemaOf, sameKeySchema } from '../data/tableKeys.js';
import { DdbError } from '../errors.js';
import { type DetectCapsOptions, detectCaps } from './caps.js';
import {
  ALL_CAPS,
  capsNeeded,
  type EngineCaps,
  type LiveTable,
  type PlanStep,
  planTable,
  type TablePlan,
} from './plan.js';
import type { TableSpec } from './tableSpec.js';
import { liveTableOf, readTableState, type TableState } from './tableState.js';

/** A plan with everything needed to carry it out and to check it afterwards. */
export interface PreparedPlan {
  plan: TablePlan;
  desired: TableSpec;
  /** The table as it was read; undefined when it does not exist. */
  live: LiveTable | undefined;
  /** What the endpoint can do (ALL_CAPS, unprobed, when the plan needs nothing special). */
  caps: EngineCaps;
  /**
   * The swap table an interrupted replacement left behind, with the items of this table (missing,
   * or created again with the swap table's key schema): `applyPlan` copies them back after
   * creating the table (before its steps when it stands), then deletes it.
   */
  resumeFrom?: { table: string; items: ItemCount };
}

export interface PrepareOptions {
  /** Passed to `detectCaps`: `aws` or `embedded` skip the probes. */
  kind?: DetectCapsOptions['kind'];
  /** Use these capabilities instead of detecting them. */
  caps?: EngineCaps;
  /** The table's state when the caller has just read it (`null`: it does not exist). */
  state?: TableState | null;
  /**
   * Look for the swap table of an interrupted replacement, to finish it (`resumeFrom`). Default
   * true; update-table, which changes settings only, does not.
   */
  findSwap?: boolean;
}

/** The name of the swap table of a replacement of `table`. */
export function swapTableName(table: string): string {
  // NOTE: table names are at most 255 characters.
  return `${table.slice(0, 255 - 12)}-ddbctl-swap`;
}

/**
 * Read `desired.name` (only reads) and plan it. The endpoint is probed (read-only, see caps.ts)
 * only when a step needs a capability some engines lack: an unchanged table costs no probe.
 */
export async function prepareTable(
  clients: Clients,
  desired: TableSpec,
  opts: PrepareOptions = {},
): Promise<PreparedPlan> {
  const state = opts.state === undefined ? await readTableState(clients, desired.name) : opts.state;
  const live = state ? liveTableOf(state) : undefined;
  let caps: EngineCaps = opts.caps ?? ALL_CAPS;
  let plan = planTable(live, desired, caps);
  // NOTE: a caller that names the target kind (the CLI) learns the engine even for an unchanged
  // table, so that a plan always says which engine it was made for (read-only probes, cached).
  if (!opts.caps && (opts.kind !== undefined || capsNeeded(plan).length > 0)) {
    caps = await detectCaps(clients, opts.kind ? { kind: opts.kind } : {});
    plan = planTable(live, desired, caps);
  }
  const prepared: PreparedPlan = { plan, desired, live, caps };
  if (opts.findSwap === false) return prepared;
  const swap = await findTable(clients, swapTableName(desired.name));
  // NOTE: with the table there, its swap table is a replacement's to finish only when the table was
  // created again after it (the replacement got past its DeleteTable) and is what the spec asks for
  // (no replacement left: same keys and LSIs). A swap table made after the table is the copy of a
  // replacement stopped before its DeleteTable, beside the whole table: copying it back would put an
  // old snapshot over newer writes. replace() says what to do with it.
  const ours =
    swap &&
    (!live ||
      (!plan.replacement &&
        state?.table !== undefined &&
        createdAfter(state.table, swap) &&
        sameKeySchema(keySchemaOf(swap), specKeySchema(live.spec)) &&
        sameKeySchema(specKeySchema(live.spec), specKeySchema(desired))));
  if (swap && ours) {
    const table = swap.TableName ?? swapTableName(desired.name);
    prepared.resumeFrom = { table, items: await itemCountOf(clients, table, swap.ItemCount) };
  }
  return prepared;
}

/** Whether `table` was created after `other` (both have a CreationDateTime). */
function createdAfter(table: TableDescription, other: TableDescription): boolean {
  const a = table.CreationDateTime?.getTime();
  const b = other.CreationDateTime?.getTime();
  return a !== undefined && b !== undefined && a > b;
}

/** A spec's key schema. */
export function specKeySchema(t: TableSpec): KeySchema {
  return { table: t.name, partitionKey: t.partitionKey, ...(t.sortKey ? { sortKey: t.sortKey } : {}) };
}

/** `prepareTable` for each spec, in order. */
export async function prepareSpecs(
  clients: Clients,
  specs: readonly TableSpec[],
  opts: PrepareOptions = {},
): Promise<PreparedPlan[]> {
  const out: PreparedPlan[] = [];
  for (const spec of specs) out.push(await prepareTable(clients, spec, opts));
  return out;
}

/**
 * For a create of a table that already exists (create-table): a table with another key schema is
 * an error naming both schemas (nothing is changed); with the same keys, the steps that would
 * make it match the request, as lines for people (empty when it matches).
 */
export function existingTableDifferences(p: PreparedPlan): string[] {
  if (!p.live) return [];
  const asked = specKeySchema(p.desired);
  const has = specKeySchema(p.live.spec);
  if (!sameKeySchema(asked, has)) {
    throw new DdbError('table.exists', {
      message: `table ${p.desired.name} already exists with key schema ${formatKeySchema(has)}, not ${formatKeySchema(asked)} as asked; nothing was changed. Use another table name, or put the table in a spec file and run 'ddbctl apply FILE --allow-replace' (copy-and-swap, keeps every item)`,
    });
  }
  return [
    ...p.plan.steps.map((s) => s.description),
    ...p.plan.unsupported.map((s) => `${s.description} (${s.reason ?? 'not supported by this endpoint'})`),
  ];
}

/**
 * The error that says which tables cannot match their spec on this endpoint (the steps it cannot
 * do: listed in the plan, never attempted), or undefined when every step can run. `done`: the
 * runnable steps were carried out (apply), or only planned (plan).
 */
export function unmatchedError(plans: readonly PreparedPlan[], done: boolean): DdbError | undefined {
  const left = plans.filter((p) => p.plan.unsupported.length > 0);
  if (left.length === 0) return undefined;
  const what = left.map((p) => {
    const n = p.plan.unsupported.length;
    const steps = p.plan.unsupported.map((s) => s.description.split(' — ')[0]).join('; ');
    return `table ${p.plan.table} ${done ? 'does not match' : 'cannot be made to match'} the spec: ${n} step${n === 1 ? '' : 's'} cannot run on ${p.caps.engine ?? 'this endpoint'} (${steps})`;
  });
  return new DdbError('engine.unsupported', {
    message: `${what.join('; ')}, listed with ✗ in the plan${done ? ' and never attempted' : ''}; take ${left.length === 1 && left[0]?.plan.unsupported.length === 1 ? 'it' : 'them'} out of the spec, or apply it on an endpoint that can`,
    details: { tables: left.map((p) => ({ table: p.plan.table, unsupported: p.plan.unsupported })) },
  });
}

/** True when the plan has nothing to do (unsupported steps are never done). */
export function isNoop(p: PreparedPlan): boolean {
  return p.plan.steps.length === 0 && !p.resumeFrom;
}

/** The steps that replace something (the table, or a GSI rebuilt): they need `allowReplace`. */
export function replacementSteps(plan: TablePlan): PlanStep[] {
  return plan.steps.filter((s) => s.label === 'REPLACEMENT');
}

/** A step for programs (`plan -o json`, the web UI's API): what it does, its label and its input. */
export function stepJson(s: PlanStep) {
  return {
    kind: s.kind,
    label: s.label,
    description: s.description,
    ...(s.limitNote ? { limitNote: s.limitNote } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    input: s.input,
  };
}
