import { describe, expect, it } from 'vitest';
import { refusal } from '../../../test/support/refusal.js';
import { stringifyItem } from '../../core/data/codec.js';
import type { KeySchema } from '../../core/data/keySchema.js';
import { keyValue, parseKeyArgs, parseNames } from './_input.js';

const schema: KeySchema = {
  table: 'T',
  partitionKey: { name: 'b', type: 'B' },
  sortKey: { name: 'n', type: 'N' },
};
const key = (...args: string[]) => stringifyItem(parseKeyArgs(args, schema, false));

describe('key values given as attr=value (issue 20, case 4)', () => {
  it('reads binary as strict base64, and numbers as DynamoDB numbers', () => {
    expect(key('b=AAE=', 'n=1.50')).toBe('{"b":{"$binary":"AAE="},"n":1.50}');
    expect(key('b=/w==', 'n=-1e-130')).toBe('{"b":{"$binary":"/w=="},"n":-1e-130}');
  });

  it('says why AB== is refused: the unused bits of its last character are not zero', () => {
    expect(refusal(() => keyValue(schema.partitionKey, 'AB==', 'key b=AB=='))).toBe(
      'input.key: key b=AB==: "b" is binary (B), given as base64 text alone (b=AAE=); "AB==" is not base64: the unused bits of its last character ("B") must be zero; its bytes are written "AA=="',
    );
  });

  it.each(['AA!E=', '%%%', 'AAE', '{"$binary":"AAE="}'])('refuses b=%s (input.key, exit 2)', (text) => {
    expect(refusal(() => keyValue(schema.partitionKey, text, `key b=${text}`))).toBe(
      `input.key: key b=${text}: "b" is binary (B), given as base64 text alone (b=AAE=); ${JSON.stringify(text)} is not base64: use A-Z a-z 0-9 + / and pad with = to a multiple of 4 characters, such as "AAE="`,
    );
  });

  it('refuses a number DynamoDB cannot keep', () => {
    expect(refusal(() => key('b=AAE=', 'n=1e999'))).toMatch(
      /^input\.key: key n=1e999: "n" is a number \(N\); 1e999 is larger/,
    );
    expect(refusal(() => key('b=AAE=', 'n=abc'))).toBe(
      'input.key: key n=abc: "n" is a number (N); "abc" is not a number',
    );
  });

  it('takes a string key value as it is written, JSON-looking or not', () => {
    const s: KeySchema = { table: 'T', partitionKey: { name: 'id', type: 'S' } };
    expect(keyValue(s.partitionKey, '{"x":1}', 'key')).toBe('{"x":1}');
    expect(keyValue(s.partitionKey, '{"$binary":"AAE="}', 'key')).toBe('{"$binary":"AAE="}');
  });
});

describe('a key attribute given twice as attr=value', () => {
  it('is refused, as JSON with a name twice is, instead of the last one winning', () => {
    const s: KeySchema = {
      table: 'Modes',
      partitionKey: { name: 'id', type: 'S' },
      sortKey: { name: 's', type: 'S' },
    };
    expect(refusal(() => parseKeyArgs(['id=a', 's=1', 's=2'], s, false))).toBe(
      'input.key: key: "s" given twice (s=1, s=2); give each key attribute once: id=<S> s=<S>',
    );
    expect(refusal(() => parseKeyArgs(['id=a', 'id=b', 's=1'], s, false))).toMatch(
      /"id" given twice \(id=a, id=b\)/,
    );
    expect(refusal(() => parseKeyArgs(['id=a', 'id=a', 's=1'], s, false))).toMatch(/"id" given twice/);
  });
});

describe('--names with a name twice', () => {
  it('is refused with where, as --values is, not the last one taken', () => {
    expect(() => parseNames('{"#a":"x","#a":"y"}')).toThrow(
      `--names "{\\"#a\\":\\"x\\",\\"#a\\":\\"y\\"}": expected a JSON object such as '{"#s":"status"}' (Duplicate key '#a' encountered at position 11)`,
    );
    expect(parseNames('{"#a":"x","#a":"x"}')).toEqual({ '#a': 'x' });
  });
});
