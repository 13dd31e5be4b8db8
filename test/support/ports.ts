// A loopback port nobody listens on (taken from the system, then let go): for a server started
// on it next (moto), or as an endpoint that refuses connections (a holder gone before a request).
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
