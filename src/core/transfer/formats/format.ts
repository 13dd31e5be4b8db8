/** The file formats of import and export, and how a file's name implies one. */

/**
 * - `ndjson`   one plain-JSON item per line (the default): exact numbers, `$set` / `$binary` tags
 * - `json`     one JSON array of plain items, read element by element (never whole)
 * - `csv`      RFC 4180 with a header row; column types come from `types` (see csv.ts)
 * - `ddb-json` one DynamoDB-JSON item per line, as DynamoDB's export to S3 writes it:
 *              `{"Item":{"pk":{"S":"x"}}}` (a bare `{"pk":{"S":"x"}}` line reads too)
 */
export type Format = 'ndjson' | 'json' | 'csv' | 'ddb-json';

export const FORMATS: readonly Format[] = ['ndjson', 'json', 'csv', 'ddb-json'];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/**
 * The format a file name implies, ignoring a trailing `.gz` and letter case: .ndjson/.jsonl →
 * ndjson, .json → json, .csv → csv, .ddb-json/.ddb.json/.ddbjson → ddb-json (import and export read
 * names alike, so a file export names by its format reads back without --format); undefined otherwise.
 */
export function formatFromPath(path: string): Format | undefined {
  let name = path.toLowerCase();
  if (name.endsWith('.gz')) name = name.slice(0, -3);
  if (name.endsWith('.ddb-json') || name.endsWith('.ddb.json') || name.endsWith('.ddbjson'))
    return 'ddb-json';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  return undefined;
}
