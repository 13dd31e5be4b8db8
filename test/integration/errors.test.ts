// Bad input and failures: one clear line on stderr, exit 2 for usage and 1 for failed operations,
// no stack trace unless --debug, never a credential.
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { createTable } from '../../src/core/spec/createTable.js';
import { type CliRun, cli, engineName, errorLines, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
const table = uniqueName('err');
// NOTE: port 1 on loopback: nothing listens there, so any request fails at once.
const DEAD = ['--endpoint-url', 'http://127.0.0.1:1'];

beforeAll(async () => {
  await createTable(clients, { tableName: table });
  await waitForTable(clients, table, { for: 'active' });
});
afterAll(async () => {
  await deleteTable(clients, table);
  clients.destroy();
});

function expectOneLine(r: CliRun, code: number, text: string | RegExp) {
  expect(r.code, r.stderr).toBe(code);
  const lines = errorLines(r);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(text);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe(`errors on ${engineName()}`, () => {
  it('a region that is no region name is refused locally (exit 2), on every target, before anything is opened', async () => {
    const line =
      'ddbctl: error: --region "bad region!" is not a region name: use letters, digits and hyphens, such as us-east-1';
    for (const target of [['--memory'], DEAD, []]) {
      const r = await cli([...target, '--region', 'bad region!', 'list-tables'], {
        defaultTarget: true,
        env: { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x' },
      });
      expectOneLine(r, 2, line);
      expect(r.stderr).not.toContain('ddbctl: target');
    }
    const env = await cli(['--memory', 'list-tables'], { env: { AWS_REGION: 'eu west' } });
    expectOneLine(env, 2, 'ddbctl: error: AWS_REGION "eu west" is not a region name');
  });

  it('the embedded engine is named by its data dir in messages, never by its random port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-label-'));
    try {
      const r = await cli(['--data-dir', dir, 'scan', 'Missing-table']);
      expectOneLine(
        r,
        1,
        `ddbctl: error: DescribeTable: table Missing-table does not exist at the embedded engine (data dir ${dir}); list tables with 'ddbctl --data-dir ${dir} list-tables'`,
      );
      expect(errorLines(r)[0]).not.toContain('127.0.0.1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a data dir that cannot be made is one line, at once: a file on its path, or under /proc (where mkdir -p of node loops for ever)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-nodir-'));
    try {
      const file = join(dir, 'file');
      writeFileSync(file, 'x');
      const cases: [string, RegExp][] = [
        [join(file, 'data'), /ENOTDIR: not a directory/],
        [file, /EEXIST: file already exists/],
        ...(existsSync('/proc/self')
          ? ([
              ['/proc/ddbctl-none/data', /ENOENT: no such file or directory, mkdir '\/proc\/ddbctl-none'/],
            ] as [string, RegExp][])
          : []),
      ];
      for (const [where, why] of cases) {
        const r = await cli(['--data-dir', where, 'list-tables']);
        expectOneLine(
          r,
          1,
          new RegExp(`^ddbctl: error: cannot create data dir ${where.replace(/[/.]/g, '\\$&')}: `),
        );
        expect(errorLines(r)[0]).toMatch(why);
        expect(errorLines(r)[0]).toMatch(/; pass --data-dir to a writable folder or --memory$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an invalid table name is refused locally, before any request', async () => {
    expectOneLine(
      await cli([...DEAD, 'create-table', 'bad name!']),
      2,
      /invalid table name "bad name!": it contains " "/,
    );
    expectOneLine(
      await cli([...DEAD, 'get', 'ab', 'username=x']),
      2,
      /invalid table name "ab": it has 2 characters/,
    );
    expectOneLine(
      await cli([...DEAD, 'get', 'a', 'username=x']),
      2,
      /invalid table name "a": it has 1 character \(3–255 allowed\)/,
    );
    // Every command that takes a table checks its name as the command line is read: before the
    // target is announced, and (the embedded engine) before its data dir is made.
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ddbctl-badname-')), 'data');
    for (const args of [
      ['scan', 'ab'],
      ['export', 'ab', '-'],
      ['put', 'ab', '{"username":"x"}'],
      ['update', 'ab', 'username=x', '--set', 'n=1'],
      ['delete', 'ab', 'username=x'],
      ['query', 'ab', 'x'],
      ['describe-table', 'ab'],
      ['delete-table', 'ab', '--yes'],
      ['wait', 'ab'],
      ['truncate', 'ab', '--yes'],
      ['import', 'ab', '-'],
      ['batch-write', 'ab', '-'],
      ['batch-get', 'ab', '-'],
      ['update-table', 'ab', '--billing', 'on-demand'],
      ['tail', 'ab'],
      ['copy-table', 'Users', 'ab', '--from-local', '--to-local'],
      ['lab', '--table-name', 'ab'],
    ]) {
      for (const target of [DEAD, ['--data-dir', dataDir]]) {
        const r = await cli([...target, ...args], { stdin: '' });
        expectOneLine(r, 2, /invalid table name "ab": it has 2 characters/);
        expect(r.stderr, args.join(' ')).not.toContain('target:');
      }
    }
    expect(existsSync(dataDir)).toBe(false);
    // An index name too, before the DescribeTable that reads the key schema.
    expectOneLine(
      await cli([...DEAD, 'scan', 'Users', '--index', 'ix']),
      2,
      /invalid index name "ix": it has 2/,
    );
    expectOneLine(
      await cli([...DEAD, 'query', 'Users', 'u1', '--index', 'by user']),
      2,
      /invalid index name "by user": it contains " "/,
    );
  });

  it('the default target is AWS when a profile has credentials; decided from the files alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-aws-files-'));
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = fromfile\n',
    );
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-central-1\n');
    const env = {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_REGION: '',
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: join(dir, 'config'),
    };
    // whoami's one call goes to STS, here a dead port on loopback: nothing is sent to AWS.
    vi.stubEnv('AWS_ENDPOINT_URL_STS', 'http://127.0.0.1:1');
    try {
      const r = await cli(['whoami'], { env: { ...env, AWS_MAX_ATTEMPTS: '1' }, defaultTarget: true });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('target: AWS eu-central-1 (credentials from profile default, static keys)');
      expect(r.stderr).not.toContain('fromfile');
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
    // An invalid table name is refused as the command line is read, before any target is chosen.
    const bad = await cli(['get', 'ab', 'k=1'], { env, defaultTarget: true });
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).not.toContain('target:');
  });

  it('an endpoint that is no DynamoDB (a web page) is said so, with the URL to check, not "retry later"', async () => {
    /** `args` against an endpoint that answers every request with an HTML page of `status`. */
    const againstPage = async (status: number, html: string, args: string[], env = {}) => {
      const server = createServer((_req, res) => {
        res.writeHead(status, { 'Content-Type': 'text/html' });
        res.end(html);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        return { url, r: await cli(['--endpoint-url', url, ...args], { env }) };
      } finally {
        server.close();
      }
    };
    const page = await againstPage(501, '<!DOCTYPE html><html><body>Unsupported method</body></html>', [
      'list-tables',
    ]);
    expectOneLine(
      page.r,
      1,
      new RegExp(
        `^ddbctl: error: ListTables: the endpoint at ${page.url} answered HTTP 501 with something that is not DynamoDB's JSON \\(.*\\); check that the URL is a DynamoDB endpoint \\(host, port, and no path\\)$`,
      ),
    );
    // A 500 page: most often the engine failing on the request (moto's crash page), said first.
    const failing = await againstPage(
      500,
      '<!doctype html><title>500 Internal Server Error</title>',
      ['list-tables'],
      {
        AWS_MAX_ATTEMPTS: '1',
      },
    );
    expectOneLine(
      failing.r,
      1,
      new RegExp(
        `^ddbctl: error: ListTables: the endpoint at ${failing.url} answered HTTP 500 with something that is not DynamoDB's JSON \\(.*\\); an error of the engine itself on this request \\(its own log may say which\\), or not a DynamoDB endpoint: check the URL \\(host, port, and no path\\)$`,
      ),
    );
  });

  it('--count with --project is refused before any request (a count has no attributes to project)', async () => {
    for (const cmd of [
      ['query', 'Users', 'u1'],
      ['scan', 'Users'],
    ]) {
      expectOneLine(
        await cli([...DEAD, ...cmd, '--count', '--project', 'a']),
        2,
        /^ddbctl: error: option '--count' cannot be used with option '--project <paths>'/,
      );
    }
  });

  it('an unknown flag is a usage error', async () => {
    expectOneLine(
      await cli(['list-tables', '--bogus']),
      2,
      /unknown option '--bogus' \(see 'ddbctl list-tables --help'\)$/,
    );
    // Before any command word, the program's own help.
    expectOneLine(
      await cli(['--bogus', 'list-tables']),
      2,
      /unknown option '--bogus' \(see 'ddbctl --help'\)$/,
    );
    expectOneLine(await cli(['no-such-command']), 2, /unknown command 'no-such-command'/);
    // An option's value refused by ddbctl's own check points to the command's help too; an error
    // of the data once the command runs does not (the line says what to change).
    expectOneLine(
      await cli(['scan', table, '--segments', '0']),
      2,
      /^ddbctl: error: --segments "0": expected a whole number ≥ 1 \(see 'ddbctl scan --help'\)$/,
    );
    expectOneLine(
      await cli(['get', table, '{"username":""}']),
      2,
      /^ddbctl: error: key: .*DynamoDB allows 1–2048$/,
    );
    // `help` of a command that does not exist says so, as the command itself would (not the whole help).
    expectOneLine(
      await cli(['--memory', 'help', 'no-such-command']),
      2,
      /^ddbctl: error: unknown command 'no-such-command' \(see 'ddbctl --help'\)$/,
    );
    expectOneLine(
      await cli(['help', 'sacn']),
      2,
      /^ddbctl: error: unknown command 'sacn' \(Did you mean scan\?\)/,
    );
    // `help` of a command that exists: its help, on stdout.
    const known = await cli(['help', 'scan']);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/^Usage: ddbctl scan \[options\] <table>/);
  });

  it('malformed item JSON is a usage error that names the problem', async () => {
    expectOneLine(await cli([...DEAD, 'put', table, '{"username": "x",']), 2, /^ddbctl: error: item: /);
    expectOneLine(await cli([...DEAD, 'put', table, 'not-json']), 2, /is neither JSON/);
  });

  it('a key missing from the item names the table key schema', async () => {
    expectOneLine(
      await cli(['put', table, '{"name":"x"}']),
      2,
      new RegExp(
        `the partition key attribute "username" is missing; table ${table} has key username \\(S\\)`,
      ),
    );
    expectOneLine(
      await cli(['put', table, '{"username":5}']),
      2,
      /key attribute "username" must be of type S/,
    );
    expectOneLine(await cli(['get', table, 'user=ada']), 2, /"user" is not part of the key/);
  });

  it('an unreachable endpoint fails clearly', async () => {
    expectOneLine(
      await cli([...DEAD, 'list-tables']),
      1,
      /ListTables: cannot reach the endpoint at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
  });

  it('a wait that times out names the table, the status and the time', async () => {
    expectOneLine(
      await cli(['wait', table, '--for', 'deleted', '--timeout', '1']),
      1,
      new RegExp(`table ${table} is not deleted after [\\d.]+ s \\(last status: ACTIVE\\)`),
    );
  });

  it('a get on a missing table is a clear failure', async () => {
    const missing = uniqueName('nope');
    expectOneLine(
      await cli(['get', missing, 'username=ada']),
      1,
      new RegExp(`table ${missing} does not exist`),
    );
  });

  it('delete-table refuses to run unprompted without a terminal', async () => {
    expectOneLine(
      await cli(['delete-table', table]),
      2,
      /refusing without a terminal to confirm on; pass --yes/,
    );
  });

  it('--debug adds a stack trace but never a credential', async () => {
    const secret = 'ddbctl-secret-that-must-not-leak';
    const r = await cli([...DEAD, '--debug', 'list-tables'], {
      env: { AWS_ACCESS_KEY_ID: 'AKIDLEAKCHECK', AWS_SECRET_ACCESS_KEY: secret },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\s+at /m);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain('AKIDLEAKCHECK');
  });
});
