/**
 * The request's JSON against the types of DynamoDB's API, before any rule: a member of the wrong
 * JSON type is a SerializationException with the words DynamoDB's deserializer uses (a number where
 * a string belongs, an object where a list belongs, ...). Members the API does not have are
 * ignored, as DynamoDB ignores them; null is the same as absent. A Boolean given as a string is
 * read as DynamoDB reads it (the one member the check rewrites in place).
 *
 * Then constraint checks (`Constraints`) collect DynamoDB's "N validation errors detected: Value
 * ... at 'path' failed to satisfy constraint: ..." message, as its request validation does.
 */
import { EngineError, validation } from './errors.js';

export type Shape =
  | 'string'
  | 'long'
  | 'boolean'
  | 'any'
  | { list: Shape }
  | { map: Shape }
  | { struct: Record<string, Shape> };

function serialization(message: string): EngineError {
  return new EngineError('SerializationException', message);
}

const JAVA: Record<string, string> = { string: 'String', long: 'Long', boolean: 'Boolean' };

/** Check `value` against `shape`; throws DynamoDB's SerializationException on the first mismatch. */
export function checkShape(value: unknown, shape: Shape): void {
  if (value === null || value === undefined || shape === 'any') return;
  if (typeof shape === 'string') {
    const want = JAVA[shape]!;
    const got = typeof value;
    // A fraction given for a Long is read as its integer part (`long` below), as DynamoDB reads it.
    if (got === shape || (shape === 'long' && got === 'number')) return;
    if (Array.isArray(value)) throw serialization(`Unrecognized collection type class java.lang.${want}`);
    if (got === 'object') throw serialization('Start of structure or map found where not expected');
    if (got === 'boolean')
      throw serialization(`${value ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${want}`);
    if (got === 'number') {
      if (shape === 'boolean') throw serialization(`NUMBER_VALUE cannot be converted to ${want}`);
      throw serialization(
        `${Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${want}`,
      );
    }
    throw serialization(`STRING_VALUE cannot be converted to ${want}`);
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) {
      throw serialization(
        typeof value === 'object'
          ? 'Start of structure or map found where not expected'
          : 'Unexpected field type',
      );
    }
    for (const v of value) checkShape(v, shape.list);
    return;
  }
  if (typeof value !== 'object') throw serialization('Unexpected field type');
  if (Array.isArray(value)) throw serialization('Start of list found where not expected');
  const obj = value as Record<string, unknown>;
  if ('map' in shape) {
    for (const k of Object.keys(obj)) checkShape(obj[k], shape.map);
    return;
  }
  for (const k of Object.keys(shape.struct)) {
    if (!Object.hasOwn(obj, k)) continue;
    const member = shape.struct[k]!;
    // NOTE: DynamoDB's deserializer reads "true"/"yes"/"1" (any case) as true and "false"/"no"/"0"
    // as false for a Boolean member; the request is read so from here on.
    if (member === 'boolean' && typeof obj[k] === 'string') obj[k] = stringBoolean(obj[k] as string);
    else checkShape(obj[k], member);
  }
}

function stringBoolean(v: string): boolean {
  const u = v.toUpperCase();
  if (u === 'TRUE' || u === 'YES' || u === '1') return true;
  if (u === 'FALSE' || u === 'NO' || u === '0') return false;
  throw serialization('Unexpected token received from parser');
}

/** A number member given as a fraction counts as its integer part, as DynamoDB reads a Long. */
export function long(v: unknown): number | undefined {
  return typeof v === 'number' ? Math.trunc(v) : undefined;
}

/** DynamoDB's request-level constraint errors, gathered and thrown together. */
export class Constraints {
  private readonly errors: string[] = [];

  fail(value: unknown, path: string, constraint: string): void {
    // NOTE: DynamoDB reports at most 10 and writes the value as Java prints it ('null' for null).
    if (this.errors.length >= 10) return;
    const shown =
      value === undefined || value === null
        ? 'null'
        : `'${typeof value === 'object' ? JSON.stringify(value) : String(value)}'`;
    this.errors.push(`Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  enumOf(value: unknown, path: string, allowed: readonly string[]): void {
    if (value !== undefined && value !== null && !allowed.includes(value as string)) {
      this.fail(value, path, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
    }
  }

  notNull(value: unknown, path: string): void {
    if (value === undefined || value === null) this.fail(value, path, 'Member must not be null');
  }

  length(value: unknown, path: string, min: number, max?: number): void {
    if (typeof value !== 'string' && !Array.isArray(value)) return;
    if (value.length < min) this.fail(value, path, `Member must have length greater than or equal to ${min}`);
    else if (max !== undefined && value.length > max)
      this.fail(value, path, `Member must have length less than or equal to ${max}`);
  }

  atLeast(value: unknown, path: string, min: number): void {
    if (typeof value === 'number' && value < min)
      this.fail(value, path, `Member must have value greater than or equal to ${min}`);
  }

  /** Throw what was gathered, in DynamoDB's words. */
  throwIfAny(): void {
    const n = this.errors.length;
    if (n) throw validation(`${n} validation error${n > 1 ? 's' : ''} detected: ${this.errors.join('; ')}`);
  }
}
