/** What the planner reads (a live table, an engine's capabilities) and what it returns (steps, a plan). */
import type {
  CreateTableCommandInput,
  DeleteResourcePolicyCommandInput,
  PutResourcePolicyCommandInput,
  TagResourceCommandInput,
  UntagResourceCommandInput,
  UpdateContinuousBackupsCommandInput,
  UpdateTableCommandInput,
  UpdateTimeToLiveCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { TableSpec } from '../tableSpec.js';

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
/** A capability an engine may lack (the fields of `EngineCaps` but `engine`). */
export type CapName = Exclude<keyof EngineCaps, 'engine'>;
