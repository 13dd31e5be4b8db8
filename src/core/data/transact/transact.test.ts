import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DdbError } from '../../errors.js';
import type { Item } from '../codec.js';
import type { KeySchema } from '../keySchema.js';
import {
  type ActionTarget,
  cancellationError,
  MAX_TRANSACT_ITEMS,
  parseTransactActions,
  parseTransactGets,
  type TransactAction,
  transactGetInput,
  transactWriteInput,
  unsupportedError,
} from './index.js';

const n = (text: string) => new NumberValue(text);

const schemas = new Map<string, KeySchema>([
  ['Orders', { table: 'Orders', partitionKey: { name: 'id', type: 'S' } }],
  [
    'Lines',
    { table: 'Lines', partitionKey: { name: 'order', type: 'S' }, sortKey: { name: 'line', type: 'N' } },
  ],
]);

/** Run `f`, expect a DdbError with `code` whose message is one line, and return the error. */
function errorOf(f: () => unknown, code?: string): DdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DdbError);
    const err = e as DdbError;
    if (code) expect(err.code).toBe(code);
    expect(err.message).not.toMatch(/[\r\n]/);
    return err;
  }
  throw new Error('expected an error, got none');
}

describe('parseTransactActions', () => {
  it('reads a JSON array of the four kinds, numbers exact', () => {
    const actions = parseTransactActions(
      JSON.stringify([
        { put: { table: 'Orders', item: { id: 'o1', total: 1 }, condition: 'attribute_not_exists(id)' } },
        { update: { table: 'Lines', key: { order: 'o1', line: 1 }, set: 'qty = qty + 1', remove: ['note'] } },
        { delete: { table: 'Orders', key: { id: 'o0' } } },
        { check: { table: 'Orders', key: { id: 'c' }, condition: 'attribute_exists(id)' } },
      ]).replace('"total":1', '"total":12345678901234567890.123456789'),
    );
    expect(actions).toEqual([
      {
        put: {
          table: 'Orders',
          item: { id: 'o1', total: n('12345678901234567890.123456789') },
          condition: 'attribute_not_exists(id)',
        },
      },
      {
        update: {
          table: 'Lines',
          key: { order: 'o1', line: n('1') },
          set: ['qty = qty + 1'],
          remove: ['note'],
        },
      },
      { delete: { table: 'Orders', key: { id: 'o0' } } },
      { check: { table: 'Orders', key: { id: 'c' }, condition: 'attribute_exists(id)' } },
    ]);
  });

  it('reads NDJSON, skipping blank lines, and one object alone', () => {
    const text =
      '{"delete": {"table": "Orders", "key": {"id": "a"}}}\n\n{"delete": {"table": "Orders", "key": {"id": "b"}}}\n';
    expect(parseTransactActions(text)).toHaveLength(2);
    expect(parseTransactActions('{"delete": {"table": "Orders", "key": {"id": "a"}}}')).toHaveLength(1);
  });

  it('reads DynamoDB JSON items and keys with ddbJson', () => {
    const [a] = parseTransactActions(
      '[{"put": {"table": "Orders", "item": {"id": {"S": "o1"}, "n": {"N": "2"}}}}]',
      {
        ddbJson: true,
      },
    );
    expect(a).toEqual({ put: { table: 'Orders', item: { id: 'o1', n: n('2') } } });
  });

  it('names the action (and the NDJSON line) of a mistake', () => {
    const ndjson =
      '{"delete": {"table": "Orders", "key": {"id": "a"}}}\n\n{"delete": {"table": "Orders", "key": {"id": "a"}';
    expect(
      errorOf(() => parseTransactActions(ndjson, { where: 'actions in t.json' }), 'input.json').message,
    ).toMatch(/^actions in t\.json: line 3: /);
    const cases: [string, string | RegExp][] = [
      ['[{"put": {"table": "Orders"}}]', 'actions: action 1 (put into Orders): "item" is missing'],
      ['[{"upsert": {}}]', /action 1: expected an object with one of "put", "update", "delete", "check"/],
      ['[{"put": {}, "delete": {}}]', /action 1: expected an object with one of/],
      [
        '[{"delete": {"table": "Orders", "key": {"id": "a"}}}, {"delete": {"table": "Orders", "key": {"id": "b"}, "conditon": "x"}}]',
        'actions: action 2 (delete from Orders): unknown field "conditon"; expected table, key, condition',
      ],
      [
        '[{"check": {"table": "Orders", "key": {"id": "a"}}}]',
        /action 1 \(check in Orders\): "condition" is missing/,
      ],
      [
        '[{"update": {"table": "Orders", "key": {"id": "a"}}}]',
        /action 1 \(update in Orders\): nothing to update/,
      ],
      [
        '[{"update": {"table": "Orders", "key": {"id": "a"}, "set": [1]}}]',
        /"set" must be a string or a list of strings/,
      ],
      [
        '[{"put": {"table": "Orders", "item": [1]}}]',
        /action 1 \(put into Orders\): item: expected a JSON object/,
      ],
      [
        '[{"delete": {"table": 5, "key": {"id": "a"}}}]',
        /action 1 \(delete\): "table" must be a non-empty string/,
      ],
      ['[]', 'no actions given; a transaction needs at least one action'],
    ];
    for (const [text, message] of cases) {
      const err = errorOf(() => parseTransactActions(text));
      expect(err.isUsage, err.message).toBe(true);
      if (typeof message === 'string') expect(err.message).toBe(message);
      else expect(err.message).toMatch(message);
    }
  });

  it('checks table names, items, conditions and updates before any request', () => {
    expect(
      errorOf(
        () => parseTransactActions('[{"delete": {"table": "ab", "key": {"id": "a"}}}]'),
        'input.tableName',
      ).message,
    ).toMatch(/^actions: action 1 \(delete from ab\): invalid table name "ab"/);
    expect(
      errorOf(
        () =>
          parseTransactActions(
            '[{"put": {"table": "Orders", "item": {"id": "a", "s": {"$set": ["x"]}, "n": 1e999}}}]',
          ),
        'input.item',
      ).message,
    ).toMatch(/^actions: action 1 \(put into Orders\): item: n: 1e999 is larger/);
    expect(
      errorOf(
        () =>
          parseTransactActions(
            '{"delete": {"table": "Orders", "key": {"id": "a"}}}\n{"update": {"table": "Orders", "key": {"id": "b"}, "set": ["a == 1"]}}',
          ),
        'input.expression',
      ).message,
    ).toMatch(
      /^actions: action 2 \(update in Orders\): update set "a == 1" at column 3: '==' is not DynamoDB syntax/,
    );
  });

  it('refuses more than 100 actions', () => {
    const many = Array.from({ length: MAX_TRANSACT_ITEMS + 1 }, (_, i) => ({
      delete: { table: 'Orders', key: { id: `k${i}` } },
    }));
    expect(errorOf(() => parseTransactActions(JSON.stringify(many)), 'input.json').message).toMatch(
      /^101 actions: DynamoDB allows at most 100 per transaction; split them/,
    );
  });

  it('refuses more than 4 MB in all', () => {
    const big = 'x'.repeat(390 * 1024);
    const many: TransactAction[] = Array.from({ length: 11 }, (_, i) => ({
      put: { table: 'Orders', item: { id: `k${i}`, big } },
    }));
    expect(errorOf(() => transactWriteInput(many, schemas), 'input.item').message).toMatch(
      /about 4\.2 MB .*DynamoDB allows 4 MB per transaction/,
    );
  });
});

describe('transactWriteInput', () => {
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

describe('transact gets', () => {
  it('reads gets and builds the input with projections', () => {
    const gets = parseTransactGets(
      '{"table": "Orders", "key": {"id": "o1"}, "project": "status,total"}\n{"table": "Lines", "key": {"order": "o1", "line": 2}}',
    );
    expect(transactGetInput(gets, schemas)).toEqual({
      TransactItems: [
        {
          Get: {
            TableName: 'Orders',
            Key: { id: 'o1' },
            ProjectionExpression: '#n0, #n1',
            ExpressionAttributeNames: { '#n0': 'status', '#n1': 'total' },
          },
        },
        { Get: { TableName: 'Lines', Key: { order: 'o1', line: n('2') } } },
      ],
    });
  });

  it('names the get of a mistake', () => {
    expect(errorOf(() => parseTransactGets('[{"table": "Orders"}]'), 'input.json').message).toBe(
      'gets: get 1 (get from Orders): "key" is missing',
    );
    expect(
      errorOf(() => parseTransactGets('[{"table": "Orders", "key": {}, "projection": "a"}]')).message,
    ).toMatch(/unknown field "projection"; expected table, key, project/);
    expect(
      errorOf(
        () => transactGetInput([{ table: 'Orders', key: { id: 'a' }, project: 'a,,b' }], schemas),
        'input.expression',
      ).message,
    ).toMatch(/^get 1 \(get from Orders\): projection "a,,b" at column 3/);
    expect(
      errorOf(
        () =>
          transactGetInput(
            [
              { table: 'Orders', key: { id: 'a' } },
              { table: 'Orders', key: { id: 'a' } },
            ],
            schemas,
          ),
        'input.key',
      ).message,
    ).toMatch(/^get 2 \(get from Orders, key \{"id":"a"\}\) names the same item as get 1/);
  });
});

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
