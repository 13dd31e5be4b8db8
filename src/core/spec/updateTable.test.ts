import { describe, expect, it } from 'vitest';
import { DdbError } from '../errors.js';
import { planTable } from './plan.js';
import type { GsiSpec, TableSpec } from './tableSpec.js';
import { desiredFromChanges, noChanges } from './updateTable.js';

const gsi = (name: string, extra: Partial<GsiSpec> = {}): GsiSpec => ({
  name,
  partitionKey: { name: 'email', type: 'S' },
  projection: { type: 'ALL' },
  ...extra,
});

function live(extra: Partial<TableSpec> = {}): TableSpec {
  return {
    name: 'users',
    partitionKey: { name: 'id', type: 'S' },
    billing: { mode: 'PROVISIONED', read: 5, write: 5 },
    gsis: [gsi('byEmail', { throughput: { read: 5, write: 5 } })],
    lsis: [],
    tags: { env: 'dev', old: 'x' },
    ttl: null,
    pitr: false,
    stream: null,
    deletionProtection: false,
    tableClass: 'STANDARD',
    ...extra,
  };
}

function usageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DdbError);
    expect((e as DdbError).isUsage).toBe(true);
    return (e as DdbError).message;
  }
  throw new Error('expected a usage error');
}

const steps = (l: TableSpec, d: TableSpec) => planTable({ spec: l }, d).steps.map((s) => s.description);

describe('desiredFromChanges', () => {
  it('manages only what changes: the plan holds exactly the requested change', () => {
    const l = live();
    expect(steps(l, desiredFromChanges(l, { read: 10 }))).toEqual(['update throughput 5/5 → 10/5']);
    expect(steps(l, desiredFromChanges(l, { pitr: true }))).toEqual(['enable point-in-time recovery']);
    expect(steps(l, desiredFromChanges(l, { deletionProtection: true }))).toEqual([
      'update deletion protection off → on',
    ]);
    expect(steps(l, desiredFromChanges(l, { ttl: 'exp' }))).toEqual(['enable TTL on exp']);
    expect(steps(l, desiredFromChanges(l, { stream: 'KEYS_ONLY' }))).toEqual([
      'update stream off → KEYS_ONLY',
    ]);
    expect(steps(l, desiredFromChanges(l, { tableClass: 'STANDARD_INFREQUENT_ACCESS' }))).toEqual([
      'table class STANDARD → STANDARD_INFREQUENT_ACCESS',
    ]);
  });

  it('tags: add or change, remove; the rest stay', () => {
    const l = live();
    expect(steps(l, desiredFromChanges(l, { tags: { env: 'prod', team: 'core' }, untag: ['old'] }))).toEqual([
      'remove tag old',
      'tag env=prod (was dev), team=core',
    ]);
    expect(steps(l, desiredFromChanges(l, { untag: ['missing'] }))).toEqual([]);
  });

  it('billing switches', () => {
    const l = live();
    const d = desiredFromChanges(l, { billing: 'PAY_PER_REQUEST' });
    expect(d.billing).toEqual({ mode: 'PAY_PER_REQUEST' });
    expect(d.gsis).toBeUndefined();
    expect(steps(l, d)).toEqual(['update billing provisioned 5/5 → on-demand']);
    const od = live({ billing: { mode: 'PAY_PER_REQUEST' }, gsis: [gsi('byEmail')] });
    expect(desiredFromChanges(od, { billing: 'PROVISIONED', read: 2, write: 3 }).billing).toEqual({
      mode: 'PROVISIONED',
      read: 2,
      write: 3,
    });
  });

  it('GSIs: add, remove, capacity', () => {
    const l = live();
    const d = desiredFromChanges(l, {
      addGsis: [gsi('byName', { partitionKey: { name: 'name', type: 'S' } })],
      removeGsis: ['byEmail'],
    });
    expect(steps(l, d)).toEqual([
      'delete GSI byEmail',
      'add GSI byName (name:S, projection ALL, throughput 5/5) — backfills existing items',
    ]);
    expect(
      steps(l, desiredFromChanges(l, { gsiThroughput: [{ name: 'byEmail', read: 9, write: 9 }] })),
    ).toEqual(['update GSI byEmail throughput 5/5 → 9/9']);
  });

  it.each<[string, Parameters<typeof desiredFromChanges>[1], Partial<TableSpec>, string]>([
    [
      'capacity with on-demand',
      { billing: 'PAY_PER_REQUEST', read: 5 },
      {},
      'do not go with --billing on-demand',
    ],
    [
      'capacity on an on-demand table',
      { read: 5 },
      { billing: { mode: 'PAY_PER_REQUEST' } },
      'add --billing provisioned',
    ],
    [
      'provisioned without capacity',
      { billing: 'PROVISIONED' },
      { billing: { mode: 'PAY_PER_REQUEST' } },
      'needs the capacity: add --rcu N --wcu N',
    ],
    ['remove a missing GSI', { removeGsis: ['nope'] }, {}, 'table users has no GSI nope (it has byEmail)'],
    ['the same GSI twice', { addGsis: [gsi('byX'), gsi('byX')] }, {}, '--add-gsi byX is given twice'],
    [
      'a GSI key typed against an LSI',
      { addGsis: [gsi('byAt', { partitionKey: { name: 'at', type: 'S' } })] },
      {
        sortKey: { name: 'sk', type: 'S' },
        lsis: [{ name: 'byAtL', sortKey: { name: 'at', type: 'N' }, projection: { type: 'ALL' } }],
      },
      '--add-gsi byAt: attribute "at" is S here but N as the sort key of LSI byAtL of table users; an attribute has one type per table: write at:N',
    ],
    [
      'a GSI key typed against the table key',
      { addGsis: [gsi('byId', { partitionKey: { name: 'id', type: 'N' } })] },
      {},
      '--add-gsi byId: attribute "id" is N here but S as the table\'s partition key',
    ],
    ['capacity of a missing GSI', { gsiThroughput: [{ name: 'x', read: 1, write: 1 }] }, {}, 'has no GSI x'],
    [
      'GSI capacity on an on-demand table',
      { gsiThroughput: [{ name: 'byEmail', read: 1, write: 1 }] },
      { billing: { mode: 'PAY_PER_REQUEST' }, gsis: [gsi('byEmail')] },
      'is on-demand',
    ],
    ['an invalid GSI name', { addGsis: [gsi('x')] }, {}, 'gsis[1].name: invalid index name "x"'],
  ])('%s is refused', (_, changes, extra, message) => {
    expect(usageOf(() => desiredFromChanges(live(extra), changes))).toContain(message);
  });

  it('--add-gsi of an existing GSI rebuilds it: a REPLACEMENT delete, then a create; the same GSI is no change', () => {
    const l = live({ billing: { mode: 'PAY_PER_REQUEST' }, gsis: [gsi('byEmail')] });
    const changed = gsi('byEmail', { projection: { type: 'KEYS_ONLY' } });
    for (const changes of [{ addGsis: [changed] }, { removeGsis: ['byEmail'], addGsis: [changed] }]) {
      const plan = planTable({ spec: l }, desiredFromChanges(l, changes));
      expect(plan.steps.map((s) => [s.kind, s.label])).toEqual([
        ['deleteGsi', 'REPLACEMENT'],
        ['createGsi', 'REPLACEMENT'],
      ]);
    }
    expect(steps(l, desiredFromChanges(l, { addGsis: [gsi('byEmail')] }))).toEqual([]);
  });

  it('noChanges', () => {
    expect(noChanges({})).toBe(true);
    expect(noChanges({ addGsis: [], untag: [] })).toBe(true);
    expect(noChanges({ pitr: false })).toBe(false);
  });
});
