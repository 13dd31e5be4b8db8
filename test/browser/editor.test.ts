// The item editor's views never change a type or a value: an item of all ten DynamoDB types typed
// into a JSON view (DynamoDB JSON or ddbctl's plain JSON), then passed through the form and both
// JSON views, reads back the same in each and is stored the same, read through the library. For a
// new item, a duplicate and an item that was loaded (a new item's form once turned every set, map,
// list, BOOL and NULL into a string when it left the form).
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItem, parseItem, putItem, stringifyDdbJson } from '../../src/index.js';
import { uniqueName } from '../helpers.js';
import { launchBrowser, newPage, skipReason, startUi, tableById, testClients, type Ui } from './browser.js';

const BIG = '12345678901234567890123456789012345678';

/** An item of every type, nested ones inside a list and a map. */
function all(id: string): Record<string, Record<string, unknown>> {
  return {
    id: { S: id },
    s: { S: 'text' },
    n: { N: BIG },
    b: { B: 'AP8=' },
    t: { BOOL: true },
    f: { BOOL: false },
    z: { NULL: true },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['-0.5', BIG] },
    bs: { BS: ['AAE=', 'AP8='] },
    l: { L: [{ N: '1' }, { S: 'x' }, { SS: ['y'] }, { L: [] }, { M: {} }] },
    m: { M: { x: { N: '1' }, deep: { L: [{ NULL: true }, { BOOL: false }, { BS: ['AQ=='] }] } } },
  };
}

/** The same item as ddbctl's plain JSON, typed by hand (not made by the page under test). */
function allPlain(id: string): string {
  return `{"id": "${id}", "s": "text", "n": ${BIG}, "b": {"$binary": "AP8="}, "t": true, "f": false,
  "z": null, "ss": {"$set": ["a", "b"]}, "ns": {"$set": [-0.5, ${BIG}]},
  "bs": {"$set": [{"$binary": "AAE="}, {"$binary": "AP8="}]}, "l": [1, "x", {"$set": ["y"]}, [], {}],
  "m": {"x": 1, "deep": [null, false, {"$set": [{"$binary": "AQ=="}]}]}}`;
}

/** Sets in one order: DynamoDB keeps a set's members in an order of its own. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      ['SS', 'NS', 'BS'].includes(k) ? [...(x as string[])].sort() : sorted(x),
    ]),
  );
}

describe.skipIf(skipReason)('ddbctl ui: the item editor keeps every type across its views', () => {
  const clients = testClients();
  const table = uniqueName('uitypes');
  let browser: Browser;
  let ui: Ui;
  let page: Page;

  beforeAll(async () => {
    await tableById(table);
    // The loaded item, put through the library (not the page).
    await putItem(clients, table, parseItem(allPlain('loaded')));
    browser = await launchBrowser();
    ui = await startUi();
    page = (await newPage(browser)).page;
    await page.goto(ui.url);
  });
  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  const json = () => page.getByTestId('editor-json');
  const view = (v: 'form' | 'plain' | 'ddb') => page.getByTestId(`editor-view-${v}`).click();
  const shownDdb = async () => JSON.parse(await json().inputValue());
  const stored = async (id: string) => {
    const got = await getItem(clients, table, { id }, { consistent: true });
    if (!got.found) throw new Error(`no item ${id} in ${table}`);
    return sorted(JSON.parse(stringifyDdbJson(got.item)));
  };
  const newItem = async () => {
    await page.goto(`${ui.origin}/#/table/${table}/items`);
    await page.getByTestId('item-new').click();
    await page.getByTestId('item-editor').waitFor();
  };

  /** From a JSON view holding `expected`: through the form and both JSON views, each read, then saved. */
  async function throughEveryView(expected: Record<string, unknown>, notice: RegExp): Promise<void> {
    await view('form');
    await view('ddb');
    expect(await shownDdb()).toEqual(expected);
    await view('form');
    await view('plain');
    // The plain view as DynamoDB JSON: a JSON view to the other converts without the form.
    await view('ddb');
    expect(await shownDdb()).toEqual(expected);
    await view('plain');
    await view('form');
    await page.getByTestId('editor-save').click();
    await expect.poll(() => page.getByTestId('editor-notice').textContent()).toMatch(notice);
    expect(await page.getByTestId('editor-error').count()).toBe(0);
    expect(await stored((expected.id as { S: string }).S)).toEqual(sorted(expected));
  }

  it('a new item typed in DynamoDB JSON', async () => {
    await newItem();
    await view('ddb');
    await json().fill(JSON.stringify(all('new-ddb')));
    await throughEveryView(all('new-ddb'), /Created/);
  });

  it('a new item typed in plain JSON', async () => {
    await newItem();
    await view('plain');
    await json().fill(allPlain('new-plain'));
    await throughEveryView(all('new-plain'), /Created/);
  });

  it('a duplicate, its key changed in a JSON view', async () => {
    await page.goto(`${ui.origin}/#/table/${table}/item?key=${encodeURIComponent('{"id":{"S":"loaded"}}')}`);
    await page.getByTestId('editor-duplicate').click();
    await page.waitForURL((u) => u.hash.endsWith('/new'));
    // The duplicate's own views show the whole item, before and after the form.
    await view('ddb');
    expect(sorted(await shownDdb())).toEqual(sorted(all('loaded')));
    await json().fill(JSON.stringify(all('dup')));
    await throughEveryView(all('dup'), /Created/);
  });

  it('a loaded item edited in JSON', async () => {
    await page.goto(`${ui.origin}/#/table/${table}/item?key=${encodeURIComponent('{"id":{"S":"loaded"}}')}`);
    await page.getByTestId('editor-view-ddb').waitFor();
    await view('ddb');
    expect(sorted(await shownDdb())).toEqual(sorted(all('loaded')));
    const edited = { ...all('loaded'), s: { S: 'edited' } };
    await json().fill(JSON.stringify(edited));
    await throughEveryView(edited, /Saved/);
  });
});
