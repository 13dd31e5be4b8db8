import { describe, expect, it } from 'vitest';
import { arrangeColumns, discoverColumns, moveColumn } from './columns.js';
import type { DdbItem } from './ddb.js';

describe('the items grid’s columns', () => {
  it('puts the keys first, then each name where the rows first show it, once', () => {
    const rows: DdbItem[] = [
      { id: { S: 'a' }, b: { N: '1' }, a: { N: '2' } },
      { c: { S: 'x' }, id: { S: 'b' }, b: { N: '3' } },
    ];
    expect(discoverColumns(['g', 'id', 'id'], rows)).toEqual(['g', 'id', 'b', 'a', 'c']);
    expect(discoverColumns(['', 'id'], [])).toEqual(['id']);
  });

  it('keeps the user’s order, drops names no longer loaded, appends new ones', () => {
    expect(arrangeColumns(['c', 'gone', 'a'], ['id', 'a', 'b', 'c'])).toEqual(['c', 'a', 'id', 'b']);
  });

  it('moves a column one place, and not past an end', () => {
    expect(moveColumn(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'c', 1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'x', 1)).toEqual(['a', 'b', 'c']);
  });
});
