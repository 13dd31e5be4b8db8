import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import { call } from '../sdkErrors.js';
import { fromJsItem, type Item, type ItemInput } from './codec.js';
import { buildExpressions, type UpdateActions } from './expressions/index.js';
import { checkKeyAttributes, getKeySchema, type KeySchema } from './keySchema.js';
import { type ConditionOptions, conditionValues } from './putItem.js';

/** What an update returns: the new item (default), the old one, or only the updated attributes. */
export type ReturnMode = 'new' | 'old' | 'updated-new' | 'updated-old' | 'none';
const RETURN_VALUES = {
  new: 'ALL_NEW',
  old: 'ALL_OLD',
  'updated-new': 'UPDATED_NEW',
  'updated-old': 'UPDATED_OLD',
  none: 'NONE',
} as const;

/** The item after (or before) the update, as `returnValues` asked; none with 'none'. */
export interface UpdateItemResult {
  item?: Item;
}

export interface UpdateItemOptions extends ConditionOptions {
  /** Readable actions, compiled with generated placeholders. */
  actions?: UpdateActions;
  /** A raw UpdateExpression using the caller's own placeholders (`names`/`values`). */
  expression?: string;
  /** Default `new`. */
  returnValues?: ReturnMode;
}

function touchesKey(schema: KeySchema, actions: UpdateActions | undefined): string | undefined {
  const keys = [schema.partitionKey.name, schema.sortKey?.name].filter((k): k is string => !!k);
  for (const list of Object.values(actions ?? {}) as string[][]) {
    for (const a of list ?? []) {
      const target = a
        .trim()
        .split(/[\s=[.]/)[0]
        ?.replace(/`/g, '');
      if (target && keys.includes(target)) return target;
    }
  }
  return undefined;
}

/** Pure: the UpdateCommand input. */
export function updateItemInput(
  schema: KeySchema,
  key: ItemInput,
  opts: UpdateItemOptions,
): UpdateCommandInput {
  const hasActions =
    !!opts.actions && Object.values(opts.actions).some((l) => (l as string[] | undefined)?.length);
  if (hasActions === (opts.expression !== undefined)) {
    throw new DdbError('usage.invalid', {
      message: hasActions
        ? 'give either update actions (--set, --add, ...) or a raw --expression, not both'
        : 'nothing to update: give --set, --add, --remove, --delete, --append, --if-not-exists or --expression',
    });
  }
  const keyAttr = touchesKey(schema, opts.actions);
  if (keyAttr) {
    throw new DdbError('input.expression', {
      message: `"${keyAttr}" is part of the key of ${schema.table} and cannot be updated; put a new item and delete the old one instead`,
    });
  }
  const built = buildExpressions({
    ...(hasActions ? { update: opts.actions as UpdateActions } : { rawUpdate: opts.expression as string }),
    ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
    ...(opts.names ? { rawNames: opts.names } : {}),
    ...conditionValues(opts),
  });
  return {
    TableName: schema.table,
    Key: fromJsItem(key, 'key'),
    ...built,
    ReturnValues: RETURN_VALUES[opts.returnValues ?? 'new'],
  };
}

/** Update one item (created when missing, as DynamoDB does). Returns what `returnValues` asks for. */
export async function updateItem(
  clients: Clients,
  table: string,
  given: ItemInput,
  opts: UpdateItemOptions,
): Promise<UpdateItemResult> {
  const key = fromJsItem(given, 'key');
  const schema = await getKeySchema(clients, table);
  checkKeyAttributes(key, schema, 'key', true);
  const input = updateItemInput(schema, key, opts);
  const out = await call({ operation: 'UpdateItem', table, target: clients.label }, () =>
    clients.doc.send(new UpdateCommand(input)),
  );
  return out.Attributes ? { item: out.Attributes as Item } : {};
}
