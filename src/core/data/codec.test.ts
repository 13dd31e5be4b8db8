import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  ddbJsonText,
  fromDdbJson,
  fromRawItem,
  type Item,
  normalizeNumber,
  parseItem,
  type RawItem,
  stringifyDdbJson,
  stringifyItem,
  stringifyRawDdbJson,
  stringifyRawItem,
  toDdbJson,
  typeOf,
} from './codec.js';

describe('codec', () => {
  it('keeps 38 significant digits and integers beyond 2^53 exactly', () => {
    const text =
      '{"a":12345678901234567890123456789012345678,"b":9007199254740993,"c":0.000000000000000000000000000001}';
    const item = parseItem(text);
    expect(item.a).toBeInstanceOf(NumberValue);
    expect(stringifyItem(item)).toBe(text);
    expect(toDdbJson(item).b).toEqual({ N: '9007199254740993' });
  });

  it('reads and writes sets and binary in their tagged form', () => {
    const text =
      '{"ss":{"$set":["a","b"]},"ns":{"$set":[1,2.5]},"bs":{"$set":[{"$binary":"AAE="}]},"bin":{"$binary":"/wA="},"n":null}';
    const item = parseItem(text);
    expect(typeOf(item.ss!)).toBe('SS');
    expect(typeOf(item.ns!)).toBe('NS');
    expect(typeOf(item.bs!)).toBe('BS');
    expect(typeOf(item.bin!)).toBe('B');
    expect(typeOf(item.n!)).toBe('NULL');
    expect(stringifyItem(item)).toBe(text);
  });

  it('writes plain JS numbers of library callers as numbers', () => {
    expect(stringifyItem({ a: 1 as unknown as NumberValue, b: 2n as unknown as NumberValue })).toBe(
      '{"a":1,"b":2}',
    );
  });

  it('round-trips DynamoDB JSON', () => {
    const ddb = {
      k: { S: 'x' },
      n: { N: '1.50' },
      b: { B: 'AQI=' },
      l: { L: [{ BOOL: true }, { NULL: true }] },
    };
    const item = fromDdbJson(ddb);
    expect(JSON.parse(stringifyDdbJson(item))).toEqual(ddb);
  });

  it('rejects malformed input with a clear message', () => {
    expect(() => parseItem('{"a":')).toThrow(/item:/);
    expect(() => parseItem('[1]')).toThrow(/expected a JSON object/);
    expect(() => parseItem('3')).toThrow(/expected a JSON object/);
    expect(() => parseItem('{"s":{"$set":[]}}')).toThrow(/no empty sets/);
    expect(() => parseItem('{"s":{"$set":["a",1]}}')).toThrow(/one type/);
  });
});

describe('codec attribute names', () => {
  it('keeps an attribute named __proto__ as an attribute', () => {
    const item = parseItem('{"__proto__":{"x":1},"k":"v"}');
    expect(Object.keys(item)).toEqual(['__proto__', 'k']);
    expect(stringifyItem(item)).toBe('{"__proto__":{"x":1},"k":"v"}');
  });

  it('refuses __proto__ in DynamoDB JSON, which unmarshall would drop without a word', () => {
    for (const text of [
      '{"k":{"S":"v"},"__proto__":{"S":"x"}}',
      '{"k":{"S":"v"},"m":{"M":{"__proto__":{"N":"1"}}}}',
      '{"k":{"S":"v"},"l":{"L":[{"M":{"__proto__":{"NULL":true}}}]}}',
    ]) {
      expect(() => fromDdbJson(JSON.parse(text), 'line 3'), text).toThrow(
        'line 3: an attribute named "__proto__" cannot be written through the AWS SDK for JavaScript (it would be dropped); rename it',
      );
    }
  });
});

describe('normalizeNumber', () => {
  it.each([
    ['1.50', '1.5', '15e0'],
    ['1E-130', `0.${'0'.repeat(129)}1`, '1e-130'],
    ['100000', '1e5', '1e5'],
    ['-0.0', '0', '0'],
    [
      '12345678901234567890123456789012345678',
      '1.2345678901234567890123456789012345678E+37',
      '12345678901234567890123456789012345678e37',
    ],
  ])('%s equals %s', (a, b, canon) => {
    expect(normalizeNumber(a)).toBe(normalizeNumber(b));
    expect(normalizeNumber(a)).toBe(canon);
  });
  it('tells different numbers apart', () => {
    expect(normalizeNumber('1.5')).not.toBe(normalizeNumber('15'));
    expect(normalizeNumber('-1')).not.toBe(normalizeNumber('1'));
  });
});

describe('raw items (attribute values as the low-level client returns them)', () => {
  const every =
    '{"k":"x","e":"","q":"quote \\" and \\\\ and \\u0001 é 😀","n":-12345678901234567890123456789012345678,' +
    '"small":1E-130,"big":9.9999999999999999999999999999999999999E+125,"t":true,"f":false,"z":null,' +
    '"bin":{"$binary":"AAEC/w=="},"ss":{"$set":["a","b"]},"ns":{"$set":[1,2.5,-3]},' +
    '"bs":{"$set":[{"$binary":"AA=="},{"$binary":"/w=="}]},"l":[1,"s",[],{},[{"m":{"deep":[null]}}]],' +
    '"m":{"a":{"b":{"c":"d"}},"__proto__":"kept"}}';

  it('writes the same text as the way through native items, for every type', () => {
    const raw = toDdbJson(parseItem(every)) as RawItem;
    expect(stringifyRawItem(raw)).toBe(stringifyItem(fromRawItem(raw)));
    expect(stringifyRawDdbJson(raw)).toBe(stringifyDdbJson(fromRawItem(raw)));
    // And that text reads back as the same item.
    expect(stringifyItem(parseItem(stringifyRawItem(raw)))).toBe(stringifyItem(fromRawItem(raw)));
  });

  it('writes the request text of an item as the SDK would, for every type (ddbJsonText)', () => {
    // NOTE: the SDK's marshall loses an attribute named __proto__ (it assigns it); ddbJsonText keeps it.
    const item = parseItem(every.replace(',"__proto__":"kept"', ''));
    const sdk = (i: Item) => stringifyRawDdbJson(toDdbJson(i) as RawItem);
    expect(ddbJsonText(item)).toBe(sdk(item));
    expect(ddbJsonText(parseItem('{"m":{"__proto__":"kept"},"__proto__":1}'))).toBe(
      '{"m":{"M":{"__proto__":{"S":"kept"}}},"__proto__":{"N":"1"}}',
    );
    // Values outside ItemValue take the SDK's way: converted, or refused with its error.
    const odd = { n: 7, big: 10n, m: new Map([['a', 'b']]) } as unknown as Item;
    expect(ddbJsonText(odd)).toBe(sdk(odd));
    const errorOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    for (const bad of [{ s: new Set() }, { u: undefined }, { x: Number.NaN }] as unknown as Item[]) {
      expect(errorOf(() => sdk(bad))).not.toBe('no error');
      expect(errorOf(() => ddbJsonText(bad))).toBe(errorOf(() => sdk(bad)));
    }
  });

  it('writes numbers in JSON syntax whatever the engine sent', () => {
    const raw: RawItem = { a: { N: '+1.50' }, b: { N: '.5' }, c: { NS: ['7', '+8'] } };
    expect(JSON.parse(stringifyRawItem(raw))).toEqual({ a: 15e-1, b: 5e-1, c: { $set: [7, 8] } });
    expect(() => stringifyRawItem({ a: { N: 'one' } })).toThrow(/'one' from the engine is not a number/);
  });

  it('names a type it does not know instead of writing something wrong', () => {
    const odd = { $unknown: ['X', 1] } as unknown as AttributeValue;
    expect(() => stringifyRawItem({ a: odd })).toThrow(/type ddbctl does not know \(\$unknown\)/);
  });
});

describe('sets of numbers', () => {
  it('a set of numbers holds each value once (1 and 1.0 are one number)', () => {
    expect(stringifyItem(parseItem('{"s":{"$set":[1,1.0,2,2.00]}}'))).toBe('{"s":{"$set":[1,2]}}');
    expect(stringifyItem(parseItem('{"s":{"$set":[1.0,1,1e0]}}'))).toBe('{"s":{"$set":[1.0]}}');
  });
});
