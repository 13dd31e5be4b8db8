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
