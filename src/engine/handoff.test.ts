import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.js';
import { type HandoffOptions, handoff, repeatable } from './handoff.js';
import { type Engine, startEngine } from './index.js';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/**
 * A holder that dies mid-request (as kill -9 does): it takes the request, then cuts the
 * connection without an answer. A fault no engine produces on purpose, so a stand-in server.
 */
async function dyingHolder(): Promise<string> {
  const s = createServer((req) => req.on('data', () => req.socket.destroy()));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

/** A holder that takes requests and never answers (frozen, or hung). Calls `onRequest` on each. */
async function silentHolder(onRequest: () => void = () => {}): Promise<string> {
  const s = createServer(() => onRequest());
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as { port: number }).port}`;
}

/** A command joined to a holder at `endpoint` (pid 1 in engine.json, dead for the test), and its own engine to take over to. */
async function joinedTo(
  endpoint: string,
  holderAlive = false,
  more: Pick<HandoffOptions, 'stopped' | 'answerMs'> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'ddbctl-handoff-'));
  const holderFile = join(dir, 'engine.json');
  writeFileSync(holderFile, JSON.stringify({ pid: 1, endpoint, serve: true, kind: 'ui' }));
  const own = await startEngine({ dataDir: null, transitionMs: 0 });
  const told: string[] = [];
  const engine = handoff(
    { endpoint, shared: true, pid: 1, holder: 'ui', close: async () => {} },
    {
      holderFile,
      alive: () => holderAlive,
      reopen: async () => own,
      onHandoff: (m) => told.push(m),
      releaseMs: 200,
      stopped: () => false,
      ...more,
    },
  );
  const ddb = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    endpoint: 'http://127.0.0.1:0',
    requestHandler: engine.requestHandler as Engine['requestHandler'] & object,
    maxAttempts: 1,
  });
  // The table, in the engine taken over to (as it is in the data dir the holder had).
  const direct = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    endpoint: 'http://127.0.0.1:0',
    requestHandler: own.requestHandler as object as never,
  });
  await direct.send(
    new CreateTableCommand({
      TableName: 'Tab',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await direct.send(new PutItemCommand({ TableName: 'Tab', Item: { id: { S: 'a' }, n: { N: '1' } } }));
  const n = async () =>
    (await direct.send(new GetItemCommand({ TableName: 'Tab', Key: { id: { S: 'a' } } }))).Item?.n?.N;
  return { engine, ddb, told, n };
}

const add = new UpdateItemCommand({
  TableName: 'Tab',
  Key: { id: { S: 'a' } },
  UpdateExpression: 'ADD n :one',
  ExpressionAttributeValues: { ':one': { N: '1' } },
});

describe('handoff: a joined command whose holder stops', () => {
  it('a request the holder never received is sent to the engine taken over, whatever it is', async () => {
    const j = await joinedTo(`http://127.0.0.1:${await freePort()}`);
    await j.ddb.send(add);
    expect(await j.n()).toBe('2');
    expect(j.told).toEqual([
      'the ddbctl ui (pid 1) whose engine this command was using stopped; this command now runs the engine itself',
    ]);
    expect(j.engine.shared).toBe(false);
    await j.engine.close();
  });

  it('a write cut mid-request that repeating could double is reported unknown, not sent again', async () => {
    const j = await joinedTo(await dyingHolder());
    await expect(j.ddb.send(add)).rejects.toThrow(
      /^UpdateItem: the ddbctl ui \(pid 1\) whose engine this command was using stopped while it handled this request \(ECONNRESET\): whether it was done is unknown, and it is not sent again/,
    );
    expect(await j.n()).toBe('1');
    // The engine is taken over all the same: the next request goes there.
    await j.ddb.send(add);
    expect(await j.n()).toBe('2');
    await j.engine.close();
  });

  it('a holder still alive and holding the data dir is not taken over from: the failure stands', async () => {
    const j = await joinedTo(`http://127.0.0.1:${await freePort()}`, true);
    await expect(j.ddb.send(add)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(j.told).toEqual([]);
    expect(j.engine.shared).toBe(true);
    expect(await j.n()).toBe('1');
    await j.engine.close();
  });

  it('a read or an unconditional put cut mid-request is sent again on the engine taken over', async () => {
    const j = await joinedTo(await dyingHolder());
    await j.ddb.send(new PutItemCommand({ TableName: 'Tab', Item: { id: { S: 'a' }, n: { N: '7' } } }));
    expect(await j.n()).toBe('7');
    await j.engine.close();
  });
});

describe('handoff: a joined command whose holder does not answer', () => {
  const get = new GetItemCommand({ TableName: 'Tab', Key: { id: { S: 'a' } } });

  it('a holder stopped (Ctrl-Z) while it holds a request: said within a second, not waited on', async () => {
    let frozen = false;
    const j = await joinedTo(
      await silentHolder(() => {
        frozen = true;
      }),
      true,
      { stopped: () => frozen },
    );
    const began = Date.now();
    await expect(j.ddb.send(get)).rejects.toThrow(
      /^GetItem: the ddbctl ui \(pid 1\) holding data dir .* stopped \(Ctrl-Z or SIGSTOP\) with the request sent: whether it was done is unknown \(a stopped holder carries it out when resumed\); resume it \(fg in its terminal, or kill -CONT 1\) or end it, then look before running the command again$/,
    );
    expect(Date.now() - began).toBeLessThan(3000);
    // Stopped still: the next request is refused before it is sent.
    await expect(j.ddb.send(get)).rejects.toThrow(/it is stopped/);
    await j.engine.close();
  });

  it('a holder that answers nothing for answerMs: the request fails, saying its outcome is unknown', async () => {
    const j = await joinedTo(await silentHolder(), true, { answerMs: 300 });
    await expect(j.ddb.send(get)).rejects.toThrow(
      /^GetItem: the ddbctl ui \(pid 1\) holding data dir .* has not answered in 0\.3 s: it is busy or hung; whether the request was done is unknown/,
    );
    await j.engine.close();
  });

  it('closing cuts the requests in flight: a command stopped with Ctrl-C ends at once', async () => {
    let received = false;
    const j = await joinedTo(
      await silentHolder(() => {
        received = true;
      }),
      true,
    );
    const pending = j.ddb.send(get).catch((e: Error) => e);
    await expect.poll(() => received).toBe(true);
    const began = Date.now();
    await j.engine.close();
    expect(String(await pending)).toContain('the command stopped before the answer came');
    expect(Date.now() - began).toBeLessThan(1000);
  });
});

describe('repeatable', () => {
  const op = (name: string) => `DynamoDB_20120810.${name}`;
  it.each([
    [op('GetItem'), {}, true],
    [op('Query'), {}, true],
    ['DynamoDBStreams_20120810.GetRecords', {}, true],
    [op('PutItem'), { Item: {} }, true],
    [op('PutItem'), { Item: {}, ConditionExpression: 'attribute_not_exists(id)' }, false],
    [op('PutItem'), { Item: {}, Expected: {} }, false],
    [op('PutItem'), { Item: {}, ReturnValues: 'ALL_OLD' }, false],
    [op('DeleteItem'), { Key: {}, ReturnValues: 'NONE' }, true],
    [op('DeleteItem'), { Key: {}, ConditionExpression: 'a = :a' }, false],
    [op('BatchWriteItem'), { RequestItems: {} }, true],
    [op('UpdateItem'), { UpdateExpression: 'SET a = :a' }, false],
    [op('TransactWriteItems'), {}, false],
    [op('CreateTable'), {}, false],
    [op('ExecuteStatement'), { Statement: ' select * from t' }, true],
    [op('ExecuteStatement'), { Statement: 'UPDATE t SET a = a + 1' }, false],
  ])('%s %j: %s', (target, input, yes) => {
    expect(repeatable(target, JSON.stringify(input))).toBe(yes);
  });
});
