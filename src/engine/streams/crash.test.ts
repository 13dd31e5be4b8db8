// kill -9 while items of a table with a stream are written: after each kill, the table is exactly
// what its stream's records say, replayed from the first (each change and its record are one
// commit: neither is ever there without the other), and the records' sequence numbers increase.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runAndKill as runKill } from '../../../test/support/killAfterAcks.js';
import { CRASH_TABLE, call } from '../../../test/support/streamCrashChild.js';
import { DdbEngine } from '../engine.js';
import { openStore } from '../store/index.js';

const root = resolve(import.meta.dirname, '../../..');
const child = join(root, 'test/support/streamCrashChild.ts');
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-stream-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runAndKill = (acks: number) => runKill(child, dir, acks);

type Json = Record<string, unknown>;

/** The table's items by key (JSON text), and the stream's records replayed to the same shape. */
async function state(
  engine: DdbEngine,
): Promise<{ table: Map<string, string>; replayed: Map<string, string>; seqs: bigint[] }> {
  const table = new Map<string, string>();
  let start: unknown;
  do {
    const page = await call(engine, 'Scan', {
      TableName: CRASH_TABLE,
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    for (const item of page.Items as Json[]) table.set(JSON.stringify(item.pk), JSON.stringify(item));
    start = page.LastEvaluatedKey;
  } while (start);
  const arn = ((await call(engine, 'ListStreams', { TableName: CRASH_TABLE })).Streams as Json[])[0]!
    .StreamArn;
  const d = (await call(engine, 'DescribeStream', { StreamArn: arn })).StreamDescription as Json;
  const shard = (d.Shards as Json[])[0]!.ShardId;
  let it = (
    await call(engine, 'GetShardIterator', {
      StreamArn: arn,
      ShardId: shard,
      ShardIteratorType: 'TRIM_HORIZON',
    })
  ).ShardIterator as string | undefined;
  const replayed = new Map<string, string>();
  const seqs: bigint[] = [];
  while (it) {
    const r = await call(engine, 'GetRecords', { ShardIterator: it });
    const recs = r.Records as { eventName: string; dynamodb: Json }[];
    if (recs.length === 0) break;
    for (const rec of recs) {
      seqs.push(BigInt(rec.dynamodb.SequenceNumber as string));
      const key = JSON.stringify((rec.dynamodb.Keys as Json).pk);
      if (rec.eventName === 'REMOVE') replayed.delete(key);
      else replayed.set(key, JSON.stringify(rec.dynamodb.NewImage));
    }
    it = r.NextShardIterator as string | undefined;
  }
  return { table, replayed, seqs };
}

// Five writers (each a node with tsx): about 10 s here, more on a loaded machine.
it('a table and its stream agree after every kill -9, over rounds', { timeout: 180_000 }, async () => {
  let records = 0;
  for (const acks of [40, 900, 1, 2_500, 300]) {
    await runAndKill(acks);
    const engine = new DdbEngine({ store: openStore({ dir }), transitionMs: 0 });
    try {
      const { table, replayed, seqs } = await state(engine);
      // Item JSON members in the same order on both sides: compare parsed.
      const norm = (m: Map<string, string>) => new Map([...m].map(([k, v]) => [k, JSON.parse(v) as unknown]));
      expect(norm(replayed)).toEqual(norm(table));
      expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
      expect(seqs.length).toBeGreaterThan(records);
      records = seqs.length;
    } finally {
      engine.stop();
      await engine.store.close();
    }
  }
});
