/** The executors: read the tables' key schemas, build the input, send it, map the answer. */
import { TransactGetItemsCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import {
  TransactGetCommand,
  type TransactGetCommandOutput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../../clients.js';
import { isDdbError } from '../../errors.js';
import { toDdbError } from '../../sdkErrors.js';
import type { Item } from '../codec.js';
import { getKeySchema, type KeySchema, keyOf } from '../keySchema.js';
import { type ActionTarget, actionParts, checkCount, schemaOf, transactTables } from './actions.js';
import { transactError, unsupportedError } from './errors.js';
import { fromJsGet, transactGetInput } from './getInput.js';
import type {
  TransactAction,
  TransactDelete,
  TransactGet,
  TransactPut,
  TransactWriteOptions,
  TransactWriteResult,
} from './types.js';
import { fromJsAction, transactWriteInput } from './writeInput.js';

/**
 * The key schema of each table. When a table is missing, first ask whether the endpoint has
 * transactions at all, with an empty request that can write nothing (DynamoDB rejects it as
 * invalid, dynalite as an unknown operation): on a fresh embedded engine the missing table would
 * otherwise hide the limit the user meets right after creating it.
 */
async function schemasOf(
  clients: Clients,
  tables: string[],
  operation: 'TransactWriteItems' | 'TransactGetItems',
): Promise<Map<string, KeySchema>> {
  try {
    return new Map(await Promise.all(tables.map(async (t) => [t, await getKeySchema(clients, t)] as const)));
  } catch (e) {
    if (!isDdbError(e, 'table.notFound')) throw e;
    try {
      if (operation === 'TransactWriteItems') {
        await clients.ddb.send(new TransactWriteItemsCommand({ TransactItems: [] }));
      } else {
        await clients.ddb.send(new TransactGetItemsCommand({ TransactItems: [] }));
      }
    } catch (probe) {
      if (toDdbError(probe, { operation }).code === 'engine.unsupported') {
        throw unsupportedError(clients, operation, 'transactions', probe);
      }
    }
    throw e;
  }
}

/**
 * Apply up to 100 actions across tables, all or nothing [TransactWriteItems]. Reads each table's
 * key schema first (DescribeTable, once per run) and checks everything locally.
 *
 * Throws `transaction.cancelled` with `details.reasons` (one `CancellationReason` per action) when a
 * condition failed or another request got in the way — nothing was written then — and
 * `engine.unsupported` on an endpoint without transactions.
 */
export async function transactWrite(
  clients: Clients,
  given: readonly TransactAction[],
  opts: TransactWriteOptions = {},
): Promise<TransactWriteResult> {
  checkCount(given.length, 'action', 'actions');
  const actions = given.map(fromJsAction);
  const tables = transactTables(actions);
  const schemas = await schemasOf(clients, tables, 'TransactWriteItems');
  const input = transactWriteInput(actions, schemas, opts);
  try {
    await clients.doc.send(new TransactWriteCommand(input));
  } catch (e) {
    const described = actions.map((a, i): ActionTarget => {
      const { type, body } = actionParts(a, i + 1);
      const schema = schemaOf(schemas, body.table);
      return {
        type,
        table: body.table,
        key:
          type === 'put'
            ? keyOf((body as TransactPut<Item>).item, schema)
            : (body as TransactDelete<Item>).key,
      };
    });
    throw transactError(e, 'TransactWriteItems', described, clients, opts.token);
  }
  return { actions: actions.length, tables };
}

/**
 * Read up to 100 items across tables from one snapshot [TransactGetItems]: the items in the order
 * asked, `null` for a key with no item.
 */
export async function transactGet(clients: Clients, given: readonly TransactGet[]): Promise<(Item | null)[]> {
  checkCount(given.length, 'get', 'gets');
  const gets = given.map(fromJsGet);
  const schemas = await schemasOf(clients, transactTables(gets), 'TransactGetItems');
  const input = transactGetInput(gets, schemas);
  let out: TransactGetCommandOutput;
  try {
    out = await clients.doc.send(new TransactGetCommand(input));
  } catch (e) {
    throw transactError(
      e,
      'TransactGetItems',
      gets.map((g) => ({ type: 'get', table: g.table, key: g.key })),
      clients,
    );
  }
  return gets.map((_, i) => (out.Responses?.[i]?.Item as Item | undefined) ?? null);
}
