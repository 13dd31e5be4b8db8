/** On-demand limits, warm throughput and encryption of a table that stays: one UpdateTable each. */
import {
  type Billing,
  type GsiSpec,
  onDemandInput,
  sseInput,
  type TableSpec,
  warmInput,
} from '../tableSpec.js';
import type { PlanBuilder } from './builder.js';
import { fmtOnDemand, fmtSse, fmtWarm, NOTE_WARM, sameOnDemand, sameSse, warmMet } from './describe.js';
import type { LiveTable } from './types.js';

export function gsiStatusNote(live: LiveTable, name: string): string | undefined {
  const s = live.gsiStatus?.[name];
  if (!s || (s.status === 'ACTIVE' && !s.backfilling)) return undefined;
  return `GSI ${name} is ${s.status}${s.backfilling ? ' (backfilling)' : ''}: DynamoDB refuses changes to it until it is ACTIVE`;
}

/**
 * On-demand limits, warm throughput and encryption of a table that stays: each an UpdateTable of
 * its own (DynamoDB takes one kind of change per UpdateTable), the table's, then one per GSI.
 */
export function planThroughputSettings(
  b: PlanBuilder,
  live: LiveTable,
  desired: TableSpec,
  ctx: { billing: Billing; kept: GsiSpec[]; desiredGsis: Map<string, GsiSpec> },
): void {
  const l = live.spec;
  const table = desired.name;
  const onDemand = ctx.billing.mode === 'PAY_PER_REQUEST';
  const notOnDemand = (what: string): void => {
    b.unsupported.push({
      kind: 'update',
      label: 'in place',
      description: `set on-demand throughput limits of ${what}`,
      reason: `table ${table} is provisioned: on-demand limits apply to on-demand tables (billing: on-demand)`,
      input: { TableName: table },
    });
  };

  if (
    desired.onDemandThroughput !== undefined &&
    !sameOnDemand(l.onDemandThroughput, desired.onDemandThroughput)
  ) {
    if (!onDemand) notOnDemand('the table');
    else
      b.add(
        {
          kind: 'update',
          label: 'in place',
          description: `update on-demand limits ${fmtOnDemand(l.onDemandThroughput)} → ${fmtOnDemand(desired.onDemandThroughput)}`,
          input: { TableName: table, OnDemandThroughput: onDemandInput(desired.onDemandThroughput) },
        },
        'onDemandThroughput',
      );
  }
  for (const g of ctx.kept) {
    const d = ctx.desiredGsis.get(g.name);
    if (d?.onDemandThroughput === undefined || sameOnDemand(g.onDemandThroughput, d.onDemandThroughput))
      continue;
    if (!onDemand) {
      notOnDemand(`GSI ${g.name}`);
      continue;
    }
    b.add(
      {
        kind: 'update',
        label: 'in place',
        description: `update GSI ${g.name} on-demand limits ${fmtOnDemand(g.onDemandThroughput)} → ${fmtOnDemand(d.onDemandThroughput)}`,
        input: {
          TableName: table,
          GlobalSecondaryIndexUpdates: [
            { Update: { IndexName: g.name, OnDemandThroughput: onDemandInput(d.onDemandThroughput) } },
          ],
        },
      },
      b.has('onDemandThroughput') ? 'gsiOnDemandUpdate' : 'onDemandThroughput',
    );
  }

  if (desired.warmThroughput !== undefined && !warmMet(l.warmThroughput, desired.warmThroughput)) {
    b.add(
      {
        kind: 'update',
        label: 'limited',
        description: `update warm throughput ${fmtWarm(l.warmThroughput)} → ${fmtWarm(desired.warmThroughput)}`,
        limitNote: NOTE_WARM,
        input: { TableName: table, WarmThroughput: warmInput(desired.warmThroughput) },
      },
      'warmThroughput',
    );
  }
  for (const g of ctx.kept) {
    const d = ctx.desiredGsis.get(g.name);
    if (d?.warmThroughput === undefined || warmMet(g.warmThroughput, d.warmThroughput)) continue;
    b.add(
      {
        kind: 'update',
        label: 'limited',
        description: `update GSI ${g.name} warm throughput ${fmtWarm(g.warmThroughput)} → ${fmtWarm(d.warmThroughput)}`,
        limitNote: NOTE_WARM,
        input: {
          TableName: table,
          GlobalSecondaryIndexUpdates: [
            { Update: { IndexName: g.name, WarmThroughput: warmInput(d.warmThroughput) } },
          ],
        },
      },
      'warmThroughput',
    );
  }

  if (desired.sse !== undefined && !sameSse(l.sse, desired.sse)) {
    b.add(
      {
        kind: 'update',
        label: 'in place',
        description: `update encryption ${fmtSse(l.sse)} → ${fmtSse(desired.sse)}`,
        input: { TableName: table, SSESpecification: sseInput(desired.sse) },
      },
      'sse',
    );
  }
}
