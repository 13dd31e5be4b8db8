/** Small helpers every side of the codec uses: own names, messages, base64, object text. */
import { isLosslessNumber, stringify } from 'lossless-json';
import { DdbError } from '../../errors.js';

export function fail(where: string, why: string): never {
  throw new DdbError('input.json', { message: where === '' ? why : `${where}: ${why}` });
}

export const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !isLosslessNumber(v);

/** Set a property even when its name is "__proto__" (an attribute name like any other). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  // NOTE: defineProperty only where assignment would not do (it costs several times more).
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** The index of the first member equal (by `id`) to an earlier one, or -1. */
export function repeatedMember<T>(members: readonly T[], id: (m: T) => string): number {
  const seen = new Set<string>();
  for (const [k, m] of members.entries()) {
    const key = id(m);
    if (seen.has(key)) return k;
    seen.add(key);
  }
  return -1;
}

/** `{"name":value,...}` with each value's text from `valueText`, names in their own order. */
export function objectText<V>(m: Record<string, V>, valueText: (v: V) => string): string {
  let out = '{';
  let first = true;
  // NOTE: Object.keys, not for…in: own names only, whatever the object's prototype.
  for (const k of Object.keys(m)) {
    out += `${first ? '' : ','}${JSON.stringify(k)}:${valueText(m[k] as V)}`;
    first = false;
  }
  return `${out}}`;
}

export const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

export const base64Of = (b: Uint8Array) =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** A value as JSON for a message, cut short. */
export function shortJson(v: unknown): string {
  const text = stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// NOTE: a replacer cannot do this: JSON.stringify calls Buffer#toJSON before the replacer sees it.
export function binaryToBase64(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(binaryToBase64);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, binaryToBase64(x)]));
  }
  return v;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Whether `text` is standard base64, strictly: its alphabet, a length that is a multiple of 4, the
 * right padding, and no stray bits in the last character, i.e. decoding and encoding again gives
 * the same text. Node's decoder skips any other character and stops at the first `=`, so binary
 * given as `AA!E=` would silently be the bytes of `AAE=`.
 */
export function isBase64(text: string): boolean {
  if (!BASE64_RE.test(text)) return false;
  return !text.endsWith('=') || Buffer.from(text, 'base64').toString('base64') === text;
}

/** Why `text` is not base64 (see isBase64), with how to write it; undefined when it is. */
export function base64Problem(text: string): string | undefined {
  if (isBase64(text)) return undefined;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (BASE64_RE.test(text)) {
    // Alphabet and padding are right; the bits the last character carries past the last byte are not
    // zero, so the text is not the one encoding of its bytes (DynamoDB refuses it too).
    const canonical = Buffer.from(text, 'base64').toString('base64');
    const last = text.replace(/=+$/, '').slice(-1);
    return `${JSON.stringify(shown)} is not base64: the unused bits of its last character (${JSON.stringify(last)}) must be zero; its bytes are written ${JSON.stringify(canonical.length > 40 ? `…${canonical.slice(-12)}` : canonical)}`;
  }
  return `${JSON.stringify(shown)} is not base64: use A-Z a-z 0-9 + / and pad with = to a multiple of 4 characters, such as "AAE="`;
}
