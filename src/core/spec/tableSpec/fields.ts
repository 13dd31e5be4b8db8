/**
 * What the readers of a spec share: DynamoDB's limits on a table, paths into the parsed document
 * (`tables[0].gsis[1].name`) and the typed field readers that fail with such a path.
 */
import type { StreamViewType } from './types.js';

// ---------------------------------------------------------------------------------------------
// DynamoDB limits (STYLE.md "Limits of DynamoDB")

export const NAME_RE = /^[a-zA-Z0-9_.-]{3,255}$/;
export const MAX_GSIS = 20;
export const MAX_LSIS = 5;
export const MAX_TAGS = 50;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;
export const MAX_PROJECTED = 100;
export const MAX_ATTRIBUTE_NAME_BYTES = 255;

export const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
  'KEYS_ONLY',
];

// ---------------------------------------------------------------------------------------------
// Paths and failures

/** A path into the parsed document: object keys and list indexes. */
export type Path = readonly (string | number)[];
export type Fail = (path: Path, message: string) => never;

/** `tables[0].gsis[1].name`; keys that are not identifiers are quoted: `tags["cost center"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Uint8Array)
  );
}

export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isRecord(v)) return 'an object';
  return typeof v;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function suggestion(key: string, allowed: readonly string[]): string {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const a of allowed) {
    const d = a.toLowerCase() === lower ? 0 : levenshtein(lower, a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Reject keys outside `allowed` (and outside `ignored`, which are accepted and skipped). */
export function checkKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  path: Path,
  fail: Fail,
  ignored: readonly string[] = [],
): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key) || ignored.includes(key)) continue;
    fail([...path, key], `unknown field${suggestion(key, allowed)}; expected one of: ${allowed.join(', ')}`);
  }
}

export function expectRecord(
  v: unknown,
  path: Path,
  fail: Fail,
  what = 'an object',
): Record<string, unknown> {
  if (!isRecord(v)) fail(path, `expected ${what}, got ${kindOf(v)}`);
  return v;
}

/** A list; `undefined` and `null` read as an empty list. */
export function expectList(v: unknown, path: Path, fail: Fail): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, `expected a list, got ${kindOf(v)}`);
  return v;
}

export function expectString(v: unknown, path: Path, fail: Fail, missing: string): string {
  if (v === undefined || v === null) fail(path, missing);
  if (typeof v !== 'string') fail(path, `expected a string, got ${kindOf(v)}`);
  return v;
}

export function expectBoolean(v: unknown, path: Path, fail: Fail): boolean {
  if (typeof v !== 'boolean') fail(path, `expected true or false, got ${kindOf(v)}`);
  return v;
}

export function expectNumber(v: unknown, path: Path, fail: Fail): number {
  if (typeof v !== 'number') fail(path, `expected a number, got ${kindOf(v)}`);
  return v;
}

/** Upper-case with `_` for `-` and spaces: `on-demand` → `ON_DEMAND`. */
export function enumWord(v: string): string {
  return v
    .trim()
    .toUpperCase()
    .replace(/[-\s]+/g, '_');
}

export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}
