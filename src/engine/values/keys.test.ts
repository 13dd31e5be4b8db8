// Property tests of the key encoding: plain string order of the encoded keys is DynamoDB's order
// (S by UTF-8 bytes, B by bytes, N by value), composite keys order by partition then sort key and
// never run into each other, and parallel-scan segments share out every hash exactly once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberText } from '../../../test/support/arbitraries.js';
import { compareDecimal, decimalProblem, parseDecimal } from '../../ddb/numbers.js';
import type { AttributeValue, ScalarType } from '../types.js';
import { END, hash32, hex8, orderBytes, part, partitionPrefix, segmentBounds } from './keys.js';

const RUNS = { numRuns: 2000 };
const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Strings that meet at the places where UTF-16 order and UTF-8 order disagree: U+E000–U+FFFF
// against characters above U+FFFF (surrogate pairs), plus 0x00 (escaped in parts) and latin1.
const tricky = fc.constantFrom(
  '\0',
  '\x01',
  'a',
  '\x7f',
  '\x80',
  'ÿ',
  'Ā',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '😀',
  '𐀀',
  '\u{10ffff}',
);
const sValue = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
  fc.string({ unit: tricky, minLength: 1, maxLength: 5 }),
);
const bValue = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 8 }),
  fc
    .array(fc.constantFrom(0, 1, 0x7f, 0x80, 0xff), { minLength: 1, maxLength: 5 })
    .map((a) => Uint8Array.from(a)),
);
// Numbers: any valid one (38 digits, 1E-130 to 9.99E+125, negative), and numbers that share
// leading digits and exponents (where an encoding goes wrong) written in different forms.
const nearNumber = fc
  .tuple(
    fc.boolean(),
    fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: 1, maxLength: 38 }),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('', '0', '00'),
  )
  .map(([neg, digits, exp, zeros]) => `${neg ? '-' : ''}${digits}${zeros}e${exp}`);
const nValue = fc
  .oneof(
    numberText,
    nearNumber,
    fc.constantFrom(
      '0',
      '-0',
      '1E-130',
      '-1E-130',
      '9.9999999999999999999999999999999999999E+125',
      '-9.9999999999999999999999999999999999999E+125',
    ),
  )
  .filter((t) => decimalProblem(parseDecimal(t)!) === undefined);

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const av = {
  S: (s: string): AttributeValue => ({ S: s }),
  B: (b: Uint8Array): AttributeValue => ({ B: Buffer.from(b).toString('base64') }),
  N: (n: string): AttributeValue => ({ N: n }),
};

describe('key encoding order', () => {
  it('S: by UTF-8 bytes, not UTF-16 units', () => {
    fc.assert(
      fc.property(sValue, sValue, (a, b) => {
        expect(sign(cmpStr(part(av.S(a), 'S'), part(av.S(b), 'S')))).toBe(
          sign(Buffer.compare(utf8(a), utf8(b))),
        );
      }),
      RUNS,
    );
    // The case UTF-16 gets wrong: U+FFFF sorts before U+10000 in UTF-8.
    expect(part(av.S('\uffff'), 'S') < part(av.S('𐀀'), 'S')).toBe(true);
    expect('\uffff' < '𐀀').toBe(false);
  });

  it('S: the order string is the UTF-8 bytes as chars, ASCII (kept as it is) or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), sValue), (a) => {
        expect(orderBytes(av.S(a), 'S')).toBe(utf8(a).toString('latin1'));
      }),
      RUNS,
    );
    expect(part(av.S('a\0b\x7f'), 'S')).toBe('a\0\x01b\x7f\0\0');
    expect(orderBytes(av.S('é'), 'S')).toBe('\xc3\xa9');
  });

  it('B: by bytes', () => {
    fc.assert(
      fc.property(bValue, bValue, (a, b) => {
        expect(sign(cmpStr(part(av.B(a), 'B'), part(av.B(b), 'B')))).toBe(sign(Buffer.compare(a, b)));
      }),
      RUNS,
    );
  });

  it('N: by value, whatever the form (equal values encode equal)', () => {
    fc.assert(
      fc.property(nValue, nValue, (a, b) => {
        const want = sign(compareDecimal(parseDecimal(a)!, parseDecimal(b)!));
        expect(sign(cmpStr(part(av.N(a), 'N'), part(av.N(b), 'N')))).toBe(want);
      }),
      RUNS,
    );
    const ordered = [
      '-1E+125',
      '-100',
      '-10',
      '-1.5',
      '-1',
      '-0.11',
      '-0.1',
      '-1E-130',
      '0',
      '1E-130',
      '0.1',
      '0.11',
      '1',
      '1.5',
      '10',
      '100',
      '1E+125',
    ];
    const enc = ordered.map((n) => part(av.N(n), 'N'));
    expect([...enc].sort()).toEqual(enc);
    expect(part(av.N('1.50'), 'N')).toBe(part(av.N('15e-1'), 'N'));
    expect(part(av.N('-0'), 'N')).toBe(part(av.N('0.000'), 'N'));
  });

  it('composite keys: by partition then sort key, and a partition`s keys all share its prefix and no other', () => {
    const scalar = (t: ScalarType) =>
      t === 'S' ? sValue.map(av.S) : t === 'B' ? bValue.map(av.B) : nValue.map(av.N);
    const typed = fc
      .constantFrom<ScalarType>('S', 'B', 'N')
      .chain((t) => fc.tuple(fc.constant(t), scalar(t), scalar(t)));
    fc.assert(
      fc.property(typed, typed, ([pt, p1, p2], [st, s1, s2]) => {
        const key = (p: AttributeValue, s: AttributeValue) => partitionPrefix(p, pt) + part(s, st);
        const pc = cmpStr(partitionPrefix(p1, pt), partitionPrefix(p2, pt));
        const sc = cmpStr(part(s1, st), part(s2, st));
        // Same partition: the sort key decides; different partitions: the prefixes decide, whatever the sort keys.
        expect(sign(cmpStr(key(p1, s1), key(p2, s2)))).toBe(pc === 0 ? sc : pc);
        for (const [p, s] of [
          [p1, s1],
          [p2, s2],
        ] as const) {
          const pre = partitionPrefix(p, pt);
          const k = key(p, s);
          expect(k.startsWith(pre) && k < pre + END).toBe(true);
          const other = partitionPrefix(p === p1 ? p2 : p1, pt);
          if (other !== pre) expect(k.startsWith(other)).toBe(false);
        }
        // The hash comes first: the partition prefix is hex8(hash of the partition's part).
        expect(partitionPrefix(p1, pt).slice(0, 8)).toBe(hex8(hash32(part(p1, pt))));
      }),
      RUNS,
    );
  });

  it('parts are prefix-free: no part begins with another, different, part', () => {
    fc.assert(
      fc.property(
        fc.oneof(sValue.map(av.S), bValue.map(av.B)),
        fc.oneof(sValue.map(av.S), bValue.map(av.B)),
        (a, b) => {
          const pa = part(a, 'S' in a ? 'S' : 'B');
          const pb = part(b, 'S' in b ? 'S' : 'B');
          if (pa !== pb) expect(pa.startsWith(pb) || pb.startsWith(pa)).toBe(false);
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(nValue, nValue, (a, b) => {
        const pa = part(av.N(a), 'N');
        const pb = part(av.N(b), 'N');
        if (pa !== pb) expect(pa.startsWith(pb) || pb.startsWith(pa)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('segmentBounds', () => {
  it('puts every hash in exactly one segment, the segments in order and touching', () => {
    const total = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 1_000_000 }));
    const hash = fc.oneof(fc.nat({ max: 2 ** 32 - 1 }), fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1));
    fc.assert(
      fc.property(total, hash, fc.string({ unit: 'binary', maxLength: 4 }), (n, h, rest) => {
        const key = hex8(h) + rest;
        const inside = (s: number) => {
          const b = segmentBounds(s, n);
          return key >= b.from && (b.to === undefined || key < b.to);
        };
        // The segment it belongs to, found by where h falls; then no other segment holds it.
        const s = Math.min(n - 1, Math.floor((h * n) / 2 ** 32));
        const owners = [s - 1, s, s + 1].filter((i) => i >= 0 && i < n && inside(i));
        expect(owners).toHaveLength(1);
        const first = segmentBounds(0, n);
        const last = segmentBounds(n - 1, n);
        expect(first.from).toBe('00000000');
        expect(last.to).toBeUndefined();
        if (s > 0) expect(segmentBounds(s - 1, n).to).toBe(segmentBounds(s, n).from);
      }),
      RUNS,
    );
    for (const n of [1, 2, 3, 7, 1000]) {
      const b = Array.from({ length: n }, (_, i) => segmentBounds(i, n));
      for (let i = 1; i < n; i++) expect(b[i - 1]!.to).toBe(b[i]!.from);
      expect(b.every((x, i) => i === n - 1 || (x.to !== undefined && x.from < x.to))).toBe(true);
    }
  });
});
