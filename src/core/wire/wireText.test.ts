import { describe, expect, it } from 'vitest';
import {
  fromRawItem,
  parseItem,
  type RawItem,
  stringifyItem,
  stringifyRawItem,
  toDdbJson,
} from '../data/codec.js';
import { readWireBody } from './wireText.js';

/** An item as the wire carries it: binary as base64 text. */
function wire(text: string): RawItem {
  return JSON.parse(
    JSON.stringify(toDdbJson(parseItem(text)), (_k, v) => {
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return v?.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('base64') : v;
    }),
  ) as RawItem;
}

const every =
  '{"k":"x","e":"","q":"quote \\" and \\\\ and \\u0001 é 😀 \\u2028","n":-12345678901234567890123456789012345678,' +
  '"small":1E-130,"big":9.9999999999999999999999999999999999999E+125,"t":true,"f":false,"z":null,' +
  '"bin":{"$binary":"AAEC/w=="},"ss":{"$set":["a","b\\"c"]},"ns":{"$set":[1,2.5,-3]},' +
  '"bs":{"$set":[{"$binary":"AA=="},{"$binary":"/w=="}]},"l":[1,"s",[],{},[{"m":{"deep":[null]}}]],' +
  '"m":{"a":{"b":{"c":"d"}},"__proto__":"kept","":"empty name"},"é \\"name\\"":1}';

const body = (items: RawItem[], rest: object = { Count: items.length, ScannedCount: items.length }) =>
  Buffer.from(JSON.stringify({ Items: items, ...rest }));

describe('readWireBody: response bytes to plain JSON without objects', () => {
  it('writes each item as stringifyRawItem does, for every type, and parses the rest of the body', () => {
    const items = [wire(every), wire('{"k":"y"}'), wire(every)];
    const key = { k: { S: 'y' } };
    const out = readWireBody(body(items, { Count: 3, ScannedCount: 5, LastEvaluatedKey: key }));
    expect(out.text.toString()).toBe(items.map((i) => `${stringifyRawItem(i)}\n`).join(''));
    expect(out.items).toBe(3);
    expect(out.rest).toEqual({ Count: 3, ScannedCount: 5, LastEvaluatedKey: key });
    // The text reads back as the items the SDK's way gives.
    const first = out.text.toString().split('\n')[0] as string;
    expect(stringifyItem(parseItem(first))).toBe(stringifyItem(fromRawItem(items[0] as RawItem)));
  });

  it('joins items as asked (a JSON array inside), and reads a page with no items', () => {
    const items = [wire('{"a":1}'), wire('{"b":2}')];
    expect(readWireBody(body(items), ',\n', '').text.toString()).toBe('{"a":1},\n{"b":2}');
    const empty = readWireBody(Buffer.from('{"Count":0,"Items":[],"ScannedCount":0}'));
    expect(empty).toEqual({ text: Buffer.alloc(0), items: 0, rest: { Count: 0, ScannedCount: 0 } });
    expect(readWireBody(Buffer.from('{"Count":0,"ScannedCount":7}')).rest.ScannedCount).toBe(7);
  });

  it('gives the same text whatever the engine escapes and however it spaces its JSON', () => {
    const items = [wire(every)];
    const plain = stringifyRawItem(items[0] as RawItem);
    // Every non-ASCII character and the slash escaped, and the body pretty-printed.
    const escaped = JSON.stringify({ Items: items, Count: 1 }, undefined, 2)
      .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .replace(/\//g, '\\/');
    expect(escaped).toContain('\\u00e9');
    expect(readWireBody(Buffer.from(escaped)).text.toString()).toBe(`${plain}\n`);
  });

  it("writes the engine's own number notation as JSON numbers", () => {
    const out = readWireBody(body([{ a: { N: '+1.50' }, b: { N: '.5' }, c: { NS: ['7', '-0', '1E+2'] } }]));
    expect(out.text.toString()).toBe(
      `${stringifyRawItem({ a: { N: '+1.50' }, b: { N: '.5' }, c: { NS: ['7', '-0', '1E+2'] } })}\n`,
    );
    expect(JSON.parse(out.text.toString())).toEqual({ a: 1.5, b: 0.5, c: { $set: [7, -0, 100] } });
    expect(() => readWireBody(body([{ a: { N: 'one' } }]))).toThrow(/'one' from the engine is not a number/);
  });

  it('names a type it does not know, and says where a body is not DynamoDB JSON', () => {
    expect(() => readWireBody(Buffer.from('{"Items":[{"a":{"X":1}}]}'))).toThrow(
      /type ddbctl does not know \(X\)/,
    );
    for (const bad of [
      '{"Items":[{"a":{"S":"x"}]}',
      '{"Items":[{"a":{"S":"x}}]}',
      '{"Items":[',
      '{"Items":[]} x',
      '',
    ]) {
      expect(() => readWireBody(Buffer.from(bad)), bad).toThrow(/not DynamoDB JSON at byte \d+/);
    }
  });

  it('wraps a map whose only name is a tag, and grows its output past the body it reads', () => {
    const items: RawItem[] = [
      { k: { S: 'a' }, m: { M: { $set: { S: 'x' } } }, b: { M: { $binary: { N: '1' } } } },
      { k: { S: 'b' }, m: { M: { $map: { M: {} } } }, n: { M: { $other: { S: 'y' } } } },
      { k: { S: 'c' }, two: { M: { $set: { S: 'x' }, y: { S: 'z' } } } },
      // Every element written longer than it came ({"B":"AA=="} → {"$binary":"AA=="}).
      { k: { S: 'd' }, bs: { L: Array.from({ length: 400 }, () => ({ B: 'AA==' })) } } as unknown as RawItem,
    ];
    const out = readWireBody(body(items));
    expect(out.text.length).toBeGreaterThan(body(items).length);
    expect(out.text.toString()).toBe(items.map((i) => `${stringifyRawItem(i)}\n`).join(''));
    expect(JSON.parse(out.text.toString().split('\n')[0] as string).m).toEqual({ $map: { $set: 'x' } });
  });

  it('matches stringifyRawItem on many generated items', () => {
    const chars = ['a', 'é', '"', '\\', '\n', '😀', '/', ' ', '\u0000', '\u2028'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const str = () => Array.from({ length: rnd(6) }, () => chars[rnd(chars.length)]).join('');
    const value = (depth: number): unknown => {
      switch (rnd(depth > 2 ? 4 : 7)) {
        case 0:
          return str();
        case 1:
          return rnd(2) === 0 ? rnd(1000) - 500 : Number(`${rnd(100)}.${rnd(100)}`);
        case 2:
          return rnd(2) === 0;
        case 3:
          return null;
        case 4:
          return Array.from({ length: rnd(3) }, () => value(depth + 1));
        case 5:
          return Object.fromEntries(Array.from({ length: rnd(3) }, () => [str(), value(depth + 1)]));
        default:
          return { $set: [...new Set(Array.from({ length: 1 + rnd(3) }, () => `${str()}s`))] };
      }
    };
    const items = Array.from({ length: 300 }, (_, n) =>
      wire(
        JSON.stringify({
          k: `k${n}`,
          ...Object.fromEntries(Array.from({ length: rnd(5) }, () => [str(), value(0)])),
        }),
      ),
    );
    expect(readWireBody(body(items)).text.toString()).toBe(
      items.map((i) => `${stringifyRawItem(i)}\n`).join(''),
    );
  });
});
