/** Reading document paths in items, and how DynamoDB prints them in messages. */
import type { AttributeValue, Item } from '../types.js';
import type { Path } from './ast.js';

/** The value at a path, or undefined when any step is missing or of the wrong kind. */
export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (!item) return undefined;
  const first = path[0] as string;
  let v: AttributeValue | undefined = Object.hasOwn(item, first) ? item[first] : undefined;
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
