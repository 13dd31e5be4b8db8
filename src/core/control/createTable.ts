/**
 * CreateTable, sent from here alone. The input is built from a table spec by spec's
 * `createTableInput` (the one builder: lab, create-table, apply and copy-table all go through it).
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

/**
 * Send CreateTable. Does not wait (see `waitForTable`). An existing table is the DdbError the
 * endpoint gives (table.inUse on AWS); the caller decides whether that is an outcome.
 */
export async function sendCreateTable(
  clients: Clients,
  input: CreateTableCommandInput,
): Promise<TableDescription> {
  const table = input.TableName ?? '';
  const out = await call({ operation: 'CreateTable', table, target: clients.label }, () =>
    clients.ddb.send(new CreateTableCommand(input)),
  );
  return out.TableDescription ?? { TableName: table };
}
