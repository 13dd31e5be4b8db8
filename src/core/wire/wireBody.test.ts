// The bulk client's calls skip the SDK's per-call work that gives the same result every time (its
// endpoint, its serialized request) or that a successful answer does not need (the schema walk of
// its JSON), and must still send and read exactly what the SDK's own client does. Each test sends
// the same calls through a bulk client and through a plain DynamoDBClient on the same recording
// request handler and compares what the handler saw and what came back.
import { createHash } from 'node:crypto';
import { BatchWriteItemCommand, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { nativeBatchWriteOutput } from './batchWriteText.js';
import { createBulkClient, sendBatchWriteBody } from './wireBody.js';

interface Canned {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A request handler that records each request and answers `answer(i)` to the i-th. */
function recording(answer: (i: number) => Canned) {
  const seen: HttpRequest[] = [];
  return {
    seen,
    handler: {
      handle: async (request: HttpRequest) => {
        const a = answer(seen.length);
        seen.push(request);
        return {
          response: new HttpResponse({
            statusCode: a.status,
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amzn-requestid': `req-${seen.length}`,
              ...a.headers,
            },
            body: Buffer.from(a.body, 'utf8'),
          }),
        };
      },
    },
  };
}

const config = (handler: object): DynamoDBClientConfig => ({
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
  requestHandler: handler as never,
});

/** Counts the calls of a client's endpoint provider and of its protocol's serializer and deserializer. */
function counting(client: DynamoDBClient) {
  const c = client.config as unknown as {
    endpointProvider: (...a: unknown[]) => unknown;
    protocol: {
      serializeRequest: (...a: unknown[]) => unknown;
      deserializeResponse: (...a: unknown[]) => unknown;
    };
  };
  const counts = { endpoint: 0, serialize: 0, deserialize: 0 };
  const endpointProvider = c.endpointProvider;
  c.endpointProvider = (...a) => {
    counts.endpoint++;
    return endpointProvider(...a);
  };
  const { protocol } = c;
  const serializeRequest = protocol.serializeRequest.bind(protocol);
  const deserializeResponse = protocol.deserializeResponse.bind(protocol);
  protocol.serializeRequest = (...a) => {
    counts.serialize++;
    return serializeRequest(...a);
  };
  protocol.deserializeResponse = (...a) => {
    counts.deserialize++;
    return deserializeResponse(...a);
  };
  return counts;
}

/** `v` with every Buffer in it as a plain Uint8Array of the same bytes. */
const plainBytes = (v: unknown): unknown => {
  if (Buffer.isBuffer(v)) return new Uint8Array(v);
  if (v instanceof Set) return new Set([...v].map(plainBytes));
  if (Array.isArray(v)) return v.map(plainBytes);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plainBytes(x)]));
  return v;
};

/** The plain client's call that bodyOf('a') is the body of. */
const plainCall = () =>
  new BatchWriteItemCommand({ RequestItems: { T: [{ PutRequest: { Item: { pk: { S: 'a' } } } }] } });

const bodyOf = (pk: string) => `{"RequestItems":{"T":[{"PutRequest":{"Item":{"pk":{"S":"${pk}"}}}}]}}`;

/** What a request's headers say, without what changes from call to call (time, ids, signature). */
const stable = (r: HttpRequest) => {
  const h = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const k of [
    'x-amz-content-sha256',
    'x-amz-date',
    'authorization',
    'amz-sdk-invocation-id',
    'amz-sdk-request',
    'user-agent',
    'x-amz-user-agent',
  ])
    delete h[k];
  return {
    method: r.method,
    protocol: r.protocol,
    hostname: r.hostname,
    port: r.port,
    path: r.path,
    query: r.query,
    headers: h,
  };
};

const UNPROCESSED = JSON.stringify({
  UnprocessedItems: {
    T: [
      {
        PutRequest: {
          Item: {
            pk: { S: 'a' },
            b: { B: 'AAEC/w==' },
            n: { N: '12345678901234567890123456789012345678' },
            bs: { BS: ['AA==', '//4='] },
            m: { M: { l: { L: [{ NULL: true }, { NS: ['1', '-0.5'] }] } } },
          },
        },
      },
      { DeleteRequest: { Key: { pk: { S: 'b' } } } },
    ],
  },
  ConsumedCapacity: [{ TableName: 'T', CapacityUnits: 3 }],
});

describe('the bulk client: what the SDK would send and read, its per-call work done once', () => {
  for (const inProcess of [false, true]) {
    it(`${inProcess ? 'in-process' : 'to an endpoint'}: the endpoint resolved and the request serialized once, each call its own request and body`, async () => {
      const bulkSide = recording(() => ({ status: 200, body: '{"UnprocessedItems":{}}' }));
      const plainSide = recording(() => ({ status: 200, body: '{"UnprocessedItems":{}}' }));
      const bulk = createBulkClient(config(bulkSide.handler), { inProcess });
      const plain = new DynamoDBClient(config(plainSide.handler));
      const counts = counting(bulk);
      const bodies = ['a', 'b', 'ü', 'd'].map(bodyOf);
      await Promise.all(bodies.slice(0, 2).map((b) => sendBatchWriteBody(bulk, b)));
      for (const b of bodies.slice(2)) await sendBatchWriteBody(bulk, b);
      await plain.send(plainCall());
      expect(counts.endpoint).toBeLessThanOrEqual(2); // the two first calls, in flight at once
      expect(counts.serialize).toBeLessThanOrEqual(2);
      expect(new Set(bulkSide.seen).size).toBe(4);
      expect(bulkSide.seen.map((r) => Buffer.from(r.body as string | Uint8Array).toString('utf8'))).toEqual(
        bodies,
      );
      const want = stable(plainSide.seen[0] as HttpRequest);
      for (const [i, r] of bulkSide.seen.entries()) {
        const got = stable(r);
        expect(got.headers['content-length']).toBe(String(Buffer.byteLength(bodies[i] as string)));
        expect({ ...got, headers: { ...got.headers, 'content-length': '' } }).toEqual({
          ...want,
          headers: { ...want.headers, 'content-length': '' },
        });
        if (!inProcess) {
          expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
          expect(r.headers['x-amz-content-sha256']).toBe(
            createHash('sha256')
              .update(bodies[i] as string)
              .digest('hex'),
          );
        }
      }
      // Signed one by one: the signature covers each call's own body.
      if (!inProcess) expect(new Set(bulkSide.seen.map((r) => r.headers.authorization)).size).toBe(4);
      bulk.destroy();
      plain.destroy();
    });
  }

  it("reads a successful answer as the SDK does (UnprocessedItems, capacity, request id) without the SDK's deserializer", async () => {
    const bulkSide = recording(() => ({ status: 200, body: UNPROCESSED }));
    const plainSide = recording(() => ({ status: 200, body: UNPROCESSED }));
    const bulk = createBulkClient(config(bulkSide.handler), { inProcess: true });
    const plain = new DynamoDBClient(config(plainSide.handler));
    const counts = counting(bulk);
    const got = nativeBatchWriteOutput(await sendBatchWriteBody(bulk, bodyOf('a')));
    const want = nativeBatchWriteOutput(await plain.send(plainCall()));
    expect(counts.deserialize).toBe(0);
    // Binary comes back as node Buffers (fromRawItem, as export's pages give it), the SDK's as plain
    // Uint8Arrays: the same bytes.
    expect(plainBytes(got.UnprocessedItems)).toEqual(want.UnprocessedItems);
    expect(got.ConsumedCapacity).toEqual(want.ConsumedCapacity);
    expect(got.$metadata.requestId).toBe('req-1');
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect({ ...got.$metadata, attempts: undefined, totalRetryDelay: undefined }).toEqual({
      ...want.$metadata,
      attempts: undefined,
      totalRetryDelay: undefined,
    });
    bulk.destroy();
    plain.destroy();
  });

  it("hands back the UnprocessedItems of a table named __proto__ (the SDK's deserializer hid them: they were counted as written)", async () => {
    const body = JSON.stringify({
      UnprocessedItems: { ['__proto__']: [{ PutRequest: { Item: { pk: { S: 'a' }, b: { B: 'AQI=' } } } }] },
    });
    // A computed __proto__ key is an own key, which JSON.stringify writes.
    expect(body.startsWith('{"UnprocessedItems":{"__proto__":[')).toBe(true);
    const bulk = createBulkClient(config(recording(() => ({ status: 200, body })).handler), {
      inProcess: false,
    });
    const out = nativeBatchWriteOutput(await sendBatchWriteBody(bulk, bodyOf('a')));
    expect(Object.keys(out.UnprocessedItems ?? {})).toEqual(['__proto__']);
    expect(plainBytes(Object.getOwnPropertyDescriptor(out.UnprocessedItems, '__proto__')?.value)).toEqual([
      { PutRequest: { Item: { pk: 'a', b: new Uint8Array([1, 2]) } } },
    ]);
    bulk.destroy();
  });

  for (const body of ['null', '"abc"', '[1,2]', '42']) {
    it(`a successful answer whose JSON is not an object (${body}) goes to the SDK's deserializer, as before`, async () => {
      const answer = () => ({ status: 200, body });
      const bulk = createBulkClient(config(recording(answer).handler), { inProcess: false });
      const plain = new DynamoDBClient(config(recording(answer).handler));
      const counts = counting(bulk);
      const outcome = (p: Promise<{ UnprocessedItems?: unknown }>) =>
        p.then(
          (out) => ({ ok: out.UnprocessedItems ?? null }),
          (e: Error) => ({ error: [e.name, e.message] }),
        );
      const got = await outcome(sendBatchWriteBody(bulk, bodyOf('a')));
      const want = await outcome(plain.send(plainCall()));
      expect(counts.deserialize).toBe(1);
      expect(got).toEqual(want);
      bulk.destroy();
      plain.destroy();
    });
  }

  const answers: [string, Canned][] = [
    [
      'an error answer (400)',
      {
        status: 400,
        body: '{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"The answer was an error"}',
      },
    ],
    [
      'an error answer (500)',
      {
        status: 500,
        body: '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The answer was an error"}',
      },
    ],
    [
      "a successful answer that is not JSON (a proxy's page)",
      { status: 200, body: '<html>Bad gateway</html>' },
    ],
  ];
  for (const [what, canned] of answers) {
    it(`${what} goes through the SDK's deserializer: the same error, type, message and metadata`, async () => {
      const answer = () => canned;
      const bulk = createBulkClient(config(recording(answer).handler), { inProcess: false });
      const plain = new DynamoDBClient(config(recording(answer).handler));
      const counts = counting(bulk);
      const got = await sendBatchWriteBody(bulk, bodyOf('a')).then(
        () => undefined,
        (e: unknown) => e as Error & { $metadata: object; $fault: string },
      );
      const want = await plain.send(plainCall()).then(
        () => undefined,
        (e: unknown) => e as Error & { $metadata: object; $fault: string },
      );
      expect(counts.deserialize).toBe(1);
      expect(got).toBeDefined();
      expect(want).toBeDefined();
      // The bulk client makes one attempt and has no retry middleware to count it (attempts).
      const meta = (e: typeof got) => ({ ...e?.$metadata, attempts: undefined, totalRetryDelay: undefined });
      expect([got?.name, got?.message, got?.$fault, meta(got)]).toEqual([
        want?.name,
        want?.message,
        want?.$fault,
        meta(want),
      ]);
      bulk.destroy();
      plain.destroy();
    });
  }
});
