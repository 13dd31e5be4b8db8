import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../../test/support/fakeIo.js';
import { DdbError } from '../../core/errors.js';
import type { OutputFormat } from '../context.js';
import {
  cell,
  displayWidth,
  fitColumns,
  printItem,
  printItems,
  printOutput,
  printPairs,
  printTable,
  textCell,
} from './render.js';

const captureIo = (columns?: number) => fakeIo(columns ? { columns } : {});

describe('cells of a table', () => {
  it('shows "" apart from a missing attribute, and the string "1" apart from the number 1', () => {
    expect(cell(undefined)).toBe('');
    expect(cell('')).toBe('""');
    expect(cell('1')).toBe('"1"');
    expect(cell(new NumberValue('1'))).toBe('1');
    expect(cell('true')).toBe('"true"');
    expect(cell(true)).toBe('true');
    expect(cell('null')).toBe('"null"');
    expect(cell(null)).toBe('null');
    expect(cell('{"$set":["a"]}')).toBe('"{\\"$set\\":[\\"a\\"]}"');
    expect(cell(new Set(['a']))).toBe('{"$set":["a"]}');
    expect(cell(' padded ')).toBe('" padded "');
    // Plain text stays as it is.
    expect(cell('ada')).toBe('ada');
    expect(cell('C:\\dir 1')).toBe('C:\\dir 1');
    expect(cell('2026-01-01')).toBe('2026-01-01');
  });

  it('escapes control characters of stored data, at any depth, so none reaches the terminal raw', () => {
    expect(textCell('x\x1b[2Jy\rz')).toBe('"x\\u001b[2Jy\\rz"');
    expect(cell({ a: ['\x1b]0;title\x07', '\x9b31m', '\u202eevil'] })).toBe(
      '{"a":["\\u001b]0;title\\u0007","\\u009b31m","\\u202eevil"]}',
    );
    const { io, out } = captureIo();
    printTable(io, ['a\x1bb'], [[cell('\x1b[2J\r\n')]]);
    for (const c of ['\x1b', '\x9b', '\r']) expect(out()).not.toContain(c);
  });

  it('measures wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('tables fitted to the terminal', () => {
  it('keeps narrow columns and shares the rest, borders included', () => {
    expect(fitColumns([5, 5], 80)).toBeUndefined();
    const w = fitColumns([5, 100, 200], 60);
    expect(w?.[0]).toBe(5);
    expect((w ?? []).reduce((a, b) => a + b, 0) + 4).toBeLessThanOrEqual(60);
  });

  it('cuts long cells with "…" so that no line is wider than the terminal', () => {
    const { io, out } = captureIo(40);
    printTable(io, ['id', 'text'], [['a', 'x'.repeat(200)]]);
    const lines = out().trimEnd().split('\n');
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(out()).toContain('…');
  });

  it('wraps a long value of one item (and of describe-table) instead of cutting it', () => {
    const { io, out } = captureIo(40);
    printItem(io, 'table', { id: 'a', text: 'q'.repeat(100) });
    for (const l of out().trimEnd().split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(out().match(/q/g)?.length).toBe(100);
    const pairs = captureIo(30);
    printPairs(pairs.io, [['arn', `arn:aws:dynamodb:${'z'.repeat(60)}`]]);
    for (const l of pairs.out().trimEnd().split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(30);
  });

  it('off a terminal (no width), prints the whole table', () => {
    const { io, out } = captureIo();
    printTable(io, ['id', 'text'], [['a', 'x'.repeat(200)]]);
    expect(out()).toContain('x'.repeat(200));
  });
});

describe('the output modes', () => {
  const result = {
    json: { table: 'T', n: new NumberValue('12345678901234567890123') },
    lines: [{ a: 1 }, 'b'],
    raw: [{ A: { N: '1' } }],
    table: () => {},
  };
  it('json: one document; ndjson: one value a line; raw: DynamoDB shapes one a line', () => {
    const json = captureIo();
    printOutput(json.io, 'json', result);
    expect(json.out()).toBe('{\n  "table": "T",\n  "n": 12345678901234567890123\n}\n');
    const nd = captureIo();
    printOutput(nd.io, 'ndjson', result);
    expect(nd.out()).toBe('{"a":1}\n"b"\n');
    const raw = captureIo();
    printOutput(raw.io, 'raw', result);
    expect(raw.out()).toBe('{"A":{"N":"1"}}\n');
    const fallback = captureIo();
    printOutput(fallback.io, 'raw', { json: { x: 1 }, table: () => {} });
    expect(fallback.out()).toBe('{"x":1}\n');
  });

  it('an item in raw is one line of DynamoDB JSON', () => {
    const { io, out } = captureIo();
    printItem(io, 'raw', { id: 'a', n: new NumberValue('1'), b: new Uint8Array([0, 1]) });
    expect(out()).toBe('{"id":{"S":"a"},"n":{"N":"1"},"b":{"B":"AAE="}}\n');
  });

  it.each(['json', 'ndjson', 'raw', 'table'] as OutputFormat[])(
    'printItems -o %s writes nothing when the read fails before its first page',
    async (format) => {
      const { io, out } = captureIo();
      // biome-ignore lint/correctness/useYield: a read that fails at once
      async function* failing(): AsyncGenerator<never> {
        throw new DdbError('input.expression', { message: 'bad projection' });
      }
      await expect(printItems(io, format, failing())).rejects.toThrow('bad projection');
      expect(out()).toBe('');
    },
  );

  it.each(['json', 'ndjson', 'raw'] as OutputFormat[])(
    'printItems -o %s leaves no partial value when the second page fails',
    async (format) => {
      const { io, out } = captureIo();
      async function* second(): AsyncGenerator<{ id: string }[]> {
        yield [{ id: 'a' }, { id: 'b' }];
        throw new DdbError('service.error', { message: 'page 2 failed' });
      }
      await expect(printItems(io, format, second())).rejects.toThrow('page 2 failed');
      // json: nothing (the document was not complete); ndjson and raw: the whole lines read before.
      if (format === 'json') expect(out()).toBe('');
      else
        expect(
          out()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
        ).toHaveLength(2);
    },
  );

  it('printItems -o json of no items is an empty array', async () => {
    const { io, out } = captureIo();
    async function* none() {
      yield [];
    }
    expect(await printItems(io, 'json', none())).toBe(0);
    expect(JSON.parse(out())).toEqual([]);
  });
});
