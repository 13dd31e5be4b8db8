import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { fastProperties } from './fastProperties.js';

describe('fastProperties', () => {
  it('leaves the object as it was: the same keys in the same order, values, prototype and writability', () => {
    const proto = { inherited: 1 };
    const o: Record<string, unknown> = Object.create(proto);
    for (let i = 0; i < 60; i++) o[`k${i}`] = i;
    delete o.k3;
    const fn = () => 1;
    o.fn = fn;
    const before = Object.entries(o);
    expect(fastProperties(o)).toBe(o);
    expect(Object.entries(o)).toEqual(before);
    expect(Object.getPrototypeOf(o)).toBe(proto);
    expect(o.inherited).toBe(1);
    expect(o.fn).toBe(fn);
    expect(Object.hasOwn(o, 'constructor')).toBe(false);
    o.k1 = 'changed';
    o.added = true;
    expect(o.k1).toBe('changed');
    expect({ ...o }.added).toBe(true);
  });

  it("keeps an SDK client's config working: the middlewares that copy it still see every setting", async () => {
    const client = new DynamoDBClient({
      region: 'eu-west-3',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: { hostname: string; headers: Record<string, string> }) => {
          seen.push(`${request.hostname} ${request.headers.authorization?.split(',')[0]}`);
          return {
            response: {
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.0' },
              body: new TextEncoder().encode('{"TableNames":["t"]}'),
            },
          };
        },
      } as never,
    });
    const seen: string[] = [];
    fastProperties(client.config);
    const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
    const out = await client.send(new ListTablesCommand({}));
    expect(out.TableNames).toEqual(['t']);
    expect(seen).toEqual([
      expect.stringMatching(
        /^127\.0\.0\.1 AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-3\/dynamodb\/aws4_request$/,
      ),
    ]);
    client.destroy();
  });
});
