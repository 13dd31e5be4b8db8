import { paginateListTables } from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';

export interface ListTablesOptions {
  /** Only names starting with this prefix. */
  prefix?: string;
  /** Names per ListTables call; default and maximum 100. */
  pageSize?: number;
}

/** Every table name, across all pages (ListTables returns at most 100 names a call). */
export async function listTables(clients: Clients, opts: ListTablesOptions = {}): Promise<string[]> {
  const names: string[] = [];
  await call({ operation: 'ListTables', target: clients.label }, async () => {
    // NOTE: the paginator writes ExclusiveStartTableName into the input object: give it a fresh one.
    for await (const page of paginateListTables(
      { client: clients.ddb, pageSize: opts.pageSize ?? 100 },
      {},
    )) {
      names.push(...(page.TableNames ?? []));
    }
  });
  return opts.prefix ? names.filter((n) => n.startsWith(opts.prefix as string)) : names;
}
