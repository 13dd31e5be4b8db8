// Deep links: an address naming a table's page opens that page, whether it is opened directly
// (with the printed URL's token, which the server swaps for the cookie and keeps the hash) or the
// hash changes before the page has drawn itself.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putItem } from '../../src/index.js';
import { uniqueName } from '../helpers.js';
import {
  endpoint,
  launchBrowser,
  newPage,
  skipReason,
  startUi,
  tableById,
  testClients,
  type Ui,
} from './browser.js';

describe.skipIf(skipReason)('ddbctl ui: deep links, and the banner', () => {
  const clients = testClients();
  const table = uniqueName('uiroute');
  let browser: Browser;
  let ui: Ui;

  beforeAll(async () => {
    await tableById(table);
    await putItem(clients, table, { id: 'deep', n: 1 });
    browser = await launchBrowser();
    ui = await startUi();
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  it.each([`#/table/${table}/items`, `#/tables/${table}/items`, `#/tables/${table}`])(
    'opening %s shows the table’s items page, not the tables list',
    async (hash) => {
      const { context, page } = await newPage(browser);
      await page.goto(`${ui.url}${hash}`);
      await expect.poll(() => page.getByTestId('table-name').textContent()).toBe(table);
      await expect.poll(() => page.getByTestId('tab-items').getAttribute('aria-current')).toBe('page');
      expect(await page.getByTestId(`table-link-${table}`).count()).toBe(0);
      await context.close();
    },
  );

  it('a hash changed before the first render is the page shown', async () => {
    const { context, page } = await newPage(browser);
    // NOTE: the address changes once the app's script has run (its first render read the hash)
    // and before its effects listen for hashchange, as a redirect or a script at start-up can.
    await page.addInitScript(
      `document.addEventListener('DOMContentLoaded', () => history.replaceState(null, '', ${JSON.stringify(
        `#/table/${table}/describe`,
      )}), { once: true });`,
    );
    await page.goto(ui.url);
    await expect.poll(() => page.getByTestId('table-name').textContent()).toBe(table);
    await expect.poll(() => page.getByTestId('tab-describe').getAttribute('aria-current')).toBe('page');
    await context.close();
  });

  it('the banner says which endpoint the page talks to, its region once', async () => {
    const label = `endpoint ${endpoint()} (region eu-north-1)`;
    const other = await startUi({ target: { kind: 'endpoint', label, region: 'eu-north-1' } });
    const { context, page } = await newPage(browser);
    await page.goto(other.url);
    await expect.poll(() => page.getByTestId('target-banner').textContent()).toBe(label);
    expect(await page.getByTestId('target-banner').getAttribute('data-kind')).toBe('endpoint');
    await context.close();
    await other.close();
  });
});
