// The items page from the keyboard: a scan run with Enter, paged with the next page appended, every
// loaded row selected and deleted in one batch after a question that Escape dismisses and Enter
// accepts; the library sees the table as the page said. Then a file imported from the page.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putItem, stringifyDdbJson } from '../../src/index.js';
import { scanAll, uniqueName } from '../helpers.js';
import { launchBrowser, newPage, skipReason, startUi, tableById, testClients, type Ui } from './browser.js';

describe.skipIf(skipReason)('ddbctl ui: paging and bulk delete', () => {
  const clients = testClients();
  const table = uniqueName('uibulk');
  let browser: Browser;
  let ui: Ui;
  let page: Page;

  beforeAll(async () => {
    await tableById(table);
    for (let i = 0; i < 7; i++) await putItem(clients, table, { id: `item-${i}`, n: i });
    browser = await launchBrowser();
    ui = await startUi();
    page = (await newPage(browser)).page;
    await page.goto(ui.url);
    await page.getByTestId(`table-link-${table}`).click();
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  const count = () => page.getByTestId('read-count').textContent();

  it('pages of 3: Enter runs the scan, "next page" appends until there is none', async () => {
    await page.getByTestId('read-limit').fill('3');
    await page.getByTestId('read-limit').press('Enter');
    await expect.poll(count).toMatch(/^3 items loaded/);
    await page.getByTestId('read-next').click();
    await expect.poll(count).toMatch(/^6 items loaded/);
    await page.getByTestId('read-next').click();
    await expect.poll(count).toMatch(/^7 items loaded/);
    // The last page may end with a key still (DynamoDB does when a page is full): one more read ends it.
    if (await page.getByTestId('read-next').isVisible()) await page.getByTestId('read-next').click();
    await expect.poll(() => page.getByTestId('read-next').count()).toBe(0);
    await expect.poll(count).toMatch(/^7 items loaded/);
    const ids = await page
      .locator('[data-testid^="item-row-"]')
      .evaluateAll((rows) => rows.map((r) => JSON.parse(r.getAttribute('data-key') ?? '{}').id?.S));
    expect(ids.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `item-${i}`));
  });

  it("a new read that fails shows its error and no rows (not the previous read's)", async () => {
    await page.getByTestId('read-limit').fill('3');
    await page.getByTestId('read-run').click();
    await expect.poll(count).toMatch(/^3 items loaded/);
    await page.getByTestId('read-filter').fill('n = = 1');
    await page.getByTestId('read-run').click();
    await expect.poll(() => page.getByTestId('read-error').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid^="item-row-"]').count()).toBe(0);
    expect(await page.getByTestId('read-next').count()).toBe(0);
    // The rows the next test works on: every item again.
    await page.getByTestId('read-filter').fill('');
    await page.getByTestId('read-limit').fill('50');
    await page.getByTestId('read-run').click();
    await expect.poll(count).toMatch(/^7 items loaded/);
  });

  it('bulk delete asks first: Escape keeps the items, Enter deletes every selected one', async () => {
    await page.getByTestId('select-all').check();
    await page.getByTestId('bulk-delete').click();
    const dialog = page.getByTestId('confirm-dialog');
    // The question takes the focus (its OK button), so that the keys go to it.
    const focused = () => page.evaluate('document.activeElement?.dataset?.testid');
    await expect.poll(focused).toBe('confirm-ok');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await scanAll(table, clients)).toHaveLength(7);

    await page.getByTestId('bulk-delete').click();
    await expect.poll(focused).toBe('confirm-ok');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(async () => (await scanAll(table, clients)).length).toBe(0);
    await expect.poll(() => page.locator('[data-testid^="item-row-"]').count()).toBe(0);
  });

  it('imports an ndjson file from the page: progress to the end, a bad line rejected with its reason, types exact', async () => {
    const big = '-98765432109876543210987654321098765432';
    const file = [
      // The number as JSON text: no JavaScript value could hold it.
      `{"id": "imported-1", "big": ${big}, "tags": {"$set": ["a", "b"]}, "bin": {"$binary": "AP8="}}`,
      '{"no-id": true}',
      JSON.stringify({ id: 'imported-2', nested: { l: [1, { deep: null }] } }),
    ].join('\n');
    await page.getByTestId('tab-transfer').click();
    await page.getByTestId('import-format').selectOption('ndjson');
    await page.getByTestId('import-file').setInputFiles({
      name: 'items.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(file),
    });
    await page.getByTestId('import-start').click();
    const progress = page.getByTestId('import-progress');
    await expect.poll(() => progress.getAttribute('data-done'), { timeout: 20_000 }).toBe('true');
    expect(await progress.textContent()).toMatch(/2 written, 1 rejected/);
    expect(await page.getByTestId('import-rejects').textContent()).toMatch(/line 2/);

    const items = Object.fromEntries(
      (await scanAll(table, clients)).map((i) => [i.id as string, JSON.parse(stringifyDdbJson(i))]),
    );
    expect(items['imported-1']).toEqual({
      id: { S: 'imported-1' },
      big: { N: big },
      tags: { SS: ['a', 'b'] },
      bin: { B: 'AP8=' },
    });
    expect(items['imported-2']).toEqual({
      id: { S: 'imported-2' },
      nested: { M: { l: { L: [{ N: '1' }, { M: { deep: { NULL: true } } }] } } },
    });
  });
});
