import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../types.js';
import { itemSize } from './size.js';

// Sizes measured on DynamoDB Local 3.3.1: the largest padding string its 400 KB limit accepts
// next to each attribute gives the attribute's exact size (name + value).
const MEASURED: [Record<string, AttributeValue>, number][] = [
  [{ n: { N: '1' } }, 3],
  [{ n: { N: '12' } }, 3],
  [{ n: { N: '123' } }, 4],
  [{ n: { N: '-1' } }, 4],
  [{ n: { N: '0.1' } }, 3],
  [{ n: { N: '10' } }, 3],
  [{ n: { N: '100' } }, 3],
  [{ n: { N: '1000' } }, 3],
  [{ n: { N: '0' } }, 2],
  [{ n: { N: '-123.45' } }, 6],
  [{ n: { N: '1E+100' } }, 3],
  [{ n: { N: '12345678901234567890123456789012345678' } }, 21],
  [{ n: { N: '0.001' } }, 3],
  [{ n: { N: '0.0012' } }, 3],
  [{ b: { B: 'AAEC' } }, 4],
  [{ t: { BOOL: true } }, 2],
  [{ z: { NULL: true } }, 2],
  [{ l: { L: [] } }, 4],
  [{ l: { L: [{ S: 'ab' }, { N: '1' }] } }, 10],
  [{ m: { M: {} } }, 4],
  [{ m: { M: { ab: { S: 'cd' } } } }, 9],
  [{ s: { SS: ['a', 'bc'] } }, 4],
  [{ s: { NS: ['1', '23'] } }, 5],
  [{ s: { BS: ['AA==', 'AAE='] } }, 4],
  [{ é: { S: 'é' } }, 4],
  [{ m: { M: { x: { L: [{ M: {} }] } } } }, 13],
];

describe('itemSize', () => {
  for (const [item, size] of MEASURED)
    it(`${JSON.stringify(item)} is ${size} bytes`, () => expect(itemSize(item)).toBe(size));
});
