/** The library's boundary: items, keys and values given by a program (plain JS numbers too) → item values. */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { DdbError } from '../../errors.js';
import { MAX_DEPTH, NESTED_TOO_DEEP, numberProblem } from '../validate.js';
import { setOwn } from './shared.js';
import type { Item, ItemInput, ItemInputValue, ItemValue } from './types.js';

/**
 * Why a JS number cannot be stored exactly, or undefined when `String(n)` is its exact value.
 * NOTE: `String(n)` is the shortest text that reads back as the same double, so a finite decimal
 * is kept as written; an integer beyond 2^53 - 1 may already have been rounded by JS.
 */
function jsNumberText(n: number | bigint): { text: string } | { problem: string } {
  if (typeof n === 'number') {
    if (!Number.isFinite(n))
      return {
        problem: `${n} is not a number DynamoDB stores (no NaN or Infinity); store null or leave it out`,
      };
    if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
      return {
        problem: `${n} is beyond Number.MAX_SAFE_INTEGER (2^53 - 1), so JS may already have rounded it; pass new NumberValue('…') with its exact digits (as a string) instead`,
      };
    }
  }
  const text = String(n);
  const problem = numberProblem(text);
  return problem ? { problem } : { text };
}

/**
 * A JS value as an item value, or the same value when it needs no conversion. `depth` counts the
 * maps and lists around it: the walk stops at DynamoDB's nesting limit, so an object that contains
 * itself is refused (input.item) instead of overflowing the stack.
 */
function fromJsValue(v: unknown, path: string, where: string, depth: number): ItemValue {
  const fail = (why: string): never => {
    throw new DdbError('input.item', { message: `${where}: ${path}: ${why}` });
  };
  if (v === undefined) fail('the value is undefined; remove the attribute, or use null to store a NULL');
  if (typeof v === 'number' || typeof v === 'bigint') {
    const r = jsNumberText(v);
    return 'text' in r ? new NumberValue(r.text) : fail(r.problem);
  }
  if (typeof v === 'function' || typeof v === 'symbol') fail(`a ${typeof v} is not a value DynamoDB stores`);
  if (v === null || typeof v !== 'object' || v instanceof NumberValue || v instanceof Uint8Array)
    return v as ItemValue;
  if (v instanceof Date)
    fail('a Date is not a value DynamoDB stores; store date.toISOString() or date.getTime()');
  const proto = Object.getPrototypeOf(v);
  if (!(v instanceof Set) && !Array.isArray(v) && proto !== Object.prototype && proto !== null) {
    fail(
      `a ${proto?.constructor?.name ?? 'class instance'} is not a value DynamoDB stores; use a plain object (a map), an array (a list) or a Set`,
    );
  }
  if (v instanceof Set) {
    if (![...v].some((x) => typeof x === 'number' || typeof x === 'bigint')) return v as ItemValue;
    return new Set([...v].map((x) => fromJsValue(x, path, where, depth) as NumberValue)) as Set<NumberValue>;
  }
  // NOTE: an attribute's value is level 1: maps and lists down to level 31, values in them at 32.
  if (depth >= MAX_DEPTH - 1) fail(NESTED_TOO_DEEP);
  if (Array.isArray(v)) {
    let out: ItemValue[] | undefined;
    v.forEach((x, i) => {
      const c = fromJsValue(x, `${path}[${i}]`, where, depth + 1);
      if (c !== x) out ??= v.slice();
      if (out) out[i] = c;
    });
    return out ?? (v as ItemValue[]);
  }
  return fromJsMap(v as Record<string, unknown>, path, where, depth + 1);
}

function fromJsMap(
  m: Record<string, unknown>,
  path: string,
  where: string,
  depth: number,
): Record<string, ItemValue> {
  let out: Record<string, ItemValue> | undefined;
  for (const k of Object.keys(m)) {
    const x = m[k];
    const c = fromJsValue(x, path === '' ? k : `${path}.${k}`, where, depth);
    if (c !== x) out ??= { ...(m as Record<string, ItemValue>) };
    if (out) setOwn(out, k, c);
  }
  return out ?? (m as Record<string, ItemValue>);
}

/**
 * The library's boundary for items, keys and values given by a program: plain JS numbers and
 * bigints become NumberValues when exact (refused with the reason when not: NaN, Infinity, an
 * integer beyond 2^53 - 1, beyond DynamoDB's range), an undefined attribute is refused (input.item).
 * The input is not changed; it is returned as is when nothing needed converting.
 */
export function fromJsItem(item: ItemInput, where = 'item'): Item {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    throw new DdbError('input.item', {
      message: `${where}: expected an object of attributes such as {"id": 1}`,
    });
  return fromJsMap(item, '', where, 0);
}

/** `fromJsItem` for a list of values (PartiQL parameters, a sort key's values). */
export function fromJsValues(values: readonly ItemInputValue[], where: string): ItemValue[] {
  return values.map((v, i) => fromJsValue(v, `value ${i + 1}`, where, 0));
}
