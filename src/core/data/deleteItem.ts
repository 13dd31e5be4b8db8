import { DeleteCommand, type DeleteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';
import { fromJsItem, type Item, type ItemInput } from './codec.js';
import { buildExpressions } from './expressions/index.js';
import { checkKeyAttributes, getKeySchema } from './keySchema.js';
import { type ConditionOptions, conditionValues } from './putItem.js';

export interface DeleteItemOptions extends ConditionOptions {
  /** Return the deleted item as `old`. */
  returnOld?: boolean;
}

export interface DeleteItemResult {
  /** Whether an item had the key (and is now deleted); false when there was none (nothing deleted). */
  deleted: boolean;
  /** The deleted item, when `returnOld` asked for it. */
  old?: Item;
}

/**
 * Pure: the DeleteCommand input. It always asks for the old item (ReturnValues ALL_OLD), which is
 * how DynamoDB tells whether an item was there; that costs no extra capacity.
 */
export function deleteItemInput(
  table: string,
  key: ItemInput,
  opts: DeleteItemOptions = {},
): DeleteCommandInput {
  return {
    TableName: table,
    Key: fromJsItem(key, 'key'),
    ...buildExpressions({
      ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
      ...(opts.names ? { rawNames: opts.names } : {}),
      ...conditionValues(opts),
    }),
    ReturnValues: 'ALL_OLD',
  };
}

/**
 * Delete one item by key. Deleting a missing item succeeds (DynamoDB's semantics): `deleted`
 * says whether there was one.
 */
export async function deleteItem(
  clients: Clients,
  table: string,
  given: ItemInput,
  opts: DeleteItemOptions = {},
): Promise<DeleteItemResult> {
  const key = fromJsItem(given, 'key');
  checkKeyAttributes(key, await getKeySchema(clients, table), 'key', true);
  const input = deleteItemInput(table, key, opts);
  const out = await call({ operation: 'DeleteItem', table, target: clients.label }, () =>
    clients.doc.send(new DeleteCommand(input)),
  );
  const old = out.Attributes as Item | undefined;
  return { deleted: old !== undefined, ...(old && opts.returnOld ? { old } : {}) };
}
