import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenError } from './listen.js';

/** The error listen() gives for `host`:`port` (a real one, from the kernel or the resolver). */
async function failure(port: number, host: string): Promise<NodeJS.ErrnoException> {
  const s = createServer();
  s.listen(port, host);
  const [e] = (await once(s, 'error').catch((x: unknown) => [x])) as [NodeJS.ErrnoException];
  s.close();
  return e;
}

describe('listenError', () => {
  it('a port in use is a failure (exit 1); an address of no interface here is the command to change (exit 2)', async () => {
    const held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    const { port } = held.address() as AddressInfo;
    try {
      const inUse = listenError(
        await failure(port, '127.0.0.1'),
        '127.0.0.1',
        `cannot listen on 127.0.0.1:${port}`,
      );
      expect(inUse).toMatchObject({
        code: 'port.inUse',
        isUsage: false,
        message: `cannot listen on 127.0.0.1:${port}: the port is in use; pass another --port, or --port 0 for a free one`,
      });
    } finally {
      held.close();
    }
    // 192.0.2.1 (TEST-NET-1, RFC 5737) is no address of this machine's interfaces.
    const none = await failure(0, '192.0.2.1');
    expect(none.code).toBe('EADDRNOTAVAIL');
    expect(listenError(none, '192.0.2.1', 'cannot serve the UI at 192.0.2.1:0')).toMatchObject({
      code: 'usage.invalid',
      isUsage: true,
      message:
        'cannot serve the UI at 192.0.2.1:0: 192.0.2.1 is no address of this machine (EADDRNOTAVAIL); pass a --host of this machine (127.0.0.1, the default, for this machine alone)',
    });
  });

  it('a name that does not resolve, or a port the user may not bind, says what to pass instead', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND nosuch.invalid'), { code: 'ENOTFOUND' });
    expect(listenError(dns, 'nosuch.invalid', 'cannot listen on nosuch.invalid:8000').message).toBe(
      'cannot listen on nosuch.invalid:8000: nosuch.invalid is no address of this machine (ENOTFOUND); pass a --host of this machine (127.0.0.1, the default, for this machine alone)',
    );
    const denied = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {
      code: 'EACCES',
    });
    expect(listenError(denied, '127.0.0.1', 'cannot listen on 127.0.0.1:80')).toMatchObject({
      code: 'usage.invalid',
      message:
        'cannot listen on 127.0.0.1:80: permission denied (EACCES): ports below 1024 need root; pass a --port above 1023, or --port 0 for a free one',
    });
  });
});
