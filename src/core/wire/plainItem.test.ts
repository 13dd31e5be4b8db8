import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { isPlainObject } from '../data/codec/shared.js';
import { ddbJsonText, parseItem } from '../data/codec.js';
import { itemSize, validateItem } from '../data/validate.js';
import { readPlainItem } from './plainItem.js';

/** What the general path makes of `text`: the item, its DynamoDB JSON, its size. */
function general(text: string) {
  const item = parseItem(text);
  validateItem(item);
  const ddb = ddbJsonText(item);
  return { item, text: ddb, bytes: Buffer.byteLength(ddb), size: itemSize(item) };
}

/**
 * readPlainItem takes `text`, and gives exactly what the general path gives; read with key names
 * (`names`, default: every top-level name), it makes no item but the same text and sizes, keeps the
 * values of those names (strings and numbers) and makes the same item when asked.
 */
function agrees(text: string, names?: string[]): void {
  const fast = readPlainItem(text);
  expect(fast, text).toBeDefined();
  const slow = general(text);
  expect({ item: fast?.item, text: fast?.text, bytes: fast?.bytes, size: fast?.size }).toEqual(slow);
  expect(fast?.key).toBeUndefined();
  const wanted = names ?? Object.keys(slow.item);
  const scalar = (v: unknown) => typeof v === 'string' || v instanceof NumberValue;
  const keyed = readPlainItem(text, wanted);
  if (wanted.some((n) => Object.hasOwn(slow.item, n) && !scalar(slow.item[n]))) {
    // A key attribute of another type: the general path says what is wrong with it.
    expect(keyed, text).toBeUndefined();
    return;
  }
  expect({ text: keyed?.text, bytes: keyed?.bytes, size: keyed?.size }, text).toEqual({
    text: slow.text,
    bytes: slow.bytes,
    size: slow.size,
  });
  expect(keyed?.key).toEqual(
    Object.fromEntries(wanted.filter((n) => Object.hasOwn(slow.item, n)).map((n) => [n, slow.item[n]])),
  );
  expect(keyed?.allMaps).toBe(
    Object.values(slow.item).every((v) => typeof v === 'object' && v !== null && isPlainObject(v)),
  );
  // The item, made from the text when asked: the one the general path reads, numbers wrapped.
  expect(keyed?.item).toEqual(slow.item);
  expect(keyed?.item).toBe(keyed?.item);
}

describe('readPlainItem: a plain JSON item to DynamoDB JSON in one pass', () => {
  it('reads every plain type as the general path does: item, DynamoDB JSON, bytes and size', () => {
    agrees(
      '{"k":"x","e":"","q":"quote \\" and \\\\ and \\u0001 \\/ é 😀 \\u2028 \u2028","t":true,"f":false,"z":null,' +
        '"n":-12345678901234567890123456789012345678,"small":1E-130,"big":9.9999999999999999999999999999999999999E+125,' +
        '"d":[0,-0,0.5,100,12.50,0.00120,1e3,-2E-2,1.0e+0],"l":[1,"s",[],{},[{"m":{"deep":[null]}}]],' +
        '"m":{"a":{"b":{"c":"d"}},"":"empty name inside a map","x1":1},"é \\"name\\"":1,"café":"crème"}',
    );
    agrees('{}');
    agrees('{}', ['pk', 'sk']);
    // Key attributes read without making the item: strings and numbers, at the top only.
    agrees('{"pk":"a","sk":-1.50,"m":{"pk":"inner"},"x":[{"sk":2}]}', ['pk', 'sk', 'gsi']);
    agrees('{"m":{"pk":"inner"},"x":[{"sk":2}],"pk":"a"}', ['pk', 'sk']);
    agrees('{"m":{"S":"typed?"}}', ['pk']);
    // A long line's key values are copies (a held request does not hold its line): the same values.
    agrees(`{"pk":"k${'é'.repeat(20)}","pad":"${'x'.repeat(5000)}","n":12345678901234567890}`, ['pk', 'n']);
    for (const other of ['{"pk":true}', '{"pk":null}', '{"pk":[1]}', '{"pk":{"S":"x"}}', '{"a":1,"gsi":{}}'])
      agrees(other, ['pk', 'gsi']);
    agrees(' \t{ "a" : [ 1 , { } ] , "b" : { "c" : "d" } }\r\n');
    agrees('{"pk":"user#1","age":77,"score":669.73,"tags":["a","b"],"address":{"zip":"00000"}}');
    // Nested just inside the limit (the general path allows 32 levels).
    agrees(`{"a":${'['.repeat(31)}${']'.repeat(31)}}`);
    // Surrogate pairs, escaped or not.
    agrees('{"s":"\\ud83d\\ude00 and 😀","😀":1}');
    // The same name in different maps, and maps of many names.
    agrees('{"a":{"a":{"a":1}},"m":{"x":1},"n":{"x":[{"x":2},{"x":3}]}}');
    const many = (n: number, extra = '') =>
      `{${Array.from({ length: n }, (_, k) => `"n${k}":{"n${k}":${k}}`).join(',')}${extra}}`;
    agrees(many(200));
  });

  it('reads the names of an item after those of the last items, the same or not, escaped or not', () => {
    // Each one right after the one before: the k-th name is compared with the k-th of the last.
    const lines = [
      '{"pk":"a","\\u0061b":1,"é":{"x":1,"y":[2]}}',
      '{"pk":"b","\\u0061b":1,"é":{"x":1,"y":[2]}}',
      '{"pk":"c","ab":2,"é":{"x":1,"y":[2]}}',
      '{"pk":"d","abc":3,"e":{"x":"é","yy":[2]}}',
      '{"pk":"e","ab":4,"é":{"x":1}}',
      '{"pk":"f","ab":4,"é":{"x":1}}',
      '{"pk":"g","a\\"q":5,"m":{"é":1,"x":2,"__":3}}',
      '{"pk":"h","a\\"q":5,"m":{"é":1,"x":2,"__":3}}',
      '{"x":"first name moved","pk":"i"}',
      '{"pk":"j"}',
    ];
    for (const line of lines) agrees(line);
    // Names the general path must take, met where the same names were read before.
    for (const other of ['{"pk":"k","pk":"k"}', '{"pk":"l","__proto__":1}', '{"pk":"m","ab":1,"ab":2}']) {
      agrees('{"pk":"a","__proto__x":1,"ab":0}');
      expect(readPlainItem(other), other).toBeUndefined();
    }
  });

  it('leaves what it does not take to the general path, which refuses it or reads it', () => {
    const others = [
      '{"b":{"$binary":"AAE="}}',
      '{"s":{"$set":["a"]}}',
      '{"s":{"$set":[]}}',
      '{"a":1,"a":1}',
      '{"a":1,"a":2}',
      '{"a":1,"m":{"x":1,"y":[{"z":1,"z":1}]}}',
      '{"m":{"x":1,"x":2}}',
      `{${Array.from({ length: 70 }, (_, k) => `"n${k}":${k}`).join(',')},"n3":1}`,
      `{${Array.from({ length: 70 }, (_, k) => `"n${k}":${k}`).join(',')},"n69":1}`,
      '{"__proto__":1}',
      '{"m":{"__proto__":1}}',
      '{"":1}',
      '{"1":"a","b":2}',
      `{"a":${'['.repeat(33)}${']'.repeat(33)}}`,
      '{"n":1e126}',
      '{"n":1e-131}',
      '{"n":123456789012345678901234567890123456789}',
      '{"n":01}',
      '{"n":1.}',
      '{"n":.5}',
      '{"n":+1}',
      '{"n":NaN}',
      '{"s":"tab\there"}',
      '{"s":"\\x"}',
      '{"a":1,}',
      '{"a":1} x',
      '{"a":tru}',
      '{"a":1',
      '[1]',
      '"a"',
      '',
      `{"big":"${'x'.repeat(410 * 1024)}"}`,
      // Unpaired surrogates: no UTF-8 form (the general path says where).
      '{"s":"\\ud800 and \\udfff"}',
      '{"s":"a\ud800"}',
      '{"\\udc00":1}',
    ];
    for (const text of others) {
      expect(readPlainItem(text), text).toBeUndefined();
      // The general path reads it or gives its own error: either way, never the fast result.
      let outcome: string;
      try {
        outcome = general(text).text;
      } catch (e) {
        outcome = (e as Error).message;
      }
      expect(outcome, text).not.toBe('');
    }
  });

  it('agrees with the general path on generated items', () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const strings = ['', 'a', 'ab\\"c', 'é', '😀', 'tab\\t', '\\u00e9', 'x y z', '\\\\', '€uro'];
    const numbers = ['0', '-1', '3.14', '1e5', '-2.5E-3', '12345678901234567890', '0.000100', '7'];
    const value = (depth: number): string => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return `"${pick(strings)}"`;
      if (r < 0.55) return pick(numbers);
      if (r < 0.65) return pick(['true', 'false', 'null']);
      if (r < 0.8)
        return `[${Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1)).join(',')}]`;
      return object(depth + 1);
    };
    const object = (depth: number): string => {
      const n = Math.floor(rnd() * 5) + (depth === 0 ? 1 : 0);
      const names = new Set<string>();
      while (names.size < n) names.add(`${pick(['a', 'é', 'k_', 'Name', 'q\\"'])}${names.size}`);
      return `{${[...names].map((k) => `"${k}":${value(depth)}`).join(',')}}`;
    };
    for (let i = 0; i < 500; i++) {
      agrees(object(0));
      agrees(object(0), ['a0', 'é1', 'k_2']);
    }
  });
});
