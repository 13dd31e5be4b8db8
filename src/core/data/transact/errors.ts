/** A failed transaction call → one DdbError: which action failed and why, or what the endpoint lacks. */
import type { Clients } from '../../clients.js';
import { DdbError } from '../../errors.js';
import { againWithToken, toDdbError, tokenOfError } from '../../sdkErrors.js';
import { fromRawItem, type RawItem } from '../codec.js';
import { type ActionTarget, describeAction, short } from './actions.js';
import type { CancellationReason } from './types.js';

/**
 * The one-line error for an endpoint that lacks a feature, naming the embedded engine when that is
 * the target (its clients' label starts with "the embedded engine").
 */
export function unsupportedError(
  clients: Pick<Clients, 'label'>,
  operation: string,
  feature: string,
  cause?: unknown,
): DdbError {
  const what = clients.label.startsWith('the embedded engine')
    ? `the embedded engine has no ${feature}`
    : `${clients.label} has no ${feature}`;
  return new DdbError('engine.unsupported', {
    message: `${operation} is not supported by this endpoint (${what}); use DynamoDB Local or AWS (--endpoint-url / --aws)`,
    ...(cause === undefined ? {} : { cause }),
  });
}

export interface RawReason {
  Code?: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

/** A failed transaction call → DdbError; a cancellation lists each action's reason. */
export function transactError(
  e: unknown,
  operation: string,
  described: ActionTarget[],
  clients: Clients,
  token?: string,
): DdbError {
  const name = (e as { name?: string })?.name;
  const reasons = (e as { CancellationReasons?: RawReason[] })?.CancellationReasons;
  if (name === 'TransactionCanceledException' && Array.isArray(reasons) && reasons.length > 0) {
    return cancellationError(operation, described, reasons, e);
  }
  if (name === 'IdempotentParameterMismatchException') {
    return new DdbError('request.invalid', {
      message: `${operation}: this token was used in the last 10 minutes for other actions; use a new token for a new transaction`,
      cause: e,
    });
  }
  const sdkToken = tokenOfError(e);
  if (name === 'TransactionInProgressException') {
    // NOTE: without the caller's token, the token is the SDK's own for this run: the transaction
    // still in progress is an earlier attempt of this very run, which may yet be carried out.
    return new DdbError('transaction.conflict', {
      message:
        token !== undefined
          ? `${operation}: a transaction with this token is still in progress; retry in a moment`
          : `${operation}: the endpoint is still carrying out an earlier attempt of this transaction (TransactionInProgressException): it may or may not be carried out; ${sdkToken ? againWithToken(sdkToken) : 'check the table before running the command again'}`,
      cause: e,
      ...(token === undefined ? { details: { unanswered: true } } : {}),
    });
  }
  const err = toDdbError(e, { operation, target: clients.label });
  // Its token (the caller's, or the SDK's own): the same transaction sent again with it is carried
  // out at most once.
  const { sent, token: used } = (err.details ?? {}) as { sent?: string; token?: string };
  if (sent !== undefined && (token ?? used) !== undefined) {
    const again =
      token !== undefined
        ? `sent again with the same token (${token}) within 10 minutes, it is carried out at most once`
        : againWithToken(used as string);
    return new DdbError(err.code, {
      message: `${sent}: it may or may not have been carried out; ${again}`,
      cause: e,
      ...(err.details ? { details: err.details } : {}),
    });
  }
  if (err.code === 'engine.unsupported') return unsupportedError(clients, operation, 'transactions', e);
  return err;
}

/**
 * Pure: the `transaction.cancelled` error of a cancelled transaction. Its message names each
 * failed action (number, type, table, key, reason; the current item when a condition failed) and
 * lists the others as None; `details.reasons` holds one CancellationReason per action.
 */
export function cancellationError(
  operation: string,
  described: readonly ActionTarget[],
  raw: readonly RawReason[],
  cause?: unknown,
): DdbError {
  const reasons: CancellationReason[] = described.map((d, i) => {
    const r = raw[i] ?? {};
    // The engine's own item: attribute values with binary as bytes, not DynamoDB JSON to check.
    const item = r.Item ? fromRawItem(r.Item as RawItem) : undefined;
    return {
      index: i,
      action: i + 1,
      type: d.type,
      table: d.table,
      key: d.key,
      code: r.Code ?? 'None',
      ...(r.Message ? { message: r.Message } : {}),
      ...(item ? { item } : {}),
    };
  });
  const failed = reasons.filter((r) => r.code !== 'None');
  const fine = reasons.filter((r) => r.code === 'None').map((r) => r.action);
  const parts = failed.map((r) => {
    const why =
      r.code === 'ConditionalCheckFailed'
        ? r.item
          ? `${r.code}, current item ${short(r.item)}`
          : `${r.code}, no current item`
        : `${r.code}${r.message ? ` (${r.message})` : ''}`;
    return `${describeAction(r, r.index)}: ${why}`;
  });
  const noun = operation === 'TransactGetItems' ? 'get' : 'action';
  if (fine.length > 0) parts.push(`${noun}${fine.length === 1 ? '' : 's'} ${fine.join(', ')}: None`);
  const retry = failed.some((r) => /Conflict|Throughput|Throttl/.test(r.code))
    ? '; retry: another request was using the same items or capacity ran out'
    : '';
  const done = operation === 'TransactGetItems' ? 'nothing was read' : 'nothing was written';
  return new DdbError('transaction.cancelled', {
    message: `${operation}: the transaction was cancelled and ${done}: ${parts.join('; ')}${retry}`,
    details: { reasons },
    ...(cause === undefined ? {} : { cause }),
  });
}
