// End-to-end: `ddbctl serve` on IPv6 loopback shares its data dir like a serve on 127.0.0.1 does.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bin, ddbctl, noCredentials, removeTempDirs, tempDir } from './binary.js';

afterAll(removeTempDirs);

/** Whether this host (the tests' network namespace) has IPv6 loopback: some hosts disable IPv6. */
function ipv6Loopback(): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(0, '::1', () => s.close(() => res(true)));
  });
}
const hasIpv6 = await ipv6Loopback();

// Skipped where IPv6 is disabled: there is no ::1 to serve on.
describe.skipIf(!hasIpv6)('ddbctl serve on IPv6', () => {
  let server: ChildProcess | undefined;
  afterEach(async () => {
    if (!server || server.exitCode !== null) return;
    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
  });

  it("ui --host [::1] (a URL's form of the address) serves on ::1, as serve does", async () => {
    server = spawn(process.execPath, [bin, '--memory', 'ui', '--port', '0', '--no-open', '--host', '[::1]'], {
      env: noCredentials(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((res, rej) => {
      server?.stdout?.on('data', (d: Buffer) => res(d.toString().trim()));
      server?.on('exit', (c) => rej(new Error(`ui exited with ${c}`)));
    });
    expect(url).toMatch(/^http:\/\/\[::1\]:\d+\/\?token=/);
  });

  for (const host of ['::1', '::']) {
    it(`serve --host ${host}: another command on the data dir uses it at once`, async () => {
      const dataDir = tempDir();
      const env = noCredentials({ DDBCTL_DATA_DIR: dataDir });
      server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', host], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const endpoint = await new Promise<string>((res, rej) => {
        server?.stdout?.on('data', (d: Buffer) => res(d.toString().trim()));
        server?.on('exit', (c) => rej(new Error(`serve exited with ${c}`)));
      });
      // `::` listens on every address; others on this host reach it through ::1.
      expect(endpoint).toMatch(/^http:\/\/\[::1\]:\d+$/);
      // Before the fix the holder check connected to "[::1]" with its brackets, failed, and the
      // command waited 60 s for the data dir, then failed.
      const started = Date.now();
      const r = await ddbctl(['create-table', 'Ipv6', '--pk', 'id:S', '-o', 'json'], env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`target: ddbctl serve at ${endpoint}`);
      expect(Date.now() - started).toBeLessThan(20_000);
      const list = await ddbctl(['list-tables', '-o', 'json'], env);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('"Ipv6"');
      if (host === '::') {
        // Every address, IPv4 included (dual-stack): tools given 127.0.0.1 reach it too.
        const v4 = await ddbctl(
          ['--endpoint-url', `http://127.0.0.1:${new URL(endpoint).port}`, 'list-tables', '-o', 'json'],
          env,
        );
        expect(v4.code, v4.stderr).toBe(0);
        expect(v4.stdout).toContain('"Ipv6"');
      }
    });
  }
});
