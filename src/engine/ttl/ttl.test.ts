/**
 * TTL on the engine: the statuses and refusals of UpdateTimeToLive over time (a moved clock), and
 * expiry: the sweep deletes exactly the expired items, through the indexes and counts, while
 * expired items not yet swept are still read; a data dir's next engine sweeps on.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../core/util/clock.js';
import { startEngine } from '../index.js';
import { createTestTable } from '../ops/_testTables.js';
import { engineClient } from '../testClient.js';
import { isExpired, SWEEP_CHUNK, TtlSweep } from './sweep.js';

const T0 = Date.UTC(2026, 0, 1);
const S0 = T0 / 1000;

/** A clock the test moves. */
function movable(start = T0) {
  let now = start;
  return {
    now: () => now,
    sleep: systemClock.sleep,
    to(ms: number) {
      now = ms;
    },
  };
}

const enable = (TableName: string, AttributeName = 'exp', Enabled = true) =>
  new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName, Enabled } });
const status = async (ddb: DynamoDBClient, TableName: string) =>
  (await ddb.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription;

describe('UpdateTimeToLive over time', () => {
  it('goes ENABLING → ENABLED and DISABLING → DISABLED, refusing a change during a phase', async () => {
    const clock = movable();
    const { ddb } = engineClient({ clock, transitionMs: 1000, ttlSweepMs: 0 });
    await createTestTable(ddb, 'phases', 'S');
    clock.to(T0 + 5000);
    expect(await status(ddb, 'phases')).toEqual({ TimeToLiveStatus: 'DISABLED' });
    expect(await ddb.send(enable('phases'))).toMatchObject({
      TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true },
    });
    expect(await status(ddb, 'phases')).toEqual({ TimeToLiveStatus: 'ENABLING', AttributeName: 'exp' });
    // What is asked is checked first, then the change in progress.
    await expect(ddb.send(enable('phases'))).rejects.toThrow('TimeToLive is already enabled');
    await expect(ddb.send(enable('phases', 'other', false))).rejects.toThrow(
      'TimeToLive is active on a different AttributeName: current AttributeName is exp',
    );
    await expect(ddb.send(enable('phases', 'exp', false))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Time to live has been modified multiple times within a fixed interval',
    });
    clock.to(T0 + 6000);
    expect(await status(ddb, 'phases')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
    await ddb.send(enable('phases', 'exp', false));
    expect(await status(ddb, 'phases')).toEqual({ TimeToLiveStatus: 'DISABLING', AttributeName: 'exp' });
    await expect(ddb.send(enable('phases', 'next'))).rejects.toThrow('active on a different AttributeName');
    await expect(ddb.send(enable('phases', 'exp'))).rejects.toThrow('modified multiple times');
    clock.to(T0 + 7000);
    expect(await status(ddb, 'phases')).toEqual({ TimeToLiveStatus: 'DISABLED' });
    await expect(ddb.send(enable('phases', 'exp', false))).rejects.toThrow('TimeToLive is already disabled');
    await ddb.send(enable('phases', 'next'));
    clock.to(T0 + 8000);
    expect(await status(ddb, 'phases')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'next' });
  });
});

describe('isExpired', () => {
  const now = T0;
  it('is a Number of epoch seconds before now, not more than five years before', () => {
    const at = (v: unknown) => isExpired({ exp: v } as never, 'exp', now);
    expect(at({ N: String(S0 - 1) })).toBe(true);
    expect(at({ N: String(S0 - 0.5) })).toBe(true);
    expect(at({ N: String(S0) })).toBe(false); // not before now
    expect(at({ N: String(S0 + 60) })).toBe(false);
    expect(at({ N: String(S0 - 5 * 365 * 86400) })).toBe(true);
    expect(at({ N: String(S0 - 5 * 365 * 86400 - 1) })).toBe(false); // more than five years ago
    expect(at({ N: String(T0) })).toBe(false); // milliseconds: far in the future
    expect(at({ S: String(S0 - 1) })).toBe(false);
    expect(at({ NS: [String(S0 - 1)] })).toBe(false);
    expect(isExpired({}, 'exp', now)).toBe(false);
  });
});

describe('the sweep', () => {
  async function setup(transitionMs = 0) {
    const clock = movable();
    const { engine, ddb } = engineClient({ clock, transitionMs, ttlSweepMs: 0 });
    await createTestTable(ddb, 'swept', 'S', true);
    clock.to(T0 + transitionMs); // ACTIVE
    const item = (sk: string, exp: Record<string, unknown> | undefined) => ({
      pk: { S: 'p' },
      sk: { S: sk },
      l: { N: '1' },
      g: { S: `g-${sk}` },
      x: { S: 'kept in the GSI' },
      ...(exp ? { exp } : {}),
    });
    const put = (sk: string, exp?: Record<string, unknown>) =>
      ddb.send(new PutItemCommand({ TableName: 'swept', Item: item(sk, exp) as never }));
    await put('past', { N: String(S0 + 10) });
    await put('past2', { N: String(S0 + 20) });
    await put('future', { N: String(S0 + 3600) });
    await put('string', { S: String(S0 + 10) });
    await put('set', { NS: [String(S0 + 10)] });
    await put('ancient', { N: String(S0 - 6 * 365 * 86400) });
    await put('none');
    return { clock, engine, ddb, sweep: new TtlSweep(engine) };
  }
  const keys = async (ddb: DynamoDBClient, index?: string) =>
    (
      (await ddb.send(new ScanCommand({ TableName: 'swept', ...(index ? { IndexName: index } : {}) })))
        .Items ?? []
    )
      .map((i) => i.sk!.S)
      .sort();

  it('deletes nothing while TTL is off or still ENABLING', async () => {
    const { clock, ddb, sweep } = await setup(1000);
    clock.to(T0 + 60_000);
    expect(sweep.piece()).toBe(0);
    await ddb.send(enable('swept'));
    expect(sweep.piece()).toBe(0);
    clock.to(T0 + 60_999);
    expect(sweep.piece()).toBe(0);
    clock.to(T0 + 61_000);
    expect(sweep.piece()).toBe(2);
  });

  it('deletes exactly the expired items, from the table, its indexes and counts; until then they are read', async () => {
    const { clock, ddb, sweep } = await setup();
    await ddb.send(enable('swept'));
    clock.to(T0 + 60_000);
    // Expired, not yet swept: still read, by key, by query, by scan, in the indexes.
    expect(
      (await ddb.send(new GetItemCommand({ TableName: 'swept', Key: { pk: { S: 'p' }, sk: { S: 'past' } } })))
        .Item,
    ).toBeDefined();
    const all = ['ancient', 'future', 'none', 'past', 'past2', 'set', 'string'];
    expect(await keys(ddb)).toEqual(all);
    expect(await keys(ddb, 'gsi')).toEqual(all);
    expect(sweep.piece()).toBe(2);
    const left = ['ancient', 'future', 'none', 'set', 'string'];
    expect(await keys(ddb)).toEqual(left);
    expect(await keys(ddb, 'gsi')).toEqual(left);
    expect(await keys(ddb, 'lsi')).toEqual(left);
    const q = await ddb.send(
      new QueryCommand({
        TableName: 'swept',
        IndexName: 'gsi',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'g-past' } },
      }),
    );
    expect(q.Count).toBe(0);
    const t = (await ddb.send(new DescribeTableCommand({ TableName: 'swept' }))).Table!;
    expect(t.ItemCount).toBe(5);
    for (const ix of [...t.GlobalSecondaryIndexes!, ...t.LocalSecondaryIndexes!])
      expect(ix.ItemCount).toBe(5);
    // Nothing more to do until the clock passes the next expiry.
    expect(sweep.piece()).toBe(0);
    clock.to(T0 + 3601_000);
    expect(sweep.piece()).toBe(1);
    expect(await keys(ddb)).toEqual(['ancient', 'none', 'set', 'string']);
  });

  it('works in bounded pieces, going on where the previous one stopped', async () => {
    const clock = movable();
    const { ddb, engine } = engineClient({ clock, transitionMs: 0, ttlSweepMs: 0 });
    await createTestTable(ddb, 'big', 'N');
    await ddb.send(enable('big'));
    const n = SWEEP_CHUNK + 250;
    for (let i = 0; i < n; i += 25) {
      const RequestItems = {
        big: Array.from({ length: Math.min(25, n - i) }, (_, j) => ({
          PutRequest: { Item: { pk: { S: 'p' }, sk: { N: String(i + j) }, exp: { N: String(S0 + 1) } } },
        })),
      };
      await ddb.send(new BatchWriteItemCommand({ RequestItems }));
    }
    clock.to(T0 + 2000);
    const sweep = new TtlSweep(engine);
    expect(sweep.piece()).toBe(SWEEP_CHUNK);
    expect(sweep.piece()).toBe(250);
    expect((await ddb.send(new DescribeTableCommand({ TableName: 'big' }))).Table!.ItemCount).toBe(0);
  });

  it('runs in the background every ttlSweepMs', async () => {
    const clock = movable();
    const { ddb } = engineClient({ clock, ttlSweepMs: 10 });
    await createTestTable(ddb, 'bgs', 'S');
    await ddb.send(enable('bgs'));
    await ddb.send(
      new PutItemCommand({
        TableName: 'bgs',
        Item: { pk: { S: 'a' }, sk: { S: 'b' }, exp: { N: String(S0 + 1) } },
      }),
    );
    clock.to(T0 + 2000);
    await expect
      .poll(async () => (await ddb.send(new ScanCommand({ TableName: 'bgs' }))).Count, { timeout: 2000 })
      .toBe(0);
  });

  it("goes on in a data dir's next engine", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-ttl-'));
    const clock = movable();
    const client = (e: Awaited<ReturnType<typeof startEngine>>) =>
      new DynamoDBClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
        endpoint: 'http://127.0.0.1:0',
        requestHandler: e.requestHandler!,
      });
    const first = await startEngine({ dataDir: dir, clock, transitionMs: 0, ttlSweepMs: 0 });
    const ddb1 = client(first);
    await createTestTable(ddb1, 'kept', 'S');
    await ddb1.send(enable('kept'));
    for (const [sk, at] of [
      ['soon', S0 + 60],
      ['later', S0 + 7200],
    ] as const) {
      await ddb1.send(
        new PutItemCommand({
          TableName: 'kept',
          Item: { pk: { S: 'p' }, sk: { S: sk }, exp: { N: String(at) } },
        }),
      );
    }
    await first.close();
    clock.to(T0 + 120_000);
    const second = await startEngine({ dataDir: dir, clock, transitionMs: 0, ttlSweepMs: 10 });
    const ddb2 = client(second);
    expect(await status(ddb2, 'kept')).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
    await expect
      .poll(
        async () => (await ddb2.send(new ScanCommand({ TableName: 'kept' }))).Items?.map((i) => i.sk!.S),
        {
          timeout: 2000,
        },
      )
      .toEqual(['later']);
    await second.close();
  });
});
