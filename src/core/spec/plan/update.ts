/** The steps that take an existing table to its spec, in the order DynamoDB requires (see ../plan.ts). */
import type { GlobalSecondaryIndexUpdate, UpdateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  attributeDefinitionsInput,
  type Billing,
  DEFAULT_BILLING,
  type GsiSpec,
  gsiInput,
  gsiThroughput,
  type TableSpec,
} from '../tableSpec.js';
import { joinNotes, type PlanBuilder, pitrStep, ttlStep, withNote } from './builder.js';
import {
  fmtBilling,
  fmtGsi,
  fmtStream,
  fmtThroughput,
  gsiRebuildReasons,
  isDecrease,
  NOTE_DECREASE,
  NOTE_GSI_REBUILD,
  NOTE_STREAM_NEW,
  NOTE_TABLE_CLASS,
  NOTE_TO_ON_DEMAND,
  NOTE_TO_PROVISIONED,
  NOTE_TTL,
  NOTE_TTL_REENABLE,
  samePolicy,
  sameThroughput,
} from './describe.js';
import { gsiStatusNote, planThroughputSettings } from './throughput.js';
import type { LiveTable, PlanStep } from './types.js';

/** The GSIs of an update: which go, which are rebuilt (with why), which stay, which come. */
interface GsiChanges {
  /** Live GSIs, but those already being deleted. */
  live: Map<string, GsiSpec>;
  /** The desired GSIs in the spec's order; unmanaged (absent): the live ones, as they are. */
  desiredList: GsiSpec[];
  desired: Map<string, GsiSpec>;
  /** GSIs whose keys or projection change: deleted, then created again. */
  rebuilt: Map<string, string[]>;
  isDeleting: (name: string) => boolean;
}

function gsiChanges(live: LiveTable, desired: TableSpec): GsiChanges {
  const isDeleting = (name: string): boolean => live.gsiStatus?.[name]?.status === 'DELETING';
  const liveGsis = new Map((live.spec.gsis ?? []).filter((g) => !isDeleting(g.name)).map((g) => [g.name, g]));
  const desiredList = desired.gsis ?? [...liveGsis.values()];
  const desiredGsis = new Map(desiredList.map((g) => [g.name, g]));
  const rebuilt = new Map<string, string[]>();
  for (const g of liveGsis.values()) {
    const d = desiredGsis.get(g.name);
    if (d) {
      const reasons = gsiRebuildReasons(g, d);
      if (reasons.length > 0) rebuilt.set(g.name, reasons);
    }
  }
  return { live: liveGsis, desiredList, desired: desiredGsis, rebuilt, isDeleting };
}

/** 1. deleteGsi, one per UpdateTable: GSIs removed or rebuilt. */
function planGsiDeletes(b: PlanBuilder, live: LiveTable, table: string, gsis: GsiChanges): void {
  for (const g of gsis.live.values()) {
    const reasons = gsis.rebuilt.get(g.name);
    if (gsis.desired.has(g.name) && !reasons) continue;
    const step: PlanStep = {
      kind: 'deleteGsi',
      label: reasons ? 'REPLACEMENT' : 'in place',
      description: reasons
        ? `delete GSI ${g.name} to rebuild it (${reasons.join(', ')})`
        : `delete GSI ${g.name}`,
      input: { TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: g.name } }] },
    };
    if (reasons) step.limitNote = NOTE_GSI_REBUILD;
    b.add(withNote(step, gsiStatusNote(live, g.name)), 'gsiUpdate');
  }
}

/** 2. tableClass, alone. */
function planTableClass(b: PlanBuilder, l: TableSpec, desired: TableSpec): void {
  if (desired.tableClass === undefined) return;
  const from = l.tableClass ?? 'STANDARD';
  if (desired.tableClass === from) return;
  b.add(
    {
      kind: 'tableClass',
      label: 'limited',
      description: `table class ${from} → ${desired.tableClass}`,
      limitNote: NOTE_TABLE_CLASS,
      input: { TableName: desired.name, TableClass: desired.tableClass },
    },
    'tableClass',
  );
}

/** The one UpdateTable of step 3 as it is put together: its input, its parts for people, its notes. */
interface TableUpdate {
  input: UpdateTableCommandInput;
  parts: string[];
  notes: string[];
  limited: boolean;
}

/** 3a. Billing mode and capacity of the table and its GSIs, into `u`. */
function planBilling(
  b: PlanBuilder,
  live: LiveTable,
  u: TableUpdate,
  gsis: GsiChanges,
  lb: Billing,
  db: Billing,
): void {
  // GSIs that exist during the update: kept ones, plus (when the engine cannot delete GSIs) the
  // ones the plan wanted to delete, because a switch to PROVISIONED must give each its capacity.
  const gsisDuringUpdate = [...gsis.live.values()].filter(
    (g) => !b.has('gsiUpdate') || (gsis.desired.has(g.name) && !gsis.rebuilt.has(g.name)),
  );
  const gsiUpdates: GlobalSecondaryIndexUpdate[] = [];
  const { input, parts, notes } = u;
  if (lb.mode !== db.mode) {
    input.BillingMode = db.mode;
    parts.push(`billing ${fmtBilling(lb)} → ${fmtBilling(db)}`);
    u.limited = true;
    if (db.mode === 'PROVISIONED') {
      notes.push(NOTE_TO_PROVISIONED);
      input.ProvisionedThroughput = { ReadCapacityUnits: db.read, WriteCapacityUnits: db.write };
      // NOTE: DynamoDB refuses a switch to PROVISIONED unless every GSI gets its capacity too.
      for (const g of gsisDuringUpdate) {
        const t = gsiThroughput(gsis.desired.get(g.name) ?? { ...g, throughput: undefined }, db);
        if (!t) continue;
        gsiUpdates.push({
          Update: {
            IndexName: g.name,
            ProvisionedThroughput: { ReadCapacityUnits: t.read, WriteCapacityUnits: t.write },
          },
        });
        parts.push(`GSI ${g.name} throughput ${fmtThroughput(t)}`);
      }
    } else {
      notes.push(NOTE_TO_ON_DEMAND);
    }
  } else if (lb.mode === 'PROVISIONED' && db.mode === 'PROVISIONED') {
    if (!sameThroughput(lb, db)) {
      input.ProvisionedThroughput = { ReadCapacityUnits: db.read, WriteCapacityUnits: db.write };
      parts.push(`throughput ${fmtThroughput(lb)} → ${fmtThroughput(db)}`);
      if (isDecrease(lb, db)) {
        u.limited = true;
        notes.push(NOTE_DECREASE);
      }
    }
    for (const g of gsisDuringUpdate) {
      const d = gsis.desired.get(g.name);
      // NOTE: a GSI the spec lists without `throughput` keeps the capacity it has, as every field
      // a spec leaves out does; only a GSI being created takes the table's.
      if (!d?.throughput || gsis.rebuilt.has(g.name)) continue;
      const from = gsiThroughput(g, lb);
      const to = gsiThroughput(d, db);
      if (!from || !to || sameThroughput(from, to)) continue;
      gsiUpdates.push({
        Update: {
          IndexName: g.name,
          ProvisionedThroughput: { ReadCapacityUnits: to.read, WriteCapacityUnits: to.write },
        },
      });
      parts.push(`GSI ${g.name} throughput ${fmtThroughput(from)} → ${fmtThroughput(to)}`);
      if (isDecrease(from, to)) {
        u.limited = true;
        notes.push(NOTE_DECREASE);
      }
      const statusNote = gsiStatusNote(live, g.name);
      if (statusNote) notes.push(statusNote);
    }
  }
  if (gsiUpdates.length > 0) input.GlobalSecondaryIndexUpdates = gsiUpdates;
}

/**
 * 3b. The stream: UpdateTables of its own, after the one above. NOTE: DynamoDB takes one of
 * "throughput", "stream", "GSI create", "GSI delete" per UpdateTable (DynamoDB Local answers
 * "Cannot change IOPS and Streams at the same time"). A view-type change is a disable, then an
 * enable: DynamoDB cannot change the view type of an enabled stream.
 */
function streamSteps(b: PlanBuilder, l: TableSpec, desired: TableSpec): PlanStep[] {
  if (desired.stream === undefined) return [];
  const from = l.stream ?? null;
  const to = desired.stream;
  if (from?.viewType === to?.viewType) return [];
  const step = (description: string, spec: UpdateTableCommandInput['StreamSpecification']): PlanStep => ({
    kind: 'update',
    label: 'in place',
    description,
    input: { TableName: desired.name, StreamSpecification: spec },
  });
  if (to && from && b.has('streams')) {
    return [
      step(`update stream ${from.viewType} → off (to change the view type)`, { StreamEnabled: false }),
      {
        ...step(`update stream off → ${to.viewType}`, { StreamEnabled: true, StreamViewType: to.viewType }),
        limitNote: NOTE_STREAM_NEW,
      },
    ];
  }
  return [
    step(
      `update stream ${fmtStream(from)} → ${fmtStream(to)}`,
      to ? { StreamEnabled: true, StreamViewType: to.viewType } : { StreamEnabled: false },
    ),
  ];
}

/** 3c. Deletion protection: part of the one UpdateTable, or a step the engine cannot run. */
function planDeletionProtection(b: PlanBuilder, l: TableSpec, desired: TableSpec, u: TableUpdate): void {
  if (desired.deletionProtection === undefined) return;
  const from = l.deletionProtection ?? false;
  if (desired.deletionProtection === from) return;
  const text = `deletion protection ${from ? 'on' : 'off'} → ${desired.deletionProtection ? 'on' : 'off'}`;
  if (b.has('deletionProtection')) {
    u.input.DeletionProtectionEnabled = desired.deletionProtection;
    u.parts.push(text);
    return;
  }
  b.add(
    {
      kind: 'update',
      label: 'in place',
      description: `update ${text}`,
      input: { TableName: desired.name, DeletionProtectionEnabled: desired.deletionProtection },
    },
    'deletionProtection',
  );
}

/**
 * 3. One update: billing, throughput, deletion protection; then the stream on its own; then the
 * on-demand limits, warm throughput and encryption. Returns the billing the table ends with.
 */
function planTableUpdate(b: PlanBuilder, live: LiveTable, desired: TableSpec, gsis: GsiChanges): Billing {
  const l = live.spec;
  const u: TableUpdate = { input: { TableName: desired.name }, parts: [], notes: [], limited: false };
  const lb = l.billing ?? DEFAULT_BILLING;
  const db = desired.billing ?? lb;
  planBilling(b, live, u, gsis, lb, db);
  const stream = streamSteps(b, l, desired);
  planDeletionProtection(b, l, desired, u);
  if (u.parts.length > 0) {
    const step: PlanStep = {
      kind: 'update',
      label: u.limited ? 'limited' : 'in place',
      description: `update ${u.parts.join('; ')}`,
      input: u.input,
    };
    const limitNote = joinNotes(u.notes);
    if (limitNote) step.limitNote = limitNote;
    b.add(step);
  }
  for (const step of stream) b.add(step, 'streams');
  planThroughputSettings(b, live, desired, {
    billing: db,
    kept: [...gsis.live.values()].filter((g) => gsis.desired.has(g.name) && !gsis.rebuilt.has(g.name)),
    desiredGsis: gsis.desired,
  });
  return db;
}

/** 4. createGsi, one per UpdateTable: GSIs added or rebuilt. */
function planGsiCreates(b: PlanBuilder, table: string, gsis: GsiChanges, db: Billing): void {
  for (const desiredGsi of gsis.desiredList) {
    const reasons = gsis.rebuilt.get(desiredGsi.name);
    if (gsis.live.has(desiredGsi.name) && !reasons) continue;
    // A rebuilt GSI keeps the on-demand limits and warm throughput the spec leaves unmanaged.
    const was = reasons ? gsis.live.get(desiredGsi.name) : undefined;
    const d: GsiSpec = {
      ...desiredGsi,
      ...(desiredGsi.onDemandThroughput === undefined && was?.onDemandThroughput
        ? { onDemandThroughput: was.onDemandThroughput }
        : {}),
      ...(desiredGsi.warmThroughput === undefined && was?.warmThroughput
        ? { warmThroughput: was.warmThroughput }
        : {}),
    };
    const input: UpdateTableCommandInput = {
      TableName: table,
      AttributeDefinitions: attributeDefinitionsInput([d.partitionKey, d.sortKey]),
      GlobalSecondaryIndexUpdates: [{ Create: gsiInput(d, db) }],
    };
    const step: PlanStep = {
      kind: 'createGsi',
      label: reasons ? 'REPLACEMENT' : 'slow (backfill)',
      description: `${reasons ? 're-create' : 'add'} GSI ${d.name} ${fmtGsi(d, db)} — backfills existing items`,
      input,
    };
    if (reasons) step.limitNote = NOTE_GSI_REBUILD;
    if (gsis.isDeleting(d.name)) {
      step.limitNote = joinNotes([
        step.limitNote,
        `GSI ${d.name} is still being deleted: this step waits for it`,
      ]);
    }
    b.add(step, 'gsiUpdate');
  }
}

/** 5. TTL and PITR. */
function planTtlAndPitr(b: PlanBuilder, l: TableSpec, desired: TableSpec): void {
  const table = desired.name;
  if (desired.ttl !== undefined) {
    const from = l.ttl ?? null;
    const to = desired.ttl;
    if (from?.attribute !== to?.attribute) {
      if (from) b.add(ttlStep(table, from.attribute, false), 'ttl');
      if (to) b.add(ttlStep(table, to.attribute, true, from ? NOTE_TTL_REENABLE : NOTE_TTL), 'ttl');
    }
  }
  if (desired.pitr !== undefined && desired.pitr !== (l.pitr ?? false))
    b.add(pitrStep(table, desired.pitr), 'pitr');
}

/** 5b. The resource policy: its own API. Unknown live (the endpoint cannot say): put it anyway. */
function planResourcePolicy(b: PlanBuilder, l: TableSpec, desired: TableSpec): void {
  if (desired.resourcePolicy === undefined) return;
  const from = l.resourcePolicy;
  const to = desired.resourcePolicy;
  if (to !== null && (typeof from !== 'string' || !samePolicy(from, to))) {
    b.add(
      {
        kind: 'policyPut',
        label: 'in place',
        description: `${typeof from === 'string' ? 'replace' : 'put'} the resource policy`,
        input: { Policy: to },
      },
      'resourcePolicy',
    );
  } else if (to === null && typeof from === 'string') {
    b.add(
      { kind: 'policyDelete', label: 'in place', description: 'delete the resource policy', input: {} },
      'resourcePolicy',
    );
  }
}

/** 6. Tags: remove first, so that a full set of 50 can be swapped without passing the limit. */
function planTags(b: PlanBuilder, l: TableSpec, desired: TableSpec): void {
  if (desired.tags === undefined) return; // unmanaged
  const liveTags = l.tags ?? {};
  const desiredTags = desired.tags;
  const removed = Object.keys(liveTags).filter(
    // NOTE: "aws:" tags belong to AWS (CloudFormation and others) and cannot be removed by users.
    (k) => !(k in desiredTags) && !k.toLowerCase().startsWith('aws:'),
  );
  if (removed.length > 0) {
    b.add(
      {
        kind: 'tagRemove',
        label: 'in place',
        description: `remove tag${removed.length === 1 ? '' : 's'} ${removed.join(', ')}`,
        input: { TagKeys: removed },
      },
      'tags',
    );
  }
  const added = Object.entries(desiredTags).filter(([k, v]) => liveTags[k] !== v);
  if (added.length > 0) {
    const text = added
      .map(([k, v]) => (k in liveTags ? `${k}=${v} (was ${liveTags[k]})` : `${k}=${v}`))
      .join(', ');
    b.add(
      {
        kind: 'tagAdd',
        label: 'in place',
        description: `tag ${text}`,
        input: { Tags: added.map(([Key, Value]) => ({ Key, Value })) },
      },
      'tags',
    );
  }
}

/** The steps that take the existing table `live` to `desired`, in DynamoDB's order (see ../plan.ts). */
export function planUpdate(b: PlanBuilder, live: LiveTable, desired: TableSpec): void {
  const gsis = gsiChanges(live, desired);
  planGsiDeletes(b, live, desired.name, gsis);
  planTableClass(b, live.spec, desired);
  const billing = planTableUpdate(b, live, desired, gsis);
  planGsiCreates(b, desired.name, gsis, billing);
  planTtlAndPitr(b, live.spec, desired);
  planResourcePolicy(b, live.spec, desired);
  planTags(b, live.spec, desired);
}
