// End to end: Ctrl-C (a real SIGINT) while `update-table --wait` / `apply` waits for a change the
// engine accepted: exit 130 and one line saying that the change goes on and how to see its end,
// not a silent exit. The embedded engine keeps tables in UPDATING for DDBCTL_TRANSITION_MS.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/** An endpoint on loopback that describes table Tbl (key k:S) and answers nothing else. */
async function describingEndpoint() {
  let held = 0;
  const endpoint = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    req.resume();
    req.on('end', () => {
      if (!target.endsWith('.DescribeTable')) {
        held++;
        return;
      }
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(
        JSON.stringify({
          Table: {
            TableName: 'Tbl',
            TableStatus: 'ACTIVE',
            KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }],
          },
        }),
      );
    });
  });
  await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`,
    /** The requests held so far. */
    held: () => held,
    close() {
      endpoint.closeAllConnections();
      endpoint.close();
    },
  };
}

describe('Ctrl-C under a command that does not stop itself', () => {
  it('a change sent and not answered is said (exit 130); a read cut off is not', async () => {
    const at = await describingEndpoint();
    const url = at.url;
    /** `args` against the endpoint, stopped by `signal` once its item call is held: exit code and stderr. */
    const cut = async (args: string[], signal: NodeJS.Signals = 'SIGINT') => {
      const before = at.held();
      const run = started(['--endpoint-url', url, ...args], noCredentials());
      await until('the call held', () => at.held() > before, 30_000);
      run.child.kill(signal);
      const end = await run.exited;
      return { code: end.code, lines: run.stderr().trim().split('\n') };
    };
    try {
      const put = await cut(['put', 'Tbl', '{"k":"a"}']);
      expect(put.code).toBe(130);
      expect(put.lines.at(-1)).toBe(
        'ddbctl: interrupted (SIGINT) with PutItem sent and not answered: it may or may not have been carried out; check the table before running the command again',
      );
      // -q silences notices, not this.
      const upd = await cut(['-q', 'update', 'Tbl', 'k=a', '--set', 'n=1'], 'SIGTERM');
      expect(upd.code).toBe(143);
      expect(upd.lines).toEqual([
        'ddbctl: interrupted (SIGTERM) with UpdateItem sent and not answered: it may or may not have been carried out; check the table before running the command again',
      ]);
      // A transaction goes with a token: the line says how to send it again safely.
      const actions = join(tempDir(), 'tx.ndjson');
      writeFileSync(actions, '{"put": {"table": "Tbl", "item": {"k": "a"}}}\n');
      const tx = await cut(['transact', actions, '--token', 'tok-e2e']);
      expect(tx.code).toBe(130);
      expect(tx.lines.at(-1)).toBe(
        'ddbctl: interrupted (SIGINT) with TransactWriteItems sent and not answered: it may or may not have been carried out; check the table before running the command again; the TransactWriteItems went with ClientRequestToken tok-e2e: the same transact with --token tok-e2e within 10 minutes is carried out at most once',
      );
      const sql = await cut(['sql', "DELETE FROM Tbl WHERE k = 'a'"]);
      expect(sql.lines.at(-1)).toMatch(
        /^ddbctl: interrupted \(SIGINT\) with ExecuteStatement sent and not answered/,
      );
      // Reads change nothing: a plain exit 130, as before.
      for (const args of [
        ['get', 'Tbl', 'k=a'],
        ['sql', 'SELECT * FROM Tbl'],
        ['scan', 'Tbl'],
      ]) {
        const r = await cut(args);
        expect(r.code, args.join(' ')).toBe(130);
        expect(r.lines, args.join(' ')).toEqual([`ddbctl: target: endpoint ${url} (region us-east-1)`]);
      }
    } finally {
      at.close();
    }
  }, 60_000);
});

describe('an import whose write calls go unanswered', () => {
  it('stops after its silent calls and says the records are not known to be written, not that they were not', async () => {
    const at = await describingEndpoint();
    try {
      const env = noCredentials({ DDBCTL_REQUEST_TIMEOUT_MS: '300' });
      const run = started(['--endpoint-url', at.url, 'import', 'Tbl', '-'], env, 'pipe');
      run.child.stdin?.end('{"k":"a"}\n{"k":"b"}\n');
      const end = await run.exited;
      expect(end.code, run.stderr()).toBe(1);
      expect(run.stderr()).toContain(
        'took the request but did not answer within 0.3 s (ETIMEDOUT): it may or may not have been carried out',
      );
      expect(run.stderr()).not.toMatch(/\bnot written\b/);
      const file = join(tempDir('ddbctl-e2e-unanswered-'), 'in.ndjson');
      writeFileSync(file, '{"k":"a"}\n');
      const fromFile = await ddbctl(['--endpoint-url', at.url, 'import', 'Tbl', file], env);
      expect(fromFile.code).toBe(1);
      expect(fromFile.stderr).toContain(
        'the first record is not known to be written, so no checkpoint was saved',
      );
    } finally {
      at.close();
    }
  }, 60_000);
});
