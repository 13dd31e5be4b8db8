/**
 * Create a table from a few options (name, keys, throughput, tags): the library's `createTable`
 * and the lab's. The options become a table spec (`tableSpecOf`), the spec a CreateTable input
 * through the one builder (`createTableInput`), sent by control/createTable. Here an existing
 * table is an outcome (`exists`, with its description), not an error.
 */
import type {
  CreateTableCommandInput,
  ScalarAttributeType,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { sendCreateTable } from '../control/createTable.js';
import { describeTable } from '../control/describeTable.js';
import { DdbError } from '../errors.js';
import { validateTableName } from '../names.js';
import { createTableInput, type TableSpec } from './tableSpec.js';

export interface KeyDef {
  name: string;
  type: ScalarAttributeType;
}

export interface CreateTableOptions {
  tableName: string;
  /** Default: the lab's `username` (S). */
  partitionKey?: KeyDef;
  sortKey?: KeyDef;
  /** Default: PROVISIONED 5 read / 5 write units, as the lab asks. `'on-demand'` = PAY_PER_REQUEST. */
  throughput?: { read: number; write: number } | 'on-demand';
  /** Default: none. Applied in CreateTable and verified afterwards by `ensureTags`. */
  tags?: Record<string, string>;
}

/** The lab's table: partition key username (S), provisioned 5/5, three tags. */
export const LAB_DEFAULTS = {
  tableName: 'Users',
  partitionKey: { name: 'username', type: 'S' } as KeyDef,
  throughput: { read: 5, write: 5 },
  tags: { Project: 'ddbctl-lab', Environment: 'dev', ManagedBy: 'ddbctl' },
} as const;

/** Pure: the table spec of `opts`, the lab's defaults filling what is left out. */
export function tableSpecOf(opts: CreateTableOptions): TableSpec {
  const pk = opts.partitionKey ?? LAB_DEFAULTS.partitionKey;
  const tp = opts.throughput ?? LAB_DEFAULTS.throughput;
  const spec: TableSpec = {
    name: opts.tableName,
    partitionKey: { name: pk.name, type: pk.type },
    billing: tp === 'on-demand' ? { mode: 'PAY_PER_REQUEST' } : { mode: 'PROVISIONED', ...tp },
  };
  if (opts.sortKey) spec.sortKey = { name: opts.sortKey.name, type: opts.sortKey.type };
  if (opts.tags && Object.keys(opts.tags).length > 0) spec.tags = { ...opts.tags };
  return spec;
}

/** The lab's table as a spec. */
export function labTableSpec(tableName: string = LAB_DEFAULTS.tableName): TableSpec {
  return tableSpecOf({ ...LAB_DEFAULTS, tableName });
}

/** Pure: the CreateTable input for `opts`. Validates the table name locally. */
export function createTableInputOf(opts: CreateTableOptions): CreateTableCommandInput {
  validateTableName(opts.tableName);
  return createTableInput(tableSpecOf(opts));
}

export type CreateTableResult =
  | { outcome: 'created'; table: TableDescription }
  | { outcome: 'exists'; table: TableDescription };

/**
 * Create the table of `spec`. An existing table is a normal outcome (`exists`, with its
 * description), not an error. Does not wait: call `waitForTable` next, then `ensureTags`.
 */
export async function createOrReuseTable(clients: Clients, spec: TableSpec): Promise<CreateTableResult> {
  validateTableName(spec.name);
  try {
    return { outcome: 'created', table: await sendCreateTable(clients, createTableInput(spec)) };
  } catch (e) {
    const err = e as DdbError;
    // NOTE: AWS answers ResourceInUseException for an existing table; some engines a ValidationException.
    if (err.code === 'table.inUse' || /already exists/i.test(err.message)) {
      const table = await describeTable(clients, spec.name);
      refuseDeleting(table);
      return { outcome: 'exists', table };
    }
    throw err;
  }
}

/** `createOrReuseTable` for the options of `tableSpecOf`. */
export function createTable(clients: Clients, opts: CreateTableOptions): Promise<CreateTableResult> {
  return createOrReuseTable(clients, tableSpecOf(opts));
}

/**
 * A table being deleted is not one to reuse: it is gone a moment later, and DynamoDB answers a
 * CreateTable of it with ResourceInUseException. Throws for a table whose status is DELETING.
 */
export function refuseDeleting(table: TableDescription): void {
  if (table.TableStatus !== 'DELETING') return;
  const name = table.TableName ?? '';
  throw new DdbError('table.inUse', {
    message: `table ${name} is being deleted (DELETING): it can be neither reused nor created again until it is gone; run 'ddbctl wait ${name} --for deleted', then this command again`,
  });
}
