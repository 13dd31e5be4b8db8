/**
 * TransactWriteItems: up to 100 actions over one or more tables, all or nothing. Every action is
 * read and checked first (a bad request is a ValidationException for the whole of it), then every
 * condition and update is evaluated against the items as they are; if any fails, nothing is
 * written and TransactionCanceledException gives one reason per action, in order. Otherwise all
 * the changes, and the ClientRequestToken's record, go into ONE `ctx.store.commit`: a crash leaves
 * the whole transaction or none of it.
 */
import { itemTree } from '../catalog.js';
import type { OpContext } from '../context.js';
import { EngineError, validation } from '../errors.js';
import { RawJson } from '../json.js';
import { capacityMode, collectionMetricsMode, isObject, readUnits, writeUnits } from '../ops/_common.js';
import { collectionMetrics } from '../ops/_metrics.js';
import { updatedRecord } from '../ops/_single.js';
import { Existing, type ItemRecord, writeItem } from '../ops/_write.js';
import { Constraints, checkShape, type Shape } from '../shape.js';
import type { Change } from '../store/index.js';
import {
  type ParsedWrite,
  parseWriteAction,
  readWriteAction,
  WRITE_ENTRY,
  WRITE_KINDS,
  type WriteAction,
  type WriteKind,
} from './actions.js';
import { TransactCapacity } from './capacity.js';
import { alreadyApplied, requestHash, tokenChanges } from './tokens.js';

export const MAX_ACTIONS = 100;
/** DynamoDB's limit on the aggregate size of a transaction's items. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * The request's members and request-level constraints. NOTE: in DynamoDB Local's words (a constraint
 * alone, without "1 validation error detected: ", the value unquoted), as its single-item
 * operations word "must not be null"; the enumerations are gathered as DynamoDB's.
 */
export function checkTransactRequest(
  input: Record<string, unknown>,
  entry: Shape,
  kinds: readonly (WriteKind | 'Get')[],
): unknown[] {
  checkShape(input, {
    struct: {
      TransactItems: { list: entry },
      ClientRequestToken: 'string',
      ReturnConsumedCapacity: 'string',
      ReturnItemCollectionMetrics: 'string',
    },
  });
  const items = input.TransactItems as unknown[] | undefined | null;
  const constraint = (value: string, path: string, rule: string) =>
    validation(`Value ${value} at '${path}' failed to satisfy constraint: Member must ${rule}`);
  if (items === undefined || items === null) throw constraint('null', 'transactItems', 'not be null');
  if (items.length === 0) throw constraint('[]', 'transactItems', 'have length greater than or equal to 1');
  if (items.length > MAX_ACTIONS) {
    // NOTE: DynamoDB writes the list as Java prints it before these words; DynamoDB Local gives the words alone.
    throw validation(`Member must have length less than or equal to ${MAX_ACTIONS}`);
  }
  const token = input.ClientRequestToken;
  if (typeof token === 'string' && (token.length < 1 || token.length > 36)) {
    throw constraint(
      token,
      'clientRequestToken',
      token.length ? 'have length less than or equal to 36' : 'have length greater than or equal to 1',
    );
  }
  const c = new Constraints();
  c.enumOf(input.ReturnConsumedCapacity, 'returnConsumedCapacity', ['INDEXES', 'TOTAL', 'NONE']);
  // NOTE: DynamoDB Local takes any ReturnValuesOnConditionCheckFailure in an action; DynamoDB refuses it (DIVERGENCES.md).
  items.forEach((entry, i) => {
    for (const kind of kinds) {
      if (kind === 'Get') continue;
      const a = isObject(entry) ? entry[kind] : undefined;
      if (!isObject(a)) continue;
      c.enumOf(
        a.ReturnValuesOnConditionCheckFailure,
        `transactItems.${i + 1}.member.${kind[0]!.toLowerCase()}${kind.slice(1)}.returnValuesOnConditionCheckFailure`,
        ['ALL_OLD', 'NONE'],
      );
    }
  });
  if (kinds.length > 1)
    c.enumOf(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
  c.throwIfAny();
  return items;
}

/** What an action does once its condition passed: the item to store (null: delete), or nothing. */
type Outcome = { next: ItemRecord | null } | { none: true };

export function transactWrite(ctx: OpContext, input: Record<string, unknown>): Record<string, unknown> {
  const entries = checkTransactRequest(input, WRITE_ENTRY, WRITE_KINDS);
  const mode = capacityMode(input);
  const metrics = collectionMetricsMode(input);
  const token = input.ClientRequestToken as string | undefined;

  // Every entry's expressions and the total size first, then each action against its table.
  const parsed = entries.map(parseWriteAction);
  // NOTE: DynamoDB Local leaves out of the total the actions on tables that do not exist (refused next).
  const exists = (p: ParsedWrite) =>
    typeof p.a.TableName === 'string' && ctx.findTable(p.a.TableName) !== undefined;
  const bytes = parsed.reduce((n, p) => n + (exists(p) ? p.bytes : 0), 0);
  if (bytes > MAX_TRANSACTION_BYTES) {
    throw validation(`Transaction payload size cannot exceed 4MB. Payload Size: ${bytes}`);
  }
  const actions: WriteAction[] = [];
  const seen = new Set<string>();
  parsed.forEach((p, i) => {
    const action = readWriteAction(ctx, p, i);
    actions.push(action);
    if (action.invalid !== undefined) return;
    const id = `${action.table.name}\u0000${action.key}`;
    if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(id);
  });

  const hash = requestHash(input);
  const cap = new TransactCapacity();
  if (alreadyApplied(ctx, token, hash)) {
    // The transaction is not applied again; its items are read to answer.
    for (const a of actions) {
      if (a.invalid !== undefined) continue;
      const s = ctx.store.tree(itemTree(a.table.name)).get(a.key);
      cap.of(a.table.name).table += readUnits(s?.z ?? 0, true);
    }
    return answer(ctx, actions, mode, metrics, cap);
  }

  // Every condition and update first, against the items as they are.
  const olds: Existing[] = [];
  const outcomes: Outcome[] = [];
  const reasons: Record<string, unknown>[] = [];
  let failed = false;
  for (const a of actions) {
    const old = new Existing(
      a.invalid === undefined ? ctx.store.tree(itemTree(a.table.name)).get(a.key) : undefined,
    );
    olds.push(old);
    if (a.invalid !== undefined) {
      failed = true;
      reasons.push({ Code: 'ValidationError', Message: a.invalid });
      outcomes.push({ none: true });
      continue;
    }
    if (a.cond && !a.cond(old.item())) {
      failed = true;
      reasons.push({
        Code: 'ConditionalCheckFailed',
        // NOTE: a ConditionCheck's ends with a full stop, the other actions' not (DynamoDB Local's words).
        Message: `The conditional request failed${a.kind === 'ConditionCheck' ? '.' : ''}`,
        ...(a.returnOld && old.stored ? { Item: new RawJson(old.stored.j) } : {}),
      });
      outcomes.push({ none: true });
      continue;
    }
    try {
      outcomes.push(outcome(a, old));
      reasons.push({ Code: 'None' });
    } catch (e) {
      if (!(e instanceof EngineError) || e.type !== 'ValidationException') throw e;
      failed = true;
      reasons.push({ Code: 'ValidationError', Message: e.message });
      outcomes.push({ none: true });
    }
  }
  if (failed) {
    throw new EngineError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      { CancellationReasons: reasons },
    );
  }

  const changes: Change[] = [];
  actions.forEach((a, i) => {
    const old = olds[i]!;
    const o = outcomes[i]!;
    const c = cap.of(a.table.name);
    if ('none' in o || (o.next === null && !old.stored)) {
      // A condition check, or a delete of nothing, still costs a write of the item as it is.
      c.table += writeUnits(old.stored?.z ?? 0);
      return;
    }
    writeItem(a.table, a.key, old.stored, () => old.item(), o.next, changes, c);
  });
  changes.push(...tokenChanges(ctx, token, hash));
  ctx.store.commit(changes);
  return answer(ctx, actions, mode, metrics, cap);
}

function outcome(a: WriteAction, old: Existing): Outcome {
  switch (a.kind) {
    case 'Put':
      return { next: a.put! };
    case 'Delete':
      return { next: null };
    case 'Update':
      return { next: updatedRecord(a.table, a.update, old.item(), a.keyItem).rec };
    case 'ConditionCheck':
      return { none: true };
  }
}

function answer(
  ctx: OpContext,
  actions: WriteAction[],
  mode: ReturnType<typeof capacityMode>,
  metrics: boolean,
  cap: TransactCapacity,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const consumed = cap.answer(mode);
  if (consumed) out.ConsumedCapacity = consumed;
  if (metrics) {
    const m: Record<string, unknown[]> = {};
    for (const a of actions) {
      if (a.kind === 'ConditionCheck') continue;
      const one = collectionMetrics(ctx, a.table, a.keyItem);
      if (one) m[a.table.name] = [...(m[a.table.name] ?? []), one];
    }
    if (Object.keys(m).length) out.ItemCollectionMetrics = m;
  }
  return out;
}
