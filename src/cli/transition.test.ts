/**
 * The embedded engine's CREATING / DELETING phases for ddbctl's own commands: short by default
 * (50 ms, not dynalite's 500), settable with DDBCTL_TRANSITION_MS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from './context.js';
import { main } from './main.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddbctl-transition-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => {
    stdout += d;
  });
  err.on('data', (d) => {
    stderr += d;
  });
  const io: Io = {
    stdout: out,
    stderr: err,
    stdin: Readable.from([]),
    env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    isTTY: false,
  };
  const code = await main(['--data-dir', dir, ...args], io);
  return { code, stdout, stderr };
}

const status = async (env?: Record<string, string>) =>
  JSON.parse((await run(['-o', 'json', 'describe-table', 'phase-t'], env)).stdout).Table
    .TableStatus as string;

describe('DDBCTL_TRANSITION_MS', () => {
  it('by default a table is CREATING when created and ACTIVE some 50 ms later', async () => {
    const r = await run(['create-table', 'phase-t', '--pk', 'id:S']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('created: phase-t (CREATING)\n');
    await new Promise((f) => setTimeout(f, 120));
    expect(await status()).toBe('ACTIVE');
  });

  it('is settable: 0 makes tables ACTIVE at once, a longer time keeps them CREATING', async () => {
    expect(
      (await run(['create-table', 'phase-t', '--pk', 'id:S'], { DDBCTL_TRANSITION_MS: '0' })).stdout,
    ).toBe('created: phase-t (ACTIVE)\n');
    const slow = { DDBCTL_TRANSITION_MS: '5000' };
    expect((await run(['create-table', 'phase-u', '--pk', 'id:S'], slow)).stdout).toBe(
      'created: phase-u (CREATING)\n',
    );
    await new Promise((f) => setTimeout(f, 120));
    const r = await run(['-o', 'json', 'describe-table', 'phase-u'], slow);
    expect(JSON.parse(r.stdout).Table.TableStatus).toBe('CREATING');
  });

  it('refuses a value that is not a number of milliseconds', async () => {
    const r = await run(['list-tables'], { DDBCTL_TRANSITION_MS: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DDBCTL_TRANSITION_MS is "soon": it must be a whole number of milliseconds');
  });

  it('an item command on a table still CREATING says it may not be ACTIVE yet', async () => {
    const slow = { DDBCTL_TRANSITION_MS: '5000' };
    expect((await run(['create-table', 'phase-v', '--pk', 'id:S'], slow)).code).toBe(0);
    const put = await run(['put', 'phase-v', '{"id":"a"}'], slow);
    expect(put.code).toBe(1);
    expect(put.stderr).toContain('PutItem: table phase-v does not exist at the embedded engine (data dir ');
    expect(put.stderr).toContain("or is not ACTIVE (still CREATING, or DELETING); 'ddbctl --data-dir");
  });
});

describe('DDBCTL_TTL_SWEEP_MS', () => {
  it('sets how often expired items are deleted while a command runs; until then they are read', async () => {
    const fast = { DDBCTL_TTL_SWEEP_MS: '10', DDBCTL_TRANSITION_MS: '0' };
    expect((await run(['create-table', 'ttl-t', '--pk', 'id:S', '--ttl', 'exp'], fast)).code).toBe(0);
    const past = Math.floor(Date.now() / 1000) - 60;
    for (const item of [`{"id":"old","exp":${past}}`, `{"id":"new","exp":${past + 3600}}`]) {
      expect((await run(['put', 'ttl-t', item], fast)).code).toBe(0);
    }
    const ids = async () =>
      (await run(['-o', 'ndjson', 'scan', 'ttl-t'], fast)).stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id)
        .sort();
    expect(await ids()).toEqual(['new', 'old']);
    // A command that lasts a while (it waits for a table's CREATING phase): the sweep runs meanwhile.
    const slow = { ...fast, DDBCTL_TRANSITION_MS: '300' };
    expect((await run(['create-table', 'ttl-u', '--pk', 'id:S', '--wait'], slow)).code).toBe(0);
    expect(await ids()).toEqual(['new']);
  });

  it('refuses a value that is not a number of milliseconds', async () => {
    const r = await run(['list-tables'], { DDBCTL_TTL_SWEEP_MS: '-1' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'DDBCTL_TTL_SWEEP_MS is "-1": it must be a whole number of milliseconds from 0 to 600000; unset it for the default of 5000',
    );
  });
});
