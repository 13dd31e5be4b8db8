import { describe, expect, it } from 'vitest';
import { compareScalars, compareUtf8, valuesEqual } from './compare.js';

describe('compare', () => {
  it('orders strings by UTF-8 bytes, not UTF-16 units', () => {
    // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8; in UTF-16 the surrogate D83D sorts first.
    expect(compareUtf8('\ufffd', '😀')).toBe(-1);
    expect('\ufffd' < '😀').toBe(false);
    expect(compareUtf8('a', 'ab')).toBe(-1);
    expect(compareUtf8('é', 'é')).toBe(0);
  });
  it('orders numbers by value and binaries by bytes; other pairs are not comparable', () => {
    expect(compareScalars({ N: '10' }, { N: '9.99' })).toBe(1);
    expect(compareScalars({ N: '-10' }, { N: '-9' })).toBe(-1);
    expect(compareScalars({ B: 'AAE=' }, { B: 'AAEC' })).toBe(-1);
    expect(compareScalars({ B: '/w==' }, { B: 'AA==' })).toBe(1);
    expect(Number.isNaN(compareScalars({ N: '1' }, { S: '1' }))).toBe(true);
  });
  it('equality: numbers by value, sets in any order, maps by keys', () => {
    expect(valuesEqual({ N: '1.0' }, { N: '1' })).toBe(true);
    expect(valuesEqual({ NS: ['2', '1'] }, { NS: ['1', '2.00'] })).toBe(true);
    expect(valuesEqual({ SS: ['a'] }, { SS: ['a', 'b'] })).toBe(false);
    expect(valuesEqual({ M: { a: { L: [{ NULL: true }] } } }, { M: { a: { L: [{ NULL: true }] } } })).toBe(
      true,
    );
    expect(valuesEqual({ M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } })).toBe(false);
    expect(valuesEqual({ S: '1' }, { N: '1' })).toBe(false);
  });
});
