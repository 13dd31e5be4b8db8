// End-to-end: the launcher (dist/cli/bin.cjs) on a node whose V8 did not make the build's code cache
// (the tarball built on Node 20, run on Node 24): node's own compile cache takes its place where
// node has one (module.enableCompileCache, node ≥ 22.1). Runs on every node of .ci/run; on Node 20
// it checks that no compile cache is asked for.
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, removeTempDirs, root, run, tempDir } from './binary.js';

afterAll(removeTempDirs);

const hasCompileCache = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('the launcher without a code cache of this V8', () => {
  it(`${hasCompileCache ? 'writes node’s compile cache, then runs with it' : 'runs compiling the bundle (node 20: no compile cache)'}`, async () => {
    const dir = tempDir();
    copyFileSync(bin, join(dir, 'bin.cjs'));
    copyFileSync(join(root, 'dist/cli/bundle.cjs'), join(dir, 'bundle.cjs'));
    const tmp = tempDir();
    // Node's cache where the temp folder is: this test's own, whatever NODE_COMPILE_CACHE says.
    const env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_COMPILE_CACHE')),
      TMPDIR: tmp,
    };
    const version = async () =>
      (await run(process.execPath, [join(dir, 'bin.cjs'), '--version'], { env })).stdout.trim();
    expect(await version()).toMatch(/^\d+\.\d+\.\d+$/);
    const cache = join(tmp, 'node-compile-cache');
    expect(existsSync(cache)).toBe(hasCompileCache);
    if (hasCompileCache) {
      expect(readdirSync(cache).length).toBeGreaterThan(0);
      expect(await version()).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});

describe('the bundle', () => {
  it('is ASCII alone, so that the launcher’s latin1 read of it is its text exactly', () => {
    const bytes = readFileSync(join(root, 'dist/cli/bundle.cjs'));
    const at = bytes.findIndex((b) => b > 0x7f);
    expect(
      at === -1 ? 'ASCII' : `byte ${at}: ${bytes.subarray(Math.max(0, at - 40), at + 40).toString()}`,
    ).toBe('ASCII');
    // What esbuild leaves as written (comments such as "→") is escaped by the build, not dropped.
    expect(bytes.toString('latin1')).toContain('\\u2192');
  });
});

describe('dist/cli/bin.js', () => {
  it('runs the command: a global command that npm link made before bin.cjs still points there', async () => {
    const r = await run(process.execPath, [join(root, 'dist/cli/bin.js'), '--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the launcher without its program', () => {
  it('says so in one line (exit 1) when copied away from its bundle, instead of a stack trace', async () => {
    const dir = tempDir();
    copyFileSync(bin, join(dir, 'ddbctl'));
    const r = await run(process.execPath, [join(dir, 'ddbctl'), '--version']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `ddbctl: error: its program is not beside ${join(dir, 'ddbctl')} (bundle.cjs, or main.js and the packages it imports): reinstall ddbctl, or link to its dist/cli/bin.cjs instead of copying it\n`,
    );
  });
});
