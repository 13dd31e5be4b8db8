// batchWrite and batchGet against a fake document client and a fake clock: retries, backoff,
// exhaustion, ordering, streaming bounds. The same behaviour on real engines, through a fault
// proxy, is in test/integration/batch.test.ts.
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Clients } from '../clients.js';
import type { Item } from '../data/codec.js';
import type { KeySchema } from '../data/keySchema.js';
import type { Clock } from '../util/clock.js';
import { type CheckedItem, readPlainItem } from '../wire/plainItem.js';
import { batchGet } from './batchGet.js';
import { batchWrite, type WriteRequest } from './batchWrite.js';

const n = (v: number | string) => new NumberValue(String(v));
const schema: KeySchema = { table: 'T', partitionKey: { name: 'id', type: 'N' } };
const idOf = (item: Item) => Number((item.id as NumberValue).value);

type WireWrite = { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } };
type Send = (input: { RequestItems: Record<string, unknown> }) => unknown | Promise<unknown>;
const writesOf = (input: { RequestItems: Record<string, unknown> }) => input.RequestItems.T as WireWrite[];
const keysOf = (input: { RequestItems: Record<string, unknown> }) =>
  (input.RequestItems.T as { Keys: Item[] }).Keys;
const itemOf = (r: WireWrite) => (r.PutRequest?.Item ?? r.DeleteRequest?.Key)!;

/** Clients whose document client answers every command with `send(command.input)`. */
function fakeClients(send: Send): Clients {
  return {
    label: 'fake',
    ddb: { send: async () => Promise.reject(new Error('DescribeTable not expected: pass opts.schema')) },
    doc: {
      send: async (command: { input: { RequestItems: Record<string, unknown> } }) => send(command.input),
    },
    destroy() {},
  } as unknown as Clients;
}

function fakeClock(): Clock & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

function sdkError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} (fake)`), {
    name,
    $metadata: { httpStatusCode: status, attempts: 1 },
    ...extra,
  });
}

const puts = (count: number, from = 0): WriteRequest[] =>
  Array.from({ length: count }, (_, i) => ({
    put: { id: n(from + i), v: `v${from + i}` },
    line: from + i + 1,
  }));

/** A table in memory behind a BatchWriteItem handler; `unprocessed(list)` picks what to hand back. */
function memoryTable(unprocessed: (list: WireWrite[], call: number) => WireWrite[] = () => []) {
  const rows = new Map<number, Item>();
  let calls = 0;
  const send: Send = async (input) => {
    calls++;
    const list = writesOf(input);
    const back = new Set(unprocessed(list, calls));
    for (const r of list) {
      if (back.has(r)) continue;
      if (r.PutRequest) rows.set(idOf(itemOf(r)), r.PutRequest.Item);
      else rows.delete(idOf(itemOf(r)));
    }
    return { UnprocessedItems: back.size ? { T: [...back] } : {}, $metadata: { attempts: 1 } };
  };
  return { rows, send, calls: () => calls };
}

describe('batchWrite', () => {
  it('writes everything in chunks of 25 and counts once', async () => {
    const t = memoryTable();
    const r = await batchWrite(fakeClients(t.send), 'T', puts(60), { schema });
    expect(r).toMatchObject({ written: 60, retried: 0, failed: [], calls: 3, duplicatesResolved: 0 });
    expect(t.rows.size).toBe(60);
  });

  it('retries UnprocessedItems with backoff until all are written', async () => {
    // Each call leaves the last two requests unprocessed, for the first three calls.
    const t = memoryTable((list, call) => (call <= 3 ? list.slice(-2) : []));
    const clock = fakeClock();
    const r = await batchWrite(fakeClients(t.send), 'T', puts(10), {
      schema,
      clock,
      random: () => 0.5,
      concurrency: 1,
    });
    expect(r).toMatchObject({ written: 10, retried: 6, failed: [], calls: 4 });
    expect(clock.sleeps).toEqual([25, 50, 100]);
    expect(t.rows.size).toBe(10);
  });

  it('gives up after maxRetries and returns exactly the unprocessed requests, with their lines', async () => {
    const t = memoryTable((list) => list.filter((r) => idOf(itemOf(r)) % 10 === 3));
    const clock = fakeClock();
    const progress: number[] = [];
    const r = await batchWrite(fakeClients(t.send), 'T', puts(40), {
      schema,
      clock,
      random: () => 0.999,
      maxRetries: 3,
      onProgress: (p) => progress.push(p.failed),
      // The backoff's sleeps alone (a pace, once throttled, would add its own: concurrency.test).
      adaptive: { paced: false },
    });
    expect(r.written).toBe(36);
    expect(r.failed.map((f) => f.request.line).sort((a, b) => a! - b!)).toEqual([4, 14, 24, 34]);
    expect(r.failed[0]).toMatchObject({
      code: 'batch.incomplete',
      reason: expect.stringMatching(
        /^BatchWriteItem: not written after 4 attempts: DynamoDB returned them as UnprocessedItems/,
      ),
    });
    expect(r.calls).toBe(2 + 2 * 3);
    expect(r.retried).toBe(4 * 3);
    expect(clock.sleeps.sort((a, b) => a - b)).toEqual([49, 49, 99, 99, 199, 199]);
    expect(progress.at(-1)).toBe(4);
  });

  it('retries a throttled, failed or dropped call as a whole, and counts the SDK’s retries', async () => {
    const t = memoryTable();
    const failures = [
      sdkError('ProvisionedThroughputExceededException', 400, {
        $metadata: { httpStatusCode: 400, attempts: 3 },
      }),
      sdkError('InternalServerError', 500),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    ];
    const send: Send = (input) => {
      const e = failures.shift();
      if (e) throw e;
      return t.send(input);
    };
    const clock = fakeClock();
    const r = await batchWrite(fakeClients(send), 'T', puts(5), { schema, clock, random: () => 0 });
    expect(r).toMatchObject({ written: 5, retried: 15, calls: 4, sdkRetries: 2, failed: [] });
    expect(clock.sleeps).toEqual([0, 0, 0]);
  });

  it('does not retry a non-transient failure, and halves a rejected chunk to write the rest', async () => {
    const t = memoryTable();
    const send: Send = (input) => {
      const list = writesOf(input);
      if (list.some((r) => idOf(itemOf(r)) === 7)) throw sdkError('ValidationException', 400);
      return t.send(input);
    };
    const r = await batchWrite(fakeClients(send), 'T', puts(20), { schema, clock: fakeClock() });
    expect(r.written).toBe(19);
    expect(r.failed).toEqual([
      expect.objectContaining({ code: 'request.invalid', request: expect.objectContaining({ line: 8 }) }),
    ]);
    expect(r.retried).toBe(0);
    expect(r.calls).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(20)));
  });

  it('reports invalid requests with their line and writes the others', async () => {
    const t = memoryTable();
    const reqs: WriteRequest[] = [
      ...puts(3),
      { put: { id: 'text' }, line: 4 },
      { put: { other: n(1) }, line: 5 },
      ...puts(2, 5),
    ];
    const r = await batchWrite(fakeClients(t.send), 'T', reqs, { schema });
    expect(r.written).toBe(5);
    expect(r.failed.map((f) => [f.request.line, f.code])).toEqual([
      [4, 'input.key'],
      [5, 'input.key'],
    ]);
    expect(r.failed[0]!.reason).toMatch(/^line 4: key attribute "id" must be of type N/);
  });

  it('resolves duplicate keys in a chunk (last wins) and keeps order across chunks in flight', async () => {
    const t = memoryTable();
    const reqs: WriteRequest[] = [
      { put: { id: n(1), v: 'a' }, line: 1 },
      { put: { id: n('1.0'), v: 'b' }, line: 2 },
      ...puts(24, 100),
      // a new chunk: id 1 again, while the first chunk may still be in flight
      { put: { id: n(1), v: 'c' }, line: 200 },
    ];
    let first = true;
    const slowFirst: Send = async (input) => {
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 30));
      }
      return t.send(input);
    };
    const r = await batchWrite(fakeClients(slowFirst), 'T', reqs, { schema, concurrency: 4 });
    expect(r.duplicatesResolved).toBe(1);
    expect(r.duplicates).toEqual([{ key: { id: n(1) }, line: 1, index: 1, keptLine: 2, keptIndex: 2 }]);
    expect(r.written).toBe(26);
    expect(t.rows.get(1)?.v).toBe('c');
  });

  it('puts read with their key only (checked text): checked and matched by the key, sent whole without the wire path', async () => {
    const t = memoryTable();
    const line = (text: string, k: number) => {
      const checked = readPlainItem(text, ['id']) as CheckedItem;
      // The request's item is made from the text only when asked for, as import's are.
      return {
        checked,
        line: k,
        get put() {
          return checked.item;
        },
      } as WriteRequest;
    };
    const reqs = [
      line('{"id":1,"v":"a","m":{"x":[1,2]}}', 1),
      line('{"id":1.0,"v":"b","m":{"x":[3]}}', 2),
      line('{"v":"no key"}', 3),
    ];
    const r = await batchWrite(fakeClients(t.send), 'T', reqs, { schema });
    expect(r.duplicates).toEqual([{ key: { id: n(1) }, line: 1, index: 1, keptLine: 2, keptIndex: 2 }]);
    expect(r.written).toBe(1);
    expect(r.failed.map((f) => f.reason)).toEqual([
      expect.stringMatching(/line 3: the partition key attribute "id" is missing/),
    ]);
    expect(t.rows.get(1)).toEqual({ id: n('1.0'), v: 'b', m: { x: [n(3)] } });
  });

  it('streams: holds at most concurrency × 25 requests, whatever the input length', async () => {
    let produced = 0;
    let done = 0;
    let most = 0;
    function* input(): Generator<WriteRequest> {
      for (let i = 0; i < 1000; i++) {
        produced++;
        most = Math.max(most, produced - done);
        yield { put: { id: n(i) } };
      }
    }
    const send: Send = async (inp) => {
      await new Promise((r) => setTimeout(r, 1));
      done += writesOf(inp).length;
      return { UnprocessedItems: {} };
    };
    const r = await batchWrite(fakeClients(send), 'T', input(), { schema, concurrency: 3 });
    expect(r.written).toBe(1000);
    expect(most).toBeLessThanOrEqual(3 * 25 + 1);
    expect(most).toBeGreaterThan(25);
  });

  it('stops at a fatal error: nothing more is read, nothing read is lost', async () => {
    let read = 0;
    function* input(): Generator<WriteRequest> {
      for (let i = 0; i < 500; i++) {
        read++;
        yield { put: { id: n(i) }, line: i + 1 };
      }
    }
    const send: Send = () => {
      throw sdkError('ResourceNotFoundException', 400);
    };
    const r = await batchWrite(fakeClients(send), 'T', input(), { schema, concurrency: 2 });
    expect(r.stopped?.code).toBe('table.notFound');
    expect(r.written).toBe(0);
    expect(r.failed).toHaveLength(read);
    expect(read).toBeLessThan(500);
    expect(new Set(r.failed.map((f) => f.request.line)).size).toBe(read);
  });

  it('an aborted run sends nothing more and returns what it holds', async () => {
    const ac = new AbortController();
    const t = memoryTable();
    const send: Send = async (input) => {
      await new Promise((r) => setTimeout(r, 5));
      ac.abort();
      return t.send(input);
    };
    const r = await batchWrite(fakeClients(send), 'T', puts(100), {
      schema,
      signal: ac.signal,
      concurrency: 1,
    });
    expect(r.stopped?.code).toBe('operation.aborted');
    // The 26th request was read while the first call was in flight: returned, not sent.
    expect(r.failed.map((f) => [f.request.line, f.code])).toEqual([[26, 'operation.aborted']]);
    expect(r.failed[0]!.reason).toMatch(/^not sent: the run stopped/);
    expect(r.written).toBe(25);
    expect(t.rows.size).toBe(25);
  });

  it('rejects a bad maxRetries or concurrency before reading anything', async () => {
    const c = fakeClients(() => ({}));
    await expect(batchWrite(c, 'T', puts(1), { schema, maxRetries: -1 })).rejects.toMatchObject({
      code: 'usage.invalid',
    });
    await expect(batchWrite(c, 'T', puts(1), { schema, concurrency: 0 })).rejects.toThrow(/concurrency/);
  });
});

describe('batchGet', () => {
  const stored = new Map(Array.from({ length: 300 }, (_, i) => [i, { id: n(i), v: `v${i}` } as Item]));
  /** Answers from `stored`; `hold(keys, call)` picks keys to return unprocessed. */
  const getter = (hold: (keys: Item[], call: number) => Item[] = () => []) => {
    let calls = 0;
    const send: Send = (input) => {
      calls++;
      const keys = keysOf(input);
      const back = new Set(hold(keys, calls));
      const found = keys.filter((k) => !back.has(k)).flatMap((k) => stored.get(idOf(k)) ?? []);
      return { Responses: { T: found }, UnprocessedKeys: back.size ? { T: { Keys: [...back] } } : {} };
    };
    return send;
  };

  it('returns found items once, in key order, and the missing keys; retries unprocessed keys', async () => {
    const keys = [
      ...Array.from({ length: 250 }, (_, i) => ({ id: n(i * 2) })),
      { id: n(4) },
      { id: n('8.0') },
    ];
    const clock = fakeClock();
    const r = await batchGet(
      fakeClients(getter((ks, call) => (call <= 3 ? ks.slice(0, 10) : []))),
      'T',
      keys,
      { schema, clock, random: () => 0 },
    );
    expect(r.duplicateKeys).toBe(2);
    expect(r.items.map(idOf)).toEqual(Array.from({ length: 150 }, (_, i) => i * 2));
    expect(r.missing.map(idOf)).toEqual(Array.from({ length: 100 }, (_, i) => 300 + i * 2));
    expect(r.failed).toEqual([]);
    expect(r.retried).toBe(30);
    expect(r.calls).toBe(6);
  });

  it('returns keys still unprocessed after the retries as failed, with the reason', async () => {
    const r = await batchGet(
      fakeClients(getter((ks) => ks.filter((k) => idOf(k) < 3))),
      'T',
      Array.from({ length: 10 }, (_, i) => ({ id: n(i) })),
      { schema, clock: fakeClock(), maxRetries: 2 },
    );
    expect(r.items).toHaveLength(7);
    expect(r.failed.map((f) => idOf(f.key))).toEqual([0, 1, 2]);
    expect(r.failed[0]!.reason).toMatch(
      /^BatchGetItem: not read after 3 attempts: DynamoDB returned them as UnprocessedKeys/,
    );
    expect(r.calls).toBe(3);
  });

  it('strips key attributes it added to the projection', async () => {
    let seen: unknown;
    const send: Send = (input) => {
      seen = input.RequestItems.T;
      return { Responses: { T: [{ id: n(1), v: 'x' }] } };
    };
    const r = await batchGet(fakeClients(send), 'T', [{ id: n(1) }], {
      schema,
      projection: 'v',
      consistentRead: true,
    });
    expect(seen).toMatchObject({ ConsistentRead: true, ProjectionExpression: '#n0, #n1' });
    expect(r.items).toEqual([{ v: 'x' }]);
  });
});
