// Names in the query builder, as `ddbctl query --filter/--project/--names/--values` take them:
// reserved words as they are, names with a dot, a dash or an emoji between backticks, or #name and
// :value placeholders in their own fields; a bare emoji is an error naming it whole and saying how
// to quote it.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putItem } from '../../src/index.js';
import { uniqueName } from '../helpers.js';
import { openUi, skipReason, tableById, testClients, type UiSession } from './browser.js';

describe.skipIf(skipReason)('ddbctl ui: names in filters and projections', () => {
  const clients = testClients();
  const table = uniqueName('uinames');
  let session: UiSession;
  let page: Page;

  beforeAll(async () => {
    await tableById(table);
    for (const [id, status, n] of [
      ['a', 'active', 1],
      ['b', 'gone', 2],
    ] as const) {
      await putItem(clients, table, { id, status, name: `n-${id}`, 'a.b': 'dot', 'a-b': n, '😀': 'e' });
    }
    session = await openUi(`#/table/${table}/items`);
    page = session.page;
    await page.getByTestId('read-form').waitFor();
  });
  afterAll(async () => {
    await session?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  const rows = () =>
    page
      .locator('[data-testid^="item-row-"]')
      .evaluateAll((rs) => rs.map((r) => JSON.parse(r.getAttribute('data-key') ?? '{}').id?.S));

  it('filters on a reserved word and on names with a dash or an emoji in backticks; projects a dotted name', async () => {
    await page
      .getByTestId('read-filter')
      .fill("status = 'active' AND name = 'n-a' AND `a-b` = 1 AND `😀` = 'e'");
    await page.getByTestId('read-project').fill('id, status, `a.b`');
    await page.getByTestId('read-run').click();
    await expect.poll(rows).toEqual(['a']);
    expect(await page.getByTestId('cell-0-status').textContent()).toBe('active');
    expect(await page.getByTestId('cell-0-a.b').textContent()).toBe('dot');
    expect(await page.getByTestId('cell-0-a-b').count()).toBe(0);
  });

  it('takes #name and :value placeholders in their own fields', async () => {
    await page.getByTestId('read-filter').fill('#s = :v AND #d > :n');
    await page.getByTestId('read-names').fill('{"#s": "status", "#d": "a-b"}');
    await page.getByTestId('read-values').fill('{":v": {"S": "gone"}, ":n": {"N": "1"}}');
    await page.getByTestId('read-project').fill('id, #s');
    await page.getByTestId('read-run').click();
    await expect.poll(rows).toEqual(['b']);
    expect(await page.getByTestId('cell-0-status').textContent()).toBe('gone');
    await page.getByTestId('read-names').fill('["status"]');
    await page.getByTestId('read-run').click();
    await expect
      .poll(() => page.getByTestId('read-error').textContent())
      .toMatch(/^#names: expected a JSON object/);
  });

  it('a bare emoji in a filter: the error names it whole and says how to quote it', async () => {
    await page.getByTestId('read-names').fill('');
    await page.getByTestId('read-values').fill('');
    await page.getByTestId('read-project').fill('');
    await page.getByTestId('read-filter').fill("😀 = 'e'");
    await page.getByTestId('read-run').click();
    await expect
      .poll(() => page.getByTestId('read-error').textContent())
      .toMatch(/at column 1: unexpected character "😀"; .* goes between backticks, such as `😀`/);
    expect(await page.getByTestId('read-error').textContent()).not.toMatch(/\\u[dD][89a-fA-F]/);
  });
});
