import { NumberValue } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalSize, parseDecimal } from '../../ddb/numbers.js';
import type { Item, ItemValue } from './codec.js';
import { itemSize, numberProblem, numberSize, validateItem } from './validate.js';

describe('numberProblem', () => {
  it.each([
    '0',
    '-0',
    '1',
    '12345678901234567890123456789012345678',
    '1E-130',
    '9.9999999999999999999999999999999999999E+125',
    '0.000123',
    '100e2',
    '-3.5',
  ])('accepts %s', (n) => expect(numberProblem(n)).toBeUndefined());
  it.each([
    ['123456789012345678901234567890123456789', /39 significant digits/],
    ['1E+126', /larger than/],
    ['1E-131', /smaller than/],
    ['0.1E-130', /smaller than/],
    ['abc', /not a number/],
  ])('rejects %s', (n, re) => expect(numberProblem(n)).toMatch(re));
});

describe('numberSize', () => {
  it('counts 1 byte per 2 significant digits aligned on the point, plus 1, plus 1 when negative', () => {
    for (const [n, size] of [
      ['0', 1],
      ['-0.000', 1],
      ['7', 2],
      ['-1', 3],
      ['1.5', 3],
      ['100', 2],
      ['0.00120', 2],
      ['0.05', 2],
      ['-123.45', 5],
      ['1.5E+300', 3],
      ['12345678901234567890123456789012345678', 20],
    ] as const) {
      expect(numberSize(n), n).toBe(size);
    }
  });

  it("gives the engine's size (decimalSize of the parsed number) for any number's text", () => {
    const digitish = fc.stringMatching(/^[-+]?[0-9]*\.?[0-9]*([eE][-+]?[0-9]{0,4})?$/);
    const numbers = fc.oneof(
      digitish,
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.bigInt().map(String),
    );
    fc.assert(
      fc.property(numbers, (t) => {
        const d = parseDecimal(t);
        if (d) expect(numberSize(t), t).toBe(decimalSize(d));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('validateItem', () => {
  it('accepts a normal item', () => {
    expect(() => validateItem({ a: 'x', n: new NumberValue('1'), s: new Set(['a']) })).not.toThrow();
  });
  it('refuses an item over 400 KB, counting attribute names', () => {
    const big: Item = { k: 'x'.repeat(400 * 1024 - 2) };
    expect(itemSize(big)).toBe(400 * 1024 - 1);
    expect(() => validateItem(big)).not.toThrow();
    expect(() => validateItem({ kk: 'x'.repeat(400 * 1024 - 1) }, 'line 3')).toThrow(
      /line 3: the item is 409,601 bytes; DynamoDB allows 400 KB \(409,600 bytes\)/,
    );
  });
  it('refuses __proto__ as an attribute name instead of losing it', () => {
    const item = JSON.parse('{"m":{"__proto__":1}}') as Item;
    expect(() => validateItem(item)).toThrow(/attribute named "__proto__"/);
  });
  it('says of a negative number out of range that it is below the lowest, not larger than the maximum', () => {
    expect(numberProblem('-1e126')).toBe(
      "-1e126 is below DynamoDB's lowest number -9.9999999999999999999999999999999999999E+125",
    );
    expect(numberProblem('1e126')).toBe(
      "1e126 is larger than DynamoDB's maximum 9.9999999999999999999999999999999999999E+125",
    );
    expect(numberProblem('-1e-131')).toBe(
      "-1e-131 is too close to zero: DynamoDB's negative numbers go up to -1E-130 (or 0 itself)",
    );
    expect(numberProblem('-9.9999999999999999999999999999999999999E+125')).toBeUndefined();
  });

  it('refuses empty sets, deep nesting and bad numbers, naming the path', () => {
    expect(() => validateItem({ s: new Set<string>() })).toThrow(/item: s: an empty set/);
    // As DynamoDB counts: the attribute's value is level 1; maps down to level 31, values at 32.
    const nest = (maps: number, inner: ItemValue): ItemValue => {
      let v = inner;
      for (let i = 0; i < maps; i++) v = { d: v };
      return v;
    };
    expect(() => validateItem({ a: nest(31, 'x') })).not.toThrow();
    expect(() => validateItem({ a: nest(30, ['x']) })).not.toThrow();
    expect(() => validateItem({ a: nest(31, {}) })).toThrow(/nested deeper than 32 levels/);
    expect(() => validateItem({ a: nest(31, []) })).toThrow(/nested deeper than 32 levels/);
    expect(() => validateItem({ m: { l: [new NumberValue('1E+200')] } })).toThrow(
      /item: m\.l\[0\]: 1E\+200 is larger/,
    );
  });
  it('refuses an unpaired surrogate in a string, a set or a name (no UTF-8 form), naming where; keeps a pair', () => {
    expect(() => validateItem({ id: 'a', e: '😀 ok', s: new Set(['😀']), '😀': 'x' })).not.toThrow();
    const why = 'has no UTF-8 form (DynamoDB stores text as UTF-8): remove it';
    expect(() => validateItem({ id: 'a', x: 'ab\ud800' })).toThrow(
      `item: x: the text has an unpaired UTF-16 surrogate (\\uD800) at character 3, which ${why}`,
    );
    expect(() => validateItem({ m: { l: ['😀\udc00'] } }, 'line 2')).toThrow(
      /^line 2: m\.l\[0\]: .*\\uDC00\) at character 2/,
    );
    expect(() => validateItem({ s: new Set(['ok', '\ud83d']) })).toThrow(/^item: s: .*unpaired/);
    expect(() => validateItem({ m: { 'k\ud83d': 1 } as unknown as ItemValue })).toThrow(
      /^item: the attribute name "k\\ud83d": .*unpaired/,
    );
    expect(() => validateItem({ x: '\ud800' })).toThrow(expect.objectContaining({ code: 'input.item' }));
  });
});
