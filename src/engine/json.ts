/**
 * Answers are written with stored items spliced in as their JSON text: a GetItem or a Scan page
 * never parses and re-serialises what storage already holds as text.
 */

/** JSON text to embed as is. */
export class RawJson {
  constructor(readonly json: string) {}
}

/** JSON.stringify, except that RawJson values are written as their text. */
export function stringify(value: unknown): string {
  if (value instanceof RawJson) return value.json;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + stringify(value[i] ?? null);
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${stringify(v)}`;
    first = false;
  }
  return `${out}}`;
}
