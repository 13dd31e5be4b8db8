/**
 * The planner: live state + desired spec → the ordered steps that take one to the other. Pure:
 * no I/O, no clock; `applyPlan` (apply.ts) sends the inputs and waits between steps.
 *
 * Order, as DynamoDB requires (one GSI created or deleted per UpdateTable, one UpdateTable at a
 * time, the table ACTIVE in between):
 *   1. deleteGsi   one UpdateTable per removed (or rebuilt) GSI
 *   2. tableClass  alone
 *   3. update      one UpdateTable with whatever differs of billing, throughput (table and GSIs)
 *                  and deletion protection; then the stream in an UpdateTable of its own (two for a
 *                  view-type change: off, then on); then one UpdateTable each for the on-demand
 *                  limits (the table's, then each GSI's), warm throughput (likewise) and encryption
 *   4. createGsi   one UpdateTable per new (or rebuilt) GSI; backfills existing items
 *   5. ttl, pitr   UpdateTimeToLive, UpdateContinuousBackups; then the resource policy
 *                  (PutResourcePolicy / DeleteResourcePolicy)
 *   6. tags        UntagResource, then TagResource
 * A key schema or LSI change cannot be made in place: the plan is then one `replace` step (done by
 * `applyPlan` as a copy-and-swap that keeps every item), then the TTL/PITR/tag steps of a new table.
 * Fields the spec leaves `undefined` are unmanaged and never produce a step.
 *
 * NOTE: one file over 500 lines: one pure diff from live state to steps, with the step union and
 * its descriptions; issue 14 splits planUpdate and the step descriptions out.
 */
import type {
  CreateTableCommandInput,
  DeleteResourcePolicyCommandInput,
  GlobalSecondaryIndexUpdate,
  PutResourcePolicyCommandInput,
  TableDescription,
  TagResourceCommandInput,
  UntagResourceCommandInput,
  UpdateContinuousBackupsCommandInput,
  UpdateTableCommandInput,
  UpdateTimeToLiveCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  attributeDefinitionsInput,
  type Billing,
  createTableInput,
  DEFAULT_BILLING,
  formatKey,
  type GsiSpec,
  gsiInput,
  gsiThroughput,
  type KeyAttribute,
  type LiveExtras,
  type LsiSpec,
  type OnDemandLimit,
  onDemandInput,
  type Projection,
  type SseSpec,
  specFromDescription,
  sseInput,
  type TableSpec,
  type Throughput,
  type WarmThroughput,
  warmInput,
} from './tableSpec.js';

/** A table as it is now. */
export interface LiveTable {
  /** From `specFromDescription`. */
  spec: TableSpec;
  /** Per GSI name, from DescribeTable's IndexStatus / Backfilling. */
  gsiStatus?: Record<string, { status: string; backfilling: boolean }>;
}

/** What the target engine can do; a step it cannot do goes to `TablePlan.unsupported`. */
export interface EngineCaps {
  /** Named in reasons and in `formatPlan` ("unsupported by dynalite"). Default "this engine". */
  engine?: string;
  /** Create / delete a GSI through UpdateTable (dynalite silently ignores both). */
  gsiUpdate: boolean;
  /** UpdateTimeToLive. */
  ttl: boolean;
  /** UpdateContinuousBackups (point-in-time recovery). */
  pitr: boolean;
  /** TagResource / UntagResource and Tags in CreateTable. */
  tags: boolean;
  /**
   * CreateTable applies its Tags. dynalite accepts them and drops them: the plan then tags the
   * table with a TagResource step once it is ACTIVE (and so waits for it, also under --no-wait).
   */
  createTags: boolean;
  /** StreamSpecification in CreateTable / UpdateTable. */
  streams: boolean;
  /** TableClass in CreateTable / UpdateTable. */
  tableClass: boolean;
  /** DeletionProtectionEnabled in CreateTable / UpdateTable. */
  deletionProtection: boolean;
  /** OnDemandThroughput of the table (CreateTable, UpdateTable) and of GSIs in CreateTable. */
  onDemandThroughput: boolean;
  /** A GSI's OnDemandThroughput changed through UpdateTable (DynamoDB Local ignores it). */
  gsiOnDemandUpdate: boolean;
  /** WarmThroughput in CreateTable / UpdateTable (table and GSIs). */
  warmThroughput: boolean;
  /** SSESpecification (a KMS key) in CreateTable / UpdateTable. */
  sse: boolean;
  /** ResourcePolicy in CreateTable; PutResourcePolicy / DeleteResourcePolicy / GetResourcePolicy. */
  resourcePolicy: boolean;
}

/** Amazon DynamoDB itself: everything. The default of `planTable`. */
export const ALL_CAPS: Readonly<EngineCaps> = Object.freeze({
  gsiUpdate: true,
  ttl: true,
  pitr: true,
  tags: true,
  createTags: true,
  streams: true,
  tableClass: true,
  deletionProtection: true,
  onDemandThroughput: true,
  gsiOnDemandUpdate: true,
  warmThroughput: true,
  sse: true,
  resourcePolicy: true,
});

export type StepKind =
  | 'create'
  | 'deleteGsi'
  | 'tableClass'
  | 'update'
  | 'createGsi'
  | 'ttl'
  | 'pitr'
  | 'tagAdd'
  | 'tagRemove'
  | 'policyPut'
  | 'policyDelete'
  | 'replace';

/**
 * - `in place`: applied while the table serves traffic;
 * - `slow (backfill)`: a new GSI reads every item before it is ACTIVE;
 * - `limited`: DynamoDB rations this change (see `limitNote`);
 * - `REPLACEMENT`: something is deleted and built again (the table, or one GSI).
 */
export type StepLabel = 'in place' | 'slow (backfill)' | 'limited' | 'REPLACEMENT';

/** TagResource input without ResourceArn: the applier knows the table's ARN. */
export type TagAddInput = Omit<TagResourceCommandInput, 'ResourceArn'>;
/** UntagResource input without ResourceArn: the applier knows the table's ARN. */
export type TagRemoveInput = Omit<UntagResourceCommandInput, 'ResourceArn'>;
/** PutResourcePolicy input without ResourceArn. */
export type PolicyPutInput = Omit<PutResourcePolicyCommandInput, 'ResourceArn'>;
/** DeleteResourcePolicy input without ResourceArn. */
export type PolicyDeleteInput = Omit<DeleteResourcePolicyCommandInput, 'ResourceArn'>;

export interface StepBase {
  label: StepLabel;
  /** One human line: `add GSI byEmail (email:S, projection ALL) — backfills existing items`. */
  description: string;
  /** What DynamoDB rations or refuses about this step, when anything. */
  limitNote?: string;
  /** Only on steps in `TablePlan.unsupported`: why the engine cannot do it. */
  reason?: string;
}

/** One API call. `input` is the SDK input to send, typed by `kind`. */
export type PlanStep =
  | (StepBase & { kind: 'create' | 'replace'; input: CreateTableCommandInput })
  | (StepBase & { kind: 'deleteGsi' | 'tableClass' | 'update' | 'createGsi'; input: UpdateTableCommandInput })
  | (StepBase & { kind: 'ttl'; input: UpdateTimeToLiveCommandInput })
  | (StepBase & { kind: 'pitr'; input: UpdateContinuousBackupsCommandInput })
  | (StepBase & { kind: 'tagAdd'; input: TagAddInput })
  | (StepBase & { kind: 'tagRemove'; input: TagRemoveInput })
  | (StepBase & { kind: 'policyPut'; input: PolicyPutInput })
  | (StepBase & { kind: 'policyDelete'; input: PolicyDeleteInput });

export interface TablePlan {
  table: string;
  /** In order; empty when live and desired agree. */
  steps: PlanStep[];
  /** Steps the engine cannot do, each with `reason`; never applied. */
  unsupported: PlanStep[];
  /** True when the table itself must be deleted and created again (a `replace` step). */
  replacement: boolean;
  /** `EngineCaps.engine`, for messages. */
  engine?: string;
}

// ---------------------------------------------------------------------------------------------
// Limits the plan warns about

// NOTE: AWS has relaxed these over the years; the wording states today's rule.
const NOTE_TO_ON_DEMAND = 'PROVISIONED → PAY_PER_REQUEST switch: at most 4 times in a rolling 24 h';
const NOTE_TO_PROVISIONED =
  'PAY_PER_REQUEST → PROVISIONED switch: allowed any time, but switching back is rationed (4 times in 24 h)';
const NOTE_DECREASE = 'throughput decreases: at most 27 a day (4 at any time, then 1 an hour)';
const NOTE_TABLE_CLASS = 'table class: at most twice in 30 days';
const NOTE_TTL = 'a TTL attribute change is refused within 1 h of the last change';
const NOTE_TTL_REENABLE =
  'a TTL attribute change is refused within 1 h of the last change: this step fails until an hour after the disable';
const NOTE_GSI_REBUILD = 'queries on the index fail from its deletion until the new one is ACTIVE';
const NOTE_REPLACE =
  'key schema and LSIs are fixed at creation; writes made while the items are copied may be lost: stop writers first';
const NOTE_STREAM_NEW = 'the new stream has a new ARN: consumers of the old stream must move to it';
const NOTE_WARM = 'warm throughput can only be raised, never lowered';

// ---------------------------------------------------------------------------------------------
// Comparisons and descriptions

function sameKey(a: KeyAttribute | undefined, b: KeyAttribute | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.name === b.name && a.type === b.type;
}

function sameProjection(a: Projection, b: Projection): boolean {
  if (a.type !== b.type) return false;
  if (a.type !== 'INCLUDE') return true;
  const x = [...(a.attributes ?? [])].sort();
  const y = [...(b.attributes ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function sameThroughput(a: Throughput | undefined, b: Throughput | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.read === b.read && a.write === b.write;
}

function isDecrease(from: Throughput, to: Throughput): boolean {
  return to.read < from.read || to.write < from.write;
}

function fmtKey(k: KeyAttribute | undefined): string {
  return k ? formatKey(k) : 'none';
}

function fmtThroughput(t: Throughput): string {
  return `${t.read}/${t.write}`;
}

function fmtBilling(b: Billing): string {
  return b.mode === 'PROVISIONED' ? `provisioned ${fmtThroughput(b)}` : 'on-demand';
}

function fmtProjection(p: Projection): string {
  return p.type === 'INCLUDE' ? `INCLUDE [${(p.attributes ?? []).join(', ')}]` : p.type;
}

function fmtIndexKeys(pk: KeyAttribute | undefined, sk: KeyAttribute | undefined): string {
  return [pk, sk]
    .filter((k): k is KeyAttribute => k !== undefined)
    .map(formatKey)
    .join(', ');
}

function fmtGsi(g: GsiSpec, billing: Billing): string {
  const t = gsiThroughput(g, billing);
  const parts = [fmtIndexKeys(g.partitionKey, g.sortKey), `projection ${fmtProjection(g.projection)}`];
  if (t) parts.push(`throughput ${fmtThroughput(t)}`);
  return `(${parts.join(', ')})`;
}

function fmtStream(s: { viewType: string } | null | undefined): string {
  return s ? s.viewType : 'off';
}

function fmtLimit(n: number): string {
  return n === -1 ? 'no limit' : String(n);
}

function fmtOnDemand(o: OnDemandLimit | undefined): string {
  const x = o ?? { maxRead: -1, maxWrite: -1 };
  return `max read ${fmtLimit(x.maxRead)}, max write ${fmtLimit(x.maxWrite)}`;
}

function sameOnDemand(a: OnDemandLimit | undefined, b: OnDemandLimit | undefined): boolean {
  const x = a ?? { maxRead: -1, maxWrite: -1 };
  const y = b ?? { maxRead: -1, maxWrite: -1 };
  return x.maxRead === y.maxRead && x.maxWrite === y.maxWrite;
}

function fmtWarm(w: WarmThroughput | undefined): string {
  if (!w) return 'default';
  return [w.read !== undefined ? `read ${w.read}/s` : '', w.write !== undefined ? `write ${w.write}/s` : '']
    .filter(Boolean)
    .join(', ');
}

/** Warm throughput only rises: `desired` is met when the live value is at least as high. */
function warmMet(live: WarmThroughput | undefined, desired: WarmThroughput): boolean {
  if (!live) return false;
  return (desired.read ?? 0) <= (live.read ?? 0) && (desired.write ?? 0) <= (live.write ?? 0);
}

function fmtSse(s: SseSpec | undefined): string {
  if (!s?.kms) return 'AWS owned key';
  return s.kmsKey ? `KMS key ${s.kmsKey}` : 'AWS managed KMS key';
}

/**
 * NOTE: DescribeTable reports the key's ARN; a spec may name it by id, ARN or alias. An id matches
 * the ARN's last part; an alias cannot be resolved without KMS, so it matches any KMS key.
 */
function sameSse(live: SseSpec | undefined, desired: SseSpec): boolean {
  const l = live ?? { kms: false };
  if (l.kms !== desired.kms) return false;
  if (!desired.kms || desired.kmsKey === undefined || l.kmsKey === undefined) return true;
  const want = desired.kmsKey;
  if (want === l.kmsKey || /(^|:)alias\//.test(want)) return true;
  return l.kmsKey.endsWith(`:key/${want}`);
}

/** Two policy documents with the same JSON content (DynamoDB may re-space them). */
function samePolicy(a: string, b: string): boolean {
  const canon = (text: string): string => {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text;
    }
  };
  return canon(a) === canon(b);
}

function fmtTags(tags: [string, string][]): string {
  return tags.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** What makes a GSI need a rebuild; empty when it can stay. */
function gsiRebuildReasons(live: GsiSpec, desired: GsiSpec): string[] {
  const reasons: string[] = [];
  if (!sameKey(live.partitionKey, desired.partitionKey)) {
    reasons.push(`partition key ${fmtKey(live.partitionKey)} → ${fmtKey(desired.partitionKey)}`);
  }
  if (!sameKey(live.sortKey, desired.sortKey)) {
    reasons.push(`sort key ${fmtKey(live.sortKey)} → ${fmtKey(desired.sortKey)}`);
  }
  if (!sameProjection(live.projection, desired.projection)) {
    reasons.push(`projection ${fmtProjection(live.projection)} → ${fmtProjection(desired.projection)}`);
  }
  return reasons;
}

function sameLsi(a: LsiSpec, b: LsiSpec): boolean {
  return sameKey(a.sortKey, b.sortKey) && sameProjection(a.projection, b.projection);
}

/** Why the table must be replaced; empty when it can be updated in place. */
function replacementReasons(live: TableSpec, desired: TableSpec): string[] {
  const reasons: string[] = [];
  if (!sameKey(live.partitionKey, desired.partitionKey)) {
    reasons.push(`partition key ${fmtKey(live.partitionKey)} → ${fmtKey(desired.partitionKey)}`);
  }
  if (!sameKey(live.sortKey, desired.sortKey)) {
    reasons.push(`sort key ${fmtKey(live.sortKey)} → ${fmtKey(desired.sortKey)}`);
  }
  if (desired.lsis === undefined) return reasons; // unmanaged
  const live_ = live.lsis ?? [];
  const liveLsis = new Map(live_.map((l) => [l.name, l]));
  const desiredLsis = new Map(desired.lsis.map((l) => [l.name, l]));
  for (const l of live_) {
    const d = desiredLsis.get(l.name);
    if (!d) reasons.push(`remove LSI ${l.name}`);
    else if (!sameLsi(l, d)) reasons.push(`change LSI ${l.name}`);
  }
  for (const d of desired.lsis) if (!liveLsis.has(d.name)) reasons.push(`add LSI ${d.name}`);
  return reasons;
}

// ---------------------------------------------------------------------------------------------
// Planning

class PlanBuilder {
  readonly steps: PlanStep[] = [];
  readonly unsupported: PlanStep[] = [];
  private readonly engine: string;

  constructor(private readonly caps: EngineCaps) {
    this.engine = caps.engine ?? 'this engine';
  }

  /** Add a step, or file it under `unsupported` when `needs` is a capability the engine lacks. */
  add(step: PlanStep, needs?: Exclude<keyof EngineCaps, 'engine'>): void {
    if (needs === undefined || this.caps[needs]) this.steps.push(step);
    else this.unsupported.push({ ...step, reason: this.reason(needs) });
  }

  has(cap: Exclude<keyof EngineCaps, 'engine'>): boolean {
    return this.caps[cap];
  }

  reason(cap: Exclude<keyof EngineCaps, 'engine'>): string {
    const e = this.engine;
    switch (cap) {
      case 'gsiUpdate':
        return `${e} cannot create or delete a GSI through UpdateTable`;
      case 'ttl':
        return `${e} does not support TTL (UpdateTimeToLive)`;
      case 'pitr':
        return `${e} does not support point-in-time recovery (UpdateContinuousBackups)`;
      case 'tags':
        return `${e} does not support tags (TagResource, UntagResource)`;
      case 'createTags':
        return `${e} ignores the Tags of CreateTable`;
      case 'streams':
        return `${e} does not support DynamoDB Streams`;
      case 'tableClass':
        return `${e} does not support table classes`;
      case 'deletionProtection':
        return `${e} does not support deletion protection`;
      case 'onDemandThroughput':
        return `${e} does not support on-demand throughput limits (OnDemandThroughput)`;
      case 'gsiOnDemandUpdate':
        return `${e} cannot change a GSI's on-demand throughput limits through UpdateTable`;
      case 'warmThroughput':
        return `${e} does not support warm throughput (WarmThroughput)`;
      case 'sse':
        return `${e} does not support encryption with a KMS key (SSESpecification)`;
      case 'resourcePolicy':
        return `${e} does not support resource-based policies (PutResourcePolicy)`;
    }
  }
}

function joinNotes(notes: (string | undefined)[]): string | undefined {
  const kept = [...new Set(notes.filter((n): n is string => n !== undefined && n !== ''))];
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function withNote<T extends PlanStep>(step: T, note: string | undefined): T {
  const limitNote = joinNotes([step.limitNote, note]);
  return limitNote === undefined ? step : { ...step, limitNote };
}

function ttlStep(table: string, attribute: string, enabled: boolean, note = NOTE_TTL): PlanStep {
  return {
    kind: 'ttl',
    label: 'limited',
    description: `${enabled ? 'enable' : 'disable'} TTL on ${attribute}`,
    limitNote: note,
    input: { TableName: table, TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute } },
  };
}

function pitrStep(table: string, enabled: boolean): PlanStep {
  return {
    kind: 'pitr',
    label: 'in place',
    description: `${enabled ? 'enable' : 'disable'} point-in-time recovery`,
    input: { TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: enabled } },
  };
}

/**
 * CreateTable (for `create` or `replace`) and the TTL/PITR steps CreateTable cannot do. Settings
 * the engine lacks are taken out of the input and listed as unsupported.
 */
function planCreate(
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

function describeCreate(spec: TableSpec): string {
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

/** `desired`, with every field it leaves unmanaged taken from `live` (for a replacement). */
function carryOver(live: TableSpec, desired: TableSpec): TableSpec {
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

function gsiStatusNote(live: LiveTable, name: string): string | undefined {
  const s = live.gsiStatus?.[name];
  if (!s || (s.status === 'ACTIVE' && !s.backfilling)) return undefined;
  return `GSI ${name} is ${s.status}${s.backfilling ? ' (backfilling)' : ''}: DynamoDB refuses changes to it until it is ACTIVE`;
}

/**
 * On-demand limits, warm throughput and encryption of a table that stays: each an UpdateTable of
 * its own (DynamoDB takes one kind of change per UpdateTable), the table's, then one per GSI.
 */
function planThroughputSettings(
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

function planUpdate(b: PlanBuilder, live: LiveTable, desired: TableSpec): void {
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
      planUpdate(b, live, desired);
    }
  }
  const plan: TablePlan = { table: desired.name, steps: b.steps, unsupported: b.unsupported, replacement };
  if (caps.engine !== undefined) plan.engine = caps.engine;
  return plan;
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
 * line per step the endpoint cannot do, with why: `  ✗ [cannot run here] enable TTL on exp:
 * ddbctl's embedded engine does not support TTL (UpdateTimeToLive)`; `  no changes` when there is nothing.
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

/** A capability an engine may lack (the fields of `EngineCaps` but `engine`). */
export type CapName = Exclude<keyof EngineCaps, 'engine'>;

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
