import { describe, expect, it } from 'vitest';
import { errorOf, n, schemas } from '../../../../test/support/transact.js';
import { parseTransactGets, transactGetInput } from './index.js';

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
