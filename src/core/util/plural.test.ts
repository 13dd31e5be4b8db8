import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { count, plural } from './plural.js';

describe('count', () => {
  it("groups every safe integer as toLocaleString('en-US') does", () => {
    for (const n of [0, 1, -1, 999, 1000, -1000, 12345, 999999, 1000000, -1234567, Number.MAX_SAFE_INTEGER]) {
      expect(count(n)).toBe(n.toLocaleString('en-US'));
    }
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(count(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
  });

  it('leaves fractions and larger numbers to toLocaleString', () => {
    for (const n of [1234.5678, -0.5, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(count(n)).toBe(n.toLocaleString('en-US'));
    }
  });

  it('plural: one noun for 1, the plural for the rest', () => {
    expect(plural(1, 'item')).toBe('1 item');
    expect(plural(0, 'item')).toBe('0 items');
    expect(plural(12345, 'entry', 'entries')).toBe('12,345 entries');
  });
});
