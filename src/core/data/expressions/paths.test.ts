import { describe, expect, it } from 'vitest';
import { errorOf } from '../../../../test/support/expressions.js';
import { parsePath } from './index.js';

describe('parsePath', () => {
  it('splits names, indices, backticked names and raw placeholders', () => {
    expect(parsePath('a.b[0].`c.d e`[12].#x')).toEqual([
      { kind: 'name', name: 'a' },
      { kind: 'name', name: 'b' },
      { kind: 'index', index: 0 },
      { kind: 'name', name: 'c.d e' },
      { kind: 'index', index: 12 },
      { kind: 'placeholder', placeholder: '#x' },
    ]);
    expect(parsePath('  status  ')).toEqual([{ kind: 'name', name: 'status' }]);
  });

  it.each([
    ['', 1, 'expected an attribute path'],
    ['a.', 3, "expected a name after '.'"],
    ['a b', 3, "expected the end of the path after 'a', found 'b'"],
    ['a [0]', 3, "expected the end of the path after 'a', found '['"],
    [
      'a-b',
      2,
      "expected the end of the path after 'a', found '-'; a name with dashes, dots or spaces goes between backticks, such as `first-name`",
    ],
    ['[0]', 1, "expected an attribute path, found '['"],
    ['a[]', 3, "expected a list index (a whole number) after '[', found ']'"],
  ])('%j → column %i', (text, column, why) => {
    expect(errorOf(() => parsePath(text))).toBe(`path ${JSON.stringify(text)} at column ${column}: ${why}`);
  });
});
