/** Emitter: syntax tree → expression text, every name a `#nN` and every value a `:vN` placeholder. */
import type { Condition, Path, UpdateOperand, UpdateValue } from './ast.js';
import type { Placeholders } from './placeholders.js';
import type { Source } from './source.js';

export class Emitter {
  constructor(
    readonly src: Source,
    readonly ph: Placeholders,
  ) {}

  path(path: Path): string {
    let out = '';
    for (const s of path.segments) {
      if (s.kind === 'index') {
        out += `[${s.index}]`;
        continue;
      }
      if (out !== '') out += '.';
      if (s.kind === 'name') {
        out += this.ph.name(s.name);
      } else {
        if (!this.ph.useRaw(s.placeholder)) {
          this.src.fail(s.start, `placeholder ${s.placeholder} is not defined: define it in the raw names`);
        }
        out += s.placeholder;
      }
    }
    return out;
  }

  operand(o: UpdateOperand): string {
    switch (o.kind) {
      case 'path':
        return this.path(o.path);
      case 'value':
        return this.ph.value(o.value);
      case 'raw':
        if (!this.ph.useRaw(o.placeholder)) {
          this.src.fail(o.start, `placeholder ${o.placeholder} is not defined: define it in the raw values`);
        }
        return o.placeholder;
      case 'size':
        return `size(${this.path(o.path)})`;
      case 'if_not_exists': {
        const path = this.path(o.path);
        return `if_not_exists(${path}, ${this.operand(o.fallback)})`;
      }
      case 'list_append': {
        const first = this.operand(o.first);
        return `list_append(${first}, ${this.operand(o.second)})`;
      }
    }
  }

  update(v: UpdateValue): string {
    if (v.kind !== 'arith') return this.operand(v);
    const left = this.operand(v.left);
    return `${left} ${v.op} ${this.operand(v.right)}`;
  }

  condition(c: Condition): string {
    switch (c.kind) {
      case 'compare': {
        const left = this.operand(c.left);
        return `${left} ${c.op} ${this.operand(c.right)}`;
      }
      case 'between': {
        const subject = this.operand(c.subject);
        const low = this.operand(c.low);
        return `${subject} BETWEEN ${low} AND ${this.operand(c.high)}`;
      }
      case 'in': {
        const subject = this.operand(c.subject);
        return `${subject} IN (${c.list.map((o) => this.operand(o)).join(', ')})`;
      }
      case 'function':
        return `${c.name}(${c.args.map((o) => this.operand(o)).join(', ')})`;
      case 'and': {
        // NOTE: AND binds tighter than OR, so an OR inside an AND keeps its parentheses.
        const left = this.wrapIf(c.left, 'or');
        return `${left} AND ${this.wrapIf(c.right, 'or')}`;
      }
      case 'or': {
        const left = this.condition(c.left);
        return `${left} OR ${this.condition(c.right)}`;
      }
      case 'not':
        return c.operand.kind === 'function'
          ? `NOT ${this.condition(c.operand)}`
          : `NOT (${this.condition(c.operand)})`;
    }
  }

  private wrapIf(c: Condition, kind: Condition['kind']): string {
    const text = this.condition(c);
    return c.kind === kind ? `(${text})` : text;
  }
}
