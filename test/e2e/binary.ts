// Shared by the e2e tests: the built binary run as a user runs it, in temporary folders.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const root = resolve(import.meta.dirname, '../..');
export const bin = join(root, 'dist/cli/bin.cjs');

const dirs: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs` (call it in afterAll). */
export function tempDir(prefix = 'ddbctl-e2e-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The test environment without any credentials: the default target is then the embedded engine. */
export function noCredentials(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.AWS_PROFILE;
  return env;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the binary to the end; a non-zero exit is a result, not an exception. */
export async function ddbctl(
  args: string[],
  env: NodeJS.ProcessEnv = noCredentials(),
  cwd = root,
): Promise<Result> {
  try {
    const r = await run(process.execPath, [bin, ...args], {
      env,
      cwd,
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

/** Start the binary in the background; its output so far, and its end. */
export function started(args: string[], env: NodeJS.ProcessEnv, stdin: 'ignore' | 'pipe' = 'ignore') {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: [stdin, 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Wait until `check()` holds (polling every 50 ms), or fail after `ms`. */
export async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
