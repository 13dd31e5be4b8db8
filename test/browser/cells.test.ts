// A row with a 350 KB attribute stays one line in the grid: its cell shows the first 200
// characters (never half an emoji) and a button; the whole value is shown on demand and in the
// editor, and nothing of the stored item changes.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItem, putItem } from '../../src/index.js';
import { uniqueName } from '../helpers.js';
import { openUi, skipReason, tableById, testClients, type UiSession } from './browser.js';

describe.skipIf(skipReason)('ddbctl ui: long values in the grid', () => {
  const clients = testClients();
  const table = uniqueName('uicells');
  // The 200th character is an emoji (two UTF-16 units): a cut by units would split it.
  const long = `${'x'.repeat(199)}😀${'y'.repeat(350_000)}`;
  let session: UiSession;
  let page: Page;

  beforeAll(async () => {
    await tableById(table);
    await putItem(clients, table, { id: 'big', text: long, n: 1 });
    session = await openUi(`#/table/${table}/items`);
    page = session.page;
    await page.getByTestId('read-run').click();
    await page.getByTestId('item-row-0').waitFor();
  });
  afterAll(async () => {
    await session?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  it('cuts the cell at 200 characters, keeping the emoji whole; the row stays short', async () => {
    const cell = page.getByTestId('cell-0-text');
    expect(await cell.textContent()).toBe(`${'x'.repeat(199)}😀… show all 350,200 characters`);
    const box = await page.getByTestId('item-row-0').boundingBox();
    expect(box?.height).toBeLessThan(200);
    // The short cells are as they were.
    expect(await page.getByTestId('cell-0-n').textContent()).toBe('1');
  });

  it('shows the whole value on demand, and in the editor; the stored item is unchanged', async () => {
    await page.getByTestId('cell-more-0-text').click();
    expect(await page.getByTestId('cell-more-0-text-full').inputValue()).toBe(long);
    await page.getByTestId('item-open-0').click();
    await page.getByTestId('item-editor').waitFor();
    const values = await page
      .locator('[data-testid^="attr-value-"]')
      .evaluateAll((xs) => xs.map((x) => (x as unknown as { value: string }).value));
    expect(values).toContain(long);
    const stored = await getItem(clients, table, { id: 'big' });
    expect(stored.found && stored.item.text).toBe(long);
  });
});
