// The page's conversions, checked against the CLI's codec (src/core/data/codec): the page's plain
// JSON must be ddbctl's plain JSON, character for character, and nothing may pass through a float.
import { describe, expect, it } from 'vitest';
import { fromDdbJson, parseItem, stringifyItem, toDdbJson } from '../../src/core/data/codec.js';
import {
  compareNumbers,
  compareValues,
  type DdbItem,
  InputError,
  keyValue,
  parseDdbJson,
  parseDdbJsonValues,
  parsePlainJson,
  plainJsonText,
  plainValueText,
  sameItem,
} from './ddb.js';
import { emptyNode, formToItem, itemToForm, retype } from './form.js';

const BIG = '12345678901234567890123456789012345678';
const rich: DdbItem = {
  id: { S: 'a' },
  big: { N: BIG },
  neg: { N: '-0.000000000000000000000000000000000001' },
  exp: { N: '1.5E+100' },
  tags: { SS: ['x', 'y'] },
  nums: { NS: [BIG, '9007199254740993', '0.1'] },
  bin: { B: 'AAEC/w==' },
  bins: { BS: ['AA==', 'AQ=='] },
  ok: { BOOL: false },
  nothing: { NULL: true },
  list: { L: [{ N: '9007199254740993' }, { S: '1' }, { M: { deep: { SS: ['z'] } } }] },
  address: { M: { city: { S: 'Paris' }, zip: { N: '75001' }, geo: { L: [{ N: '48.8566' }] } } },
  tagged: { M: { $set: { S: 'not a set' } } },
  binTagged: { M: { $binary: { N: '1' } } },
  emptyMap: { M: {} },
  emptyList: { L: [] },
};

describe('plain JSON (ddbctl’s default format) in the page', () => {
  it('writes what the CLI writes, character for character', () => {
    const cli = stringifyItem(fromDdbJson(rich), 2);
    expect(plainJsonText(rich)).toBe(cli);
    expect(plainJsonText(rich)).toContain(`"big": ${BIG}`);
  });

  it('reads back every type exactly, and the CLI reads the page’s text as the same item', () => {
    const text = plainJsonText(rich);
    expect(parsePlainJson(text)).toEqual(rich);
    expect(toDdbJson(parseItem(text))).toEqual(toDdbJson(fromDdbJson(rich)));
  });

  it('keeps the escape for a map whose only key is a tag, at the top too', () => {
    const item: DdbItem = { $set: { S: 'a' } };
    expect(plainJsonText(item, 0)).toBe('{"$map":{"$set":"a"}}');
    expect(parsePlainJson('{"$map":{"$set":"a"}}')).toEqual(item);
    expect(() => parsePlainJson('{"$set":["a"]}')).toThrow(InputError);
  });

  it('refuses what DynamoDB refuses: empty or mixed sets, duplicates, 39 digits, bad base64', () => {
    expect(() => parsePlainJson('{"s":{"$set":[]}}')).toThrow(/at least one|non-empty/);
    expect(() => parsePlainJson('{"s":{"$set":["a",1]}}')).toThrow(/one type/);
    expect(() => parsePlainJson('{"s":{"$set":[1,1.0]}}')).toThrow(/twice/);
    expect(() => parsePlainJson(`{"n":${BIG}9}`)).toThrow(/39 significant digits/);
    expect(() => parsePlainJson('{"b":{"$binary":"A"}}')).toThrow(/base64/);
    expect(() => parsePlainJson('[1]')).toThrow(/JSON object/);
  });
});

describe('DynamoDB JSON in the page', () => {
  it('round-trips every type as JSON text, numbers as strings', () => {
    const text = JSON.stringify(rich);
    expect(parseDdbJson(text)).toEqual(rich);
    expect(sameItem(parseDdbJson(text), rich)).toBe(true);
  });

  it('refuses a bare JSON number, whose digits a float would have rounded', () => {
    expect(() => parseDdbJson(`{"n":{"N":${BIG}}}`)).toThrow(/numbers are strings/);
    expect(() => parseDdbJsonValues('[{"N":1}]')).toThrow(/numbers are strings/);
    expect(parseDdbJsonValues(`[{"N":"${BIG}"},{"S":"a"}]`)).toEqual([{ N: BIG }, { S: 'a' }]);
  });

  it('checks shapes as DynamoDB does', () => {
    expect(() => parseDdbJson('{"a":{"S":"x","N":"1"}}')).toThrow(/exactly one type/);
    expect(() => parseDdbJson('{"a":{"BOOL":"false"}}')).toThrow(/true or false/);
    expect(() => parseDdbJson('{"a":{"X":"1"}}')).toThrow(/unknown type/);
    expect(() => parseDdbJson('{"a":{"M":{"b":{"N":"1e"}}}}')).toThrow(/a\.b: "1e" is not a number/);
    expect(() => parseDdbJson('{"a":{"NS":["1","1.0"]}}')).toThrow(/twice/);
  });
});

describe('the form', () => {
  it('turns an item into rows and back with every type unchanged', () => {
    expect(formToItem(itemToForm(rich))).toEqual(rich);
  });

  it('builds the issue’s item from typed text: 38 digits, a string set, binary, a nested map', () => {
    const entries = [
      { name: 'id', node: { ...emptyNode('S'), text: 'k1' } },
      { name: 'big', node: { ...emptyNode('N'), text: BIG } },
      { name: 'tags', node: { ...emptyNode('SS'), members: ['red', 'blue'] } },
      { name: 'bin', node: { ...emptyNode('B'), text: 'AAEC' } },
      {
        name: 'address',
        node: { ...emptyNode('M'), children: [{ name: 'zip', node: { ...emptyNode('N'), text: '007' } }] },
      },
    ];
    expect(formToItem(entries)).toEqual({
      id: { S: 'k1' },
      big: { N: BIG },
      tags: { SS: ['red', 'blue'] },
      bin: { B: 'AAEC' },
      address: { M: { zip: { N: '007' } } },
    });
  });

  it('names the row at fault', () => {
    const node = { ...emptyNode('M'), children: [{ name: 'n', node: { ...emptyNode('N'), text: 'x' } }] };
    expect(() => formToItem([{ name: 'a', node }])).toThrow(/a\.n: "x" is not a number/);
    expect(() => formToItem([{ name: '', node: emptyNode() }])).toThrow(/needs a name/);
    expect(() =>
      formToItem([
        { name: 'a', node: emptyNode() },
        { name: 'a', node: emptyNode() },
      ]),
    ).toThrow(/used twice/);
    expect(() => formToItem([{ name: 's', node: { ...emptyNode('SS'), members: ['a', 'a'] } }])).toThrow(
      /twice/,
    );
  });

  it('carries a value over when its type changes', () => {
    const n = retype({ ...emptyNode('S'), text: '42' }, 'NS');
    expect(n.members).toEqual(['42']);
    expect(retype(n, 'N').text).toBe('42');
    expect(retype({ ...emptyNode('S'), text: 'x' }, 'BOOL').text).toBe('true');
  });
});

describe('numbers are compared and shown exactly', () => {
  it('orders 38-digit numbers a float would call equal', () => {
    const a = BIG;
    const b = '12345678901234567890123456789012345679';
    expect(Number(a) === Number(b)).toBe(true);
    expect(compareNumbers(a, b)).toBe(-1);
    expect(compareNumbers(b, a)).toBe(1);
    expect(compareNumbers('1.0', '1')).toBe(0);
    expect(compareNumbers('-5', '3')).toBe(-1);
    expect(compareNumbers('-5', '-30')).toBe(1);
    expect(compareNumbers('0.001', '1e-2')).toBe(-1);
    expect(compareNumbers('0', '-0.1')).toBe(1);
    expect(compareNumbers('100', '99.999')).toBe(1);
  });

  it('sorts cells: numbers by value, missing ones last', () => {
    const cells = [{ N: '10' }, undefined, { N: '9' }, { N: BIG }];
    expect(cells.sort(compareValues)).toEqual([{ N: '9' }, { N: '10' }, { N: BIG }, undefined]);
  });

  it('shows a cell as plain JSON, a string as itself', () => {
    expect(plainValueText({ N: BIG })).toBe(BIG);
    expect(plainValueText({ S: 'a"b' })).toBe('a"b');
    expect(plainValueText({ SS: ['a'] })).toBe('{"$set":["a"]}');
  });

  it('types a key typed in a box by the key’s type', () => {
    expect(keyValue('N', ` ${BIG} `, 'k')).toEqual({ N: BIG });
    expect(keyValue('S', ' a ', 'k')).toEqual({ S: ' a ' });
    expect(() => keyValue('N', 'abc', 'k')).toThrow(/k: "abc" is not a number/);
  });
});
