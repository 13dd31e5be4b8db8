// End-to-end: ddbctl as a tool. `npm pack` of this checkout (its dist/, built by the e2e setup),
// installed with `npm install -g` into an empty prefix, with an empty HOME and an empty npm cache,
// offline (the tarball carries its dependencies, bundleDependencies): then `ddbctl lab` passes, the
// completion script `ddbctl completion bash` prints completes in bash, table names included, and
// migrate-data-dir, the one command that needs a devDependency (dynalite), says how to get it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, root, run, tempDir } from './binary.js';

afterAll(removeTempDirs);

const INSTALL_MS = 300_000;

describe('the packed tarball, installed with npm install -g', () => {
  const prefix = tempDir('ddbctl-prefix-');
  const home = tempDir('ddbctl-home-');
  const work = tempDir('ddbctl-work-');
  /** A fresh machine's environment: node and the installed bin on PATH, nothing of npm's or AWS's. */
  const env: NodeJS.ProcessEnv = {
    PATH: [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter),
    HOME: home,
    NO_COLOR: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const ddbctl = join(prefix, 'bin', 'ddbctl');

  beforeAll(async () => {
    const out = tempDir('ddbctl-pack-');
    // NOTE: --ignore-scripts: the e2e setup built dist/ already; prepack would rebuild it under the
    // other e2e tests running the binary.
    await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], {
      cwd: root,
      env: { ...env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}` },
      maxBuffer: 64 * 1024 * 1024,
    });
    const [tarball] = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    await run(
      'npm',
      [
        'install',
        '--global',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefix,
        '--cache',
        tempDir('ddbctl-npm-cache-'),
        join(out, tarball as string),
      ],
      { cwd: work, env, timeout: INSTALL_MS },
    );
  }, INSTALL_MS + 60_000);

  it('installs the command and the runtime dependencies, no devDependency', () => {
    expect(existsSync(ddbctl)).toBe(true);
    const modules = join(prefix, 'lib', 'node_modules', 'ddbctl', 'node_modules');
    const installed = readdirSync(modules);
    expect(installed).toContain('@aws-sdk');
    for (const dev of ['dynalite', 'vitest', 'esbuild', 'typescript', '@biomejs']) {
      expect(installed).not.toContain(dev);
    }
  });

  it('ddbctl lab passes on the embedded engine', async () => {
    const dataDir = tempDir();
    const r = await run(ddbctl, ['--data-dir', dataDir, 'lab'], { cwd: work, env });
    expect(r.stderr).toContain(`target: embedded engine (data dir ${dataDir})`);
    expect(r.stdout).toContain('✓ lab passed');
  });

  it('migrate-data-dir says in one line that it needs dynalite, which is not installed with ddbctl', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'db'));
    writeFileSync(join(dataDir, 'db', 'CURRENT'), 'MANIFEST-000002\n');
    const r = await run(ddbctl, ['--data-dir', dataDir, 'migrate-data-dir'], { cwd: work, env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ddbctl: error: reading .* needs dynalite 4\.0\.0, .* which is not installed .*npm install --global dynalite@4\.0\.0/m,
    );
    expect(readdirSync(join(dataDir, 'db'))).toEqual(['CURRENT']);
  });

  it('ddbctl completion bash completes commands, flags and table names in bash', async () => {
    const dataDir = tempDir();
    await run(ddbctl, ['--data-dir', dataDir, '-q', 'create-table', 'Orders', '--pk', 'id:S'], { env });
    await run(ddbctl, ['--data-dir', dataDir, '-q', 'create-table', 'Users'], { env });
    const script = (await run(ddbctl, ['completion', 'bash'], { cwd: work, env })).stdout;
    /** COMPREPLY after a Tab at the end of `words` (the last one being completed). */
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `${script}\nCOMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _ddbctl; printf '%s\\n' "\${COMPREPLY[@]}"`,
          'bash',
          ...words,
        ],
        { cwd: work, env, encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
    expect(complete('ddbctl', 'ge')).toEqual(['get']);
    expect(complete('ddbctl', 'get', '--con')).toEqual(['--consistent']);
    expect(complete('ddbctl', '-o', 'nd')).toEqual(['ndjson']);
    expect(complete('ddbctl', '--data-dir', dataDir, 'get', '')).toEqual(['Orders', 'Users']);
    expect(complete('ddbctl', '--data-dir', dataDir, 'scan', 'U')).toEqual(['Users']);
    // --data-dir=DIR: one word as written, or three as bash splits it at '=' (COMP_WORDBREAKS).
    expect(complete('ddbctl', `--data-dir=${dataDir}`, 'get', '')).toEqual(['Orders', 'Users']);
    expect(complete('ddbctl', '--data-dir', '=', dataDir, 'get', '')).toEqual(['Orders', 'Users']);
    expect(complete('ddbctl', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // The key after the table: no table names.
    expect(complete('ddbctl', '--data-dir', dataDir, 'get', 'Users', '')).toEqual([]);
    // A data dir that does not exist: nothing, and none is created.
    const none = join(work, 'no-such-dir');
    expect(complete('ddbctl', '--data-dir', none, 'get', '')).toEqual([]);
    expect(existsSync(none)).toBe(false);
  });
});
