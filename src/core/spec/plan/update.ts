/** The steps that take an existing table to its spec, in the order DynamoDB requires (see ../plan.ts). */
import type { GlobalSecondaryIndexUpdate, UpdateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  attributeDefinitionsInput,
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

export function planUpdate(b: PlanBuilder, live: LiveTable, desired: TableSpec): void {
  const l = live.spec;
  const table = desired.name;
  const isDeleting = (name: string): boolean => live.gsiStatus?.[name]?.status === 'DELETING';

  // --- GSIs: which go, which are rebuilt, which stay, which come.
  const liveGsis = new Map((l.gsis ?? []).filter((g) => !isDeleting(g.name)).map((g) => [g.name, g]));
  // Unmanaged (absent) GSIs: the live ones, as they are.
  const desiredGsiList = desired.gsis ?? [...liveGsis.values()];
  const desiredGsis = new Map(desiredGsiList.map((g) => [g.name, g]));
  const rebuilt = new Map<string, string[]>();
  for (const g of liveGsis.values()) {
    const d = desiredGsis.get(g.name);
    if (d) {
      const reasons = gsiRebuildReasons(g, d);
      if (reasons.length > 0) rebuilt.set(g.name, reasons);
    }
  }

  // 1. deleteGsi, one per UpdateTable.
  for (const g of liveGsis.values()) {
    const reasons = rebuilt.get(g.name);
    if (desiredGsis.has(g.name) && !reasons) continue;
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

  // 2. tableClass, alone.
  if (desired.tableClass !== undefined) {
    const from = l.tableClass ?? 'STANDARD';
    if (desired.tableClass !== from) {
      b.add(
        {
          kind: 'tableClass',
          label: 'limited',
          description: `table class ${from} → ${desired.tableClass}`,
          limitNote: NOTE_TABLE_CLASS,
          input: { TableName: table, TableClass: desired.tableClass },
        },
        'tableClass',
      );
    }
  }

  // 3. One update: billing, throughput, deletion protection; then the stream on its own.
  const input: UpdateTableCommandInput = { TableName: table };
  const parts: string[] = [];
  const notes: string[] = [];
  let limited = false;
  const lb = l.billing ?? DEFAULT_BILLING;
  const db = desired.billing ?? lb;
  // GSIs that exist during the update: kept ones, plus (when the engine cannot delete GSIs) the
  // ones the plan wanted to delete, because a switch to PROVISIONED must give each its capacity.
  const gsisDuringUpdate = [...liveGsis.values()].filter(
    (g) => !b.has('gsiUpdate') || (desiredGsis.has(g.name) && !rebuilt.has(g.name)),
  );
  const gsiUpdates: GlobalSecondaryIndexUpdate[] = [];
  if (lb.mode !== db.mode) {
    input.BillingMode = db.mode;
    parts.push(`billing ${fmtBilling(lb)} → ${fmtBilling(db)}`);
    limited = true;
    if (db.mode === 'PROVISIONED') {
      notes.push(NOTE_TO_PROVISIONED);
      input.ProvisionedThroughput = { ReadCapacityUnits: db.read, WriteCapacityUnits: db.write };
      // NOTE: DynamoDB refuses a switch to PROVISIONED unless every GSI gets its capacity too.
      for (const g of gsisDuringUpdate) {
        const t = gsiThroughput(desiredGsis.get(g.name) ?? { ...g, throughput: undefined }, db);
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
        limited = true;
        notes.push(NOTE_DECREASE);
      }
    }
    for (const g of gsisDuringUpdate) {
      const d = desiredGsis.get(g.name);
      // NOTE: a GSI the spec lists without `throughput` keeps the capacity it has, as every field
      // a spec leaves out does; only a GSI being created takes the table's.
      if (!d?.throughput || rebuilt.has(g.name)) continue;
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
        limited = true;
        notes.push(NOTE_DECREASE);
      }
      const statusNote = gsiStatusNote(live, g.name);
      if (statusNote) notes.push(statusNote);
    }
  }
  if (gsiUpdates.length > 0) input.GlobalSecondaryIndexUpdates = gsiUpdates;

  // Stream: its own UpdateTable, after the one above. NOTE: DynamoDB takes one of "throughput",
  // "stream", "GSI create", "GSI delete" per UpdateTable (DynamoDB Local answers "Cannot change
  // IOPS and Streams at the same time"). A view-type change is a disable, then an enable: DynamoDB
  // cannot change the view type of an enabled stream.
  const streamSteps: PlanStep[] = [];
  if (desired.stream !== undefined) {
    const from = l.stream ?? null;
    const to = desired.stream;
    if (from?.viewType !== to?.viewType) {
      const step = (description: string, spec: UpdateTableCommandInput['StreamSpecification']): PlanStep => ({
        kind: 'update',
        label: 'in place',
        description,
        input: { TableName: table, StreamSpecification: spec },
      });
      if (to && from && b.has('streams')) {
        streamSteps.push(
          step(`update stream ${from.viewType} → off (to change the view type)`, { StreamEnabled: false }),
          {
            ...step(`update stream off → ${to.viewType}`, {
              StreamEnabled: true,
              StreamViewType: to.viewType,
            }),
            limitNote: NOTE_STREAM_NEW,
          },
        );
      } else {
        streamSteps.push(
          step(
            `update stream ${fmtStream(from)} → ${fmtStream(to)}`,
            to ? { StreamEnabled: true, StreamViewType: to.viewType } : { StreamEnabled: false },
          ),
        );
      }
    }
  }

  if (desired.deletionProtection !== undefined) {
    const from = l.deletionProtection ?? false;
    if (desired.deletionProtection !== from) {
      const text = `deletion protection ${from ? 'on' : 'off'} → ${desired.deletionProtection ? 'on' : 'off'}`;
      if (b.has('deletionProtection')) {
        input.DeletionProtectionEnabled = desired.deletionProtection;
        parts.push(text);
      } else {
        b.add(
          {
            kind: 'update',
            label: 'in place',
            description: `update ${text}`,
            input: { TableName: table, DeletionProtectionEnabled: desired.deletionProtection },
          },
          'deletionProtection',
        );
      }
    }
  }

  if (parts.length > 0) {
    const step: PlanStep = {
      kind: 'update',
      label: limited ? 'limited' : 'in place',
      description: `update ${parts.join('; ')}`,
      input,
    };
    const limitNote = joinNotes(notes);
    if (limitNote) step.limitNote = limitNote;
    b.add(step);
  }
  for (const step of streamSteps) b.add(step, 'streams');
  planThroughputSettings(b, live, desired, {
    billing: db,
    kept: [...liveGsis.values()].filter((g) => desiredGsis.has(g.name) && !rebuilt.has(g.name)),
    desiredGsis,
  });

  // 4. createGsi, one per UpdateTable.
  for (const desiredGsi of desiredGsiList) {
    const reasons = rebuilt.get(desiredGsi.name);
    if (liveGsis.has(desiredGsi.name) && !reasons) continue;
    // A rebuilt GSI keeps the on-demand limits and warm throughput the spec leaves unmanaged.
    const was = reasons ? liveGsis.get(desiredGsi.name) : undefined;
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
    if (isDeleting(d.name)) {
      step.limitNote = joinNotes([
        step.limitNote,
        `GSI ${d.name} is still being deleted: this step waits for it`,
      ]);
    }
    b.add(step, 'gsiUpdate');
  }

  // 5. TTL and PITR.
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

  // 5b. The resource policy: its own API. Unknown live (the endpoint cannot say): put it anyway.
  if (desired.resourcePolicy !== undefined) {
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

  // 6. Tags: remove first, so that a full set of 50 can be swapped without passing the limit.
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
