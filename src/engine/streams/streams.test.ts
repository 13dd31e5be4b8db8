/**
 * Streams in the engine through the AWS SDK's own DynamoDB Streams client on the in-process door:
 * records of every kind written by every write path, the four view types, iterators of every type,
 * a stream's lifecycle (enable, disable, the closed shard read to its end, the table deleted),
 * 24-hour retention and iterator expiry on a clock the test moves.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { itemTree } from '../catalog.js';
import { startEngine } from '../index.js';
import { inProcessHandler } from '../inProcess.js';
import { writeItem } from '../ops/_write.js';
import type { Change } from '../store/index.js';
import { engineClient } from '../testClient.js';
import { recordTree, STREAMS_TREE } from './meta.js';
import { sweepStreams } from './sweep.js';

function setup(now?: { t: number }) {
  const { engine, ddb } = engineClient(now ? { clock: { now: () => now.t } } : {});
  const streams = new DynamoDBStreamsClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: inProcessHandler(engine),
    maxAttempts: 1,
  });
  return { engine, ddb, streams };
}

async function table(ddb: DynamoDBClient, name: string, viewType?: string): Promise<string | undefined> {
  const { createTestTable } = await import('../ops/_testTables.js');
  await createTestTable(ddb, name, 'N');
  if (viewType) {
    const r = await ddb.send(
      new UpdateTableCommand({
        TableName: name,
        StreamSpecification: { StreamEnabled: true, StreamViewType: viewType as never },
      }),
    );
    return r.TableDescription?.LatestStreamArn;
  }
  return undefined;
}

/** An iterator of the stream's one shard. */
async function iterator(
  streams: DynamoDBStreamsClient,
  arn: string,
  type: string,
  SequenceNumber?: string,
): Promise<string> {
  const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const shard = d.StreamDescription!.Shards![0]!.ShardId!;
  const r = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: arn,
      ShardId: shard,
      ShardIteratorType: type as never,
      ...(SequenceNumber ? { SequenceNumber } : {}),
    }),
  );
  return r.ShardIterator!;
}

async function readAll(
  streams: DynamoDBStreamsClient,
  arn: string,
  type = 'TRIM_HORIZON',
): Promise<_Record[]> {
  let it: string | undefined = await iterator(streams, arn, type);
  const out: _Record[] = [];
  for (let i = 0; it && i < 100; i++) {
    const r: GetRecordsCommandOutput = await streams.send(new GetRecordsCommand({ ShardIterator: it }));
    out.push(...(r.Records ?? []));
    if (!r.Records?.length) break;
    it = r.NextShardIterator;
  }
  return out;
}

const K = (n: string) => ({ pk: { S: 'a' }, sk: { N: n } });

describe('stream records', () => {
  it('INSERT, MODIFY, REMOVE from every write path, none when nothing changed, in order', async () => {
    const { ddb, streams } = setup();
    const arn = (await table(ddb, 'st1', 'NEW_AND_OLD_IMAGES'))!;
    expect(arn).toMatch(
      /^arn:aws:dynamodb:us-east-1:000000000000:table\/st1\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/,
    );
    await ddb.send(new PutItemCommand({ TableName: 'st1', Item: { ...K('1'), x: { N: '1' } } }));
    await ddb.send(new PutItemCommand({ TableName: 'st1', Item: { ...K('1'), x: { N: '1' } } })); // same: no record
    await ddb.send(new PutItemCommand({ TableName: 'st1', Item: { x: { N: '1.0' }, ...K('1') } })); // reordered: no record
    await ddb.send(
      new UpdateItemCommand({
        TableName: 'st1',
        Key: K('1'),
        UpdateExpression: 'SET x = :v',
        ExpressionAttributeValues: { ':v': { N: '2' } },
      }),
    );
    await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { st1: [{ PutRequest: { Item: K('2') } }, { DeleteRequest: { Key: K('1') } }] },
      }),
    );
    await ddb.send(new DeleteItemCommand({ TableName: 'st1', Key: K('9') })); // nothing: no record
    await ddb.send(new DeleteItemCommand({ TableName: 'st1', Key: K('2') }));
    const recs = await readAll(streams, arn);
    expect(recs.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'INSERT', 'REMOVE', 'REMOVE']);
    const seqs = recs.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(seqs).size).toBe(5);
    const [ins, mod] = recs;
    expect(ins).toMatchObject({
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        Keys: K('1'),
        NewImage: { ...K('1'), x: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(ins!.dynamodb!.OldImage).toBeUndefined();
    expect(ins!.dynamodb!.ApproximateCreationDateTime).toBeInstanceOf(Date);
    expect(ins!.dynamodb!.SizeBytes).toBeGreaterThan(0);
    expect(ins!.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(mod!.dynamodb).toMatchObject({ OldImage: { x: { N: '1' } }, NewImage: { x: { N: '2' } } });
    expect(recs[3]!.dynamodb).toMatchObject({ Keys: K('1'), OldImage: { ...K('1'), x: { N: '2' } } });
    expect(recs[3]!.dynamodb!.NewImage).toBeUndefined();
  });

  it.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
    ['NEW_AND_OLD_IMAGES', true, true],
  ])('%s carries the images it names', async (view, hasNew, hasOld) => {
    const { ddb, streams } = setup();
    const arn = (await table(ddb, 'st2', view))!;
    await ddb.send(new PutItemCommand({ TableName: 'st2', Item: { ...K('1'), x: { S: 'a' } } }));
    await ddb.send(new PutItemCommand({ TableName: 'st2', Item: { ...K('1'), x: { S: 'b' } } }));
    const [, mod] = await readAll(streams, arn);
    expect(mod!.eventName).toBe('MODIFY');
    expect(mod!.dynamodb!.Keys).toEqual(K('1'));
    expect(mod!.dynamodb!.StreamViewType).toBe(view);
    expect(mod!.dynamodb!.NewImage).toEqual(hasNew ? { ...K('1'), x: { S: 'b' } } : undefined);
    expect(mod!.dynamodb!.OldImage).toEqual(hasOld ? { ...K('1'), x: { S: 'a' } } : undefined);
  });

  it('a write marked as made by the service carries DynamoDB userIdentity (TTL deletions)', async () => {
    const { engine, ddb, streams } = setup();
    const arn = (await table(ddb, 'st3', 'OLD_IMAGE'))!;
    await ddb.send(new PutItemCommand({ TableName: 'st3', Item: K('1') }));
    const meta = engine.table('st3');
    const key = [...engine.store.tree(itemTree('st3')).entries()][0]![0];
    const old = engine.store.tree(itemTree('st3')).get(key);
    const changes: Change[] = [];
    writeItem(meta, key, old, () => undefined, null, changes, undefined, 'service');
    engine.store.commit(changes);
    const recs = await readAll(streams, arn);
    expect(recs.map((r) => r.eventName)).toEqual(['INSERT', 'REMOVE']);
    expect(recs[0]!.userIdentity).toBeUndefined();
    expect(recs[1]!.userIdentity).toEqual({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
  });
});

describe('stream lifecycle', () => {
  it("describes the stream, refuses enabling twice in DynamoDB's words, closes the shard on disable", async () => {
    const { ddb, streams } = setup();
    const arn = (await table(ddb, 'st4', 'KEYS_ONLY'))!;
    const d1 = await ddb.send(new DescribeTableCommand({ TableName: 'st4' }));
    expect(d1.Table).toMatchObject({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      LatestStreamArn: arn,
      LatestStreamLabel: arn.split('/stream/')[1],
    });
    await expect(
      ddb.send(
        new UpdateTableCommand({
          TableName: 'st4',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      ),
    ).rejects.toThrow('Table already has an enabled stream: TableName: st4');
    await ddb.send(new PutItemCommand({ TableName: 'st4', Item: K('1') }));
    const s1 = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(s1.StreamDescription).toMatchObject({
      StreamArn: arn,
      StreamStatus: 'ENABLED',
      StreamViewType: 'KEYS_ONLY',
      TableName: 'st4',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    const shard = s1.StreamDescription!.Shards![0]!;
    expect(shard.ShardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(shard.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();

    await ddb.send(
      new UpdateTableCommand({ TableName: 'st4', StreamSpecification: { StreamEnabled: false } }),
    );
    await expect(
      ddb.send(new UpdateTableCommand({ TableName: 'st4', StreamSpecification: { StreamEnabled: false } })),
    ).rejects.toThrow('Table has no stream to disable: TableName: st4');
    const d2 = await ddb.send(new DescribeTableCommand({ TableName: 'st4' }));
    expect(d2.Table!.StreamSpecification).toBeUndefined();
    expect(d2.Table!.LatestStreamArn).toBe(arn);
    await ddb.send(new PutItemCommand({ TableName: 'st4', Item: K('2') })); // no stream: no record
    const s2 = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(s2.StreamDescription!.StreamStatus).toBe('DISABLED');
    const range = s2.StreamDescription!.Shards![0]!.SequenceNumberRange!;
    expect(range.EndingSequenceNumber).toBeDefined();
    // The closed shard read to its end: its one record, then no NextShardIterator.
    const r = await streams.send(
      new GetRecordsCommand({ ShardIterator: await iterator(streams, arn, 'TRIM_HORIZON') }),
    );
    expect(r.Records!.map((x) => x.dynamodb!.Keys)).toEqual([K('1')]);
    expect(r.NextShardIterator).toBeUndefined();

    // Enabled again: a new stream, both listed.
    const again = await ddb.send(
      new UpdateTableCommand({
        TableName: 'st4',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    const arn2 = again.TableDescription!.LatestStreamArn!;
    expect(arn2).not.toBe(arn);
    const list = await streams.send(new ListStreamsCommand({ TableName: 'st4' }));
    expect(list.Streams!.map((s) => s.StreamArn)).toEqual([arn, arn2]);
    const page = await streams.send(new ListStreamsCommand({ Limit: 1 }));
    expect(page.LastEvaluatedStreamArn).toBe(arn);
    const next = await streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: arn }));
    expect(next.Streams!.map((s) => s.StreamArn)).toEqual([arn2]);
  });

  it('a deleted table disables its stream, still readable', async () => {
    const { ddb, streams } = setup();
    const arn = (await table(ddb, 'st5', 'NEW_IMAGE'))!;
    await ddb.send(new PutItemCommand({ TableName: 'st5', Item: K('1') }));
    await ddb.send(new DeleteTableCommand({ TableName: 'st5' }));
    const s = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    expect(s.StreamDescription!.StreamStatus).toBe('DISABLED');
    expect((await readAll(streams, arn)).map((r) => r.eventName)).toEqual(['INSERT']);
  });
});

describe('iterators', () => {
  it('TRIM_HORIZON, LATEST, AT_ and AFTER_SEQUENCE_NUMBER; Limit and NextShardIterator', async () => {
    const { ddb, streams } = setup();
    const arn = (await table(ddb, 'st6', 'KEYS_ONLY'))!;
    for (const n of ['1', '2', '3']) await ddb.send(new PutItemCommand({ TableName: 'st6', Item: K(n) }));
    const all = await readAll(streams, arn);
    const seq = all.map((r) => r.dynamodb!.SequenceNumber!);
    const iter = (type: string, seq?: string) => iterator(streams, arn, type, seq);
    const keys = async (it: string, Limit?: number) => {
      const r = await streams.send(new GetRecordsCommand({ ShardIterator: it, ...(Limit ? { Limit } : {}) }));
      return { keys: r.Records!.map((x) => x.dynamodb!.Keys!.sk!.N), next: r.NextShardIterator };
    };
    expect((await keys(await iter('AT_SEQUENCE_NUMBER', seq[1]))).keys).toEqual(['2', '3']);
    expect((await keys(await iter('AFTER_SEQUENCE_NUMBER', seq[1]))).keys).toEqual(['3']);
    const latest = await iter('LATEST');
    const empty = await keys(latest);
    expect(empty.keys).toEqual([]);
    expect(empty.next).toBeDefined();
    await ddb.send(new PutItemCommand({ TableName: 'st6', Item: K('4') }));
    expect((await keys(empty.next!)).keys).toEqual(['4']);
    const first = await keys(await iter('TRIM_HORIZON'), 2);
    expect(first.keys).toEqual(['1', '2']);
    expect((await keys(first.next!)).keys).toEqual(['3', '4']);
  });

  it('expire after 15 minutes; records older than 24 hours are trimmed', async () => {
    const now = { t: Date.UTC(2026, 0, 1) };
    const { ddb, streams } = setup(now);
    const arn = (await table(ddb, 'st7', 'KEYS_ONLY'))!;
    await ddb.send(new PutItemCommand({ TableName: 'st7', Item: K('1') }));
    const it = await iterator(streams, arn, 'TRIM_HORIZON');
    now.t += 15 * 60 * 1000 + 1;
    await expect(streams.send(new GetRecordsCommand({ ShardIterator: it }))).rejects.toMatchObject({
      name: 'ExpiredIteratorException',
      message:
        'Iterator expired. The iterator was created at time Thu Jan 01 00:00:00 UTC 2026 while right now it is Thu Jan 01 00:15:00 UTC 2026 which is further in the future than the tolerated delay of 900000 milliseconds.',
    });
    const first = (await readAll(streams, arn))[0]!.dynamodb!.SequenceNumber!;
    now.t += 24 * 60 * 60 * 1000;
    // Past 24 hours: the record is trimmed, reading from it is TrimmedDataAccessException.
    await expect(iterator(streams, arn, 'AT_SEQUENCE_NUMBER', first)).rejects.toMatchObject({
      name: 'TrimmedDataAccessException',
    });
    await ddb.send(new PutItemCommand({ TableName: 'st7', Item: K('2') }));
    const recs = await readAll(streams, arn);
    expect(recs.map((r) => r.dynamodb!.Keys!.sk!.N)).toEqual(['2']);
  });

  it('an iterator whose first record is trimmed before it is read: TrimmedDataAccessException', async () => {
    const now = { t: Date.UTC(2026, 0, 1) };
    const { ddb, streams } = setup(now);
    const arn = (await table(ddb, 'st9', 'KEYS_ONLY'))!;
    await ddb.send(new PutItemCommand({ TableName: 'st9', Item: K('1') }));
    now.t += 24 * 60 * 60 * 1000 - 60_000;
    const it = await iterator(streams, arn, 'TRIM_HORIZON');
    now.t += 120_000;
    await expect(streams.send(new GetRecordsCommand({ ShardIterator: it }))).rejects.toMatchObject({
      name: 'TrimmedDataAccessException',
    });
  });

  it('the sweep trims old records of streams no one writes to, and removes streams disabled for 24 hours', async () => {
    const now = { t: Date.UTC(2026, 0, 1) };
    const { engine, ddb, streams } = setup(now);
    const arn = (await table(ddb, 'st8', 'KEYS_ONLY'))!;
    await ddb.send(new PutItemCommand({ TableName: 'st8', Item: K('1') }));
    now.t += 12 * 60 * 60 * 1000;
    await ddb.send(new PutItemCommand({ TableName: 'st8', Item: K('2') }));
    await ddb.send(
      new UpdateTableCommand({ TableName: 'st8', StreamSpecification: { StreamEnabled: false } }),
    );
    now.t += 13 * 60 * 60 * 1000;
    sweepStreams(engine);
    expect([...engine.store.tree(recordTree(arn)).entries()]).toHaveLength(1);
    expect((await readAll(streams, arn)).map((r) => r.dynamodb!.Keys!.sk!.N)).toEqual(['2']);
    now.t += 12 * 60 * 60 * 1000;
    sweepStreams(engine);
    expect(engine.store.tree(STREAMS_TREE).count).toBe(0);
    expect(engine.store.tree(recordTree(arn)).count).toBe(0);
    await expect(streams.send(new DescribeStreamCommand({ StreamArn: arn }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('a data dir', () => {
  it('keeps streams and their records across restarts, and goes on with increasing sequence numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-streams-'));
    const clients = (e: Awaited<ReturnType<typeof startEngine>>) => {
      const base = {
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
        maxAttempts: 1,
      };
      return {
        ddb: new DynamoDBClient({ ...base, requestHandler: e.requestHandler! }),
        streams: new DynamoDBStreamsClient({ ...base, requestHandler: e.requestHandler! }),
      };
    };
    try {
      const first = await startEngine({ dataDir: dir, transitionMs: 0 });
      const a = clients(first);
      const arn = (await table(a.ddb, 'kept', 'KEYS_ONLY'))!;
      await a.ddb.send(new PutItemCommand({ TableName: 'kept', Item: K('1') }));
      await first.close();
      const second = await startEngine({ dataDir: dir, transitionMs: 0 });
      const b = clients(second);
      await b.ddb.send(new PutItemCommand({ TableName: 'kept', Item: K('2') }));
      const recs = await readAll(b.streams, arn);
      expect(recs.map((r) => r.dynamodb!.Keys!.sk!.N)).toEqual(['1', '2']);
      expect(BigInt(recs[1]!.dynamodb!.SequenceNumber!)).toBeGreaterThan(
        BigInt(recs[0]!.dynamodb!.SequenceNumber!),
      );
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
