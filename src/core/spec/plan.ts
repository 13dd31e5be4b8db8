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
 * The planner lives in plan/, one concern a file: types.ts (steps, plans, capabilities),
 * describe.ts (comparisons, descriptions, limit notes), builder.ts (the plan under construction),
 * create.ts, update.ts (in the order above), throughput.ts (limits, warm throughput, encryption),
 * table.ts (planTable, formatPlan, capsNeeded). This file is their public face: import from here.
 */

export { capsNeeded, formatPlan, liveTableFromDescription, planTable } from './plan/table.js';
export {
  ALL_CAPS,
  type CapName,
  type EngineCaps,
  type LiveTable,
  type PlanStep,
  type PolicyDeleteInput,
  type PolicyPutInput,
  type StepBase,
  type StepKind,
  type StepLabel,
  type TablePlan,
  type TagAddInput,
  type TagRemoveInput,
} from './plan/types.js';
