// End-to-end: `ddbctl ui` from the built binary: bound to loopback, the printed URL opens a
// session, the built web app (or the page saying it is not built) is served, a desktop's browser
// is opened through xdg-open unless --no-open, and Ctrl-C ends it with exit 130.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, noCredentials, removeTempDirs, root, run, tempDir } from './binary.js';

const running: ChildProcess[] = [];
afterAll(() => {
  for (const p of running) p.kill('SIGKILL');
  removeTempDirs();
});

/** Start `ddbctl --memory ui ARGS`; resolves with the process and the URL it prints. */
async function startUi(args: string[], env: NodeJS.ProcessEnv) {
  const p = spawn(process.execPath, [bin, '--memory', 'ui', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(p);
  let stderr = '';
  p.stderr?.on('data', (d: Buffer) => {
    stderr += d;
  });
  const url = await new Promise<string>((res, rej) => {
    p.stdout?.on('data', (d: Buffer) => res(d.toString().trim()));
    p.on('exit', (c) => rej(new Error(`ui exited with ${c}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((res) => p.on('exit', (c) => res(c)));
  return { p, url, exited, stderr: () => stderr };
}

describe('ddbctl ui (built binary)', () => {
  it('binds loopback, swaps the token for a cookie, serves the app and the API, exits 130 on Ctrl-C', async () => {
    const ui = await startUi(['--no-open'], noCredentials());
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    const origin = new URL(ui.url).origin;
    const port = new URL(ui.url).port;
    const ss = await run('ss', ['-ltnH', `sport = :${port}`]);
    expect(ss.stdout.trim().split(/\s+/)[3]).toBe(`127.0.0.1:${port}`);
    // --memory: no engine door for other commands (nothing could find it), and no word of one.
    const mine = (await run('ss', ['-ltnpH'])).stdout
      .split('\n')
      .filter((l) => l.includes(`pid=${ui.p.pid},`));
    expect(mine).toHaveLength(1);
    expect(ui.stderr()).not.toContain('which other commands use');
    const r = await fetch(ui.url, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const page = await (await fetch(`${origin}/`, { headers: { cookie } })).text();
    const index = join(root, 'dist/ui/index.html');
    if (existsSync(index)) expect(page).toBe(readFileSync(index, 'utf8'));
    else expect(page).toContain('npm run build');
    const tables = await fetch(`${origin}/api/tables`, { headers: { cookie } });
    expect(await tables.json()).toEqual({ tables: [] });
    ui.p.kill('SIGINT');
    expect(await ui.exited).toBe(130);
    expect(ui.stderr()).toContain('ui stopped');
  });

  it('opens the URL with xdg-open on a desktop, and not with --no-open or without a display', async () => {
    const dir = tempDir();
    const log = join(dir, 'opened');
    writeFileSync(join(dir, 'xdg-open'), `#!/bin/sh\necho "$@" >> ${log}\n`);
    chmodSync(join(dir, 'xdg-open'), 0o755);
    const desktop = noCredentials({ DISPLAY: ':0', PATH: `${dir}:${process.env.PATH}` });
    const opened = await startUi([], desktop);
    for (let n = 0; n < 50 && !existsSync(log); n++) await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(log, 'utf8').trim()).toBe(opened.url);
    opened.p.kill('SIGINT');
    await opened.exited;
    const headless = { ...desktop };
    delete headless.DISPLAY;
    delete headless.WAYLAND_DISPLAY;
    for (const [args, env] of [
      [['--no-open'], desktop],
      [[], headless],
    ] as const) {
      const ui = await startUi([...args], env);
      await new Promise((r) => setTimeout(r, 300));
      ui.p.kill('SIGINT');
      await ui.exited;
    }
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
