import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../../test/support/fakeIo.js';
import { cell, displayWidth, fitColumns, printTable, textCell } from './text.js';

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

  it('off a terminal (no width), prints the whole table', () => {
    const { io, out } = captureIo();
    printTable(io, ['id', 'text'], [['a', 'x'.repeat(200)]]);
    expect(out()).toContain('x'.repeat(200));
  });
});
