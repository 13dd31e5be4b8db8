/**
 * CreateTable: every parameter DynamoDB documents, checked in DynamoDB Local 3.3.1's order and
 * words (where DynamoDB itself answers otherwise, DynamoDB's: DIVERGENCES.md), then the table's meta
 * record written in one commit, status CREATING until `transitionMs` has passed.
 *
 */
import { randomUUID } from 'node:crypto';
import type { IndexMeta, TableMeta } from '../catalog.js';
import type { Operation } from '../context.js';
import { EngineError, validation } from '../errors.js';
import { Constraints, checkShape, type Shape } from '../shape.js';
import { checkStreamSpec, enableStream, streamConstraints } from '../streams/lifecycle.js';
import type { ViewType } from '../streams/meta.js';
import type { AttributeDefinition, KeyElement } from '../types.js';
import {
  checkKeySchema,
  checkName,
  checkProjection,
  keyAttributes,
  keyShape,
  nameConstraints,
} from './_keySchema.js';
import {
  checkTags,
  checkThroughput,
  type GivenThroughput,
  putMeta,
  tableDescription,
  tableSettings,
} from './_tables.js';

const KEY_SCHEMA: Shape = { list: { struct: { AttributeName: 'string', KeyType: 'string' } } };
const PROJECTION: Shape = { struct: { ProjectionType: 'string', NonKeyAttributes: { list: 'string' } } };
export const THROUGHPUT: Shape = { struct: { ReadCapacityUnits: 'long', WriteCapacityUnits: 'long' } };
export const ON_DEMAND: Shape = { struct: { MaxReadRequestUnits: 'long', MaxWriteRequestUnits: 'long' } };
export const WARM: Shape = { struct: { ReadUnitsPerSecond: 'long', WriteUnitsPerSecond: 'long' } };
export const SSE: Shape = { struct: { Enabled: 'boolean', SSEType: 'string', KMSMasterKeyId: 'string' } };
export const STREAM: Shape = { struct: { StreamEnabled: 'boolean', StreamViewType: 'string' } };
export const TAGS: Shape = { list: { struct: { Key: 'string', Value: 'string' } } };

const SHAPE: Shape = {
  struct: {
    TableName: 'string',
    AttributeDefinitions: { list: { struct: { AttributeName: 'string', AttributeType: 'string' } } },
    KeySchema: KEY_SCHEMA,
    LocalSecondaryIndexes: {
      list: { struct: { IndexName: 'string', KeySchema: KEY_SCHEMA, Projection: PROJECTION } },
    },
    GlobalSecondaryIndexes: {
      list: {
        struct: {
          IndexName: 'string',
          KeySchema: KEY_SCHEMA,
          Projection: PROJECTION,
          ProvisionedThroughput: THROUGHPUT,
          OnDemandThroughput: ON_DEMAND,
          WarmThroughput: WARM,
        },
      },
    },
    BillingMode: 'string',
    ProvisionedThroughput: THROUGHPUT,
    StreamSpecification: STREAM,
    SSESpecification: SSE,
    Tags: TAGS,
    TableClass: 'string',
    DeletionProtectionEnabled: 'boolean',
    OnDemandThroughput: ON_DEMAND,
    WarmThroughput: WARM,
    ResourcePolicy: 'string',
  },
};

interface IndexInput {
  IndexName?: string;
  KeySchema?: KeyElement[];
  Projection?: { ProjectionType?: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: GivenThroughput;
  OnDemandThroughput?: Record<string, number>;
  WarmThroughput?: Record<string, number>;
}

/** DynamoDB's limit on attributes projected into all of a table's indexes together. */
const MAX_PROJECTED = 100;

export const createTable: Operation = (ctx, input) => {
  checkShape(input, SHAPE);
  const name = input.TableName;

  // Constraints DynamoDB's request validation checks on enumerations (DynamoDB Local lets some of
  // them through or fails with an InternalFailure: DIVERGENCES.md).
  const c = new Constraints();
  c.enumOf(input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  for (const [i, k] of ((input.KeySchema as KeyElement[] | undefined) ?? []).entries()) {
    c.enumOf(k.KeyType, `keySchema.${i + 1}.member.keyType`, ['HASH', 'RANGE']);
  }
  c.enumOf(input.TableClass, 'tableClass', ['STANDARD', 'STANDARD_INFREQUENT_ACCESS']);
  const sse = input.SSESpecification as
    | { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string }
    | undefined;
  c.enumOf(sse?.SSEType, 'sSESpecification.sSEType', ['AES256', 'KMS']);
  const stream = input.StreamSpecification as
    | { StreamEnabled?: boolean; StreamViewType?: string }
    | undefined;
  streamConstraints(c, stream);
  checkTags(c, input.Tags as { Key?: string; Value?: string }[] | undefined);
  // NOTE: DynamoDB's request validation reports a bad name among the others; alone, the name gets
  // DynamoDB Local's own words (checkName), as it answers them.
  if (c.count() > 0) nameConstraints(c, name, 'tableName');
  c.throwIfAny();
  checkName(name);

  const keySchema = input.KeySchema as KeyElement[] | undefined;
  if (!keySchema || keySchema.length === 0) checkKeySchema(keySchema);
  const defs = input.AttributeDefinitions as AttributeDefinition[] | undefined;
  if (!defs || defs.length === 0) throw validation('No Attribute Schema Defined');
  checkKeySchema(keySchema);
  for (const d of defs) {
    if (d.AttributeType !== 'S' && d.AttributeType !== 'N' && d.AttributeType !== 'B') {
      throw validation('Member must satisfy enum value set: [B, N, S]');
    }
  }
  if (new Set(defs.map((d) => d.AttributeName)).size !== defs.length) {
    throw validation('Cannot have two attributes with the same name');
  }
  const key = keyShape(keySchema, defs, false);

  const billingMode = input.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  const provisioned = billingMode === 'PROVISIONED';
  const indexes: IndexMeta[] = [];

  const lsis = input.LocalSecondaryIndexes as IndexInput[] | undefined;
  if (lsis && lsis.length > 0) {
    if (!key.range)
      throw validation('Local Secondary indices are not allowed on hash tables, only hash and range tables');
    for (const ix of lsis) {
      checkName(ix.IndexName);
      checkKeySchema(ix.KeySchema);
      if (ix.KeySchema[0]!.AttributeName !== key.hash.name) {
        throw validation('Local Secondary indices must have the same hash key as the main table');
      }
      if (ix.KeySchema.length < 2) throw validation('Local secondary indices must have a range key');
      const ixKey = keyShape(ix.KeySchema, defs, true);
      const projection = checkProjection(ix.Projection);
      indexes.push({
        name: ix.IndexName,
        kind: 'LSI',
        key: ixKey,
        keySchema: ix.KeySchema,
        projection,
        status: 'ACTIVE',
      });
    }
    if (new Set(lsis.map((ix) => ix.IndexName)).size !== lsis.length) {
      throw validation('Two local secondary indices have the same name');
    }
    if (lsis.length > 5) throw validation('Cannot have more than 5 local secondary indexes per table');
  }

  const gsis = input.GlobalSecondaryIndexes as IndexInput[] | undefined;
  if (gsis) {
    if (gsis.length === 0) throw validation('GSI list is empty/invalid');
    for (const ix of gsis) {
      checkName(ix.IndexName);
      checkKeySchema(ix.KeySchema);
      const ixKey = keyShape(ix.KeySchema, defs, true);
      const projection = checkProjection(ix.Projection);
      let throughput: IndexMeta['throughput'];
      if (provisioned) {
        if (!ix.ProvisionedThroughput) {
          throw validation('No provisioned throughput specified for the global secondary index');
        }
        throughput = { ...checkThroughput(ix.ProvisionedThroughput, 'index'), decreasesToday: 0 };
      } else if (ix.ProvisionedThroughput) {
        // NOTE: DynamoDB refuses this; DynamoDB Local ignores it (DIVERGENCES.md).
        throw validation(
          `One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ${ix.IndexName} when BillingMode is PAY_PER_REQUEST`,
        );
      }
      const extra: Record<string, unknown> = {};
      if (ix.OnDemandThroughput) extra.OnDemandThroughput = ix.OnDemandThroughput;
      if (ix.WarmThroughput) extra.WarmThroughput = { ...ix.WarmThroughput, Status: 'ACTIVE' };
      indexes.push({
        name: ix.IndexName,
        kind: 'GSI',
        key: ixKey,
        keySchema: ix.KeySchema,
        projection,
        status: 'ACTIVE',
        ...(throughput ? { throughput } : {}),
        ...(Object.keys(extra).length ? { extra } : {}),
      });
    }
    if (new Set(gsis.map((ix) => ix.IndexName)).size !== gsis.length) {
      throw validation('Two global secondary indices have the same name');
    }
    if (gsis.length > 20) throw validation('GlobalSecondaryIndex count exceeds the per-table limit');
    if (lsis?.some((l) => gsis.some((g) => g.IndexName === l.IndexName))) {
      throw validation('Local Secondary Indices AND Global Secondary Indices must have different names');
    }
  }
  const projected = new Set(indexes.flatMap((ix) => ix.projection.NonKeyAttributes ?? []));
  if (projected.size > MAX_PROJECTED) {
    // NOTE: DynamoDB's words; DynamoDB Local names a limit of 20 for LSIs (DIVERGENCES.md).
    throw validation(
      `One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of ${MAX_PROJECTED}, provided: ${projected.size}`,
    );
  }
  if (keyAttributes(keySchema, indexes).size !== defs.length) {
    throw validation(
      'The number of attributes in key schema must match the number of attributes defined in attribute definitions.',
    );
  }

  const pt = input.ProvisionedThroughput as GivenThroughput | undefined;
  let units = { read: 0, write: 0 };
  if (provisioned) {
    if (!pt) throw validation('No provisioned throughput specified for the table');
    units = checkThroughput(pt, 'table');
  } else if (pt) {
    // NOTE: DynamoDB refuses this; DynamoDB Local ignores it (DIVERGENCES.md).
    throw validation(
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
  }

  if (stream) checkStreamSpec(stream);
  if (ctx.findTable(name)) throw new EngineError('ResourceInUseException', `Table already exists: ${name}`);

  const now = ctx.clock.now();
  const meta: TableMeta = {
    name,
    key,
    keySchema: keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    attributeDefinitions: defs.map((d) => ({
      AttributeName: d.AttributeName,
      AttributeType: d.AttributeType,
    })),
    indexes: indexes.map((ix) => (ctx.transitionMs > 0 ? { ...ix, status: 'CREATING' } : ix)),
    status: ctx.transitionMs > 0 ? 'CREATING' : 'ACTIVE',
    createdAt: now,
    ...(ctx.transitionMs > 0 ? { until: now + ctx.transitionMs } : {}),
    billingMode,
    throughput: { ...units, decreasesToday: 0 },
    tableId: randomUUID(),
    arn: `arn:aws:dynamodb:${ctx.region}:${ctx.account}:table/${name}`,
    extra: tableSettings(ctx, input, now),
  };
  // The stream itself is opened by the commit (streams/capture.ts) from what the meta record says.
  if (stream?.StreamEnabled === true) enableStream(meta, stream.StreamViewType as ViewType, now);
  ctx.store.commit([putMeta(meta)]);
  return { TableDescription: tableDescription(ctx, meta) };
};
