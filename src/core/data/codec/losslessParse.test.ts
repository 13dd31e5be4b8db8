import fc from 'fast-check';
import { parse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseLossless } from './losslessParse.js';

/** lossless-json's own outcome for `text`: its value, or its error's message. */
const theirs = (text: string): { value: unknown } | { error: string } => {
  try {
    return { value: parse(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};
const ours = (text: string): { value: unknown } | { error: string } => {
  try {
    return { value: parseLossless(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

/** JSON texts as people and programs write them: spacing, escapes, exact numbers, nesting. */
const jsonText = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string({ unit: 'binary' }).map((s) => JSON.stringify(s)),
      fc.constantFrom('"a\\"b"', '"\\u00e9\\n"', '"\\ud83d\\ude00"', '"\\/"', '"x\\u0000y"'),
      fc.constantFrom('0', '-0', '1.5', '-12e3', '1E+2', '123456789012345678901234567890123456789', '0.10'),
      fc.constantFrom('true', 'false', 'null'),
      fc.array(tie('value'), { maxLength: 4 }).map((a) => `[${a.join(', ')}]`),
      fc
        .array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('a', 'b', '__proto__')), tie('value')), {
          maxLength: 4,
        })
        .map((m) => `{${m.map(([k, v]) => `${JSON.stringify(k)} :${v}`).join(',')}}`),
    ),
  }))
  .value.chain((t) =>
    fc.tuple(fc.constantFrom('', ' ', '\n\t'), fc.constantFrom('', ' ', '\r\n')).map(([a, b]) => a + t + b),
  );

describe('parseLossless', () => {
  it("gives lossless-json's value for every well-formed text", () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        expect(ours(text)).toEqual(theirs(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("gives lossless-json's value or error message for broken texts (cut, a character changed or added)", () => {
    const broken = fc
      .tuple(
        jsonText,
        fc.nat(),
        fc.constantFrom('', '"', '\\', ',', '}', ']', '{', '[', ':', '-', '.', 'e', 'x', '\u0001', ' '),
        fc.boolean(),
      )
      .map(([text, at, c, cut]) => {
        const k = text.length ? at % text.length : 0;
        return cut ? text.slice(0, k) : text.slice(0, k) + c + text.slice(k + (c ? 1 : 0));
      });
    fc.assert(
      fc.property(broken, (text) => {
        expect(ours(text)).toEqual(theirs(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps what lossless-json keeps: exact numbers, a key given twice with equal values, "__proto__" as a member', () => {
    const n = parseLossless('{"n": 12345678901234567890.10, "a": [1, {"b": null}]}') as Record<
      string,
      unknown
    >;
    expect(n).toEqual(parse('{"n": 12345678901234567890.10, "a": [1, {"b": null}]}'));
    expect(String(n.n)).toBe('12345678901234567890.10');
    expect(parseLossless('{"a": 1, "a": 1}')).toEqual({ a: parse('1') });
    for (const text of [
      '{"a": {"x": [1, "s"]}, "b": 2, "a": {"x": [1, "s"]}}',
      '{"a": 1, "a": 1.0}',
      '{"a": {"x": 1}, "a": {"x": 1, "y": null}}',
      '{"__proto__": 1, "__proto__": 1}',
      '{"__proto__": 1, "__proto__": 2}',
    ]) {
      expect(ours(text)).toEqual(theirs(text));
    }
    expect(() => parseLossless('{"a": 1, "a": 2}')).toThrow("Duplicate key 'a' encountered at position 10");
    const proto = parseLossless('{"__proto__": {"x": true}}') as object;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(['__proto__']);
  });

  it('says where a text of megabytes breaks without reading it again a character at a time', () => {
    const big = 'x'.repeat(2 << 20);
    expect(() => parseLossless(`{"id": "k", "blob": "${big}\t"}`)).toThrow(
      new SyntaxError(`Invalid JSON at position ${21 + big.length}`),
    );
    expect(() => parseLossless(`{"id": "k", "blob": "${big}"`)).toThrow(/^Invalid JSON at position \d+$/);
  });

  it('reads a string of megabytes as one slice (lossless-json built it a character at a time)', () => {
    const big = 'x'.repeat(8 << 20);
    const v = parseLossless(`{"id": "k", "blob": "${big}", "e": "a\\nb${big}"}`) as Record<string, string>;
    expect(v.blob).toBe(big);
    expect(v.e).toBe(`a\nb${big}`);
  });
});
