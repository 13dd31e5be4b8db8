import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { validateTableName } from '../names.js';
import { call } from '../sdkErrors.js';

/** DescribeTable; a missing table throws table.notFound. `signal` aborts the request. */
export async function describeTable(
  clients: Clients,
  tableName: string,
  signal?: AbortSignal,
): Promise<TableDescription> {
  validateTableName(tableName);
  const command = new DescribeTableCommand({ TableName: tableName });
  const out = await call({ operation: 'DescribeTable', table: tableName, target: clients.label }, () =>
    signal ? clients.ddb.send(command, { abortSignal: signal }) : clients.ddb.send(command),
  );
  return out.Table ?? { TableName: tableName };
}

/** DescribeTable, but a missing table is `undefined`. */
export async function findTable(
  clients: Clients,
  tableName: string,
  signal?: AbortSignal,
): Promise<TableDescription | undefined> {
  try {
    return await describeTable(clients, tableName, signal);
  } catch (e) {
    if ((e as { code?: string }).code === 'table.notFound') return undefined;
    throw e;
  }
}
