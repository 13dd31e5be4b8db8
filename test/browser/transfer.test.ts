// A page the user (or a test) went to while a request was still on its way stays theirs: a write's
// answer does not move the page back to where the write meant to go, and a table's description that
// comes late does not take the place of another table's. Found as an import whose button went away:
// a table created through the form, the transfer page opened before apply's answer came, and that
// answer then moved the page to the new table's description.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putItem } from '../../src/index.js';
import { scanAll, uniqueName } from '../helpers.js';
import { openUi, skipReason, tableById, testClients, type UiSession } from './browser.js';

describe.skipIf(skipReason)('ddbctl ui: a late answer does not move the page', () => {
  const clients = testClients();
  const table = uniqueName('uilate');
  let s: UiSession;

  beforeAll(async () => {
    s = await openUi('#/create');
  });
  afterAll(async () => {
    await s?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  it("create, then the transfer page before apply's answer: the import runs there", async () => {
    const { page } = s;
    await page.getByTestId('create-name').fill(table);
    await page.getByTestId('create-pk').fill('id');
    await page.getByTestId('create-plan').click();
    await expect.poll(() => page.getByTestId('create-steps').textContent()).toContain(table);
    // Apply's answer is held (the table is created: the request reached the server) until released.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let created!: () => void;
    const reached = new Promise<void>((r) => {
      created = r;
    });
    await page.route('**/api/apply', async (route) => {
      const answer = await route.fetch();
      created();
      await held;
      await route.fulfill({ response: answer });
    });
    await page.getByTestId('create-apply').click();
    await reached;
    await page.goto(`${s.ui.origin}/#/table/${table}/transfer`);
    await page.getByTestId('import-format').selectOption('ndjson');
    await page.getByTestId('import-file').setInputFiles({
      name: 'one.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from('{"id": "one"}\n'),
    });
    const answered = page.waitForResponse('**/api/apply');
    release();
    await answered;
    // The page's handler of the answer has run once the next task does.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    expect(new URL(page.url()).hash).toBe(`#/table/${table}/transfer`);
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-progress').getAttribute('data-done')).toBe('true');
    expect(await scanAll(table, clients)).toEqual([{ id: 'one' }]);
  });

  it("another table opened before the first one's description came: its page shows its own items", async () => {
    const { page } = s;
    const other = uniqueName('uilate2');
    await tableById(other);
    try {
      await putItem(clients, table, { id: 'first' });
      await putItem(clients, other, { id: 'second' });
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      await page.route(`**/api/tables/${table}`, async (route) => {
        const answer = await route.fetch();
        await held;
        await route.fulfill({ response: answer });
      });
      await page.goto(`${s.ui.origin}/#/`);
      // NOTE: the tables page drawn first: two hash changes in one turn (under load) would go from the
      // last test's page of this table to its items without leaving it, and ask for nothing.
      await page.getByTestId('tables-refresh').waitFor();
      const asked = page.waitForRequest(`**/api/tables/${table}`);
      await page.goto(`${s.ui.origin}/#/table/${table}/items`);
      await asked;
      await page.goto(`${s.ui.origin}/#/table/${other}/items`);
      await page.getByTestId('read-run').waitFor();
      const answered = page.waitForResponse(`**/api/tables/${table}`);
      release();
      await answered;
      await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
      await page.getByTestId('read-run').click();
      await expect.poll(() => page.getByTestId('read-count').textContent()).toMatch(/^1 item/);
      expect(await page.getByTestId('item-row-0').getAttribute('data-key')).toBe('{"id":{"S":"second"}}');
    } finally {
      await clients.ddb.send(new DeleteTableCommand({ TableName: other })).catch(() => {});
    }
  });
});
