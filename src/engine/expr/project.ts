/**
 * Projections: the parts of an item a ProjectionExpression (or AttributesToGet) names. Nested
 * paths keep their maps and lists; list elements picked by index keep their order, compacted.
 */
import type { AttributeValue, Item } from '../types.js';
import { setOwn } from '../values/validate.js';
import type { Path, Projection } from './ast.js';

interface Picked {
  whole?: AttributeValue;
  children: Map<string | number, Picked>;
}

/**
 * Pick `path` from `at` on in `v` into `node`; false when it does not resolve (a name or an index
 * that is not there, or a step into a value that is no map or list): then nothing of it is kept,
 * as DynamoDB leaves such a path out.
 */
function pick(v: AttributeValue, path: Path, at: number, node: Picked): boolean {
  if (at === path.length) {
    node.whole = v;
    return true;
  }
  const step = path[at]!;
  let child: AttributeValue | undefined;
  if (typeof step === 'number') child = 'L' in v ? v.L[step] : undefined;
  else child = 'M' in v && Object.hasOwn(v.M, step) ? v.M[step] : undefined;
  if (child === undefined) return false;
  const known = node.children.get(step);
  const sub = known ?? { children: new Map() };
  if (!pick(child, path, at + 1, sub)) return false;
  if (!known) node.children.set(step, sub);
  return true;
}

function render(v: AttributeValue, node: Picked): AttributeValue {
  if (node.whole) return node.whole;
  if ('L' in v) {
    const steps = [...node.children.keys()]
      .filter((k): k is number => typeof k === 'number')
      .sort((a, b) => a - b);
    return { L: steps.map((i) => render(v.L[i]!, node.children.get(i)!)) };
  }
  const m: Record<string, AttributeValue> = {};
  const map = (v as { M: Record<string, AttributeValue> }).M;
  for (const [k, sub] of node.children) setOwn(m, k as string, render(map[k as string]!, sub));
  return { M: m };
}

/** The item cut down to the projection's paths (attributes in the item's own order). */
export function project(item: Item, projection: Projection): Item {
  const roots = new Map<string, Picked>();
  for (const path of projection) {
    const name = path[0] as string;
    if (!Object.hasOwn(item, name)) continue;
    let node = roots.get(name);
    if (!node) {
      node = { children: new Map() };
      roots.set(name, node);
    }
    pick(item[name]!, path, 1, node);
  }
  const out: Item = {};
  for (const k of Object.keys(item)) {
    const node = roots.get(k);
    if (!node) continue;
    if (!node.whole && node.children.size === 0) continue;
    setOwn(out, k, render(item[k]!, node));
  }
  return out;
}
