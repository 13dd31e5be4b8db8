/**
 * The page's one door to the server (`/api/...`, JSON). The session cookie travels by itself
 * (same origin); the browser adds the Origin header the server checks on writes. Items are
 * DynamoDB JSON both ways, so numbers stay strings.
 */
import type { AttributeValue, DdbItem } from './ddb.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  return answer<T>(await fetch(`/api${path}`, init));
}

async function answer<T>(res: Response): Promise<T> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(
      res.status,
      'ui.badAnswer',
      `the server answered ${res.status} with no JSON: ${text.slice(0, 200)}`,
    );
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string } }).error;
    throw new ApiError(res.status, e?.code ?? 'ui.error', e?.message ?? `HTTP ${res.status}`);
  }
  return json as T;
}

/** Send a file as the request body (import). */
export async function upload<T>(path: string, file: Blob): Promise<T> {
  return answer<T>(await fetch(`/api${path}`, { method: 'POST', credentials: 'same-origin', body: file }));
}

export const enc = encodeURIComponent;

export interface Target {
  kind: 'embedded' | 'endpoint' | 'aws';
  label: string;
  region?: string;
  account?: string;
  readOnly: boolean;
  features: Record<string, boolean>;
}
export interface TableSummary {
  name: string;
  status: string;
  itemCount?: number;
  billing?: string;
}
export interface KeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}
export interface IndexDescription {
  IndexName: string;
  KeySchema: KeyElement[];
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
  IndexStatus?: string;
  Backfilling?: boolean;
  ItemCount?: number;
}
export interface TableDescription {
  TableName: string;
  TableStatus?: string;
  KeySchema: KeyElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: IndexDescription[];
  LocalSecondaryIndexes?: IndexDescription[];
  BillingModeSummary?: { BillingMode?: string };
  ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string };
  DeletionProtectionEnabled?: boolean;
  ItemCount?: number;
  TableSizeBytes?: number;
  TableClassSummary?: { TableClass?: string };
  TableArn?: string;
}
export interface TableInfo {
  table: TableDescription;
  ttl?: { TimeToLiveStatus?: string; AttributeName?: string } | Record<string, unknown>;
  tags?: Record<string, string> | { Key: string; Value: string }[];
  pitr?: unknown;
}
export type SkOp = '=' | '<' | '<=' | '>' | '>=' | 'between' | 'begins_with';
export interface ReadRequest {
  mode: 'scan' | 'query';
  index?: string;
  partition?: AttributeValue;
  sk?: { op: SkOp; values: AttributeValue[] };
  filter?: string;
  project?: string;
  /** Your own #name placeholders (as --names) and :value placeholders (DynamoDB JSON). */
  names?: Record<string, string>;
  values?: DdbItem;
  descending?: boolean;
  consistent?: boolean;
  limit?: number;
  startKey?: DdbItem;
}
export interface ReadResult {
  items: DdbItem[];
  lastKey?: DdbItem;
  count: number;
  scanned: number;
}
