import { describe, expect, it } from 'vitest';
import { errorOf } from '../../../../test/support/expressions.js';
import { compileKeyCondition, Placeholders } from './index.js';

describe('compileKeyCondition', () => {
  const key = (text: string) => {
    const ph = new Placeholders();
    return { expression: compileKeyCondition(text, ph), names: ph.names, values: ph.values };
  };
  const keyError = (text: string) => errorOf(() => compileKeyCondition(text, new Placeholders()));

  it('compiles a partition key and one sort key condition, reserved words included', () => {
    expect(key('name = "ada"')).toEqual({
      expression: '#n0 = :v0',
      names: { '#n0': 'name' },
      values: { ':v0': 'ada' },
    });
    expect(key('pk = 1 AND data BETWEEN 1 AND 9').expression).toBe('#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2');
    expect(key('begins_with(sk, "A") AND pk = 1').expression).toBe('begins_with(#n0, :v0) AND #n1 = :v1');
    for (const op of ['=', '<', '<=', '>', '>='])
      expect(key(`pk = 1 AND sk ${op} 2`).expression).toBe(`#n0 = :v0 AND #n1 ${op} :v1`);
    const ph = new Placeholders();
    ph.addRaw({ '#pk': 'pk' }, { ':pk': 'x' });
    expect(compileKeyCondition('#pk = :pk', ph)).toBe('#pk = :pk');
  });

  it.each([
    [
      'pk = 1 OR sk = 2',
      8,
      'OR is not allowed here: a key condition is the partition key with = AND at most one sort key condition',
    ],
    [
      'pk = 1 AND sk = 2 AND x = 3',
      19,
      'a key condition has at most two parts: the partition key with = AND one sort key condition',
    ],
    ['pk = 1 AND sk <> 2', 15, "'<>' is not allowed in a key condition: use a filter"],
    ['pk = 1 AND sk IN (1, 2)', 12, 'IN is not allowed in a key condition: use a filter'],
    ['pk = 1 AND NOT sk = 2', 12, 'NOT is not allowed in a key condition: use a filter'],
    [
      'pk = 1 AND contains(sk, "a")',
      12,
      'contains is not allowed in a key condition (only begins_with): use a filter',
    ],
    [
      'pk = 1 AND size(sk) > 2',
      12,
      'a key condition compares a key attribute (a top-level name): put it on the left',
    ],
    ['a.b = 1', 1, 'a key condition compares a key attribute (a top-level name): put it on the left'],
    ['1 = pk', 1, 'a key condition compares a key attribute (a top-level name): put it on the left'],
    ['pk = sk', 6, 'a key condition compares a key with a value'],
    ['pk > 1', 1, 'a key condition needs the partition key compared with =, such as pk = 1'],
  ])('%j → column %i', (text, column, why) => {
    expect(keyError(text)).toBe(`key condition ${JSON.stringify(text)} at column ${column}: ${why}`);
  });
});
