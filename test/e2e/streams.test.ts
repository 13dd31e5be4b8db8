// End-to-end: what the binary does with its standard streams and arguments at their edges, which
// only a real process shows (the in-process runs write to memory and get arguments as strings): a
// full disk (/dev/full, ENOSPC) ends the command with one line and exit code 1; invalid UTF-8 on
// stdin or in an argument is refused (exit 2), never stored as U+FFFD.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ddbctl, noCredentials, removeTempDirs, tempDir } from './binary.js';

afterAll(removeTempDirs);

/** Run the binary with its stdout on `fd`; its exit code and stderr. */
function runTo(fd: number, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: noCredentials(),
      stdio: ['ignore', fd, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(!existsSync('/dev/full'))('writing to a full standard output (/dev/full: Linux)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const made = await ddbctl(['--data-dir', dir, 'create-table', 'Big', '--pk', 'id:S']);
    expect(made.code, made.stderr).toBe(0);
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ id: `${i}`, pad: 'x'.repeat(200) }));
    writeFileSync(`${dir}/big.ndjson`, `${lines.join('\n')}\n`);
    const bw = await ddbctl(['--data-dir', dir, 'batch-write', 'Big', `${dir}/big.ndjson`]);
    expect(bw.code, bw.stderr).toBe(0);
  });

  it.each([[['-o', 'ndjson']], [['-o', 'json']], [[]]])(
    'scan Big %j > /dev/full: one line naming the reason, exit 1, no stack trace',
    async (output: string[]) => {
      const full = openSync('/dev/full', 'w');
      try {
        const r = await runTo(full, ['--data-dir', dir, '-q', 'scan', 'Big', ...output]);
        expect(r.code).toBe(1);
        expect(r.stderr).toBe(
          'ddbctl: error: cannot write to standard output: no space left on device (ENOSPC)\n',
        );
      } finally {
        closeSync(full);
      }
    },
  );
});

describe('a reader that goes away (`| head`)', () => {
  it.each([
    ['scan', ['scan', 'Many', '-o', 'ndjson']],
    ['export to stdout', ['export', 'Many', '-']],
  ])('%s | head -1: exit 0, nothing on stderr but the target line', async (_, args) => {
    const dir = tempDir();
    const made = await ddbctl(['--data-dir', dir, 'create-table', 'Many', '--pk', 'id:S']);
    expect(made.code, made.stderr).toBe(0);
    const lines = Array.from({ length: 4000 }, (_, i) =>
      JSON.stringify({ id: `${i}`, pad: 'x'.repeat(100) }),
    );
    writeFileSync(`${dir}/many.ndjson`, `${lines.join('\n')}\n`);
    expect((await ddbctl(['--data-dir', dir, '-q', 'batch-write', 'Many', `${dir}/many.ndjson`])).code).toBe(
      0,
    );
    const r = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${bin}" --data-dir "${dir}" ${args.join(' ')} | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`,
      ],
      { env: noCredentials(), encoding: 'utf8' },
    );
    expect({ status: r.stdout.trim(), stderr: r.stderr }).toEqual({
      status: '0',
      stderr: `ddbctl: target: embedded engine (data dir ${dir})\n`,
    });
  });
});

describe('invalid UTF-8 on stdin or in an argument', () => {
  const bad = Buffer.concat([Buffer.from('{"id":"bad'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const made = await ddbctl(['--data-dir', dir, 'create-table', 'Misc', '--pk', 'id:S']);
    expect(made.code, made.stderr).toBe(0);
  });
  const scan = async () => (await ddbctl(['--data-dir', dir, 'scan', 'Misc', '-o', 'ndjson'])).stdout;

  it('put - and batch-write - refuse it from stdin', () => {
    const put = spawnSync(process.execPath, [bin, '--data-dir', dir, '-q', 'put', 'Misc', '-'], {
      env: noCredentials(),
      input: bad,
    });
    expect(put.status).toBe(2);
    expect(put.stderr.toString()).toBe(
      'ddbctl: error: item from stdin is not valid UTF-8 text; save it as UTF-8\n',
    );
    const bw = spawnSync(process.execPath, [bin, '--data-dir', dir, '-q', 'batch-write', 'Misc', '-'], {
      env: noCredentials(),
      input: bad,
    });
    expect(bw.status).toBe(1);
    expect(bw.stdout.toString()).toMatch(
      /^\{"line":1,"reason":"line 1: not valid UTF-8 text; save the file as UTF-8"/,
    );
  });

  // NOTE: Node decodes argv before any code runs; the raw bytes are read back from /proc (Linux).
  it.skipIf(!existsSync('/proc/self/cmdline'))(
    'put refuses it in an argument; a real U+FFFD is taken',
    async () => {
      const viaShell = (arg: Buffer) =>
        spawnSync(
          'bash',
          ['-c', `exec "$0" "$1" --data-dir "$2" -q put Misc "$(cat)"`, process.execPath, bin, dir],
          {
            env: noCredentials(),
            input: arg,
          },
        );
      const put = viaShell(bad);
      expect(put.status).toBe(2);
      expect(put.stderr.toString()).toMatch(
        /^ddbctl: error: argument 6 \(.*\) is not valid UTF-8 text; give it in UTF-8/,
      );
      expect(await scan()).toBe('');
      const real = viaShell(Buffer.from('{"id":"ok\uFFFD"}'));
      expect(real.status, real.stderr.toString()).toBe(0);
      expect(await scan()).toBe('{"id":"ok\uFFFD"}\n');
    },
  );
});
