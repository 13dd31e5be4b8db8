import { GetCommand, type GetCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';
import { fromJsItem, type Item, type ItemInput } from './codec.js';
import { buildExpressions } from './expressions/index.js';
import { checkKeyAttributes, getKeySchema } from './keySchema.js';

export interface GetItemOptions {
  /** Strongly consistent read. Default false (eventually consistent, half the read units). */
  consistent?: boolean;
  /** Only these paths: "a,b.c,d[0]". */
  project?: string;
}

/** Pure: the GetCommand input. */
export function getItemInput(table: string, key: ItemInput, opts: GetItemOptions = {}): GetCommandInput {
  return {
    TableName: table,
    Key: fromJsItem(key, 'key'),
    ...(opts.consistent ? { ConsistentRead: true } : {}),
    ...(opts.project ? buildExpressions({ projection: opts.project }) : {}),
  };
}

export type GetItemResult = { found: true; item: Item } | { found: false };

/** Read one item by key; "not found" is a distinct outcome, not an error. */
export async function getItem(
  clients: Clients,
  table: string,
  given: ItemInput,
  opts: GetItemOptions = {},
): Promise<GetItemResult> {
  const key = fromJsItem(given, 'key');
  const schema = await getKeySchema(clients, table);
  checkKeyAttributes(key, schema, 'key', true);
  const input = getItemInput(table, key, opts);
  const out = await call({ operation: 'GetItem', table, target: clients.label }, () =>
    clients.doc.send(new GetCommand(input)),
  );
  return out.Item ? { found: true, item: out.Item as Item } : { found: false };
}
