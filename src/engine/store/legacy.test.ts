// A data dir of the previous engine (dynalite's LevelDB files in db/) is recognised, refused with
// the way to carry it over, and still readable through dynalite for that carry-over.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir as newTempDir, removeTempDirs } from '../../../test/e2e/binary.js';
import { rawCall as call, startDynalite } from '../../../test/support/dynalite.js';
import { legacyDataDir, openLegacyEngine, openStore, storeDir } from './index.js';

const tempDir = () => newTempDir('ddbctl-legacy-');
afterAll(removeTempDirs);

describe('a data dir of the previous engine', () => {
  it('is refused with what, why and how, and its tables stay readable through dynalite', async () => {
    const dir = tempDir();
    // Written by dynalite itself, as the previous ddbctl did (db/ under the data dir).
    const server = await startDynalite(join(dir, 'db'));
    const old = server.endpoint;
    await call(old, 'CreateTable', {
      TableName: 'Old',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await new Promise((r) => setTimeout(r, 50));
    await call(old, 'PutItem', { TableName: 'Old', Item: { pk: { S: 'a' }, n: { N: '1.50' } } });
    await server.close();

    const msg = legacyDataDir(dir);
    expect(msg).toContain(`data dir ${dir} holds tables of ddbctl's previous embedded engine`);
    expect(msg).toContain(join(dir, 'db'));
    expect(msg).toMatch(/cannot read those files/);
    expect(msg).toContain(`ddbctl migrate-data-dir --data-dir ${dir}.`);
    expect(msg).toMatch(/pass --data-dir to another folder or --memory/);
    // Still refused once this engine's folder exists beside it: never mixed.
    openStore({ dir: storeDir(dir) });
    expect(legacyDataDir(dir)).toBe(msg);

    const legacy = await openLegacyEngine(dir);
    try {
      expect(await call(legacy.endpoint, 'ListTables', {})).toEqual({ TableNames: ['Old'] });
      const got = await call(legacy.endpoint, 'GetItem', { TableName: 'Old', Key: { pk: { S: 'a' } } });
      expect(got).toEqual({ Item: { pk: { S: 'a' }, n: { N: '1.5' } } });
    } finally {
      await legacy.close();
    }
  });

  it('is not seen where there is none: no db/, an empty one, or only this engine`s files', () => {
    const dir = tempDir();
    expect(legacyDataDir(dir)).toBeUndefined();
    expect(legacyDataDir(join(dir, 'missing'))).toBeUndefined();
    mkdirSync(join(dir, 'db'));
    expect(legacyDataDir(dir)).toBeUndefined();
    writeFileSync(join(dir, 'db', 'notes.txt'), '');
    expect(legacyDataDir(dir)).toBeUndefined();
    openStore({ dir: storeDir(dir) }).commit([{ tree: 't', key: 'k', value: { j: '{}', z: 1 } }]);
    expect(legacyDataDir(dir)).toBeUndefined();
    writeFileSync(join(dir, 'db', 'CURRENT'), 'MANIFEST-000002\n');
    expect(legacyDataDir(dir)).toMatch(/previous embedded engine/);
  });
});
