/**
 * PutResourcePolicy / GetResourcePolicy / DeleteResourcePolicy: a table's resource-based policy,
 * kept in its meta (`extra.resourcePolicy`, the text as given, and `extra.policyRevision`). DynamoDB
 * Local has none (UnknownOperationException); the behaviour follows DynamoDB's API reference:
 * - the same policy put again keeps its RevisionId (PutResourcePolicy is idempotent);
 * - ExpectedRevisionId must be the current one, or NO_POLICY when none is attached, else
 *   PolicyNotFoundException; so is a Get or Delete of a table without a policy;
 * - a policy document is at most 20 KB, whitespace counted.
 * The policy is kept and answered, never enforced: the engine has no principals to check.
 * Streams' ARNs are not taken: a policy is attached to a table here.
 */
import type { TableMeta } from '../catalog.js';
import type { Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import { Constraints, checkShape } from '../shape.js';
import { putMeta } from './_tables.js';
import { tableOf } from './tags.js';

/** "The maximum size supported for a resource-based policy document is 20 KB." */
const MAX_POLICY_BYTES = 20 * 1024;
/** ExpectedRevisionId that asks for no policy to be attached yet. */
const NO_POLICY = 'NO_POLICY';

function policyOf(meta: TableMeta): { policy: string; revision: string } | undefined {
  const policy = meta.extra.resourcePolicy;
  if (typeof policy !== 'string') return undefined;
  // A policy given to CreateTable has the table's creation as its revision.
  return { policy, revision: (meta.extra.policyRevision as string | undefined) ?? String(meta.createdAt) };
}

function notFound(arn: string): EngineError {
  return new EngineError(
    'PolicyNotFoundException',
    `Resource-based policy not found for the provided ResourceArn: ${arn}`,
  );
}

/** The table, after the request's own constraints. */
function target(ctx: Parameters<Operation>[0], input: Record<string, unknown>, c: Constraints): TableMeta {
  c.notNull(input.ResourceArn, 'resourceArn');
  c.length(input.ResourceArn, 'resourceArn', 1, 1283);
  c.length(input.ExpectedRevisionId, 'expectedRevisionId', 1, 255);
  c.throwIfAny();
  return tableOf(ctx, input.ResourceArn);
}

/** ExpectedRevisionId checked against what is attached now. */
function checkExpected(expected: unknown, current: string | undefined, arn: string): void {
  if (expected === undefined || expected === null) return;
  if (expected === NO_POLICY ? current !== undefined : expected !== current) throw notFound(arn);
}

export const putResourcePolicy: Operation = (ctx, input) => {
  checkShape(input, {
    struct: {
      ResourceArn: 'string',
      Policy: 'string',
      ExpectedRevisionId: 'string',
      ConfirmRemoveSelfResourceAccess: 'boolean',
    },
  });
  const c = new Constraints();
  c.notNull(input.Policy, 'policy');
  const meta = target(ctx, input, c);
  const arn = input.ResourceArn as string;
  const policy = input.Policy as string;
  if (Buffer.byteLength(policy) > MAX_POLICY_BYTES) {
    throw validation(
      `Resource-based policy document size ${Buffer.byteLength(policy)} bytes exceeds the maximum of ${MAX_POLICY_BYTES} bytes (20 KB, whitespace counted)`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {}
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw validation('Invalid policy document: a resource-based policy is a JSON object');
  }
  const now = policyOf(meta);
  checkExpected(input.ExpectedRevisionId, now?.revision, arn);
  if (now?.policy === policy) return { RevisionId: now.revision };
  const revision = String(Math.max(ctx.clock.now(), Number(now?.revision ?? 0) + 1));
  const extra = { ...meta.extra, resourcePolicy: policy, policyRevision: revision };
  ctx.store.commit([putMeta({ ...meta, extra })]);
  return { RevisionId: revision };
};

export const getResourcePolicy: Operation = (ctx, input) => {
  checkShape(input, { struct: { ResourceArn: 'string' } });
  const meta = target(ctx, input, new Constraints());
  const now = policyOf(meta);
  if (!now) throw notFound(input.ResourceArn as string);
  return { Policy: now.policy, RevisionId: now.revision };
};

export const deleteResourcePolicy: Operation = (ctx, input) => {
  checkShape(input, { struct: { ResourceArn: 'string', ExpectedRevisionId: 'string' } });
  const meta = target(ctx, input, new Constraints());
  const arn = input.ResourceArn as string;
  const now = policyOf(meta);
  if (!now) throw notFound(arn);
  checkExpected(input.ExpectedRevisionId, now.revision, arn);
  const extra = { ...meta.extra };
  delete extra.resourcePolicy;
  delete extra.policyRevision;
  ctx.store.commit([putMeta({ ...meta, extra })]);
  return { RevisionId: now.revision };
};
