// The library as a program uses it (through src/index.ts, the package's entry): plain JS numbers
// wherever a number goes, exactly or refused with the reason; every refusal a DdbError with a code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchGet,
  batchWrite,
  createTable,
  DdbError,
  deleteItem,
  deleteTable,
  executeStatementAll,
  getItem,
  getKeySchema,
  type ImportReject,
  importItems,
  itemSize,
  NumberValue,
  putItem,
  queryPages,
  type ReadRecord,
  transactGet,
  transactWrite,
  updateItem,
  validateItem,
  waitForTable,
} from '../../src/index.js';
import { engineName, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
const T = uniqueName('lib');

beforeAll(async () => {
  await createTable(clients, {
    tableName: T,
    partitionKey: { name: 'id', type: 'N' },
    sortKey: { name: 'at', type: 'N' },
    throughput: 'on-demand',
  });
  await waitForTable(clients, T, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
});
afterAll(async () => {
  await deleteTable(clients, T).catch(() => {});
  clients.destroy();
});

/** The DdbError `run` throws (a failure of the test when it throws anything else, or nothing). */
async function refusal(run: () => unknown): Promise<DdbError> {
  try {
    await run();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(DdbError);
    return e as DdbError;
  }
  throw new Error('expected a DdbError, nothing was thrown');
}

const num = (v: unknown) => (v as NumberValue).value;

describe(`the library takes plain JS numbers on ${engineName()}`, () => {
  it('as key values and attributes of put, get, update, delete and query', async () => {
    await putItem(clients, T, {
      id: 1,
      at: 2n,
      price: 0.1,
      big: new NumberValue('12345678901234567890'),
      tags: new Set([1, 2]),
    });
    const got = await getItem(clients, T, { id: 1, at: 2 });
    expect(got.found).toBe(true);
    if (!got.found) return;
    expect(num(got.item.id)).toBe('1');
    expect(num(got.item.at)).toBe('2');
    expect(num(got.item.price)).toBe('0.1');
    expect(num(got.item.big)).toBe('12345678901234567890');
    expect([...(got.item.tags as Set<NumberValue>)].map(num).sort()).toEqual(['1', '2']);

    const updated = await updateItem(
      clients,
      T,
      { id: 1, at: 2 },
      { expression: 'SET n = :n', values: { ':n': 1.5 } },
    );
    expect(num(updated.item?.n)).toBe('1.5');
    const schema = await getKeySchema(clients, T);
    const pages: unknown[] = [];
    for await (const page of queryPages(clients, T, schema, {
      partitionValue: 1,
      sortKey: { op: '>=', values: [2] },
    }))
      pages.push(...page);
    expect(pages).toHaveLength(1);
    expect((await deleteItem(clients, T, { id: 1, at: 2 })).deleted).toBe(true);
  });

  it('as PartiQL parameters', async () => {
    await putItem(clients, T, { id: 7, at: 1 });
    const sql = await executeStatementAll(clients, `SELECT * FROM "${T}" WHERE "id" = ? AND "at" = ?`, {
      params: [7, 1],
    });
    expect(sql).toHaveLength(1);
  });

  it('in records imported from a program (importItems), an undefined attribute rejected with its line', async () => {
    async function* records(): AsyncIterable<ReadRecord> {
      yield { line: 1, offset: 10, item: { id: 8, at: 1, n: 2 } as never };
      yield { line: 2, offset: 20, item: { id: 8, at: 2, gone: undefined } as never };
    }
    const rejects: ImportReject[] = [];
    const r = await importItems(clients, T, records(), { onReject: (x) => rejects.push(x) });
    expect(r).toMatchObject({ read: 2, written: 1, rejected: 1 });
    expect(rejects[0]?.line).toBe(2);
    expect(rejects[0]?.reason).toContain('gone: the value is undefined');
    const got = await getItem(clients, T, { id: 8, at: 1 });
    expect(got.found && num(got.item.n)).toBe('2');
  });

  it('in batch writes and batch gets', async () => {
    const w = await batchWrite(clients, T, [{ put: { id: 3, at: 1, v: 7 } }, { put: { id: 3, at: 2 } }]);
    expect(w.failed).toEqual([]);
    const r = await batchGet(clients, T, [
      { id: 3, at: 1 },
      { id: 3, at: 2 },
      { id: 3, at: 3 },
    ]);
    expect(r.items.map((i) => num(i.at)).sort()).toEqual(['1', '2']);
    expect(r.missing).toHaveLength(1);
    await batchWrite(clients, T, [{ delete: { id: 3, at: 1 } }, { delete: { id: 3, at: 2 } }]);
  });

  it('in transactions', async () => {
    await transactWrite(clients, [{ put: { table: T, item: { id: 4, at: 1, v: 2 } } }]);
    const [item] = await transactGet(clients, [{ table: T, key: { id: 4, at: 1 } }]);
    expect(num(item?.v)).toBe('2');
  });

  it('refuses numbers it cannot store exactly, with the reason, before sending', async () => {
    for (const [value, why] of [
      [Number.NaN, 'no NaN or Infinity'],
      [Number.POSITIVE_INFINITY, 'no NaN or Infinity'],
      [2 ** 53, 'pass new NumberValue'],
      [1e-200, 'smaller than'],
      [10n ** 40n + 1n, 'significant digits'],
    ] as const) {
      const e = await refusal(() => putItem(clients, T, { id: 5, at: 1, x: value }));
      expect(e.code).toBe('input.item');
      expect(e.message).toContain('x');
      expect(e.message).toContain(why);
    }
    const key = await refusal(() => getItem(clients, T, { id: 2 ** 60, at: 1 }));
    expect(key.code).toBe('input.item');
    expect(key.message).toContain('key: id:');
  });
});

describe(`an undefined attribute is a DdbError on ${engineName()}`, () => {
  const expectUndefined = (e: DdbError, name: string) => {
    expect(e.code).toBe('input.item');
    expect(e.message).toContain(name);
    expect(e.message).toContain('remove the attribute, or use null');
  };
  it('wherever an item enters the library', async () => {
    expectUndefined(
      await refusal(() => putItem(clients, T, { id: 6, at: 1, nick: undefined as never })),
      'nick',
    );
    expectUndefined(
      await refusal(() => putItem(clients, T, { id: 6, at: 1, m: { deep: [1, undefined as never] } })),
      'm.deep[1]',
    );
    expectUndefined(
      await refusal(() =>
        updateItem(
          clients,
          T,
          { id: 6, at: 1 },
          { expression: 'SET a = :a', values: { ':a': undefined as never } },
        ),
      ),
      ':a',
    );
    const w = await batchWrite(clients, T, [{ put: { id: 6, at: 1, gone: undefined as never } }]);
    expect(w.failed).toHaveLength(1);
    expect(w.failed[0]?.code).toBe('input.item');
    expect(w.failed[0]?.reason).toContain('gone');
    expectUndefined(
      await refusal(() =>
        transactWrite(clients, [{ put: { table: T, item: { id: 6, at: 1, gone: undefined as never } } }]),
      ),
      'gone',
    );
    expectUndefined(await refusal(() => validateItem({ gone: undefined as never })), 'gone');
    expect(itemSize({ gone: undefined as never, n: 5 as never })).toBeGreaterThan(0);
    expect((await getItem(clients, T, { id: 6, at: 1 })).found).toBe(false);
  });
  it('a value DynamoDB has no type for (a Date, a Map, a function) is a DdbError naming the attribute', async () => {
    for (const [value, why] of [
      [new Date(0), 'store date.toISOString()'],
      [new Map([['a', 1]]), 'a Map is not a value DynamoDB stores'],
      [() => 1, 'a function is not a value DynamoDB stores'],
    ] as const) {
      const e = await refusal(() => putItem(clients, T, { id: 9, at: 1, when: value as never }));
      expect(e.code).toBe('input.item');
      expect(e.message).toContain('item: when: ');
      expect(e.message).toContain(why);
    }
  });
  it('an item that contains itself is refused at the nesting limit, not a stack overflow', async () => {
    const o: Record<string, unknown> = { id: 6, at: 1 };
    o.self = o;
    const e = await refusal(() => putItem(clients, T, o as never));
    expect(e.code).toBe('input.item');
    expect(e.message).toContain('nested deeper than 32 levels');
    const list: unknown[] = [];
    list.push(list);
    expect((await refusal(() => putItem(clients, T, { id: 6, at: 1, l: list as never }))).code).toBe(
      'input.item',
    );
  });
  it('a missing table name is input.tableName before anything is sent', async () => {
    for (const run of [
      () => getItem(clients, undefined as never, { id: 6, at: 1 }),
      () => putItem(clients, null as never, { id: 6, at: 1 }),
      () => deleteItem(clients, undefined as never, { id: 6, at: 1 }),
    ]) {
      const e = await refusal(run);
      expect(e.code).toBe('input.tableName');
      expect(e.message).toContain('not a string');
    }
  });
  it('a malformed transaction is a DdbError before anything is sent', async () => {
    const bad = await refusal(() => transactWrite(clients, [{ put: null as never }]));
    expect(bad.code).toBe('input.json');
    const noKey = await refusal(() => transactGet(clients, [{ table: T } as never]));
    expect(noKey.code).toBe('input.item');
  });
});
