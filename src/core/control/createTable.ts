import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type KeySchemaElement,
  type ScalarAttributeType,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import { validateTableName } from '../names.js';
import { toDdbError } from '../sdkErrors.js';
import { describeTable } from './describeTable.js';

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

/** The lab's table: partition key username (S), provisioned 5/5. */
export const LAB_DEFAULTS = {
  tableName: 'Users',
  partitionKey: { name: 'username', type: 'S' } as KeyDef,
  throughput: { read: 5, write: 5 },
  tags: { Project: 'ddbctl-lab', Environment: 'dev', ManagedBy: 'ddbctl' },
} as const;

/** Pure: the CreateTable input for `opts`. Validates the table name locally. */
export function createTableInput(opts: CreateTableOptions): CreateTableCommandInput {
  validateTableName(opts.tableName);
  const pk = opts.partitionKey ?? LAB_DEFAULTS.partitionKey;
  const keys: KeySchemaElement[] = [{ AttributeName: pk.name, KeyType: 'HASH' }];
  const defs = [{ AttributeName: pk.name, AttributeType: pk.type }];
  if (opts.sortKey) {
    keys.push({ AttributeName: opts.sortKey.name, KeyType: 'RANGE' });
    defs.push({ AttributeName: opts.sortKey.name, AttributeType: opts.sortKey.type });
  }
  const tp = opts.throughput ?? LAB_DEFAULTS.throughput;
  const tags = Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  return {
    TableName: opts.tableName,
    KeySchema: keys,
    AttributeDefinitions: defs,
    ...(tp === 'on-demand'
      ? { BillingMode: 'PAY_PER_REQUEST' }
      : {
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: tp.read, WriteCapacityUnits: tp.write },
        }),
    ...(tags.length ? { Tags: tags } : {}),
  };
}

export type CreateTableResult =
  | { outcome: 'created'; table: TableDescription }
  | { outcome: 'exists'; table: TableDescription };

/**
 * Create the table. An existing table is a normal outcome (`exists`, with its description), not an
 * error. Does not wait: call `waitForTable` next, then `ensureTags`.
 */
export async function createTable(clients: Clients, opts: CreateTableOptions): Promise<CreateTableResult> {
  const input = createTableInput(opts);
  try {
    const out = await clients.ddb.send(new CreateTableCommand(input));
    return { outcome: 'created', table: out.TableDescription ?? { TableName: opts.tableName } };
  } catch (e) {
    const err = toDdbError(e, { operation: 'CreateTable', table: opts.tableName, target: clients.label });
    // NOTE: AWS answers ResourceInUseException for an existing table; some engines a ValidationException.
    if (err.code === 'table.inUse' || /already exists/i.test(err.message)) {
      const table = await describeTable(clients, opts.tableName);
      refuseDeleting(table);
      return { outcome: 'exists', table };
    }
    throw err;
  }
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
