/** planTable: a table's plan, created or updated or replaced; and the plan for people (formatPlan) and for the capability probes (capsNeeded). */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { DdbError } from '../../errors.js';
import { type LiveExtras, specFromDescription, type TableSpec } from '../tableSpec.js';
import { PlanBuilder } from './builder.js';
import { carryOver, describeCreate, planCreate } from './create.js';
import { NOTE_REPLACE, replacementReasons } from './describe.js';
import {
  ALL_CAPS,
  type CapName,
  type EngineCaps,
  type LiveTable,
  type PlanStep,
  type TablePlan,
} from './types.js';
import { planUpdate } from './update.js';

/**
 * Plan the steps that take `live` (undefined: the table does not exist) to `desired`. Pure.
 * `caps` defaults to everything Amazon DynamoDB can do; a capability left out counts as present.
 */
export function planTable(
  live: LiveTable | undefined,
  desired: TableSpec,
  caps: Partial<EngineCaps> = ALL_CAPS,
): TablePlan {
  const full: EngineCaps = {
    gsiUpdate: caps.gsiUpdate ?? true,
    ttl: caps.ttl ?? true,
    pitr: caps.pitr ?? true,
    tags: caps.tags ?? true,
    createTags: caps.createTags ?? true,
    streams: caps.streams ?? true,
    tableClass: caps.tableClass ?? true,
    deletionProtection: caps.deletionProtection ?? true,
    onDemandThroughput: caps.onDemandThroughput ?? true,
    gsiOnDemandUpdate: caps.gsiOnDemandUpdate ?? true,
    warmThroughput: caps.warmThroughput ?? true,
    sse: caps.sse ?? true,
    resourcePolicy: caps.resourcePolicy ?? true,
  };
  if (caps.engine !== undefined) full.engine = caps.engine;
  const b = new PlanBuilder(full);
  let replacement = false;
  if (!live) {
    planCreate(b, desired, {
      kind: 'create',
      label: 'in place',
      describe: (sent) => `create table ${sent.name} ${describeCreate(sent)}`,
    });
  } else {
    const reasons = replacementReasons(live.spec, desired);
    if (reasons.length > 0) {
      replacement = true;
      const merged = carryOver(live.spec, desired);
      checkIndexNames(merged, desired, true);
      const notes = [NOTE_REPLACE];
      if (live.spec.deletionProtection) {
        notes.push(
          `deletion protection is on: the table cannot be deleted until it is turned off (ddbctl update-table ${desired.name} --no-deletion-protection)`,
        );
      }
      planCreate(b, merged, {
        kind: 'replace',
        label: 'REPLACEMENT',
        describe: () =>
          `replace table ${desired.name} (${reasons.join(', ')}) — copy-and-swap: copy every item to a temporary table, delete and re-create the table, copy the items back`,
        limitNote: notes.join('; '),
      });
    } else {
      checkIndexNames(carryOver(live.spec, desired), desired, false);
      planUpdate(b, live, desired);
    }
  }
  const plan: TablePlan = { table: desired.name, steps: b.steps, unsupported: b.unsupported, replacement };
  if (caps.engine !== undefined) plan.engine = caps.engine;
  return plan;
}

/**
 * A table ends as the spec says with what it leaves out kept from the table: an LSI of the spec
 * named as a GSI the table keeps (or a GSI of the spec named as its LSI) is refused by DynamoDB, a
 * replacement's CreateTable after the table is deleted. Found here, before anything is sent.
 */
function checkIndexNames(merged: TableSpec, desired: TableSpec, replacing: boolean): void {
  const gsis = new Set((merged.gsis ?? []).map((g) => g.name));
  const clash = (merged.lsis ?? []).find((l) => gsis.has(l.name));
  if (!clash) return;
  const kept = desired.gsis === undefined ? 'GSI' : 'LSI';
  const field = kept === 'GSI' ? 'gsis' : 'lsis';
  const would = replacing ? 'the replacement would re-create it with' : 'the plan would give it';
  throw new DdbError('input.spec', {
    message: `table ${desired.name}: ${would} an LSI and a GSI both named "${clash.name}" (the spec leaves out ${field}, so the table's ${kept} ${clash.name} is kept), which DynamoDB refuses; rename the spec's index, or list the table's ${field} in the spec (without ${clash.name}); nothing was changed`,
    details: { index: clash.name },
  });
}

/** The live table in planner form, from DescribeTable's `Table` and the extras it lacks. */
export function liveTableFromDescription(desc: TableDescription, extras: LiveExtras): LiveTable {
  const gsiStatus: Record<string, { status: string; backfilling: boolean }> = {};
  for (const g of desc.GlobalSecondaryIndexes ?? []) {
    if (g.IndexName)
      gsiStatus[g.IndexName] = { status: g.IndexStatus ?? 'ACTIVE', backfilling: g.Backfilling === true };
  }
  return { spec: specFromDescription(desc, extras), gsiStatus };
}

function symbol(step: PlanStep): string {
  if (step.label === 'REPLACEMENT') return '!';
  switch (step.kind) {
    case 'create':
    case 'createGsi':
    case 'tagAdd':
      return '+';
    case 'policyPut':
      return '+';
    case 'deleteGsi':
    case 'tagRemove':
    case 'policyDelete':
      return '-';
    default:
      return '~';
  }
}

/**
 * The plan as lines for people, to print under the table's name:
 * `  ~ [in place] update throughput 5/5 → 10/5`, a limit note indented below its step, and one
 * line per step the endpoint cannot do, with why: `  ✗ [cannot run here] tag team=core:
 * DynamoDB Local does not support tags (TagResource, UntagResource)`; `  no changes` when there is nothing.
 */
export function formatPlan(plan: TablePlan): string[] {
  const lines: string[] = [];
  for (const step of plan.steps) {
    lines.push(`  ${symbol(step)} [${step.label}] ${step.description}`);
    if (step.limitNote) lines.push(`      note: ${step.limitNote}`);
  }
  for (const step of plan.unsupported) {
    lines.push(`  ✗ [cannot run here] ${step.description}: ${step.reason ?? unsupportedBy(plan)}`);
  }
  if (lines.length === 0) lines.push('  no changes');
  return lines;
}

function unsupportedBy(plan: TablePlan): string {
  return `not supported by ${plan.engine ?? 'this engine'}`;
}
/**
 * The capabilities the steps of `plan` rely on. Plan with `ALL_CAPS` first, ask the endpoint
 * only about these (nothing at all for an empty plan), then plan again with what it can do.
 */
export function capsNeeded(plan: TablePlan): CapName[] {
  const needed = new Set<CapName>();
  for (const step of [...plan.steps, ...plan.unsupported]) {
    switch (step.kind) {
      case 'create':
      case 'replace':
        if (step.input.Tags?.length) needed.add('tags');
        if (step.input.StreamSpecification) needed.add('streams');
        // Off and STANDARD are every engine's defaults: dropping them loses nothing.
        if (step.input.DeletionProtectionEnabled === true) needed.add('deletionProtection');
        if (step.input.TableClass !== undefined && step.input.TableClass !== 'STANDARD')
          needed.add('tableClass');
        if (
          step.input.OnDemandThroughput ||
          step.input.GlobalSecondaryIndexes?.some((g) => g.OnDemandThroughput)
        )
          needed.add('onDemandThroughput');
        if (step.input.WarmThroughput || step.input.GlobalSecondaryIndexes?.some((g) => g.WarmThroughput))
          needed.add('warmThroughput');
        if (step.input.SSESpecification) needed.add('sse');
        if (step.input.ResourcePolicy !== undefined) needed.add('resourcePolicy');
        break;
      case 'deleteGsi':
      case 'createGsi':
        needed.add('gsiUpdate');
        break;
      case 'tableClass':
        needed.add('tableClass');
        break;
      case 'update': {
        const gsiUpdates = step.input.GlobalSecondaryIndexUpdates ?? [];
        if (step.input.StreamSpecification) needed.add('streams');
        if (step.input.DeletionProtectionEnabled !== undefined) needed.add('deletionProtection');
        if (step.input.OnDemandThroughput) needed.add('onDemandThroughput');
        if (gsiUpdates.some((u) => u.Update?.OnDemandThroughput)) needed.add('gsiOnDemandUpdate');
        if (step.input.WarmThroughput || gsiUpdates.some((u) => u.Update?.WarmThroughput))
          needed.add('warmThroughput');
        if (step.input.SSESpecification) needed.add('sse');
        break;
      }
      case 'policyPut':
      case 'policyDelete':
        needed.add('resourcePolicy');
        break;
      case 'ttl':
        needed.add('ttl');
        break;
      case 'pitr':
        needed.add('pitr');
        break;
      case 'tagAdd':
      case 'tagRemove':
        needed.add('tags');
        break;
    }
  }
  return [...needed];
}
