/** The public types of transactions: the actions and gets a caller gives, the options, the results. */
import type { Item, ItemInput } from '../codec.js';
import type { UpdateActions } from '../expressions/index.js';

// NOTE: DynamoDB's transaction limits: 100 actions (or gets) per request, 4 MB in total.
/** Most actions in one TransactWriteItems, or gets in one TransactGetItems. */
export const MAX_TRANSACT_ITEMS = 100;
/** Most bytes of items (and keys and values) in one transaction. */
export const MAX_TRANSACT_BYTES = 4 * 1024 * 1024;

// NOTE: the action types take `ItemInput` (plain JS numbers too) from a program; `transactWrite`
// converts them once (`fromJsAction`) and works on `Item`s from there (`TransactAction<Item>`).

/** Create or replace `item`; with `condition`, only when it holds for the current item. */
export interface TransactPut<I extends ItemInput = ItemInput> {
  table: string;
  item: I;
  /** A condition in the expression syntax (see expressions/), e.g. `attribute_not_exists(pk)`. */
  condition?: string;
}

/** Update the item with `key` (created when missing) with the actions of `UpdateActions`. */
export interface TransactUpdate<I extends ItemInput = ItemInput> extends UpdateActions {
  table: string;
  key: I;
  condition?: string;
}

/** Delete the item with `key`; with `condition`, only when it holds. */
export interface TransactDelete<I extends ItemInput = ItemInput> {
  table: string;
  key: I;
  condition?: string;
}

/** Write nothing, but cancel the whole transaction unless `condition` holds for the item with `key`. */
export interface TransactCheck<I extends ItemInput = ItemInput> {
  table: string;
  key: I;
  condition: string;
}

/** One action of a write transaction: an object with exactly one of these fields. */
export type TransactAction<I extends ItemInput = ItemInput> =
  | { put: TransactPut<I> }
  | { update: TransactUpdate<I> }
  | { delete: TransactDelete<I> }
  | { check: TransactCheck<I> };

export type TransactActionType = 'put' | 'update' | 'delete' | 'check';

/** One read of a get transaction. */
export interface TransactGet<I extends ItemInput = ItemInput> {
  table: string;
  key: I;
  /** The attributes to return: comma-separated paths such as `a,b.c`. Default: the whole item. */
  project?: string;
}

export interface TransactWriteOptions {
  /**
   * ClientRequestToken (1–36 characters): repeating a transaction with the same token within 10
   * minutes does not apply it twice. Default: none (the SDK does not make retries idempotent then).
   */
  token?: string;
  /**
   * Ask for the current item of an action whose condition failed (ReturnValuesOnConditionCheckFailure
   * ALL_OLD) to show it in the error. Default true: it costs no read capacity.
   */
  returnFailedItems?: boolean;
}

export interface TransactWriteResult {
  /** How many actions were applied (all of them: a transaction is all or nothing). */
  actions: number;
  /** The tables written or checked, in the order first named. */
  tables: string[];
}

/** Why one action of a cancelled transaction failed; one entry per action, in order. */
export interface CancellationReason {
  /** 0-based position of the action in the list given. */
  index: number;
  /** 1-based action number, as messages show it. */
  action: number;
  type: TransactActionType | 'get';
  table: string;
  key: Item;
  /** DynamoDB's code: `None` (this action was fine), `ConditionalCheckFailed`, `TransactionConflict`, ... */
  code: string;
  message?: string;
  /** The current item, when a condition failed and it exists. */
  item?: Item;
}
