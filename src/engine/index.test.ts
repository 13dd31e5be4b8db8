import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.js';
import { type Engine, startEngine } from './index.js';

function client(e: Engine): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    ...(e.requestHandler
      ? { requestHandler: e.requestHandler, endpoint: 'http://127.0.0.1:0' }
      : { endpoint: e.endpoint! }),
  });
}

const create = (ddb: DynamoDBClient, name: string) =>
  ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

describe('startEngine', () => {
  it('keeps tables in a data dir across restarts, reached in-process without an endpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
    const first = await startEngine({ dataDir: dir });
    expect(first.endpoint).toBeUndefined();
    await create(client(first), 'kept');
    await first.close();
    const second = await startEngine({ dataDir: dir });
    expect((await client(second).send(new ListTablesCommand({}))).TableNames).toEqual(['kept']);
    await second.close();
  });

  it('a second start on a data dir this process holds shares its engine (one store per folder)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
    const served = await startEngine({ dataDir: dir, serve: true });
    const joined = await startEngine({ dataDir: dir });
    expect(joined.endpoint).toBe(served.endpoint);
    await create(client(served), 'seen');
    expect((await client(joined).send(new ListTablesCommand({}))).TableNames).toEqual(['seen']);
    await joined.close();
    // Still open for the first user; closed with the last.
    expect((await client(served).send(new ListTablesCommand({}))).TableNames).toEqual(['seen']);
    await served.close();
    const again = await startEngine({ dataDir: dir });
    expect((await client(again).send(new ListTablesCommand({}))).TableNames).toEqual(['seen']);
    await again.close();
  });

  it("refuses a data dir holding the previous engine's LevelDB files, saying how to carry them over", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'CURRENT'), 'MANIFEST-000002\n');
    await expect(startEngine({ dataDir: dir })).rejects.toMatchObject({
      code: 'engine.start',
      message: expect.stringContaining('ddbctl migrate-data-dir'),
    });
  });
});

describe('startEngine on a data dir whose engine.json names another process', () => {
  const others: ChildProcess[] = [];
  afterEach(() => {
    for (const p of others.splice(0)) p.kill('SIGKILL');
  });

  /** A live process that is not ddbctl (a pid handed out again after kill -9, reboot, restart). */
  async function another(): Promise<number> {
    const p = spawn('sleep', ['60'], { stdio: 'ignore' });
    others.push(p);
    await new Promise((r) => p.once('spawn', r));
    return p.pid as number;
  }

  function holdBy(pid: number, started: Date, more: Record<string, unknown> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
    writeFileSync(join(dir, 'engine.json'), JSON.stringify({ pid, started: started.toISOString(), ...more }));
    return dir;
  }

  it('a pid now used by a process started after engine.json was written: stale, the data dir is opened at once', async () => {
    const dir = holdBy(await another(), new Date(Date.now() - 3_600_000), {
      serve: true,
      kind: 'ui',
      endpoint: 'http://127.0.0.1:9',
    });
    const began = Date.now();
    const e = await startEngine({ dataDir: dir, lockTimeoutMs: 5000 });
    expect(Date.now() - began).toBeLessThan(1000);
    expect(e.shared).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8')).pid).toBe(process.pid);
    await e.close();
    expect(existsSync(join(dir, 'engine.json'))).toBe(false);
  });

  it('a process that started before engine.json was written may be its writer: waited for, never taken from', async () => {
    const pid = await another();
    const dir = holdBy(pid, new Date());
    await expect(startEngine({ dataDir: dir, lockTimeoutMs: 300 })).rejects.toMatchObject({
      code: 'engine.locked',
      message: expect.stringContaining(`in use by another ddbctl (pid ${pid}) for too long`),
    });
    expect(JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8')).pid).toBe(pid);
  });

  describe('where the start time is not known (no /proc)', () => {
    const proc = { startedAt: () => undefined, stopped: () => undefined };

    it("a served holder's door refused: another process has the pid, stale", async () => {
      const dir = holdBy(await another(), new Date(), {
        serve: true,
        kind: 'ui',
        endpoint: `http://127.0.0.1:${await freePort()}`,
      });
      const e = await startEngine({ dataDir: dir, lockTimeoutMs: 5000, proc });
      expect(e.shared).toBe(false);
      await e.close();
    });

    it('a served holder whose door answers is joined; one that stops says so in engine.json first, and is waited for', async () => {
      const held = mkdtempSync(join(tmpdir(), 'ddbctl-engine-'));
      // The real holder: another process would be the same, its door open until it writes it is closing.
      const holder = await startEngine({ dataDir: held, shareable: true, holder: 'ui' });
      // Seen from another process: engine.json names a pid other than this one's.
      const file = join(held, 'engine.json');
      const written = JSON.parse(readFileSync(file, 'utf8'));
      const pid = await another();
      writeFileSync(file, JSON.stringify({ ...written, pid }));
      // By another name (a symlink): this process's own engines are shared by the path first.
      const other = `${held}-link`;
      symlinkSync(held, other);
      const joined = await startEngine({ dataDir: other, lockTimeoutMs: 5000, proc });
      expect(joined).toMatchObject({ shared: true, pid, holder: 'ui', endpoint: holder.endpoint });
      await joined.close();
      // Back to this process's pid, so that it writes and removes engine.json as it closes.
      writeFileSync(file, JSON.stringify(written));
      // A request half sent holds the door's close (up to 2 s): engine.json is looked at meanwhile.
      const u = new URL(holder.endpoint as string);
      const half = connect({ host: u.hostname, port: Number(u.port) });
      await new Promise((r) => half.once('connect', r));
      half.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n{');
      await new Promise((r) => setTimeout(r, 50));
      const closing = holder.close();
      const during = JSON.parse(readFileSync(file, 'utf8'));
      expect(during).toMatchObject({ pid: process.pid, closing: true });
      expect(during.endpoint).toBeUndefined();
      half.destroy();
      await closing;
      expect(existsSync(file)).toBe(false);
    });
  });

  it('a holder that is stopped (Ctrl-Z, SIGSTOP) is named as such at once, not waited on', async () => {
    const pid = await another();
    process.kill(pid, 'SIGSTOP');
    const dir = holdBy(pid, new Date(), { serve: true, kind: 'ui', endpoint: 'http://127.0.0.1:9' });
    const began = Date.now();
    await expect(startEngine({ dataDir: dir, lockTimeoutMs: 5000 })).rejects.toMatchObject({
      code: 'engine.locked',
      message: `the ddbctl ui (pid ${pid}) holding data dir ${dir} does not answer: it is stopped (Ctrl-Z or SIGSTOP): resume it (fg in its terminal, or kill -CONT ${pid}) or end it, then run the command again`,
    });
    expect(Date.now() - began).toBeLessThan(1000);
  });
});
