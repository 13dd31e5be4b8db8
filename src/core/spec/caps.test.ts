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

it('a write probe the endpoint drops (on a table that does not exist) is said as the probe it is: nothing of the command was sent', async () => {
  const server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target']);
    req.resume();
    req.on('end', () => {
      if (target.includes('.Update')) {
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
  });
  try {
    const e = await detectCaps(clients).catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'endpoint.unreachable',
      message: expect.stringMatching(
        /: the endpoint at http:\/\/127\.0\.0\.1:\d+ took the request but dropped the connection before answering \(ECONNRESET\); that was ddbctl's probe of what the endpoint can do, on a table that does not exist: nothing was sent for the command, nothing was changed; run it again$/,
      ),
    });
  } finally {
    clients.destroy();
    server.closeAllConnections();
    server.close();
  }
});
