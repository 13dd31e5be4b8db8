// Turns a list of cases into tests: each case runs on DynamoDB Local and on our engine, on tables
// of its own (dropped after), and the normalised answers must be equal step by step.
import { describe, expect, inject, it } from 'vitest';
import { type Case, dropTables, newNames, runCase } from './harness.js';

export function differential(title: string, cases: Case[]): void {
  const oracle = inject('oracle');
  const ours = inject('endpoint');
  if (!oracle.startsWith('http')) {
    // Stated, not silent: the reason shows as the skipped test's name.
    it.skip(`${title}: DynamoDB Local ${oracle}`, () => {});
    return;
  }
  describe(title, () => {
    const seen = new Set<string>();
    for (const c of cases) {
      if (seen.has(c.name)) throw new Error(`two cases named "${c.name}" in ${title}`);
      seen.add(c.name);
      it(c.name, async () => {
        const names = newNames();
        try {
          const [want, got] = await Promise.all([runCase(oracle, c, names), runCase(ours, c, names, true)]);
          expect(got, 'our engine (received) vs DynamoDB Local (expected)').toEqual(want);
        } finally {
          await Promise.all([dropTables(oracle, names, c.cleanup), dropTables(ours, names, c.cleanup)]);
        }
      });
    }
  });
}
