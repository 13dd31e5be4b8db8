/**
 * What the engine knows of each table: its key, indexes and settings. Kept in the store's `meta`
 * tree (key: table name, value: the JSON of TableMeta), so a table's definition and its items
 * change in the same commit.
 *
 * Trees (store/index.ts): `t:<table>` holds the items, `i:<table>:<index>` each index's entries,
 * `meta` the TableMeta records. Keys are encoded by values/keys.ts.
 */
import type { AttributeDefinition, KeyElement, KeyShape } from './types.js';

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

export interface Projection {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface ThroughputMeta {
  read: number;
  write: number;
  lastIncrease?: number; // ms since epoch
  lastDecrease?: number;
  decreasesToday: number;
}

export interface IndexMeta {
  name: string;
  kind: 'GSI' | 'LSI';
  key: KeyShape;
  keySchema: KeyElement[];
  projection: Projection;
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
  /** GSIs on provisioned tables. */
  throughput?: ThroughputMeta;
  /** Settings given and described back as given (OnDemandThroughput, WarmThroughput, ...). */
  extra?: Record<string, unknown>;
}

export interface TableMeta {
  name: string;
  key: KeyShape;
  keySchema: KeyElement[];
  attributeDefinitions: AttributeDefinition[];
  indexes: IndexMeta[];
  status: TableStatus;
  /** ms since epoch; the status changes from CREATING / UPDATING / DELETING once `until` has passed. */
  createdAt: number;
  until?: number;
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  throughput: ThroughputMeta;
  tableId: string;
  arn: string;
  /** Other settings given at creation or by UpdateTable, described back (SSE, stream, class, ...). */
  extra: Record<string, unknown>;
  /** Time to Live (UpdateTimeToLive); absent: never enabled. */
  ttl?: TtlMeta;
}

/** A table's TTL setting: ENABLING / DISABLING until `until` (ms since epoch), then ENABLED / DISABLED. */
export interface TtlMeta {
  enabled: boolean;
  attribute: string;
  until?: number;
}

export const META_TREE = 'meta';
export const itemTree = (table: string): string => `t:${table}`;
export const indexTree = (table: string, index: string): string => `i:${table}:${index}`;
