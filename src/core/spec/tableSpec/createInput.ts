/**
 * The one builder of CreateTable input from a table spec, with the SDK shapes of its parts (keys,
 * GSIs, projections, throughput) that UpdateTable steps reuse. Pure.
 */
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection as SdkProjection,
} from '@aws-sdk/client-dynamodb';
import type {
  Billing,
  GsiSpec,
  KeyAttribute,
  KeyType,
  OnDemandLimit,
  Projection,
  SseSpec,
  TableSpec,
  Throughput,
  WarmThroughput,
} from './types.js';

/** `username:S`. */
export function formatKey(k: KeyAttribute): string {
  return `${k.name}:${k.type}`;
}

export function keySchemaInput(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

/** Attribute definitions for these keys, first occurrence wins, each name once. */
export function attributeDefinitionsInput(
  keys: readonly (KeyAttribute | undefined)[],
): AttributeDefinition[] {
  const defs = new Map<string, KeyType>();
  for (const k of keys) if (k && !defs.has(k.name)) defs.set(k.name, k.type);
  return [...defs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

export function projectionInput(p: Projection): SdkProjection {
  const out: SdkProjection = { ProjectionType: p.type };
  if (p.type === 'INCLUDE' && p.attributes) out.NonKeyAttributes = [...p.attributes];
  return out;
}

/** A GSI's effective capacity: its own, else the table's; undefined on an on-demand table. */
export function gsiThroughput(g: GsiSpec, billing: Billing): Throughput | undefined {
  if (billing.mode !== 'PROVISIONED') return undefined;
  return g.throughput ?? { read: billing.read, write: billing.write };
}

export function gsiInput(g: GsiSpec, billing: Billing): GlobalSecondaryIndex {
  const out: GlobalSecondaryIndex = {
    IndexName: g.name,
    KeySchema: keySchemaInput(g.partitionKey, g.sortKey),
    Projection: projectionInput(g.projection),
  };
  const t = gsiThroughput(g, billing);
  if (t) out.ProvisionedThroughput = { ReadCapacityUnits: t.read, WriteCapacityUnits: t.write };
  if (g.onDemandThroughput && billing.mode === 'PAY_PER_REQUEST') {
    out.OnDemandThroughput = onDemandInput(g.onDemandThroughput);
  }
  if (g.warmThroughput) out.WarmThroughput = warmInput(g.warmThroughput);
  return out;
}

export function onDemandInput(o: OnDemandLimit): {
  MaxReadRequestUnits: number;
  MaxWriteRequestUnits: number;
} {
  return { MaxReadRequestUnits: o.maxRead, MaxWriteRequestUnits: o.maxWrite };
}

export function warmInput(w: WarmThroughput): { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number } {
  return {
    ...(w.read !== undefined ? { ReadUnitsPerSecond: w.read } : {}),
    ...(w.write !== undefined ? { WriteUnitsPerSecond: w.write } : {}),
  };
}

export function sseInput(s: SseSpec): { Enabled: boolean; SSEType?: 'KMS'; KMSMasterKeyId?: string } {
  if (!s.kms) return { Enabled: false };
  return { Enabled: true, SSEType: 'KMS', ...(s.kmsKey !== undefined ? { KMSMasterKeyId: s.kmsKey } : {}) };
}

/** The billing a new table gets: the spec's, else on-demand. */
export const DEFAULT_BILLING: Readonly<Billing> = Object.freeze({ mode: 'PAY_PER_REQUEST' });

/**
 * CreateTable input for a spec (pure). TTL and PITR are not part of CreateTable; OnDemandThroughput,
 * WarmThroughput, SSESpecification and ResourcePolicy are. Unmanaged
 * (absent) fields take DynamoDB's defaults: on-demand, no indexes, no tags.
 */
export function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const billing = spec.billing ?? DEFAULT_BILLING;
  const gsis = spec.gsis ?? [];
  const lsis = spec.lsis ?? [];
  const input: CreateTableCommandInput = {
    TableName: spec.name,
    AttributeDefinitions: attributeDefinitionsInput([
      spec.partitionKey,
      spec.sortKey,
      ...gsis.flatMap((g) => [g.partitionKey, g.sortKey]),
      ...lsis.map((l) => l.sortKey),
    ]),
    KeySchema: keySchemaInput(spec.partitionKey, spec.sortKey),
    BillingMode: billing.mode,
  };
  if (billing.mode === 'PROVISIONED') {
    input.ProvisionedThroughput = {
      ReadCapacityUnits: billing.read,
      WriteCapacityUnits: billing.write,
    };
  }
  if (gsis.length > 0) input.GlobalSecondaryIndexes = gsis.map((g) => gsiInput(g, billing));
  if (lsis.length > 0) {
    input.LocalSecondaryIndexes = lsis.map(
      (l): LocalSecondaryIndex => ({
        IndexName: l.name,
        KeySchema: keySchemaInput(spec.partitionKey, l.sortKey),
        Projection: projectionInput(l.projection),
      }),
    );
  }
  if (spec.stream) input.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.stream.viewType };
  const tags = Object.entries(spec.tags ?? {});
  if (tags.length > 0) input.Tags = tags.map(([Key, Value]) => ({ Key, Value }));
  if (spec.tableClass !== undefined) input.TableClass = spec.tableClass;
  if (spec.deletionProtection !== undefined) input.DeletionProtectionEnabled = spec.deletionProtection;
  // NOTE: DynamoDB takes OnDemandThroughput on on-demand tables only.
  if (spec.onDemandThroughput && billing.mode === 'PAY_PER_REQUEST') {
    input.OnDemandThroughput = onDemandInput(spec.onDemandThroughput);
  }
  if (spec.warmThroughput) input.WarmThroughput = warmInput(spec.warmThroughput);
  // An AWS owned key is every table's default: sent only when a KMS key is asked for.
  if (spec.sse?.kms) input.SSESpecification = sseInput(spec.sse);
  if (typeof spec.resourcePolicy === 'string') input.ResourcePolicy = spec.resourcePolicy;
  return input;
}
