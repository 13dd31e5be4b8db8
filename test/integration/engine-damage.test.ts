// A data dir whose log was damaged in its middle (by the disk or another program): the CLI refuses
// it in one line and changes nothing; DDBCTL_ENGINE_SALVAGE=1 starts from the commits before it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { damageMiddleRecord } from '../../src/engine/testClient.js';
import { cli, errorLines } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ddbctl-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('refuses a data dir whose log is damaged before its last record, and salvages it only when asked', async () => {
  expect((await cli(['--data-dir', dir, 'create-table', 'Tor', '--pk', 'id:S', '--wait'])).code).toBe(0);
  for (let i = 1; i <= 5; i++) {
    const r = await cli(['--data-dir', dir, 'put', 'Tor', JSON.stringify({ id: `i${i}`, v: 'xxxxxxxx' })]);
    expect(r.code, r.stderr).toBe(0);
  }
  const log = join(dir, 'engine', 'log-00000001');
  const bad = readFileSync(log);
  bad[bad.indexOf('"i2"') + 1] = 90;
  writeFileSync(log, bad);

  const r = await cli(['--data-dir', dir, 'scan', 'Tor', '-o', 'ndjson']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(errorLines(r)).toEqual([
    expect.stringMatching(
      /^ddbctl: error: the engine's data file .*log-00000001 is damaged \(bad record at byte (\d+), in the middle of the log: whole records follow it, from byte \d+ on; not a write cut short by a crash but bytes the disk or another program changed\); nothing was changed\. Keep a copy of the folder .* first\. Then either run again with DDBCTL_ENGINE_SALVAGE=1 to start from the commits before byte \1 .*, or move the folder aside and restore it from a backup or an export$/,
    ),
  ]);
  expect(readFileSync(log).equals(bad)).toBe(true);

  const s = await cli(['--data-dir', dir, 'scan', 'Tor', '-o', 'ndjson'], {
    env: { DDBCTL_ENGINE_SALVAGE: '1' },
  });
  expect(s.code, s.stderr).toBe(0);
  expect(s.stdout).toBe('{"id":"i1","v":"xxxxxxxx"}\n');
  expect(s.stderr).toMatch(
    /started from the commits before byte \d+ of .*log-00000001 \(DDBCTL_ENGINE_SALVAGE\)/,
  );
});

it('an export that meets a damaged snapshot record stops saying the files must be repaired first, not to --resume', async () => {
  const d = mkdtempSync(join(tmpdir(), 'ddbctl-damage-export-'));
  try {
    expect((await cli(['--data-dir', d, 'create-table', 'Tex', '--pk', 'id:S', '--wait'])).code).toBe(0);
    const input = join(d, 'in.ndjson');
    writeFileSync(
      input,
      Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `k${i}`, g: 'x'.repeat(300) })).join('\n'),
    );
    const imported = await cli(['--data-dir', d, 'import', 'Tex', input]);
    expect(imported.code, imported.stderr).toBe(0);
    // The snapshot written at close: damage a record in its middle.
    expect(damageMiddleRecord(d).records).toBeGreaterThan(2);

    const out = join(d, 'out.ndjson');
    const r = await cli(['--data-dir', d, 'export', 'Tex', out, '--segments', '1']);
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([
      // The summary ends the run (what was exported), then the reason and how to go on.
      expect.stringMatching(
        /^ddbctl: export Tex: [\d,]+ items?( to .*out\.ndjson)?, 0 rejected, 0 retried, /,
      ),
      expect.stringMatching(
        /^ddbctl: error: the engine's data file .*snapshot is damaged \(bad block at byte \d+\); .*; export Tex stopped: [\d,]+ items?( in .*out\.ndjson)?; the engine's storage must be put right first, as said: the same command stops the same way until then( \(then continue with: .*--resume\))?$/,
      ),
    ]);
    // A run that wrote nothing to the file it made removed it, and named it nowhere.
    if (!/ in .*out\.ndjson;/.test(errorLines(r)[1] ?? '')) expect(existsSync(out)).toBe(false);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
