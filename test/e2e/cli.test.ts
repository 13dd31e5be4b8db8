// End-to-end: the built binary, as a user runs it, on fresh data dirs.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, ddbctl, noCredentials, removeTempDirs, root, run, tempDir } from './binary.js';

afterAll(removeTempDirs);

describe('the built binary', () => {
  it('npm start runs the lab on the embedded engine on a fresh data dir, also with AWS credentials around', async () => {
    const dataDir = tempDir();
    // Credentials in the environment would make AWS the default target of a bare `ddbctl lab`.
    const r = await run('npm', ['start', '--silent'], {
      cwd: root,
      env: noCredentials({
        DDBCTL_DATA_DIR: dataDir,
        AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE',
        AWS_SECRET_ACCESS_KEY: 'fake',
        AWS_REGION: 'us-east-1',
      }),
    });
    expect(r.stderr).toContain(`target: embedded engine (data dir ${dataDir})`);
    expect(r.stdout).toContain('created table Users');
    expect(r.stdout).toContain('✓ lab passed');
  });

  it('lab twice reuses the table (data persists between commands), then --cleanup removes it', async () => {
    const cwd = tempDir();
    const env = noCredentials();
    const first = await ddbctl(['lab', '--table-name', 'People'], env, cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('target: embedded engine (data dir .ddbctl)');
    expect(first.stdout).toContain('created table People');
    const second = await ddbctl(['lab', '--table-name', 'People'], env, cwd);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('table People already exists (status ACTIVE): reusing it');
    const clean = await ddbctl(['lab', '--table-name', 'People', '--cleanup'], env, cwd);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('deleted the table');
    const list = await ddbctl(['list-tables', '-o', 'json'], env, cwd);
    expect(JSON.parse(list.stdout)).toEqual({ TableNames: [] });
  });

  it('two commands at once on one data dir both succeed, and the data dir stays intact', async () => {
    const dataDir = tempDir();
    const env = noCredentials({ DDBCTL_DATA_DIR: dataDir });
    const [a, b] = await Promise.all([
      ddbctl(['lab', '--table-name', 'TableA'], env),
      ddbctl(['lab', '--table-name', 'TableB'], env),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stderr + b.stderr).toMatch(/waiting for another ddbctl \(pid \d+\) to finish with data dir/);
    const list = await ddbctl(['list-tables', '-o', 'json'], env);
    expect(JSON.parse(list.stdout).TableNames.sort()).toEqual(['TableA', 'TableB']);
  });

  it('update-table --add-gsi without --wait says the index is being built, and wait --for indexes ends it', async () => {
    const dataDir = tempDir();
    const env = noCredentials({ DDBCTL_DATA_DIR: dataDir });
    expect((await ddbctl(['create-table', 'Gsi', '--pk', 'id:S', '--wait'], env)).code).toBe(0);
    const items = join(dataDir, 'items.ndjson');
    writeFileSync(
      items,
      `${Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `i${i}`, g: `g${i % 7}` })).join('\n')}\n`,
    );
    expect((await ddbctl(['batch-write', 'Gsi', items], env)).code).toBe(0);
    const add = await ddbctl(['update-table', 'Gsi', '--add-gsi', 'byG:g:S', '--no-wait'], env);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toContain(
      "byG is being built: the embedded engine indexes the existing items only while an engine runs on this data dir ('ddbctl serve', or 'ddbctl wait Gsi --for indexes', which waits for the end)",
    );
    const wait = await ddbctl(['wait', 'Gsi', '--for', 'indexes'], env);
    expect(wait.code, wait.stderr).toBe(0);
    const count = await ddbctl(['query', 'Gsi', 'g=g3', '--index', 'byG', '--count'], env);
    expect(count.stdout.trim()).toBe(
      String(Array.from({ length: 3000 }, (_, i) => i).filter((i) => i % 7 === 3).length),
    );
  });

  it('--aws without credentials fails in one line, exit 1, with no request sent', async () => {
    const r = await ddbctl(['--aws', '--region', 'us-east-1', 'list-tables'], noCredentials());
    expect(r.code).toBe(1);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.includes('target:')),
    ).toEqual([
      'ddbctl: error: no AWS credentials found in the environment, the shared files or the instance role; run "aws configure", pass --profile, or use --local for the embedded engine',
    ]);
  });

  it("copy-table's --from-local / --to-local are the global --data-dir's engine, not ./.ddbctl of the working folder", async () => {
    const dataDir = join(tempDir('ddbctl-e2e-copy-local-'), 'data');
    const cwd = tempDir('ddbctl-e2e-copy-cwd-');
    const env = noCredentials();
    expect((await ddbctl(['--data-dir', dataDir, 'create-table', 'Src', '--pk', 'id:S'], env)).code).toBe(0);
    expect((await ddbctl(['--data-dir', dataDir, 'put', 'Src', '{"id":"a"}'], env)).code).toBe(0);
    const r = await ddbctl(
      ['--data-dir', dataDir, 'copy-table', 'Src', 'Dst', '--from-local', '--to-local'],
      env,
      cwd,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`source and destination: embedded engine (data dir ${dataDir})`);
    const got = await ddbctl(['--data-dir', dataDir, 'get', 'Dst', 'id=a'], env);
    expect(got.code, got.stderr).toBe(0);
    expect(existsSync(join(cwd, '.ddbctl'))).toBe(false);
  });

  it('--help lists every command with the API it calls', async () => {
    const r = await ddbctl(['--help'], noCredentials());
    const commands = [
      ...[
        'lab',
        'create-table',
        'wait',
        'list-tables',
        'describe-table',
        'update-table',
        'delete-table',
        'plan',
        'apply',
      ],
      ...[
        'put',
        'get',
        'update',
        'delete',
        'query',
        'scan',
        'batch-write',
        'batch-get',
        'transact',
        'transact-get',
        'sql',
      ],
      ...['import', 'export', 'copy-table', 'truncate', 'serve', 'migrate-data-dir'],
    ];
    for (const c of commands) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const put = await ddbctl(['put', '--help'], noCredentials());
    expect(put.stdout).toContain('[API: PutItem]');
    expect(put.code).toBe(0);
    // No command at all is a mistake (an empty $CMD in a script): the help on stderr, exit 2.
    const none = await ddbctl([], noCredentials());
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: ddbctl \[options\] \[command\]/);
    expect(r.code).toBe(0);
  });
});

describe('standard input that cannot hold items', () => {
  it('a folder (< DIR) is refused by import, batch-write and put, exit 2; an empty one is said to be empty by put', async () => {
    const dir = tempDir();
    const env = noCredentials();
    const made = await ddbctl(['--data-dir', dir, '-q', 'create-table', 'Stdin', '--pk', 'pk:S'], env);
    expect(made.code, made.stderr).toBe(0);
    /** The binary with its standard input redirected from `from`, through the shell. */
    const withStdin = (args: string[], from: string) =>
      run('sh', ['-c', `"$0" "$@" < "${from}"`, process.execPath, bin, '--data-dir', dir, ...args], {
        env,
      }).then(
        (r) => ({ code: 0, stderr: r.stderr }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    for (const args of [
      ['import', 'Stdin', '-'],
      ['batch-write', 'Stdin', '-'],
      ['put', 'Stdin', '-'],
    ]) {
      const r = await withStdin(args, dir);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(
        'ddbctl: error: standard input is a folder (< FOLDER); give a file or a pipe there, or the path of a file',
      );
    }
    // A folder given as the item's file: said so, as import says it.
    const folder = await ddbctl(['--data-dir', dir, 'put', 'Stdin', dir], env);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(
      `ddbctl: error: ${dir} is a folder; give the item as JSON, the path of a file, or - for stdin`,
    );
    const empty = await withStdin(['put', 'Stdin', '-'], '/dev/null');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain(
      'ddbctl: error: item from stdin: standard input was empty; pipe the JSON in, or give it as an argument',
    );
    const scanned = await ddbctl(['--data-dir', dir, '-o', 'json', 'scan', 'Stdin'], env);
    expect(JSON.parse(scanned.stdout)).toEqual([]);
  });
});

describe('the launcher (dist/cli/bin.cjs) and its code cache', () => {
  const bundle = join(root, 'dist/cli/bundle.cjs');
  const codeCache = `${bundle}.${process.versions.v8}.cache`;
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;

  it("the build's code cache is accepted by this node's V8 for the bundle", () => {
    // The launcher compiles the bundle so (src/cli/bin.cts); a refused cache would only cost speed,
    // silently: this is where it shows.
    const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), {
      filename: bundle,
      cachedData: readFileSync(codeCache),
    });
    expect(script.cachedDataRejected).toBe(false);
  });

  it('runs without the cache, and with a cache V8 refuses (garbage bytes, a truncated cache)', async () => {
    // A copy of the launcher and the bundle: the real dist/ stays untouched for the other tests.
    const dir = tempDir();
    copyFileSync(bin, join(dir, 'bin.cjs'));
    copyFileSync(bundle, join(dir, 'bundle.cjs'));
    const launch = async () =>
      (await run(process.execPath, [join(dir, 'bin.cjs'), '--version'])).stdout.trim();
    expect(await launch()).toBe(version);
    writeFileSync(join(dir, `bundle.cjs.${process.versions.v8}.cache`), Buffer.alloc(4096, 7));
    expect(await launch()).toBe(version);
    const cache = readFileSync(codeCache);
    writeFileSync(join(dir, `bundle.cjs.${process.versions.v8}.cache`), cache.subarray(0, cache.length >> 1));
    expect(await launch()).toBe(version);
  });
});

describe('ddbctl serve', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('serves the data dir on loopback to ddbctl, the AWS CLI and boto3 alike', async () => {
    const dataDir = tempDir();
    const env = noCredentials({ DDBCTL_DATA_DIR: dataDir });
    server = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const endpoint = await new Promise<string>((res, rej) => {
      server?.stdout?.on('data', (d: Buffer) => res(d.toString().trim()));
      server?.on('exit', (c) => rej(new Error(`serve exited with ${c}`)));
    });
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = new URL(endpoint).port;

    // Bound to loopback only.
    const ss = await run('ss', ['-ltnH', `sport = :${port}`]);
    expect(
      ss.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[3]),
    ).toEqual([`127.0.0.1:${port}`]);

    // Another ddbctl command on the same data dir uses the running server automatically.
    const lab = await ddbctl(['lab'], env);
    expect(lab.code, lab.stderr).toBe(0);
    expect(lab.stderr).toContain(`target: ddbctl serve at ${endpoint}`);

    const item = JSON.parse((await ddbctl(['get', 'Users', 'username=ada', '-o', 'json'], env)).stdout);

    // The AWS CLI reads the same item, with the same DynamoDB types.
    const awsEnv = {
      ...env,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'y',
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    const cliOut = await run(
      'aws',
      [
        'dynamodb',
        'get-item',
        '--endpoint-url',
        endpoint,
        '--table-name',
        'Users',
        '--key',
        '{"username":{"S":"ada"}}',
        '--output',
        'json',
      ],
      { env: awsEnv },
    );
    const viaAwsCli = JSON.parse(cliOut.stdout).Item;
    expect(viaAwsCli.username).toEqual({ S: 'ada' });
    expect(viaAwsCli.balance).toEqual({ N: '12345678901234567890.123456789012345678' });
    expect(viaAwsCli.roles.SS.sort()).toEqual(['admin', 'author']);
    expect(viaAwsCli.active).toEqual({ BOOL: true });

    // boto3 too: its deserialised item, re-encoded, is the item ddbctl printed.
    const py = [
      'import boto3, json, sys',
      'from decimal import Decimal',
      `t = boto3.resource("dynamodb", endpoint_url="${endpoint}", region_name="us-east-1").Table("Users")`,
      'item = t.get_item(Key={"username": "ada"}, ConsistentRead=True)["Item"]',
      'def enc(v):',
      '    if isinstance(v, Decimal): return {"__num": str(v)}',
      '    if isinstance(v, set): return {"$set": sorted(enc(x) for x in v)}',
      '    if isinstance(v, dict): return {k: enc(x) for k, x in v.items()}',
      '    if isinstance(v, list): return [enc(x) for x in v]',
      '    return v',
      'print(json.dumps(enc(item)))',
    ].join('\n');
    const boto = JSON.parse((await run('python3', ['-c', py], { env: awsEnv })).stdout);
    expect(boto.balance).toEqual({ __num: '12345678901234567890.123456789012345678' });
    expect(boto.age).toEqual({ __num: '36' });
    expect(boto.full_name).toBe(item.full_name);
    expect(boto.roles).toEqual(item.roles);
    expect(boto.profile.languages).toEqual(item.profile.languages);

    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
    server = undefined;
  });

  it('a command whose serve is killed under it takes the data dir over and finishes, saying so', async () => {
    const dataDir = tempDir();
    const env = noCredentials({ DDBCTL_DATA_DIR: dataDir });
    expect((await ddbctl(['create-table', 'Gone', '--pk', 'id:S'], env)).code).toBe(0);
    const serve = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = serve;
    const endpoint = await new Promise<string>((res, rej) => {
      serve.stdout?.on('data', (d: Buffer) => res(d.toString().trim()));
      serve.on('exit', (c) => rej(new Error(`serve exited with ${c}`)));
    });
    // An import from stdin, joined to the serve, which dies before the items come.
    const imp = spawn(process.execPath, [bin, 'import', 'Gone', '-'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    imp.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    await expect.poll(() => stderr, { timeout: 10_000 }).toContain(`target: ddbctl serve at ${endpoint}`);
    serve.kill('SIGKILL');
    await new Promise((r) => serve.once('exit', r));
    server = undefined;
    imp.stdin?.end('{"id":"a"}\n');
    const code = await new Promise<number | null>((r) => imp.once('exit', r));
    expect(code, stderr).toBe(0);
    // It opened the data dir itself (nothing had reached the serve) and wrote the item there.
    expect(stderr).toContain(
      `ddbctl: the ddbctl serve (pid ${serve.pid}) whose engine this command was using stopped; this command now runs the engine itself\n`,
    );
    expect(stderr).toContain('1 written');
    // Released with the import: the next command opens the data dir itself.
    const next = await ddbctl(['scan', 'Gone', '-o', 'ndjson'], env);
    expect(next.stdout).toBe('{"id":"a"}\n');
    expect(next.stderr).toContain(`target: embedded engine (data dir ${dataDir})`);
  }, 60_000);

  it('serve: refuses another target in one line, and says it waits for a data dir another command holds', async () => {
    const env = noCredentials();
    for (const flags of [
      ['--aws', '--region', 'us-east-1'],
      ['--endpoint-url', 'http://127.0.0.1:1'],
    ]) {
      const r = await ddbctl([...flags, 'serve', '--port', '0'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^ddbctl: error: serve runs the embedded engine only: drop --(aws|endpoint-url) \(/,
      );
    }
    const dataDir = tempDir();
    const held = noCredentials({ DDBCTL_DATA_DIR: dataDir });
    expect((await ddbctl(['create-table', 'Held', '--pk', 'id:S'], held)).code).toBe(0);
    // An import from stdin holds the data dir until its input ends.
    const imp = spawn(process.execPath, [bin, 'import', 'Held', '-'], {
      env: held,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let importErr = '';
    imp.stderr?.on('data', (d: Buffer) => {
      importErr += d.toString();
    });
    await expect.poll(() => importErr, { timeout: 10_000 }).toContain('target: embedded engine');
    const serve = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      env: held,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = serve;
    let serveErr = '';
    serve.stderr?.on('data', (d: Buffer) => {
      serveErr += d.toString();
    });
    await expect
      .poll(() => serveErr, { timeout: 10_000 })
      .toContain(`waiting for another ddbctl (pid ${imp.pid}) to finish with data dir`);
    imp.stdin?.end('{"id":"a"}\n');
    expect(await new Promise((r) => imp.once('exit', r))).toBe(0);
    await expect.poll(() => serveErr, { timeout: 10_000 }).toContain('serving the embedded engine at');
    serve.kill('SIGINT');
    await new Promise((r) => serve.once('exit', r));
    server = undefined;
  }, 60_000);

  it('serve on a port another program holds: one line with the fix, exit 1 (as ui)', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const r = await ddbctl(['--memory', 'serve', '--port', String(port)], noCredentials());
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        `ddbctl: error: cannot listen on 127.0.0.1:${port}: the port is in use; pass another --port, or --port 0 for a free one`,
      );
      // Every interface, that port among them: the error alone, no warning about serving there.
      const all = await ddbctl(
        ['--memory', 'serve', '--port', String(port), '--host', '0.0.0.0'],
        noCredentials(),
      );
      expect(all.code).toBe(1);
      expect(all.stderr.trim().split('\n')).toEqual([
        `ddbctl: error: cannot listen on 0.0.0.0:${port}: the port is in use; pass another --port, or --port 0 for a free one`,
      ]);
    } finally {
      taken.close();
    }
    // A --host with its port, a URL or nothing: said before anything is opened, exit 2.
    for (const host of ['127.0.0.1:9000', 'http://127.0.0.1', '', ' 127.0.0.1']) {
      const r = await ddbctl(['--memory', 'serve', '--host', host], noCredentials());
      expect(r.code, host).toBe(2);
      expect(r.stderr).toMatch(/^ddbctl: error: --host "[^"]*": give /);
    }
  });

  it('an endpoint that takes requests and never answers: each retry is said as it starts (not with -q), then the error', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const env = { ...noCredentials(), DDBCTL_REQUEST_TIMEOUT_MS: '300', AWS_MAX_ATTEMPTS: '2' };
    try {
      const r = await ddbctl(['--endpoint-url', url, 'list-tables'], env);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toEqual([
        `ddbctl: target: endpoint ${url} (region us-east-1)`,
        `ddbctl: ListTables: no answer from ${url} within 0.3 s; trying again (attempt 2 of 2)`,
        `ddbctl: error: ListTables: the endpoint at ${url} took the request but did not answer within 0.3 s on any of 2 attempts (ETIMEDOUT); check that it is not stopped, paused or overloaded`,
      ]);
      // A wait holds its DescribeTable calls to its own --timeout, not the request timeout's minute.
      const started = Date.now();
      const wait = await ddbctl(['--endpoint-url', url, 'wait', 'Tbl', '--timeout', '1'], noCredentials());
      expect(wait.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(wait.stderr.trim().split('\n').at(-1)).toBe(
        `ddbctl: error: table Tbl: ${url} did not answer DescribeTable within the 1 s of the wait (last status: unknown); check that it is not stopped, paused or overloaded, or wait longer with --timeout`,
      );
      // The wait for a deletion too: the SDK waiter's own calls are held to the time (and a last look).
      const deletedFrom = Date.now();
      const gone = await ddbctl(
        ['--endpoint-url', url, 'wait', 'Tbl', '--for', 'deleted', '--timeout', '1'],
        noCredentials(),
      );
      expect(gone.code).toBe(1);
      expect(Date.now() - deletedFrom).toBeLessThan(30_000);
      expect(gone.stderr).toContain(`did not answer DescribeTable within the 1 s of the wait`);
      const quiet = await ddbctl(['-q', '--endpoint-url', url, 'list-tables'], env);
      expect(quiet.code).toBe(1);
      expect(quiet.stderr).toMatch(
        /^ddbctl: error: ListTables: the endpoint at \S+ took the request but did not answer within 0\.3 s on any of 2 attempts/,
      );
      expect(quiet.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      silent.close();
    }
    // A value that is no whole number (of milliseconds, of attempts): said before anything is sent,
    // exit 2; not read as another number (" " had been 0: no time limit at all).
    for (const [name, value, fix] of [
      ['DDBCTL_REQUEST_TIMEOUT_MS', '1m', 'it must be a whole number of milliseconds'],
      ['DDBCTL_REQUEST_TIMEOUT_MS', ' ', 'it must be a whole number of milliseconds'],
      ['DDBCTL_REQUEST_TIMEOUT_MS', '0x10', 'it must be a whole number of milliseconds'],
      ['AWS_MAX_ATTEMPTS', '1.5', 'it must be a whole number of attempts, 1 or more'],
      ['AWS_MAX_ATTEMPTS', '0', 'it must be a whole number of attempts, 1 or more'],
    ] as const) {
      const bad = await ddbctl(['--endpoint-url', url, 'list-tables'], { ...env, [name]: value });
      expect(bad.code, `${name}=${value}`).toBe(2);
      expect(bad.stderr).toContain(`${name} is "${value}": ${fix}`);
    }
  }, 60_000);

  it('run from a folder deleted since: one line with the fix, exit 2, no "unexpected error"', async () => {
    /** ddbctl `args` started by a shell from a folder removed under it: its exit code and last stderr line. */
    const fromGoneFolder = async (args: string, env: NodeJS.ProcessEnv) => {
      const shell = spawn(
        '/bin/sh',
        [
          '-c',
          `mkdir "$0" && cd "$0" && rmdir "$0" && exec "$1" "$2" ${args}`,
          join(tempDir(), 'gone'),
          process.execPath,
          bin,
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      shell.stderr.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise((res) => shell.once('exit', res));
      return { code, last: stderr.trim().split('\n').at(-1) };
    };
    const gone = {
      code: 2,
      last: 'ddbctl: error: the current folder is gone (deleted or moved since the shell entered it); cd to a folder that exists and run again',
    };
    // A data dir named relative to the current folder (as --data-dir ./data).
    expect(await fromGoneFolder('list-tables', noCredentials({ DDBCTL_DATA_DIR: 'data' }))).toEqual(gone);
    // An absolute data dir, a relative file (its checkpoint's lock beside it): the same line.
    const abs = noCredentials({ DDBCTL_DATA_DIR: join(tempDir(), 'data') });
    expect(await fromGoneFolder('export Users out.ndjson', abs)).toEqual(gone);
  });

  it('warns when asked to bind more than loopback', async () => {
    const env = noCredentials();
    const p = spawn(process.execPath, [bin, '--memory', 'serve', '--port', '0', '--host', '0.0.0.0'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    await new Promise<void>((res) => p.stdout.once('data', () => res()));
    p.kill('SIGTERM');
    await new Promise((r) => p.once('exit', r));
    expect(stderr).toContain('warning: serving on 0.0.0.0: the engine has no authentication');
  });
});
