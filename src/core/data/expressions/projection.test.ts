import { describe, expect, it } from 'vitest';
import { errorOf } from '../../../../test/support/expressions.js';
import { compileProjection, Placeholders } from './index.js';

describe('compileProjection', () => {
  const projection = (list: string) => {
    const ph = new Placeholders();
    return { expression: compileProjection(list, ph), names: ph.names };
  };

  it('compiles paths, reserved words and backticks', () => {
    expect(projection('name, status,data.size[0], `a,b`, list[1], list[2]')).toEqual({
      expression: '#n0, #n1, #n2.#n3[0], #n4, #n5[1], #n5[2]',
      names: { '#n0': 'name', '#n1': 'status', '#n2': 'data', '#n3': 'size', '#n4': 'a,b', '#n5': 'list' },
    });
  });

  it.each([
    ['', 1, 'expected an attribute path'],
    ['a,', 3, "expected an attribute path after ','"],
    ['a,,b', 3, "expected an attribute path after ',', found ','"],
    ['a b', 3, "expected ',' or the end of the list after 'a', found 'b'"],
    ['a, a', 4, 'path a appears twice; DynamoDB rejects a projection that names a path twice: keep one'],
    [
      'a.b, a',
      6,
      'path a overlaps a.b; DynamoDB rejects a projection with overlapping paths: keep only one of them',
    ],
    [
      'a[0], a.b',
      7,
      'path a.b conflicts with a[0]; DynamoDB rejects a projection with overlapping paths: keep only one of them',
    ],
    ["'a'", 1, "expected an attribute path, found 'a'"],
  ])('%j → column %i', (text, column, why) => {
    expect(errorOf(() => compileProjection(text, new Placeholders()))).toBe(
      `projection ${JSON.stringify(text)} at column ${column}: ${why}`,
    );
  });
});
