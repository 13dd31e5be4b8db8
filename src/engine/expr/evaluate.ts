/** Conditions evaluated against an item, as DynamoDB evaluates them. */
import type { AttributeValue, Item } from '../types.js';
import { compareBinary, compareScalars, valuesEqual } from '../values/compare.js';
import type { Condition, Operand } from './ast.js';
import { getPath } from './paths.js';

/** The value of an operand, or undefined (a missing path; size() of a value that has none). */
export function operandValue(o: Operand, item: Item | undefined): AttributeValue | undefined {
  if (o.kind === 'value') return o.value;
  const v = o.kind === 'size' && o.value ? o.value : getPath(item, o.path);
  if (o.kind === 'path' || v === undefined) return v;
  const n = sizeOf(v);
  return n === undefined ? undefined : { N: String(n) };
}

/** What size() gives: length of S, bytes of B, elements of sets, lists and maps. */
function sizeOf(v: AttributeValue): number | undefined {
  // NOTE: DynamoDB Local counts a string's UTF-16 code units (Java's String.length()), not its bytes.
  if ('S' in v) return v.S.length;
  if ('B' in v) return Buffer.from(v.B, 'base64').length;
  if ('SS' in v) return v.SS.length;
  if ('NS' in v) return v.NS.length;
  if ('BS' in v) return v.BS.length;
  if ('L' in v) return v.L.length;
  if ('M' in v) return Object.keys(v.M).length;
  return undefined;
}

function typeName(v: AttributeValue): string {
  return Object.keys(v)[0]!;
}

/** Whether the item (undefined: no item) meets the condition. */
export function evaluate(cond: Condition, item: Item | undefined): boolean {
  switch (cond.kind) {
    case 'true':
      return true;
    case 'and':
      return evaluate(cond.left, item) && evaluate(cond.right, item);
    case 'or':
      return evaluate(cond.left, item) || evaluate(cond.right, item);
    case 'not':
      return !evaluate(cond.cond, item);
    case 'exists':
      return getPath(item, cond.path) !== undefined;
    case 'notExists':
      return getPath(item, cond.path) === undefined;
    case 'type': {
      const v = getPath(item, cond.path);
      const t = operandValue(cond.type, item);
      return v !== undefined && t !== undefined && 'S' in t && typeName(v) === t.S;
    }
    case 'compare': {
      const a = operandValue(cond.left, item);
      const b = operandValue(cond.right, item);
      // NOTE: a missing operand is "not equal" to anything, and ordered against nothing.
      if (a === undefined || b === undefined) return cond.op === '<>';
      if (cond.op === '=') return valuesEqual(a, b);
      if (cond.op === '<>') return !valuesEqual(a, b);
      const c = compareScalars(a, b);
      if (Number.isNaN(c)) return false;
      switch (cond.op) {
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    }
    case 'between': {
      const v = operandValue(cond.value, item);
      const lo = operandValue(cond.low, item);
      const hi = operandValue(cond.high, item);
      if (!v || !lo || !hi) return false;
      const a = compareScalars(lo, v);
      const b = compareScalars(v, hi);
      return a <= 0 && b <= 0; // NaN (other types) compares false
    }
    case 'in': {
      const v = operandValue(cond.value, item);
      if (!v) return false;
      return cond.list.some((o) => {
        const x = operandValue(o, item);
        return x !== undefined && valuesEqual(v, x);
      });
    }
    case 'beginsWith': {
      const v = operandValue(cond.value, item);
      const p = operandValue(cond.prefix, item);
      if (!v || !p) return false;
      if ('S' in v && 'S' in p) return v.S.startsWith(p.S);
      if ('B' in v && 'B' in p) {
        const a = Buffer.from(v.B, 'base64');
        const b = Buffer.from(p.B, 'base64');
        return a.length >= b.length && a.subarray(0, b.length).equals(b);
      }
      return false;
    }
    case 'contains': {
      const v = operandValue(cond.value, item);
      const x = operandValue(cond.item, item);
      if (!v || !x) return false;
      if ('S' in v) return 'S' in x && v.S.includes(x.S);
      if ('B' in v) return 'B' in x && Buffer.from(v.B, 'base64').includes(Buffer.from(x.B, 'base64'));
      if ('SS' in v) return 'S' in x && v.SS.includes(x.S);
      if ('NS' in v) return 'N' in x && v.NS.some((n) => valuesEqual({ N: n }, x));
      if ('BS' in v) return 'B' in x && v.BS.some((b) => compareBinary(b, x.B) === 0);
      if ('L' in v) return v.L.some((e) => valuesEqual(e, x));
      return false;
    }
  }
}
