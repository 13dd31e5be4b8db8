/**
 * TransactGetItems: up to 100 Gets over one or more tables, read together (requests are handled
 * one at a time, so they see one state of the store). Responses come in the order asked, `{}` for
 * a missing item; each item's read counts double and strongly consistent.
 */
import { itemTree } from '../catalog.js';
import type { OpContext } from '../context.js';
import { validation } from '../errors.js';
import { RawJson } from '../json.js';
import { capacityMode, isObject, readUnits } from '../ops/_common.js';
import { parseStored } from '../ops/_write.js';
import { checkRequired, GET_ENTRY, type GetAction, readGetAction } from './actions.js';
import { TransactCapacity } from './capacity.js';
import { checkTransactRequest, MAX_TRANSACTION_BYTES } from './write.js';

export function transactGet(ctx: OpContext, input: Record<string, unknown>): Record<string, unknown> {
  const entries = checkTransactRequest(input, GET_ENTRY, ['Get']);
  const mode = capacityMode(input);
  const gets: GetAction[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (!isObject(entry) || entry.Get === undefined || entry.Get === null) {
      // NOTE: DynamoDB Local says "Value null at 'transactItems'"; DynamoDB names the member.
      throw validation(
        `Value null at 'transactItems.${i + 1}.member.get' failed to satisfy constraint: Member must not be null`,
      );
    }
  });
  // Then each Get against its table, in order (DynamoDB Local's order of refusals).
  entries.forEach((entry, i) => {
    const a = (entry as Record<string, Record<string, unknown>>).Get!;
    checkRequired('Get', a, i);
    const g = readGetAction(ctx, a);
    const id = `${g.table.name}\u0000${g.key}`;
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(id);
    gets.push(g);
  });
  const cap = new TransactCapacity();
  let total = 0;
  const responses = gets.map((g) => {
    const s = ctx.store.tree(itemTree(g.table.name)).get(g.key);
    cap.of(g.table.name).table += readUnits(s?.z ?? 0, true);
    if (!s) return {};
    total += s.z;
    return { Item: g.projection ? g.projection(parseStored(s)) : new RawJson(s.j) };
  });
  // DynamoDB rejects the whole request when the items read exceed 4 MB together (API reference,
  // TransactGetItems); the words are DynamoDB Local's (its count of bytes is its own).
  if (total > MAX_TRANSACTION_BYTES) throw validation(`Payload in response is too large.${total}`);
  const out: Record<string, unknown> = { Responses: responses };
  const consumed = cap.answer(mode);
  if (consumed) out.ConsumedCapacity = consumed;
  return out;
}
