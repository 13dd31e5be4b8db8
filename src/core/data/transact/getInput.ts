/** Pure: the TransactGetItems input. */
import type { TransactGetCommandInput } from '@aws-sdk/lib-dynamodb';
import { inputError } from '../../errors.js';
import { validateTableName } from '../../names.js';
import { fromJsItem, type Item } from '../codec.js';
import { compileProjection, Placeholders } from '../expressions/index.js';
import { checkKeyAttributes, type KeySchema } from '../keySchema.js';
import { type ActionTarget, checkCount, checkDistinct, isObject, prefixed, schemaOf } from './actions.js';
import type { TransactGet } from './types.js';

export function fromJsGet(g: TransactGet, i: number): TransactGet<Item> {
  if (!isObject(g))
    throw inputError('input.json', `get ${i + 1}: expected an object such as {"table": "T", "key": {...}}`);
  return { ...g, key: fromJsItem(g.key, `get ${i + 1} (get from ${g.table}): key`) };
}

/**
 * Pure: the TransactGetItems input. Checks 1–100 gets, table names, keys against the schemas, no
 * item read twice, projections.
 */
export function transactGetInput(
  given: readonly TransactGet[],
  schemas: ReadonlyMap<string, KeySchema>,
): TransactGetCommandInput {
  checkCount(given.length, 'get', 'gets');
  const gets = given.map(fromJsGet);
  const described: ActionTarget[] = [];
  const TransactItems = gets.map((g, i) => {
    const label = `get ${i + 1} (get from ${g.table})`;
    try {
      validateTableName(g.table);
    } catch (e) {
      throw prefixed(e, label);
    }
    checkKeyAttributes(g.key, schemaOf(schemas, g.table), `${label}: key`, true);
    described.push({ type: 'get', table: g.table, key: g.key });
    let projection = {};
    if (g.project !== undefined) {
      const ph = new Placeholders();
      try {
        projection = {
          ProjectionExpression: compileProjection(g.project, ph),
          ExpressionAttributeNames: ph.names,
        };
      } catch (e) {
        throw prefixed(e, label);
      }
    }
    return { Get: { TableName: g.table, Key: g.key, ...projection } };
  });
  checkDistinct(described, schemas, 'get');
  return { TransactItems };
}
