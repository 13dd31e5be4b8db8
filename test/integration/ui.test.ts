// `ddbctl ui`'s server on every engine, through fetch on 127.0.0.1: the session, Host and Origin
// checks, the headers, and every endpoint with the types a browser UI usually loses (38-digit
// numbers, sets, binary, nested maps) round-tripping exactly in DynamoDB JSON.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClients } from '../../src/core/clients.js';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { binaryToBase64 } from '../../src/core/data/codec/shared.js';
import { normalizeNumber } from '../../src/core/data/codec.js';
import { startUiServer, type UiEvent, type UiServer } from '../../src/ui/server/index.js';
import { caps, cli, endpoint, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
const T = uniqueName('ui');
let ui: UiServer;
let cookie = '';
const ui0 = { kind: 'embedded', label: 'x' } as const;

/** The item with every type the UI must keep, in DynamoDB JSON. */
const ITEM = {
  pk: { S: 'p1' },
  sk: { N: '12345678901234567890123456789012345678' },
  g: { S: 'G' },
  big: { N: '-0.00000000000000000000000000000000000012345678901234567890123456789012345678' },
  tags: { SS: ['a', 'b', 'c'] },
  nums: { NS: ['1', '99999999999999999999999999999999999999'] },
  bin: { B: 'AAEC/w==' },
  bins: { BS: ['AA==', 'AQ=='] },
  nested: {
    M: {
      deep: {
        M: { n: { N: '3.14159265358979323846264338327950288' }, l: { L: [{ NULL: true }, { BOOL: false }] } },
      },
    },
  },
};

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON, checked by the assertions
type Json = any;
/** fetch, with the answer's JSON typed for the assertions. */
type JsonResponse = Omit<Response, 'json'> & { json(): Promise<Json> };
const get = (url: string, init?: RequestInit) => fetch(url, init) as Promise<JsonResponse>;

function api(
  path: string,
  init: RequestInit & { origin?: string | null; host?: string } = {},
): Promise<JsonResponse> {
  const headers = new Headers(init.headers);
  if (cookie) headers.set('cookie', cookie);
  const origin = init.origin === undefined ? ui.origin : init.origin;
  if (origin !== null && init.method && init.method !== 'GET') headers.set('origin', origin);
  if (init.host) headers.set('host', init.host);
  return get(`${ui.origin}${path}`, { ...init, headers, redirect: 'manual' });
}

const json = (method: string, body: unknown) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

beforeAll(async () => {
  await clients.ddb.send(
    new CreateTableCommand({
      TableName: T,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [
            { AttributeName: 'g', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await waitForTable(clients, T, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
  ui = await startUiServer({
    clients,
    target: { kind: 'endpoint', label: 'test endpoint', region: 'us-east-1' },
    port: 0,
    staticDir: mkdtempSync(join(tmpdir(), 'ddbctl-ui-static-')),
  });
  const r = await fetch(ui.url, { redirect: 'manual' });
  expect(r.status).toBe(302);
  const set = r.headers.get('set-cookie') ?? '';
  expect(set).toMatch(/HttpOnly/);
  expect(set).toMatch(/SameSite=Strict/);
  expect(set).toMatch(/Path=\//);
  cookie = set.split(';')[0] as string;
});

afterAll(async () => {
  await ui?.close();
  await deleteTable(clients, T).catch(() => {});
  clients.destroy();
});

describe('ui server security', () => {
  it('refuses a request without the session cookie (401) and a wrong token', async () => {
    const saved = cookie;
    cookie = '';
    try {
      const r = await api('/api/tables');
      expect(r.status).toBe(401);
      expect((await r.json()).error.code).toBe('ui.session');
      const page = await api('/');
      expect(page.status).toBe(401);
      expect((await page.json()).error.message).toContain(
        'open the URL with the token that ddbctl ui printed',
      );
      expect((await fetch(`${ui.origin}/?token=nope`, { redirect: 'manual' })).status).toBe(401);
      cookie = saved.replace(/=[^;]*/, '=nope');
      expect((await api('/api/tables')).status).toBe(401);
    } finally {
      cookie = saved;
    }
  });

  it('refuses a foreign Host (DNS rebinding), with the cookie; takes localhost', async () => {
    expect(await statusWithHost(ui.origin, `evil.example:${new URL(ui.origin).port}`, cookie)).toBe(403);
    // An address is no rebinding, but this server is bound to 127.0.0.1 alone: not its address.
    expect(await statusWithHost(ui.origin, `10.9.8.7:${new URL(ui.origin).port}`, cookie)).toBe(403);
    const status = await statusWithHost(ui.origin, `localhost:${new URL(ui.origin).port}`, cookie);
    expect(status).toBe(200);
  });

  it('refuses a cross-origin write and a write without Origin; nothing written', async () => {
    const item = { pk: { S: 'xo' }, sk: { N: '1' } };
    const cross = await api(`/api/tables/${T}/item`, {
      ...json('PUT', { item }),
      origin: 'http://evil.example',
    });
    expect(cross.status).toBe(403);
    expect((await cross.json()).error.code).toBe('ui.origin');
    const none = await api(`/api/tables/${T}/item`, { ...json('PUT', { item }), origin: null });
    expect(none.status).toBe(403);
    const got = await clients.ddb.send(new GetItemCommand({ TableName: T, Key: item }));
    expect(got.Item).toBeUndefined();
  });

  it('sends a strict CSP and no CORS headers on every answer', async () => {
    for (const r of [
      await api('/api/target'),
      await api('/'),
      await api('/api/nope'),
      await fetch(ui.origin),
    ]) {
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      for (const [name] of r.headers) expect(name).not.toMatch(/^access-control-/);
    }
    const pre = await api('/api/tables', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'PUT' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('says how to fix a port in use', async () => {
    const port = Number(new URL(ui.origin).port);
    await expect(startUiServer({ clients, target: ui0, port, staticDir: tmpdir() })).rejects.toMatchObject({
      code: 'port.inUse',
      isUsage: false,
      message: expect.stringContaining(`127.0.0.1:${port}: the port is in use; pass another --port`),
    });
  });

  it('says the UI is not built when dist/ui has no index.html', async () => {
    const r = await api('/');
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('npm run build');
  });
});

describe('ui server: the built web app', () => {
  it('serves dist/ui files (index.html for /), with the session only, never a file outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-ui-app-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(tmpdir(), 'ddbctl-ui-secret.txt'), 'TOP-SECRET-CONTENT');
    const app = await startUiServer({
      clients,
      target: { kind: 'embedded', label: 'x' },
      port: 0,
      staticDir: dir,
    });
    try {
      const r0 = await fetch(app.url, { redirect: 'manual' });
      const c = (r0.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const page = await fetch(`${app.origin}/`, { headers: { cookie: c } });
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<title>app</title>');
      const js = await fetch(`${app.origin}/assets/app.js`, { headers: { cookie: c } });
      expect(js.headers.get('content-type')).toContain('text/javascript');
      expect(js.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await fetch(`${app.origin}/assets/app.js`)).status).toBe(401);
      for (const path of [
        '/..%2fddbctl-ui-secret.txt',
        '/%2e%2e/ddbctl-ui-secret.txt',
        '/assets/..%2f..%2fddbctl-ui-secret.txt',
      ]) {
        const r = await fetch(`${app.origin}${path}`, { headers: { cookie: c } });
        expect(r.status).toBe(404);
        expect(await r.text()).not.toContain('TOP-SECRET-CONTENT');
      }
    } finally {
      await app.close();
    }
  });
});

describe('ui server API', () => {
  it('GET /api/target and /api/tables', async () => {
    const t = await (await api('/api/target')).json();
    expect(t).toMatchObject({ kind: 'endpoint', label: 'test endpoint', readOnly: false });
    // What the engine does, as plan learns it: DynamoDB Local has no tagging.
    expect(t.features.tags).toBe(caps().tags);
    expect(t.features.ttl).toBe(true);
    expect(JSON.stringify(t)).not.toMatch(/secret|accessKey/i);
    const list = await (await api('/api/tables')).json();
    const mine = list.tables.find((x: { name: string }) => x.name === T);
    expect(mine).toMatchObject({ name: T, status: 'ACTIVE', billing: 'PAY_PER_REQUEST' });
    const d = await (await api(`/api/tables/${T}`)).json();
    expect(d.table.TableName).toBe(T);
    expect(d.table.GlobalSecondaryIndexes[0].IndexName).toBe('byG');
    const missing = await api('/api/tables/no-such-table-here');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('table.notFound');
  });

  it('puts, gets, reads and queries an item with every type exactly', async () => {
    const put = await api(`/api/tables/${T}/item`, json('PUT', { item: ITEM }));
    expect(put.status).toBe(200);
    // Stored exactly: read back with the raw SDK client (no ddbctl codec in between).
    const raw = await clients.ddb.send(
      new GetItemCommand({ TableName: T, Key: { pk: ITEM.pk, sk: ITEM.sk } }),
    );
    expect(raw.Item?.sk).toEqual(ITEM.sk);
    expect(normalizeNumber(raw.Item?.big?.N as string)).toBe(normalizeNumber(ITEM.big.N));
    expect(new Set(raw.Item?.tags?.SS)).toEqual(new Set(['a', 'b', 'c']));
    expect(Buffer.from(raw.Item?.bin?.B as Uint8Array).toString('base64')).toBe('AAEC/w==');
    const key = encodeURIComponent(JSON.stringify({ pk: ITEM.pk, sk: ITEM.sk }));
    const got = await (await api(`/api/tables/${T}/item?key=${key}`)).json();
    expect(canonical(got.item)).toEqual(canonical(stored(raw.Item)));
    expect(got.item.sk).toEqual(ITEM.sk);
    expect(got.item.nested).toEqual(ITEM.nested);
    expect(got.item.bin).toEqual(ITEM.bin);
    const scan = await (await api(`/api/tables/${T}/read`, json('POST', { mode: 'scan' }))).json();
    expect(scan.count).toBe(1);
    expect(canonical(scan.items[0])).toEqual(canonical(got.item));
    const q = await (
      await api(
        `/api/tables/${T}/read`,
        json('POST', {
          mode: 'query',
          index: 'byG',
          partition: { S: 'G' },
          sk: { op: 'between', values: [{ N: '12345678901234567890123456789012345677' }, ITEM.sk] },
          filter: 'nested.deep.n > 3',
          project: 'pk,sk,nested.deep.n',
        }),
      )
    ).json();
    expect(q.items).toEqual([
      { pk: ITEM.pk, sk: ITEM.sk, nested: { M: { deep: { M: { n: ITEM.nested.M.deep.M.n } } } } },
    ]);
    const none = await (
      await api(
        `/api/tables/${T}/read`,
        json('POST', { mode: 'query', partition: { S: 'p1' }, sk: { op: '>', values: [ITEM.sk] } }),
      )
    ).json();
    expect(none.items).toEqual([]);
  });

  it('pages a scan with limit and startKey', async () => {
    const items = [1, 2, 3, 4, 5].map((n) => ({ pk: { S: 'page' }, sk: { N: String(n) }, g: { S: 'P' } }));
    for (const item of items)
      expect((await api(`/api/tables/${T}/item`, json('PUT', { item }))).status).toBe(200);
    const seen: unknown[] = [];
    let startKey: unknown;
    for (let n = 0; n < 10; n++) {
      const body = { mode: 'query', partition: { S: 'page' }, limit: 2, ...(startKey ? { startKey } : {}) };
      const r = await (await api(`/api/tables/${T}/read`, json('POST', body))).json();
      seen.push(...r.items.map((i: { sk: unknown }) => i.sk));
      startKey = r.lastKey;
      if (!startKey) break;
    }
    expect(seen).toEqual(items.map((i) => i.sk));
  });

  it('a filter that matches few items still fills the page, in order, and pages on', async () => {
    // 4 matches in 160 items: 40 requests of at most 4 items each (the items still wanted).
    const items = Array.from({ length: 200 }, (_, n) => ({
      pk: { S: 'sparse' },
      sk: { N: String(n) },
      odd: { M: { yes: { BOOL: n % 50 === 7 } } },
    }));
    const keys = items.map((i) => ({ pk: i.pk, sk: i.sk }));
    for (const item of items)
      expect((await api(`/api/tables/${T}/item`, json('PUT', { item }))).status).toBe(200);
    const body = { mode: 'query', partition: { S: 'sparse' }, filter: 'odd.yes = true', limit: 4 };
    const first = await (await api(`/api/tables/${T}/read`, json('POST', body))).json();
    expect(first.items.map((i: Json) => i.sk.N)).toEqual(['7', '57', '107', '157']);
    const next = await (
      await api(`/api/tables/${T}/read`, json('POST', { ...body, startKey: first.lastKey }))
    ).json();
    expect(next.items).toEqual([]);
    expect(next.lastKey).toBeUndefined();
    const deleted = await (await api(`/api/tables/${T}/delete-items`, json('POST', { keys }))).json();
    expect(deleted).toEqual({ deleted: 200, failed: [] });
  });

  it('a put of an existing key without expected is 409 ui.exists; a JSON number is refused', async () => {
    const r = await api(`/api/tables/${T}/item`, json('PUT', { item: ITEM }));
    expect(r.status).toBe(409);
    expect((await r.json()).error.code).toBe('ui.exists');
    const n = await api(`/api/tables/${T}/item`, json('PUT', { item: { pk: { S: 'n' }, sk: { N: 1 } } }));
    expect(n.status).toBe(400);
    expect((await n.json()).error.code).toBe('input.json');
  });

  it('an unpaired surrogate in a string is a 400 saying where and how to fix, as ddbctl put says; nothing is written', async () => {
    // NOTE: JSON.stringify writes the lone surrogate as the escape \ud800, as the page sends it.
    const item = { pk: { S: 'lone' }, sk: { N: '1' }, note: { M: { t: { S: 'ab\ud800' } } } };
    const r = await api(`/api/tables/${T}/item`, json('PUT', { item }));
    expect(r.status).toBe(400);
    const { error } = await r.json();
    expect(error.code).toBe('input.item');
    expect(error.message).toMatch(
      /^item: note\.t: the text has an unpaired UTF-16 surrogate \(\\uD800\) at character 3, which has no UTF-8 form .*: remove it/,
    );
    const key = encodeURIComponent(JSON.stringify({ pk: item.pk, sk: item.sk }));
    expect((await api(`/api/tables/${T}/item?key=${key}`)).status).toBe(404);
    const ok = { ...item, note: { M: { t: { S: 'ab😀' } } } };
    expect((await api(`/api/tables/${T}/item`, json('PUT', { item: ok }))).status).toBe(200);
    const back = (await (await api(`/api/tables/${T}/item?key=${key}`)).json()).item;
    expect(back.note).toEqual({ M: { t: { S: 'ab😀' } } });
    await api(`/api/tables/${T}/item`, json('DELETE', { key: { pk: item.pk, sk: item.sk } }));
  });

  it('edits with expected; a change since the read is 409 ui.changed and not overwritten', async () => {
    const key = encodeURIComponent(JSON.stringify({ pk: ITEM.pk, sk: ITEM.sk }));
    const read = (await (await api(`/api/tables/${T}/item?key=${key}`)).json()).item;
    const edited = { ...read, tags: { SS: ['a', 'b', 'c', 'd'] } };
    const ok = await api(`/api/tables/${T}/item`, json('PUT', { item: edited, expected: read }));
    expect(ok.status).toBe(200);
    // A second edit from the same (now stale) read: refused.
    const stale = await api(
      `/api/tables/${T}/item`,
      json('PUT', { item: { ...read, g: { S: 'X' } }, expected: read }),
    );
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe('ui.changed');
    const now = (await (await api(`/api/tables/${T}/item?key=${key}`)).json()).item;
    expect(new Set(now.tags.SS)).toEqual(new Set(['a', 'b', 'c', 'd']));
    expect(now.g).toEqual({ S: 'G' });
    // Deleting from the stale read is refused too; from the fresh one it deletes.
    const del = await api(
      `/api/tables/${T}/item`,
      json('DELETE', { key: { pk: ITEM.pk, sk: ITEM.sk }, expected: read }),
    );
    expect(del.status).toBe(409);
    const del2 = await api(
      `/api/tables/${T}/item`,
      json('DELETE', { key: { pk: ITEM.pk, sk: ITEM.sk }, expected: now }),
    );
    expect(await del2.json()).toEqual({ deleted: true });
    expect((await api(`/api/tables/${T}/item?key=${key}`)).status).toBe(404);
  });

  it('deletes items in bulk', async () => {
    const keys = [1, 2, 3, 4, 5].map((n) => ({ pk: { S: 'page' }, sk: { N: String(n) } }));
    const r = await (await api(`/api/tables/${T}/delete-items`, json('POST', { keys }))).json();
    expect(r).toEqual({ deleted: 5, failed: [] });
    const left = await (
      await api(`/api/tables/${T}/read`, json('POST', { mode: 'query', partition: { S: 'page' } }))
    ).json();
    expect(left.count).toBe(0);
  });
});

describe('ui server: names in filters and projections, as query --filter and --names take them', () => {
  const name = uniqueName('uinames');
  beforeAll(async () => {
    expect((await api('/api/apply', json('POST', { spec: { name, partitionKey: 'id:S' } }))).status).toBe(
      200,
    );
    for (const [id, status] of [
      ['a', 'active'],
      ['b', 'gone'],
    ]) {
      const item = {
        id: { S: id },
        status: { S: status },
        name: { S: `n-${id}` },
        'a.b': { S: 'dot' },
        'a-b': { N: id === 'a' ? '1' : '2' },
        '😀': { S: 'e' },
      };
      expect((await api(`/api/tables/${name}/item`, json('PUT', { item }))).status).toBe(200);
    }
  });
  afterAll(async () => {
    await api(`/api/tables/${name}`, json('DELETE', { confirm: name }));
  });
  const read = (body: Json) => api(`/api/tables/${name}/read`, json('POST', { mode: 'scan', ...body }));

  it('reserved words as they are; dots, dashes and emoji between backticks; the same in the projection', async () => {
    const r = await (
      await read({
        filter: "status = 'active' AND name = 'n-a' AND `a-b` = 1 AND `😀` = 'e'",
        project: 'id, status, `a.b`, `a-b`',
      })
    ).json();
    expect(r.items).toEqual([
      { id: { S: 'a' }, status: { S: 'active' }, 'a.b': { S: 'dot' }, 'a-b': { N: '1' } },
    ]);
  });

  it('#name and :value placeholders of your own (names as --names, values in DynamoDB JSON)', async () => {
    const r = await (
      await read({
        filter: '#s = :v AND #d > :n',
        names: { '#s': 'status', '#d': 'a-b' },
        values: { ':v': { S: 'gone' }, ':n': { N: '1' } },
        project: '#s, id',
      })
    ).json();
    expect(r.items).toEqual([{ id: { S: 'b' }, status: { S: 'gone' } }]);
    const unused = await read({ filter: 'id = :v', names: { '#s': 'status' }, values: { ':v': { S: 'a' } } });
    expect(unused.status).toBe(400);
    expect((await unused.json()).error.message).toMatch(/#s/);
    const bad = await read({ filter: '#s = 1', names: ['status'] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^names: expected an object/);
    const number = await read({ filter: 'id = :v', values: { ':v': { N: 1 } } });
    expect(number.status).toBe(400);
  });
});

describe('ui server: PartiQL and tables', () => {
  it('runs PartiQL with parameters, items in exact DynamoDB JSON', async () => {
    const big = '98765432109876543210987654321098765432';
    const ins = await api(
      '/api/partiql',
      json('POST', {
        statement: `INSERT INTO "${T}" VALUE {'pk': ?, 'sk': ?, 's': ?}`,
        parameters: [{ S: 'sql' }, { N: big }, { SS: ['x', 'y'] }],
      }),
    );
    expect(ins.status).toBe(200);
    const sel = await (
      await api(
        '/api/partiql',
        json('POST', { statement: `SELECT * FROM "${T}" WHERE pk = ?`, parameters: [{ S: 'sql' }] }),
      )
    ).json();
    expect(sel.items).toHaveLength(1);
    expect(sel.items[0].sk).toEqual({ N: big });
    expect(new Set(sel.items[0].s.SS)).toEqual(new Set(['x', 'y']));
    const bad = await api('/api/partiql', json('POST', { statement: 'SELECT * FROM "t" WHERE a = ?' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('input.expression');
  });

  it('plans, applies and deletes a table (the name typed to confirm)', async () => {
    const name = uniqueName('uispec');
    const spec = { name, partitionKey: 'id:S', sortKey: 'n:N', gsis: [{ name: 'byG', partitionKey: 'g:S' }] };
    const plan = await (await api('/api/plan', json('POST', { spec }))).json();
    expect(plan.steps.length).toBeGreaterThan(0);
    expect(plan.steps[0]).toMatchObject({
      table: name,
      kind: expect.any(String),
      description: expect.any(String),
    });
    const applied = await api('/api/apply', json('POST', { spec }));
    expect(applied.status).toBe(200);
    expect((await applied.json()).tables[0].table).toBe(name);
    const d = await (await api(`/api/tables/${name}`)).json();
    expect(d.table.KeySchema).toHaveLength(2);
    expect(d.table.GlobalSecondaryIndexes[0].IndexName).toBe('byG');
    const again = await (await api('/api/plan', json('POST', { spec }))).json();
    expect(again.steps).toEqual([]);
    const bad = await api('/api/plan', json('POST', { spec: { name, partitionKey: 'id:Q' } }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('input.spec');
    const wrong = await api(`/api/tables/${name}`, json('DELETE', { confirm: 'other' }));
    expect(wrong.status).toBe(400);
    expect((await api(`/api/tables/${name}`)).status).toBe(200);
    const del = await api(`/api/tables/${name}`, json('DELETE', { confirm: name }));
    expect(del.status).toBe(200);
    expect((await api(`/api/tables/${name}`)).status).toBe(404);
  });
});

describe('ui server: export and import', () => {
  it('imports a file as a job, then exports it in every format with every type exact', async () => {
    const name = uniqueName('uixfer');
    const spec = { name, partitionKey: 'id:S' };
    expect((await api('/api/apply', json('POST', { spec }))).status).toBe(200);
    const items: Json[] = [
      { ...ITEM, id: { S: 'a' } },
      { id: { S: 'b' }, n: { N: '0.1234567890123456789012345678901234567' }, l: { L: [{ BS: ['AA=='] }] } },
    ];
    const file = items.map((i) => JSON.stringify({ Item: i })).join('\n');
    const up = await api(`/api/tables/${name}/import?format=ddb-json`, { method: 'POST', body: file });
    expect(up.status).toBe(200);
    const { job } = await up.json();
    let state: Json;
    for (let n = 0; n < 100; n++) {
      state = await (await api(`/api/jobs/${job}`)).json();
      if (state.done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toMatchObject({ done: true, written: 2, failed: 0 });
    expect(state.error).toBeUndefined();
    const ddb = await api(`/api/tables/${name}/export?format=ddb-json`);
    expect(ddb.status).toBe(200);
    expect(ddb.headers.get('content-disposition')).toContain(`${name}.ddb.json`);
    const back = (await ddb.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).Item);
    const byId = (xs: Json[]) => xs.sort((a, b) => (a.id.S < b.id.S ? -1 : 1)).map(canonical);
    expect(byId(back)).toEqual(byId(items));
    const nd = await (await api(`/api/tables/${name}/export?format=ndjson`)).text();
    expect(nd).toContain('12345678901234567890123456789012345678');
    expect(nd).toContain('"$set"');
    // Items outside the CSV columns are never dropped silently: before the first byte, a 409 saying so.
    const csv = await api(`/api/tables/${name}/export?format=csv&columns=id,n`);
    expect(csv.status).toBe(409);
    expect((await csv.json()).error).toMatchObject({
      code: 'transfer.rejected',
      message: expect.stringMatching(/not CSV columns .*export from the page/),
    });
    const csvAll = await api(
      `/api/tables/${name}/export?format=csv&columns=id,n,l,${Object.keys(ITEM).join(',')}`,
    );
    expect(csvAll.status).toBe(200);
    expect((await csvAll.text()).trim().split('\n')).toHaveLength(3);
    const missing = await api('/api/tables/no-such-table-here/export');
    expect(missing.status).toBe(404);
    expect((await api('/api/jobs/nope')).status).toBe(404);
    expect((await api(`/api/tables/${name}`, json('DELETE', { confirm: name }))).status).toBe(200);
  });
});

/** Poll an export or import job until done, keeping every state seen. */
async function follow(job: string): Promise<Json[]> {
  const seen: Json[] = [];
  for (let n = 0; n < 2000; n++) {
    const state = await (await api(`/api/jobs/${job}`)).json();
    seen.push(state);
    if (state.done) return seen;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`job ${job} did not end: ${JSON.stringify(seen.at(-1))}`);
}

describe('ui server: export as a job (the page)', () => {
  const name = uniqueName('uiexp');
  beforeAll(async () => {
    expect((await api('/api/apply', json('POST', { spec: { name, partitionKey: 'id:S' } }))).status).toBe(
      200,
    );
    // 150 items of one shape, 3 of another: a CSV of the first item's columns cannot hold those 3.
    const lines = [
      ...Array.from({ length: 150 }, (_, i) =>
        JSON.stringify({ id: `i${String(i).padStart(3, '0')}`, n: i }),
      ),
      ...['x1', 'x2', 'x3'].map((id) => JSON.stringify({ id, n: 1, extra: 'other shape' })),
    ];
    const up = await api(`/api/tables/${name}/import?format=ndjson`, {
      method: 'POST',
      body: lines.join('\n'),
    });
    const done = (await follow((await up.json()).job)).at(-1);
    expect(done).toMatchObject({ done: true, written: 153, failed: 0 });
  });
  afterAll(async () => {
    await api(`/api/tables/${name}`, json('DELETE', { confirm: name }));
  });

  it('a CSV import whose header has no key column ends at the header with the reason, nothing written', async () => {
    const up = await api(`/api/tables/${name}/import?format=csv`, {
      method: 'POST',
      body: 'name,n\nbob,1\n',
    });
    const done = (await follow((await up.json()).job)).at(-1);
    expect(done).toMatchObject({ done: true, written: 0 });
    expect(done.error.message).toMatch(
      /^CSV header \(line 1\) has no column 'id', which every row needs: table /,
    );
  });

  it('an import reports items written while it runs (the page shows these counts)', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: `p${i}`, n: i }));
    const up = await api(`/api/tables/${name}/import?format=ndjson`, {
      method: 'POST',
      body: lines.join('\n'),
    });
    const seen = await follow((await up.json()).job);
    expect(seen.at(-1)).toMatchObject({ done: true, read: 2000, written: 2000, failed: 0 });
    expect(seen.some((s) => !s.done && s.written > 0 && s.written < 2000)).toBe(true);
    const keys = lines.map((_, i) => ({ id: { S: `p${i}` } }));
    const del = await (await api(`/api/tables/${name}/delete-items`, json('POST', { keys }))).json();
    expect(del).toEqual({ deleted: 2000, failed: [] });
  });

  it('reports items written while it runs, then the file to download', async () => {
    const r = await api(`/api/tables/${name}/export?format=ndjson&pageSize=2`, { method: 'POST' });
    expect(r.status).toBe(200);
    const seen = await follow((await r.json()).job);
    const last = seen.at(-1);
    expect(last).toMatchObject({ kind: 'export', done: true, written: 153, failed: 0, read: 153 });
    expect(last.error).toBeUndefined();
    // Progress is real: some state while running had written part of the table.
    expect(seen.some((s) => !s.done && s.written > 0 && s.written < 153)).toBe(true);
    const file = await api(last.file);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(`${name}.ndjson`);
    expect((await file.text()).trim().split('\n')).toHaveLength(153);
    expect(last.rejectsFile).toBeUndefined();
  });

  it('CSV: counts and keeps the items outside its columns, with why, as ddbctl export does', async () => {
    const r = await api(`/api/tables/${name}/export?format=csv&columns=id,n`, { method: 'POST' });
    const last = (await follow((await r.json()).job)).at(-1);
    expect(last).toMatchObject({ done: true, written: 150, failed: 3 });
    // One entry a reason, with how many items it left out (the three have the same shape).
    expect(last.rejects).toEqual([
      { reason: expect.stringMatching(/attributes that are not CSV columns \(extra\)/), count: 3 },
    ]);
    const csv = (await (await api(last.file)).text()).trim().split('\n');
    expect(csv[0]).toBe('id,n');
    expect(csv).toHaveLength(151);
    const left = (await (await api(last.rejectsFile)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(left.map((x) => x.item.id).sort()).toEqual(['x1', 'x2', 'x3']);
    expect(left[0]).toMatchObject({
      reason: expect.stringMatching(/not CSV columns/),
      item: { extra: 'other shape' },
    });
  });

  it('an export of a table that does not exist ends with its error; bad requests are 400', async () => {
    const r = await api('/api/tables/no-such-table-here/export?format=ndjson', { method: 'POST' });
    const last = (await follow((await r.json()).job)).at(-1);
    expect(last.error.code).toBe('table.notFound');
    expect(last.file).toBeUndefined();
    expect((await api('/api/tables/x/export?format=xml', { method: 'POST' })).status).toBe(400);
    expect((await api(`/api/tables/${name}/export?pageSize=0`, { method: 'POST' })).status).toBe(400);
    expect((await api('/api/jobs/nope/file')).status).toBe(404);
  });
});

describe('ui server on a read-only target', () => {
  it('refuses writes with 403 ui.readOnly and still reads', async () => {
    const ro = await startUiServer({
      clients,
      target: { kind: 'aws', label: 'AWS', region: 'us-east-1', account: '123456789012' },
      port: 0,
      staticDir: tmpdir(),
    });
    try {
      const r0 = await fetch(ro.url, { redirect: 'manual' });
      const c = (r0.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const t = await (await get(`${ro.origin}/api/target`, { headers: { cookie: c } })).json();
      expect(t).toMatchObject({ kind: 'aws', readOnly: true, region: 'us-east-1', account: '123456789012' });
      const w = await get(`${ro.origin}/api/tables/${T}/item`, {
        method: 'PUT',
        headers: { cookie: c, origin: ro.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ item: { pk: { S: 'ro' }, sk: { N: '1' } } }),
      });
      expect(w.status).toBe(403);
      expect((await w.json()).error.code).toBe('ui.readOnly');
      const read = await fetch(`${ro.origin}/api/tables/${T}/read`, {
        method: 'POST',
        headers: { cookie: c, origin: ro.origin },
        body: JSON.stringify({ mode: 'scan' }),
      });
      expect(read.status).toBe(200);
      const post = (path: string, body: unknown) =>
        get(`${ro.origin}${path}`, {
          method: 'POST',
          headers: { cookie: c, origin: ro.origin },
          body: JSON.stringify(body),
        });
      const ins = await post('/api/partiql', { statement: `INSERT INTO "${T}" VALUE {'pk': 'ro', 'sk': 1}` });
      expect(ins.status).toBe(403);
      expect((await post('/api/partiql', { statement: ` SELECT * FROM "${T}"` })).status).toBe(200);
      expect((await post('/api/apply', { spec: { name: 'ro-table', partitionKey: 'id:S' } })).status).toBe(
        403,
      );
      const drop = await get(`${ro.origin}/api/tables/${T}`, {
        method: 'DELETE',
        headers: { cookie: c, origin: ro.origin },
        body: JSON.stringify({ confirm: T }),
      });
      expect(drop.status).toBe(403);
    } finally {
      await ro.close();
    }
  });
});

/** The status of GET /api/tables sent to `origin` with this Host header (fetch will not set one). */
async function statusWithHost(origin: string, host: string, cookie: string): Promise<number> {
  const { request } = await import('node:http');
  const u = new URL(origin);
  return new Promise<number>((resolve, reject) => {
    request({ host: u.hostname, port: u.port, path: '/api/tables', headers: { host, cookie } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

/** An item from the raw SDK (binary as bytes) in DynamoDB JSON as the API writes it. */
function stored(item: unknown): unknown {
  return binaryToBase64(item);
}

/** Sets sorted, for comparing (DynamoDB keeps no order in a set). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v as object)
      .sort()
      .map((k) => {
        const x = (v as Record<string, unknown>)[k];
        return [k, ['SS', 'NS', 'BS'].includes(k) && Array.isArray(x) ? [...x].sort() : canonical(x)];
      }),
  );
}

describe('ui server on a target that does not answer', () => {
  it("answers 500 with the library's message, and tells its caller", async () => {
    const gone = createClients({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:1',
      credentials: 'local',
      label: 'http://127.0.0.1:1',
      maxAttempts: 1,
    });
    const events: UiEvent[] = [];
    const down = await startUiServer({
      clients: gone,
      target: { kind: 'endpoint', label: 'gone' },
      staticDir: tmpdir(),
      onEvent: (e) => events.push(e),
    });
    try {
      const r0 = await fetch(down.url, { redirect: 'manual' });
      const c = (r0.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const r = await get(`${down.origin}/api/tables`, { headers: { cookie: c } });
      expect(r.status).toBe(500);
      const { error } = await r.json();
      expect(error.code).toBe('endpoint.unreachable');
      expect(error.message).toContain('127.0.0.1:1');
      expect(events.find((e) => e.type === 'error')).toMatchObject({ method: 'GET', path: '/api/tables' });
      expect(events.filter((e) => e.type === 'request').map((e) => (e as { status: number }).status)).toEqual(
        [302, 500],
      );
    } finally {
      await down.close();
      gone.destroy();
    }
  });
});

describe('ddbctl ui', () => {
  it('serves the target until Ctrl-C (exit 130), prints the URL with its token, warns on a non-loopback host', async () => {
    let resolveUp: (origin: string) => void = () => {};
    const up = new Promise<string>((resolve) => {
      resolveUp = resolve;
    });
    const finished = cli(['ui', '--no-open', '--host', '0.0.0.0', '-o', 'json'], {
      onStderr: (s) => {
        const m = /ui at (http:\/\/\S+);/.exec(s);
        if (m) resolveUp(m[1] as string);
      },
    });
    const at = await up;
    expect(at).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get(`${at}/api/target`)).status).toBe(401);
    // Bound to every interface: the page may be opened at any address of the machine (401: no
    // session yet, not 403), never at a name other than localhost.
    const port = new URL(at).port;
    expect(await statusWithHost(at, `10.9.8.7:${port}`, '')).toBe(401);
    expect(await statusWithHost(at, `[fd00::1]:${port}`, '')).toBe(401);
    expect(await statusWithHost(at, `evil.example:${port}`, '')).toBe(403);
    expect(await statusWithHost(at, `10.9.8.7:${Number(port) + 1}`, '')).toBe(403);
    process.emit('SIGINT');
    const r = await finished;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('warning: serving on 0.0.0.0');
    const { url } = JSON.parse(r.stdout);
    expect(url).toMatch(new RegExp(`^${at}/\\?token=[\\w-]{32}$`));
    await expect(get(`${at}/api/target`)).rejects.toThrow();
  });
});

/** Run `ddbctl GLOBAL ui --no-open ARGS`, read /api/target through the printed URL, then Ctrl-C. */
async function uiTargetOf(global: string[], args: string[]): Promise<{ target: Json; code: number }> {
  let resolveUrl: (url: string) => void = () => {};
  const printed = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  const run = cli([...global, 'ui', '--no-open', ...args], {
    env: {
      AWS_ACCESS_KEY_ID: 'AKIDUITESTKEY',
      AWS_SECRET_ACCESS_KEY: 'uiTestSecretValue',
      AWS_ACCOUNT_ID: '123456789012',
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    onStdout: (s) => {
      const m = /(http:\/\/\S+\?token=\S+)/.exec(s);
      if (m) resolveUrl(m[1] as string);
    },
  });
  const url = await printed;
  const r0 = await fetch(url, { redirect: 'manual' });
  const c = (r0.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const answer = await get(`${new URL(url).origin}/api/target`, { headers: { cookie: c } });
  const text = await answer.text();
  // Nothing of the credentials in what the page gets.
  expect(text).not.toContain('AKIDUITESTKEY');
  expect(text).not.toContain('uiTestSecretValue');
  process.emit('SIGINT');
  return { target: JSON.parse(text), code: (await run).code };
}

describe('ddbctl ui on an --endpoint-url target', () => {
  it('tells the page the endpoint it talks to (the banner shows the label); writes allowed', async () => {
    const r = await uiTargetOf(['--endpoint-url', endpoint(), '--region', 'eu-north-1'], []);
    expect(r.target).toMatchObject({ kind: 'endpoint', region: 'eu-north-1', readOnly: false });
    expect(r.target.label).toBe(`endpoint ${endpoint()} (region eu-north-1)`);
    expect(r.target.account).toBeUndefined();
    expect(r.code).toBe(130);
  });
});

describe('ddbctl ui on AWS (no request leaves: /api/target needs none)', () => {
  // The banner's account is asked of STS (GetCallerIdentity): here of a loopback port nobody
  // listens on, so it falls back to what the credentials say (AWS_ACCOUNT_ID).
  beforeAll(() => vi.stubEnv('AWS_ENDPOINT_URL_STS', 'http://127.0.0.1:9'));
  afterAll(() => vi.unstubAllEnvs());
  const awsTarget = (args: string[]) => uiTargetOf(['--aws', '--region', 'eu-west-3'], args);

  it('is read-only, with the account and region for the banner; --allow-writes lifts it', async () => {
    const ro = await awsTarget([]);
    expect(ro.target).toMatchObject({
      kind: 'aws',
      region: 'eu-west-3',
      account: '123456789012',
      readOnly: true,
    });
    expect(ro.code).toBe(130);
    const rw = await awsTarget(['--allow-writes']);
    expect(rw.target).toMatchObject({ kind: 'aws', readOnly: false });
  });
});
