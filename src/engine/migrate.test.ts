// openLegacyMigration's refusals before anything is opened: nothing to carry over, or this
// engine's folder already beside the old one (never mixed). The carry-over itself, against real
// dynalite files, is tested in test/integration/migrate-data-dir.test.ts.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tempDir as newTempDir, removeTempDirs } from '../../test/e2e/binary.js';
import { openLegacyMigration } from './index.js';

const tempDir = () => newTempDir('ddbctl-migrate-unit-');
afterAll(removeTempDirs);

describe('openLegacyMigration', () => {
  it('refuses a data dir with nothing of the previous engine', async () => {
    const dir = tempDir();
    await expect(openLegacyMigration({ dataDir: dir })).rejects.toMatchObject({
      code: 'usage.invalid',
      message: `data dir ${dir} holds no tables of the previous embedded engine (no LevelDB files in ${dir}/db): there is nothing to carry over; pass --data-dir to the folder the previous ddbctl used`,
    });
  });

  it('refuses to write beside a folder of this engine already there, and touches neither', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'CURRENT'), 'MANIFEST-000002\n');
    mkdirSync(join(dir, 'engine'));
    await expect(openLegacyMigration({ dataDir: dir })).rejects.toMatchObject({
      code: 'engine.start',
      message: expect.stringContaining(
        `data dir ${dir} holds the new engine's folder ${dir}/engine beside the previous engine's ${dir}/db; the tables are carried over into a fresh ${dir}/engine only, never mixed with others, so nothing was copied. Move ${dir}/engine aside`,
      ),
    });
    expect(readdirSync(dir).sort()).toEqual(['db', 'engine']);
    expect(readdirSync(join(dir, 'engine'))).toEqual([]);
  });

  it('says in one line how to get dynalite when it is not installed, and leaves the data dir as it was', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'CURRENT'), 'MANIFEST-000002\n');
    // NOTE: dynalite is a devDependency, always here in tests: its absence is simulated.
    vi.doMock('dynalite', () => {
      throw new Error("Cannot find package 'dynalite'");
    });
    try {
      const e = (await openLegacyMigration({ dataDir: dir }).catch((x: unknown) => x)) as Error;
      expect(e.message).toMatch(
        /^reading \S+\/db needs dynalite 4\.0\.0, the previous engine, which is not installed \(.*\); install it where ddbctl is installed \(npm install --no-save dynalite@4\.0\.0 in the folder that holds its node_modules; for a global ddbctl: npm install --global dynalite@4\.0\.0\) and run again$/,
      );
      expect(e.message).not.toContain('\n');
    } finally {
      vi.doUnmock('dynalite');
    }
    expect(readdirSync(dir)).toEqual(['db']);
  });
});
