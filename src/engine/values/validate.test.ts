import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { checkItem, checkValue } from './validate.js';

function nested(levels: number, inner: unknown): unknown {
  let v = inner;
  for (let i = 0; i < levels; i++) v = { L: [v] };
  return v;
}

function answer(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof EngineError) return `${e.type}: ${e.message}`;
    throw e;
  }
}

const V = 'ValidationException: ';
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

// Each answer as DynamoDB Local 3.3.1 gave it to a PutItem of { pk, b: <value> }.
const VALUES: [unknown, unknown][] = [
  [{ NS: [] }, `${V}One or more parameter values were invalid: An number set  may not be empty`],
  [{ SS: [] }, `${V}One or more parameter values were invalid: An string set  may not be empty`],
  [{ BS: [] }, `${V}One or more parameter values were invalid: Binary sets should not be empty`],
  [{}, `${V}Supplied AttributeValue is empty, must contain exactly one of the supported datatypes`],
  [{ X: '1' }, `${V}Supplied AttributeValue is empty, must contain exactly one of the supported datatypes`],
  [{ S: null }, `${V}Supplied AttributeValue is empty, must contain exactly one of the supported datatypes`],
  [{ S: 'a', N: null }, { S: 'a' }],
  [
    { S: 'a', N: '1' },
    `${V}Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes`,
  ],
  [
    { SS: ['a', 'a'] },
    `${V}One or more parameter values were invalid: Input collection [a, a] contains duplicates`,
  ],
  [{ NS: ['1', '1.0'] }, `${V}Input collection contains duplicates`],
  [
    { BS: ['AA==', 'AA=='] },
    `${V}One or more parameter values were invalid: Input collection of type BS contains duplicates.`,
  ],
  [{ N: 'abc' }, `${V}A value provided cannot be converted into a number`],
  [{ N: ' 1' }, `${V}A value provided cannot be converted into a number`],
  [{ N: '1 ' }, `${V}A value provided cannot be converted into a number`],
  [{ N: '0x10' }, `${V}A value provided cannot be converted into a number`],
  [{ N: 'Infinity' }, `${V}A value provided cannot be converted into a number`],
  [{ N: '1e' }, `${V}A value provided cannot be converted into a number`],
  [{ N: '.' }, `${V}A value provided cannot be converted into a number`],
  [{ N: '' }, `${V}A value provided cannot be converted into a number`],
  [{ NS: ['1', 'x'] }, `${V}A value provided cannot be converted into a number`],
  [
    { N: '1e126' },
    `${V}Number overflow. Attempting to store a number with magnitude larger than supported range`,
  ],
  [
    { N: '1e-131' },
    `${V}Number underflow. Attempting to store a number with magnitude smaller than supported range`,
  ],
  [
    { N: '1.0000000000000000000000000000000000000001' },
    `${V}DynamoDB only supports precision up to 38 digits`,
  ],
  [
    { NULL: false },
    `${V}One or more parameter values were invalid: Null attribute value types must have the value of true`,
  ],
  [{ N: '-0' }, { N: '0' }],
  [{ N: '+5' }, { N: '5' }],
  [{ N: '00012.500' }, { N: '12.5' }],
  [{ N: '1.5e3' }, { N: '1500' }],
  [{ N: '1e-5' }, { N: '0.00001' }],
  [{ N: '-0.0e10' }, { N: '0' }],
  [{ N: '1E+125' }, { N: `1${'0'.repeat(125)}` }],
  [{ N: '-0.00012300' }, { N: '-0.000123' }],
  [{ B: '' }, { B: '' }],
  [{ S: '' }, { S: '' }],
  [{ SS: [''] }, { SS: [''] }],
  [{ SS: ['a', 1] }, { SS: ['a', '1'] }],
  [{ BOOL: 'true' }, { BOOL: true }],
  [{ M: { '': { S: 'a' } } }, `${V}Empty attribute name`],
  [nested(31, { S: 'x' }), nested(31, { S: 'x' })],
  [nested(32, { S: 'x' }), `${V}${NESTING}`],
  [nested(31, { L: [] }), `${V}${NESTING}`],
];

describe('checkValue', () => {
  for (const [value, expected] of VALUES)
    it(JSON.stringify(value).slice(0, 80), () => expect(answer(() => checkValue(value))).toEqual(expected));
  it('refuses a wrong JSON type while reading (SerializationException; DynamoDB Local: InternalFailure)', () => {
    for (const v of ['a', { L: {} }, { M: [] }, { SS: 'a' }, { B: '!!!' }])
      expect(answer(() => checkValue(v))).toMatch(/^SerializationException: /);
  });
});

describe('checkItem', () => {
  it('refuses null values and empty names with DynamoDB messages', () => {
    expect(answer(() => checkItem({ pk: { S: 'a' }, b: null }))).toBe(
      `${V}The supplied Item contains a null AttributeValue: b is null`,
    );
    expect(answer(() => checkItem({ '': { S: 'a' } }))).toBe(`${V}Empty attribute name`);
  });
  it('keeps an attribute named __proto__ as an own attribute', () => {
    const item = checkItem(JSON.parse('{"__proto__":{"S":"x"},"a":{"M":{"__proto__":{"N":"1"}}}}'));
    expect(Object.keys(item)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(item)).toBe('{"__proto__":{"S":"x"},"a":{"M":{"__proto__":{"N":"1"}}}}');
  });
});
