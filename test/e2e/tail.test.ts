// End-to-end: `ddbctl tail` stopped by a real Ctrl-C (SIGINT) while changes are flowing: exit 130,
// every change it counted is on stdout as a whole line, in order. The table is in a data dir
// shared through `ddbctl serve`, which the tail and the writers join.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bin, ddbctl, noCredentials, removeTempDirs, started, tempDir, until } from './binary.js';

afterAll(removeTempDirs);

describe('ddbctl tail and Ctrl-C', () => {
  let server: ChildProcess | undefined;
  afterEach(async () => {
    if (!server || server.exitCode !== null) return;
    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
  });

  it('SIGINT while changes flow: exit 130, every change counted is a whole line on stdout, in order', async () => {
    const dir = tempDir('ddbctl-e2e-tail-');
    const env = noCredentials({ DDBCTL_DATA_DIR: join(dir, 'data') });
    const serve = started(['serve', '--port', '0'], env);
    server = serve.child;
    await until('serve', () => serve.stdout().includes('http://'));
    // NOTE: through the SDK: create-table --stream waits for the embedded engine's caps to say it
    // has streams (the streams part's change).
    const endpoint = /http:\/\/\S+/.exec(serve.stdout())?.[0] as string;
    const ddb = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'Feed',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    ddb.destroy();
    expect((await ddbctl(['wait', 'Feed', '--for', 'active'], env)).code).toBe(0);

    const tail = started(['tail', 'Feed'], env);
    await until('tail to follow', () => tail.stderr().includes('following Feed'));
    const n = 2000;
    const file = join(dir, 'feed.ndjson');
    writeFileSync(
      file,
      `${Array.from({ length: n }, (_, i) => JSON.stringify({ id: `i${i}`, n: i })).join('\n')}\n`,
    );
    const writing = ddbctl(['batch-write', 'Feed', file, '--concurrency', '1'], env);
    // Ctrl-C once some changes are out, with more still coming.
    await until('the first changes', () => tail.stdout().split('\n').length > 20);
    tail.child.kill('SIGINT');
    const ended = await tail.exited;
    expect((await writing).code).toBe(0);
    expect(ended.code, tail.stderr()).toBe(130);
    expect(tail.stderr()).not.toMatch(/\n\s+at |Node\.js v/);
    const count = Number(
      /tail Feed stopped after ([\d,]+) changes/.exec(tail.stderr())?.[1]?.replaceAll(',', ''),
    );
    const lines = tail.stdout().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(count);
    // Whole lines, in the order written (one writer, one shard).
    const ids = lines.map((l) => JSON.parse(l)).map((c) => (c.event === 'INSERT' ? c.keys.id : c.event));
    expect(ids).toEqual(Array.from({ length: count }, (_, i) => `i${i}`));
  }, 120_000);

  it('Ctrl-C of a pipeline (tail | a reader the same Ctrl-C ends): tail still ends with its summary and 130, each time', async () => {
    const dir = tempDir('ddbctl-e2e-tail-pipe-');
    const env = noCredentials({ DDBCTL_DATA_DIR: join(dir, 'data') });
    const serve = started(['serve', '--port', '0'], env);
    server = serve.child;
    await until('serve', () => serve.stdout().includes('http://'));
    const made = await ddbctl(
      ['create-table', 'Pipe', '--pk', 'id:S', '--stream', 'new-image', '--wait'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    for (let round = 0; round < 3; round++) {
      const file = join(dir, `pipe${round}.ndjson`);
      writeFileSync(
        file,
        `${Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: `r${round}-${i}` })).join('\n')}\n`,
      );
      const errFile = join(dir, `tail${round}.err`);
      // A process group of its own, as a terminal's foreground job: Ctrl-C reaches tail and cat at once.
      const pipeline = spawn(
        'bash',
        [
          '-c',
          `"${process.execPath}" "${bin}" tail Pipe 2>"${errFile}" | (cat >/dev/null); echo "\${PIPESTATUS[0]}"`,
        ],
        { env, detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      let status = '';
      pipeline.stdout?.on('data', (d) => {
        status += d;
      });
      await until('tail to follow', () => {
        try {
          return readFileSync(errFile, 'utf8').includes('following Pipe');
        } catch {
          return false;
        }
      });
      const writing = ddbctl(['batch-write', 'Pipe', file, '--concurrency', '1'], env);
      await new Promise((r) => setTimeout(r, 1300));
      process.kill(-(pipeline.pid as number), 'SIGINT');
      await once(pipeline, 'exit');
      expect((await writing).code).toBe(0);
      const err = readFileSync(errFile, 'utf8');
      expect({ round, status: status.trim(), last: err.trim().split('\n').pop() }).toEqual({
        round,
        status: '130',
        last: expect.stringMatching(/^ddbctl: tail Pipe stopped after [\d,]+ changes?$/),
      });
    }
  }, 120_000);

  it('without serve, other commands on the data dir use the engine tail runs instead of waiting for it', async () => {
    const dir = tempDir('ddbctl-e2e-tail-');
    const env = noCredentials({ DDBCTL_DATA_DIR: join(dir, 'data') });
    const made = await ddbctl(
      ['create-table', 'Live', '--pk', 'id:S', '--stream', 'new-image', '--wait'],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const tail = started(['tail', 'Live'], env);
    server = tail.child;
    await until('tail to follow', () => tail.stderr().includes('following Live'));
    expect(tail.stderr()).toMatch(/which other commands use at http:\/\/127\.0\.0\.1:\d+ while this runs/);
    // Another process: it joins tail's engine (no "waiting for another ddbctl"), at once.
    const put = await ddbctl(['put', 'Live', '{"id": "from-another-process", "n": 1}'], env);
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).not.toContain('waiting for another ddbctl');
    await until('the change on tail', () => tail.stdout().includes('from-another-process'));
    expect(JSON.parse(tail.stdout().split('\n')[0] as string)).toMatchObject({
      event: 'INSERT',
      keys: { id: 'from-another-process' },
      new: { id: 'from-another-process', n: 1 },
    });
    tail.child.kill('SIGINT');
    expect((await tail.exited).code).toBe(130);
    // The data dir is free again: a command opens it itself.
    const get = await ddbctl(['get', 'Live', 'id=from-another-process'], env);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stderr).not.toContain('ddbctl serve at');
  }, 120_000);
});
