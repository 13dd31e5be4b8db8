// End-to-end: the built binary carries a data dir of the previous engine over (dynalite loaded
// from the installation's node_modules, not from the bundle), and where dynalite is not
// installed it says in one line how to get it, leaving the data dir as it was.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawCall as call, startDynalite } from '../support/dynalite.js';
import { bin, ddbctl, noCredentials, removeTempDirs, run, tempDir } from './binary.js';

afterAll(removeTempDirs);

const BIG = '-1234567890123456789012345678901234567.8';

/** A data dir as the previous ddbctl left it: table Users with one item, in <dir>/db. */
async function oldDataDir(): Promise<string> {
  const dir = tempDir();
  const old = await startDynalite(join(dir, 'db'));
  try {
    await call(old.endpoint, 'CreateTable', {
      TableName: 'Users',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    await new Promise((r) => setTimeout(r, 50));
    await call(old.endpoint, 'PutItem', { TableName: 'Users', Item: { id: { S: 'a' }, n: { N: BIG } } });
  } finally {
    await old.close();
  }
  return dir;
}

describe('migrate-data-dir, the built binary', () => {
  it('is refused, then carried over; the tables are there for the next command', async () => {
    const dir = await oldDataDir();
    const refused = await ddbctl(['--data-dir', dir, 'get', 'Users', 'id=a']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`ddbctl migrate-data-dir --data-dir ${dir}.`);
    const r = await ddbctl(['--data-dir', dir, 'migrate-data-dir']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^carried 1 table \(1 item\) of data dir /);
    expect(readdirSync(dir).filter((f) => f.startsWith('db'))).toEqual([
      expect.stringMatching(/^db\.dynalite-\d{8}T\d{6}Z$/),
    ]);
    const got = await ddbctl(['--data-dir', dir, '-o', 'raw', 'get', 'Users', 'id=a']);
    expect(got.code, got.stderr).toBe(0);
    expect(JSON.parse(got.stdout)).toEqual({ id: { S: 'a' }, n: { N: BIG } });
  });

  it('without dynalite installed: one line saying how to install it, exit 1, the data dir as it was', async () => {
    const dir = await oldDataDir();
    // The program as installed somewhere with no node_modules: the launcher and its bundle alone.
    const elsewhere = tempDir();
    mkdirSync(join(elsewhere, 'dist/cli'), { recursive: true });
    for (const f of ['bin.cjs', 'bundle.cjs', `bundle.cjs.${process.versions.v8}.cache`]) {
      copyFileSync(join(bin, '..', f), join(elsewhere, 'dist/cli', f));
    }
    writeFileSync(join(elsewhere, 'package.json'), '{"type":"module"}');
    const r = await run(
      process.execPath,
      [join(elsewhere, 'dist/cli/bin.cjs'), '--data-dir', dir, 'migrate-data-dir'],
      {
        env: noCredentials(),
        cwd: elsewhere,
      },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('ddbctl: error: '));
    expect(lines).toEqual([
      `ddbctl: error: reading ${dir}/db needs dynalite 4.0.0, the previous engine, which is not installed (Cannot find module 'dynalite'); install it where ddbctl is installed (npm install --no-save dynalite@4.0.0 in the folder that holds its node_modules; for a global ddbctl: npm install --global dynalite@4.0.0) and run again`,
    ]);
    expect(readdirSync(dir)).toEqual(['db']);
  });
});
