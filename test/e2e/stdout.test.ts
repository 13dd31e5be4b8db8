// End-to-end: what the binary does when standard output cannot be written. Only a real process
// shows it (the in-process runs write to memory): a full disk (/dev/full, ENOSPC) ends the command
// with one line and exit code 1, a reader that goes away (EPIPE) ends it quietly.
import { spawn } from 'node:child_process';
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
