// End to end: Ctrl-C (a real SIGINT) while `update-table --wait` / `apply` waits for a change the
// engine accepted: exit 130 and one line saying that the change goes on and how to see its end,
// not a silent exit. The embedded engine keeps tables in UPDATING for DDBCTL_TRANSITION_MS.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ddbctl, noCredentials, removeTempDirs, started, tempDir, until } from './binary.js';

afterAll(removeTempDirs);

describe('Ctrl-C while waiting for a table change', () => {
  it('update-table --remove-gsi --wait: exit 130, the index goes on being deleted, and wait sees it end', async () => {
    const dir = tempDir('ddbctl-e2e-interrupt-');
    const env = noCredentials({ DDBCTL_DATA_DIR: join(dir, 'data'), DDBCTL_TRANSITION_MS: '4000' });
    expect(
      (await ddbctl(['create-table', 'Tbl', '--pk', 'id:S', '--gsi', 'byG:g:S', '--wait'], env)).code,
    ).toBe(0);
    const upd = started(['update-table', 'Tbl', '--remove-gsi', 'byG', '--wait'], env);
    // The step's line comes just before UpdateTable is sent; the index is DELETING for 4 s after.
    await until('the step', () => /\[1\/1\] delete GSI/.test(upd.stderr()), 60_000);
    await new Promise((r) => setTimeout(r, 500));
    upd.child.kill('SIGINT');
    const end = await upd.exited;
    expect(end.code, upd.stderr()).toBe(130);
    const lines = upd.stderr().trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /^ddbctl: error: update-table Tbl: step 1 of 1 \(delete GSI byG.*\) was accepted and goes on at the endpoint, but waiting for it stopped: interrupted \(SIGINT\); wait for it with 'ddbctl wait Tbl --for indexes'; /,
    );
    const w = await ddbctl(['wait', 'Tbl', '--for', 'indexes', '--output', 'json'], env);
    expect(w.code, w.stderr).toBe(0);
    expect(JSON.parse(w.stdout).indexes).toEqual([]);
  });

  it('apply: exit 130 with what was applied and what goes on', async () => {
    const dir = tempDir('ddbctl-e2e-interrupt-');
    const env = noCredentials({ DDBCTL_DATA_DIR: join(dir, 'data'), DDBCTL_TRANSITION_MS: '4000' });
    const spec = join(dir, 'spec.yaml');
    writeFileSync(spec, 'tables:\n  - name: Abc\n    partitionKey: id:S\n');
    const run = started(['apply', spec, '--yes'], env);
    // The step's line comes just before CreateTable is sent; the table is CREATING for 4 s after.
    await until('the step', () => /\[1\/1\] create table/.test(run.stderr()), 60_000);
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGINT');
    const end = await run.exited;
    expect(end.code, run.stderr()).toBe(130);
    expect(run.stderr().trim().split('\n').at(-1)).toMatch(
      /^ddbctl: error: apply Abc: step 1 of 1 \(create table .*\) was accepted and goes on at the endpoint, but waiting for it stopped: interrupted \(SIGINT\);/,
    );
  });
});
