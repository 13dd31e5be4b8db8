/** The `#nN` / `:vN` placeholders of one request, and the caller's own raw `#x` / `:x` ones. */
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { inputError } from '../../errors.js';
import type { ItemValue } from '../codec.js';

const RAW_NAME_RE = /^#[A-Za-z0-9_]+$/;
const RAW_VALUE_RE = /^:[A-Za-z0-9_]+$/;

/**
 * Shared placeholder allocator so several expressions of one request (condition + update +
 * projection) never collide; identical names reuse one #n placeholder, values get fresh :v
 * placeholders.
 *
 * Add raw placeholders (`addRaw`) before compiling expressions that use them: compiling checks that
 * each `#x` / `:x` in the text is defined.
 */
export class Placeholders {
  private readonly byName = new Map<string, string>();
  private readonly nameMap: Record<string, string> = {};
  private readonly valueMap: Record<string, ItemValue> = {};
  private readonly raw = new Set<string>();
  private readonly used = new Set<string>();
  private nextName = 0;
  private nextValue = 0;

  /** The `#nN` placeholder for an attribute name (or map key); the same name always gets the same one. */
  name(part: string): string {
    const known = this.byName.get(part);
    if (known !== undefined) return known;
    let key: string;
    do key = `#n${this.nextName++}`;
    while (Object.hasOwn(this.nameMap, key));
    this.nameMap[key] = part;
    this.byName.set(part, key);
    return key;
  }

  /** A fresh `:vN` placeholder for a value. */
  value(v: ItemValue): string {
    let key: string;
    do key = `:v${this.nextValue++}`;
    while (Object.hasOwn(this.valueMap, key));
    this.valueMap[key] = v;
    return key;
  }

  /** ExpressionAttributeNames so far (a copy). */
  get names(): Record<string, string> {
    return { ...this.nameMap };
  }

  /** ExpressionAttributeValues so far (a copy). */
  get values(): Record<string, ItemValue> {
    return { ...this.valueMap };
  }

  /**
   * Merge the caller's own raw placeholders (`#x` → name, `:x` → value). Redefining one with the
   * same content is allowed; a conflicting redefinition (including of a generated `#nN`/`:vN`)
   * throws `input.expression`.
   */
  addRaw(names?: Record<string, string>, values?: Record<string, ItemValue>): void {
    for (const [key, name] of Object.entries(names ?? {})) {
      if (!RAW_NAME_RE.test(key)) {
        throw inputError(
          'input.expression',
          `raw name placeholder ${JSON.stringify(key)} must be '#' followed by letters, digits or '_', such as #name`,
        );
      }
      if (typeof name !== 'string' || name === '') {
        throw inputError(
          'input.expression',
          `raw name placeholder ${key} must stand for a non-empty attribute name`,
        );
      }
      if (Object.hasOwn(this.nameMap, key) && this.nameMap[key] !== name) {
        throw inputError(
          'input.expression',
          `raw name placeholder ${key} is already defined as ${JSON.stringify(this.nameMap[key])}, cannot redefine it as ${JSON.stringify(name)}${generatedHint(key)}`,
        );
      }
      this.nameMap[key] = name;
      this.raw.add(key);
    }
    for (const [key, value] of Object.entries(values ?? {})) {
      if (!RAW_VALUE_RE.test(key)) {
        throw inputError(
          'input.expression',
          `raw value placeholder ${JSON.stringify(key)} must be ':' followed by letters, digits or '_', such as :value`,
        );
      }
      if (value === undefined) {
        throw inputError('input.expression', `raw value placeholder ${key} has no value`);
      }
      const known = this.valueMap[key];
      if (known !== undefined && !sameValue(known, value)) {
        throw inputError(
          'input.expression',
          `raw value placeholder ${key} is already defined with another value${generatedHint(key)}`,
        );
      }
      this.valueMap[key] = value;
      this.raw.add(key);
    }
  }

  /** Mark a raw `#x` / `:x` placeholder as used; false when it was never defined with `addRaw`. */
  useRaw(placeholder: string): boolean {
    if (!this.raw.has(placeholder)) return false;
    this.used.add(placeholder);
    return true;
  }

  /** Raw placeholders defined but not used by any compiled expression (DynamoDB rejects those). */
  unusedRaw(): string[] {
    return [...this.raw].filter((k) => !this.used.has(k));
  }
}

function generatedHint(key: string): string {
  return /^(#n|:v)\d+$/.test(key) ? ` (#nN and :vN are generated placeholders: give yours other names)` : '';
}

/** Deep equality of item values (numbers by their text, sets and binary by content). */
function sameValue(a: ItemValue, b: ItemValue): boolean {
  if (a instanceof NumberValue || b instanceof NumberValue) {
    return a instanceof NumberValue && b instanceof NumberValue && a.value === b.value;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    const rest = [...(b as Set<ItemValue>)];
    return [...(a as Set<ItemValue>)].every((x) => rest.some((y) => sameValue(x, y)));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]!))
    );
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(
        (k) =>
          Object.hasOwn(b, k) &&
          sameValue((a as Record<string, ItemValue>)[k]!, (b as Record<string, ItemValue>)[k]!),
      )
    );
  }
  return a === b;
}
