// kill -9 while transactions are being written (issue 15): after each kill the data dir reopens
// with every acknowledged transaction wholly there, and of the one being written when the kill
// came, all of its items or none; nothing of any later one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runAndKill as runKill } from '../../../test/support/killAfterAcks.js';
import { A_ITEMS, B_ITEMS, TABLE_A, TABLE_B } from '../../../test/support/transactCrashChild.js';
import { DdbEngine } from '../engine.js';
import { openStore } from '../store/index.js';

const root = resolve(import.meta.dirname, '../../..');
const child = join(root, 'test/support/transactCrashChild.ts');
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-tx-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runAndKill = (acks: number) => runKill(child, dir, acks);

async function call(engine: DdbEngine, op: string, body: unknown): Promise<Record<string, unknown>> {
  const a = await engine.handle(`DynamoDB_20120810.${op}`, JSON.stringify(body));
  expect(a.status, a.body).toBe(200);
  return JSON.parse(a.body) as Record<string, unknown>;
}

/** The items of each table, by transaction number, and the counter. */
async function state(): Promise<{
  counter: number;
  a: Map<number, number>;
  b: Map<number, number>;
  gsi: number;
  bItems: number;
}> {
  const store = openStore({ dir });
  const engine = new DdbEngine({ store, transitionMs: 0 });
  try {
    const count = async (TableName: string, IndexName?: string) => {
      const by = new Map<number, number>();
      let total = 0;
      let start: unknown;
      do {
        const page = await call(engine, 'Scan', { TableName, IndexName, ExclusiveStartKey: start });
        for (const it of page.Items as { pk: { S: string } }[]) {
          total++;
          const m = /^t(\d+)/.exec(it.pk.S);
          if (m) by.set(Number(m[1]), (by.get(Number(m[1])) ?? 0) + 1);
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return { by, total };
    };
    const got = await call(engine, 'GetItem', { TableName: TABLE_A, Key: { pk: { S: 'counter' } } });
    const counter = Number((got.Item as { n: { N: string } }).n.N);
    const a = await count(TABLE_A);
    const b = await count(TABLE_B);
    const gsi = await count(TABLE_B, 'byG');
    return { counter, a: a.by, b: b.by, gsi: gsi.total, bItems: b.total };
  } finally {
    engine.stop();
    await store.close();
  }
}

// Six writers (each a node with tsx): about 10 s here, more on a loaded machine.
it('keeps each transaction wholly or not at all across rounds of kill -9', { timeout: 180_000 }, async () => {
  let acked = -1;
  for (const acks of [40, 400, 1, 150, 900, 60]) {
    const last = await runAndKill(acks);
    expect(last).toBeGreaterThan(acked);
    acked = last;
    const s = await state();
    // The transaction being written when the kill came may be there (whole) or not.
    expect(s.counter).toBeGreaterThanOrEqual(acked);
    expect(s.counter).toBeLessThanOrEqual(acked + 1);
    for (let i = 0; i <= s.counter; i++) {
      expect(s.a.get(i), `transaction ${i} in ${TABLE_A}`).toBe(A_ITEMS);
      expect(s.b.get(i), `transaction ${i} in ${TABLE_B}`).toBe(B_ITEMS);
    }
    expect(Math.max(...s.a.keys(), ...s.b.keys())).toBe(s.counter);
    // The index holds exactly the table's items.
    expect(s.gsi).toBe(s.bItems);
    acked = s.counter;
  }
});
