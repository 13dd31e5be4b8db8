// The shard walk of tailStream. NOTE: a fake DynamoDB Streams: no engine can be made to split or
// close a shard (DynamoDB does it every few hours; DynamoDB Local never), nor to expire an
// iterator in a test's time. What the reader does with records themselves is tested on the
// engines (test/integration/tail.test.ts).
import { describe, expect, it } from 'vitest';
import type { Clients } from '../clients.js';
import type { Clock } from '../util/clock.js';
import { type StreamChange, tailStream } from './tail.js';

interface FakeShard {
  id: string;
  parent?: string;
  /** Records, by id; the shard closes after them when `closes`. */
  records: string[];
  closes: boolean;
  /** Listed by DescribeStream only once this many GetRecords calls were made. */
  appearsAfter?: number;
}

const rec = (id: string, seq: number) => ({
  eventName: 'INSERT',
  dynamodb: { Keys: { id: { S: id } }, SequenceNumber: String(seq), StreamViewType: 'KEYS_ONLY' },
});

function fakeClients(
  shards: FakeShard[],
  opts: { expireOnce?: string; cutRead?: { at: number; stop: AbortController } } = {},
) {
  const calls: string[] = [];
  let reads = 0;
  let expired = false;
  const visible = () => shards.filter((s) => (s.appearsAfter ?? 0) <= reads);
  const streams = {
    send: async (cmd: { constructor: { name: string }; input: Record<string, string> }) => {
      const name = cmd.constructor.name.replace(/Command$/, '');
      const input = cmd.input;
      calls.push(
        `${name} ${input.ShardId ?? input.ShardIterator ?? input.ExclusiveStartShardId ?? ''}`.trim(),
      );
      if (name === 'DescribeStream') {
        // One shard a page.
        const all = visible();
        const at = input.ExclusiveStartShardId
          ? all.findIndex((s) => s.id === input.ExclusiveStartShardId) + 1
          : 0;
        const s = all[at] as FakeShard;
        return {
          StreamDescription: {
            Shards: [
              {
                ShardId: s.id,
                ...(s.parent ? { ParentShardId: s.parent } : {}),
                SequenceNumberRange: s.closes ? { EndingSequenceNumber: '9' } : {},
              },
            ],
            ...(at < all.length - 1 ? { LastEvaluatedShardId: s.id } : {}),
          },
        };
      }
      if (name === 'GetShardIterator') {
        const from = input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER' ? Number(input.SequenceNumber) : 0;
        return { ShardIterator: `${input.ShardId}@${from}` };
      }
      // GetRecords: the iterator says the shard and the position; one record a call.
      reads++;
      // A stop while this call waits for the endpoint: the SDK rejects it with the abort.
      if (opts.cutRead?.at === reads) {
        opts.cutRead.stop.abort();
        throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      }
      const [id, pos] = (input.ShardIterator ?? '').split('@') as [string, string];
      if (opts.expireOnce === id && !expired && Number(pos) > 0) {
        expired = true;
        throw Object.assign(new Error('expired'), { name: 'ExpiredIteratorException' });
      }
      const s = shards.find((x) => x.id === id) as FakeShard;
      const i = Number(pos);
      if (i < s.records.length) {
        return { Records: [rec(s.records[i] as string, i + 1)], NextShardIterator: `${id}@${i + 1}` };
      }
      return s.closes ? { Records: [] } : { Records: [], NextShardIterator: `${id}@${i}` };
    },
  };
  const ddb = {
    send: async () => ({
      Table: { StreamSpecification: { StreamEnabled: true }, LatestStreamArn: 'arn:stream' },
    }),
  };
  return { clients: { ddb, streams: async () => streams, label: 'fake' } as unknown as Clients, calls };
}

const instant: Clock = { now: () => 0, sleep: async () => {} };

async function run(clients: Clients, from: 'latest' | 'trim-horizon', want: number) {
  const seen: StreamChange[] = [];
  const stop = new AbortController();
  const r = await tailStream(clients, 'users', {
    from,
    clock: instant,
    signal: stop.signal,
    onChange: (c) => {
      seen.push(c);
      if (seen.length === want) stop.abort();
    },
  });
  return { r, ids: seen.map((c) => c.keys.id) };
}

describe('tailStream: a stop', () => {
  it('that cuts a GetRecords call in flight ends the tail as asked, with the changes so far: no error', async () => {
    const stop = new AbortController();
    const { clients } = fakeClients([{ id: 'A', records: ['a1', 'a2', 'a3'], closes: false }], {
      cutRead: { at: 3, stop },
    });
    const seen: StreamChange[] = [];
    const r = await tailStream(clients, 'users', {
      from: 'trim-horizon',
      clock: instant,
      signal: stop.signal,
      onChange: (c) => {
        seen.push(c);
      },
    });
    expect(r).toEqual({ streamArn: 'arn:stream', changes: 2, interrupted: true });
    expect(seen.map((c) => c.keys.id)).toEqual(['a1', 'a2']);
  });

  it('is no excuse for an error that came without it', async () => {
    const { clients } = fakeClients([{ id: 'A', records: ['a1'], closes: false }], { expireOnce: 'nothing' });
    const failing = {
      ...clients,
      streams: async () => ({
        send: async (cmd: { constructor: { name: string } }) => {
          if (cmd.constructor.name === 'GetRecordsCommand') {
            throw Object.assign(new Error('boom'), { name: 'InternalServerError' });
          }
          return (await (clients.streams as () => Promise<{ send: (c: unknown) => unknown }>)()).send(cmd);
        },
      }),
    } as unknown as Clients;
    await expect(
      tailStream(failing, 'users', {
        from: 'trim-horizon',
        clock: instant,
        signal: new AbortController().signal,
        onChange: () => {},
      }),
    ).rejects.toThrow(/boom/);
  });
});

describe('tailStream: shards', () => {
  it('from trim-horizon: a parent read to its end before its child, children found when it closes, DescribeStream paged', async () => {
    const { clients, calls } = fakeClients([
      { id: 'A', records: ['a1', 'a2'], closes: true },
      { id: 'B', parent: 'A', records: ['b1'], closes: false },
      { id: 'C', parent: 'B', records: ['c1'], closes: false, appearsAfter: 3 },
    ]);
    const { r, ids } = await run(clients, 'trim-horizon', 3);
    expect(ids).toEqual(['a1', 'a2', 'b1']);
    expect(r).toEqual({ streamArn: 'arn:stream', changes: 3, interrupted: true });
    // B waited for A: its iterator was asked for only after A ended.
    expect(calls.indexOf('GetShardIterator B')).toBeGreaterThan(calls.indexOf('GetRecords A@2'));
    expect(calls).toContain('DescribeStream A');
    expect(calls).not.toContain('GetShardIterator C');
  });

  it('from latest: the open shards at LATEST, closed ones skipped; an expired iterator resumes after the last record', async () => {
    const { clients, calls } = fakeClients(
      [
        { id: 'A', records: ['old'], closes: true },
        { id: 'B', parent: 'A', records: ['b1', 'b2', 'b3'], closes: false },
      ],
      { expireOnce: 'B' },
    );
    const { ids } = await run(clients, 'latest', 3);
    // The fake's LATEST starts at the shard's first record; A, closed, is never read.
    expect(ids).toEqual(['b1', 'b2', 'b3']);
    expect(calls.filter((c) => c.startsWith('GetRecords A'))).toEqual([]);
    expect(calls).toContain('GetShardIterator B');
    expect(calls.filter((c) => c === 'GetShardIterator B')).toHaveLength(2);
  });
});
