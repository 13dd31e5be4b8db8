// The embedded engine on a thread of its own (thread.ts, threadWorker.ts): the same answers as on
// this thread, its writes in the data dir after close, the store's refusals and warnings as they
// are on this thread (a damaged record's failure: damage.test.ts), a thread that ends failing what it held
// with one error, a thread that cannot start leaving the engine on this thread, and an idle
// thread not keeping the process alive. Runs the built thread (dist/cli/engineThread.cjs: `npm
// test` builds first); the scripts of threads that fail are real scripts, written here.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  paginateScan,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, root, tempDir } from '../../test/e2e/binary.js';
import { DdbError } from '../core/errors.js';
import { startEngine } from './index.js';
import { openStore, storeDir } from './store/index.js';
import { handlerClient, PK_TABLE } from './testClient.js';
import { startEngineThread, ThreadStartError } from './thread.js';

const file = join(root, 'dist/cli/engineThread.cjs');
afterAll(removeTempDirs);

const settings = (dataDir: string | null) => ({
  storeDir: dataDir === null ? null : storeDir(dataDir),
  transitionMs: 0,
  ttlSweepMs: 0,
});

/** A worker script of a few lines, in a temp folder. */
function script(body: string): string {
  const f = join(tempDir('ddbctl-thread-'), 'worker.cjs');
  writeFileSync(f, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
  return f;
}

/** What a sequence of requests answers: outputs without their metadata, errors by name and message. */
async function session(ddb: DynamoDBClient): Promise<unknown[]> {
  const out: unknown[] = [];
  const run = async (p: Promise<object>) => {
    try {
      const { $metadata: _m, ...rest } = (await p) as { $metadata?: unknown };
      out.push(rest);
    } catch (e) {
      out.push({ error: (e as Error).name, message: (e as Error).message });
    }
  };
  // Its description less what differs from table to table (its id, its times).
  const created = await ddb.send(new CreateTableCommand(PK_TABLE));
  const {
    TableId: _id,
    CreationDateTime: _c,
    BillingModeSummary: _b,
    ...description
  } = created.TableDescription ?? {};
  out.push(description);
  for (let b = 0; b < 8; b++) {
    const items = Array.from({ length: 25 }, (_, i) => ({
      PutRequest: { Item: { pk: { S: `k${b * 25 + i}` }, n: { N: `${b}.50` }, s: { SS: ['a', 'b'] } } },
    }));
    await run(ddb.send(new BatchWriteItemCommand({ RequestItems: { tbl: items } })));
  }
  await run(ddb.send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'k7' } } })));
  await run(ddb.send(new GetItemCommand({ TableName: 'tbl', Key: { nope: { S: 'k7' } } })));
  await run(ddb.send(new PutItemCommand({ TableName: 'tbl', Item: { pk: { S: '' } } })));
  await run(ddb.send(new GetItemCommand({ TableName: 'none', Key: { pk: { S: 'k7' } } })));
  await run(ddb.send(new ScanCommand({ TableName: 'tbl', Select: 'COUNT' })));
  // A Scan page past 1 MB of items: its text is handed back as bytes.
  const big = 'x'.repeat(300_000);
  for (let i = 0; i < 5; i++)
    await run(
      ddb.send(new PutItemCommand({ TableName: 'tbl', Item: { pk: { S: `big${i}` }, b: { S: big } } })),
    );
  const { $metadata: _m, ...page } = await ddb.send(new ScanCommand({ TableName: 'tbl' }));
  out.push({ count: page.Count, last: page.LastEvaluatedKey, bytes: JSON.stringify(page.Items).length });
  return out;
}

describe('the embedded engine on its own thread', () => {
  it('answers as on this thread, and what it wrote is in the data dir after close', async () => {
    const here = await startEngine({ dataDir: null, transitionMs: 0, ttlSweepMs: 0 });
    const expected = await session(handlerClient(here.requestHandler));
    await here.close();

    const dir = tempDir('ddbctl-thread-');
    const thread = await startEngineThread(file, settings(dir));
    expect(await session(handlerClient(thread.requestHandler))).toEqual(expected);
    await thread.close();
    // close() again: nothing more to do; a request after it is refused at once.
    await thread.close();
    await expect(handlerClient(thread.requestHandler).send(new ListTablesCommand({}))).rejects.toThrow(
      "the embedded engine's thread is closed",
    );

    const after = await startEngine({ dataDir: dir, transitionMs: 0 });
    const ddb = handlerClient(after.requestHandler);
    const got = await ddb.send(new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'k199' } } }));
    expect(got.Item).toEqual({ pk: { S: 'k199' }, n: { N: '7.5' }, s: { SS: ['a', 'b'] } });
    let count = 0;
    for await (const page of paginateScan({ client: ddb }, { TableName: 'tbl', Select: 'COUNT' }))
      count += page.Count ?? 0;
    expect(count).toBe(205);
    await after.close();
  });

  it('is what startEngine runs when given the thread, and what it wrote is there for the next engine', async () => {
    const dir = tempDir('ddbctl-thread-');
    const e = await startEngine({ dataDir: dir, transitionMs: 0, thread: file });
    expect(e.threaded).toBe(true);
    const ddb = handlerClient(e.requestHandler);
    await ddb.send(new CreateTableCommand(PK_TABLE));
    await ddb.send(new PutItemCommand({ TableName: 'tbl', Item: { pk: { S: 'a' } } }));
    await e.close();
    // The data dir is free again (engine.json removed) and holds the item.
    const next = await startEngine({ dataDir: dir, transitionMs: 0, lockTimeoutMs: 0 });
    const got = await handlerClient(next.requestHandler).send(
      new GetItemCommand({ TableName: 'tbl', Key: { pk: { S: 'a' } } }),
    );
    expect(got.Item).toEqual({ pk: { S: 'a' } });
    await next.close();
  });

  it("refuses a damaged log with the store's own error, and with salvage starts and tells its warning", async () => {
    const dir = tempDir('ddbctl-thread-');
    const s = openStore({ dir: storeDir(dir) });
    for (const k of ['a', 'b', 'c']) s.commit([{ tree: 't', key: k, value: { j: `{"k":"${k}"}`, z: 1 } }]);
    const log = join(storeDir(dir), 'log-00000001');
    const bad = readFileSync(log);
    bad[bad.indexOf('"b"') + 1] = 90;
    writeFileSync(log, bad);
    let here: unknown;
    try {
      openStore({ dir: storeDir(dir) });
    } catch (e) {
      here = e;
    }
    expect(here).toBeInstanceOf(DdbError);
    const refused = await startEngineThread(file, settings(dir)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(DdbError);
    expect(refused).toMatchObject({ code: (here as DdbError).code, message: (here as DdbError).message });

    const warnings: string[] = [];
    const salvaged = await startEngineThread(file, { ...settings(dir), salvage: true }, (m) =>
      warnings.push(m),
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^started from the commits before byte \d+ of .*\(DDBCTL_ENGINE_SALVAGE\)/),
    ]);
    await salvaged.close();
  });

  it('fails the requests it held and every later one with one error when the thread ends', async () => {
    const f = script(`
      parentPort.on('message', () => process.exit(7));
      parentPort.postMessage({ ready: true });`);
    const thread = await startEngineThread(f, settings(null));
    const ddb = handlerClient(thread.requestHandler);
    const first = await ddb.send(new ListTablesCommand({})).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DdbError);
    expect(first).toMatchObject({
      code: 'internal',
      message:
        "the embedded engine's thread stopped (exit code 7); the writes it acknowledged are in the data dir: run the command again",
    });
    await expect(ddb.send(new ListTablesCommand({}))).rejects.toBe(first);
    await expect(thread.close()).resolves.toBeUndefined();
  });

  it('leaves the engine on this thread when its thread cannot start', async () => {
    // A script the Worker constructor refuses at once (node wants an absolute or ./ path): thrown, not emitted.
    await expect(startEngineThread('engineThread.cjs', settings(null))).rejects.toThrow(ThreadStartError);
    const refused = await startEngine({ dataDir: null, transitionMs: 0, thread: 'engineThread.cjs' });
    expect(refused.threaded).toBeUndefined();
    expect(refused.threadRefused).toMatch(/^the embedded engine's thread did not start: /);
    await refused.close();
    const f = script('process.exit(3);');
    await expect(startEngineThread(f, settings(null))).rejects.toBeInstanceOf(ThreadStartError);
    const thrown = script("throw new Error('no such thing');");
    await expect(startEngineThread(thrown, settings(null))).rejects.toThrow(
      "the embedded engine's thread did not start: no such thing",
    );
    for (const thread of [f, thrown, join(tempDir('ddbctl-thread-'), 'missing.cjs')]) {
      const e = await startEngine({ dataDir: null, transitionMs: 0, thread });
      expect(e.threaded).toBeUndefined();
      const ddb = handlerClient(e.requestHandler);
      await ddb.send(new CreateTableCommand(PK_TABLE));
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['tbl']);
      await e.close();
    }
  });

  it('does not keep the process alive while idle (a caller that never closes it still ends)', () => {
    const code = `
      import { startEngineThread } from ${JSON.stringify(pathToFileURL(join(root, 'dist/engine/thread.js')).href)};
      const t = await startEngineThread(${JSON.stringify(file)}, { storeDir: null, transitionMs: 0 });
      const { response } = await t.requestHandler.handle({ headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' });
      process.stdout.write(new TextDecoder().decode(response.body));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ TableNames: [] });
    expect(r.status).toBe(0);
  });
});
