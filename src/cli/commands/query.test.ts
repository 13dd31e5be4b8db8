import { describe, expect, it } from 'vitest';
import { refusal } from '../../../test/support/refusal.js';
import { stringifyItem } from '../../core/data/codec.js';
import type { KeySchema } from '../../core/data/keySchema.js';
import { parsePartition, parseSortKey } from './query.js';

const S: KeySchema = {
  table: 'T',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
};
const N: KeySchema = {
  table: 'T',
  partitionKey: { name: 'pk', type: 'N' },
  sortKey: { name: 'sk', type: 'N' },
};
const B: KeySchema = {
  table: 'T',
  partitionKey: { name: 'pk', type: 'B' },
  sortKey: { name: 'sk', type: 'B' },
};
const sk = (text: string, schema = S) => {
  const { op, values } = parseSortKey(text, schema);
  return [op, ...values.map((v) => stringifyItem(v))];
};

describe('--sk takes a value quoted as expressions write it (issue 20, case 12)', () => {
  it.each([
    ["= 'a'", ['=', '"a"']],
    ['= "a"', ['=', '"a"']],
    ["= 'it\\'s'", ['=', '"it\'s"']],
    ["begins_with 'ORDER# '", ['begins_with', '"ORDER# "']],
    ["between 'a' and 'b'", ['between', '"a"', '"b"']],
    ["BETWEEN 'a and b' AND 'c and d'", ['between', '"a and b"', '"c and d"']],
    ["between a and 'b'", ['between', '"a"', '"b"']],
    ["between 'a' and b", ['between', '"a"', '"b"']],
    // Unquoted, as before: the rest of the text, whatever it holds.
    ['>= 2026-01', ['>=', '"2026-01"']],
    ['= a b', ['=', '"a b"']],
    ["= it's", ['=', '"it\'s"']],
    ['between 2026-01 and 2026-02', ['between', '"2026-01"', '"2026-02"']],
  ])('%s', (text, want) => {
    expect(sk(text)).toEqual(want);
  });

  it('numbers and binary are written without quotes; quoted, they are text and refused', () => {
    expect(sk('between 1 and 1e3', N)).toEqual(['between', '1', '1e3']);
    expect(sk('= AAE=', B)).toEqual(['=', '{"$binary":"AAE="}']);
    expect(refusal(() => sk("= '5'", N))).toBe(
      'usage.invalid: --sk sk: "sk" is a number (N): write it without quotes, such as --sk "= 5"; a quoted value is text',
    );
    expect(refusal(() => sk("between 1 and '5'", N))).toMatch(/write it without quotes/);
    expect(refusal(() => sk("= 'AAE='", B))).toMatch(/"sk" is binary \(B\): write its base64 without quotes/);
  });

  it('refuses what it cannot read, in one line (exit 2)', () => {
    expect(refusal(() => sk("= 'a"))).toMatch(
      /^input\.expression: --sk .* unterminated string; expected a closing '/,
    );
    expect(refusal(() => sk("= 'a' b"))).toBe(
      'usage.invalid: --sk "= \'a\' b": unexpected text after the quoted value: "b"',
    );
    expect(refusal(() => sk("between 'a'"))).toBe(
      'usage.invalid: --sk "between \'a\'": expected "between A and B"',
    );
    expect(refusal(() => sk('between a and b and c'))).toMatch(/quote a value that holds " and "/);
    expect(refusal(() => sk('= x', N))).toMatch(/^input\.key: --sk sk: "sk" is a number/);
  });
});

describe('query takes its partition key as JSON like get', () => {
  it('reads plain JSON, DynamoDB JSON, attr=value and a bare value', () => {
    expect(parsePartition('{"pk":"a"}', S, false)).toBe('a');
    expect(parsePartition('{"pk":{"S":"a"}}', S, true)).toBe('a');
    expect(stringifyItem(parsePartition('{"pk":{"$binary":"AAE="}}', B, false))).toBe('{"$binary":"AAE="}');
    expect(stringifyItem(parsePartition(' {"pk":12345678901234567890123456789012345678}', N, false))).toBe(
      '12345678901234567890123456789012345678',
    );
    expect(parsePartition('pk=a', S, false)).toBe('a');
    expect(parsePartition('a', S, false)).toBe('a');
  });

  it('refuses other attributes, a missing key and a value of another type', () => {
    expect(refusal(() => parsePartition('{"pk":"a","sk":"b"}', S, false))).toBe(
      `input.key: partition key {"pk":"a","sk":"b"}: query takes the partition key alone, such as '{"pk": ...}'; give a sort key condition with --sk`,
    );
    // The wrong attribute: the message names the right one, not --sk.
    expect(refusal(() => parsePartition('{"id":"a"}', S, false))).toBe(
      `input.key: partition key {"id":"a"}: the partition key attribute of T is "pk" (S), not "id"; write it such as '{"pk": ...}'`,
    );
    // A bare value with "=" in it reads as attr=value: the message says how to give it.
    expect(refusal(() => parsePartition('AQ==', B, false))).toBe(
      'input.key: "AQ" is not the partition key of T; it is pk (B); for a value with "=" in it (base64 padding, say), write pk=AQ==',
    );
    expect(stringifyItem(parsePartition('pk=AQ==', B, false))).toBe('{"$binary":"AQ=="}');
    expect(refusal(() => parsePartition('{"pk":1}', S, false))).toBe(
      'input.key: partition key {"pk":1}: "pk" is of type S, not N',
    );
    expect(refusal(() => parsePartition('{"$binary":"AAE="}', B, false))).toBe(
      `input.key: partition key {"$binary":"AAE="}: as JSON it names its attribute, such as '{"pk": {"$binary":"AAE="}}'`,
    );
    expect(refusal(() => parsePartition('{"pk":{"BOOL":"x"}}', S, true))).toMatch(
      /^input\.json: partition key: pk: BOOL needs/,
    );
  });
});

describe('an empty key value is refused locally, as get refuses it (exit 2 on every engine)', () => {
  it.each([
    ["= ''", '--sk sk: sort key "sk" is 0 bytes; DynamoDB allows 1–1024'],
    ['= ""', '--sk sk: sort key "sk" is 0 bytes; DynamoDB allows 1–1024'],
    ["begins_with ''", '--sk sk: sort key "sk" is 0 bytes; DynamoDB allows 1–1024'],
    ["between '' and 'b'", '--sk sk: sort key "sk" is 0 bytes; DynamoDB allows 1–1024'],
    [`= ${'x'.repeat(1025)}`, '--sk sk: sort key "sk" is 1025 bytes; DynamoDB allows 1–1024'],
  ])('--sk %s', (text, message) => {
    expect(refusal(() => parseSortKey(text, S))).toBe(`input.key: ${message}`);
  });

  it.each([
    ['', 'query: partition key "pk" is 0 bytes; DynamoDB allows 1–2048'],
    ['pk=', 'query: partition key "pk" is 0 bytes; DynamoDB allows 1–2048'],
    ['{"pk":""}', 'query: partition key "pk" is 0 bytes; DynamoDB allows 1–2048'],
    ['x'.repeat(2049), 'query: partition key "pk" is 2049 bytes; DynamoDB allows 1–2048'],
  ])('partition %j', (text, message) => {
    expect(refusal(() => parsePartition(text, S, false))).toBe(`input.key: ${message}`);
  });

  it('takes the largest values DynamoDB takes', () => {
    expect(parsePartition('x'.repeat(2048), S, false)).toHaveLength(2048);
    expect(sk(`= ${'é'.repeat(512)}`)).toEqual(['=', JSON.stringify('é'.repeat(512))]);
  });
});
