import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, requestId } from './http.js';
import { crc32 as crcOf } from './store/crc32.js';

const crc32 = (b: Uint8Array) => crcOf(b, 0, b.length);

import { type Engine, startEngine } from './index.js';

const AUTH =
  'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

let engine: Engine;
let endpoint: string;
beforeAll(async () => {
  engine = await startEngine({ dataDir: null, http: true, transitionMs: 0 });
  endpoint = engine.endpoint!;
});
afterAll(() => engine.close());

function post(body: string | Uint8Array, headers: Record<string, string | undefined> = {}, to = endpoint) {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.ListTables',
    authorization: AUTH,
    ...headers,
  })) {
    if (v !== undefined) h[k] = v;
  }
  return fetch(to, { method: 'POST', headers: h, body });
}

/** POST ListTables with the Host header given (fetch cannot set Host). */
function postWithHost(host: string): Promise<{ status: number; body: string }> {
  const u = new URL(endpoint);
  return new Promise((res, rej) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: 'POST',
        headers: {
          host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization: AUTH,
        },
      },
      (r) => {
        let body = '';
        r.on('data', (d) => {
          body += d;
        });
        r.on('end', () => res({ status: r.statusCode ?? 0, body }));
      },
    );
    req.on('error', rej);
    req.end('{}');
  });
}

describe('the HTTP door', () => {
  it('on loopback, answers only requests sent to a local name (DNS rebinding: a foreign Host is refused)', async () => {
    const port = new URL(endpoint).port;
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      'localhost',
      `127.1.2.3:${port}`,
    ]) {
      expect((await postWithHost(host)).status, host).toBe(200);
    }
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `localhost.evil.example:${port}`,
      `10.0.0.1:${port}`,
    ]) {
      const r = await postWithHost(host);
      expect(r.status, host).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({
        __type: 'com.amazon.coral.service#AccessDeniedException',
        message: expect.stringContaining('answers requests to localhost, 127.0.0.1 or [::1] only'),
      });
    }
  });

  it('makes request ids of 52 characters of [A-Z0-9], none repeated, across the draws of random bytes', () => {
    const ids = Array.from({ length: 2000 }, () => requestId());
    for (const id of ids) expect(id).toMatch(/^[A-Z0-9]{52}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers with x-amz-crc32 over the body bytes, a request id and the content type', async () => {
    const res = await post('{}');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amz-crc32')).toBe(String(crc32(bytes)));
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[A-Z0-9]{52}$/);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual({ TableNames: [] });
    const v11 = await post('{}', { 'content-type': 'application/x-amz-json-1.1' });
    expect(v11.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });

  it.each([
    [
      'malformed JSON',
      () => post('{"a":'),
      400,
      '{"__type":"com.amazon.coral.service#SerializationException"}',
    ],
    [
      'no target',
      () => post('{}', { 'x-amz-target': undefined }),
      400,
      '{"__type":"com.amazon.coral.service#UnknownOperationException"}',
    ],
    [
      'an unknown operation',
      () => post('{}', { 'x-amz-target': 'DynamoDB_20120810.Nope' }),
      400,
      '{"__type":"com.amazon.coral.service#UnknownOperationException"}',
    ],
    [
      'a wrong content type',
      () => post('{}', { 'content-type': 'text/plain' }),
      404,
      '<UnknownOperationException/>\n',
    ],
    [
      'no authorization',
      () => post('{}', { authorization: undefined }),
      400,
      '{"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"}',
    ],
    [
      'no authorization and an unknown operation (the target is resolved first)',
      () => post('{}', { authorization: undefined, 'x-amz-target': 'DynamoDB_20120810.Nope' }),
      400,
      '{"__type":"com.amazon.coral.service#UnknownOperationException"}',
    ],
  ])('answers %s as DynamoDB does', async (_, send, status, body) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(body);
  });

  it('refuses a body over the size limit and keeps serving', async () => {
    const res = await post(new Uint8Array(MAX_REQUEST_BYTES + 1).fill(32));
    expect(res.status).toBe(413);
    expect((await post('{}')).status).toBe(200);
  });

  // The 413 must reach a client still sending: answered and closed mid-body, the client's next
  // write failed with EPIPE and it never read the answer.
  it.each([
    ['declared', false],
    ['chunked', true],
  ])('answers 413 to a client that sends a body over the limit to its end (%s)', async (_, chunked) => {
    const { port } = new URL(endpoint);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
    });
    const mb = Buffer.alloc(1024 * 1024, 32);
    const chunks = 17;
    socket.write(
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n` +
        `X-Amz-Target: DynamoDB_20120810.PutItem\r\nAuthorization: ${AUTH}\r\n` +
        (chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${chunks * mb.length}\r\n\r\n`),
    );
    for (let i = 0; i < chunks; i++) {
      const part = chunked
        ? Buffer.concat([Buffer.from(`${mb.length.toString(16)}\r\n`), mb, Buffer.from('\r\n')])
        : mb;
      await new Promise<void>((resolve, reject) => socket.write(part, (e) => (e ? reject(e) : resolve())));
      await new Promise((r) => setTimeout(r, 5));
    }
    if (chunked) socket.write('0\r\n\r\n');
    while (!answer.includes('\r\n\r\n')) await once(socket, 'data');
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect((await post('{}')).status).toBe(200);
  });

  it('answers a failure of the engine itself (its data dir deleted) with 500 and its message, said once on its side', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-http-gone-'));
    const told: string[] = [];
    const e = await startEngine({
      dataDir: dir,
      http: true,
      transitionMs: 0,
      onWarning: (m) => told.push(m),
    });
    try {
      const at = (target: string, body: object) =>
        post(JSON.stringify(body), { 'x-amz-target': `DynamoDB_20120810.${target}` }, e.endpoint!);
      const made = await at('CreateTable', {
        TableName: 'gone',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      });
      expect(made.status).toBe(200);
      rmSync(dir, { recursive: true });
      for (let i = 0; i < 2; i++) {
        const r = await at('PutItem', { TableName: 'gone', Item: { pk: { S: `k${i}` } } });
        expect(r.status).toBe(500);
        const body = (await r.json()) as { __type: string; message: string };
        expect(body.__type).toBe('com.amazon.coral.service#InternalFailure');
        expect(body.message).toMatch(/^the engine's data dir .* was deleted while the engine ran/);
      }
      expect(told.filter((m) => m.includes('was deleted while the engine ran'))).toHaveLength(1);
    } finally {
      await e.close();
    }
  });

  it('serves a real DynamoDBClient', async () => {
    const ddb = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'over_http',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toContain('over_http');
    ddb.destroy();
  });

  // botocore checks x-amz-crc32 on every answer: a wrong one fails the call (after retries).
  const python = spawnSync('python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!python)('serves boto3, which checks the CRC (skipped when python3 has no boto3)', async () => {
    const script = `
import boto3
from botocore.config import Config
c = boto3.client('dynamodb', endpoint_url='${endpoint}', region_name='us-east-1', aws_access_key_id='x',
                 aws_secret_access_key='y', config=Config(retries={'max_attempts': 1}))
print(c.describe_table(TableName='over_http')['Table']['TableName'])
try:
    c.describe_table(TableName='missing_table')
except c.exceptions.ResourceNotFoundException as e:
    print('not found:', e.response['Error']['Message'])
`;
    // NOTE: not spawnSync: the engine answers from this very process's event loop.
    const r = await promisify(execFile)('python3', ['-c', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'over_http\nnot found: Requested resource not found: Table: missing_table not found\n',
    );
  });
});
