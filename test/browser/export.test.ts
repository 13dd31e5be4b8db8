// Export from the page: a CSV export never loses an item silently. The items outside its columns
// are counted and listed with why before anything is saved; the user saves the file without them
// and the left-out items apart (as `ddbctl export --format csv` writes its rejects file). A format
// that keeps every item saves the file at once and says how many items it holds.
import { readFileSync } from 'node:fs';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putItem } from '../../src/index.js';
import { uniqueName } from '../helpers.js';
import { openUi, skipReason, tableById, testClients, type UiSession } from './browser.js';

describe.skipIf(skipReason)('ddbctl ui: export from the page', () => {
  const clients = testClients();
  const table = uniqueName('uiexport');
  let session: UiSession;
  let page: Page;

  beforeAll(async () => {
    await tableById(table);
    for (const id of ['a', 'b', 'c']) await putItem(clients, table, { id, n: 1 });
    await putItem(clients, table, { id: 'odd', n: 2, note: 'another shape' });
    session = await openUi(`#/table/${table}/transfer`);
    page = session.page;
    await page.getByTestId('table-transfer').waitFor();
  });
  afterAll(async () => {
    await session?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  it('CSV: says how many items were left out and why, saves nothing by itself, then both files on demand', async () => {
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByTestId('export-format').selectOption('csv');
    await page.getByTestId('export-columns').fill('id,n');
    await page.getByTestId('export-start').click();
    await expect.poll(() => page.getByTestId('export-progress').getAttribute('data-done')).toBe('true');
    expect(await page.getByTestId('export-progress').locator('p').first().textContent()).toBe(
      'Done: 3 items written, 1 item left out',
    );
    expect(await page.getByTestId('export-left-out').textContent()).toMatch(
      /1 item was left out of the file.*export as ndjson.*not CSV columns \(note\)/,
    );
    expect(downloads).toBe(0);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-download').click(),
    ]);
    expect(file.suggestedFilename()).toBe(`${table}.csv`);
    const rows = readFileSync(await file.path(), 'utf8')
      .trim()
      .split('\n');
    expect(rows[0]).toBe('id,n');
    expect(rows.slice(1).sort()).toEqual(['a,1', 'b,1', 'c,1']);
    const [left] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-download-rejects').click(),
    ]);
    const line = JSON.parse(readFileSync(await left.path(), 'utf8').trim());
    expect(line).toMatchObject({ item: { id: 'odd', n: 2, note: 'another shape' } });
    expect(line.reason).toMatch(/not CSV columns/);
  });

  it('ndjson keeps every item: saved at once, the summary says how many', async () => {
    await page.getByTestId('export-format').selectOption('ndjson');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-start').click(),
    ]);
    await expect
      .poll(() => page.getByTestId('export-progress').textContent())
      .toBe('Done: 4 items written (the download has started)Download again');
    expect(
      readFileSync(await file.path(), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(4);
    expect(await page.getByTestId('export-left-out').count()).toBe(0);
  });

  it('CSV: items left out for the same reason are one line with their count, every item still in the rejects file', async () => {
    for (let i = 0; i < 24; i++) await putItem(clients, table, { id: `odd-${i}`, n: 2, note: 'x' });
    for (const id of ['other-1', 'other-2']) await putItem(clients, table, { id, n: 3, other: true });
    await page.getByTestId('export-format').selectOption('csv');
    await page.getByTestId('export-columns').fill('id,n');
    await page.getByTestId('export-start').click();
    await expect.poll(() => page.getByTestId('export-progress').getAttribute('data-done')).toBe('true');
    expect(await page.getByTestId('export-progress').locator('p').first().textContent()).toBe(
      'Done: 3 items written, 27 items left out',
    );
    const reasons = await page.getByTestId('export-rejects').locator('li').allTextContents();
    expect(reasons).toHaveLength(2);
    expect(reasons).toContainEqual(expect.stringMatching(/^25 items left out: .*not CSV columns \(note\)/));
    expect(reasons).toContainEqual(expect.stringMatching(/^2 items left out: .*not CSV columns \(other\)/));
    const [left] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-download-rejects').click(),
    ]);
    const ids = readFileSync(await left.path(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).item.id);
    expect(ids).toHaveLength(27);
  });
});
