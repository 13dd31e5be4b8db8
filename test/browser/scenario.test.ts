// Issue 17's scenario, in a real browser: create a table with a GSI and an LSI through the create form, add an
// item with a 38-digit number, a string set, binary and a nested map through the item form, edit
// it, query it through the GSI with `between`, and check through the library, after each write,
// that every type is exact. The same run writes the README's screenshots (browser.ts screenshotPath).

import { createReadStream } from 'node:fs';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTable, getItem, type Item, putItem, readItems, stringifyDdbJson } from '../../src/index.js';
import {
  launchBrowser,
  newPage,
  screenshotPath,
  skipReason,
  startUi,
  testClients,
  type Ui,
} from './browser.js';

const BIG = '12345678901234567890123456789012345678';
const KEY = { pk: 'order-1', sk: '2026-12-05' };

/** The item as DynamoDB JSON (binary as base64), its sets sorted: what the table really holds. */
function exact(item: Item): Record<string, Record<string, unknown>> {
  const ddb = JSON.parse(stringifyDdbJson(item)) as Record<string, Record<string, unknown>>;
  for (const v of Object.values(ddb)) {
    for (const t of ['SS', 'NS', 'BS']) if (Array.isArray(v[t])) (v[t] as string[]).sort();
  }
  return ddb;
}

async function stored(table: string): Promise<Record<string, Record<string, unknown>>> {
  const got = await getItem(testClients(), table, KEY, { consistent: true });
  if (!got.found) throw new Error(`no item ${JSON.stringify(KEY)} in ${table}`);
  return exact(got.item);
}

/** Sets a row of the item form: its name (top-level and map entries), type and value. */
async function row(page: Page, path: string, type: string, value?: string, name?: string): Promise<void> {
  if (name !== undefined) await page.getByTestId(`attr-name-${path}`).fill(name);
  await page.getByTestId(`attr-type-${path}`).selectOption(type);
  if (value !== undefined) await page.getByTestId(`attr-value-${path}`).fill(value);
}

describe.skipIf(skipReason)('ddbctl ui: a table and an item of every kind, through the pages', () => {
  const clients = testClients();
  // A fixed name: the run's engine is its own (test/setup/engine.ts), and the screenshots show it.
  const table = 'Orders';
  let browser: Browser;
  let ui: Ui;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    ui = await startUi({ target: { kind: 'embedded', label: 'embedded engine (in memory)' } });
    page = (await newPage(browser)).page;
    await page.goto(ui.url);
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  it('creates the table with a GSI and an LSI from the form, showing the plan first', async () => {
    await page.getByTestId('table-create').click();
    await page.getByTestId('create-name').fill(table);
    await page.getByTestId('create-pk').fill('pk');
    await page.getByTestId('create-sk').fill('sk');
    await page.getByTestId('gsi-add').click();
    await page.getByTestId('gsi-name-0').fill('byCategory');
    await page.getByTestId('gsi-pk-0').fill('category');
    await page.getByTestId('gsi-sk-0').fill('score');
    await page.getByTestId('gsi-sk-type-0').selectOption('N');
    await page.getByTestId('lsi-add').click();
    await page.getByTestId('lsi-name-0').fill('byTotal');
    await page.getByTestId('lsi-sk-0').fill('total');
    await page.getByTestId('lsi-sk-type-0').selectOption('N');
    await page.getByTestId('create-plan').click();
    await expect.poll(() => page.getByTestId('create-steps').textContent()).toContain(table);
    await page.screenshot({ path: screenshotPath('create-table'), fullPage: true });
    await page.getByTestId('create-apply').click();
    await page.getByTestId('table-describe').waitFor();

    const d = await describeTable(clients, table);
    expect(d.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(d.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.KeySchema])).toEqual([
      [
        'byCategory',
        [
          { AttributeName: 'category', KeyType: 'HASH' },
          { AttributeName: 'score', KeyType: 'RANGE' },
        ],
      ],
    ]);
    expect(d.LocalSecondaryIndexes?.map((l) => [l.IndexName, l.KeySchema?.[1]])).toEqual([
      ['byTotal', { AttributeName: 'total', KeyType: 'RANGE' }],
    ]);
    await expect.poll(() => page.getByTestId('index-row-byCategory').textContent()).toContain('byCategory');
    await page.screenshot({ path: screenshotPath('describe'), fullPage: true });
  });

  it('adds an item with a 38-digit number, a string set, binary and a nested map through the form', async () => {
    await page.getByTestId('tab-items').click();
    await page.getByTestId('item-new').click();
    await page.getByTestId('item-editor').waitFor();
    // A new item's form starts with its key's rows.
    await page.getByTestId('attr-value-0').fill(KEY.pk);
    await page.getByTestId('attr-value-1').fill(KEY.sk);
    const add = async (path: string, type: string, value: string | undefined, name: string) => {
      await page.getByTestId('attr-add').click();
      await row(page, path, type, value, name);
    };
    await add('2', 'N', BIG, 'total');
    await add('3', 'SS', undefined, 'tags');
    await page.getByTestId('member-3-0').fill('gift');
    await page.getByTestId('member-add-3').click();
    await page.getByTestId('member-3-1').fill('express');
    await add('4', 'B', 'AAEC/w==', 'receipt');
    await add('5', 'M', undefined, 'address');
    await page.getByTestId('attr-add-5').click();
    await row(page, '5.0', 'S', 'Lyon', 'city');
    await page.getByTestId('attr-add-5').click();
    await row(page, '5.1', 'L', undefined, 'geo');
    await page.getByTestId('attr-add-5.1').click();
    await row(page, '5.1.0', 'N', '45.764043');
    await page.getByTestId('attr-add-5.1').click();
    await row(page, '5.1.1', 'N', '-123456789012345678901234567890.12345678');
    await add('6', 'S', 'books', 'category');
    await add('7', 'N', '42', 'score');
    await page.screenshot({ path: screenshotPath('item-editor'), fullPage: true });
    await page.getByTestId('editor-save').click();
    // Created: the page moves to the new item's own address (its key in DynamoDB JSON).
    await page.waitForURL((u) => decodeURIComponent(u.hash).startsWith(`#/table/${table}/item?key=`));
    await expect.poll(() => page.getByTestId('editor-notice').textContent()).toMatch(/Created/);

    expect(await stored(table)).toEqual({
      pk: { S: KEY.pk },
      sk: { S: KEY.sk },
      total: { N: BIG },
      tags: { SS: ['express', 'gift'] },
      receipt: { B: 'AAEC/w==' },
      address: {
        M: {
          city: { S: 'Lyon' },
          geo: { L: [{ N: '45.764043' }, { N: '-123456789012345678901234567890.12345678' }] },
        },
      },
      category: { S: 'books' },
      score: { N: '42' },
    });
  });

  it('edits the item: the form reads it back exactly, and a save changes only what was changed', async () => {
    await page.getByTestId('editor-back').click();
    await page.getByTestId('read-run').click();
    await page.getByTestId('item-open-0').click();
    await page.getByTestId('item-editor').waitFor();
    // The DynamoDB JSON view shows what the page holds: the 38 digits, not a float's 17.
    await page.getByTestId('editor-view-ddb').click();
    expect(await page.getByTestId('editor-json').inputValue()).toContain(`"N": "${BIG}"`);
    await page.getByTestId('editor-view-form').click();
    const before = await stored(table);
    // The score is the attribute whose name field reads "score": change its value to 55.
    const names = await page
      .locator('[data-testid^="attr-name-"]')
      .evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-testid'), (e as unknown as { value: string }).value]),
      );
    const scorePath = names.find(([, v]) => v === 'score')?.[0]?.replace('attr-name-', '');
    expect(scorePath).toBeDefined();
    await page.getByTestId(`attr-value-${scorePath}`).fill('55');
    await page.getByTestId('editor-save').click();
    await expect.poll(() => page.getByTestId('editor-notice').textContent()).toMatch(/Saved/);
    expect(await stored(table)).toEqual({ ...before, score: { N: '55' } });
  });

  it('queries the GSI with between: the item inside the range, none outside', async () => {
    await page.getByTestId('editor-back').click();
    await page.getByTestId('read-mode').selectOption('query');
    await page.getByTestId('read-index').selectOption('byCategory');
    await page.getByTestId('read-pk').fill('books');
    await page.getByTestId('read-sk-op').selectOption('between');
    await page.getByTestId('read-sk-value-0').fill('50');
    await page.getByTestId('read-sk-value-1').fill('60');
    await page.getByTestId('read-run').click();
    await expect.poll(() => page.getByTestId('read-count').textContent()).toMatch(/^1 item/);
    expect(await page.getByTestId('cell-0-total').textContent()).toBe(BIG);
    expect(await page.getByTestId('cell-0-score').textContent()).toBe('55');
    await page.screenshot({ path: screenshotPath('items'), fullPage: true });

    await page.getByTestId('read-sk-value-0').fill('56');
    await page.getByTestId('read-run').click();
    await expect.poll(() => page.getByTestId('read-count').textContent()).toMatch(/^0 items/);
  });

  it('queries the LSI on the 38-digit number: > and >= compare all 38 digits, as no float could', async () => {
    // BIG - 1 and BIG are the same float: only an exact comparison tells them apart.
    const below = `${BIG.slice(0, -1)}${Number(BIG.slice(-1)) - 1}`;
    await page.getByTestId('read-mode').selectOption('query');
    await page.getByTestId('read-index').selectOption('byTotal');
    await page.getByTestId('read-pk').fill(KEY.pk);
    for (const [op, value, n] of [
      ['>', below, 1],
      ['>', BIG, 0],
      ['>=', BIG, 1],
      ['<', BIG, 0],
    ] as const) {
      // (Each count differs from the one before, so the poll sees this read's answer.)
      await page.getByTestId('read-sk-op').selectOption(op);
      await page.getByTestId('read-sk-value-0').fill(value);
      await page.getByTestId('read-run').click();
      await expect
        .poll(() => page.getByTestId('read-count').textContent(), { message: `${op} ${value}` })
        .toMatch(new RegExp(`^${n} items? loaded`));
    }
  });

  it('scans with a filter on a nested path and a projection', async () => {
    await page.getByTestId('read-mode').selectOption('scan');
    await page.getByTestId('read-filter').fill("address.city = 'Lyon' and contains(tags, 'gift')");
    await page.getByTestId('read-project').fill('pk, sk, address.city');
    await page.getByTestId('read-run').click();
    await expect.poll(() => page.getByTestId('read-count').textContent()).toMatch(/^1 item loaded/);
    expect(await page.getByTestId('cell-0-address').textContent()).toBe('{"city":"Lyon"}');
    // Projected away: no value of `total` in the row (its column may stay from the reads before).
    const total = page.getByTestId('cell-0-total');
    if ((await total.count()) > 0) expect(await total.textContent()).toBe('');
    await page.getByTestId('read-filter').fill("address.city = 'Paris'");
    await page.getByTestId('read-run').click();
    await expect.poll(() => page.getByTestId('read-count').textContent()).toMatch(/^0 items loaded/);
    await page.getByTestId('read-filter').fill('');
    await page.getByTestId('read-project').fill('');
  });

  it('runs PartiQL with a parameter: the result table shows the 38 digits', async () => {
    await page.getByTestId('nav-partiql').click();
    await page.getByTestId('partiql-statement').fill(`SELECT pk, total FROM "${table}" WHERE pk = ?`);
    await page.getByTestId('partiql-parameters').fill(JSON.stringify([{ S: KEY.pk }]));
    await page.getByTestId('partiql-run').click();
    await expect.poll(() => page.getByTestId('partiql-count').textContent()).toMatch(/^1 item/);
    expect(await page.getByTestId('partiql-results').textContent()).toContain(BIG);
    await page.screenshot({ path: screenshotPath('partiql'), fullPage: true });
    await page.getByTestId('nav-tables').click();
    await page.getByTestId(`table-link-${table}`).click();
  });

  it('exports the table from the page: each lossless format, read back by the library, holds the item exactly', async () => {
    const want = await stored(table);
    await page.getByTestId('tab-transfer').click();
    await page.getByTestId('table-transfer').waitFor();
    for (const format of ['ddb-json', 'ndjson', 'json'] as const) {
      await page.getByTestId('export-format').selectOption(format);
      // The export runs as a job; once done, with nothing left out, the page saves the file.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-start').click(),
      ]);
      await expect
        .poll(() => page.getByTestId('export-progress').textContent())
        .toMatch(/^Done: 1 item written \(the download has started\)/);
      const file = await download.path();
      const items: Item[] = [];
      for await (const r of readItems(createReadStream(file), { format })) {
        expect(r.error, `${format} line ${r.line}`).toBeUndefined();
        if (r.item) items.push(r.item);
      }
      expect(items.map(exact), format).toEqual([want]);
    }
    await page.screenshot({ path: screenshotPath('transfer'), fullPage: true });
    await page.getByTestId('tab-items').click();
  });

  it('lists the table; the pages follow a dark system theme', async () => {
    await page.getByTestId('nav-tables').click();
    await page.getByTestId(`table-row-${table}`).waitFor();
    await page.screenshot({ path: screenshotPath('tables'), fullPage: true });
    const dark = await newPage(browser, { colorScheme: 'dark' });
    try {
      await dark.page.goto(ui.url);
      await dark.page.getByTestId(`table-link-${table}`).click();
      await dark.page.getByTestId('read-run').click();
      await dark.page.getByTestId('items-grid').waitFor();
      const background = await dark.page.evaluate('getComputedStyle(document.body).backgroundColor');
      const light = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      expect(background).not.toBe(light);
      await dark.page.screenshot({ path: screenshotPath('items-dark'), fullPage: true });
    } finally {
      await dark.context.close();
    }
  });

  it('a save after someone else changed the item is refused, not written over', async () => {
    await page.getByTestId(`table-link-${table}`).click();
    await page.getByTestId('read-mode').selectOption('scan');
    await page.getByTestId('read-run').click();
    await page.getByTestId('item-open-0').click();
    await page.getByTestId('item-editor').waitFor();
    await page.getByTestId('editor-view-plain').click();
    const json = page.getByTestId('editor-json');
    const text = await json.inputValue();
    expect(text).toContain('"score": 55');
    await json.fill(text.replace('"score": 55', '"score": 60'));
    await putItem(clients, table, { ...KEY, score: 1 });
    await page.getByTestId('editor-save').click();
    await expect.poll(() => page.getByTestId('editor-error').textContent()).toMatch(/changed/i);
    expect(await stored(table)).toEqual({ pk: { S: KEY.pk }, sk: { S: KEY.sk }, score: { N: '1' } });
  });
});
