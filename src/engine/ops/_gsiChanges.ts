/**
 * UpdateTable's GlobalSecondaryIndexUpdates Create and Delete: checked against the table as it
 * stands, in DynamoDB's order and words, then applied to the next meta record. A created index is
 * CREATING and backfilled (indexes/backfill.ts); a deleted one is DELETING, takes no more writes,
 * and its tree is dropped when the phase ends (engine.ts advance).
 */
import type { IndexMeta, TableMeta } from '../catalog.js';
import { EngineError, validation } from '../errors.js';
import { javaHashOrder } from '../expr/javaOrder.js';
import type { AttributeDefinition } from '../types.js';
import { checkKeySchema, checkName, checkProjection, keyAttributes, keyShape } from './_keySchema.js';
import { checkProjectedLimit, gsiThroughput } from './_tables.js';
import type { IndexInput } from './createTable.js';

export interface GsiChange {
  Create?: IndexInput;
  Delete?: { IndexName?: string };
}

/** DynamoDB's limit of GSIs per table. */
const MAX_GSIS = 20;

function onlineIndexLimit(): EngineError {
  return new EngineError(
    'LimitExceededException',
    'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
  );
}

/**
 * The one Create or Delete among `updates` (undefined: none), checked. `billingMode` is the table's
 * mode after this request. Throws DynamoDB's error for the first thing wrong.
 */
export function checkGsiChange(
  meta: TableMeta,
  updates: readonly GsiChange[],
  defsGiven: AttributeDefinition[] | undefined,
  billingMode: TableMeta['billingMode'],
):
  | { create?: IndexMeta; attributeDefinitions?: AttributeDefinition[]; delete?: string; cancels?: boolean }
  | undefined {
  const changes = updates.filter((u) => u.Create || u.Delete);
  if (changes.length === 0) return undefined;
  if (changes.length > 1) throw onlineIndexLimit();
  const change = changes[0]!;
  // NOTE: one index change at a time per table, on DynamoDB as a LimitExceededException; but an
  // index being backfilled may be deleted, which cancels its creation (developer guide, "Modifying
  // a global secondary index during creation").
  const cancels = meta.indexes.some((ix) => ix.backfill && ix.name === change.Delete?.IndexName);
  if (!cancels && meta.indexes.some((ix) => ix.status === 'CREATING' || ix.status === 'DELETING')) {
    throw onlineIndexLimit();
  }
  if (change.Delete) {
    const name = change.Delete.IndexName;
    checkName(name);
    if (!meta.indexes.some((ix) => ix.kind === 'GSI' && ix.name === name)) {
      throw new EngineError(
        'ResourceNotFoundException',
        `Requested resource not found: Index: ${name} not found`,
      );
    }
    return { delete: name, cancels };
  }
  const c = change.Create!;
  checkName(c.IndexName);
  if (meta.indexes.some((ix) => ix.name === c.IndexName)) {
    throw validation('Attempting to create an index which already exists');
  }
  const given = defsGiven ?? [];
  if (given.length === 0) throw validation('No Attribute Schema Defined');
  checkKeySchema(c.KeySchema);
  for (const d of given) {
    const had = meta.attributeDefinitions.find((a) => a.AttributeName === d.AttributeName);
    if (had && had.AttributeType !== d.AttributeType) {
      throw validation(
        'invalid attribute, SchemaElement redefined should be of same type as previously defined',
      );
    }
  }
  const defs = [...meta.attributeDefinitions];
  for (const d of given) if (!defs.some((a) => a.AttributeName === d.AttributeName)) defs.push(d);
  const key = keyShape(c.KeySchema, defs, true);
  const projection = checkProjection(c.Projection);
  const throughput = gsiThroughput(c, billingMode === 'PROVISIONED');
  if (meta.indexes.filter((ix) => ix.kind === 'GSI').length >= MAX_GSIS) {
    throw new EngineError(
      'LimitExceededException',
      'Number of global secondary indexes exceeds per-table limit',
    );
  }
  checkProjectedLimit([...meta.indexes, { projection } as IndexMeta]);
  const extra: Record<string, unknown> = {};
  if (c.OnDemandThroughput) extra.OnDemandThroughput = c.OnDemandThroughput;
  // NOTE: an index added to an on-demand table is described with no maximum (-1), as DynamoDB Local
  // describes it.
  else if (billingMode === 'PAY_PER_REQUEST') {
    extra.OnDemandThroughput = { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 };
  }
  if (c.WarmThroughput) extra.WarmThroughput = { ...c.WarmThroughput, Status: 'ACTIVE' };
  const create: IndexMeta = {
    name: c.IndexName,
    kind: 'GSI',
    key,
    keySchema: c.KeySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    projection,
    status: 'CREATING',
    ...(throughput ? { throughput } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
    backfill: { cursor: '' },
  };
  return { create, attributeDefinitions: keyDefinitions(meta, [...meta.indexes, create], defs) };
}

/**
 * The definitions of the attributes the table's and its indexes' keys use, and only those, in the
 * order DynamoDB lists them after an UpdateTable (a Java hash set's, as DynamoDB Local answers).
 */
export function keyDefinitions(
  meta: TableMeta,
  indexes: readonly IndexMeta[],
  defs: readonly AttributeDefinition[] = meta.attributeDefinitions,
): AttributeDefinition[] {
  const used = keyAttributes(meta.keySchema, indexes);
  const names = javaHashOrder(defs.map((d) => d.AttributeName).filter((n) => used.has(n)));
  return names.map((n) => {
    const d = defs.find((x) => x.AttributeName === n)!;
    return { AttributeName: d.AttributeName, AttributeType: d.AttributeType };
  });
}
