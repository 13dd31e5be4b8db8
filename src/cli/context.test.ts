// A command run in-process reads the environment it is given (Io.env), not the process's: the
// target and the credentials its requests are signed with. No AWS_* variable is in process.env here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli, ctrlC } from '../../test/helpers.js';

/** An endpoint that answers every call with an empty table list and keeps the access key it was signed with. */
let server: Server;
let url: string;
const signedWith: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    signedWith.push(/Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unsigned');
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"TableNames":[]}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

let dir: string;
let files: Record<string, string>;
beforeEach(() => {
  signedWith.length = 0;
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) vi.stubEnv(k, undefined);
  dir = mkdtempSync(join(tmpdir(), 'ddbctl-env-'));
  writeFileSync(
    join(dir, 'credentials'),
    '[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n',
  );
  writeFileSync(join(dir, 'config'), '');
  files = { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') };
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

/** Run ddbctl in-process, `env` added to the process's environment (no AWS_* in it here), on the target `args` or `env` choose. */
const run = (args: string[], env: Record<string, string>) => cli(args, { env, defaultTarget: true });

describe('the environment a run is given (Io.env)', () => {
  it('signs requests with the keys it gives, none of them in process.env', async () => {
    expect(Object.keys(process.env).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    const env = { ...files, AWS_ACCESS_KEY_ID: 'AKIDINJECTED', AWS_SECRET_ACCESS_KEY: 'secret' };
    const r = await run(['-o', 'json', '--endpoint-url', url, 'list-tables'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ TableNames: [] });
    expect(signedWith).toEqual(['AKIDINJECTED']);
    // Never printed.
    expect(r.stdout + r.stderr).not.toMatch(/AKIDINJECTED|secret/);
  });

  it('decides the target from it (AWS_ENDPOINT_URL_DYNAMODB), and a profile from its shared files', async () => {
    const env = { ...files, AWS_ENDPOINT_URL_DYNAMODB: url, AWS_PROFILE: 'p' };
    const r = await run(['list-tables'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`target: endpoint ${url}`);
    expect(signedWith).toEqual(['AKIDPROFILE']);
  });

  it('the embedded engine reads no credentials: a failing AWS_PROFILE (its process) does not stop --memory or --data-dir', async () => {
    writeFileSync(files.AWS_CONFIG_FILE as string, '[profile bad]\ncredential_process = /bin/false\n');
    const env = { ...files, AWS_PROFILE: 'bad' };
    for (const args of [['--memory'], ['--data-dir', join(dir, 'data')]]) {
      const r = await run([...args, '-o', 'json', 'list-tables'], env);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ TableNames: [] });
    }
  });
});

describe('a stop (Ctrl-C) of an interruptible command', () => {
  it('aborts its calls that carry no signal of their own: import, truncate, copy-table against an endpoint that never answers end at once, exit 130, one line', async () => {
    const silent = createServer(() => {}); // reads every request, answers none
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const file = join(dir, 'items.ndjson');
    writeFileSync(file, '{"id":"a"}\n');
    try {
      for (const args of [
        ['import', 'tbl', file],
        ['truncate', 'tbl', '--yes'],
        ['copy-table', 'tbl', 'tbl2'],
      ]) {
        let asked = false;
        let seen = '';
        const run = cli(['--endpoint-url', at, ...args], {
          env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1', ...files },
          // Once its first call is on its way (the target's line is out), Ctrl-C.
          onStderr: (text) => {
            seen = text;
            if (asked || !text.includes(`endpoint ${at}`)) return;
            asked = true;
            setTimeout(() => {
              ctrlC();
            }, 200);
          },
        });
        const r = await Promise.race([
          run,
          new Promise<never>((_, no) =>
            setTimeout(() => no(new Error(`${args[0]}: no end; stderr: ${seen}`)), 8000),
          ),
        ]);
        expect(r.code, `${args[0]}: ${r.stderr}`).toBe(130);
        const lines = r.stderr
          .trim()
          .split('\n')
          .filter((l) => !/: (target|source and destination): /.test(l));
        expect(lines, args[0]).toEqual([
          `ddbctl: error: DescribeTable interrupted (SIGINT) before ${at} answered`,
        ]);
      }
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  }, 30_000);
});

describe('a stop while a change is on its way', () => {
  it('update-table: a step sent but not answered is said to be maybe carried out, not "nothing was changed"', async () => {
    const table = {
      TableName: 'UPT',
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 },
      ItemCount: 0,
      TableSizeBytes: 0,
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/UPT',
      CreationDateTime: 1700000000,
    };
    const answers: Record<string, unknown> = {
      DescribeTable: { Table: table },
      DescribeTimeToLive: { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } },
      DescribeContinuousBackups: {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: 'ENABLED',
          PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
        },
      },
      ListTagsOfResource: { Tags: [] },
    };
    // Answers the reads; UpdateContinuousBackups is received and never answered, and Ctrl-C comes.
    const endpoint = createServer((req, res) => {
      const op =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      req.resume().on('end', () => {
        if (op === 'UpdateContinuousBackups') {
          setTimeout(() => {
            ctrlC();
          }, 100);
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
          .end(JSON.stringify(answers[op] ?? {}));
      });
    });
    await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
    const at = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    try {
      const r = await cli(['--endpoint-url', at, 'update-table', 'UPT', '--pitr'], {
        env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'us-east-1', ...files },
      });
      expect(r.code, r.stderr).toBe(130);
      const error = r.stderr.split('\n').find((l) => l.startsWith('ddbctl: error:'));
      expect(error).toMatch(
        /step 1 of 1 \(.+\) was sent and its outcome is not known \(UpdateContinuousBackups interrupted \(SIGINT\) before .+ answered\): it may have been carried out; see with 'ddbctl --endpoint-url http:\/\/127\.0\.0\.1:\d+ describe-table UPT'; no step before it$/,
      );
      expect(error).not.toContain('nothing was changed');
    } finally {
      endpoint.closeAllConnections();
      endpoint.close();
    }
  }, 15_000);
});
