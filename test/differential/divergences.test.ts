// Every divergence the differential suite knows points to a line of the one list,
// src/engine/DIVERGENCES.md (one line each, no two entries on an ambiguous piece).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIVERGENCES, type Divergence } from './divergences.js';

const list = readFileSync(new URL('../../src/engine/DIVERGENCES.md', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('- '));

describe('divergences point to src/engine/DIVERGENCES.md', () => {
  for (const [id, d] of Object.entries(DIVERGENCES as Record<string, Divergence>)) {
    it(id, () => {
      for (const piece of [d.line].flat()) {
        expect(
          list.filter((l) => l.includes(piece)),
          `"${piece}" in exactly one line`,
        ).toHaveLength(1);
      }
    });
  }
});
