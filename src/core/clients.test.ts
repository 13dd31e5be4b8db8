import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createClients } from './clients.js';
import { sendBatchWriteBody } from './wire/wireBody.js';

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

  it('hands bulk writes no abort signal in-process (every call on the cached stack), and an endpoint the signal', async () => {
    const body = '{"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"a"}}}}]}}';
    const signal = new AbortController().signal;
    const inProc = recorder();
    const a = createClients({ ...base, requestHandler: inProc.handler, inProcess: true });
    await sendBatchWriteBody(a.bulk!, body, signal);
    await sendBatchWriteBody(a.bulk!, body, signal);
    a.destroy();
    expect(inProc.options.map((o) => o?.abortSignal)).toEqual([undefined, undefined]);
    expect(new TextDecoder().decode(inProc.seen[0]?.body as Uint8Array)).toBe(body);

    const other = recorder();
    const b = createClients({ ...base, requestHandler: other.handler });
    await sendBatchWriteBody(b.bulk!, body, signal);
    b.destroy();
    expect(other.options[0]?.abortSignal).toBe(signal);
  });
});
