/**
 * Transactions: TransactWriteItems (up to 100 put / update / delete / condition-check actions
 * across tables, all or nothing) and TransactGetItems (up to 100 reads from one snapshot).
 *
 * Each is a pure input builder — checked against the tables' key schemas, so a mistake is a local
 * error naming the action, not a round trip — and a thin executor that maps the service's answer:
 * a cancelled transaction says which action failed and why, and an endpoint without transactions
 * says so in one line.
 *
 * Actions are numbered from 1 in messages ("action 2"), in the order given.
 *
 * The folder, by job: types.ts (what a caller gives and gets), parse.ts (reading a transaction
 * file), actions.ts (an action's parts and labels, shared checks), writeInput.ts and getInput.ts
 * (the pure input builders), execute.ts (the executors), errors.ts (cancellation reasons, an
 * endpoint without transactions). This file is the public surface.
 */
export { type ActionTarget, actionParts, transactTables } from './actions.js';
export { cancellationError, unsupportedError } from './errors.js';
export { transactGet, transactWrite } from './execute.js';
export { transactGetInput } from './getInput.js';
export { type ParseTransactOptions, parseTransactActions, parseTransactGets } from './parse.js';
export {
  type CancellationReason,
  MAX_TRANSACT_BYTES,
  MAX_TRANSACT_ITEMS,
  type TransactAction,
  type TransactActionType,
  type TransactCheck,
  type TransactDelete,
  type TransactGet,
  type TransactPut,
  type TransactUpdate,
  type TransactWriteOptions,
  type TransactWriteResult,
} from './types.js';
export { transactWriteInput } from './writeInput.js';
