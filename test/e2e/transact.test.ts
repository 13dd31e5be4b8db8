// End-to-end: a transaction's ClientRequestToken outlives the process (issue 15): two runs of the
// built binary on one data dir apply `transact --token` once.
import { afterAll, expect, it } from 'vitest';
import { ddbctl, noCredentials, removeTempDirs, tempDir } from './binary.js';

afterAll(removeTempDirs);

it('transact --token run twice, as two processes on one data dir, applies the actions once', async () => {
  const env = noCredentials({ DDBCTL_DATA_DIR: tempDir() });
  const created = await ddbctl(['create-table', 'Counters', '--pk', 'id:S', '--wait'], env);
  expect(created.code, created.stderr).toBe(0);
  const actions = JSON.stringify([{ update: { table: 'Counters', key: { id: 'c' }, add: ['n 1'] } }]);
  for (let i = 0; i < 2; i++) {
    const r = await ddbctl(['transact', actions, '--token', 'tok-e2e'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('committed 1 action on Counters\n');
  }
  const got = await ddbctl(
    ['transact-get', JSON.stringify([{ table: 'Counters', key: { id: 'c' } }]), '-o', 'json'],
    env,
  );
  expect(got.code, got.stderr).toBe(0);
  expect(JSON.parse(got.stdout)).toEqual([{ id: 'c', n: 1 }]);
});
