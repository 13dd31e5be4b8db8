import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';
import type { Item } from './codec.js';
import { checkKeyAttributes, getKeySchema } from './keySchema.js';

export interface PutItemOptions {
  /** Return the item this put replaced. */
  returnOld?: boolean;
}

/** Pure: the PutCommand input. Values are native (lib-dynamodb marshals them). */
export function putItemInput(table: string, item: Item, opts: PutItemOptions = {}): PutCommandInput {
  return { TableName: table, Item: item, ...(opts.returnOld ? { ReturnValues: 'ALL_OLD' } : {}) };
}

export interface PutItemResult {
  /** The replaced item, when `returnOld` was asked and there was one. */
  old?: Item;
}

/**
 * Create or replace an item. Key attributes are checked against the table's schema before sending.
 * Numbers go in exactly (NumberValue), sets, binary, maps and lists as lib-dynamodb marshals them.
 */
export async function putItem(
  clients: Clients,
  table: string,
  item: Item,
  opts: PutItemOptions = {},
): Promise<PutItemResult> {
  checkKeyAttributes(item, await getKeySchema(clients, table), 'item');
  const out = await call({ operation: 'PutItem', table, target: clients.label }, () =>
    clients.doc.send(new PutCommand(putItemInput(table, item, opts))),
  );
  return out.Attributes ? { old: out.Attributes as Item } : {};
}
