// An export of an empty table (issue 18 acceptance): the file is what that format says of no items,
// and a compressed one (*.gz) is a valid gzip stream holding the same bytes (a 0-byte .gz is not
// gzip: `gzip -t` and every reader refuse it); imported back, it gives an empty table again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cli, engineName, scanAll } from '../helpers.js';
import { proxiedTables } from '../support/proxiedTables.js';

// NOTE: the proxy is not used: the helper's table and folder housekeeping is what this file needs.
const { clients, dir, newTable } = proxiedTables('empty-export', 'S');

const FORMATS = [
  { format: 'ndjson', ext: 'ndjson', more: [] },
  { format: 'json', ext: 'json', more: [] },
  { format: 'ddb-json', ext: 'ddb.json', more: ['--format', 'ddb-json'] },
  { format: 'csv', ext: 'csv', more: [] },
  { format: 'csv with --columns', ext: 'cols.csv', more: ['--columns', 'id,n'] },
];

describe(`an export of an empty table on ${engineName()}`, () => {
  it.each(FORMATS)(
    '$format: the .gz is valid gzip of what the plain file holds; imported back it is empty',
    async ({ ext, more }) => {
      const t = await newTable('empty-src');
      const plain = join(dir, `empty.${ext}`);
      const gz = `${plain}.gz`;
      for (const file of [plain, gz]) {
        const r = await cli(['export', t, file, ...more]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toMatch(new RegExp(`export ${t}: 0 items to `));
      }
      const bytes = readFileSync(plain);
      const unzipped = gunzipSync(readFileSync(gz));
      expect(unzipped.toString()).toBe(bytes.toString());
      const back = await newTable('empty-back');
      // ddb-json's import reads it by its extension too: give the format as export did.
      const r = await cli(['import', back, gz, ...more.filter((a) => a !== '--columns' && a !== 'id,n')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`import ${back}: 0 written`));
      expect(await scanAll(back, clients)).toHaveLength(0);
    },
  );
});
