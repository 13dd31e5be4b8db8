/**
 * Update expressions applied to an item, as DynamoDB applies them: every right-hand side is
 * evaluated against the item as it was, then SET, REMOVE, ADD and DELETE write the new item.
 */
import { addDecimal, parseDecimal, subtractDecimal } from '../../ddb/numbers.js';
import { validation } from '../errors.js';
import type { AttributeValue, Item } from '../types.js';
import { valuesEqual } from '../values/compare.js';
import { checkDecimal, setOwn } from '../values/validate.js';
import type { Path, SetValue, Update } from './ast.js';
import { getPath, pathText } from './paths.js';

const INCORRECT_TYPE = 'An operand in the update expression has an incorrect data type';
const LEGACY_MISMATCH = 'Type mismatch for attribute to update';
/** The type error of the update being applied (AttributeUpdates words it its own way). */
let typeError = INCORRECT_TYPE;

/** Every path an update writes, in the order written. */
export function updatePaths(u: Update): Path[] {
  return [
    ...u.set.map((a) => a.path),
    ...u.remove,
    ...u.add.map((a) => a.path),
    ...u.delete.map((a) => a.path),
  ];
}

/**
 * DynamoDB refuses two actions on overlapping paths (`a` and `a.b`, or `a` twice) or conflicting
 * ones (`a.b` and `a[0]`). Throws its message; `param` is "UpdateExpression" or "ProjectionExpression".
 */
export function checkPathOverlaps(paths: Path[], param: string): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < i; j++) {
      const one = paths[j]!;
      const two = paths[i]!;
      const n = Math.min(one.length, two.length);
      let k = 0;
      while (k < n && one[k] === two[k]) k++;
      if (k === n)
        throw validation(
          `Invalid ${param}: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`,
        );
      if (typeof one[k] !== typeof two[k])
        throw validation(
          `Invalid ${param}: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`,
        );
    }
  }
}

/** The key attribute an update writes, if any (DynamoDB: "Cannot update attribute x. This attribute is part of the key"). */
export function keyAttributeUpdated(u: Update, keyNames: readonly string[]): string | undefined {
  for (const p of updatePaths(u)) if (keyNames.includes(p[0] as string)) return p[0] as string;
  return undefined;
}

/** DynamoDB's message for keyAttributeUpdated. */
export function keyUpdateMessage(name: string): string {
  return `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`;
}

function arithmetic(a: AttributeValue, b: AttributeValue, minus: boolean): AttributeValue {
  if (!('N' in a) || !('N' in b)) throw validation(typeError);
  const x = parseDecimal(a.N)!;
  const y = parseDecimal(b.N)!;
  return { N: checkDecimal(minus ? subtractDecimal(x, y) : addDecimal(x, y)) };
}

function evalSet(v: SetValue, item: Item): AttributeValue {
  switch (v.kind) {
    case 'value':
      return v.value;
    case 'path': {
      const x = getPath(item, v.path);
      if (x === undefined)
        throw validation('The provided expression refers to an attribute that does not exist in the item');
      return x;
    }
    case 'size':
      throw validation('The function is not allowed in an update expression; function: size');
    case 'plus':
    case 'minus':
      return arithmetic(evalSet(v.left, item), evalSet(v.right, item), v.kind === 'minus');
    case 'ifNotExists':
      return getPath(item, v.path) ?? evalSet(v.fallback, item);
    case 'listAppend': {
      const a = evalSet(v.left, item);
      const b = evalSet(v.right, item);
      if (!('L' in a) || !('L' in b)) throw validation(typeError);
      return { L: [...a.L, ...b.L] };
    }
  }
}

function clone(v: AttributeValue): AttributeValue {
  if ('M' in v) {
    const m: Record<string, AttributeValue> = {};
    for (const k of Object.keys(v.M)) setOwn(m, k, clone(v.M[k]!));
    return { M: m };
  }
  if ('L' in v) return { L: v.L.map(clone) };
  return v; // scalars and sets are never mutated in place
}

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';

/**
 * The container holding the path's last step (maps and lists on the way cloned, so the old item
 * stays as it was). DynamoDB refuses a path whose parent is missing or not a map / list as its
 * last step needs.
 */
function parentOf(item: Item, path: Path): Record<string, AttributeValue> | AttributeValue[] {
  let container: Record<string, AttributeValue> | AttributeValue[] = item;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const isList = Array.isArray(container);
    if (isList !== (typeof step === 'number')) throw validation(INVALID_PATH);
    if (i === path.length - 1) break;
    const cur: AttributeValue | undefined = isList
      ? (container as AttributeValue[])[step as number]
      : Object.hasOwn(container, step)
        ? (container as Record<string, AttributeValue>)[step as string]
        : undefined;
    if (cur === undefined || !('M' in cur || 'L' in cur)) throw validation(INVALID_PATH);
    const copy = clone(cur) as { M: Record<string, AttributeValue> } | { L: AttributeValue[] };
    if (isList) (container as AttributeValue[])[step as number] = copy;
    else setOwn(container as Record<string, AttributeValue>, step as string, copy);
    container = 'L' in copy ? copy.L : copy.M;
  }
  return container;
}

function setAt(item: Item, path: Path, value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    // NOTE: an index past the end appends (DynamoDB does not pad lists).
    if ((last as number) >= parent.length) parent.push(value);
    else parent[last as number] = value;
  } else setOwn(parent, last as string, value);
}

/** Remove what the path names; a missing last step is no error, a missing parent is. */
function removeAt(item: Item, path: Path): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    if ((last as number) < parent.length) parent.splice(last as number, 1);
  } else delete parent[last as string];
}

function setUnion(a: AttributeValue, b: AttributeValue): AttributeValue {
  if ('SS' in a && 'SS' in b) return { SS: [...a.SS, ...b.SS.filter((x) => !a.SS.includes(x))] };
  if ('NS' in a && 'NS' in b)
    return { NS: [...a.NS, ...b.NS.filter((x) => !a.NS.some((y) => valuesEqual({ N: x }, { N: y })))] };
  if ('BS' in a && 'BS' in b) return { BS: [...a.BS, ...b.BS.filter((x) => !a.BS.includes(x))] };
  throw validation(typeError);
}

function setDifference(a: AttributeValue, b: AttributeValue): AttributeValue | undefined {
  let out: AttributeValue;
  if ('SS' in a && 'SS' in b) out = { SS: a.SS.filter((x) => !b.SS.includes(x)) };
  else if ('NS' in a && 'NS' in b)
    out = { NS: a.NS.filter((x) => !b.NS.some((y) => valuesEqual({ N: x }, { N: y }))) };
  else if ('BS' in a && 'BS' in b) out = { BS: a.BS.filter((x) => !b.BS.includes(x)) };
  else throw validation(typeError);
  return (Object.values(out)[0] as unknown[]).length ? out : undefined;
}

export interface UpdateResult {
  /** The new item (the input item is left untouched). */
  item: Item;
  /** Top-level attribute names the update wrote (ReturnValues UPDATED_*). */
  updated: Set<string>;
  /** The document paths the update wrote: project the old or new item on them for UPDATED_OLD / UPDATED_NEW. */
  paths: Path[];
}

/** Apply an update to an item (`{}` plus the key when the item does not exist yet). */
export function applyUpdate(u: Update, item: Item): UpdateResult {
  typeError = u.legacy ? LEGACY_MISMATCH : INCORRECT_TYPE;
  // Every right-hand side sees the item as it was before this update.
  const sets = u.set.map((a) => ({ path: a.path, value: evalSet(a.value, item) }));
  const out: Item = {};
  for (const k of Object.keys(item)) setOwn(out, k, item[k]!);
  for (const s of sets) setAt(out, s.path, s.value);
  // Removing list elements from the highest index down keeps the indexes the expression meant.
  const removes = [...u.remove].sort((a, b) => {
    const x = a[a.length - 1];
    const y = b[b.length - 1];
    return typeof x === 'number' && typeof y === 'number' ? y - x : 0;
  });
  for (const p of removes) removeAt(out, p);
  for (const a of u.add) {
    const cur = getPath(item, a.path);
    let next: AttributeValue;
    if (cur === undefined) next = a.value;
    else if ('N' in cur && 'N' in a.value) next = arithmetic(cur, a.value, false);
    else next = setUnion(cur, a.value);
    setAt(out, a.path, next);
  }
  for (const d of u.delete) {
    const cur = getPath(item, d.path);
    if (cur === undefined) {
      parentOf(out, d.path); // a missing parent is refused even when there is nothing to delete
      continue;
    }
    const next = setDifference(cur, d.value);
    if (next) setAt(out, d.path, next);
    else removeAt(out, d.path);
  }
  const paths = updatePaths(u);
  return { item: out, updated: new Set(paths.map((p) => p[0] as string)), paths };
}

/**
 * What ReturnValues UPDATED_OLD / UPDATED_NEW return, as DynamoDB Local 3.3.1 does: the whole
 * top-level attribute of every updated path that exists in `item` (the old item for UPDATED_OLD,
 * the new one for UPDATED_NEW). `SET m.a` returns all of `m`; `REMOVE m.a` returns nothing new.
 */
export function updatedAttributes(item: Item, paths: Path[]): Item {
  const out: Item = {};
  for (const p of paths) {
    const name = p[0] as string;
    if (getPath(item, p) !== undefined) setOwn(out, name, item[name]!);
  }
  return out;
}
