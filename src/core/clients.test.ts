import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  ExecuteStatementCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { batchWrite } from './batch/batchWrite.js';
import { SILENT_ATTEMPTS } from './batch/writeChunk.js';
import { type ClientConfig, createClients, LOCAL_CREDENTIALS } from './clients.js';
import { timeoutOf, toDdbError, UnansweredError } from './sdkErrors.js';
import { BULK_SOCKETS, bulkSockets, sendBatchWriteBody, socketsFor } from './wire/wireBody.js';

/** A request handler that keeps the requests it is given and answers an empty table list. */
function recorder() {
  const seen: HttpRequest[] = [];
  const options: ({ abortSignal?: unknown } | undefined)[] = [];
  return {
    seen,
    options,
    handler: {
      async handle(request: HttpRequest, opts?: { abortSignal?: unknown }) {
        seen.push(request);
        options.push(opts);
        const body = new TextEncoder().encode('{"TableNames":[],"UnprocessedItems":{}}');
        return {
          response: new HttpResponse({
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body,
          }),
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    },
  };
}

const base = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  label: 'test',
};

/** The error of one ListTables call (one attempt) to `endpoint`, as a command reports it. */
async function listTablesError(endpoint: string, more: Partial<ClientConfig> = {}) {
  const clients = createClients({ ...base, endpoint, maxAttempts: 1, ...more });
  try {
    const e = await clients.ddb.send(new ListTablesCommand({})).catch((x: unknown) => x);
    return toDdbError(e, { operation: 'ListTables', target: endpoint });
  } finally {
    clients.destroy();
  }
}

/**
 * A server on 127.0.0.1 that holds every request it is given (never answers), and createClients
 * pointed at it; `requests()` counts the requests held; `close()` ends clients and server.
 */
async function holdingEndpoint(more: Partial<ClientConfig> = {}) {
  let held = 0;
  const server = createServer(() => {
    held++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const clients = createClients({ ...base, endpoint: url, ...more });
  return {
    url,
    clients,
    requests: () => held,
    /** Wait until `n` requests are held (or 5 s), then a little more for any beyond. */
    async until(n: number) {
      for (let i = 0; i < 100 && held < n; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 100));
    },
    close() {
      clients.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('createClients: streams', () => {
  it('the DynamoDB Streams client goes to the same door and endpoint, signed or not as the others', async () => {
    const signed = recorder();
    const a = createClients({ ...base, requestHandler: signed.handler });
    await (await a.streams?.())?.send(new ListStreamsCommand({}));
    a.destroy();
    expect(signed.seen[0]?.hostname).toBe('127.0.0.1');
    expect(signed.seen[0]?.port).toBe(9);
    expect(signed.seen[0]?.headers['x-amz-target']).toBe('DynamoDBStreams_20120810.ListStreams');
    expect(signed.seen[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 .*\/us-east-1\/dynamodb\/aws4_request/,
    );
    const plain = recorder();
    const b = createClients({ ...base, requestHandler: plain.handler, inProcess: true });
    await (await b.streams?.())?.send(new ListStreamsCommand({}));
    b.destroy();
    expect(plain.seen[0]?.headers.authorization).toBeUndefined();
  });
});

describe('createClients: inProcess', () => {
  it('signs through a request handler by default, and not in-process (every client)', async () => {
    const signed = recorder();
    const a = createClients({ ...base, requestHandler: signed.handler });
    await a.ddb.send(new ListTablesCommand({}));
    a.destroy();
    expect(signed.seen[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);

    const plain = recorder();
    const b = createClients({ ...base, requestHandler: plain.handler, inProcess: true });
    await b.ddb.send(new ListTablesCommand({}));
    await b.doc.send(new ListTablesCommand({}));
    await b.bulk?.send(new ListTablesCommand({}));
    b.destroy();
    expect(plain.seen).toHaveLength(3);
    for (const r of plain.seen) {
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['x-amz-target']).toBe('DynamoDB_20120810.ListTables');
    }
  });

  it('still signs an endpoint reached over HTTP, whatever inProcess says', async () => {
    const c = createClients({ ...base, inProcess: true });
    expect(c.ddb.config.httpAuthSchemes.map((s) => s.signer.constructor.name)).toEqual(['AwsSdkSigV4Signer']);
    c.destroy();
  });

  it('hands bulk writes no abort signal in-process, and an endpoint the call’s own signal, each on the cached stack', async () => {
    const body = '{"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]}}';
    const signal = new AbortController().signal;
    const inProc = recorder();
    const a = createClients({ ...base, requestHandler: inProc.handler, inProcess: true });
    await sendBatchWriteBody(a.bulk!, body, signal);
    await sendBatchWriteBody(a.bulk!, body, signal);
    a.destroy();
    expect(inProc.options.map((o) => o?.abortSignal)).toEqual([undefined, undefined]);
    // In-process, the request text itself (no bytes for the engine to decode again).
    expect(inProc.seen[0]?.body).toBe(body);

    const other = recorder();
    const b = createClients({ ...base, requestHandler: other.handler });
    const second = new AbortController().signal;
    const resolve = vi.spyOn(BatchWriteItemCommand.prototype, 'resolveMiddleware');
    try {
      await sendBatchWriteBody(b.bulk!, body, signal);
      await sendBatchWriteBody(b.bulk!, body, second);
      await sendBatchWriteBody(b.bulk!, body);
      expect(resolve).toHaveBeenCalledTimes(1);
    } finally {
      resolve.mockRestore();
      b.destroy();
    }
    expect(other.options.map((o) => o?.abortSignal)).toEqual([signal, second, undefined]);
    expect(new TextDecoder().decode(other.seen[2]?.body as Uint8Array)).toBe(body);
  });

  /**
   * `n` calls made at once to an endpoint that holds every request: how many reached it together
   * (waiting until `expected` did, or 5 s); then each ends as aborted, none otherwise.
   */
  async function heldAtOnce(
    n: number,
    expected: number,
    send: (at: Awaited<ReturnType<typeof holdingEndpoint>>, signal: AbortSignal) => Promise<unknown>,
  ): Promise<number> {
    const at = await holdingEndpoint();
    const stop = new AbortController();
    const calls = Array.from({ length: n }, () => send(at, stop.signal).catch((e: Error) => e.name));
    try {
      await at.until(expected);
      return at.requests();
    } finally {
      stop.abort();
      expect(new Set(await Promise.all(calls))).toEqual(new Set(['AbortError']));
      at.close();
    }
  }

  it('bulk writes to an endpoint go out on up to BULK_SOCKETS connections at once (the SDK alone: 50)', async () => {
    const body = '{"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]}}';
    const held = await heldAtOnce(bulkSockets() + 10, bulkSockets(), (at, signal) =>
      sendBatchWriteBody(at.clients.bulk!, body, signal),
    );
    expect(held).toBe(bulkSockets());
  }, 15_000);

  it("the other clients have as many sockets: an export's 64 Scan calls in flight do not wait for the SDK's 50", async () => {
    const held = await heldAtOnce(64, 64, (at, abortSignal) =>
      at.clients.ddb.send(new ScanCommand({ TableName: 't' }), { abortSignal }),
    );
    expect(held).toBe(Math.min(64, bulkSockets()));
  }, 15_000);

  it('an endpoint that takes the request and never answers fails it after the request timeout, as a network error', async () => {
    const at = await holdingEndpoint();
    try {
      expect(await listTablesError(at.url, { requestTimeoutMs: 300 })).toMatchObject({
        code: 'endpoint.unreachable',
        // It was reached: the words say it did not answer, not that it cannot be reached.
        message: `ListTables: the endpoint at ${at.url} took the request but did not answer within 0.3 s (ETIMEDOUT); check that it is not stopped, paused or overloaded`,
      });
      // The SDK's retries: the wait was that many timeouts, and the line says so.
      expect(await listTablesError(at.url, { requestTimeoutMs: 200, maxAttempts: 3 })).toMatchObject({
        code: 'endpoint.unreachable',
        message: `ListTables: the endpoint at ${at.url} took the request but did not answer within 0.2 s on any of 3 attempts (ETIMEDOUT); check that it is not stopped, paused or overloaded`,
      });
    } finally {
      at.close();
    }
  }, 15_000);

  it('each retry after a silent attempt is told (onRetry), one line, when the next attempt starts; none after the last', async () => {
    const lines: string[] = [];
    const at = await holdingEndpoint();
    try {
      const e = await listTablesError(at.url, {
        requestTimeoutMs: 200,
        maxAttempts: 3,
        label: at.url,
        onRetry: (l) => lines.push(l),
      });
      expect(e.message).toContain('on any of 3 attempts');
      expect(lines).toEqual([
        `ListTables: no answer from ${at.url} within 0.2 s; trying again (attempt 2 of 3)`,
        `ListTables: no answer from ${at.url} within 0.2 s; trying again (attempt 3 of 3)`,
      ]);
      expect(at.requests()).toBe(3);
      // Clients that try twice, telling `lines`.
      const twice = () =>
        createClients({
          ...base,
          endpoint: at.url,
          label: at.url,
          requestTimeoutMs: 200,
          maxAttempts: 2,
          onRetry: (l) => lines.push(l),
        });
      // Calls in flight together time out together: one line a wave, not one a call.
      lines.length = 0;
      const together = twice();
      try {
        const calls = [1, 2, 3, 4].map(() =>
          together.ddb.send(new ListTablesCommand({})).catch((x: Error) => x.name),
        );
        expect(await Promise.all(calls)).toEqual([
          'TimeoutError',
          'TimeoutError',
          'TimeoutError',
          'TimeoutError',
        ]);
      } finally {
        together.destroy();
      }
      expect(lines).toEqual([
        `ListTables: no answer from ${at.url} within 0.2 s; trying again (attempt 2 of 2)`,
      ]);
      // The DynamoDB Streams client (tail) tells its retries too.
      lines.length = 0;
      const streams = twice();
      try {
        const client = await streams.streams?.();
        expect(await client?.send(new ListStreamsCommand({})).catch((x: Error) => x.name)).toBe(
          'TimeoutError',
        );
      } finally {
        streams.destroy();
      }
      expect(lines).toEqual([
        `ListStreams: no answer from ${at.url} within 0.2 s; trying again (attempt 2 of 2)`,
      ]);
      // A refused connection is retried at once by the SDK: nothing to tell.
      lines.length = 0;
      const port = new URL(at.url).port;
      at.close();
      await listTablesError(`http://127.0.0.1:${port}`, { maxAttempts: 3, onRetry: (l) => lines.push(l) });
      expect(lines).toEqual([]);
    } finally {
      at.close();
    }
  }, 15_000);

  it('a change the endpoint took and left unanswered is not sent again, and is said to be perhaps carried out; a read is retried', async () => {
    const at = await holdingEndpoint({ requestTimeoutMs: 200, maxAttempts: 3, label: 'x' });
    try {
      const put = await at.clients.ddb
        .send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: 'a' } } }))
        .catch((x: unknown) => x);
      expect(put).toBeInstanceOf(UnansweredError);
      expect(at.requests()).toBe(1);
      expect(toDdbError(put, { operation: 'PutItem', target: at.url })).toMatchObject({
        code: 'endpoint.unreachable',
        message: `PutItem: the endpoint at ${at.url} took the request but did not answer within 0.2 s (ETIMEDOUT): it may or may not have been carried out; check the table before running the command again, and that the endpoint is not stopped, paused or overloaded`,
        details: { silent: true, unanswered: true },
      });
      // A PartiQL write too; a SELECT is a read, tried 3 times.
      const statement = (Statement: string) =>
        at.clients.ddb.send(new ExecuteStatementCommand({ Statement })).catch((x: unknown) => x);
      expect(await statement(`UPDATE "tbl" SET n = n + 1 WHERE id = 'a'`)).toBeInstanceOf(UnansweredError);
      expect(at.requests()).toBe(2);
      const select = await statement(`  select * from "tbl"`);
      expect((select as Error).name).toBe('TimeoutError');
      expect(at.requests()).toBe(5);
      expect(toDdbError(select, { operation: 'ExecuteStatement', target: at.url }).details).toEqual({
        silent: true,
      });
    } finally {
      at.close();
    }
  }, 15_000);

  it('a TransactWriteItems left unanswered is sent again with the same token; its outcome is said unknown when the retries do not tell', async () => {
    // Answers in turn: undefined holds the request (no answer), a number answers with that status.
    const scripted = async (answers: ({ status: number; body: string } | undefined)[]) => {
      const bodies: string[] = [];
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => {
          body += c;
        });
        req.on('end', () => {
          const a = answers[bodies.length];
          bodies.push(body);
          if (!a) return;
          res.writeHead(a.status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(a.body);
        });
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const clients = createClients({
        ...base,
        endpoint: url,
        requestTimeoutMs: 200,
        maxAttempts: 3,
        label: 'x',
      });
      const send = () =>
        clients.ddb
          .send(
            new TransactWriteItemsCommand({
              TransactItems: [{ Put: { TableName: 'tbl', Item: { id: { S: 'a' } } } }],
            }),
          )
          .catch((x: unknown) => x);
      const close = () => {
        clients.destroy();
        server.closeAllConnections();
        server.close();
      };
      return { url, send, close, tokens: () => bodies.map((b) => JSON.parse(b).ClientRequestToken) };
    };
    const ok = { status: 200, body: '{}' };
    const inProgress = {
      status: 400,
      body: JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionInProgressException',
        message: 'x',
      }),
    };
    // Silent, then answered: a success (DynamoDB answers a token it carried out as a success).
    const a = await scripted([undefined, ok]);
    // Reading the token from the SDK's body does not make it warn (its valueOf does).
    const warn = vi.spyOn(console, 'warn');
    try {
      expect(await a.send()).toMatchObject({ $metadata: { httpStatusCode: 200, attempts: 2 } });
      const tokens = a.tokens();
      expect(tokens).toHaveLength(2);
      expect(tokens[0]).toMatch(/^[\w-]{36}$/);
      expect(tokens[1]).toBe(tokens[0]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      a.close();
    }
    // Silent, then "still in progress" (which the SDK retries as throttling): unknown, said as such.
    const b = await scripted([undefined, inProgress, inProgress]);
    try {
      const e = await b.send();
      expect(e).toBeInstanceOf(UnansweredError);
      expect(toDdbError(e, { operation: 'TransactWriteItems', target: b.url })).toMatchObject({
        code: 'endpoint.unreachable',
        message: `TransactWriteItems: the endpoint at ${b.url} took the request but did not answer within 0.2 s (ETIMEDOUT), then answered that it is still carrying it out: it may or may not have been carried out; check the table before running the command again, and that the endpoint is not stopped, paused or overloaded`,
        details: { silent: true, unanswered: true },
      });
    } finally {
      b.close();
    }
    // Silent every time: three attempts, then unknown.
    const c = await scripted([]);
    try {
      const e = await c.send();
      expect(e).toBeInstanceOf(UnansweredError);
      expect(new Set(c.tokens()).size).toBe(1);
      expect(c.tokens()).toHaveLength(3);
      const err = toDdbError(e, { operation: 'TransactWriteItems', target: c.url });
      expect(err.message).toMatch(
        /did not answer within 0\.2 s on any of 3 attempts \(ETIMEDOUT\): it may or may not/,
      );
      // The token it went with (the SDK's own here): what makes sending it again safe.
      expect(err.details?.token).toBe(c.tokens()[0]);
    } finally {
      c.close();
    }
    // Silent, answered "in progress", silent again: not "on any of 3 attempts".
    const m = await scripted([undefined, inProgress]);
    try {
      expect(toDdbError(await m.send(), { operation: 'TransactWriteItems', target: m.url }).message).toBe(
        `TransactWriteItems: the endpoint at ${m.url} took the request but did not answer within 0.2 s (ETIMEDOUT), then did not answer again within 0.2 s (ETIMEDOUT): it may or may not have been carried out; check the table before running the command again, and that the endpoint is not stopped, paused or overloaded`,
      );
    } finally {
      m.close();
    }
    // Silent, then a cancellation: an answer (nothing was written), passed on as it came.
    const cancelled = {
      status: 400,
      body: JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: 'Transaction cancelled',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    };
    const d = await scripted([undefined, cancelled]);
    try {
      expect((await d.send()) as Error).toMatchObject({ name: 'TransactionCanceledException' });
    } finally {
      d.close();
    }
  }, 20_000);

  it('a change whose connection is dropped after the endpoint took it is not sent again either (it may have been carried out); a read is, and a transaction with its token', async () => {
    let seen: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push(`${req.headers['x-amz-target']} ${JSON.parse(body).ClientRequestToken ?? ''}`.trim());
        // The request is read (an engine may have carried it out); the connection goes, no answer.
        res.socket?.destroy();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clients = createClients({ ...base, endpoint: url, maxAttempts: 3, label: 'x' });
    try {
      const put = await clients.ddb
        .send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: 'a' } } }))
        .catch((x: unknown) => x);
      expect(put).toBeInstanceOf(UnansweredError);
      expect(seen).toEqual(['DynamoDB_20120810.PutItem']);
      expect(toDdbError(put, { operation: 'PutItem', target: url })).toMatchObject({
        code: 'endpoint.unreachable',
        message: `PutItem: the endpoint at ${url} took the request but dropped the connection before answering (ECONNRESET): it may or may not have been carried out; check the table before running the command again, and that the endpoint is not stopped, paused or overloaded`,
        details: { unanswered: true },
      });
      seen = [];
      expect(
        ((await clients.ddb.send(new ListTablesCommand({})).catch((x: unknown) => x)) as Error).message,
      ).toMatch(/socket hang up|ECONNRESET/);
      expect(seen).toHaveLength(3);
      seen = [];
      const tx = await clients.ddb
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName: 'tbl', Item: { id: { S: 'a' } } } }],
          }),
        )
        .catch((x: unknown) => x);
      expect(seen).toHaveLength(3);
      expect(new Set(seen).size).toBe(1);
      expect(toDdbError(tx, { operation: 'TransactWriteItems', target: url }).message).toBe(
        `TransactWriteItems: the endpoint at ${url} took the request but dropped the connection before answering on any of 3 attempts (ECONNRESET): it may or may not have been carried out; check the table before running the command again, and that the endpoint is not stopped, paused or overloaded`,
      );
    } finally {
      clients.destroy();
      server.closeAllConnections();
      server.close();
    }
  });

  it('a change answered with a server error (HTTP 5xx) is not sent again (it may have been carried out); a read is, and a transaction with its token', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(String(req.headers['x-amz-target']).replace('DynamoDB_20120810.', ''));
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(
          JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'boom' }),
        );
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const clients = createClients({ ...base, endpoint: url, maxAttempts: 3, label: 'x' });
    const ops = () => seen.splice(0);
    try {
      const update = await clients.ddb
        .send(new PutItemCommand({ TableName: 'tbl', Item: { id: { S: 'a' } } }))
        .catch((x: unknown) => x);
      expect(ops()).toEqual(['PutItem']);
      expect(toDdbError(update, { operation: 'PutItem', target: url })).toMatchObject({
        code: 'endpoint.unreachable',
        message: `PutItem: the endpoint at ${url} took the request but answered HTTP 500, a server error (InternalServerError: boom): it may or may not have been carried out; check the table before running the command again, and that the endpoint is not stopped, paused or overloaded`,
        details: { unanswered: true },
      });
      // A SELECT reads: tried 3 times, as a GetItem is.
      await clients.ddb
        .send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "tbl"' }))
        .catch(() => {});
      expect(ops()).toEqual(['ExecuteStatement', 'ExecuteStatement', 'ExecuteStatement']);
      const tx = await clients.ddb
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName: 'tbl', Item: { id: { S: 'a' } } } }],
          }),
        )
        .catch((x: unknown) => x);
      expect(ops()).toEqual(['TransactWriteItems', 'TransactWriteItems', 'TransactWriteItems']);
      expect(toDdbError(tx, { operation: 'TransactWriteItems', target: url }).message).toContain(
        'took the request but answered HTTP 500 on any of 3 attempts, a server error (InternalServerError: boom): it may or may not',
      );
    } finally {
      clients.destroy();
      server.closeAllConnections();
      server.close();
    }
  }, 20_000);

  it("timeoutOf tells a silent answer from a connection never made, by the SDK handler's words", () => {
    const err = (message: string) => Object.assign(new Error(message), { name: 'TimeoutError' });
    expect(
      timeoutOf(
        err(
          '@smithy/node-http-handler - the request socket timed out after 60000 ms of inactivity (configured by client requestHandler).',
        ),
      ),
    ).toEqual({ kind: 'silent', ms: 60_000 });
    expect(
      timeoutOf(
        err(
          '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.',
        ),
      ),
    ).toEqual({ kind: 'connect', ms: 3000 });
    expect(
      timeoutOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
    ).toBeUndefined();
  });

  it('bulk writes to an endpoint that takes every call and never answers stop after SILENT_ATTEMPTS silent calls a chunk, not after every retry', async () => {
    const at = await holdingEndpoint({ requestTimeoutMs: 200 });
    const items = (async function* () {
      for (let i = 0; i < 25 * 4; i++) yield [{ put: { id: `k${i}` } }];
    })();
    try {
      const r = await batchWrite(at.clients, 't', items, {
        concurrency: 2,
        maxRetries: 10,
        backoff: { baseMs: 1, capMs: 1 },
        schema: { table: 't', partitionKey: { name: 'id', type: 'S' } },
      });
      expect(r.stopped).toMatchObject({
        code: 'endpoint.unreachable',
        message: expect.stringContaining('took the request but did not answer within 0.2 s'),
      });
      // Two chunks in flight, each given up after its silent calls (the run then stops).
      expect(r.calls).toBe(2 * SILENT_ATTEMPTS);
      expect(at.requests()).toBe(2 * SILENT_ATTEMPTS);
      expect(r.written).toBe(0);
      // Every request read is accounted for: failed with the reason, none lost.
      expect(r.failed.length).toBeGreaterThanOrEqual(50);
      expect(r.failed[0]?.reason).toMatch(/^BatchWriteItem: not known to be written after 2 attempts: /);
    } finally {
      at.close();
    }
  }, 15_000);

  it("https:// to an endpoint that answers in plain HTTP: one line saying so, not OpenSSL's dump", async () => {
    const at = await holdingEndpoint();
    const url = at.url.replace('http:', 'https:');
    try {
      expect(await listTablesError(url)).toMatchObject({
        code: 'endpoint.unreachable',
        message: `ListTables: the endpoint at ${url} does not answer in TLS (EPROTO, the TLS handshake failed); if it serves plain HTTP, give an http:// URL`,
      });
    } finally {
      at.close();
    }
  }, 15_000);

  it('a fixed concurrency above the sockets is taken as their number: no call waits in the client', async () => {
    const at = await holdingEndpoint();
    const stop = new AbortController();
    const items = (async function* () {
      for (let i = 0; i < 25 * 300; i++) yield [{ put: { id: `k${i}` } }];
    })();
    const run = batchWrite(at.clients, 't', items, {
      concurrency: 1000,
      schema: { table: 't', partitionKey: { name: 'id', type: 'S' } },
      signal: stop.signal,
    });
    try {
      await at.until(bulkSockets());
      expect(at.requests()).toBe(bulkSockets());
    } finally {
      stop.abort();
      const result = await run;
      expect(result.concurrency).toMatchObject({ limit: bulkSockets(), adaptive: false });
      at.close();
    }
  }, 15_000);

  it('sockets: 128, or fewer under a low limit of open files', () => {
    const limits = (soft: string) =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                4096                 files\n`;
    expect(socketsFor(limits('1024'))).toBe(BULK_SOCKETS);
    expect(socketsFor(limits('unlimited'))).toBe(BULK_SOCKETS);
    expect(socketsFor(undefined)).toBe(BULK_SOCKETS);
    expect(socketsFor(limits('256'))).toBe(112);
    expect(socketsFor(limits('128'))).toBe(48);
    expect(socketsFor(limits('20'))).toBe(8);
  });

  it('a bulk write to an endpoint that never answers ends when its signal aborts', async () => {
    const at = await holdingEndpoint();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    try {
      const body = '{"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]}}';
      await expect(sendBatchWriteBody(at.clients.bulk!, body, stop.signal)).rejects.toMatchObject({
        name: 'AbortError',
      });
    } finally {
      at.close();
    }
  }, 10_000);
});

describe('createClients: credentials from the environment given (env), not the process’s', () => {
  let dir: string;
  let files: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ddbctl-clients-'));
    const credentials = join(dir, 'credentials');
    const config = join(dir, 'config');
    writeFileSync(
      credentials,
      '[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n',
    );
    writeFileSync(config, '');
    files = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
    // The process's own keys, which an injected environment must not fall back on.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDPROCESS');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'process-secret');
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  async function resolved(cfg: Pick<ClientConfig, 'credentials' | 'env' | 'profile'>) {
    const c = createClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', label: 't', ...cfg });
    try {
      const { accessKeyId, sessionToken } = await c.ddb.config.credentials();
      return { accessKeyId, sessionToken };
    } finally {
      c.destroy();
    }
  }

  it('local: the keys env gives, else its profile in its shared files, else placeholders', async () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 'tok' };
    expect(await resolved({ credentials: 'local', env: { ...files, ...keys } })).toEqual({
      accessKeyId: 'AKIDENV',
      sessionToken: 'tok',
    });
    expect(await resolved({ credentials: 'local', env: { ...files, AWS_PROFILE: 'p' } })).toMatchObject({
      accessKeyId: 'AKIDPROFILE',
    });
    expect(await resolved({ credentials: 'local', env: files, profile: 'p' })).toMatchObject({
      accessKeyId: 'AKIDPROFILE',
    });
    expect(await resolved({ credentials: 'local', env: files })).toMatchObject({
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
    });
  });

  it('local: a named profile that is a source of its own is used alone (its failure is the error); one without credentials, or the default, falls back', async () => {
    writeFileSync(
      files.AWS_CONFIG_FILE as string,
      '[profile badproc]\ncredential_process = /bin/false\n[profile regiononly]\nregion = eu-west-1\n[default]\ncredential_process = /bin/false\n',
    );
    const failed = /^no AWS credentials from profile badproc \(credential_process\)/;
    await expect(resolved({ credentials: 'local', env: files, profile: 'badproc' })).rejects.toThrow(failed);
    await expect(
      resolved({ credentials: 'local', env: { ...files, AWS_PROFILE: 'badproc' } }),
    ).rejects.toThrow(failed);
    // The environment's keys win over AWS_PROFILE (not over --profile), as for AWS.
    const keys = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's' };
    expect(
      await resolved({ credentials: 'local', env: { ...files, ...keys, AWS_PROFILE: 'badproc' } }),
    ).toMatchObject({ accessKeyId: 'AKIDENV' });
    await expect(
      resolved({ credentials: 'local', env: { ...files, ...keys }, profile: 'badproc' }),
    ).rejects.toThrow(failed);
    // No credentials in the named profile, or the default profile failing: placeholders, as before.
    expect(await resolved({ credentials: 'local', env: files, profile: 'regiononly' })).toMatchObject({
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
    });
    expect(await resolved({ credentials: 'local', env: files })).toMatchObject({
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
    });
  });

  it('chain: the keys env gives, also over AWS_PROFILE (as the AWS CLI); --profile wins over them, read from its shared files', async () => {
    const keys = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 's' };
    expect(await resolved({ credentials: 'chain', env: { ...files, ...keys } })).toMatchObject({
      accessKeyId: 'AKIDENV',
    });
    expect(
      await resolved({ credentials: 'chain', env: { ...files, ...keys, AWS_PROFILE: 'p' } }),
    ).toMatchObject({ accessKeyId: 'AKIDENV' });
    expect(await resolved({ credentials: 'chain', env: { ...files, AWS_PROFILE: 'p' } })).toMatchObject({
      accessKeyId: 'AKIDPROFILE',
    });
    expect(await resolved({ credentials: 'chain', env: { ...files, ...keys }, profile: 'p' })).toMatchObject({
      accessKeyId: 'AKIDPROFILE',
    });
    expect(await resolved({ credentials: 'chain', env: files, profile: 'p' })).toMatchObject({
      accessKeyId: 'AKIDPROFILE',
    });
    // Nothing in env: the chain finds nothing (the process's keys are not its), and says so.
    await expect(
      resolved({ credentials: 'chain', env: { ...files, AWS_EC2_METADATA_DISABLED: 'true' } }),
    ).rejects.toThrow(/^no AWS credentials found in the environment, the shared files or the instance role/);
  });

  it('without env, as before: the SDK reads the process’s environment (local and chain)', async () => {
    expect(await resolved({ credentials: 'local' })).toMatchObject({ accessKeyId: 'AKIDPROCESS' });
    expect(await resolved({ credentials: 'chain' })).toMatchObject({ accessKeyId: 'AKIDPROCESS' });
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', files.AWS_SHARED_CREDENTIALS_FILE);
    vi.stubEnv('AWS_CONFIG_FILE', files.AWS_CONFIG_FILE);
    expect(await resolved({ credentials: 'chain', profile: 'p' })).toMatchObject({
      accessKeyId: 'AKIDPROFILE',
    });
  });
});

describe('createClients: kept-alive sockets', () => {
  it("are reused soon after, and closed a second before the endpoint's keep-alive time (a change sent on a socket the endpoint is closing would be 'perhaps carried out')", async () => {
    let connections = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{"TableNames":[]}');
      });
    });
    // Node's server says "Keep-Alive: timeout=2" and closes an idle socket after 2 s.
    server.keepAliveTimeout = 2000;
    server.on('connection', () => {
      connections++;
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const clients = createClients({
      ...base,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      await clients.ddb.send(new ListTablesCommand({}));
      await wait(200);
      await clients.ddb.send(new ListTablesCommand({}));
      expect(connections).toBe(1);
      // Past a second before the endpoint's 2 s: a new socket, not one it may be closing.
      await wait(1500);
      await clients.ddb.send(new ListTablesCommand({}));
      expect(connections).toBe(2);
    } finally {
      clients.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
