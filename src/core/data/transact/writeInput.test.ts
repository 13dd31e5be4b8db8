import { describe, expect, it } from 'vitest';
import { errorOf, n, schemas } from '../../../../test/support/transact.js';
import type { Item } from '../codec.js';
import { type TransactAction, transactWriteInput } from './index.js';

describe('transactWriteInput', () => {
  it('an item over 400 KB is a usage error (exit 2) naming its action', () => {
    const e = errorOf(
      () =>
        transactWriteInput(
          [{ put: { table: 'Orders', item: { id: 'o1', big: 'x'.repeat(410_000) } } }],
          schemas,
        ),
      'item.tooLarge',
    );
    expect(e.message).toMatch(
      /^action 1 \(put into Orders\): item: the item is 410,0\d\d bytes; DynamoDB allows 400 KB/,
    );
    expect(e.isUsage).toBe(true);
  });

  it('builds each kind with its own generated placeholders and ALL_OLD on conditions', () => {
    const actions: TransactAction[] = [
      { put: { table: 'Orders', item: { id: 'o1', status: 'new' }, condition: 'attribute_not_exists(id)' } },
      {
        update: {
          table: 'Lines',
          key: { order: 'o1', line: n('1') },
          set: ['qty = qty + 1'],
          add: ['tags {"$set": ["a"]}'],
          condition: 'qty < 10',
        },
      },
      { delete: { table: 'Orders', key: { id: 'o0' } } },
      { check: { table: 'Orders', key: { id: 'c1' }, condition: "status = 'open'" } },
    ];
    const input = transactWriteInput(actions, schemas, { token: 'tok-1' });
    expect(input.ClientRequestToken).toBe('tok-1');
    expect(input.TransactItems).toEqual([
      {
        Put: {
          TableName: 'Orders',
          Item: { id: 'o1', status: 'new' },
          ConditionExpression: 'attribute_not_exists(#n0)',
          ExpressionAttributeNames: { '#n0': 'id' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Update: {
          TableName: 'Lines',
          Key: { order: 'o1', line: n('1') },
          ConditionExpression: '#n0 < :v0',
          UpdateExpression: 'SET #n0 = #n0 + :v1 ADD #n1 :v2',
          ExpressionAttributeNames: { '#n0': 'qty', '#n1': 'tags' },
          ExpressionAttributeValues: { ':v0': n('10'), ':v1': n('1'), ':v2': new Set(['a']) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { Delete: { TableName: 'Orders', Key: { id: 'o0' } } },
      {
        ConditionCheck: {
          TableName: 'Orders',
          Key: { id: 'c1' },
          ConditionExpression: '#n0 = :v0',
          ExpressionAttributeNames: { '#n0': 'status' },
          ExpressionAttributeValues: { ':v0': 'open' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
  });

  it('leaves out ALL_OLD when asked', () => {
    const input = transactWriteInput(
      [{ check: { table: 'Orders', key: { id: 'c1' }, condition: 'attribute_exists(id)' } }],
      schemas,
      { returnFailedItems: false },
    );
    expect(input.TransactItems?.[0]?.ConditionCheck).not.toHaveProperty(
      'ReturnValuesOnConditionCheckFailure',
    );
    expect(input).not.toHaveProperty('ClientRequestToken');
  });

  it('checks keys against each table schema, naming the action', () => {
    const cases: [TransactAction, RegExp][] = [
      [
        { put: { table: 'Orders', item: { name: 'x' } } },
        /^action 2 \(put into Orders\): item: the partition key attribute "id" is missing; table Orders has key id \(S\)/,
      ],
      [
        { delete: { table: 'Lines', key: { order: 'o1', line: 'one' } } },
        /^action 2 \(delete from Lines\): key: key attribute "line" must be of type N/,
      ],
      [
        { update: { table: 'Orders', key: { id: 'a', extra: 1 } as unknown as Item, set: ['x = 1'] } },
        /^action 2 \(update in Orders\): key: "extra" is not part of the key/,
      ],
    ];
    for (const [bad, message] of cases) {
      const err = errorOf(
        () => transactWriteInput([{ delete: { table: 'Orders', key: { id: 'ok' } } }, bad], schemas),
        'input.key',
      );
      expect(err.message).toMatch(message);
    }
  });

  it('refuses two actions on one item, numbers compared by value', () => {
    const err = errorOf(
      () =>
        transactWriteInput(
          [
            { put: { table: 'Lines', item: { order: 'o1', line: n('10'), qty: n('1') } } },
            { delete: { table: 'Orders', key: { id: 'o1' } } },
            { update: { table: 'Lines', key: { order: 'o1', line: n('1.0e1') }, set: ['qty = 2'] } },
          ],
          schemas,
        ),
      'input.key',
    );
    expect(err.message).toBe(
      'action 3 (update in Lines, key {"order":"o1","line":1.0e1}) names the same item as action 1; DynamoDB rejects a transaction that touches one item twice: merge them into one action',
    );
    // The same key in two tables is two items.
    expect(() =>
      transactWriteInput(
        [
          { delete: { table: 'Orders', key: { id: 'o1' } } },
          { put: { table: 'Lines', item: { order: 'o1', line: n('1') } } },
        ],
        new Map([...schemas, ['Lines', { table: 'Lines', partitionKey: { name: 'order', type: 'S' } }]]),
      ),
    ).not.toThrow();
  });

  it('refuses a bad token', () => {
    expect(
      errorOf(
        () =>
          transactWriteInput([{ delete: { table: 'Orders', key: { id: 'a' } } }], schemas, {
            token: 'x'.repeat(37),
          }),
        'usage.invalid',
      ).message,
    ).toMatch(/a client request token is 1–36 printable characters/);
  });
});
