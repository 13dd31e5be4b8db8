// exportItems against ddbctl's own engine on its in-process door (every call recorded on its way
// in): what a page costs the client (its body read once), and the segments chosen from a table's
// size, the caller's DescribeTable answer when it has one.
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { HttpRequest } from '@smithy/types';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Engine, startEngine } from '../../engine/index.js';
import { type Clients, createClients } from '../clients.js';
import { exportItems } from './exportItems.js';

let engine: Engine;
let clients: Clients;
/** Each call sent: its operation, and a Scan's TotalSegments. */
let sent: { op: string; total?: number | undefined }[] = [];

beforeAll(async () => {
  engine = await startEngine({ dataDir: null, transitionMs: 0 });
  clients = createClients({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:0',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: {
      handle(request: HttpRequest) {
        const raw = request.body as string | Uint8Array;
        const body = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw)) as {
          TotalSegments?: number;
        };
        sent.push({ op: String(request.headers['x-amz-target']).split('.')[1]!, total: body.TotalSegments });
        return engine.requestHandler!.handle(request);
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    },
    inProcess: true,
    label: 'the embedded engine (test)',
    maxAttempts: 1,
  });
});

afterAll(async () => {
  clients.destroy();
  await engine.close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

let tables = 0;
async function tableWith(n: number): Promise<string> {
  const name = `export-${++tables}`;
  await clients.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  for (let i = 0; i < n; i++) {
    await clients.doc.send(new PutCommand({ TableName: name, Item: { pk: `k${i}`, n: i, s: 'é' } }));
  }
  return name;
}

describe('exportItems', () => {
  it('reads each page body once: a writer of plain text gets the page before anything parses it', async () => {
    const table = await tableWith(7);
    const parse = vi.spyOn(JSON, 'parse');
    const lines: string[] = [];
    const count = await exportItems(
      clients,
      table,
      async (text: string) => void lines.push(...text.trimEnd().split('\n')),
      { segments: 2, pageSize: 2, prepare: (page) => page.plainText('', '\n').text.toString('utf8') },
    );
    // NOTE: the counts, the last key and the controller's units come from the same walk of the
    // body: a JSON.parse of a whole page (its "Items") doubled the client's CPU on an export.
    const pagesParsed = parse.mock.calls.filter(
      ([text]) => typeof text === 'string' && text.includes('"Items"'),
    );
    expect(pagesParsed).toEqual([]);
    expect(count).toBe(7);
    expect(lines.map((l) => (JSON.parse(l) as { pk: string }).pk).sort()).toEqual(
      ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6'].sort(),
    );
  });

  it("sizes its segments from the caller's DescribeTable answer when given one, without asking again", async () => {
    const table = await tableWith(3);
    sent = [];
    // 40,000 items as DescribeTable would report them: 10 segments of about 4,000.
    const count = await exportItems(clients, table, async () => {}, {
      description: { TableName: table, ItemCount: 40_000, TableSizeBytes: 1000 },
    });
    expect(count).toBe(3);
    expect(sent.filter((c) => c.op === 'DescribeTable')).toEqual([]);
    expect(sent.filter((c) => c.op === 'Scan').map((c) => c.total)).toEqual(Array(10).fill(10));
    // Without one, it asks (the engine counts 3 items: the fewest segments, 4).
    sent = [];
    expect(await exportItems(clients, table, async () => {})).toBe(3);
    expect(sent.filter((c) => c.op === 'DescribeTable')).toHaveLength(1);
    expect(sent.filter((c) => c.op === 'Scan').map((c) => c.total)).toEqual(Array(4).fill(4));
  });
});
