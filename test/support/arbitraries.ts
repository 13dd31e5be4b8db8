// Random items of every DynamoDB type, for the property-based round trips (fast-check): strings
// with any unicode (empty too), numbers of up to 38 significant digits at the ends of DynamoDB's
// range, binary, sets, nested lists and maps, maps shaped like the plain-JSON tags ($set, $binary,
// $map) and unicode attribute names.
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { type Item, type ItemValue, normalizeNumber } from '../../src/core/data/codec.js';
import { numberProblem } from '../../src/core/data/validate.js';

const TAG_NAMES = ['$set', '$binary', '$map'];

/** Attribute names: unicode, the tags' names, and names with quotes, dots and spaces. */
export const attributeName: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom(...TAG_NAMES, 'a.b', 'with space', '"q"', 'Item', 'é日本🌍') },
  )
  // NOTE: the SDK's marshall drops "__proto__" (ddbctl refuses it); tested apart.
  .filter((n) => n !== '__proto__');

/** Text of a string value: any unicode grapheme, empty included. */
export const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' ', 'quote " and \\ and \u0001', '{"$binary":"AAE="}', '1', 'true', 'null'),
);

/**
 * Number text in JSON's syntax that DynamoDB keeps exactly: up to 38 significant digits, magnitude
 * from 1E-130 to 9.99…E+125, as an integer, a decimal or with an exponent.
 */
export const numberText: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.integer({ min: 1, max: 9 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 37 }),
    fc.integer({ min: -130, max: 125 }),
    fc.constantFrom('int', 'decimal', 'exponent', 'zero'),
  )
  .map(([negative, lead, rest, exp, form]) => {
    const sign = negative ? '-' : '';
    if (form === 'zero') return negative ? '-0' : '0';
    if (form === 'int') return `${sign}${lead}${rest}`;
    if (form === 'decimal') return `${sign}${lead}${rest.length ? `.${rest}` : ''}`;
    // The exponent of the leading digit is `exp`, within the range whatever the digits.
    return `${sign}${lead}${rest.length ? `.${rest}` : ''}e${exp}`;
  })
  .filter((t) => numberProblem(t) === undefined);

const bytes = fc.uint8Array({ maxLength: 24 });
const setBytes = fc.uint8Array({ minLength: 1, maxLength: 12 });
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** A value of any type, nested up to `depth` levels of lists and maps. */
export function itemValue(depth = 3): fc.Arbitrary<ItemValue> {
  const { value } = fc.letrec<{ value: ItemValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true, maxDepth: depth },
      text,
      numberText.map((t) => new NumberValue(t)),
      bytes,
      fc.boolean(),
      fc.constant(null),
      // Sets hold each value once: numbers by value (1 and 1.0 are one), binary by bytes.
      fc
        .uniqueArray(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 4,
        })
        .map((a) => new Set(a)),
      fc
        .uniqueArray(numberText, { minLength: 1, maxLength: 4, selector: normalizeNumber })
        .map((a) => new Set(a.map((t) => new NumberValue(t)))),
      fc.uniqueArray(setBytes, { minLength: 1, maxLength: 3, selector: b64 }).map((a) => new Set(a)),
      fc.array(tie('value'), { maxLength: 4 }),
      mapOf(tie('value')),
      // Maps shaped like the tags: {"$set": ...}, {"$binary": ...}, {"$map": ...}.
      fc
        .tuple(fc.constantFrom(...TAG_NAMES), tie('value'))
        .map(([k, v]) => Object.fromEntries([[k, v]]) as Record<string, ItemValue>),
    ),
  }));
  return value;
}

function mapOf(value: fc.Arbitrary<ItemValue>): fc.Arbitrary<Record<string, ItemValue>> {
  return fc
    .uniqueArray(fc.tuple(attributeName, value), { maxLength: 4, selector: ([k]) => k })
    .map((entries) => Object.fromEntries(entries) as Record<string, ItemValue>);
}

/** An item: 1 to 6 attributes of any type, sometimes one alone named like a tag. */
export const item: fc.Arbitrary<Item> = fc.oneof(
  { weight: 5, arbitrary: mapOf(itemValue()).filter((m) => Object.keys(m).length > 0) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...TAG_NAMES), itemValue(2))
      .map(([k, v]) => Object.fromEntries([[k, v]]) as Item),
  },
);

/** An item with a string partition key `pk` (unique per index) for a table keyed on it. */
export function keyedItem(pk: string): fc.Arbitrary<Item> {
  return item.map(
    (i) => Object.fromEntries([['pk', pk], ...Object.entries(i).filter(([k]) => k !== 'pk')]) as Item,
  );
}

/**
 * An item's canonical text, for comparing items as DynamoDB sees them: types exact, numbers by value
 * (DynamoDB answers `1.50` as `1.5`), sets in any order, map names sorted.
 */
export function canonical(i: Item | ItemValue): string {
  const walk = (v: ItemValue): unknown => {
    if (v instanceof NumberValue) return { N: normalizeNumber(v.value) };
    if (v instanceof Uint8Array) return { B: Buffer.from(v).toString('base64') };
    if (typeof v === 'string') return { S: v };
    if (v === null || typeof v === 'boolean') return v;
    if (v instanceof Set) return { set: [...v].map((e) => JSON.stringify(walk(e as ItemValue))).sort() };
    if (Array.isArray(v)) return v.map(walk);
    return {
      M: Object.keys(v)
        .sort()
        .map((k) => [k, walk(v[k] as ItemValue)]),
    };
  };
  return JSON.stringify(walk(i));
}
