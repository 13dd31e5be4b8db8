/** Reading document paths in items, and how DynamoDB prints them in messages. */
import type { AttributeValue, Item } from '../types.js';
import { getOwn } from '../values/validate.js';
import type { Condition, Operand, Path } from './ast.js';

/** The value at a path, or undefined when any step is missing or of the wrong kind. */
export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (!item) return undefined;
  const first = path[0] as string;
  let v = getOwn(item, first);
  for (let i = 1; i < path.length && v; i++) {
    const step = path[i]!;
    if (typeof step === 'number') v = 'L' in v ? v.L[step] : undefined;
    else v = 'M' in v && Object.hasOwn(v.M, step) ? v.M[step] : undefined;
  }
  return v;
}

/** A path as DynamoDB's messages print it: `[a, b, [2]]`. */
export function pathText(path: Path): string {
  return `[${path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join(', ')}]`;
}

/** Every document path a condition reads, in order. */
export function conditionPaths(c: Condition): Path[] {
  const out: Path[] = [];
  const operand = (o: Operand): void => {
    if (o.kind !== 'value' && o.path.length) out.push(o.path);
  };
  const walk = (c: Condition): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        walk(c.left);
        walk(c.right);
        return;
      case 'not':
        walk(c.cond);
        return;
      case 'compare':
        operand(c.left);
        operand(c.right);
        return;
      case 'between':
        for (const o of [c.value, c.low, c.high]) operand(o);
        return;
      case 'in':
        for (const o of [c.value, ...c.list]) operand(o);
        return;
      case 'exists':
      case 'notExists':
        out.push(c.path);
        return;
      case 'type':
        out.push(c.path);
        operand(c.type);
        return;
      case 'beginsWith':
        operand(c.value);
        operand(c.prefix);
        return;
      case 'contains':
        operand(c.value);
        operand(c.item);
        return;
      default:
        return;
    }
  };
  walk(c);
  return out;
}
