import { describe, expect, it } from 'vitest';
import { addDecimal, decimalProblem, formatDecimal, parseDecimal, subtractDecimal } from './numbers.js';

const d = (t: string) => parseDecimal(t)!;
const sum = (a: string, b: string) => formatDecimal(addDecimal(d(a), d(b)));
const diff = (a: string, b: string) => formatDecimal(subtractDecimal(d(a), d(b)));

describe('DynamoDB numbers', () => {
  it('format canonically as DynamoDB Local stores them (no exponent, no stray zeros)', () => {
    expect(formatDecimal(d('1e3'))).toBe('1000');
    expect(formatDecimal(d('-0.00012300'))).toBe('-0.000123');
    expect(formatDecimal(d('+5'))).toBe('5');
    expect(formatDecimal(d('-0.0e10'))).toBe('0');
    expect(formatDecimal(d('1E+125'))).toBe(`1${'0'.repeat(125)}`);
    expect(formatDecimal(d('1e-130'))).toBe(`0.${'0'.repeat(129)}1`);
  });
  it('read what DynamoDB reads as a number (measured on DynamoDB Local 3.3.1)', () => {
    const read = (t: string) => {
      const x = parseDecimal(t);
      return x && formatDecimal(x);
    };
    expect(read('٣')).toBe('3');
    expect(read('１２.５')).toBe('12.5');
    expect(['5.', '.5', '1e+5', '-.5', '+.5e-3', '1e-0', '0e999999', '00', '1.e2'].map(read)).toEqual([
      '5',
      '0.5',
      '100000',
      '-0.5',
      '0.0005',
      '1',
      '0',
      '0',
      '100',
    ]);
    for (const t of [
      '1_000',
      '1e999999999999999',
      '0e99999999999',
      '1e2.5',
      'NaN',
      '1d',
      '0x1',
      '',
      '.',
      '1e',
    ])
      expect(parseDecimal(t)).toBeUndefined();
  });
  it('add and subtract exactly, whatever the scales', () => {
    expect(sum('0.1', '0.2')).toBe('0.3');
    expect(sum('5', '-5')).toBe('0');
    expect(diff('5', '5.0')).toBe('0');
    expect(sum('1e20', '1e-20')).toBe('100000000000000000000.00000000000000000001');
    expect(diff('-1', '1')).toBe('-2');
    expect(sum('99999999999999999999999999999999999999', '1')).toBe(`1${'0'.repeat(38)}`);
  });
  it('say why a result is out of DynamoDB range', () => {
    expect(decimalProblem(addDecimal(d('12345678901234567890123456789012345678'), d('0.5')))).toBe('digits');
    expect(decimalProblem(addDecimal(d('5E+125'), d('5E+125')))).toBe('large');
    expect(decimalProblem(subtractDecimal(d('2E-130'), d('1.5E-130')))).toBe('small');
    expect(decimalProblem(addDecimal(d('12345678901234567890123456789012345678'), d('2')))).toBe(undefined);
  });
});
