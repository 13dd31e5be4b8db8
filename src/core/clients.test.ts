import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { createClients } from './clients.js';

/** A request handler that keeps the requests it is given and answers an empty table list. */
function recorder() {
  const seen: HttpRequest[] = [];
  return {
    seen,
    handler: {
      async handle(request: HttpRequest) {
        seen.push(request);
        const body = new TextEncoder().encode('{"TableNames":[]}');
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

describe('createClients: unsigned', () => {
  it('signs through a request handler by default, and not when unsigned (every client)', async () => {
    const signed = recorder();
    const a = createClients({ ...base, requestHandler: signed.handler });
    await a.ddb.send(new ListTablesCommand({}));
    a.destroy();
    expect(signed.seen[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);

    const plain = recorder();
    const b = createClients({ ...base, requestHandler: plain.handler, unsigned: true });
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

  it('still signs an endpoint reached over HTTP, whatever unsigned says', async () => {
    const c = createClients({ ...base, unsigned: true });
    expect(c.ddb.config.httpAuthSchemes.map((s) => s.signer.constructor.name)).toEqual(['AwsSdkSigV4Signer']);
    c.destroy();
  });
});
