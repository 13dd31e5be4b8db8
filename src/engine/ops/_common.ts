/**
 * Checks every item operation makes on its input before anything else, with DynamoDB Local
 * 3.3.1's messages (the oracle), and the small enums they share.
 */
import { validation } from '../errors.js';
import { RawJson } from '../json.js';
import { Constraints, checkShape, type Shape } from '../shape.js';
import { checkName } from './_keySchema.js';

/** The request's TableName, checked as DynamoDB's front end checks it (its type by checkShape before). */
export function tableNameOf(input: Record<string, unknown>): string {
  const name = input.TableName;
  if (name === undefined || name === null) {
    throw validation("Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  }
  checkName(name);
  return name;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Members every item operation may carry, with their JSON types (shape.ts). Expression members are
 * read by expr's expressionText (DynamoDB takes a number or a boolean there as text).
 */
export const COMMON_SHAPE: Record<string, Shape> = {
  TableName: 'string',
  ReturnConsumedCapacity: 'string',
  ReturnItemCollectionMetrics: 'string',
  ReturnValues: 'string',
  ReturnValuesOnConditionCheckFailure: 'string',
  ConditionalOperator: 'string',
  ConditionExpression: 'any',
  ProjectionExpression: 'any',
  FilterExpression: 'any',
  KeyConditionExpression: 'any',
  UpdateExpression: 'any',
  ExpressionAttributeNames: { map: 'string' },
  ExpressionAttributeValues: { map: 'any' },
  AttributesToGet: { list: 'string' },
  ConsistentRead: 'boolean',
  Item: { map: 'any' },
  Key: { map: 'any' },
  Expected: { map: 'any' },
  AttributeUpdates: { map: 'any' },
  KeyConditions: { map: 'any' },
  QueryFilter: { map: 'any' },
  ScanFilter: { map: 'any' },
  ExclusiveStartKey: { map: 'any' },
  IndexName: 'string',
  Select: 'string',
  Limit: 'long',
  ScanIndexForward: 'boolean',
  RequestItems: { map: 'any' },
  Segment: 'long',
  TotalSegments: 'long',
};

/**
 * The members' JSON types, the table name (unless `named` is false: the batches), then the enumerations DynamoDB's request validation checks (gathered
 * into one message). NOTE: DynamoDB Local takes any text in ReturnConsumedCapacity and
 * ReturnItemCollectionMetrics; DynamoDB refuses it (DIVERGENCES.md).
 */
export function checkCommon(input: Record<string, unknown>, writes: boolean, named = true): string {
  checkShape(input, { struct: COMMON_SHAPE });
  // DynamoDB Local checks the table name before the enumerations.
  const name = named ? tableNameOf(input) : '';
  const c = new Constraints();
  c.enumOf(input.ReturnConsumedCapacity, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  if (writes) {
    c.enumOf(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
    c.enumOf(input.ReturnValuesOnConditionCheckFailure, 'returnValuesOnConditionCheckFailure', [
      'ALL_OLD',
      'NONE',
    ]);
  }
  c.throwIfAny();
  return name;
}

export type CapacityMode = 'NONE' | 'TOTAL' | 'INDEXES';

/** ReturnConsumedCapacity (checked by checkCommon). */
export function capacityMode(input: Record<string, unknown>): CapacityMode {
  return (input.ReturnConsumedCapacity as CapacityMode | undefined) ?? 'NONE';
}

export function collectionMetricsMode(input: Record<string, unknown>): boolean {
  return input.ReturnItemCollectionMetrics === 'SIZE';
}

/** DynamoDB writes capacity units as decimals (`1.0`, `0.5`): keep that text. */
export function units(n: number): RawJson {
  return new RawJson(Number.isInteger(n) ? `${n}.0` : String(n));
}

/** Units a read of `bytes` consumes: one per 4 KB (at least one), half when eventually consistent. */
export function readUnits(bytes: number, consistent: boolean): number {
  const u = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? u : u / 2;
}

/** Units a write of `bytes` consumes: one per 1 KB, at least one. */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** Units consumed by one request on one table, by the table and by each index. */
export class Capacity {
  table = 0;
  indexes = new Map<string, { kind: 'GSI' | 'LSI'; units: number }>();

  index(name: string, kind: 'GSI' | 'LSI', n: number): void {
    const e = this.indexes.get(name);
    if (e) e.units += n;
    else this.indexes.set(name, { kind, units: n });
  }

  /** The ConsumedCapacity member, or undefined for NONE. */
  answer(tableName: string, mode: CapacityMode): Record<string, unknown> | undefined {
    if (mode === 'NONE') return undefined;
    let total = this.table;
    for (const e of this.indexes.values()) total += e.units;
    const out: Record<string, unknown> = { TableName: tableName, CapacityUnits: units(total) };
    if (mode === 'INDEXES') {
      out.Table = { CapacityUnits: units(this.table) };
      for (const kind of ['LSI', 'GSI'] as const) {
        const m: Record<string, unknown> = {};
        for (const [name, e] of this.indexes)
          if (e.kind === kind) m[name] = { CapacityUnits: units(e.units) };
        if (Object.keys(m).length)
          out[kind === 'LSI' ? 'LocalSecondaryIndexes' : 'GlobalSecondaryIndexes'] = m;
      }
    }
    return out;
  }
}
