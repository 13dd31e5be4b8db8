// End-to-end: imports and exports stopped the hard way (SIGKILL, Ctrl-C) and resumed with the
// same command and --resume, by the built binary, on the embedded engine (in-process with
// --data-dir, and behind `ddbctl serve`): every item exactly once, nothing missing, nothing extra.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { bin, ddbctl, noCredentials, removeTempDirs, root, run, tempDir } from './binary.js';

afterAll(removeTempDirs);

/** A running ddbctl: its stderr so far, and how it ended. */
function start(args: string[], env: NodeJS.ProcessEnv = noCredentials()) {
  const child = spawn(process.execPath, [bin, ...args], {
    env,
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

/**
 * Poll `probe` every 10 ms until it returns a value; fail after `ms`, or as soon as `p` ended,
 * saying what was awaited and what `p` said.
 */
async function waitFor<T>(
  what: string,
  p: ReturnType<typeof start>,
  probe: () => T | undefined,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(`ended (${p.child.exitCode ?? p.child.signalCode}) before ${what}: ${p.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A checkpoint file's content, or undefined while it does not exist. */
function readCheckpointFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

interface ImportCp {
  offset: number;
  written: number;
}
interface ExportCp {
  items: number;
  scan: { segments: number; next: number; open: { segment: number }[] };
}

const N = 20_000;
const keyOf = (i: number) => `user-${String(i).padStart(6, '0')}`;
/** N items of ~250 bytes, keys in a shuffled order, each with a 38-digit number. */
function itemLines(): string[] {
  const order = Array.from({ length: N }, (_, i) => (i * 7919) % N);
  return order.map(
    (i) =>
      `{"pk":"${keyOf(i)}","n":9876543210987654321098765432109876${String(i % 10000).padStart(4, '0')},"i":${i},"pad":"${'x'.repeat(180)}"}`,
  );
}

/** The parsed lines of an ndjson export, checked: N items, each key once, each item as written. */
function expectExactly(items: { pk: string; i: number }[], text: string) {
  expect(items).toHaveLength(N);
  const keys = items.map((x) => x.pk).sort();
  expect(new Set(keys).size).toBe(N);
  expect(keys).toEqual(Array.from({ length: N }, (_, i) => keyOf(i)));
  for (const x of items) expect(x.pk).toBe(keyOf(x.i));
  // The 38-digit numbers came back exact (JSON.parse would round them: look at the text).
  expect(text).toContain(`"n":98765432109876543210987654321098761234`);
}

/** Export `table` with the binary (target flags `g`): exactly the N items of the input. */
async function expectTableExactly(g: string[], dir: string, table: string) {
  const out = join(dir, `${table}-out.ndjson`);
  const exported = await ddbctl([...g, 'export', table, out]);
  expect(exported.code, exported.stderr).toBe(0);
  const text = readFileSync(out, 'utf8');
  expectExactly(parseLines(text), text);
}

/** A data dir in a temp folder with table `table` (key pk:S) and the N items in an NDJSON file there. */
async function tableAndInput(prefix: string, table: string) {
  const dir = tempDir(prefix);
  const g = ['--data-dir', join(dir, 'data')];
  const made = await ddbctl([...g, '-q', 'create-table', table, '--pk', 'pk:S']);
  expect(made.code, made.stderr).toBe(0);
  const file = join(dir, 'people.ndjson');
  writeFileSync(file, `${itemLines().join('\n')}\n`);
  return { dir, g, file };
}

const parseLines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

describe('import resumed after SIGKILL (embedded engine in the process, --data-dir)', () => {
  it('kill -9 mid-import, then the same command with --resume: the table is exactly the input', async () => {
    const dir = tempDir('ddbctl-e2e-transfer-');
    const data = join(dir, 'data');
    const g = ['--data-dir', data];
    const created = await ddbctl([
      ...g,
      'create-table',
      'People',
      '--pk',
      'pk:S',
      '--billing',
      'on-demand',
      '--wait',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const file = join(dir, 'people.ndjson');
    writeFileSync(file, `${itemLines().join('\n')}\n`);
    const cpPath = `${file}.ddbctl-import.json`;

    // NOTE: --rate keeps the import running for seconds (20,000 items at 2,000 write units a
    // second), so the signal lands mid-import however fast the engine is.
    const p = start([...g, 'import', 'People', file, '--rate', '2000']);
    // Wait until the checkpoint shows progress, then kill without a chance to clean up.
    const cp = await waitFor('the import checkpoint', p, () => {
      const c = readCheckpointFile<ImportCp>(cpPath);
      return c && c.written >= 500 ? c : undefined;
    });
    p.child.kill('SIGKILL');
    const ended = await p.exited;
    expect(ended.signal).toBe('SIGKILL');
    expect(cp.offset).toBeGreaterThan(0);
    expect(cp.offset, 'killed before the end of the input').toBeLessThan(readFileSync(file).length);
    expect(existsSync(cpPath)).toBe(true);

    // Without --resume the checkpoint is not silently ignored.
    const again = await ddbctl([...g, 'import', 'People', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('pass --resume to continue it');

    const resumed = await ddbctl([...g, 'import', 'People', file, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming at line \d+/);
    expect(resumed.stderr).toMatch(
      /import People: 20,000 written \([\d,]+ before --resume, [\d,]+ now\), 0 rejected, /,
    );
    expect(existsSync(cpPath)).toBe(false);
    expect(existsSync(`${file}.ddbctl-import.rejects.ndjson`)).toBe(false);

    await expectTableExactly(g, dir, 'People');
  }, 300_000);
});

describe('the embedded engine on a thread of its own during an import (--data-dir)', () => {
  it('runs there for an input of 1 MiB or more and for stdin, not for a small file; every item written', async () => {
    const dir = tempDir('ddbctl-e2e-transfer-');
    const g = ['--data-dir', join(dir, 'data')];
    for (const t of ['Big', 'Small', 'Piped'])
      expect((await ddbctl([...g, '-q', 'create-table', t, '--pk', 'pk:S'])).code).toBe(0);
    const line = 'ddbctl: debug: the embedded engine runs on a thread of its own';
    const big = join(dir, 'big.ndjson');
    writeFileSync(big, `${itemLines().join('\n')}\n`);
    expect(readFileSync(big).length).toBeGreaterThan(1 << 20);
    const imported = await ddbctl([...g, '--debug', 'import', 'Big', big]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(line);
    expect(imported.stderr).toMatch(/import Big: 20,000 written, 0 rejected, /);
    await expectTableExactly(g, dir, 'Big');

    const small = join(dir, 'small.ndjson');
    writeFileSync(small, '{"pk":"a"}\n{"pk":"b"}\n');
    const few = await ddbctl([...g, '--debug', 'import', 'Small', small]);
    expect(few.code, few.stderr).toBe(0);
    expect(few.stderr).not.toContain('the embedded engine runs');

    const piped = await run(
      'sh',
      ['-c', `"$0" "$@" < "${small}"`, process.execPath, bin, ...g, '--debug', 'import', 'Piped', '-'],
      {
        env: noCredentials(),
      },
    );
    expect(piped.stderr).toContain(line);
    const items = await ddbctl([...g, '-o', 'ndjson', 'scan', 'Piped']);
    expect(items.stdout.trim().split('\n').sort()).toEqual(['{"pk":"a"}', '{"pk":"b"}']);
  }, 120_000);

  it("stays on the command's thread under a limit on the address space (ulimit -v), where a second V8 may not fit", async () => {
    const { dir, g, file: big } = await tableAndInput('ddbctl-e2e-transfer-', 'Limited');
    const limited = await run(
      'sh',
      [
        '-c',
        'ulimit -v 3000000 && exec "$0" "$@"',
        process.execPath,
        bin,
        ...g,
        '--debug',
        'import',
        'Limited',
        big,
      ],
      { env: noCredentials() },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(limited.stderr).toContain(
      "ddbctl: debug: the embedded engine runs on the command's thread (the address space is limited (ulimit -v 3000000))",
    );
    expect(limited.stderr).toMatch(/import Limited: 20,000 written, 0 rejected, /);
    await expectTableExactly(g, dir, 'Limited');
  }, 120_000);
});

describe('Ctrl-C (SIGINT) on the embedded engine in the process (--data-dir)', () => {
  it('while an import waits for another command to finish with the data dir: exit 130 at once, nothing done', async () => {
    const dir = tempDir('ddbctl-e2e-sigint-');
    const g = ['--data-dir', join(dir, 'data')];
    expect((await ddbctl([...g, '-q', 'create-table', 'Held', '--pk', 'pk:S'])).code).toBe(0);
    const small = join(dir, 'small.ndjson');
    writeFileSync(small, '{"pk":"a"}\n');
    // The holder: an import from stdin that stays open (nothing ever written to it).
    const holder = spawn(process.execPath, [bin, ...g, 'import', 'Held', '-'], {
      env: noCredentials(),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let held = '';
    holder.stderr.on('data', (d) => {
      held += d;
    });
    try {
      const deadline = Date.now() + 30_000;
      while (!held.includes('target:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const p = start([...g, 'import', 'Held', small]);
      await waitFor('the wait line', p, () =>
        p.stderr().includes('waiting for another ddbctl') ? true : undefined,
      );
      const sent = Date.now();
      p.child.kill('SIGINT');
      const ended = await p.exited;
      expect(ended.code, p.stderr()).toBe(130);
      expect(Date.now() - sent).toBeLessThan(5_000);
      expect(p.stderr()).toMatch(
        new RegExp(
          `ddbctl: error: interrupted while waiting for another ddbctl \\(pid ${holder.pid}\\) to finish with data dir .*: nothing was done\n$`,
        ),
      );
    } finally {
      holder.stdin?.end();
      await once(holder, 'exit');
    }
    // The holder wrote nothing and the interrupted import nothing either.
    const items = await ddbctl([...g, '-o', 'ndjson', 'scan', 'Held']);
    expect(items.stdout.trim()).toBe('');
  }, 120_000);

  it('a second Ctrl-C right after the first: exit 130, and either the report or the line that there is none, never both', async () => {
    const { dir, g, file } = await tableAndInput('ddbctl-e2e-sigint-', 'Twice');
    const cpPath = `${file}.ddbctl-import.json`;
    let before = 0;
    for (const gap of [0, 30, 80]) {
      const p = start([...g, 'import', 'Twice', file, '--rate', '4000', ...(before ? ['--resume'] : [])]);
      await waitFor('the import checkpoint', p, () => {
        const c = readCheckpointFile<ImportCp>(cpPath);
        return c && c.written >= before + 500 ? c : undefined;
      });
      p.child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, gap));
      if (p.child.exitCode === null) p.child.kill('SIGINT');
      const ended = await p.exited;
      const stderr = p.stderr();
      // Exit 130, or ended by the signal itself once its handler is gone (after the report), which
      // a shell reports as 130 too.
      if (ended.code === null) expect(ended.signal, stderr).toBe('SIGINT');
      else expect(ended.code, stderr).toBe(130);
      const forced = stderr.includes('stopped at once by a second Ctrl-C');
      const report = /import Twice interrupted: /.test(stderr);
      expect(forced !== report, stderr).toBe(true);
      before = readCheckpointFile<ImportCp>(cpPath)?.written ?? before;
    }
    // Whatever the stops, the resumed import ends with exactly the input.
    const resumed = await ddbctl([...g, 'import', 'Twice', file, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    await expectTableExactly(g, dir, 'Twice');
  }, 300_000);

  it('mid-import: no stack trace, exit 130, one report with the resume command; the resume has every item once', async () => {
    const dir = tempDir('ddbctl-e2e-sigint-');
    const data = join(dir, 'data');
    const g = ['--data-dir', data];
    const created = await ddbctl([...g, 'create-table', 'People', '--pk', 'pk:S', '--wait']);
    expect(created.code, created.stderr).toBe(0);
    const file = join(dir, 'people.ndjson');
    writeFileSync(file, `${itemLines().join('\n')}\n`);
    const cpPath = `${file}.ddbctl-import.json`;

    // NOTE: --rate keeps the import running for seconds (20,000 items at 2,000 write units a
    // second), so the signal lands mid-import however fast the engine is.
    const p = start([...g, 'import', 'People', file, '--rate', '2000']);
    await waitFor('the import checkpoint', p, () => {
      const c = readCheckpointFile<ImportCp>(cpPath);
      return c && c.written >= 500 ? c : undefined;
    });
    p.child.kill('SIGINT');
    const ended = await p.exited;
    const stderr = p.stderr();
    expect(ended.code, stderr).toBe(130);
    expect(stderr).not.toMatch(/Database is closed|\n\s+at |Node\.js v/);
    const lines = stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('interrupted'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^ddbctl: import People interrupted: [\\d,]+ written \\(writes in flight at the stop may have landed too\\), 0 rejected; the checkpoint ${cpPath} has the [\\d,]+ records before line [\\d,]+; continue with: ddbctl --data-dir ${data} import People ${file} --rate 2000 --resume$`,
        ),
      ),
    ]);
    const cp = readCheckpointFile<ImportCp & { target: unknown }>(cpPath);
    expect(cp?.target).toEqual({ kind: 'embedded', where: data });
    expect(cp!.offset).toBeLessThan(readFileSync(file).length);
    // The data dir was released: the next command takes it at once.
    const resumed = await ddbctl([...g, 'import', 'People', file, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `import People: 20,000 written (${cp!.written.toLocaleString('en-US')} before --resume, ${(N - cp!.written).toLocaleString('en-US')} now)`,
    );
    await expectTableExactly(g, dir, 'People');
  }, 300_000);
});

describe('Ctrl-C (SIGINT) stops copy-table and truncate on the embedded engine in the process', () => {
  // NOTE: between two tables of one data dir no request waits on I/O: the in-process door must give
  // the event loop its turns, or the signal handler never runs and the command goes on to the end.
  it('copy-table into an existing table, then truncate: each stops with exit 130 and says what was done', async () => {
    const dir = tempDir('ddbctl-e2e-sigint-copy-');
    const g = ['--data-dir', join(dir, 'data')];
    const file = join(dir, 'people.ndjson');
    writeFileSync(file, `${itemLines().join('\n')}\n`);
    for (const t of ['People', 'Copy']) {
      const created = await ddbctl([...g, 'create-table', t, '--pk', 'pk:S', '--wait']);
      expect(created.code, created.stderr).toBe(0);
    }
    const imported = await ddbctl([...g, '-q', 'import', 'People', file]);
    expect(imported.code, imported.stderr).toBe(0);

    const stopped = async (args: string[], notice: string) => {
      const p = start([...g, ...args]);
      await waitFor('the target line', p, () => (p.stderr().includes(notice) ? true : undefined));
      await new Promise((r) => setTimeout(r, 100));
      p.child.kill('SIGINT');
      const ended = await p.exited;
      expect(ended.code, p.stderr()).toBe(130);
      expect(p.stderr()).not.toMatch(/\n\s+at |Node\.js v/);
      return p.stderr();
    };
    expect(await stopped(['copy-table', 'People', 'Copy'], 'source and destination:')).toMatch(
      /copy-table People → Copy interrupted: [\d,]+ items written of [\d,]+ read/,
    );
    expect(await stopped(['truncate', 'People', '--yes'], 'target:')).toMatch(
      /truncate People interrupted: [\d,]+ items deleted/,
    );
    // The source still holds what truncate left, and the data dir was released.
    const count = await ddbctl([...g, '-o', 'json', 'scan', 'People', '--count']);
    expect(count.code, count.stderr).toBe(0);
    expect(JSON.parse(count.stdout).count).toBeGreaterThan(0);
  }, 300_000);
});

describe('against ddbctl serve: Ctrl-C during an import, and a killed export, resumed', () => {
  let server: ChildProcess | undefined;
  let endpoint: string;
  let proxy: FaultProxy | undefined;
  let dir: string;
  let g: string[];
  const table = 'Orders';

  beforeAll(async () => {
    dir = tempDir('ddbctl-e2e-transfer-');
    server = spawn(process.execPath, [bin, '--data-dir', join(dir, 'data'), 'serve', '--port', '0'], {
      env: noCredentials(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // NOTE: read what it writes, so a full pipe can never block the server.
    server.stderr?.resume();
    endpoint = await new Promise<string>((res, rej) => {
      server?.stdout?.once('data', (d: Buffer) => res(d.toString().trim()));
      server?.once('exit', (c) => rej(new Error(`serve exited with ${c}`)));
    });
    g = ['--endpoint-url', endpoint];
    const created = await ddbctl([
      ...g,
      'create-table',
      table,
      '--pk',
      'pk:S',
      '--billing',
      'on-demand',
      '--wait',
    ]);
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await proxy?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server?.once('exit', r));
    }
  });

  it('Ctrl-C (SIGINT) mid-import stops with exit 130; --resume completes it exactly', async () => {
    const file = join(dir, 'orders.ndjson');
    writeFileSync(file, `${itemLines().join('\n')}\n`);
    const cpPath = `${file}.ddbctl-import.json`;
    const p = start([...g, 'import', table, file, '--concurrency', '2']);
    await waitFor('the import checkpoint', p, () => {
      const c = readCheckpointFile<ImportCp>(cpPath);
      return c && c.written >= 500 ? c : undefined;
    });
    p.child.kill('SIGINT');
    const ended = await p.exited;
    expect(ended.code, p.stderr()).toBe(130);
    const cp = readCheckpointFile<ImportCp>(cpPath);
    expect(cp, 'stopped before the end: the checkpoint is still there').toBeDefined();

    const resumed = await ddbctl([...g, 'import', table, file, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming at line \d+/);
    expect(existsSync(cpPath)).toBe(false);

    const exported = await ddbctl([...g, 'export', table]);
    expect(exported.code, exported.stderr).toBe(0);
    expectExactly(parseLines(exported.stdout), exported.stdout);
  }, 300_000);

  // Scans made slow by a proxy (250 ms a call), so the kill lands between pages.
  it.each([
    { format: 'json', ext: 'json' },
    { format: 'csv', ext: 'csv' },
    { format: 'ndjson', ext: 'ndjson' },
    { format: 'ndjson', ext: 'ndjson.gz' },
  ])(
    'a killed $ext export resumed with --resume: the file parses and has every item once',
    async ({ format, ext }) => {
      proxy ??= await startFaultProxy({
        target: endpoint,
        faults: [{ kind: 'latency', operations: ['Scan'], ms: 250 }],
      });
      const via = ['--endpoint-url', proxy.endpoint];
      const out = join(dir, `orders-export.${ext}`);
      const cpPath = `${out}.ddbctl-export.json`;
      const args = [...via, 'export', table, out, '--segments', '3'];
      const p = start(args);
      const cp = await waitFor('the export checkpoint', p, () => {
        const c = readCheckpointFile<ExportCp>(cpPath);
        return c && c.items > 0 ? c : undefined;
      });
      p.child.kill('SIGKILL');
      expect((await p.exited).signal).toBe('SIGKILL');
      expect(
        cp.scan.next < cp.scan.segments || cp.scan.open.length > 0,
        'killed before every segment ended',
      ).toBe(true);
      expect(existsSync(cpPath)).toBe(true);

      const resumed = await ddbctl([...args, '--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(/resuming after [\d,]+ items/);
      expect(resumed.stderr).toMatch(
        /export Orders: 20,000 items \([\d,]+ before --resume, [\d,]+ now\) to /,
      );
      expect(existsSync(cpPath)).toBe(false);

      const bytes = readFileSync(out);
      // *.gz: one gzip member per page; the cut at the checkpoint falls between members.
      const text = (ext.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      let items: { pk: string; i: number }[];
      if (format === 'json') items = JSON.parse(text);
      else if (format === 'ndjson') items = parseLines(text);
      else {
        const [header, ...rows] = text.trimEnd().split('\n');
        const order = header!.split(',');
        expect([...order].sort()).toEqual(['i', 'n', 'pad', 'pk']);
        // The header once: a resumed CSV export does not write it again.
        expect(rows.filter((r) => r === header)).toEqual([]);
        items = rows.map((r) => {
          const f = r.split(',');
          const o: Record<string, string> = {};
          order.forEach((c, k) => {
            o[c] = f[k]!;
          });
          return { pk: o.pk!, i: Number(o.i), n: o.n };
        });
        // CSV writes the number's text as is.
        expect(
          items.some((x) => (x as unknown as { n: string }).n === '98765432109876543210987654321098761234'),
        ).toBe(true);
        expect(items).toHaveLength(N);
        expect(new Set(items.map((x) => x.pk)).size).toBe(N);
        for (const x of items) expect(x.pk).toBe(keyOf(x.i));
        return;
      }
      expectExactly(items, text);
    },
    300_000,
  );
});

describe('Ctrl-C while the SDK waits to send a throttled call again', () => {
  it('exits 130 right after the interrupted line, not when the wait ends (up to 20 s)', async () => {
    const dir = tempDir();
    const env = noCredentials();
    const server = spawn(process.execPath, [bin, 'serve', '--memory', '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stderr?.resume();
    let throttling: FaultProxy | undefined;
    try {
      const endpoint = await new Promise<string>((res, rej) => {
        server.stdout?.once('data', (d: Buffer) => res(d.toString().trim()));
        server.once('exit', (c) => rej(new Error(`serve exited with ${c}`)));
      });
      const made = await ddbctl(
        ['--endpoint-url', endpoint, '-q', 'create-table', 'Tthr', '--pk', 'pk:S'],
        env,
      );
      expect(made.code, made.stderr).toBe(0);
      const file = join(dir, 'in.ndjson');
      writeFileSync(
        file,
        `${Array.from({ length: 500 }, (_, i) => JSON.stringify({ pk: `k${i}` })).join('\n')}\n`,
      );
      expect((await ddbctl(['--endpoint-url', endpoint, '-q', 'import', 'Tthr', file], env)).code).toBe(0);
      // Two pages pass, then every Scan call is throttled: each attempt the SDK makes waits longer.
      throttling = await startFaultProxy({
        target: endpoint,
        faults: [{ kind: 'throughput', operations: ['Scan'], skip: 2, count: 100_000 }],
      });
      const proxy = throttling;
      const out = join(dir, 'out.ndjson');
      const p = start(
        ['--endpoint-url', proxy.endpoint, 'export', 'Tthr', out, '--segments', '1', '--page-size', '100'],
        { ...env, AWS_MAX_ATTEMPTS: '10' },
      );
      await waitFor('six throttled attempts', p, () =>
        proxy.stats.faults.throughput >= 6 ? true : undefined,
      );
      p.child.kill('SIGINT');
      await waitFor('the interrupted line', p, () => (/ interrupted: /.test(p.stderr()) ? true : undefined));
      const said = Date.now();
      const ended = await p.exited;
      expect(ended.code, p.stderr()).toBe(130);
      expect(Date.now() - said, 'ms from the interrupted line to the exit').toBeLessThan(3000);
      expect(p.stderr()).toMatch(/export Tthr interrupted: 200 items in \S+out\.ndjson/);
    } finally {
      await throttling?.close();
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
    }
  }, 120_000);
});

describe('import from a named pipe', () => {
  it('is read once, as stdin is (no checkpoint, no second open that would wait for ever), every item written', async () => {
    const dir = tempDir();
    const env = noCredentials();
    const made = await ddbctl(['--data-dir', dir, '-q', 'create-table', 'Fifo', '--pk', 'pk:S'], env);
    expect(made.code, made.stderr).toBe(0);
    const fifo = join(dir, 'in.ndjson');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `printf '{"pk":"a"}\\n{"pk":"b"}\\n' > "${fifo}"`]);
    const written = once(writer, 'exit');
    const r = await ddbctl(['--data-dir', dir, 'import', 'Fifo', fifo], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('import Fifo: 2 written, 0 rejected');
    expect(existsSync(`${fifo}.ddbctl-import.json`)).toBe(false);
    expect(await written).toEqual([0, null]);
    const items = await ddbctl(['--data-dir', dir, 'scan', 'Fifo', '-o', 'ndjson'], env);
    expect(items.stdout.trim().split('\n').sort()).toEqual(['{"pk":"a"}', '{"pk":"b"}']);
    // export writes its file at positions: a pipe (here with no reader, which would block an open)
    // is refused at once, before anything is opened.
    const out = join(dir, 'out.ndjson');
    execFileSync('mkfifo', [out]);
    const exported = await ddbctl(['--data-dir', dir, 'export', 'Fifo', out], env);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain(
      `ddbctl: error: cannot write ${out}: it is a named pipe, and export writes its file at positions (for --resume); export to stdout instead (- in its place) and redirect that into the pipe`,
    );
    const resume = await ddbctl(['--data-dir', dir, 'import', 'Fifo', fifo, '--resume'], env);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain(
      `ddbctl: error: --resume needs a file: ${fifo} is a pipe, which cannot be read again from a checkpoint`,
    );
  });
});
