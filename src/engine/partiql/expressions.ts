/**
 * A statement's conditions, paths and values written as the expressions of DynamoDB's item
 * operations (`#n0.#n1[1] = :v0`, with ExpressionAttributeNames / Values), so that PartiQL runs
 * through GetItem, Query, Scan, PutItem, UpdateItem and DeleteItem: one evaluator of conditions and
 * updates in the engine, not two.
 */
import { validation } from '../errors.js';
import type { AV } from '../types.js';
import type { Cond, Operand, Path } from './ast.js';
import { toValue } from './values.js';

/** Functions a condition may call (DynamoDB's condition functions), by their lower-case name. */
const CONDITION_FUNCTIONS = new Set([
  'begins_with',
  'contains',
  'attribute_type',
  'size',
  'attribute_exists',
  'attribute_not_exists',
]);
/** Functions a SET may call besides them (set_add / set_delete are turned into ADD / DELETE). */
const UPDATE_FUNCTIONS = new Set(['if_not_exists', 'list_append', 'size']);

export class Expressions {
  private readonly names = new Map<string, string>();
  private readonly values = new Map<string, AV>();
  constructor(private readonly params: readonly unknown[]) {}

  name(n: string): string {
    let id = this.names.get(n);
    if (!id) {
      id = `#n${this.names.size}`;
      this.names.set(n, id);
    }
    return id;
  }

  value(v: AV): string {
    const id = `:v${this.values.size}`;
    this.values.set(id, v);
    return id;
  }

  path(p: Path): string {
    let out = '';
    for (const part of p.parts) {
      if (typeof part === 'number') out += `[${part}]`;
      else out += (out ? '.' : '') + this.name(part);
    }
    return out;
  }

  operand(o: Operand, functions = CONDITION_FUNCTIONS): string {
    switch (o.t) {
      case 'path':
        return this.path(o);
      case 'call': {
        const fn = o.name.toLowerCase();
        if (!functions.has(fn)) throw validation(`Unrecognized function: ${o.name}`);
        return `${fn}(${o.args.map((a) => this.operand(a, functions)).join(', ')})`;
      }
      case 'arith':
        return `${this.operand(o.l, functions)} ${o.op} ${this.operand(o.r, functions)}`;
      default:
        return this.value(toValue(o, this.params));
    }
  }

  /** An operand on the right of SET. */
  setValue(o: Operand): string {
    return this.operand(o, UPDATE_FUNCTIONS);
  }

  cond(c: Cond): string {
    switch (c.t) {
      case 'and':
      case 'or':
        return `(${this.cond(c.l)}) ${c.t.toUpperCase()} (${this.cond(c.r)})`;
      case 'not':
        return `NOT (${this.cond(c.c)})`;
      case 'cmp':
        return `${this.operand(c.l)} ${c.op} ${this.operand(c.r)}`;
      case 'between':
        return `${this.operand(c.x)} BETWEEN ${this.operand(c.lo)} AND ${this.operand(c.hi)}`;
      case 'in':
        return `${this.operand(c.x)} IN (${c.items.map((i) => this.operand(i)).join(', ')})`;
      case 'is': {
        const x = this.operand(c.x);
        if (c.what === 'MISSING') return c.not ? `attribute_exists(${x})` : `attribute_not_exists(${x})`;
        // NOTE: IS NULL holds for a NULL value only, IS NOT NULL for any other or none (DynamoDB Local).
        const isNull = `attribute_type(${x}, ${this.value({ S: 'NULL' })})`;
        return c.not ? `NOT ${isNull}` : isNull;
      }
      case 'fn':
        return this.operand(c.call);
    }
  }

  /** ExpressionAttributeNames and ExpressionAttributeValues, the members present only when used. */
  members(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.names.size)
      out.ExpressionAttributeNames = Object.fromEntries([...this.names].map(([n, id]) => [id, n]));
    if (this.values.size) out.ExpressionAttributeValues = Object.fromEntries(this.values);
    return out;
  }
}

/** The conditions ANDed at the top of `c`, in order. */
export function conjuncts(c: Cond | undefined): Cond[] {
  if (!c) return [];
  if (c.t === 'and') return [...conjuncts(c.l), ...conjuncts(c.r)];
  return [c];
}

/** `c` and the rest ANDed again, or undefined for none. */
export function andAll(cs: Cond[]): Cond | undefined {
  return cs.reduce<Cond | undefined>((l, r) => (l ? { t: 'and', l, r } : r), undefined);
}

/** Whether `o` is the top-level attribute `name`. */
export function isAttribute(o: Operand, name: string): o is Path {
  return o.t === 'path' && o.parts.length === 1 && o.parts[0] === name;
}

/** Whether a value (a literal or `?`) — what a key condition compares with. */
export function isValue(o: Operand): boolean {
  return o.t !== 'path' && o.t !== 'call' && o.t !== 'arith';
}

/** The value `c` fixes `name` to (`name = v` or `v = name`), if it does. */
export function equalityOn(c: Cond, name: string): Operand | undefined {
  if (c.t !== 'cmp' || c.op !== '=') return undefined;
  if (isAttribute(c.l, name) && isValue(c.r)) return c.r;
  if (isAttribute(c.r, name) && isValue(c.l)) return c.l;
  return undefined;
}

/** Whether any path in `c` starts at one of `names`. */
export function mentions(c: Cond, names: readonly string[]): boolean {
  const inOperand = (o: Operand): boolean => {
    if (o.t === 'path') return names.includes(String(o.parts[0]));
    if (o.t === 'call') return o.args.some(inOperand);
    if (o.t === 'arith') return inOperand(o.l) || inOperand(o.r);
    return false;
  };
  switch (c.t) {
    case 'and':
    case 'or':
      return mentions(c.l, names) || mentions(c.r, names);
    case 'not':
      return mentions(c.c, names);
    case 'cmp':
      return inOperand(c.l) || inOperand(c.r);
    case 'between':
      return inOperand(c.x) || inOperand(c.lo) || inOperand(c.hi);
    case 'in':
      return inOperand(c.x) || c.items.some(inOperand);
    case 'is':
      return inOperand(c.x);
    case 'fn':
      return inOperand(c.call);
  }
}
