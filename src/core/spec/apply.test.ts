// applyPlan and waitForIndexes against a small in-memory fake of the control plane, with a fake
// clock: the order of calls, the waits, and what a failure midway reports. (The real engines are
// exercised by test/integration/spec.test.ts.)
import type { GlobalSecondaryIndexDescription, TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { Clients } from '../clients.js';
import { waitForIndexes } from '../control/waitForIndexes.js';
import { DdbError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { applyPlan, existingTableDifferences, type PreparedPlan, unmatchedError } from './apply.js';
import { ALL_CAPS, type EngineCaps, planTable } from './plan.js';
import { specFromDescription, type TableSpec } from './tableSpec.js';

function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 } });
}

interface FakeOptions {
  /** Ignore GSI creates/deletes in UpdateTable, as dynalite does. */
  ignoreGsi?: boolean;
  /** Ignore DeletionProtectionEnabled in UpdateTable. */
  ignoreDeletionProtection?: boolean;
  /** Throw this for the n-th UpdateTable (1-based). */
  failUpdate?: { nth: number; error: Error };
  /** Describes a new GSI stays CREATING (backfilling) before it is ACTIVE. */
  backfillPolls?: number;
}

/** A control plane in memory: one table, DescribeTable, UpdateTable, tags; TTL and backups unknown. */
function fakeEngine(table: TableDescription, opts: FakeOptions = {}) {
  const calls: string[] = [];
  let updates = 0;
  const pending = new Map<string, number>();
  const send = async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const op = command.constructor.name.replace(/Command$/, '');
    calls.push(op);
    const input = command.input as Record<string, never>;
    switch (op) {
      case 'DescribeTable': {
        if (input.TableName !== table.TableName) throw awsError('ResourceNotFoundException');
        for (const g of table.GlobalSecondaryIndexes ?? []) {
          const left = pending.get(g.IndexName ?? '');
          if (left === undefined) continue;
          if (left <= 0) {
            g.IndexStatus = 'ACTIVE';
            g.Backfilling = false;
            pending.delete(g.IndexName ?? '');
          } else pending.set(g.IndexName ?? '', left - 1);
        }
        return { Table: structuredClone(table) };
      }
      case 'UpdateTable': {
        updates++;
        if (opts.failUpdate?.nth === updates) throw opts.failUpdate.error;
        const u = command.input as {
          AttributeDefinitions?: { AttributeName: string; AttributeType: 'S' }[];
          ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
          DeletionProtectionEnabled?: boolean;
          GlobalSecondaryIndexUpdates?: {
            Create?: GlobalSecondaryIndexDescription;
            Delete?: { IndexName: string };
          }[];
        };
        if (u.ProvisionedThroughput) table.ProvisionedThroughput = { ...u.ProvisionedThroughput };
        for (const d of u.AttributeDefinitions ?? []) {
          if (!table.AttributeDefinitions?.some((x) => x.AttributeName === d.AttributeName)) {
            table.AttributeDefinitions = [...(table.AttributeDefinitions ?? []), d];
          }
        }
        if (u.DeletionProtectionEnabled !== undefined && !opts.ignoreDeletionProtection) {
          table.DeletionProtectionEnabled = u.DeletionProtectionEnabled;
        }
        for (const g of u.GlobalSecondaryIndexUpdates ?? []) {
          if (opts.ignoreGsi) continue;
          if (g.Create) {
            table.GlobalSecondaryIndexes = [
              ...(table.GlobalSecondaryIndexes ?? []),
              { ...g.Create, IndexStatus: 'CREATING', Backfilling: true },
            ];
            pending.set(g.Create.IndexName ?? '', opts.backfillPolls ?? 2);
          }
          if (g.Delete) {
            table.GlobalSecondaryIndexes = (table.GlobalSecondaryIndexes ?? []).filter(
              (x) => x.IndexName !== g.Delete?.IndexName,
            );
          }
        }
        return { TableDescription: structuredClone(table) };
      }
      case 'ListTagsOfResource':
        return { Tags: [] };
      default:
        throw awsError('UnknownOperationException');
    }
  };
  const clients = { ddb: { send }, doc: { send }, label: 'the fake', destroy() {} } as unknown as Clients;
  return { clients, calls, table };
}

function users(extra: Partial<TableDescription> = {}): TableDescription {
  return {
    TableName: 'users',
    TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/users',
    TableStatus: 'ACTIVE',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    ...extra,
  };
}

function prepared(live: TableDescription, desired: TableSpec, caps: EngineCaps = ALL_CAPS): PreparedPlan {
  const spec = specFromDescription(live, {});
  return { plan: planTable({ spec }, desired, caps), desired, live: { spec }, caps };
}

const desired = (extra: Partial<TableSpec> = {}): TableSpec => ({
  name: 'users',
  partitionKey: { name: 'id', type: 'S' },
  ...extra,
});

const gsi = {
  name: 'byEmail',
  partitionKey: { name: 'email', type: 'S' as const },
  projection: { type: 'ALL' as const },
};

describe('applyPlan', () => {
  it('runs each step in order, waiting for a new GSI until its backfill is over', async () => {
    const { clients, calls, table } = fakeEngine(users(), { backfillPolls: 3 });
    const p = prepared(table, desired({ billing: { mode: 'PROVISIONED', read: 6, write: 5 }, gsis: [gsi] }));
    const events: string[] = [];
    const r = await applyPlan(clients, p, {
      clock: fakeClock(),
      onEvent: (e) => {
        if (e.type === 'wait')
          events.push(e.progress.indexes.map((i) => `${i.status}${i.backfilling ? '+' : ''}`).join());
        if (e.type === 'step') events.push(`step ${e.index}/${e.total}`);
      },
    });
    expect(r.applied.map((s) => s.kind)).toEqual(['update', 'createGsi']);
    expect(calls.filter((c) => c === 'UpdateTable')).toHaveLength(2);
    expect(table.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexStatus: 'ACTIVE', Backfilling: false });
    // Step 2 starts once step 1 settled; step 2 ends only after the backfill.
    expect(events[0]).toBe('step 1/2');
    expect(events.indexOf('step 2/2')).toBeGreaterThan(0);
    expect(events.slice(events.indexOf('step 2/2'))).toContain('CREATING+');
    expect(events.at(-1)).toBe('ACTIVE');
  });

  it('a failing step stops the run and says what was done and what was not', async () => {
    const { clients, table } = fakeEngine(users(), {
      failUpdate: { nth: 2, error: awsError('LimitExceededException', 'too many indexes being created') },
    });
    const p = prepared(table, desired({ billing: { mode: 'PROVISIONED', read: 6, write: 5 }, gsis: [gsi] }));
    const e = await applyPlan(clients, p, { clock: fakeClock() }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DdbError);
    expect((e as DdbError).code).toBe('table.limitExceeded');
    expect((e as DdbError).message).toBe(
      'apply users stopped at step 2 of 2 (add GSI byEmail (email:S, projection ALL, throughput 6/5) — backfills existing items): UpdateTable: a DynamoDB limit was reached: too many indexes being created; done before it: 1. update throughput 5/5 → 6/5',
    );
    expect((e as DdbError).details?.applied).toHaveLength(1);
  });

  it('a REPLACEMENT step is refused without allowReplace, before any call', async () => {
    const { clients, calls, table } = fakeEngine(users());
    const p = prepared(table, desired({ partitionKey: { name: 'email', type: 'S' } }));
    const e = await applyPlan(clients, p).catch((x: unknown) => x);
    expect((e as DdbError).code).toBe('spec.replacementRefused');
    expect((e as DdbError).message).toContain('pass --allow-replace');
    expect(calls).toEqual([]);
  });

  it('an endpoint that accepts a GSI create and ignores it is reported, not waited for', async () => {
    const { clients, table } = fakeEngine(users(), { ignoreGsi: true });
    const p = prepared(table, desired({ gsis: [gsi] }));
    const e = await applyPlan(clients, p, { clock: fakeClock() }).catch((x: unknown) => x);
    expect((e as DdbError).code).toBe('engine.unsupported');
    expect((e as DdbError).message).toContain(
      'the fake accepted the UpdateTable that creates GSI byEmail of users but did not create it: this endpoint does not support GSI changes',
    );
  });

  it('a change the endpoint accepted but did not make is reported after the run', async () => {
    const { clients, table } = fakeEngine(users(), { ignoreDeletionProtection: true });
    const p = prepared(table, desired({ deletionProtection: true }));
    const e = await applyPlan(clients, p, { clock: fakeClock() }).catch((x: unknown) => x);
    expect((e as DdbError).code).toBe('engine.unsupported');
    expect((e as DdbError).message).toBe(
      'the fake accepted every step for table users but these did not take effect: update deletion protection off → on',
    );
  });
});

describe('waitForIndexes', () => {
  it('waits until the table and every GSI are ACTIVE and none is backfilling', async () => {
    const { clients } = fakeEngine(
      users({ GlobalSecondaryIndexes: [{ IndexName: 'byEmail', IndexStatus: 'ACTIVE' }] }),
    );
    const clock = fakeClock();
    const r = await waitForIndexes(clients, 'users', { clock });
    expect(r.seconds).toBe(0);
    expect(clock.slept).toEqual([]);
  });

  it('backs off between polls and times out naming each index', async () => {
    const stuck: GlobalSecondaryIndexDescription = {
      IndexName: 'byEmail',
      IndexStatus: 'CREATING',
      Backfilling: true,
    };
    const { clients } = fakeEngine(users({ GlobalSecondaryIndexes: [stuck] }));
    const clock = fakeClock();
    const seen: string[] = [];
    const e = await waitForIndexes(clients, 'users', {
      clock,
      timeoutSeconds: 5,
      onProgress: (p) => seen.push(`${p.seconds}`),
    }).catch((x: unknown) => x);
    expect((e as DdbError).code).toBe('table.waitTimeout');
    expect((e as DdbError).message).toMatch(
      /^the indexes of table users are not ready after \d+ s \(table ACTIVE; byEmail CREATING \(backfilling\)\); wait longer with --timeout/,
    );
    expect(clock.slept.slice(0, 5)).toEqual([200, 400, 800, 1600, 2000]);
    expect(seen.length).toBeGreaterThan(3);
  });

  it('a missing table fails at once', async () => {
    const { clients } = fakeEngine(users());
    const e = await waitForIndexes(clients, 'nope', { clock: fakeClock() }).catch((x: unknown) => x);
    expect((e as DdbError).code).toBe('table.notFound');
  });
});

describe('existingTableDifferences (create-table on a table that exists)', () => {
  it('another key schema: an error naming both, nothing else looked at', () => {
    const e = (() => {
      try {
        existingTableDifferences(prepared(users(), desired({ partitionKey: { name: 'other', type: 'N' } })));
      } catch (x) {
        return x as DdbError;
      }
    })();
    expect(e?.code).toBe('table.exists');
    expect(e?.message).toContain('already exists with key schema id:S, not other:N as asked');
  });

  it('the same keys: the steps that would make it match, or none', () => {
    expect(existingTableDifferences(prepared(users(), desired()))).toEqual([]);
    expect(
      existingTableDifferences(
        prepared(
          users(),
          desired({ billing: { mode: 'PROVISIONED', read: 9, write: 5 }, ttl: { attribute: 'x' } }),
          {
            ...ALL_CAPS,
            engine: 'dynalite',
            ttl: false,
          },
        ),
      ),
    ).toEqual([
      'update throughput 5/5 → 9/5',
      'enable TTL on x (dynalite does not support TTL (UpdateTimeToLive))',
    ]);
  });
});

describe('unmatchedError (steps the endpoint cannot run)', () => {
  const caps = { ...ALL_CAPS, engine: 'dynalite', ttl: false, pitr: false };
  it('none left: no error', () => {
    expect(unmatchedError([prepared(users(), desired({ ttl: null }), ALL_CAPS)], true)).toBeUndefined();
  });
  it('names each table, how many steps and which, for apply (done) and plan', () => {
    const p = prepared(users(), desired({ ttl: { attribute: 'exp' }, pitr: true }), caps);
    expect(unmatchedError([p], true)?.message).toBe(
      'table users does not match the spec: 2 steps cannot run on dynalite (enable TTL on exp; enable point-in-time recovery), listed with ✗ in the plan and never attempted; take them out of the spec, or apply it on an endpoint that can',
    );
    expect(unmatchedError([p], false)?.code).toBe('engine.unsupported');
    expect(unmatchedError([p], false)?.message).toContain(
      'table users cannot be made to match the spec: 2 steps',
    );
  });
});
