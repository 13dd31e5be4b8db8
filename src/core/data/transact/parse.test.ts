import { describe, expect, it } from 'vitest';
import { errorOf, n, schemas } from '../../../../test/support/transact.js';
import {
  MAX_TRANSACT_ITEMS,
  parseTransactActions,
  type TransactAction,
  transactWriteInput,
} from './index.js';

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
