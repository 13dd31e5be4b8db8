// Random items for CSV round trips (fast-check): every value CSV must quote or keep apart, in
// columns of every type `--types` names. Shared by the unit test of the CSV writer and reader and
// the integration test of export → import on the engines.
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import type { Item, ItemValue } from '../../src/core/data/codec.js';

export function csvItems() {
  // Strings that CSV must quote or keep apart: empty, commas, quotes, CR/LF, blanks, unicode.
  const text = fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '\t',
      ',',
      '"',
      '""',
      '\r\n',
      '\n',
      '\r',
      'null',
      'a,b',
      ' x ',
      'é✓😀',
      '\u0000',
    ),
    fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '\t', 'é', '😀') }),
    fc.string({ unit: 'binary' }),
  );
  const name = text.filter((k) => k !== '' && !k.startsWith('$') && k !== '__proto__');
  // Number text as DynamoDB writes it back (JSON syntax), within its 38 digits and its range.
  const number = fc
    .tuple(
      fc.boolean(),
      fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,19}$/)),
      fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
      fc.option(fc.stringMatching(/^[eE][+-]?[1-9][0-9]?$/), { nil: undefined }),
    )
    .map(
      ([neg, int, frac, exp]) =>
        new NumberValue(`${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}${exp ?? ''}`),
    );
  const bytes = fc.uint8Array({ maxLength: 40 }).map((b) => new Uint8Array(b));
  // A JSON column: maps (names that are not the $set/$binary tags), lists, scalars, sets, binary.
  const { doc } = fc.letrec<{ doc: ItemValue; value: ItemValue }>((tie) => ({
    doc: fc.oneof(
      fc.dictionary(name, tie('value'), { maxKeys: 4 }),
      fc.array(tie('value'), { maxLength: 4 }),
    ),
    value: fc.oneof(
      { depthSize: 'small' },
      text,
      number,
      fc.boolean(),
      fc.constant(null),
      bytes,
      fc.uniqueArray(name, { minLength: 1, maxLength: 4 }).map((a) => new Set(a)),
      tie('doc'),
    ),
  }));
  const item = fc.record(
    {
      id: text.filter((t) => t !== ''),
      s: text,
      t: text,
      n: number,
      ok: fc.boolean(),
      bin: bytes,
      nothing: fc.constant(null),
      doc,
    },
    { requiredKeys: ['id'] },
  ) as fc.Arbitrary<Item>;
  // Any value a column can hold (every CSV type), for columns of mixed types.
  const any = fc.oneof(text, number, fc.boolean(), fc.constant(null), bytes, doc) as fc.Arbitrary<ItemValue>;
  return {
    text,
    any,
    item,
    columns: ['id', 's', 't', 'n', 'ok', 'bin', 'nothing', 'doc'],
    types: { n: 'N', ok: 'BOOL', bin: 'B', nothing: 'NULL', doc: 'JSON' },
  };
}
