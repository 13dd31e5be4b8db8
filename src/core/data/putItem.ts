import { PutCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { call } from '../sdkErrors.js';
import { fromJsItem, type Item, type ItemInput, type ItemInputValue } from './codec.js';
import { buildExpressions } from './expressions/index.js';
import { checkKeyAttributes, getKeySchema, type KeySchema } from './keySchema.js';
import { validateItem } from './validate.js';

export interface ConditionOptions {
  /** A condition in readable form (`status = 'active' AND attribute_exists(username)`). */
  condition?: string;
  /** The caller's own `#x` / `:x` placeholders used in `condition`. */
  names?: Record<string, string>;
  /** Values of the `:x` placeholders; plain JS numbers are taken where exact (see `fromJsItem`). */
  values?: Record<string, ItemInputValue>;
}

export interface PutItemOptions extends ConditionOptions {
  /** Refuse to overwrite an existing item (attribute_not_exists on the partition key). */
  ifNotExists?: boolean;
  /** Return the item this put replaced. */
  returnOld?: boolean;
}

/** `attribute_not_exists(pk)`, combined with a user condition. */
export function withIfNotExists(
  schema: KeySchema,
  ifNotExists: boolean | undefined,
  condition?: string,
): string | undefined {
  if (!ifNotExists) return condition;
  // NOTE: backticks quote any attribute name for the expression compiler.
  const guard = `attribute_not_exists(\`${schema.partitionKey.name.replace(/[`\\]/g, '\\$&')}\`)`;
  return condition ? `(${condition}) AND ${guard}` : guard;
}

/** The caller's placeholder values as items values (the library's boundary, `fromJsItem`). */
export function conditionValues(opts: ConditionOptions): { rawValues?: Item } {
  return opts.values ? { rawValues: fromJsItem(opts.values, 'values') } : {};
}

/** Pure: the PutCommand input. Values are native (lib-dynamodb marshals them). */
export function putItemInput(schema: KeySchema, item: ItemInput, opts: PutItemOptions = {}): PutCommandInput {
  const condition = withIfNotExists(schema, opts.ifNotExists, opts.condition);
  return {
    TableName: schema.table,
    Item: fromJsItem(item),
    ...buildExpressions({
      ...(condition !== undefined ? { condition } : {}),
      ...(opts.names ? { rawNames: opts.names } : {}),
      ...conditionValues(opts),
    }),
    ...(opts.returnOld ? { ReturnValues: 'ALL_OLD' } : {}),
  };
}

export interface PutItemResult {
  /** The replaced item, when `returnOld` was asked and there was one. */
  old?: Item;
}

/**
 * Create or replace an item. The item is checked against DynamoDB's limits and the table's key
 * schema before sending. A failed condition throws item.conditionFailed; the item is unchanged.
 */
export async function putItem(
  clients: Clients,
  table: string,
  given: ItemInput,
  opts: PutItemOptions = {},
): Promise<PutItemResult> {
  const item = fromJsItem(given);
  const schema = await getKeySchema(clients, table);
  checkKeyAttributes(item, schema, 'item');
  validateItem(item, 'item');
  const input = putItemInput(schema, item, opts);
  const out = await call({ operation: 'PutItem', table, target: clients.label }, () =>
    clients.doc.send(new PutCommand(input)),
  );
  return out.Attributes ? { old: out.Attributes as Item } : {};
}
