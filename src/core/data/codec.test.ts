import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { DdbError } from '../errors.js';
import { readWireBody } from '../wire/wireText.js';
import {
  ddbJsonText,
  fromDdbJson,
  fromRawItem,
  type Item,
  type ItemValue,
  isBase64,
  normalizeNumber,
  parseItem,
  parseLosslessJson,
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
        /^line 3: (m: |l\[0\]: )?an attribute named "__proto__" cannot be written through the AWS SDK for JavaScript \(it would be dropped\); rename it$/,
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
  it('a set given a member twice is refused, as DynamoDB refuses it (1 and 1.0 are one number)', () => {
    expect(() => parseItem('{"s":{"$set":[1,2,1.0]}}')).toThrow(
      's[2]: the set holds 1.0 twice; DynamoDB refuses a set with duplicate members',
    );
    expect(() => parseItem('{"s":{"$set":["a","a"]}}')).toThrow(/^s\[1\]: the set holds "a" twice/);
    expect(() => parseItem('{"s":{"$set":[{"$binary":"AA=="},{"$binary":"AA=="}]}}')).toThrow(
      /^s\[1\]: the set holds \{"\$binary":"AA=="\} twice/,
    );
    expect(stringifyItem(parseItem('{"s":{"$set":[1.0,2,10]}}'))).toBe('{"s":{"$set":[1.0,2,10]}}');
  });
});

describe('DynamoDB JSON is checked, never coerced (issue 20, case 1)', () => {
  const error = (value: unknown) => {
    try {
      fromDdbJson({ id: { S: 'x' }, a: value }, 'item');
    } catch (e) {
      return (e as DdbError).code === 'input.json'
        ? (e as Error).message
        : `${(e as Error).message} (not input.json)`;
    }
    return 'accepted';
  };
  it.each([
    [
      { BOOL: 'false' },
      'item: a: BOOL needs true or false (a JSON boolean), such as {"BOOL":false}; found "false"',
    ],
    [{ BOOL: 0 }, 'item: a: BOOL needs true or false (a JSON boolean), such as {"BOOL":false}; found 0'],
    [
      { NULL: false },
      'item: a: NULL needs the value true, as in {"NULL":true} (DynamoDB refuses any other); found false',
    ],
    [
      { S: 'x', N: '1' },
      /^item: a: expected a DynamoDB-JSON value with one of the types .*; found 2 types \(S, N\)$/,
    ],
    [{}, /found no type$/],
    [{ X: '1' }, /found the type "X"$/],
    [{ S: 1 }, /^item: a: S needs a string, such as \{"S":"text"\}; found 1$/],
    [{ N: 'one' }, 'item: a: N needs a number in a string, such as {"N":"1.5"}: "one" is not a number'],
    [{ N: '1e999' }, /^item: a: N needs a number in a string.*larger than DynamoDB's maximum/],
    [{ N: true }, /^item: a: N needs a number in a string, such as \{"N":"1.5"\}: true is not a number$/],
    [{ B: 'AA!E=' }, /^item: a: B: "AA!E=" is not base64: use A-Z a-z 0-9 \+ \/ and pad with =/],
    [{ B: 'AAE' }, /is not base64/],
    [{ B: 'AB==' }, /is not base64/],
    [{ SS: [] }, /SS needs a non-empty array/],
    [{ SS: ['a', 'a'] }, 'item: a: SS holds "a" twice; DynamoDB refuses a set with duplicate members'],
    [{ NS: ['1', '1.0'] }, 'item: a: NS holds "1.0" twice; DynamoDB refuses a set with duplicate members'],
    [{ BS: ['AAE=', 'AAE='] }, /BS holds "AAE=" twice/],
    [{ SS: ['a', 1] }, /SS needs strings/],
    [{ M: [] }, /M needs an object of attribute values/],
    [{ L: {} }, /L needs an array of attribute values/],
    [{ M: { b: { L: [{ BOOL: 'true' }] } } }, /^item: a\.b\[0\]: BOOL needs true or false/],
    ['plain', /expected a DynamoDB-JSON value such as \{"S":"x"\}/],
  ])('%j is refused with one line naming where, what and how', (value, message) => {
    if (typeof message === 'string') expect(error(value)).toBe(message);
    else expect(error(value)).toMatch(message);
  });

  it('takes every valid value, and a JSON number for N (import always has; parsed losslessly, exact)', () => {
    expect(
      stringifyItem(
        fromDdbJson(
          parseLosslessJson(
            '{"n":{"N":12345678901234567890123456789012345678},"t":{"N":"-1.50e-3"},"ns":{"NS":[1,"2"]},' +
              '"b":{"B":""},"bs":{"BS":["AAE=","/w=="]},"ss":{"SS":[""," "]},"z":{"NULL":true},"f":{"BOOL":false},' +
              '"m":{"M":{"$set":{"L":[]}}},"l":{"L":[{"M":{}}]}}',
          ),
        ),
      ),
    ).toBe(
      '{"n":12345678901234567890123456789012345678,"t":-1.50e-3,"ns":{"$set":[1,2]},"b":{"$binary":""},' +
        '"bs":{"$set":[{"$binary":"AAE="},{"$binary":"/w=="}]},"ss":{"$set":[""," "]},"z":null,"f":false,' +
        '"m":{"$map":{"$set":[]}},"l":[{}]}',
    );
  });

  it("takes bytes where the SDK's own attribute values hold them (library callers)", () => {
    const item = fromDdbJson({ b: { B: new Uint8Array([0, 1]) }, bs: { BS: [new Uint8Array([2])] } });
    expect(stringifyItem(item)).toBe('{"b":{"$binary":"AAE="},"bs":{"$set":[{"$binary":"Ag=="}]}}');
  });

  it('import --format ddb-json reads with the same checks and messages', async () => {
    const { parseDdbJsonLine } = await import('../transfer/formats/read.js');
    for (const value of [{ BOOL: 'false' }, { NULL: false }, { S: 'x', N: '1' }, { SS: ['a', 'a'] }]) {
      const line = JSON.stringify({ id: { S: 'x' }, a: value });
      expect(() => parseDdbJsonLine(line)).toThrow(error(value).replace(/^item: /, ''));
      // In the export envelope too: the attribute named, not the envelope's `Item`.
      expect(() => parseDdbJsonLine(JSON.stringify({ Item: JSON.parse(line) }))).toThrow(
        error(value).replace(/^item: /, ''),
      );
    }
    // An attribute named Item whose value is one attribute value stays a bare item.
    expect(parseDdbJsonLine('{"Item":{"M":{"a":{"S":"x"}}}}')).toEqual({ Item: { a: 'x' } });
    expect(parseDdbJsonLine('{"Item":{"S":{"S":"x"}}}')).toEqual({ S: 'x' });
  });
});

describe('plain JSON tags have an escape: {"$map": {...}} (issue 20, case 2)', () => {
  it('writes a map whose only key is a tag as {"$map": ...}, and reads it back as that map', () => {
    const text =
      '{"id":"x","s":{"$map":{"$set":["on"]}},"b":{"$map":{"$binary":"AAE="}},"m":{"$map":{"$map":{"x":1}}},' +
      '"two":{"$set":["on"],"x":1},"real":{"$set":["on"]},"bin":{"$binary":"AAE="}}';
    const item = parseItem(text);
    expect(typeOf(item.s!)).toBe('M');
    expect(typeOf((item.s as Record<string, ItemValue>).$set!)).toBe('L');
    expect(typeOf((item.b as Record<string, ItemValue>).$binary!)).toBe('S');
    expect(typeOf(item.real!)).toBe('SS');
    expect(typeOf(item.bin!)).toBe('B');
    expect(stringifyItem(item)).toBe(text);
    const raw = toDdbJson(item) as RawItem;
    expect(stringifyRawItem(raw)).toBe(text);
    expect(readWireBody(Buffer.from(`{"Items":[${stringifyRawDdbJson(raw)}]}`)).text.toString()).toBe(
      `${text}\n`,
    );
  });

  it('the wire reader escapes a tag name however the engine escaped it', () => {
    const body =
      '{"Items":[{"m":{"M":{"\\u0024set":{"S":"x"}}},"n":{"M":{"$se\\u0074":{"N":"1"},"y":{"NULL":true}}}}]}';
    expect(readWireBody(Buffer.from(body)).text.toString()).toBe(
      '{"m":{"$map":{"$set":"x"}},"n":{"$set":1,"y":null}}\n',
    );
  });

  it('an item whose only attribute is named like a tag round-trips too', () => {
    for (const text of [
      '{"$map":{"$set":"x"}}',
      '{"$map":{"$binary":{"$set":[1]}}}',
      '{"$map":{"$map":null}}',
    ]) {
      expect(stringifyItem(parseItem(text))).toBe(text);
      expect(stringifyRawItem(toDdbJson(parseItem(text)) as RawItem)).toBe(text);
    }
    expect(() => parseItem('{"$set":["a"]}')).toThrow(
      'item: expected an item, found a tagged value ($set); an item whose only attribute is named "$set" is written {"$map": {"$set": ...}}',
    );
  });

  it('refuses {"$map": X} when X is not an object', () => {
    expect(() => parseItem('{"m":{"$map":[1]}}')).toThrow(/^m: "\$map" needs an object/);
    expect(() => parseItem('{"m":{"$map":"x"}}')).toThrow(/^m: "\$map" needs an object/);
  });
});

describe('base64 is strict wherever binary is given (issue 20, case 4)', () => {
  it.each(['', 'AA==', 'AAE=', 'AAEC', '/w==', 'AAECAw=='])('%j is base64', (t) => {
    expect(isBase64(t)).toBe(true);
    expect(stringifyItem(parseItem(`{"b":{"$binary":"${t}"}}`))).toBe(`{"b":{"$binary":"${t}"}}`);
  });
  it.each(['A', 'AA', 'AA=', 'AA!E=', 'AAE=AAE=', '%%%', 'AB==', 'AAF=', 'A===', ' AAE=', 'AAE=\n', 'AA-_'])(
    '%j is not',
    (t) => {
      expect(isBase64(t)).toBe(false);
      expect(() => parseItem(JSON.stringify({ b: { $binary: t } }))).toThrow(
        /^b: "\$binary": .* is not base64/,
      );
      expect(() => parseItem(JSON.stringify({ b: { $set: [{ $binary: t }] } }))).toThrow(/is not base64/);
    },
  );
});

describe('messages say what is wrong with the value itself', () => {
  const refusedAs = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('a number too large for DynamoDB: the same reason as a JSON number and in a string', () => {
    const reason =
      'item: x: N needs a number in a string, such as {"N":"1.5"}: 1e400 is larger than DynamoDB\'s maximum 9.9999999999999999999999999999999999999E+125';
    expect(refusedAs(() => fromDdbJson(parseLosslessJson('{"x":{"N":1e400}}'), 'item'))).toBe(reason);
    expect(refusedAs(() => fromDdbJson(parseLosslessJson('{"x":{"N":"1e400"}}'), 'item'))).toBe(reason);
    expect(refusedAs(() => fromDdbJson(parseLosslessJson('{"x":{"NS":[1e400]}}'), 'item'))).toMatch(
      /1e400 is larger than DynamoDB's maximum/,
    );
  });

  it('a set mixing kinds names the kinds it mixes and where', () => {
    expect(refusedAs(() => parseItem('{"x":{"$set":[1,"a"]}}'))).toBe(
      'x[1]: a set holds one type (all strings, all numbers or all {"$binary": ...} values); this one mixes numbers and strings',
    );
    expect(refusedAs(() => parseItem('{"x":{"$set":["a","b",2]}}'))).toBe(
      'x[2]: a set holds one type (all strings, all numbers or all {"$binary": ...} values); this one mixes strings and numbers',
    );
    expect(refusedAs(() => parseItem('{"x":{"$set":["a",true]}}'))).toMatch(
      /mixes strings and other values \(true\)$/,
    );
  });

  it('base64 with the right alphabet and padding but stray bits says so, and how the bytes are written', () => {
    expect(refusedAs(() => parseItem('{"x":{"$binary":"AAF="}}'))).toBe(
      'x: "$binary": "AAF=" is not base64: the unused bits of its last character ("F") must be zero; its bytes are written "AAE="',
    );
    expect(refusedAs(() => parseItem('{"x":{"$binary":"AB=="}}'))).toMatch(
      /character \("B"\) must be zero; its bytes are written "AA=="$/,
    );
  });
});

describe('nesting far past DynamoDB 32 levels is refused in its words, never by a stack overflow', () => {
  const TOO_DEEP = 'nested deeper than 32 levels';
  const nested = (depth: number, open: string, close: string) =>
    `{"id":"o","v":${open.repeat(depth)}1${close.repeat(depth)}}`;
  it.each([100, 3000, 4500, 100_000])('plain JSON, %i levels of maps and of lists', (depth) => {
    for (const text of [nested(depth, '{"a":', '}'), nested(depth, '[', ']')]) {
      expect(() => parseItem(text)).toThrow(TOO_DEEP);
    }
  });

  it('DynamoDB JSON, 3000 levels', () => {
    const text = `{"id":{"S":"o"},"v":${'{"M":{"a":'.repeat(3000)}{"N":"1"}${'}}'.repeat(3000)}}`;
    expect(() => fromDdbJson(parseLosslessJson(text))).toThrow(TOO_DEEP);
  });
});
