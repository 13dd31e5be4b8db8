/** A table spec: the desired state of one DynamoDB table, as every reader returns it (see ../tableSpec.ts). */

export type KeyType = 'S' | 'N' | 'B';

/** A key attribute: its name and its scalar type. */
export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/** Provisioned capacity units; integers ≥ 1. */
export interface Throughput {
  read: number;
  write: number;
}

export type Billing = ({ mode: 'PROVISIONED' } & Throughput) | { mode: 'PAY_PER_REQUEST' };

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

/** `attributes` (the non-key attributes) only with `INCLUDE`, where it is required. */
export interface Projection {
  type: ProjectionType;
  attributes?: string[];
}

/**
 * The most request units an on-demand table (or GSI) may use a second; -1 = no limit (DynamoDB's
 * own encoding: `OnDemandThroughput.MaxReadRequestUnits` / `MaxWriteRequestUnits`).
 */
export interface OnDemandLimit {
  maxRead: number;
  maxWrite: number;
}

/** Warm throughput: the read / write units a second the table (or GSI) is pre-warmed for. */
export interface WarmThroughput {
  read?: number;
  write?: number;
}

/**
 * Encryption at rest: `kms: false` = an AWS owned key (DynamoDB's default); `kms: true` = a KMS
 * key: `kmsKey` (an id, ARN or alias) or, absent, the AWS managed key `alias/aws/dynamodb`.
 */
export interface SseSpec {
  kms: boolean;
  kmsKey?: string;
}

export interface GsiSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: Projection;
  /** Provisioned tables only. Absent = the table's own read/write capacity. */
  throughput?: Throughput;
  /** On-demand tables only. Absent: unmanaged (a new GSI has no limit). */
  onDemandThroughput?: OnDemandLimit;
  /** Absent: unmanaged (a new GSI gets DynamoDB's default). */
  warmThroughput?: WarmThroughput;
}

/** A local secondary index: its partition key is always the table's, so only the sort key is given. */
export interface LsiSpec {
  name: string;
  sortKey: KeyAttribute;
  projection: Projection;
}

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

/**
 * The desired (or, from `specFromDescription`, the live) state of one table.
 *
 * Optional fields: `undefined` = not managed (leave the live setting as it is); `null` / `false`
 * = explicitly off.
 */
export interface TableSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Absent: unmanaged; a new table is on-demand. */
  billing?: Billing;
  /** Absent: unmanaged (a new table gets none); present: the whole set. */
  gsis?: GsiSpec[];
  /** Absent: unmanaged (a new table gets none); present: the whole set (a change = replacement). */
  lsis?: LsiSpec[];
  /** Absent: unmanaged (a new table gets none); present: the whole set (`{}` removes every tag). */
  tags?: Record<string, string>;
  ttl?: { attribute: string } | null;
  pitr?: boolean;
  stream?: { viewType: StreamViewType } | null;
  deletionProtection?: boolean;
  tableClass?: TableClass;
  /** On-demand tables only. Absent: unmanaged (a new table has no limit). */
  onDemandThroughput?: OnDemandLimit;
  /** Absent: unmanaged (a new table gets DynamoDB's default). Can only grow. */
  warmThroughput?: WarmThroughput;
  /** Absent: unmanaged (a new table gets an AWS owned key). */
  sse?: SseSpec;
  /** The resource-based policy, as JSON text; null = none. Absent: unmanaged. */
  resourcePolicy?: string | null;
}
