// `ddbctl tail`: a table's stream followed like tail -f, on every engine that has streams; on one
// without, and on a table without a stream, the one line that says how to turn one on.
import { PassThrough, Readable } from 'node:stream';
import {
  CreateTableCommand,
  DeleteTableCommand,
  type StreamViewType,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, NumberValue, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { detectCaps } from '../../src/core/spec/caps.js';
import { cli, ctrlC, endpoint, engineName, errorMessages, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
const engine = engineName();
// NOTE: the embedded engine has streams (src/engine/streams) before its caps say so (EMBEDDED_CAPS
// is the streams part's to change).
const streams = engine === 'embedded' || (await detectCaps(clients)).streams;
const tables: string[] = [];

afterAll(async () => {
  for (const t of tables) await clients.ddb.send(new DeleteTableCommand({ TableName: t })).catch(() => {});
  clients.destroy();
});

async function newTable(view: StreamViewType | undefined): Promise<string> {
  const t = uniqueName('tail');
  tables.push(t);
  await clients.ddb.send(
    new CreateTableCommand({
      TableName: t,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...(view ? { StreamSpecification: { StreamEnabled: true, StreamViewType: view } } : {}),
    }),
  );
  await cli(['wait', t, '--for', 'active']);
  return t;
}

/**
 * Run `ddbctl tail` in-process: once it follows, `act` makes changes; Ctrl-C when stdout has
 * `lines` lines (or after `ms` without them).
 */
async function tail(args: string[], act: () => Promise<unknown>, lines: number, ms = 20_000) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  let stopped = false;
  const stop = () => {
    if (!stopped) {
      stopped = true;
      ctrlC();
    }
  };
  const timer = setTimeout(stop, ms);
  out.on('data', (d) => {
    stdout += d;
    if (stdout.split('\n').length > lines) stop();
  });
  let acted: Promise<unknown> | undefined;
  err.on('data', (d) => {
    stderr += d;
    if (!acted && /following/.test(stderr)) acted = act();
  });
  const io: Io = {
    stdout: out,
    stderr: err,
    stdin: Readable.from([]),
    env: { ...process.env },
    isTTY: false,
  };
  const code = await main(['--endpoint-url', endpoint(), 'tail', ...args], io);
  clearTimeout(timer);
  await acted;
  return {
    code,
    stdout,
    stderr,
    changes: stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  };
}

const put = (t: string, item: Record<string, unknown>) =>
  clients.doc.send(new PutCommand({ TableName: t, Item: item }));

describe(`tail on ${engine}`, () => {
  it('a table without a stream: one line saying how to turn one on, exit 1', async () => {
    const t = await newTable(undefined);
    const r = await cli(['tail', t]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(errorMessages(r)).toEqual([
      `ddbctl: error: ${t} has no stream (on ${endpoint()}): turn one on with 'ddbctl --endpoint-url ${endpoint()} update-table ${t} --stream new-and-old-images', then tail it`,
    ]);
    const missing = await cli(['tail', `${t}-none`]);
    expect(missing.code).toBe(1);
    expect(errorMessages(missing)[0]).toContain(`${t}-none does not exist`);
  });

  it.runIf(streams)(
    'inserts, modifies and removes, in order, with exact types; Ctrl-C ends it with exit 130, nothing lost',
    async () => {
      const t = await newTable('NEW_AND_OLD_IMAGES');
      const r = await tail(
        [t],
        async () => {
          await put(t, { id: 'a', n: new NumberValue('12345678901234567890.5'), tags: new Set(['x']) });
          await clients.doc.send(
            new UpdateCommand({
              TableName: t,
              Key: { id: 'a' },
              UpdateExpression: 'SET n = :n',
              ExpressionAttributeValues: { ':n': new NumberValue('2') },
            }),
          );
          await clients.doc.send(new DeleteCommand({ TableName: t, Key: { id: 'a' } }));
        },
        3,
      );
      expect(r.code, r.stderr).toBe(130);
      expect(r.changes.map((c) => c.event)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
      const [ins, mod, rem] = r.changes;
      expect(ins).toMatchObject({
        keys: { id: 'a' },
        new: { id: 'a', tags: { $set: ['x'] } },
      });
      expect(ins.old).toBeUndefined();
      // Exact numbers: the text in the line is the number's, not a double's.
      expect(r.stdout.split('\n')[0]).toContain('"n":12345678901234567890.5');
      expect(r.stdout.split('\n')[1]).toContain('"old":{"id":"a","n":12345678901234567890.5');
      expect(mod).toMatchObject({ new: { n: 2 } });
      expect(rem).toMatchObject({ keys: { id: 'a' }, old: { id: 'a', n: 2 } });
      expect(rem.new).toBeUndefined();
      for (const c of r.changes) {
        expect(typeof c.sequence).toBe('string');
        expect(Number.isNaN(Date.parse(c.time))).toBe(false);
        expect(c.ttl).toBeUndefined();
      }
      expect(r.stderr).toContain(`ddbctl: tail ${t} stopped after 3 changes`);
    },
    30_000,
  );

  // NOTE: DynamoDB Local's TTL deletions come at its own pace; the embedded engine sweeps every
  // 5 s (DDBCTL_TTL_SWEEP_MS), so the test waits for one sweep.
  it.runIf(streams && engine === 'embedded')(
    'a deletion by TTL comes in order, marked ttl: true (userIdentity Service dynamodb.amazonaws.com)',
    async () => {
      const t = await newTable('NEW_AND_OLD_IMAGES');
      await clients.ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: t,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      );
      const past = new NumberValue(String(Math.floor(Date.now() / 1000) - 3600));
      const r = await tail(
        [t],
        async () => {
          await put(t, { id: 'live' });
          await put(t, { id: 'gone', expiresAt: past });
          await put(t, { id: 'live', v: true });
        },
        4,
        30_000,
      );
      expect(r.code, r.stderr).toBe(130);
      expect(r.changes.map((c) => [c.event, c.keys.id, c.ttl])).toEqual([
        ['INSERT', 'live', undefined],
        ['INSERT', 'gone', undefined],
        ['MODIFY', 'live', undefined],
        ['REMOVE', 'gone', true],
      ]);
      expect(r.changes[3].old).toMatchObject({ id: 'gone' });
      const raw = await tail(['-o', 'raw', '--from', 'trim-horizon', t], async () => {}, 4);
      expect(raw.changes[3].userIdentity).toEqual({ PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
    },
    60_000,
  );

  it.runIf(streams)(
    'a stream that ends (turned off, the table deleted) is read to its end, then tail says why and exits 1',
    async () => {
      const t = await newTable('NEW_IMAGE');
      const off = await tail(
        [t],
        async () => {
          await put(t, { id: 'last' });
          await clients.ddb.send(
            new UpdateTableCommand({ TableName: t, StreamSpecification: { StreamEnabled: false } }),
          );
        },
        99,
      );
      expect(off.code, off.stderr).toBe(1);
      expect(off.changes.map((c) => c.keys.id)).toEqual(['last']);
      expect(errorMessages(off)).toEqual([
        `ddbctl: error: tail ${t}: the stream ended (1 change was printed): the stream of ${t} was turned off: turn it on again with 'ddbctl --endpoint-url ${endpoint()} update-table ${t} --stream new-and-old-images'`,
      ]);
      const u = await newTable('KEYS_ONLY');
      const gone = await tail([u], () => clients.ddb.send(new DeleteTableCommand({ TableName: u })), 99);
      expect(gone.code, gone.stderr).toBe(1);
      expect(errorMessages(gone)).toEqual([
        `ddbctl: error: tail ${u}: the stream ended (0 changes were printed): table ${u} was deleted`,
      ]);
    },
    60_000,
  );

  it.runIf(streams)(
    '--from trim-horizon reads what was written before; --from latest only what comes after',
    async () => {
      const t = await newTable('KEYS_ONLY');
      await put(t, { id: 'before' });
      const old = await tail([t, '--from', 'trim-horizon'], () => put(t, { id: 'after1' }), 2);
      expect(old.code).toBe(130);
      expect(old.changes.map((c) => [c.event, c.keys.id])).toEqual([
        ['INSERT', 'before'],
        ['INSERT', 'after1'],
      ]);
      // Keys only: no images.
      expect(old.changes[0].new).toBeUndefined();
      const now = await tail([t], () => put(t, { id: 'after2' }), 1);
      expect(now.code).toBe(130);
      expect(now.changes.map((c) => c.keys.id)).toEqual(['after2']);
      // -o raw: the record as DynamoDB Streams sends it.
      const raw = await tail(['-o', 'raw', t], () => put(t, { id: 'after3' }), 1);
      expect(raw.changes).toHaveLength(1);
      expect(raw.changes[0]).toMatchObject({
        eventName: 'INSERT',
        dynamodb: { Keys: { id: { S: 'after3' } }, StreamViewType: 'KEYS_ONLY' },
      });
    },
    60_000,
  );
});
