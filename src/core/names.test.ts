import { describe, expect, it } from 'vitest';
import { validateTableName } from './names.js';

describe('validateTableName', () => {
  it.each(['abc', 'Users', 'my_table-1.v2', 'x'.repeat(255)])('accepts %s', (n) => {
    expect(validateTableName(n)).toBe(n);
  });
  it.each([
    ['ab', /2 characters/],
    ['x'.repeat(256), /256 characters/],
    ['bad name', /contains " "/],
    ['tab/le', /contains "\/"/],
    ['', /0 characters/],
  ])('rejects %j', (n, re) => {
    expect(() => validateTableName(n)).toThrow(re);
  });
  it.each([undefined, null, 42])('rejects %j, not a string (a program may pass anything)', (n) => {
    expect(() => validateTableName(n as never)).toThrow(/not a string/);
  });
});
