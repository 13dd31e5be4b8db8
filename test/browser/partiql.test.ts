// The PartiQL page shows the answer of the statement last run: one that fails (in DynamoDB, or in
// its parameters before sending) shows its error and no results, not the previous statement's.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putItem } from '../../src/index.js';
import { uniqueName } from '../helpers.js';
import { openUi, skipReason, tableById, testClients, type UiSession } from './browser.js';

describe.skipIf(skipReason)('ddbctl ui: PartiQL after a failing statement', () => {
  const clients = testClients();
  const table = uniqueName('uipartiql');
  let s: UiSession;

  beforeAll(async () => {
    await tableById(table);
    for (let i = 0; i < 3; i++) await putItem(clients, table, { id: `item-${i}` });
    s = await openUi('#/partiql');
  });
  afterAll(async () => {
    await s?.close();
    await clients.ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  });

  const select = async () => {
    await s.page.getByTestId('partiql-statement').fill(`SELECT * FROM "${table}"`);
    await s.page.getByTestId('partiql-parameters').fill('');
    await s.page.getByTestId('partiql-run').click();
    await expect.poll(() => s.page.getByTestId('partiql-count').textContent()).toBe('3 items');
  };
  const noResults = async () => {
    await expect.poll(() => s.page.getByTestId('partiql-error').count()).toBe(1);
    expect(await s.page.getByTestId('partiql-results').count()).toBe(0);
    expect(await s.page.getByTestId('partiql-count').count()).toBe(0);
  };

  it('a statement DynamoDB refuses clears the results', async () => {
    await select();
    await s.page.getByTestId('partiql-statement').fill(`SELECT * FROM "${table}-missing"`);
    await s.page.getByTestId('partiql-run').click();
    await noResults();
  });

  it('parameters that are not DynamoDB JSON clear the results', async () => {
    await select();
    await s.page.getByTestId('partiql-statement').fill(`SELECT * FROM "${table}" WHERE id = ?`);
    await s.page.getByTestId('partiql-parameters').fill('[{"S": 1}]');
    await s.page.getByTestId('partiql-run').click();
    await noResults();
    expect(await s.page.getByTestId('partiql-error').textContent()).toMatch(/Parameters/);
  });
});
