// The runner the engine's crash tests share: start a writer script (node --import tsx), read the
// numbers it prints once each write is acknowledged, and kill -9 it after `acks` of them.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** Run `script DIR`, kill -9 it after `acks` acknowledgements; the last number it printed. */
export function runAndKill(script: string, dir: string, acks: number): Promise<number> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let last = -1;
    let seen = 0;
    let buf = '';
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
    });
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        last = Number(l);
        if (++seen === acks) p.kill('SIGKILL');
      }
    });
    // 'close', not 'exit': acknowledgements printed before the kill are still in the pipe.
    p.on('close', (code, signal) => {
      if (signal === 'SIGKILL') res(last);
      else rej(new Error(`the writer stopped by itself (exit ${code}): ${err}`));
    });
  });
}
