// Stand-ins for AWS on loopback, for the credentials tests: moto's server (STS: GetCallerIdentity,
// AssumeRole; DynamoDB) and a small fake of the SSO portal (GetRoleCredentials). Both listen on
// 127.0.0.1 only; the tests point the SDK at them with AWS_ENDPOINT_URL_STS / _SSO / _DYNAMODB.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { freePort } from './ports.js';

/** Whether moto's server can run here (python3 with moto installed). */
export function motoAvailable(): boolean {
  return spawnSync('python3', ['-m', 'moto.server', '--help'], { stdio: 'ignore' }).status === 0;
}

/** moto's server on a free loopback port, answering once it is up. */
export async function startMoto(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error(`moto did not start on ${endpoint}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    endpoint,
    close: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill();
      }),
  };
}

/**
 * The SSO portal's GetRoleCredentials (GET /federation/credentials, the token in
 * x-amz-sso_bearer_token): role credentials for `token`, 401 UnauthorizedException for any other.
 */
export async function startSsoPortal(
  token: string,
  keys: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
): Promise<{ endpoint: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.headers['x-amz-sso_bearer_token'] !== token) {
      res.writeHead(401, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException' });
      res.end(JSON.stringify({ message: 'Session token not found or invalid' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ roleCredentials: { ...keys, expiration: Date.now() + 3_600_000 } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An endpoint that accepts connections and never answers (a stalled STS or SSO portal). */
export async function startStalled(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
