/** The steps that create a table (or re-create it, in a replacement) from a spec. */
import { createTableInput, DEFAULT_BILLING, type TableSpec } from '../tableSpec.js';
import { type PlanBuilder, pitrStep, ttlStep } from './builder.js';
import { fmtBilling, fmtIndexKeys, fmtOnDemand, fmtSse, fmtStream, fmtTags, fmtWarm } from './describe.js';
import type { PlanStep, StepLabel } from './types.js';

/**
 * CreateTable (for `create` or `replace`) and the TTL/PITR steps CreateTable cannot do. Settings
 * the engine lacks are taken out of the input and listed as unsupported.
 */
export function planCreate(
  b: PlanBuilder,
  spec: TableSpec,
  head: {
    kind: 'create' | 'replace';
    label: StepLabel;
    limitNote?: string;
    describe: (sent: TableSpec) => string;
  },
): void {
  const input = createTableInput(spec);
  const table = spec.name;
  /** The spec as far as the engine will honour it, for the description. */
  const sent: TableSpec = { ...spec };
  /** Steps that run once the table is ACTIVE, after CreateTable. */
  const after: PlanStep[] = [];
  if (input.Tags && !(b.has('tags') && b.has('createTags'))) {
    const step: PlanStep = {
      kind: 'tagAdd',
      label: 'in place',
      description: `tag ${fmtTags(input.Tags.map((t) => [t.Key ?? '', t.Value ?? '']))}`,
      input: { Tags: input.Tags },
    };
    // NOTE: an engine that drops CreateTable's Tags (dynalite) gets them by TagResource afterwards.
    if (b.has('tags')) after.push({ ...step, limitNote: `${b.reason('createTags')}: tagged once ACTIVE` });
    else b.add(step, 'tags');
    delete input.Tags;
    sent.tags = {};
  }
  if (input.StreamSpecification && !b.has('streams')) {
    b.add(
      {
        kind: 'update',
        label: 'in place',
        description: `update stream off → ${fmtStream(spec.stream)}`,
        input: { TableName: table, StreamSpecification: input.StreamSpecification },
      },
      'streams',
    );
    delete input.StreamSpecification;
    sent.stream = null;
  }
  if (input.DeletionProtectionEnabled !== undefined && !b.has('deletionProtection')) {
    // false is every engine's default: nothing is lost by not sending it.
    if (input.DeletionProtectionEnabled) {
      b.add(
        {
          kind: 'update',
          label: 'in place',
          description: 'update deletion protection off → on',
          input: { TableName: table, DeletionProtectionEnabled: true },
        },
        'deletionProtection',
      );
    }
    delete input.DeletionProtectionEnabled;
    delete sent.deletionProtection;
  }
  if (input.TableClass !== undefined && !b.has('tableClass')) {
    if (input.TableClass !== 'STANDARD') {
      b.add(
        {
          kind: 'tableClass',
          label: 'limited',
          description: `table class STANDARD → ${input.TableClass}`,
          input: { TableName: table, TableClass: input.TableClass },
        },
        'tableClass',
      );
    }
    delete input.TableClass;
    delete sent.tableClass;
  }
  const gsiInputs = input.GlobalSecondaryIndexes ?? [];
  if (
    (input.OnDemandThroughput || gsiInputs.some((g) => g.OnDemandThroughput)) &&
    !b.has('onDemandThroughput')
  ) {
    b.add(
      {
        kind: 'update',
        label: 'in place',
        description: `set on-demand throughput limits (${[
          ...(spec.onDemandThroughput ? [`table: ${fmtOnDemand(spec.onDemandThroughput)}`] : []),
          ...(spec.gsis ?? [])
            .filter((g) => g.onDemandThroughput)
            .map((g) => `GSI ${g.name}: ${fmtOnDemand(g.onDemandThroughput)}`),
        ].join('; ')})`,
        input: {
          TableName: table,
          ...(input.OnDemandThroughput ? { OnDemandThroughput: input.OnDemandThroughput } : {}),
        },
      },
      'onDemandThroughput',
    );
    delete input.OnDemandThroughput;
    for (const g of gsiInputs) delete g.OnDemandThroughput;
    delete sent.onDemandThroughput;
  }
  if ((input.WarmThroughput || gsiInputs.some((g) => g.WarmThroughput)) && !b.has('warmThroughput')) {
    b.add(
      {
        kind: 'update',
        label: 'in place',
        description: `set warm throughput (${[
          ...(spec.warmThroughput ? [`table: ${fmtWarm(spec.warmThroughput)}`] : []),
          ...(spec.gsis ?? [])
            .filter((g) => g.warmThroughput)
            .map((g) => `GSI ${g.name}: ${fmtWarm(g.warmThroughput)}`),
        ].join('; ')})`,
        input: {
          TableName: table,
          ...(input.WarmThroughput ? { WarmThroughput: input.WarmThroughput } : {}),
        },
      },
      'warmThroughput',
    );
    delete input.WarmThroughput;
    for (const g of gsiInputs) delete g.WarmThroughput;
    delete sent.warmThroughput;
  }
  if (input.SSESpecification && !b.has('sse')) {
    b.add(
      {
        kind: 'update',
        label: 'in place',
        description: `encryption ${fmtSse(undefined)} → ${fmtSse(spec.sse)}`,
        input: { TableName: table, SSESpecification: input.SSESpecification },
      },
      'sse',
    );
    delete input.SSESpecification;
    delete sent.sse;
  }
  if (input.ResourcePolicy !== undefined && !b.has('resourcePolicy')) {
    b.add(
      {
        kind: 'policyPut',
        label: 'in place',
        description: 'put the resource policy',
        input: { Policy: input.ResourcePolicy },
      },
      'resourcePolicy',
    );
    delete input.ResourcePolicy;
    delete sent.resourcePolicy;
  }
  const step: PlanStep = { kind: head.kind, label: head.label, description: head.describe(sent), input };
  if (head.limitNote !== undefined) step.limitNote = head.limitNote;
  b.add(step);
  for (const s of after) b.add(s, 'tags');
  if (spec.ttl) b.add(ttlStep(table, spec.ttl.attribute, true), 'ttl');
  if (spec.pitr === true) b.add(pitrStep(table, true), 'pitr');
}

export function describeCreate(spec: TableSpec): string {
  const parts = [fmtIndexKeys(spec.partitionKey, spec.sortKey), fmtBilling(spec.billing ?? DEFAULT_BILLING)];
  const gsis = spec.gsis ?? [];
  const lsis = spec.lsis ?? [];
  if (gsis.length > 0) parts.push(`GSIs ${gsis.map((g) => g.name).join(', ')}`);
  if (lsis.length > 0) parts.push(`LSIs ${lsis.map((l) => l.name).join(', ')}`);
  const tagCount = Object.keys(spec.tags ?? {}).length;
  if (tagCount > 0) parts.push(`${tagCount} tag${tagCount === 1 ? '' : 's'}`);
  if (spec.stream) parts.push(`stream ${spec.stream.viewType}`);
  if (spec.deletionProtection) parts.push('deletion protection');
  if (spec.tableClass && spec.tableClass !== 'STANDARD') parts.push(`class ${spec.tableClass}`);
  if (spec.onDemandThroughput) parts.push(`on-demand limits ${fmtOnDemand(spec.onDemandThroughput)}`);
  if (spec.warmThroughput) parts.push(`warm throughput ${fmtWarm(spec.warmThroughput)}`);
  if (spec.sse?.kms) parts.push(`encryption ${fmtSse(spec.sse)}`);
  if (typeof spec.resourcePolicy === 'string') parts.push('resource policy');
  return `(${parts.join('; ')})`;
}

/**
 * What a replacement keeps from `live` because `desired` leaves it out, as words: `created`, what
 * the re-created table gets at its CreateTable; `later`, what later steps set (TTL, PITR). A
 * replacement stopped after its DeleteTable is finished by a run that knows only the spec (the
 * table is gone), so these are what its message says to add to the spec.
 */
export function keptFromLive(live: TableSpec, desired: TableSpec): { created: string[]; later: string[] } {
  const created: string[] = [];
  const later: string[] = [];
  const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name).join(', ');
  if (desired.gsis === undefined && live.gsis?.length) created.push(`gsis (${names(live.gsis)})`);
  if (desired.lsis === undefined && live.lsis?.length) created.push(`lsis (${names(live.lsis)})`);
  // Only what differs from a table created from the spec alone (on-demand, AWS owned key).
  if (desired.billing === undefined && live.billing?.mode === 'PROVISIONED') {
    created.push(`billing (provisioned ${live.billing.read}/${live.billing.write})`);
  }
  if (desired.stream === undefined && live.stream) created.push(`stream (${live.stream.viewType})`);
  if (desired.tags === undefined && live.tags && Object.keys(live.tags).length) created.push('tags');
  if (desired.deletionProtection === undefined && live.deletionProtection) created.push('deletionProtection');
  if (desired.tableClass === undefined && live.tableClass && live.tableClass !== 'STANDARD') {
    created.push(`tableClass (${live.tableClass})`);
  }
  if (desired.onDemandThroughput === undefined && live.onDemandThroughput) created.push('onDemandThroughput');
  if (desired.warmThroughput === undefined && live.warmThroughput) created.push('warmThroughput');
  if (desired.sse === undefined && live.sse?.kms) created.push('sse (KMS)');
  if (desired.resourcePolicy === undefined && typeof live.resourcePolicy === 'string')
    created.push('resourcePolicy');
  if (desired.ttl === undefined && live.ttl) later.push(`ttl (on ${live.ttl.attribute})`);
  if (desired.pitr === undefined && live.pitr) later.push('pitr');
  return { created, later };
}

/** `desired`, with every field it leaves unmanaged taken from `live` (for a replacement). */
export function carryOver(live: TableSpec, desired: TableSpec): TableSpec {
  const merged: TableSpec = { ...desired };
  if (desired.billing === undefined && live.billing !== undefined) merged.billing = live.billing;
  if (desired.gsis === undefined && live.gsis !== undefined) merged.gsis = live.gsis;
  if (desired.lsis === undefined && live.lsis !== undefined) merged.lsis = live.lsis;
  if (desired.tags === undefined && live.tags !== undefined) merged.tags = live.tags;
  if (desired.ttl === undefined && live.ttl !== undefined) merged.ttl = live.ttl;
  if (desired.pitr === undefined && live.pitr !== undefined) merged.pitr = live.pitr;
  if (desired.stream === undefined && live.stream !== undefined) merged.stream = live.stream;
  if (desired.deletionProtection === undefined && live.deletionProtection !== undefined) {
    merged.deletionProtection = live.deletionProtection;
  }
  if (desired.tableClass === undefined && live.tableClass !== undefined) merged.tableClass = live.tableClass;
  if (desired.onDemandThroughput === undefined && live.onDemandThroughput !== undefined) {
    merged.onDemandThroughput = live.onDemandThroughput;
  }
  if (desired.warmThroughput === undefined && live.warmThroughput !== undefined) {
    merged.warmThroughput = live.warmThroughput;
  }
  if (desired.sse === undefined && live.sse !== undefined) merged.sse = live.sse;
  if (desired.resourcePolicy === undefined && live.resourcePolicy !== undefined) {
    merged.resourcePolicy = live.resourcePolicy;
  }
  // A GSI kept by name keeps the limits and warm throughput the spec leaves unmanaged.
  if (desired.gsis !== undefined && live.gsis !== undefined) {
    const liveGsis = new Map(live.gsis.map((g) => [g.name, g]));
    merged.gsis = desired.gsis.map((g) => {
      const l = liveGsis.get(g.name);
      if (!l) return g;
      const out = { ...g };
      if (out.onDemandThroughput === undefined && l.onDemandThroughput)
        out.onDemandThroughput = l.onDemandThroughput;
      if (out.warmThroughput === undefined && l.warmThroughput) out.warmThroughput = l.warmThroughput;
      return out;
    });
  }
  return merged;
}
