import { DeleteCommand, type DeleteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';
import type { Item } from './codec.js';
import { buildExpressions } from './expressions.js';
import { checkKeyAttributes, getKeySchema } from './keySchema.js';
import type { ConditionOptions } from './putItem.js';

export interface DeleteItemOptions extends ConditionOptions {
  /** Return the deleted item. */
  returnOld?: boolean;
}

/** Pure: the DeleteCommand input. */
export function deleteItemInput(table: string, key: Item, opts: DeleteItemOptions = {}): DeleteCommandInput {
  return {
    TableName: table,
    Key: key,
    ...buildExpressions({
      ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
      ...(opts.names ? { rawNames: opts.names } : {}),
      ...(opts.values ? { rawValues: opts.values } : {}),
    }),
    ...(opts.returnOld ? { ReturnValues: 'ALL_OLD' } : {}),
  };
}

/** Delete one item by key. Deleting a missing item succeeds (DynamoDB's semantics); `old` tells. */
export async function deleteItem(
  clients: Clients,
  table: string,
  key: Item,
  opts: DeleteItemOptions = {},
): Promise<{ old?: Item }> {
  checkKeyAttributes(key, await getKeySchema(clients, table), 'key', true);
  const input = deleteItemInput(table, key, opts);
  const out = await call({ operation: 'DeleteItem', table, target: clients.label }, () =>
    clients.doc.send(new DeleteCommand(input)),
  );
  return out.Attributes ? { old: out.Attributes as Item } : {};
}
