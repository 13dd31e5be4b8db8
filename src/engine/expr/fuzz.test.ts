/**
 * Random expression text never crashes the parsers: each input parses, or is refused with an
 * EngineError (DynamoDB's answer), never a TypeError or a hang. What parses also evaluates,
 * updates and projects ITEM without crashing.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import type { Item } from '../types.js';
import {
  applyUpdate,
  ExprContext,
  evaluate,
  parseCondition,
  parseProjection,
  parseUpdate,
  project,
} from './index.js';
import { ITEM } from './oracle/cases.mjs';

const PIECES = [
  'a',
  'n',
  's',
  'l',
  'm',
  'ss',
  'ns',
  '#n',
  '#m',
  ':v',
  ':n',
  ':l',
  ':zz',
  'status',
  'size',
  '.',
  '[0]',
  '[1]',
  '[',
  ']',
  '(',
  ')',
  ',',
  '=',
  '<>',
  '<',
  '<=',
  '>',
  '>=',
  '+',
  '-',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  'size(',
  'attribute_exists(',
  'attribute_type(',
  'begins_with(',
  'contains(',
  'if_not_exists(',
  'list_append(',
  ' ',
  ' ',
  '@',
  ':',
  '#',
  '0',
  '01',
  '_x',
];

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function randomText(next: () => number): string {
  const n = 1 + Math.floor(next() * 12);
  let out = '';
  for (let i = 0; i < n; i++) out += `${PIECES[Math.floor(next() * PIECES.length)]} `;
  return out;
}

function survives(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
  }
}

describe('random expressions', () => {
  it('are parsed or refused with an EngineError, and what parses runs', () => {
    const next = rng(13);
    const names = { '#n': 'n', '#m': 'm' };
    const values = { ':v': { S: '1' }, ':n': { N: '1' }, ':l': { L: [] }, ':s': { SS: ['a'] } };
    const item = ITEM as Item;
    for (let i = 0; i < 4000; i++) {
      const text = randomText(next);
      survives(() =>
        evaluate(parseCondition(new ExprContext(names, values), text, 'ConditionExpression'), item),
      );
      survives(() => applyUpdate(parseUpdate(new ExprContext(names, values), `SET ${text}`), item));
      survives(() => applyUpdate(parseUpdate(new ExprContext(names, values), text), item));
      survives(() => project(item, parseProjection(new ExprContext(names, values), text)));
    }
    expect(true).toBe(true);
  });
});
