import { DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { validateTableName } from '../names.js';
import { call } from '../sdkErrors.js';

/** DescribeTable; a missing table throws table.notFound. */
export async function describeTable(clients: Clients, tableName: string): Promise<TableDescription> {
  validateTableName(tableName);
  const out = await call({ operation: 'DescribeTable', table: tableName, target: clients.label }, () =>
    clients.ddb.send(new DescribeTableCommand({ TableName: tableName })),
  );
  return out.Table ?? { TableName: tableName };
}

/** DescribeTable, but a missing table is `undefined`. */
export async function findTable(clients: Clients, tableName: string): Promise<TableDescription | undefined> {
  try {
    return await describeTable(clients, tableName);
  } catch (e) {
    if ((e as { code?: string }).code === 'table.notFound') return undefined;
    throw e;
  }
}
