import { DeleteTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { validateTableName } from '../names.js';
import { call } from '../sdkErrors.js';
import { type WaitOptions, waitForTable } from './waitForTable.js';

export interface DeleteTableOptions {
  /** Wait until the table is gone. Default true. */
  wait?: boolean;
  waitOptions?: Omit<WaitOptions, 'for'>;
}

export interface DeleteTableResult {
  table: TableDescription;
  /** True when the wait confirmed the table is gone. */
  gone: boolean;
  seconds?: number;
}

/** Delete a table (a missing one is table.notFound) and, by default, wait until it is gone. */
export async function deleteTable(
  clients: Clients,
  tableName: string,
  opts: DeleteTableOptions = {},
): Promise<DeleteTableResult> {
  validateTableName(tableName);
  const out = await call({ operation: 'DeleteTable', table: tableName, target: clients.label }, () =>
    clients.ddb.send(new DeleteTableCommand({ TableName: tableName })),
  );
  const table = out.TableDescription ?? { TableName: tableName };
  if (opts.wait === false) return { table, gone: false };
  const w = await waitForTable(clients, tableName, { ...opts.waitOptions, for: 'deleted' });
  return { table, gone: true, seconds: w.seconds };
}
