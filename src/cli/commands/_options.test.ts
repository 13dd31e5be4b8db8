import { describe, expect, it } from 'vitest';
import { tableFileName } from './_options.js';

describe('tableFileName', () => {
  it('is prefix + table + suffix while that fits a file name; a long table name is cut, with a hash that keeps two apart', () => {
    expect(tableFileName('ddbctl-import-', 'Users', '.rejects.ndjson')).toBe(
      'ddbctl-import-Users.rejects.ndjson',
    );
    const long = 'b'.repeat(255);
    const a = tableFileName('ddbctl-import-', long, '.rejects.ndjson');
    const b = tableFileName('ddbctl-import-', `${'b'.repeat(254)}c`, '.rejects.ndjson');
    expect(Buffer.byteLength(a)).toBe(255);
    expect(a).toMatch(/^ddbctl-import-b+-[0-9a-f]{8}\.rejects\.ndjson$/);
    expect(b).not.toBe(a);
    // The longest name that fits is kept whole.
    const fits = 'x'.repeat(255 - 'ddbctl-import-.json'.length);
    expect(tableFileName('ddbctl-import-', fits, '.json')).toBe(`ddbctl-import-${fits}.json`);
    expect(tableFileName('ddbctl-import-', `${fits}y`, '.json')).toHaveLength(255);
  });
});
