// `ddbctl ui`'s safety, seen from a real browser: a request without the session is refused, a page
// reached through a foreign name (DNS rebinding) is refused even with the token, and a page of
// another origin cannot write, even though the browser sends it the session cookie.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItem, putItem } from '../../src/index.js';
import { uniqueName } from '../helpers.js';
import {
  launchBrowser,
  newPage,
  otherOrigin,
  pageFetch,
  skipReason,
  startUi,
  tableById,
  testClients,
  type Ui,
} from './browser.js';

describe.skipIf(skipReason)('ddbctl ui refuses what is not its own page', () => {
  const clients = testClients();
  const table = uniqueName('uisec');
  let browser: Browser;
  let ui: Ui;

  beforeAll(async () => {
    await tableById(table);
    await putItem(clients, table, { id: 'keep', n: 1 });
    browser = await launchBrowser({ hosts: ['rebind.example'] });
    ui = await startUi();
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  it('without the token: the API answers 401 and no table name; with it: a cookie, then the tables', async () => {
    const { context, page } = await newPage(browser);
    // The page itself, opened without the printed URL's token: a short page saying so, not the app.
    const home = await page.goto(`${ui.origin}/`);
    expect(home?.status()).toBe(401);
    expect(await page.locator('body').textContent()).toMatch(/token/i);
    expect(await page.getByTestId('target-banner').count()).toBe(0);
    const bare = await page.goto(`${ui.origin}/api/tables`);
    expect(bare?.status()).toBe(401);
    const refused = await bare?.text();
    expect(JSON.parse(refused ?? '{}').error.code).toBe('ui.session');
    expect(refused).not.toContain(table);

    // The printed URL: its token is swapped for the cookie and the address bar loses it.
    await page.goto(ui.url);
    expect(page.url()).toBe(`${ui.origin}/`);
    const cookie = (await context.cookies(ui.origin)).find((c) => c.name.startsWith('ddbctl_ui_'));
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const listed = await pageFetch(page, `${ui.origin}/api/tables`, {});
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body).tables.map((t: { name: string }) => t.name)).toContain(table);
    // A wrong token is no token.
    const { context: stranger, page: other } = await newPage(browser);
    const wrong = await other.goto(`${ui.origin}/?token=not-the-token`);
    expect(wrong?.status()).not.toBe(200);
    const after = await other.goto(`${ui.origin}/api/tables`);
    expect(after?.status()).toBe(401);
    await stranger.close();
    await context.close();
  });

  it('a foreign Host (DNS rebinding) is refused, even with the token in the URL', async () => {
    const { context, page } = await newPage(browser);
    const port = new URL(ui.origin).port;
    const token = new URL(ui.url).searchParams.get('token');
    // rebind.example resolves to 127.0.0.1 in this browser, as an attacker's name would after rebinding.
    const withToken = await page.goto(`http://rebind.example:${port}/?token=${token}`);
    expect(withToken?.status()).toBe(403);
    // A page (HTML) saying why, and no cookie.
    expect(await page.locator('body').textContent()).toMatch(/Host/);
    expect(await context.cookies(`http://rebind.example:${port}`)).toEqual([]);
    const api = await page.goto(`http://rebind.example:${port}/api/tables`);
    expect(api?.status()).toBe(403);
    const refused = await api?.text();
    expect(JSON.parse(refused ?? '{}').error.code).toBe('ui.host');
    expect(refused).not.toContain(table);
    await context.close();
  });

  it("a page of another origin cannot write, though the browser sends it the session's cookie", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(ui.url);
    const attacker = await otherOrigin('<!doctype html><title>elsewhere</title><p>another site</p>');
    try {
      await page.goto(attacker.url);
      const target = `${ui.origin}/api/tables/${table}/delete-items`;
      const body = JSON.stringify({ keys: [{ id: { S: 'keep' } }] });
      // A "simple" request (no preflight), the form-post kind of CSRF: the request reaches the
      // server, with the cookie (127.0.0.1 on another port is the same site), and must be refused.
      const simple = await pageFetch(page, target, {
        method: 'POST',
        mode: 'no-cors',
        credentials: 'include',
        body,
        headers: { 'content-type': 'text/plain' },
      });
      // (The page sees a network error either way: the answer's Cross-Origin-Resource-Policy.)
      expect(simple.type).toBe('error');
      // A JSON request needs a preflight, which finds no CORS header: the browser never sends it.
      const cors = await pageFetch(page, target, {
        method: 'POST',
        credentials: 'include',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(cors.type).toBe('error');
      const put = await pageFetch(page, `${ui.origin}/api/tables/${table}/item`, {
        method: 'PUT',
        credentials: 'include',
        body: JSON.stringify({ item: { id: { S: 'planted' } } }),
      });
      expect(put.type).toBe('error');
      // Reading is refused to the other page too: no CORS header lets its script see an answer.
      const read = await pageFetch(page, `${ui.origin}/api/tables`, { credentials: 'include' });
      expect(read).toMatchObject({ status: 0, type: 'error' });
      expect(read.body).not.toContain(table);
      // What reached the server: the simple POST, refused (403: its Origin), and the two preflights,
      // which carry no cookie (401); never the JSON POST or the PUT themselves.
      expect(ui.requests.filter((r) => r.path.startsWith(`/api/tables/${table}/`))).toEqual([
        { method: 'POST', path: `/api/tables/${table}/delete-items`, status: 403 },
        { method: 'OPTIONS', path: `/api/tables/${table}/delete-items`, status: 401 },
        { method: 'OPTIONS', path: `/api/tables/${table}/item`, status: 401 },
      ]);

      // Nothing changed.
      expect((await getItem(clients, table, { id: 'keep' })).found).toBe(true);
      expect((await getItem(clients, table, { id: 'planted' })).found).toBe(false);

      // The same request from the UI's own page is a write: the refusal above was the Origin's.
      await page.goto(`${ui.origin}/`);
      const own = await pageFetch(page, target, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(own.status, own.body).toBe(200);
      expect(JSON.parse(own.body)).toMatchObject({ deleted: 1, failed: [] });
      expect((await getItem(clients, table, { id: 'keep' })).found).toBe(false);
    } finally {
      await attacker.close();
      await context.close();
    }
  });

  it('on AWS without --allow-writes: a banner names the account and region, and a write is refused (403)', async () => {
    // The clients still reach the run's local engine: only the target the page is told of is AWS.
    const aws = await startUi({
      target: { kind: 'aws', label: 'AWS', region: 'eu-west-1', account: '123456789012' },
      allowWrites: false,
    });
    const { context, page } = await newPage(browser);
    try {
      await page.goto(aws.url);
      const banner = page.getByTestId('target-banner');
      await banner.waitFor();
      expect(await banner.getAttribute('data-kind')).toBe('aws');
      expect(await banner.textContent()).toMatch(/123456789012[\s\S]*eu-west-1/);
      await page.getByTestId('read-only').waitFor();
      const put = await pageFetch(page, `${aws.origin}/api/tables/${table}/item`, {
        method: 'PUT',
        body: JSON.stringify({ item: { id: { S: 'on-aws' } } }),
        headers: { 'content-type': 'application/json' },
      });
      expect(put.status).toBe(403);
      expect(JSON.parse(put.body).error.code).toBe('ui.readOnly');
      expect((await getItem(clients, table, { id: 'on-aws' })).found).toBe(false);
      // Reads work.
      const listed = await pageFetch(page, `${aws.origin}/api/tables`);
      expect(listed.status).toBe(200);
    } finally {
      await context.close();
      await aws.close();
    }
  });
});
