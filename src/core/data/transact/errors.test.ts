import { describe, expect, it } from 'vitest';
import { n } from '../../../../test/support/transact.js';
import type { Clients } from '../../clients.js';
import { markToken, UnansweredError } from '../../sdkErrors.js';
import type { Item } from '../codec.js';
import { transactError } from './errors.js';
import { type ActionTarget, cancellationError, unsupportedError } from './index.js';

describe('cancellationError', () => {
  const targets: ActionTarget[] = [
    { type: 'check', table: 'Orders', key: { id: 'c1' } },
    { type: 'put', table: 'Orders', key: { id: 'o1' } },
    { type: 'update', table: 'Lines', key: { order: 'o1', line: n('1') } },
  ];

  it("lists each action's reason, with the current item of a failed condition", () => {
    const err = cancellationError('TransactWriteItems', targets, [
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { id: { S: 'o1' }, total: { N: '5' } },
      },
      { Code: 'None' },
    ]);
    expect(err.code).toBe('transaction.cancelled');
    expect(err.message).toBe(
      'TransactWriteItems: the transaction was cancelled and nothing was written: action 2 (put into Orders, key {"id":"o1"}): ConditionalCheckFailed, current item {"id":"o1","total":5}; actions 1, 3: None',
    );
    const reasons = err.details?.reasons as { index: number; action: number; code: string; item?: Item }[];
    expect(reasons.map((r) => [r.index, r.action, r.code])).toEqual([
      [0, 1, 'None'],
      [1, 2, 'ConditionalCheckFailed'],
      [2, 3, 'None'],
    ]);
    expect(reasons[1]).toMatchObject({
      type: 'put',
      table: 'Orders',
      key: { id: 'o1' },
      item: { id: 'o1', total: n('5') },
    });
  });

  it('says when a failed condition found no item, gives other reasons their message, and hints a retry', () => {
    const err = cancellationError('TransactWriteItems', targets, [
      { Code: 'ConditionalCheckFailed' },
      { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
      { Code: 'None' },
    ]);
    expect(err.message).toBe(
      'TransactWriteItems: the transaction was cancelled and nothing was written: action 1 (check in Orders, key {"id":"c1"}): ConditionalCheckFailed, no current item; action 2 (put into Orders, key {"id":"o1"}): TransactionConflict (Transaction is ongoing for the item); action 3: None; retry: another request was using the same items or capacity ran out',
    );
  });
});

describe('unsupportedError', () => {
  it('names the embedded engine when it is the target', () => {
    expect(
      unsupportedError(
        { label: 'the embedded engine (http://127.0.0.1:1)' },
        'TransactWriteItems',
        'transactions',
      ).message,
    ).toBe(
      'TransactWriteItems is not supported by this endpoint (the embedded engine has no transactions); use DynamoDB Local or AWS (--endpoint-url / --aws)',
    );
    const other = unsupportedError({ label: 'http://127.0.0.1:8000' }, 'ExecuteStatement', 'PartiQL');
    expect(other.code).toBe('engine.unsupported');
    expect(other.message).toBe(
      'ExecuteStatement is not supported by this endpoint (http://127.0.0.1:8000 has no PartiQL); use DynamoDB Local or AWS (--endpoint-url / --aws)',
    );
  });
});

describe('transactError', () => {
  const silent = Object.assign(
    new Error('@smithy/node-http-handler - request exceeded the configured 200 ms requestTimeout'),
    { name: 'TimeoutError', code: 'ETIMEDOUT' },
  );
  const targets: ActionTarget[] = [{ type: 'put', table: 'Orders', key: { id: 'o1' } }];
  const clients = { label: 'http://127.0.0.1:1' } as Clients;

  it("a transaction left unanswered: with the caller's token, sending it again with that token is safe", () => {
    const without = transactError(new UnansweredError(silent), 'TransactWriteItems', targets, clients);
    expect(without.message).toBe(
      'TransactWriteItems: the endpoint at http://127.0.0.1:1 took the request but did not answer within 0.2 s (ETIMEDOUT): it may or may not have been carried out; check the table before running the command again, and that the endpoint is not stopped, paused or overloaded',
    );
    const withToken = transactError(
      new UnansweredError(silent),
      'TransactWriteItems',
      targets,
      clients,
      'tok-1',
    );
    expect(withToken).toMatchObject({
      code: 'endpoint.unreachable',
      message:
        'TransactWriteItems: the endpoint at http://127.0.0.1:1 took the request but did not answer within 0.2 s (ETIMEDOUT): it may or may not have been carried out; sent again with the same token (tok-1) within 10 minutes, it is carried out at most once',
      details: { silent: true, unanswered: true },
    });
    // The SDK's own token, when the caller gave none: named, so the same transaction can go again.
    const auto = new UnansweredError(silent);
    markToken(auto, 'a1b2');
    expect(transactError(auto, 'TransactWriteItems', targets, clients).message).toBe(
      'TransactWriteItems: the endpoint at http://127.0.0.1:1 took the request but did not answer within 0.2 s (ETIMEDOUT): it may or may not have been carried out; it went with ClientRequestToken a1b2: the same transact with --token a1b2 within 10 minutes is carried out at most once',
    );
    // Not a silence: the token changes nothing in the message.
    const inProgress = Object.assign(new Error('x'), { name: 'TransactionInProgressException' });
    expect(transactError(inProgress, 'TransactWriteItems', targets, clients, 'tok-1').message).toBe(
      'TransactWriteItems: a transaction with this token is still in progress; retry in a moment',
    );
    // Without the caller's token, the one in progress is an earlier attempt of this run.
    expect(transactError(inProgress, 'TransactWriteItems', targets, clients).message).toBe(
      'TransactWriteItems: the endpoint is still carrying out an earlier attempt of this transaction (TransactionInProgressException): it may or may not be carried out; check the table before running the command again',
    );
    // The SDK's token it went with, when the client knows it: named, for a safe second run.
    const marked = Object.assign(new Error('x'), { name: 'TransactionInProgressException' });
    markToken(marked, 'c3d4');
    expect(transactError(marked, 'TransactWriteItems', targets, clients).message).toBe(
      'TransactWriteItems: the endpoint is still carrying out an earlier attempt of this transaction (TransactionInProgressException): it may or may not be carried out; it went with ClientRequestToken c3d4: the same transact with --token c3d4 within 10 minutes is carried out at most once',
    );
  });
});
