// The pure parts of the batch operations: backoff, key identity, wire size, chunking, dedupe, inputs.
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Item } from '../data/codec.js';
import { normalizeNumber } from '../data/codec.js';
import type { KeySchema } from '../data/keySchema.js';
import { canonicalKey } from '../data/keySchema.js';
import { DdbError } from '../errors.js';
import { itemWireBytes } from '../wire/wireSize.js';
import { backoffDelay, isTransient, sdkRetriesOf } from './backoff.js';
import { batchGetInput, batchGetProjection, planBatchGet } from './batchGet.js';
import {
  batchWriteInput,
  chunkWrites,
  type PreparedWrite,
  prepareWrite,
  type WriteRequest,
} from './writePlan.js';

const n = (v: number | string) => new NumberValue(String(v));
const HASH: KeySchema = { table: 'T', partitionKey: { name: 'id', type: 'N' } };
const COMPOSITE: KeySchema = {
  table: 'T',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'B' },
};
const prep = (requests: WriteRequest[], schema = HASH): PreparedWrite[] =>
  requests.map((r, i) => prepareWrite(r, schema, i + 1));

describe('backoffDelay (full jitter)', () => {
  it('draws from [0, min(cap, base·2^retry))', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((r) => backoffDelay(r, {}, top))).toEqual([
      49, 99, 199, 399, 799, 1599, 3199, 4999, 4999,
    ]);
    expect(backoffDelay(3, {}, () => 0.5)).toBe(200);
    expect(backoffDelay(0, {}, () => 0)).toBe(0);
    expect(backoffDelay(2, { baseMs: 10, capMs: 25 }, () => 0.5)).toBe(12);
  });

  it('stays at the cap for huge retry numbers', () => {
    expect(backoffDelay(5000, {}, () => 0.5)).toBe(2500);
  });
});

describe('isTransient', () => {
  const mapped = (code: DdbError['code']) => new DdbError(code, { message: 'x' });
  it('retries throttling, 5xx and network failures, not validation or missing tables', () => {
    expect(isTransient(new Error('x'), mapped('request.throttled'))).toBe(true);
    expect(isTransient(new Error('x'), mapped('endpoint.unreachable'))).toBe(true);
    const e500 = Object.assign(new Error('boom'), {
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
    expect(isTransient(e500, mapped('service.error'))).toBe(true);
    const hangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(isTransient(hangUp, mapped('service.error'))).toBe(true);
    expect(isTransient(new Error('bad'), mapped('request.invalid'))).toBe(false);
    expect(isTransient(new Error('gone'), mapped('table.notFound'))).toBe(false);
  });

  it('counts the SDK’s own retries from $metadata.attempts', () => {
    expect(sdkRetriesOf({ $metadata: { attempts: 3 } })).toBe(2);
    expect(sdkRetriesOf({ $metadata: {} })).toBe(0);
    expect(sdkRetriesOf(undefined)).toBe(0);
  });
});

describe('key identity', () => {
  it('normalizes numbers DynamoDB sees as equal', () => {
    const same = ['1', '1.0', '+1', '10e-1', '0.1E1', '001.000'];
    expect(new Set(same.map(normalizeNumber))).toEqual(new Set(['1e0']));
    expect(normalizeNumber('-1200')).toBe('-12e3');
    expect(normalizeNumber('0.000')).toBe('0');
    expect(normalizeNumber('-0')).toBe('0');
    expect(normalizeNumber('12345678901234567890123456789012345678')).toBe(
      '12345678901234567890123456789012345678e37',
    );
    expect(normalizeNumber('1')).not.toBe(normalizeNumber('10'));
  });

  it('tells keys apart by type and value, sort key included', () => {
    expect(canonicalKey({ id: n('1.50') }, HASH)).toBe(canonicalKey({ id: n('1.5'), other: 'x' }, HASH));
    expect(canonicalKey({ id: n(1) }, HASH)).not.toBe(canonicalKey({ id: '1' }, HASH));
    const a = { pk: 'a|b', sk: new Uint8Array([1, 2]) };
    const b = { pk: 'a', sk: new Uint8Array([1, 2]) };
    expect(canonicalKey(a, COMPOSITE)).not.toBe(canonicalKey(b, COMPOSITE));
    expect(canonicalKey(a, COMPOSITE)).toBe(
      canonicalKey({ pk: 'a|b', sk: new Uint8Array([1, 2]) }, COMPOSITE),
    );
  });
});

describe('itemWireBytes', () => {
  it('is at least the DynamoDB JSON length', () => {
    const item: Item = {
      id: n(12),
      s: 'é"\n\u0000',
      b: new Uint8Array(10),
      ok: true,
      none: null,
      l: [n(1), 'x', [false]],
      m: { a: { b: n('1.5') } },
      ss: new Set(['a', 'b']),
      ns: new Set([n(1), n(22)]),
    };
    const json = JSON.stringify({
      id: { N: '12' },
      s: { S: 'é"\n\u0000' },
      b: { B: Buffer.alloc(10).toString('base64') },
      ok: { BOOL: true },
      none: { NULL: true },
      l: { L: [{ N: '1' }, { S: 'x' }, { L: [{ BOOL: false }] }] },
      m: { M: { a: { M: { b: { N: '1.5' } } } } },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '22'] },
    });
    const est = itemWireBytes(item);
    expect(est).toBeGreaterThanOrEqual(Buffer.byteLength(json));
    expect(est).toBeLessThan(Buffer.byteLength(json) * 1.2);
  });

  it.each([
    'plain ascii ~!@#$%^&*()_+`-=[]{}|;:,./<>?',
    'a "quote"',
    'a \\ backslash',
    'tab\there',
    '\u007f delete',
    'é and 😀',
    '\u2028 line separator',
  ])('counts a string as JSON writes it: %j', (s) => {
    const exact = Buffer.byteLength(JSON.stringify({ s: { S: s } }));
    expect(itemWireBytes({ s })).toBeGreaterThanOrEqual(exact);
    expect(itemWireBytes({ s })).toBeLessThanOrEqual(exact + 2);
  });
});

describe('prepareWrite', () => {
  it('checks items and keys, naming the line', () => {
    expect(() => prepareWrite({ put: { id: 'x' }, line: 7 }, HASH, 1)).toThrow(
      /line 7: key attribute "id" must be of type N/,
    );
    expect(() => prepareWrite({ put: { id: n(1), big: 'x'.repeat(410 * 1024) }, line: 3 }, HASH, 1)).toThrow(
      /line 3: the item is 419,847 bytes; DynamoDB allows 400 KB/,
    );
    expect(() => prepareWrite({ delete: { other: n(1) } }, HASH, 9)).toThrow(
      /request 9: the partition key attribute "id" is missing/,
    );
  });

  it('sends only the key of a delete, even when given the whole item', () => {
    const p = prepareWrite({ delete: { id: n(1), name: 'ada' } }, HASH, 1);
    expect(p.item).toEqual({ id: n(1) });
    expect(p.kind).toBe('delete');
  });
});

describe('chunkWrites', () => {
  const puts = (count: number, extra: Item = {}) =>
    prep(Array.from({ length: count }, (_, i) => ({ put: { id: n(i), ...extra }, line: i + 1 })));

  it('cuts at 25 requests', () => {
    const { chunks } = chunkWrites(puts(60));
    expect(chunks.map((c) => c.length)).toEqual([25, 25, 10]);
    expect(chunks.flat().map((p) => p.request.line)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('cuts by bytes before 25 requests, and lets a single oversized request go alone', () => {
    const items = puts(10, { pad: 'x'.repeat(1000) });
    const size = items[0]!.bytes;
    const { chunks } = chunkWrites(items, { maxBytes: 1024 + 3 * (size + 1) });
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    const tiny = chunkWrites(items, { maxBytes: 10 });
    expect(tiny.chunks.map((c) => c.length)).toEqual(Array(10).fill(1));
  });

  it('honours a smaller maxRequests, never a larger one', () => {
    expect(chunkWrites(puts(10), { maxRequests: 4 }).chunks.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(chunkWrites(puts(30), { maxRequests: 100 }).chunks.map((c) => c.length)).toEqual([25, 5]);
  });

  it('resolves duplicate keys in a chunk: the later request wins, the earlier is reported', () => {
    const reqs = prep([
      { put: { id: n(1), v: 'first' }, line: 1 },
      { put: { id: n(2), v: 'x' }, line: 2 },
      { put: { id: n('1.0'), v: 'second' }, line: 3 },
      { delete: { id: n(2) }, line: 4 },
      { put: { id: n(1), v: 'third' }, line: 5 },
    ]);
    const { chunks, superseded } = chunkWrites(reqs);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.map((p) => p.request.line)).toEqual([4, 5]);
    expect(superseded.map((s) => [s.earlier.request.line, s.later.request.line])).toEqual([
      [1, 3],
      [2, 4],
      [3, 5],
    ]);
  });

  it('keeps a duplicate in the next chunk when the first one is already closed', () => {
    const reqs = prep(Array.from({ length: 26 }, (_, i) => ({ put: { id: n(i % 25) }, line: i + 1 })));
    const { chunks, superseded } = chunkWrites(reqs);
    expect(chunks.map((c) => c.length)).toEqual([25, 1]);
    expect(superseded).toEqual([]);
  });

  it('builds the BatchWriteItem input with native values', () => {
    const input = batchWriteInput('T', prep([{ put: { id: n(1), a: 'x' } }, { delete: { id: n(2) } }]));
    expect(input).toEqual({
      RequestItems: {
        T: [{ PutRequest: { Item: { id: n(1), a: 'x' } } }, { DeleteRequest: { Key: { id: n(2) } } }],
      },
    });
  });
});

describe('planBatchGet and its input', () => {
  it('drops repeated keys and cuts at 100', () => {
    const keys = Array.from({ length: 260 }, (_, i) => ({ id: n(i % 250) }));
    const plan = planBatchGet(keys, HASH);
    expect(plan.duplicateKeys).toBe(10);
    expect(plan.chunks.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(plan.unique[249]!.index).toBe(249);
  });

  it('refuses a bad key before anything is sent, naming it', () => {
    expect(() =>
      planBatchGet([{ id: n(1) }, { id: n(2), x: 'y' }], HASH, { where: (i) => `line ${i + 3}` }),
    ).toThrow(/line 4: "x" is not part of the key/);
  });

  it('adds the key attributes to a projection and remembers to strip them', () => {
    const p = batchGetProjection('name, address.city', COMPOSITE);
    expect(p.ProjectionExpression).toBe('#n0, #n1.#n2, #n3, #n4');
    expect(p.ExpressionAttributeNames).toEqual({
      '#n0': 'name',
      '#n1': 'address',
      '#n2': 'city',
      '#n3': 'pk',
      '#n4': 'sk',
    });
    expect(p.added).toEqual(['pk', 'sk']);
    const withKey = batchGetProjection(['pk', 'count'], COMPOSITE);
    expect(withKey.ProjectionExpression).toBe('#n0, #n1, #n2');
    expect(withKey.added).toEqual(['sk']);
    expect(
      batchGetInput('T', [{ pk: 'a', sk: new Uint8Array([1]) }], {
        consistentRead: true,
        projection: withKey,
      }),
    ).toEqual({
      RequestItems: {
        T: {
          Keys: [{ pk: 'a', sk: new Uint8Array([1]) }],
          ConsistentRead: true,
          ProjectionExpression: '#n0, #n1, #n2',
          ExpressionAttributeNames: { '#n0': 'pk', '#n1': 'count', '#n2': 'sk' },
        },
      },
    });
  });
});
