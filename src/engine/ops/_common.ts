/**
 * Checks every item operation makes on its input before anything else, with DynamoDB Local
 * 3.3.1's messages (the oracle), and the small enums they share.
 */
import { EngineError, validation } from '../errors.js';
import { RawJson } from '../json.js';

const TABLE_NAME_RE = /^[a-zA-Z0-9_.-]{3,255}$/;

/** The request's TableName, checked as DynamoDB's front end checks it. */
export function tableNameOf(input: Record<string, unknown>, member = 'tableName'): string {
  const name = input.TableName;
  if (name === undefined || name === null) {
    throw validation(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  if (typeof name !== 'string') throw serialization('TableName', 'string');
  if (!TABLE_NAME_RE.test(name)) throw validation(invalidName());
  return name;
}

/** A table name in a request map (BatchWriteItem's, BatchGetItem's RequestItems), checked. */
export function checkTableName(name: string): string {
  if (!TABLE_NAME_RE.test(name)) throw validation(invalidName());
  return name;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function invalidName(): string {
  return "Invalid table/index name.  Table/index names must be between 3 and 255 characters long, and may contain only the characters a-z, A-Z, 0-9, '_', '-', and '.'";
}

/** A member of the wrong JSON type: DynamoDB's front end cannot even read the request. */
export function serialization(member: string, expected: string): EngineError {
  return new EngineError('SerializationException', `${member} must be a ${expected}`);
}

export function optString(input: Record<string, unknown>, member: string): string | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw serialization(member, 'string');
  return v;
}

export function optBool(input: Record<string, unknown>, member: string): boolean | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw serialization(member, 'boolean');
  return v;
}

export function optObject(
  input: Record<string, unknown>,
  member: string,
): Record<string, unknown> | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization(member, 'structure');
  return v as Record<string, unknown>;
}

export function optArray(input: Record<string, unknown>, member: string): unknown[] | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw serialization(member, 'list');
  return v;
}

export function optInt(input: Record<string, unknown>, member: string): number | undefined {
  const v = input[member];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw serialization(member, 'integer');
  return v;
}

/** An enum member: DynamoDB's front end lists the values it takes. */
export function optEnum<T extends string>(
  input: Record<string, unknown>,
  member: string,
  wire: string,
  values: readonly T[],
): T | undefined {
  const v = optString(input, member);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw validation(
      `1 validation error detected: Value '${v}' at '${wire}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
  return v as T;
}

export type CapacityMode = 'NONE' | 'TOTAL' | 'INDEXES';

/**
 * ReturnConsumedCapacity. NOTE: DynamoDB Local takes any text here and answers as for NONE;
 * DynamoDB refuses a value outside its enum. We refuse it (DIVERGENCES.md).
 */
export function capacityMode(input: Record<string, unknown>): CapacityMode {
  return (
    optEnum(input, 'ReturnConsumedCapacity', 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']) ?? 'NONE'
  );
}

export function collectionMetricsMode(input: Record<string, unknown>): boolean {
  return (
    optEnum(input, 'ReturnItemCollectionMetrics', 'returnItemCollectionMetrics', ['SIZE', 'NONE']) === 'SIZE'
  );
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
