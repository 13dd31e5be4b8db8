import { describe, expect, it } from 'vitest';
import { errorOf, n } from '../../../../test/support/expressions.js';
import { buildExpressions } from './index.js';

describe('buildExpressions', () => {
  it('shares one set of placeholders across every expression of a request', () => {
    expect(
      buildExpressions({
        keyCondition: 'pk = "u#1"',
        filter: 'status = "active" AND size(tags) > 1',
        projection: 'name, status, tags',
      }),
    ).toEqual({
      KeyConditionExpression: '#n0 = :v0',
      FilterExpression: '#n1 = :v1 AND size(#n2) > :v2',
      ProjectionExpression: '#n3, #n1, #n2',
      ExpressionAttributeNames: { '#n0': 'pk', '#n1': 'status', '#n2': 'tags', '#n3': 'name' },
      ExpressionAttributeValues: { ':v0': 'u#1', ':v1': 'active', ':v2': n('1') },
    });
  });

  it('builds a conditional update with raw placeholders', () => {
    expect(
      buildExpressions({
        condition: 'attribute_exists(pk) AND #v = :expected',
        update: { set: ['#v = :next', 'data = "x"'] },
        rawNames: { '#v': 'version' },
        rawValues: { ':expected': n('1'), ':next': n('2') },
      }),
    ).toEqual({
      ConditionExpression: 'attribute_exists(#n0) AND #v = :expected',
      UpdateExpression: 'SET #v = :next, #n1 = :v0',
      ExpressionAttributeNames: { '#v': 'version', '#n0': 'pk', '#n1': 'data' },
      ExpressionAttributeValues: { ':expected': n('1'), ':next': n('2'), ':v0': 'x' },
    });
  });

  it('leaves out empty maps and absent expressions', () => {
    expect(buildExpressions({})).toEqual({});
    expect(buildExpressions({ projection: 'a' })).toEqual({
      ProjectionExpression: '#n0',
      ExpressionAttributeNames: { '#n0': 'a' },
    });
    expect(buildExpressions({ condition: 'attribute_exists(#a)', rawNames: { '#a': 'a' } })).toEqual({
      ConditionExpression: 'attribute_exists(#a)',
      ExpressionAttributeNames: { '#a': 'a' },
    });
  });

  it('labels each expression in its errors', () => {
    expect(errorOf(() => buildExpressions({ filter: 'a =' }))).toMatch(/^filter "a =" at column 4: /);
    expect(errorOf(() => buildExpressions({ keyCondition: 'a =' }))).toMatch(
      /^key condition "a =" at column 4: /,
    );
    expect(errorOf(() => buildExpressions({ projection: 'a,' }))).toMatch(/^projection "a," at column 3: /);
    expect(errorOf(() => buildExpressions({ condition: '' }))).toMatch(/^condition "" at column 1: /);
  });

  it('rejects raw placeholders that are undefined or unused', () => {
    expect(errorOf(() => buildExpressions({ condition: '#a = 1' }))).toBe(
      'condition "#a = 1" at column 1: placeholder #a is not defined: define it in the raw names',
    );
    expect(
      errorOf(() =>
        buildExpressions({ condition: 'a = 1', rawNames: { '#x': 'x' }, rawValues: { ':y': 'y' } }),
      ),
    ).toBe(
      'placeholder #x, :y is defined but no expression uses it; DynamoDB rejects unused placeholders: use it or leave it out',
    );
  });

  it('rejects overlapping update paths across kinds', () => {
    expect(errorOf(() => buildExpressions({ update: { add: ['n 1'], setIfNotExists: ['n = 0'] } }))).toMatch(
      /^update add "n 1" at column 1: path n appears twice, also in update setIfNotExists "n = 0"/,
    );
  });
});
