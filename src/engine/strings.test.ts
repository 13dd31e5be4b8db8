// Strings that have no UTF-8 form (an unpaired surrogate, bytes that are no UTF-8) are refused by
// both doors, never stored as U+FFFD: two different keys must never become one item.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, startEngine } from './index.js';
import { engineClient } from './testClient.js';

const AUTH =
  'AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';
const TABLE = {
  TableName: 'strs',
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

describe('the HTTP door over a durable store', () => {
  let engine: Engine;
  let dir: string;
  const post = (target: string, body: string | Uint8Array) =>
    fetch(engine.endpoint!, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
        authorization: AUTH,
      },
      body,
    });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ddbctl-strings-'));
    engine = await startEngine({ dataDir: dir, http: true, transitionMs: 0 });
    expect((await post('CreateTable', JSON.stringify(TABLE))).status).toBe(200);
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses unpaired surrogates and bytes that are no UTF-8, and keeps U+FFFD itself', async () => {
    const put = (pk: string) => `{"TableName":"strs","Item":{"pk":{"S":"${pk}"}}}`;
    for (const [pk, unit] of [
      ['\\ud800', 'D800'],
      ['\\udbff', 'DBFF'],
    ]) {
      const res = await post('PutItem', put(pk!));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        __type: 'com.amazon.coral.service#SerializationException',
        message: `Invalid string in S: an unpaired UTF-16 surrogate (\\u${unit}) has no UTF-8 form`,
      });
    }
    const bytes = Buffer.concat([
      Buffer.from(put('x').slice(0, -4)),
      Buffer.from([0xff]),
      Buffer.from('"}}}'),
    ]);
    const bad = await post('PutItem', bytes);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
      message: 'Invalid UTF-8 in the request body',
    });
    expect((await post('PutItem', put('\\ufffd'))).status).toBe(200);
    const scan = await (await post('Scan', '{"TableName":"strs"}')).json();
    expect(scan).toMatchObject({ Count: 1, Items: [{ pk: { S: '\ufffd' } }] });
  });
});

describe('the in-process door', () => {
  it('refuses an unpaired surrogate in a key and in an attribute name', async () => {
    const { ddb } = engineClient();
    await ddb.send(new CreateTableCommand(TABLE));
    for (const pk of ['\ud800', '\udbff'])
      await expect(
        ddb.send(new PutItemCommand({ TableName: 'strs', Item: { pk: { S: pk } } })),
      ).rejects.toMatchObject({ name: 'SerializationException' });
    await expect(
      ddb.send(new PutItemCommand({ TableName: 'strs', Item: { pk: { S: 'a' }, 'n\udc00': { N: '1' } } })),
    ).rejects.toMatchObject({ name: 'SerializationException' });
    await ddb.send(new PutItemCommand({ TableName: 'strs', Item: { pk: { S: '\u{1F600}' } } }));
    expect((await ddb.send(new ScanCommand({ TableName: 'strs' }))).Items).toEqual([
      { pk: { S: '\u{1F600}' } },
    ]);
  });
});
