// The branch production takes: batchWrite on clients that have a bulk client (every target ddbctl
// makes) sends bodies it wrote itself (wire/batchWriteText.ts) and reads UnprocessedItems back from
// the low-level answer; export reads its Scan pages from the response text (wire/wireScan.ts). Here
// they run against ddbctl's own engine on its in-process door, as the CLI reaches it. The document
// client is replaced by one that refuses every call, so nothing here passes through it. The engine
// never throttles: a door in front of it hands some requests back as UnprocessedItems, as DynamoDB
// does, after forwarding the others to the engine.
import { Readable } from 'node:stream';
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, NumberValue, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { HttpResponse } from '@smithy/core/transport';
import type { HttpRequest } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, startEngine } from '../../engine/index.js';
import { batchWrite, type SettledWrite, type WriteRequest } from '../batch/batchWrite.js';
import { prepareWrite } from '../batch/writePlan.js';
import { type Clients, createClients } from '../clients.js';
import { ddbJsonText, type Item, normalizeNumber, parseItem, stringifyItem } from '../data/codec.js';
import type { KeySchema } from '../data/keySchema.js';
import { itemSize, MAX_ITEM_BYTES } from '../data/validate.js';
import { exportItems } from '../transfer/exportItems.js';
import { readItems } from '../transfer/formats/read.js';
import { batchWriteBody } from './batchWriteText.js';
import { itemWireBytes, writeRequestWireBytes } from './wireSize.js';

const n = (v: string) => new NumberValue(v);
const bytes = (...b: number[]) => new Uint8Array(b);

/** Every kind of value, at DynamoDB's edges: 38 digits, the range's ends, sets, binary, nesting, unicode. */
const rich = (pk: string, sk: string): Item => ({
  pk,
  sk: n(sk),
  big: n('12345678901234567890123456789012345678'),
  neg: n('-0.00000000000000000000000000000000000001'),
  small: n('1E-130'),
  top: n('9.9999999999999999999999999999999999999E+125'),
  e: '',
  u: 'é 😀 \u2028 "quoted" \\ \u0001',
  'é "name"': true,
  f: false,
  z: null,
  bin: bytes(0, 1, 2, 255),
  ebin: bytes(),
  ss: new Set(['a', 'b"c', 'ü']),
  ns: new Set([n('1'), n('2.5'), n('-12345678901234567890123456789012345678')]),
  bs: new Set([bytes(0), bytes(255, 254)]),
  l: [n('1'), 's', [], {}, [{ m: { deep: [null] } }]],
  m: { a: { b: { c: 'd' } }, empty: '' },
});

/** The request text DynamoDB JSON gives `rich` (written out by hand, in the item's order). */
const richText = (pk: string, sk: string) =>
  `{"pk":{"S":"${pk}"},"sk":{"N":"${sk}"},"big":{"N":"12345678901234567890123456789012345678"},` +
  '"neg":{"N":"-0.00000000000000000000000000000000000001"},"small":{"N":"1E-130"},' +
  '"top":{"N":"9.9999999999999999999999999999999999999E+125"},"e":{"S":""},' +
  '"u":{"S":"é 😀 \u2028 \\"quoted\\" \\\\ \\u0001"},"é \\"name\\"":{"BOOL":true},"f":{"BOOL":false},' +
  '"z":{"NULL":true},"bin":{"B":"AAEC/w=="},"ebin":{"B":""},"ss":{"SS":["a","b\\"c","ü"]},' +
  '"ns":{"NS":["1","2.5","-12345678901234567890123456789012345678"]},"bs":{"BS":["AA==","//4="]},' +
  '"l":{"L":[{"N":"1"},{"S":"s"},{"L":[]},{"M":{}},{"L":[{"M":{"m":{"M":{"deep":{"L":[{"NULL":true}]}}}}}]}]},' +
  '"m":{"M":{"a":{"M":{"b":{"M":{"c":{"S":"d"}}}}},"empty":{"S":""}}}}';

/** Maps, lists and sets in `v` (itself included) that hold something, and trues. */
function nonEmptyContainers(v: unknown): number {
  if (v === true) return 1;
  if (v instanceof Set) return v.size ? 1 : 0;
  if (Array.isArray(v)) return (v.length ? 1 : 0) + v.reduce((k: number, x) => k + nonEmptyContainers(x), 0);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof NumberValue)) {
    const values = Object.values(v);
    return (values.length ? 1 : 0) + values.reduce((k: number, x) => k + nonEmptyContainers(x), 0);
  }
  return 0;
}

/**
 * An item's text with its numbers in one notation: DynamoDB (and the engine) store numbers by value
 * and answer in their own notation (1E-130 written out in full).
 */
function canonical(item: Item): string {
  const norm = (v: unknown): unknown => {
    if (v instanceof NumberValue) return n(normalizeNumber(v.value));
    if (v instanceof Set) return new Set([...v].map(norm));
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
    }
    return v;
  };
  return stringifyItem(norm(item) as Item);
}

const schema = (table: string): KeySchema => ({
  table,
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'N' },
});

interface Door {
  /** BatchWriteItem bodies as the engine's door received them, in order. */
  bodies: string[];
  /**
   * Which requests of a BatchWriteItem call (their JSON, as sent) to hand back unprocessed instead of
   * forwarding; `call` counts from 1. Default: none.
   */
  handBack?: (requests: unknown[], call: number) => unknown[];
}

/** A request handler in front of `engine`'s in-process door: records bodies, hands requests back. */
function doorTo(engine: Engine, door: Door) {
  const inner = engine.requestHandler!;
  let calls = 0;
  const answer = (body: unknown) =>
    new HttpResponse({
      statusCode: 200,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: new TextEncoder().encode(JSON.stringify(body)),
    });
  return {
    async handle(request: HttpRequest) {
      if (!String(request.headers['x-amz-target']).endsWith('.BatchWriteItem')) return inner.handle(request);
      const text = Buffer.from(request.body as Uint8Array).toString('utf8');
      door.bodies.push(text);
      const call = ++calls;
      const { RequestItems } = JSON.parse(text) as { RequestItems: Record<string, unknown[]> };
      const [table, list] = Object.entries(RequestItems)[0]!;
      const back = new Set(door.handBack?.(list, call) ?? []);
      if (!back.size) return inner.handle(request);
      const forward = list.filter((r) => !back.has(r));
      if (forward.length) {
        const body = new TextEncoder().encode(JSON.stringify({ RequestItems: { [table]: forward } }));
        const sent = await inner.handle({
          ...request,
          body,
          headers: { ...request.headers, 'content-length': String(body.byteLength) },
        } as HttpRequest);
        expect(sent.response.statusCode).toBe(200);
      }
      return { response: answer({ UnprocessedItems: { [table]: [...back] } }) };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
}

/** Document client calls are refused: what passes here took the wire branch. */
const noDocument = {
  send: async (command: { constructor: { name: string } }) => {
    throw new Error(`the document client was used (${command.constructor.name})`);
  },
};

let engine: Engine;
let reader: Clients;

beforeAll(async () => {
  engine = await startEngine({ dataDir: null, transitionMs: 0 });
  reader = clientsFor({ bodies: [] });
});

afterAll(async () => {
  reader.destroy();
  await engine.close();
});

/** Clients as the CLI makes them for its embedded engine (in-process, a bulk client), behind `door`. */
function clientsFor(door: Door): Clients {
  return createClients({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:0',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: doorTo(engine, door),
    inProcess: true,
    label: 'the embedded engine (test)',
    maxAttempts: 1,
  });
}

/** The same clients with the document client refusing every call. */
function wireOnly(door: Door): Clients {
  const c = clientsFor(door);
  const bulk = c.bulk as DynamoDBClient;
  return { ...c, bulk, doc: noDocument as unknown as Clients['doc'] };
}

let tables = 0;
async function newTable(): Promise<string> {
  const name = `wire-${++tables}`;
  await reader.ddb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

async function stored(table: string): Promise<Item[]> {
  const out = await reader.doc.send(new ScanCommand({ TableName: table }));
  return (out.Items ?? []) as Item[];
}

/** Every request settles exactly once: a map from each request to its outcomes. */
function settlements() {
  const seen = new Map<WriteRequest, SettledWrite['outcome'][]>();
  return {
    seen,
    onSettled: (settled: SettledWrite[]) => {
      for (const s of settled) seen.set(s.request, [...(seen.get(s.request) ?? []), s.outcome]);
    },
  };
}

describe('batchWrite on the wire branch, against the embedded engine', () => {
  it('sends the body written by hand for every type, and the engine stores exactly the items', async () => {
    const table = await newTable();
    const door: Door = { bodies: [] };
    const clients = wireOnly(door);
    const item = rich('a', '12345678901234567890123456789012345678');
    const result = await batchWrite(clients, table, [{ put: item }, { delete: { pk: 'gone', sk: n('1') } }], {
      schema: schema(table),
    });
    expect(result).toMatchObject({ written: 2, failed: [], calls: 1, retried: 0 });
    expect(door.bodies).toEqual([
      `{"RequestItems":{"${table}":[{"PutRequest":{"Item":${richText('a', '12345678901234567890123456789012345678')}}},` +
        '{"DeleteRequest":{"Key":{"pk":{"S":"gone"},"sk":{"N":"1"}}}}]}}',
    ]);
    const got = await reader.doc.send(
      new GetCommand({ TableName: table, Key: { pk: 'a', sk: n('12345678901234567890123456789012345678') } }),
    );
    expect(canonical(got.Item as Item)).toEqual(canonical(item));
    clients.destroy();
  });

  it('counts sizes as DynamoDB does: the body bytes estimated from above, the item size exact at 400 KB', async () => {
    const table = await newTable();
    const item = rich('a', '1');
    // The body estimate: the text sent, plus a byte per non-empty map, list or set (a comma after
    // its last member is counted) and per true ({"BOOL":true} is counted as false's length).
    const text = ddbJsonText(item);
    expect(text).toBe(richText('a', '1'));
    expect(itemWireBytes(item)).toBe(Buffer.byteLength(text, 'utf8') + nonEmptyContainers(item));
    const p = prepareWrite({ put: item }, schema(table), 1);
    expect(p.bytes).toBe(writeRequestWireBytes('put', item));
    expect(Buffer.byteLength(batchWriteBody(table, [p]))).toBeLessThanOrEqual(p.bytes + 100);

    // An item of exactly 400 KB as DynamoDB counts it (names + values) is written; a byte more is
    // refused before it is sent, and the engine refuses it too.
    const sized = (total: number): Item => {
      const base = { pk: 'big', sk: n('1'), pad: '' };
      return { ...base, pad: 'x'.repeat(total - itemSize(base)) };
    };
    expect(itemSize(sized(MAX_ITEM_BYTES))).toBe(MAX_ITEM_BYTES);
    const door: Door = { bodies: [] };
    const clients = wireOnly(door);
    const over = { ...sized(MAX_ITEM_BYTES + 1), sk: n('2') };
    const result = await batchWrite(
      clients,
      table,
      [{ put: sized(MAX_ITEM_BYTES) }, { put: over, line: 7 }],
      {
        schema: schema(table),
      },
    );
    expect(result.written).toBe(1);
    expect(result.failed).toEqual([
      expect.objectContaining({ code: 'item.tooLarge', request: { put: over, line: 7 } }),
    ]);
    expect(door.bodies).toHaveLength(1);
    expect((await stored(table)).map((i) => [i.pk, (i.pad as string).length])).toEqual([
      ['big', (sized(MAX_ITEM_BYTES).pad as string).length],
    ]);
    const body = JSON.parse(door.bodies[0]!) as { RequestItems: Record<string, { PutRequest: unknown }[]> };
    const refused = await engine.requestHandler!.handle({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      query: {},
      headers: { 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ TableName: table, Item: JSON.parse(ddbJsonText(over)) }),
    } as HttpRequest);
    expect(refused.response.statusCode).toBe(400);
    expect(body.RequestItems[table]).toHaveLength(1);
    clients.destroy();
  });

  it('reads UnprocessedItems from the wire answer back to its requests, retries them, settles each once', async () => {
    const table = await newTable();
    // Every other request of the first three calls comes back unprocessed.
    const door: Door = {
      bodies: [],
      handBack: (list, call) => (call <= 3 ? list.filter((_, i) => i % 2) : []),
    };
    const clients = wireOnly(door);
    const requests: WriteRequest[] = Array.from({ length: 60 }, (_, i) => ({
      put: rich(`p${i % 7}`, `${i}.${'9'.repeat(36 - String(i).length)}`),
      line: i + 1,
    }));
    const { seen, onSettled } = settlements();
    const sleeps: number[] = [];
    const result = await batchWrite(clients, table, requests, {
      schema: schema(table),
      concurrency: 1,
      onSettled,
      clock: { now: () => 0, sleep: async (ms) => void sleeps.push(ms) },
    });
    expect(result).toMatchObject({ written: 60, failed: [] });
    expect(result.retried).toBeGreaterThan(0);
    expect(sleeps.length).toBeGreaterThan(0);
    expect(seen.size).toBe(60);
    for (const r of requests) expect(seen.get(r)).toEqual(['written']);
    // What was sent again is exactly what came back: the retry's body holds the handed-back texts.
    const first = JSON.parse(door.bodies[0]!).RequestItems[table] as unknown[];
    const retry = JSON.parse(door.bodies[1]!).RequestItems[table] as unknown[];
    expect(retry).toEqual(first.filter((_, i) => i % 2));
    const byKey = (items: Item[]) => items.map(canonical).sort();
    expect(byKey(await stored(table))).toEqual(byKey(requests.map((r) => ('put' in r ? r.put : {}))));
    clients.destroy();
  });

  it('returns what is still unprocessed after the retries with its items intact, each settled once as failed', async () => {
    const table = await newTable();
    // The engine's answer hands back every delete and every put of pk "keep", call after call.
    const door: Door = {
      bodies: [],
      handBack: (list) =>
        list.filter((r) => {
          const w = r as { DeleteRequest?: unknown; PutRequest?: { Item: { pk: { S: string } } } };
          return w.DeleteRequest || w.PutRequest?.Item.pk.S === 'keep';
        }),
    };
    const clients = wireOnly(door);
    const requests: WriteRequest[] = [
      { put: rich('keep', '1'), line: 1 },
      { put: rich('go', '2'), line: 2 },
      { delete: { pk: 'x', sk: n('-12345678901234567890123456789012345678') }, line: 3 },
      { put: rich('keep', '0.000000000000000000000000000000000000012'), line: 4 },
    ];
    const { seen, onSettled } = settlements();
    const result = await batchWrite(clients, table, requests, {
      schema: schema(table),
      maxRetries: 2,
      onSettled,
      clock: { now: () => 0, sleep: async () => {} },
    });
    expect(result.written).toBe(1);
    expect(result.calls).toBe(3);
    expect(result.retried).toBe(6);
    // The very requests given, items unchanged (38-digit numbers, sets, binary), with their lines.
    expect(result.failed.map((f) => f.request)).toEqual([requests[0], requests[2], requests[3]]);
    for (const f of result.failed) {
      expect(f.code).toBe('batch.incomplete');
      expect(f.reason).toMatch(
        /^BatchWriteItem: not written after 3 attempts: DynamoDB returned them as UnprocessedItems/,
      );
    }
    expect(requests.map((r) => seen.get(r))).toEqual([['failed'], ['written'], ['failed'], ['failed']]);
    expect((await stored(table)).map((i) => i.pk)).toEqual(['go']);
    clients.destroy();
  });

  it('stopped while its source waits (stdin from a producer gone quiet): it ends at once, every request read settled', async () => {
    const table = await newTable();
    const clients = wireOnly({ bodies: [], handBack: () => [] });
    const stop = new AbortController();
    const requests: WriteRequest[] = Array.from({ length: 30 }, (_, i) => ({
      put: rich(`q${i}`, String(i)),
      line: i + 1,
    }));
    async function* quiet() {
      yield requests;
      await new Promise(() => {}); // never another line
    }
    const { seen, onSettled } = settlements();
    setTimeout(() => stop.abort(), 100);
    const result = await batchWrite(clients, table, quiet(), {
      schema: schema(table),
      concurrency: 2,
      signal: stop.signal,
      onSettled,
    });
    expect(result.stopped?.code).toBe('operation.aborted');
    for (const r of requests) expect(seen.get(r)).toHaveLength(1);
    expect(result.written + result.failed.length).toBe(30);
    expect((await stored(table)).length).toBe(result.written);
    clients.destroy();
  }, 10_000);

  it('stopped mid-run (an abort after the first call), every request read still settles exactly once', async () => {
    const table = await newTable();
    const door: Door = { bodies: [], handBack: (list, call) => (call === 2 ? list.slice(0, 3) : []) };
    const clients = wireOnly(door);
    const stop = new AbortController();
    const requests: WriteRequest[] = Array.from({ length: 200 }, (_, i) => ({
      put: rich(`s${i}`, String(i)),
      line: i + 1,
    }));
    const { seen, onSettled } = settlements();
    const result = await batchWrite(clients, table, requests, {
      schema: schema(table),
      concurrency: 2,
      signal: stop.signal,
      onSettled,
      onProgress: (p) => {
        if (p.calls >= 2) stop.abort();
      },
      clock: { now: () => 0, sleep: async () => {} },
    });
    expect(result.stopped?.code).toBe('operation.aborted');
    const read = requests.filter((r) => seen.has(r));
    for (const r of read) expect(seen.get(r)).toHaveLength(1);
    const written = read.filter((r) => seen.get(r)![0] === 'written');
    expect(written.length).toBe(result.written);
    expect(read.length - written.length).toBe(result.failed.length);
    expect(result.failed.length).toBeGreaterThan(0);
    expect((await stored(table)).length).toBe(result.written);
    clients.destroy();
  });

  it('writes the lines import reads (text checked in one pass, sent as it is) and exports them as they were', async () => {
    const table = await newTable();
    const lines = [
      '{"pk":"a","sk":12345678901234567890123456789012345678,"s":"é 😀","e":"","l":[1,{"m":[]}],"n":-1E-130}',
      '{"pk":"b","sk":1,"ss":{"$set":["x","y"]},"bin":{"$binary":"AAEC"},"m":{"$map":{"$set":1}}}',
      `{"pk":"c","sk":2,"pad":"${'x'.repeat(MAX_ITEM_BYTES - 10)}"}`,
    ];
    const records = [];
    for await (const r of readItems(Readable.from([`${lines.join('\n')}\n`]), { format: 'ndjson' }))
      records.push(r);
    // The common shape is read on the fast path; tagged values take the general one.
    expect(records.map((r) => r.checked !== undefined)).toEqual([true, false, true]);
    const door: Door = { bodies: [] };
    const clients = wireOnly(door);
    const requests: WriteRequest[] = records.map((r) => ({
      put: r.item!,
      line: r.line,
      ...(r.checked ? { checked: r.checked } : {}),
    }));
    const result = await batchWrite(clients, table, requests, { schema: schema(table) });
    expect(result).toMatchObject({ written: 3, failed: [] });
    // The checked text is what went out, byte for byte.
    expect(door.bodies[0]).toContain(`{"PutRequest":{"Item":${records[0]!.checked!.text}}}`);
    expect(records[0]!.checked!.text).toBe(ddbJsonText(records[0]!.item!));

    // Export reads the pages from the response text: the same items come back.
    const pages: string[] = [];
    const count = await exportItems(
      wireOnly({ bodies: [] }),
      table,
      async (text: string) => void pages.push(text),
      { segments: 1, pageSize: 2, prepare: (page) => page.plainText('', '\n').text.toString('utf8') },
    );
    expect(count).toBe(3);
    expect(pages).toHaveLength(2);
    const exported = pages.join('').trimEnd().split('\n');
    expect(exported.map((l) => canonical(parseItem(l))).sort()).toEqual(
      lines.map((l) => canonical(parseItem(l))).sort(),
    );
    // An error answer is still the SDK's to read: a missing table is table.notFound, naming Scan.
    await expect(
      // NOTE: segments given, so no DescribeTable first (it sizes the segments otherwise).
      exportItems(wireOnly({ bodies: [] }), 'no-such-table', async () => {}, { segments: 1 }),
    ).rejects.toMatchObject({
      code: 'table.notFound',
      message: expect.stringMatching(/Scan/),
    });
    // Each line as the general path writes the item the document client reads.
    expect(exported.sort()).toEqual((await stored(table)).map((i) => stringifyItem(i)).sort());
    clients.destroy();
  });
});
