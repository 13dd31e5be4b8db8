/**
 * The placeholders of one request: ExpressionAttributeNames (`#n` → name) and
 * ExpressionAttributeValues (`:v` → value), checked as DynamoDB checks them, and which of them the
 * request's expressions used (DynamoDB refuses unused ones once every expression is parsed).
 */
import { EngineError, validation } from '../errors.js';
import type { AttributeValue } from '../types.js';
import { checkValue } from '../values/validate.js';
import { javaHashOrder } from './javaOrder.js';

export class ExprContext {
  readonly names: ReadonlyMap<string, string>;
  readonly values: ReadonlyMap<string, AttributeValue>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  /**
   * @param names the request's ExpressionAttributeNames (unknown: checked here)
   * @param values the request's ExpressionAttributeValues (unknown: checked and normalised here)
   */
  constructor(names: unknown, values: unknown) {
    this.names = readNames(names);
    this.values = readValues(values);
  }

  /** The placeholders of a request's input (its ExpressionAttributeNames / ExpressionAttributeValues). */
  static of(input: Record<string, unknown>): ExprContext {
    return new ExprContext(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
  }

  /** Whether the request gave any ExpressionAttributeNames / ExpressionAttributeValues. */
  get hasNames(): boolean {
    return this.names.size > 0;
  }
  get hasValues(): boolean {
    return this.values.size > 0;
  }

  /** Resolve `#n` (marks it used); `param` names the expression in the error ("UpdateExpression"). */
  name(ref: string, param: string): string {
    const n = this.names.get(ref);
    if (n === undefined)
      throw validation(
        `Invalid ${param}: An expression attribute name used in the document path is not defined; attribute name: ${ref}`,
      );
    this.usedNames.add(ref);
    return n;
  }

  /** Resolve `:v` (marks it used). */
  value(ref: string, param: string): AttributeValue {
    const v = this.values.get(ref);
    if (v === undefined)
      throw validation(
        `Invalid ${param}: An expression attribute value used in expression is not defined; attribute value: ${ref}`,
      );
    this.usedValues.add(ref);
    return v;
  }

  /**
   * Call once every expression of the request is parsed: throws DynamoDB's error for names, then
   * values, that no expression used.
   */
  finish(): void {
    const unusedNames = [...this.names.keys()].filter((k) => !this.usedNames.has(k));
    if (unusedNames.length)
      throw validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${javaHashOrder(unusedNames).join(', ')}}`,
      );
    const unusedValues = [...this.values.keys()].filter((k) => !this.usedValues.has(k));
    if (unusedValues.length)
      throw validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${javaHashOrder(unusedValues).join(', ')}}`,
      );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readNames(names: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (names === undefined || names === null) return out;
  if (!isObject(names))
    throw new EngineError(
      'SerializationException',
      'Unexpected value type in ExpressionAttributeNames: expected a map',
    );
  const keys = Object.keys(names);
  if (keys.length === 0) throw validation('ExpressionAttributeNames must not be empty');
  for (const k of keys) {
    if (!/^#[A-Za-z0-9_]+$/.test(k))
      throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`);
    const v = names[k];
    // NOTE: DynamoDB's JSON reader takes a number or a boolean as the name's text.
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw new EngineError(
        'SerializationException',
        `Unexpected value type in ExpressionAttributeNames: ${k}`,
      );
    if (v === '')
      throw validation(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${k}`);
    out.set(k, String(v));
  }
  return out;
}

function readValues(values: unknown): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  if (values === undefined || values === null) return out;
  if (!isObject(values))
    throw new EngineError(
      'SerializationException',
      'Unexpected value type in ExpressionAttributeValues: expected a map',
    );
  const keys = Object.keys(values);
  if (keys.length === 0) throw validation('ExpressionAttributeValues must not be empty');
  for (const k of keys) {
    if (!/^:[A-Za-z0-9_]+$/.test(k))
      throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`);
    try {
      out.set(k, checkValue(values[k]));
    } catch (e) {
      if (e instanceof EngineError && e.type === 'ValidationException')
        throw validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${k}`);
      throw e;
    }
  }
  return out;
}
