import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { createClients } from '../clients.js';
import { DdbError } from '../errors.js';
import { detectCaps } from './caps.js';

it("a stop (Ctrl-C) during the engine probes ends the detection with the stop, not with a guess of the engine's features", async () => {
  // An endpoint that takes every request and answers none: the probes are in flight at the stop.
  let held = 0;
  const server = createServer(() => {
    held++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const stop = new AbortController();
  const clients = createClients({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    label: 'test',
    stop: stop.signal,
  });
  try {
    const caps = detectCaps(clients).catch((e: unknown) => e);
    for (let i = 0; i < 100 && held < 5; i++) await new Promise((r) => setTimeout(r, 20));
    stop.abort(new DdbError('operation.aborted', { message: 'interrupted (SIGINT)' }));
    const e = await caps;
    expect(e).toBeInstanceOf(DdbError);
    expect(e).toMatchObject({
      code: 'operation.aborted',
      message: expect.stringMatching(/interrupted \(SIGINT\) before test answered$/),
    });
  } finally {
    clients.destroy();
    server.closeAllConnections();
    server.close();
  }
});

it('a write probe (on a table that does not exist) changes nothing: retried as a read when its connection drops, never said to be perhaps carried out', async () => {
  const updates: string[] = [];
  const server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target']);
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (target.includes('.Update')) {
        // Each probe by its request: a probe sent again is the same request.
        updates.push(`${target.replace('DynamoDB_20120810.', '')} ${body}`);
        res.socket?.destroy();
        return;
      }
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
          message: 'Requested resource not found',
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = createClients({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    label: url,
    maxAttempts: 3,
  });
  try {
    const e = await detectCaps(clients).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'endpoint.unreachable' });
    expect((e as Error).message).not.toContain('may or may not');
    // Sent again, as reads are (a change would go once): the probe that failed went 3 times (the
    // others run beside it and may not have been tried again yet when it ended the detection).
    const tries = new Map<string, number>();
    for (const u of updates) tries.set(u, (tries.get(u) ?? 0) + 1);
    expect(Math.max(...tries.values())).toBe(3);
    expect(clients.unanswered?.()).toEqual([]);
  } finally {
    clients.destroy();
    server.closeAllConnections();
    server.close();
  }
});
