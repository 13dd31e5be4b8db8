// NOTE: over 500 lines on purpose: planTable is pure and exhaustively table-tested (STYLE.md rule 3),
// one describe per concern of the planner (create, billing, GSIs, settings, replacement, caps).
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  ALL_CAPS,
  capsNeeded,
  type EngineCaps,
  formatPlan,
  type LiveTable,
  liveTableFromDescription,
  type PlanStep,
  planTable,
  type TablePlan,
} from './plan.js';
import { createTableInput, type GsiSpec, type TableSpec } from './tableSpec.js';

// ---------------------------------------------------------------------------------------------
// Builders

function spec(extra: Partial<TableSpec> = {}): TableSpec {
  return {
    name: 'users',
    partitionKey: { name: 'username', type: 'S' },
    billing: { mode: 'PAY_PER_REQUEST' },
    gsis: [],
    lsis: [],
    tags: {},
    ...extra,
  };
}

/** A live spec as specFromDescription gives it: stream/class/deletion protection definite. */
function liveSpec(extra: Partial<TableSpec> = {}): TableSpec {
  return spec({
    stream: null,
    tableClass: 'STANDARD',
    deletionProtection: false,
    ttl: null,
    pitr: false,
    ...extra,
  });
}

function live(extra: Partial<TableSpec> = {}, gsiStatus?: LiveTable['gsiStatus']): LiveTable {
  return gsiStatus ? { spec: liveSpec(extra), gsiStatus } : { spec: liveSpec(extra) };
}

const prov = (read: number, write: number) => ({ mode: 'PROVISIONED' as const, read, write });

function g(name: string, extra: Partial<GsiSpec> = {}): GsiSpec {
  return { name, partitionKey: { name: 'email', type: 'S' }, projection: { type: 'ALL' }, ...extra };
}

const kinds = (p: TablePlan) => p.steps.map((s) => s.kind);
const descriptions = (steps: PlanStep[]) => steps.map((s) => s.description);

const DYNALITE: EngineCaps = {
  engine: 'dynalite',
  gsiUpdate: false,
  ttl: false,
  pitr: false,
  tags: false,
  createTags: false,
  streams: false,
  tableClass: false,
  deletionProtection: false,
  onDemandThroughput: false,
  gsiOnDemandUpdate: false,
  warmThroughput: false,
  sse: false,
  resourcePolicy: false,
};

// ---------------------------------------------------------------------------------------------

describe('planTable: no live table', () => {
  it('one create step carrying the whole CreateTable input, tags included', () => {
    const desired = spec({
      sortKey: { name: 'createdAt', type: 'N' },
      gsis: [g('byEmail')],
      tags: { env: 'prod' },
      stream: { viewType: 'NEW_IMAGE' },
      deletionProtection: true,
    });
    const plan = planTable(undefined, desired);
    expect(plan).toEqual<TablePlan>({
      table: 'users',
      replacement: false,
      unsupported: [],
      steps: [
        {
          kind: 'create',
          label: 'in place',
          description:
            'create table users (username:S, createdAt:N; on-demand; GSIs byEmail; 1 tag; stream NEW_IMAGE; deletion protection)',
          input: createTableInput(desired),
        },
      ],
    });
    expect(plan.steps[0]?.input).toMatchObject({ Tags: [{ Key: 'env', Value: 'prod' }] });
  });

  it('an engine that drops the Tags of CreateTable (dynalite) gets them in a TagResource step after the create', () => {
    const plan = planTable(undefined, spec({ tags: { env: 'prod' }, ttl: { attribute: 'exp' } }), {
      ...ALL_CAPS,
      engine: 'dynalite',
      createTags: false,
    });
    expect(kinds(plan)).toEqual(['create', 'tagAdd', 'ttl']);
    expect(plan.steps[0]?.input).not.toHaveProperty('Tags');
    expect(plan.steps[0]?.description).toBe('create table users (username:S; on-demand)');
    expect(plan.steps[1]).toEqual({
      kind: 'tagAdd',
      label: 'in place',
      description: 'tag env=prod',
      limitNote: 'dynalite ignores the Tags of CreateTable: tagged once ACTIVE',
      input: { Tags: [{ Key: 'env', Value: 'prod' }] },
    });
  });

  it('TTL and PITR follow the create: CreateTable has neither', () => {
    const plan = planTable(undefined, spec({ ttl: { attribute: 'expiresAt' }, pitr: true }));
    expect(kinds(plan)).toEqual(['create', 'ttl', 'pitr']);
    expect(plan.steps[1]?.input).toEqual({
      TableName: 'users',
      TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
    });
    expect(plan.steps[2]?.input).toEqual({
      TableName: 'users',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it.each([
    ['ttl null, pitr false', { ttl: null, pitr: false }],
    ['ttl and pitr unmanaged', {}],
  ] as [string, Partial<TableSpec>][])('no follow-up steps when %s', (_, extra) => {
    expect(kinds(planTable(undefined, spec(extra)))).toEqual(['create']);
  });

  it('describes provisioned billing, LSIs, several tags and the table class', () => {
    const plan = planTable(
      undefined,
      spec({
        sortKey: { name: 'at', type: 'N' },
        billing: prov(5, 5),
        lsis: [{ name: 'byScore', sortKey: { name: 'score', type: 'N' }, projection: { type: 'ALL' } }],
        tags: { a: '1', b: '2' },
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
      }),
    );
    expect(plan.steps[0]?.description).toBe(
      'create table users (username:S, at:N; provisioned 5/5; LSIs byScore; 2 tags; class STANDARD_INFREQUENT_ACCESS)',
    );
  });

  it('strips what the engine lacks from CreateTable and lists it as unsupported', () => {
    const desired = spec({
      tags: { env: 'prod' },
      stream: { viewType: 'NEW_IMAGE' },
      deletionProtection: true,
      tableClass: 'STANDARD_INFREQUENT_ACCESS',
      ttl: { attribute: 'exp' },
      pitr: true,
    });
    const plan = planTable(undefined, desired, DYNALITE);
    expect(kinds(plan)).toEqual(['create']);
    expect(plan.steps[0]?.input).toEqual({
      TableName: 'users',
      AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(plan.unsupported.map((s) => [s.kind, s.description, s.reason])).toEqual([
      ['tagAdd', 'tag env=prod', 'dynalite does not support tags (TagResource, UntagResource)'],
      ['update', 'update stream off → NEW_IMAGE', 'dynalite does not support DynamoDB Streams'],
      ['update', 'update deletion protection off → on', 'dynalite does not support deletion protection'],
      [
        'tableClass',
        'table class STANDARD → STANDARD_INFREQUENT_ACCESS',
        'dynalite does not support table classes',
      ],
      ['ttl', 'enable TTL on exp', 'dynalite does not support TTL (UpdateTimeToLive)'],
      [
        'pitr',
        'enable point-in-time recovery',
        'dynalite does not support point-in-time recovery (UpdateContinuousBackups)',
      ],
    ]);
    expect(plan.engine).toBe('dynalite');
  });

  it('does not report defaults the engine lacks (deletion protection off, STANDARD class)', () => {
    const plan = planTable(undefined, spec({ deletionProtection: false, tableClass: 'STANDARD' }), DYNALITE);
    expect(plan.unsupported).toEqual([]);
    expect(plan.steps[0]?.input).not.toHaveProperty('DeletionProtectionEnabled');
    expect(plan.steps[0]?.input).not.toHaveProperty('TableClass');
  });
});

describe('planTable: nothing to do', () => {
  it.each<[string, Partial<TableSpec>, Partial<TableSpec>]>([
    ['a minimal table', {}, {}],
    [
      'everything managed and equal',
      {
        sortKey: { name: 'at', type: 'N' },
        billing: prov(5, 5),
        gsis: [g('byEmail', { throughput: { read: 1, write: 2 } })],
        lsis: [{ name: 'byScore', sortKey: { name: 'score', type: 'N' }, projection: { type: 'KEYS_ONLY' } }],
        tags: { env: 'prod' },
        ttl: { attribute: 'exp' },
        pitr: true,
        stream: { viewType: 'KEYS_ONLY' },
        deletionProtection: true,
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
      },
      {},
    ],
    [
      'a GSI without throughput that matches the table capacity',
      { billing: prov(5, 5), gsis: [g('byEmail', { throughput: { read: 5, write: 5 } })] },
      { gsis: [g('byEmail')] },
    ],
    [
      'INCLUDE attributes in another order',
      { gsis: [g('byEmail', { projection: { type: 'INCLUDE', attributes: ['a', 'b'] } })] },
      { gsis: [g('byEmail', { projection: { type: 'INCLUDE', attributes: ['b', 'a'] } })] },
    ],
    ['GSIs listed in another order', { gsis: [g('a_1'), g('b_2')] }, { gsis: [g('b_2'), g('a_1')] }],
    [
      'unmanaged settings while the live table has them on',
      {
        ttl: { attribute: 'exp' },
        pitr: true,
        stream: { viewType: 'NEW_IMAGE' },
        deletionProtection: true,
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
      },
      {
        ttl: undefined,
        pitr: undefined,
        stream: undefined,
        deletionProtection: undefined,
        tableClass: undefined,
      },
    ],
    ['an aws: tag on the live table only', { tags: { 'aws:cloudformation:stack-name': 's' } }, {}],
    [
      'a live table with unknown ttl/pitr and a desired "off"',
      { ttl: undefined, pitr: undefined },
      { ttl: null, pitr: false },
    ],
    ['stream off, explicitly', {}, { stream: null }],
    ['deletion protection off, explicitly', {}, { deletionProtection: false }],
    ['table class STANDARD, explicitly', {}, { tableClass: 'STANDARD' }],
  ])('%s → no steps', (_, liveExtra, desiredExtra) => {
    const l = live(liveExtra);
    const desired: TableSpec = { ...l.spec, ...desiredExtra };
    for (const key of Object.keys(desiredExtra) as (keyof TableSpec)[]) {
      if (desiredExtra[key] === undefined) delete desired[key];
    }
    const plan = planTable(l, desired);
    expect(plan).toEqual({ table: 'users', steps: [], unsupported: [], replacement: false });
    expect(formatPlan(plan)).toEqual(['  no changes']);
  });

  it('a live table with undefined stream/class/protection equals a desired "off"', () => {
    const plan = planTable(
      { spec: spec() },
      spec({ stream: null, tableClass: 'STANDARD', deletionProtection: false, ttl: null, pitr: false }),
    );
    expect(plan.steps).toEqual([]);
  });
});

describe('planTable: billing and throughput', () => {
  it('throughput 5/5 → 10/5: one in-place update', () => {
    const plan = planTable(live({ billing: prov(5, 5) }), spec({ billing: prov(10, 5) }));
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'in place',
        description: 'update throughput 5/5 → 10/5',
        input: {
          TableName: 'users',
          ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
        },
      },
    ]);
    expect(formatPlan(plan)).toEqual(['  ~ [in place] update throughput 5/5 → 10/5']);
  });

  it('a decrease is limited', () => {
    const plan = planTable(live({ billing: prov(10, 10) }), spec({ billing: prov(10, 5) }));
    expect(plan.steps[0]).toMatchObject({
      kind: 'update',
      label: 'limited',
      description: 'update throughput 10/10 → 10/5',
      limitNote: 'throughput decreases: at most 27 a day (4 at any time, then 1 an hour)',
    });
  });

  it('provisioned → on-demand: BillingMode alone; GSIs drop their capacity', () => {
    const plan = planTable(
      live({ billing: prov(5, 5), gsis: [g('byEmail', { throughput: { read: 5, write: 5 } })] }),
      spec({ gsis: [g('byEmail')] }),
    );
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'limited',
        description: 'update billing provisioned 5/5 → on-demand',
        limitNote: 'PROVISIONED → PAY_PER_REQUEST switch: at most 4 times in a rolling 24 h',
        input: { TableName: 'users', BillingMode: 'PAY_PER_REQUEST' },
      },
    ]);
  });

  it("on-demand → provisioned gives every GSI capacity: its own, else the table's", () => {
    const plan = planTable(
      live({ gsis: [g('byEmail'), g('byName', { partitionKey: { name: 'name', type: 'S' } })] }),
      spec({
        billing: prov(10, 20),
        gsis: [
          g('byEmail', { throughput: { read: 1, write: 2 } }),
          g('byName', { partitionKey: { name: 'name', type: 'S' } }),
        ],
      }),
    );
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'limited',
        description:
          'update billing on-demand → provisioned 10/20; GSI byEmail throughput 1/2; GSI byName throughput 10/20',
        limitNote:
          'PAY_PER_REQUEST → PROVISIONED switch: allowed any time, but switching back is rationed (4 times in 24 h)',
        input: {
          TableName: 'users',
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 20 },
          GlobalSecondaryIndexUpdates: [
            {
              Update: {
                IndexName: 'byEmail',
                ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
              },
            },
            {
              Update: {
                IndexName: 'byName',
                ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 20 },
              },
            },
          ],
        },
      },
    ]);
  });

  it('a GSI throughput-only change is an in-place Update inside the one update', () => {
    const plan = planTable(
      live({ billing: prov(5, 5), gsis: [g('byEmail', { throughput: { read: 5, write: 5 } })] }),
      spec({ billing: prov(5, 5), gsis: [g('byEmail', { throughput: { read: 8, write: 5 } })] }),
    );
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'in place',
        description: 'update GSI byEmail throughput 5/5 → 8/5',
        input: {
          TableName: 'users',
          GlobalSecondaryIndexUpdates: [
            {
              Update: {
                IndexName: 'byEmail',
                ProvisionedThroughput: { ReadCapacityUnits: 8, WriteCapacityUnits: 5 },
              },
            },
          ],
        },
      },
    ]);
  });

  it('a table capacity change leaves alone a GSI whose spec has no throughput (a field left out)', () => {
    const plan = planTable(
      live({
        billing: prov(5, 5),
        gsis: [
          g('byEmail', { throughput: { read: 5, write: 5 } }),
          g('fixed', { throughput: { read: 1, write: 1 } }),
        ],
      }),
      spec({ billing: prov(7, 7), gsis: [g('byEmail'), g('fixed', { throughput: { read: 2, write: 1 } })] }),
    );
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]?.description).toBe('update throughput 5/5 → 7/7; GSI fixed throughput 1/1 → 2/1');
    expect(plan.steps[0]?.input).toMatchObject({
      ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 7 },
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'fixed',
            ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 },
          },
        },
      ],
    });
    expect(JSON.stringify(plan.steps[0]?.input)).not.toContain('byEmail');
  });

  it('a GSI decrease makes the update limited', () => {
    const plan = planTable(
      live({ billing: prov(5, 5), gsis: [g('byEmail', { throughput: { read: 5, write: 5 } })] }),
      spec({ billing: prov(5, 5), gsis: [g('byEmail', { throughput: { read: 4, write: 5 } })] }),
    );
    expect(plan.steps[0]?.label).toBe('limited');
  });
});

describe('planTable: GSIs', () => {
  it('add: one createGsi, slow (backfill), with the attribute definitions it needs', () => {
    const plan = planTable(live(), spec({ gsis: [g('byEmail', { sortKey: { name: 'at', type: 'N' } })] }));
    expect(plan.steps).toEqual([
      {
        kind: 'createGsi',
        label: 'slow (backfill)',
        description: 'add GSI byEmail (email:S, at:N, projection ALL) — backfills existing items',
        input: {
          TableName: 'users',
          AttributeDefinitions: [
            { AttributeName: 'email', AttributeType: 'S' },
            { AttributeName: 'at', AttributeType: 'N' },
          ],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'byEmail',
                KeySchema: [
                  { AttributeName: 'email', KeyType: 'HASH' },
                  { AttributeName: 'at', KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        },
      },
    ]);
    expect(formatPlan(plan)).toEqual([
      '  + [slow (backfill)] add GSI byEmail (email:S, at:N, projection ALL) — backfills existing items',
    ]);
  });

  it("add on a provisioned table: the GSI gets its capacity (its own, else the table's)", () => {
    const plan = planTable(
      live({ billing: prov(3, 4) }),
      spec({
        billing: prov(3, 4),
        gsis: [
          g('byEmail'),
          g('byX', {
            partitionKey: { name: 'x', type: 'N' },
            throughput: { read: 9, write: 9 },
            projection: { type: 'INCLUDE', attributes: ['a', 'b'] },
          }),
        ],
      }),
    );
    expect(descriptions(plan.steps)).toEqual([
      'add GSI byEmail (email:S, projection ALL, throughput 3/4) — backfills existing items',
      'add GSI byX (x:N, projection INCLUDE [a, b], throughput 9/9) — backfills existing items',
    ]);
    expect(plan.steps[1]?.input).toMatchObject({
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byX',
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['a', 'b'] },
            ProvisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 9 },
          },
        },
      ],
    });
  });

  it('remove: one deleteGsi per index, in place', () => {
    const plan = planTable(live({ gsis: [g('byEmail'), g('byName')] }), spec());
    expect(plan.steps).toEqual([
      {
        kind: 'deleteGsi',
        label: 'in place',
        description: 'delete GSI byEmail',
        input: { TableName: 'users', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byEmail' } }] },
      },
      {
        kind: 'deleteGsi',
        label: 'in place',
        description: 'delete GSI byName',
        input: { TableName: 'users', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byName' } }] },
      },
    ]);
    expect(formatPlan(plan)).toEqual([
      '  - [in place] delete GSI byEmail',
      '  - [in place] delete GSI byName',
    ]);
  });

  it.each<[string, Partial<GsiSpec>, string]>([
    ['projection', { projection: { type: 'KEYS_ONLY' } }, 'projection ALL → KEYS_ONLY'],
    [
      'INCLUDE attributes',
      { projection: { type: 'INCLUDE', attributes: ['z'] } },
      'projection ALL → INCLUDE [z]',
    ],
    ['partition key type', { partitionKey: { name: 'email', type: 'B' } }, 'partition key email:S → email:B'],
    ['partition key name', { partitionKey: { name: 'mail', type: 'S' } }, 'partition key email:S → mail:S'],
    ['sort key added', { sortKey: { name: 'at', type: 'N' } }, 'sort key none → at:N'],
  ])(
    'a %s change rebuilds the GSI: deleteGsi + createGsi, both REPLACEMENT, table kept',
    (_, change, reason) => {
      const plan = planTable(live({ gsis: [g('byEmail')] }), spec({ gsis: [g('byEmail', change)] }));
      expect(plan.replacement).toBe(false);
      expect(kinds(plan)).toEqual(['deleteGsi', 'createGsi']);
      expect(plan.steps.map((s) => s.label)).toEqual(['REPLACEMENT', 'REPLACEMENT']);
      expect(plan.steps[0]?.description).toBe(`delete GSI byEmail to rebuild it (${reason})`);
      expect(plan.steps[1]?.description).toMatch(/^re-create GSI byEmail \(.*\) — backfills existing items$/);
      expect(plan.steps[0]?.limitNote).toBe(
        'queries on the index fail from its deletion until the new one is ACTIVE',
      );
      expect(formatPlan(plan)[0]).toMatch(/^ {2}! \[REPLACEMENT\] delete GSI byEmail/);
    },
  );

  it('a rebuilt GSI is left out of the switch to provisioned and re-created with capacity', () => {
    const plan = planTable(
      live({ gsis: [g('byEmail')] }),
      spec({ billing: prov(2, 2), gsis: [g('byEmail', { projection: { type: 'KEYS_ONLY' } })] }),
    );
    expect(kinds(plan)).toEqual(['deleteGsi', 'update', 'createGsi']);
    expect(plan.steps[1]?.input).not.toHaveProperty('GlobalSecondaryIndexUpdates');
    expect(plan.steps[2]?.input).toMatchObject({
      GlobalSecondaryIndexUpdates: [
        { Create: { ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } },
      ],
    });
  });

  it('a throughput change on a rebuilt GSI is not an Update (the new index carries it)', () => {
    const plan = planTable(
      live({ billing: prov(5, 5), gsis: [g('byEmail', { throughput: { read: 5, write: 5 } })] }),
      spec({
        billing: prov(5, 5),
        gsis: [g('byEmail', { projection: { type: 'KEYS_ONLY' }, throughput: { read: 9, write: 9 } })],
      }),
    );
    expect(kinds(plan)).toEqual(['deleteGsi', 'createGsi']);
  });

  it('swaps one GSI for another at the limit of 20: deletes come first', () => {
    const names = Array.from({ length: 20 }, (_, i) => `gsi${i}`);
    const plan = planTable(
      live({ gsis: names.map((n) => g(n)) }),
      spec({ gsis: [...names.slice(1).map((n) => g(n)), g('gsiNew')] }),
    );
    expect(kinds(plan)).toEqual(['deleteGsi', 'createGsi']);
  });

  it('an engine without GSI updates: create/delete go to unsupported with the reason', () => {
    const plan = planTable(live({ gsis: [g('old')] }), spec({ gsis: [g('byEmail')] }), {
      ...ALL_CAPS,
      engine: 'dynalite',
      gsiUpdate: false,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.unsupported.map((s) => [s.kind, s.reason])).toEqual([
      ['deleteGsi', 'dynalite cannot create or delete a GSI through UpdateTable'],
      ['createGsi', 'dynalite cannot create or delete a GSI through UpdateTable'],
    ]);
    expect(formatPlan(plan)).toEqual([
      '  ✗ [cannot run here] delete GSI old: dynalite cannot create or delete a GSI through UpdateTable',
      '  ✗ [cannot run here] add GSI byEmail (email:S, projection ALL) — backfills existing items: dynalite cannot create or delete a GSI through UpdateTable',
    ]);
  });

  it('an engine without GSI updates: a switch to provisioned still covers the GSIs that stay', () => {
    const plan = planTable(live({ gsis: [g('old')] }), spec({ billing: prov(1, 1) }), {
      ...ALL_CAPS,
      gsiUpdate: false,
    });
    expect(plan.steps[0]?.input).toMatchObject({
      GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'old' } }],
    });
  });

  it('notes a GSI that is not ACTIVE', () => {
    const plan = planTable(
      live(
        { billing: prov(1, 1), gsis: [g('byEmail', { throughput: { read: 1, write: 1 } }), g('gone')] },
        {
          byEmail: { status: 'CREATING', backfilling: true },
          gone: { status: 'UPDATING', backfilling: false },
        },
      ),
      spec({ billing: prov(1, 1), gsis: [g('byEmail', { throughput: { read: 2, write: 2 } })] }),
    );
    expect(plan.steps[0]?.limitNote).toBe(
      'GSI gone is UPDATING: DynamoDB refuses changes to it until it is ACTIVE',
    );
    expect(plan.steps[1]?.limitNote).toBe(
      'GSI byEmail is CREATING (backfilling): DynamoDB refuses changes to it until it is ACTIVE',
    );
  });

  it('a GSI being deleted counts as gone: no second delete; re-adding it waits', () => {
    const status = { byEmail: { status: 'DELETING', backfilling: false } };
    expect(planTable(live({ gsis: [g('byEmail')] }, status), spec()).steps).toEqual([]);
    const plan = planTable(live({ gsis: [g('byEmail')] }, status), spec({ gsis: [g('byEmail')] }));
    expect(kinds(plan)).toEqual(['createGsi']);
    expect(plan.steps[0]?.limitNote).toBe('GSI byEmail is still being deleted: this step waits for it');
  });
});

describe('planTable: replacement', () => {
  it.each<[string, Partial<TableSpec>, Partial<TableSpec>, string]>([
    [
      'partition key name',
      {},
      { partitionKey: { name: 'id', type: 'S' } },
      'partition key username:S → id:S',
    ],
    [
      'partition key type',
      {},
      { partitionKey: { name: 'username', type: 'N' } },
      'partition key username:S → username:N',
    ],
    ['sort key added', {}, { sortKey: { name: 'at', type: 'N' } }, 'sort key none → at:N'],
    ['sort key removed', { sortKey: { name: 'at', type: 'N' } }, {}, 'sort key at:N → none'],
    [
      'LSI added',
      { sortKey: { name: 'at', type: 'N' } },
      {
        sortKey: { name: 'at', type: 'N' },
        lsis: [{ name: 'byX', sortKey: { name: 'x', type: 'S' }, projection: { type: 'ALL' } }],
      },
      'add LSI byX',
    ],
    [
      'LSI removed',
      {
        sortKey: { name: 'at', type: 'N' },
        lsis: [{ name: 'byX', sortKey: { name: 'x', type: 'S' }, projection: { type: 'ALL' } }],
      },
      { sortKey: { name: 'at', type: 'N' } },
      'remove LSI byX',
    ],
    [
      'LSI projection changed',
      {
        sortKey: { name: 'at', type: 'N' },
        lsis: [{ name: 'byX', sortKey: { name: 'x', type: 'S' }, projection: { type: 'ALL' } }],
      },
      {
        sortKey: { name: 'at', type: 'N' },
        lsis: [{ name: 'byX', sortKey: { name: 'x', type: 'S' }, projection: { type: 'KEYS_ONLY' } }],
      },
      'change LSI byX',
    ],
    [
      'LSI sort key changed',
      {
        sortKey: { name: 'at', type: 'N' },
        lsis: [{ name: 'byX', sortKey: { name: 'x', type: 'S' }, projection: { type: 'ALL' } }],
      },
      {
        sortKey: { name: 'at', type: 'N' },
        lsis: [{ name: 'byX', sortKey: { name: 'x', type: 'N' }, projection: { type: 'ALL' } }],
      },
      'change LSI byX',
    ],
  ])('%s → one replace step', (_, liveExtra, desiredExtra, reason) => {
    const desired = spec({ ...desiredExtra, gsis: [g('byEmail')], billing: prov(5, 5) });
    const plan = planTable(live(liveExtra), desired);
    expect(plan.replacement).toBe(true);
    expect(plan.steps).toHaveLength(1);
    const step = plan.steps[0]!;
    expect(step.kind).toBe('replace');
    expect(step.label).toBe('REPLACEMENT');
    expect(step.description).toBe(
      `replace table users (${reason}) — copy-and-swap: copy every item to a temporary table, delete and re-create the table, copy the items back`,
    );
    expect(step.limitNote).toBe(
      'key schema and LSIs are fixed at creation; writes made while the items are copied may be lost: stop writers first',
    );
    // Unmanaged settings of the live table carry over into the new one.
    expect(step.input).toEqual(
      createTableInput({
        ...desired,
        stream: null,
        tableClass: 'STANDARD',
        deletionProtection: false,
        ttl: null,
        pitr: false,
      }),
    );
    expect(formatPlan(plan)[0]).toBe(`  ! [REPLACEMENT] ${step.description}`);
  });

  it('refuses a replacement whose LSI has the name of a GSI the table keeps (or the other way round), before anything is sent', () => {
    const lsi = {
      name: 'byX',
      sortKey: { name: 'x', type: 'S' as const },
      projection: { type: 'ALL' as const },
    };
    const withGsi = live({ sortKey: { name: 'at', type: 'N' }, gsis: [g('byX')] });
    const { gsis: _, ...noGsis } = spec({ sortKey: { name: 'at', type: 'N' }, lsis: [lsi] });
    expect(() => planTable(withGsi, noGsis)).toThrow(
      expect.objectContaining({
        code: 'input.spec',
        message:
          "table users: the replacement would re-create it with an LSI and a GSI both named \"byX\" (the spec leaves out gsis, so the table's GSI byX is kept), which DynamoDB refuses; rename the spec's index, or list the table's gsis in the spec (without byX); nothing was changed",
      }),
    );
    // The spec's GSI named as an LSI the table keeps.
    const withLsi = live({ sortKey: { name: 'at', type: 'N' }, lsis: [lsi] });
    const { lsis: __, ...noLsis } = spec({
      partitionKey: { name: 'id', type: 'S' },
      sortKey: { name: 'at', type: 'N' },
      gsis: [g('byX')],
    });
    expect(() => planTable(withLsi, noLsis)).toThrow(
      "(the spec leaves out lsis, so the table's LSI byX is kept)",
    );
    // In place (no replacement): a GSI added under the name of the table's LSI.
    const sameKeys = spec({ sortKey: { name: 'at', type: 'N' }, gsis: [g('byX')] });
    const { lsis: ___, ...inPlace } = sameKeys;
    expect(() => planTable(live({ sortKey: { name: 'at', type: 'N' }, lsis: [lsi] }), inPlace)).toThrow(
      'table users: the plan would give it an LSI and a GSI both named "byX"',
    );
    // Listed in the spec: no clash.
    expect(
      planTable(withGsi, spec({ sortKey: { name: 'at', type: 'N' }, lsis: [lsi], gsis: [] })).replacement,
    ).toBe(true);
  });

  it('lists every reason', () => {
    const plan = planTable(
      live({ lsis: [], sortKey: { name: 'a', type: 'S' } }),
      spec({ partitionKey: { name: 'id', type: 'S' } }),
    );
    expect(plan.steps[0]?.description).toContain('(partition key username:S → id:S, sort key a:S → none)');
  });

  it("the new table keeps the live table's unmanaged stream, TTL, PITR, class and protection", () => {
    const l = live({
      stream: { viewType: 'NEW_IMAGE' },
      ttl: { attribute: 'exp' },
      pitr: true,
      deletionProtection: true,
      tableClass: 'STANDARD_INFREQUENT_ACCESS',
      tags: { old: 'tag' },
    });
    const desired = spec({ partitionKey: { name: 'id', type: 'S' }, tags: { env: 'prod' } });
    const plan = planTable(l, desired);
    expect(kinds(plan)).toEqual(['replace', 'ttl', 'pitr']);
    expect(plan.steps[0]?.input).toMatchObject({
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      DeletionProtectionEnabled: true,
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
    expect(plan.steps[0]?.limitNote).toContain(
      'deletion protection is on: the table cannot be deleted until it is turned off (ddbctl update-table users --no-deletion-protection)',
    );
    expect(plan.steps[1]?.description).toBe('enable TTL on exp');
  });

  it('managed settings win over the live ones', () => {
    const plan = planTable(
      live({ stream: { viewType: 'NEW_IMAGE' }, ttl: { attribute: 'exp' }, pitr: true }),
      spec({ partitionKey: { name: 'id', type: 'S' }, stream: null, ttl: null, pitr: false }),
    );
    expect(kinds(plan)).toEqual(['replace']);
    expect(plan.steps[0]?.input).not.toHaveProperty('StreamSpecification');
  });
});

describe('planTable: stream, deletion protection, table class', () => {
  it.each<[string, Partial<TableSpec>, Partial<TableSpec>, string, object]>([
    [
      'enable',
      {},
      { stream: { viewType: 'NEW_IMAGE' } },
      'update stream off → NEW_IMAGE',
      { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    ],
    [
      'disable',
      { stream: { viewType: 'OLD_IMAGE' } },
      { stream: null },
      'update stream OLD_IMAGE → off',
      { StreamEnabled: false },
    ],
  ])('stream: %s', (_, liveExtra, desiredExtra, description, streamSpec) => {
    const plan = planTable(live(liveExtra), spec(desiredExtra));
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'in place',
        description,
        input: { TableName: 'users', StreamSpecification: streamSpec },
      },
    ]);
  });

  it('a view-type change is a disable, then an enable in a second update', () => {
    const plan = planTable(
      live({ stream: { viewType: 'NEW_IMAGE' } }),
      spec({ stream: { viewType: 'KEYS_ONLY' } }),
    );
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'in place',
        description: 'update stream NEW_IMAGE → off (to change the view type)',
        input: { TableName: 'users', StreamSpecification: { StreamEnabled: false } },
      },
      {
        kind: 'update',
        label: 'in place',
        description: 'update stream off → KEYS_ONLY',
        limitNote: 'the new stream has a new ARN: consumers of the old stream must move to it',
        input: {
          TableName: 'users',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        },
      },
    ]);
  });

  it.each([
    [false, true, 'update deletion protection off → on'],
    [true, false, 'update deletion protection on → off'],
  ])('deletion protection %s → %s', (from, to, description) => {
    const plan = planTable(live({ deletionProtection: from }), spec({ deletionProtection: to }));
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'in place',
        description,
        input: { TableName: 'users', DeletionProtectionEnabled: to },
      },
    ]);
  });

  it('billing and deletion protection share one update; the stream has its own (one of throughput or stream per UpdateTable)', () => {
    const plan = planTable(
      live({ billing: prov(1, 1) }),
      spec({ billing: prov(2, 2), stream: { viewType: 'NEW_IMAGE' }, deletionProtection: true }),
    );
    expect(plan.steps).toEqual([
      {
        kind: 'update',
        label: 'in place',
        description: 'update throughput 1/1 → 2/2; deletion protection off → on',
        input: {
          TableName: 'users',
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
          DeletionProtectionEnabled: true,
        },
      },
      {
        kind: 'update',
        label: 'in place',
        description: 'update stream off → NEW_IMAGE',
        input: {
          TableName: 'users',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        },
      },
    ]);
  });

  it('an engine without streams: the stream part is unsupported, the rest of the update stays', () => {
    const plan = planTable(
      live({ billing: prov(1, 1) }),
      spec({ billing: prov(2, 2), stream: { viewType: 'NEW_IMAGE' } }),
      { ...ALL_CAPS, streams: false },
    );
    expect(plan.steps.map((s) => s.input)).toEqual([
      { TableName: 'users', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } },
    ]);
    expect(plan.unsupported).toEqual([
      {
        kind: 'update',
        label: 'in place',
        description: 'update stream off → NEW_IMAGE',
        input: {
          TableName: 'users',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        },
        reason: 'this engine does not support DynamoDB Streams',
      },
    ]);
    expect(formatPlan(plan)).toEqual([
      '  ~ [in place] update throughput 1/1 → 2/2',
      '  ✗ [cannot run here] update stream off → NEW_IMAGE: this engine does not support DynamoDB Streams',
    ]);
  });

  it('an engine without deletion protection: unsupported', () => {
    const plan = planTable(live(), spec({ deletionProtection: true }), {
      ...ALL_CAPS,
      deletionProtection: false,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.unsupported.map((s) => s.description)).toEqual(['update deletion protection off → on']);
  });

  it('table class: its own step, limited', () => {
    const plan = planTable(live(), spec({ tableClass: 'STANDARD_INFREQUENT_ACCESS' }));
    expect(plan.steps).toEqual([
      {
        kind: 'tableClass',
        label: 'limited',
        description: 'table class STANDARD → STANDARD_INFREQUENT_ACCESS',
        limitNote: 'table class: at most twice in 30 days',
        input: { TableName: 'users', TableClass: 'STANDARD_INFREQUENT_ACCESS' },
      },
    ]);
    expect(formatPlan(plan)).toEqual([
      '  ~ [limited] table class STANDARD → STANDARD_INFREQUENT_ACCESS',
      '      note: table class: at most twice in 30 days',
    ]);
  });
});

describe('planTable: TTL and PITR', () => {
  it.each<[string, TableSpec['ttl'], TableSpec['ttl'], [string, object][]]>([
    ['enable', null, { attribute: 'exp' }, [['enable TTL on exp', { Enabled: true, AttributeName: 'exp' }]]],
    [
      'enable on an unknown live state',
      undefined,
      { attribute: 'exp' },
      [['enable TTL on exp', { Enabled: true, AttributeName: 'exp' }]],
    ],
    [
      'disable',
      { attribute: 'exp' },
      null,
      [['disable TTL on exp', { Enabled: false, AttributeName: 'exp' }]],
    ],
    [
      'change the attribute: disable, then enable',
      { attribute: 'old' },
      { attribute: 'new' },
      [
        ['disable TTL on old', { Enabled: false, AttributeName: 'old' }],
        ['enable TTL on new', { Enabled: true, AttributeName: 'new' }],
      ],
    ],
  ])('ttl: %s', (_, from, to, expected) => {
    const l = live();
    if (from === undefined) delete l.spec.ttl;
    else l.spec.ttl = from;
    const plan = planTable(l, spec({ ttl: to }));
    expect(plan.steps.map((s) => [s.kind, s.label, s.description, s.input])).toEqual(
      expected.map(([d, ttlSpec]) => [
        'ttl',
        'limited',
        d,
        { TableName: 'users', TimeToLiveSpecification: ttlSpec },
      ]),
    );
    expect(plan.steps[0]?.limitNote).toBe(
      'Amazon DynamoDB refuses a TTL attribute change within 1 h of the last change',
    );
  });

  it('the re-enable after a disable warns that it must wait an hour', () => {
    const plan = planTable(live({ ttl: { attribute: 'old' } }), spec({ ttl: { attribute: 'new' } }));
    expect(plan.steps[1]?.limitNote).toBe(
      'Amazon DynamoDB refuses a TTL attribute change within 1 h of the last change: there this step fails until an hour after the disable',
    );
  });

  it.each([
    [false, true, 'enable point-in-time recovery'],
    [true, false, 'disable point-in-time recovery'],
  ])('pitr %s → %s', (from, to, description) => {
    const plan = planTable(live({ pitr: from }), spec({ pitr: to }));
    expect(plan.steps).toEqual([
      {
        kind: 'pitr',
        label: 'in place',
        description,
        input: { TableName: 'users', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: to } },
      },
    ]);
  });

  it('engines without TTL or PITR: unsupported (caps left out count as present)', () => {
    const plan = planTable(live(), spec({ ttl: { attribute: 'exp' }, pitr: true }), {
      ttl: false,
      pitr: false,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.unsupported.map((s) => s.kind)).toEqual(['ttl', 'pitr']);
  });
});

describe('planTable: tags', () => {
  it('removes, then adds new and changed tags; inputs carry no ResourceArn', () => {
    const plan = planTable(
      live({ tags: { env: 'dev', gone: 'x', other: 'y', keep: 'k' } }),
      spec({ tags: { env: 'prod', team: 'core', keep: 'k' } }),
    );
    expect(plan.steps).toEqual([
      {
        kind: 'tagRemove',
        label: 'in place',
        description: 'remove tags gone, other',
        input: { TagKeys: ['gone', 'other'] },
      },
      {
        kind: 'tagAdd',
        label: 'in place',
        description: 'tag env=prod (was dev), team=core',
        input: {
          Tags: [
            { Key: 'env', Value: 'prod' },
            { Key: 'team', Value: 'core' },
          ],
        },
      },
    ]);
    for (const s of plan.steps) expect(s.input).not.toHaveProperty('ResourceArn');
    expect(formatPlan(plan)).toEqual([
      '  - [in place] remove tags gone, other',
      '  + [in place] tag env=prod (was dev), team=core',
    ]);
  });

  it('one removed tag reads "remove tag"', () => {
    expect(planTable(live({ tags: { a: '1' } }), spec()).steps[0]?.description).toBe('remove tag a');
  });

  it('never removes aws: tags', () => {
    const plan = planTable(live({ tags: { 'aws:cloudformation:stack-id': 'x', a: '1' } }), spec());
    expect(plan.steps[0]?.input).toEqual({ TagKeys: ['a'] });
  });

  it('an engine without tags: unsupported', () => {
    const plan = planTable(live({ tags: { a: '1' } }), spec({ tags: { b: '2' } }), {
      ...ALL_CAPS,
      tags: false,
    });
    expect(plan.steps).toEqual([]);
    expect(plan.unsupported.map((s) => s.kind)).toEqual(['tagRemove', 'tagAdd']);
  });
});

describe('planTable: order', () => {
  it('deleteGsi, tableClass, update, createGsi, ttl, pitr, tags', () => {
    const plan = planTable(
      live({
        billing: prov(1, 1),
        gsis: [g('old', { throughput: { read: 1, write: 1 } })],
        tags: { a: '1' },
      }),
      spec({
        billing: prov(2, 2),
        gsis: [g('byEmail')],
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
        stream: { viewType: 'NEW_IMAGE' },
        ttl: { attribute: 'exp' },
        pitr: true,
        tags: { b: '2' },
      }),
    );
    expect(kinds(plan)).toEqual([
      'deleteGsi',
      'tableClass',
      'update',
      'update',
      'createGsi',
      'ttl',
      'pitr',
      'tagRemove',
      'tagAdd',
    ]);
    expect(plan.replacement).toBe(false);
    // One GSI created or deleted per UpdateTable.
    for (const step of plan.steps) {
      if (step.kind === 'deleteGsi' || step.kind === 'createGsi') {
        expect(step.input.GlobalSecondaryIndexUpdates).toHaveLength(1);
      }
    }
    expect(formatPlan(plan)).toEqual([
      '  - [in place] delete GSI old',
      '  ~ [limited] table class STANDARD → STANDARD_INFREQUENT_ACCESS',
      '      note: table class: at most twice in 30 days',
      '  ~ [in place] update throughput 1/1 → 2/2',
      '  ~ [in place] update stream off → NEW_IMAGE',
      '  + [slow (backfill)] add GSI byEmail (email:S, projection ALL, throughput 2/2) — backfills existing items',
      '  ~ [limited] enable TTL on exp',
      '      note: Amazon DynamoDB refuses a TTL attribute change within 1 h of the last change',
      '  ~ [in place] enable point-in-time recovery',
      '  - [in place] remove tag a',
      '  + [in place] tag b=2',
    ]);
  });

  it('a stream view-type change keeps both updates between tableClass and createGsi', () => {
    const plan = planTable(
      live({ stream: { viewType: 'NEW_IMAGE' } }),
      spec({
        stream: { viewType: 'OLD_IMAGE' },
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
        gsis: [g('byEmail')],
      }),
    );
    expect(kinds(plan)).toEqual(['tableClass', 'update', 'update', 'createGsi']);
  });
});

describe('planTable: unmanaged fields never produce steps', () => {
  const onLive: Partial<TableSpec> = {
    ttl: { attribute: 'exp' },
    pitr: true,
    stream: { viewType: 'NEW_IMAGE' },
    deletionProtection: true,
    tableClass: 'STANDARD_INFREQUENT_ACCESS',
  };
  it.each(Object.keys(onLive) as (keyof TableSpec)[])('%s', (field) => {
    const l = live(onLive);
    const desired: TableSpec = { ...l.spec };
    delete desired[field];
    expect(planTable(l, desired).steps).toEqual([]);
    expect(planTable(l, desired, DYNALITE).unsupported).toEqual([]);
  });

  it.each<[string, Partial<TableSpec>]>([
    ['tags', { tags: { env: 'prod', team: 'core' } }],
    ['gsis', { gsis: [g('byEmail'), g('byName', { partitionKey: { name: 'name', type: 'S' } })] }],
    [
      'lsis',
      {
        sortKey: { name: 'at', type: 'N' },
        lsis: [{ name: 'byX', sortKey: { name: 'x', type: 'S' }, projection: { type: 'ALL' } }],
      },
    ],
    ['billing', { billing: prov(7, 3) }],
  ])('%s: absent keeps the live ones (present and empty removes them)', (field, extra) => {
    const l = live(extra);
    const desired: TableSpec = { ...l.spec };
    delete desired[field as keyof TableSpec];
    expect(planTable(l, desired).steps).toEqual([]);
    expect(planTable(l, desired, DYNALITE)).toMatchObject({ steps: [], unsupported: [] });
  });

  it('an absent GSI list still gives every GSI its capacity on a switch to provisioned', () => {
    const l = live({ gsis: [g('byEmail')] });
    const desired: TableSpec = { ...l.spec, billing: prov(4, 2) };
    delete desired.gsis;
    const plan = planTable(l, desired);
    expect(kinds(plan)).toEqual(['update']);
    expect(plan.steps[0]?.input).toMatchObject({
      BillingMode: 'PROVISIONED',
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'byEmail',
            ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 2 },
          },
        },
      ],
    });
  });

  it('a GSI being deleted is not created again when GSIs are unmanaged', () => {
    const l = live({ gsis: [g('byEmail')] }, { byEmail: { status: 'DELETING', backfilling: false } });
    const desired: TableSpec = { ...l.spec };
    delete desired.gsis;
    expect(planTable(l, desired).steps).toEqual([]);
  });

  it('a replacement carries the unmanaged GSIs, tags and billing into the new table', () => {
    const l = live({ gsis: [g('byEmail')], tags: { env: 'prod' }, billing: prov(3, 3) });
    const desired: TableSpec = { name: 'users', partitionKey: { name: 'id', type: 'S' } };
    const plan = planTable(l, desired);
    expect(kinds(plan)).toEqual(['replace']);
    expect(plan.steps[0]?.input).toMatchObject({
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 },
      GlobalSecondaryIndexes: [{ IndexName: 'byEmail' }],
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
  });

  it('a new table from a spec with only keys: on-demand, nothing else', () => {
    const plan = planTable(undefined, { name: 'users', partitionKey: { name: 'id', type: 'S' } });
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]?.input).toEqual({
      TableName: 'users',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
});

describe('capsNeeded', () => {
  it('nothing for no steps or plain steps', () => {
    expect(capsNeeded(planTable(live(), spec()))).toEqual([]);
    expect(capsNeeded(planTable(undefined, spec()))).toEqual([]);
    expect(capsNeeded(planTable(live(), spec({ billing: prov(5, 5) })))).toEqual([]);
  });

  it('each capability a step relies on', () => {
    const plan = planTable(
      live({ gsis: [g('old')], tags: { a: '1' } }),
      spec({
        gsis: [g('byEmail')],
        ttl: { attribute: 'exp' },
        pitr: true,
        stream: { viewType: 'NEW_IMAGE' },
        deletionProtection: true,
        tableClass: 'STANDARD_INFREQUENT_ACCESS',
      }),
    );
    expect(capsNeeded(plan).sort()).toEqual(
      ['deletionProtection', 'gsiUpdate', 'pitr', 'streams', 'tableClass', 'tags', 'ttl'].sort(),
    );
  });

  it('a create needs only what it turns on', () => {
    expect(capsNeeded(planTable(undefined, spec({ tags: { a: '1' } })))).toEqual(['tags']);
    expect(
      capsNeeded(planTable(undefined, spec({ deletionProtection: false, tableClass: 'STANDARD' }))),
    ).toEqual([]);
    expect(capsNeeded(planTable(undefined, spec({ stream: { viewType: 'KEYS_ONLY' } })))).toEqual([
      'streams',
    ]);
  });
});

describe('formatPlan', () => {
  it('a create with its notes and an unsupported step', () => {
    const plan = planTable(undefined, spec({ tags: { a: 'b' }, ttl: { attribute: 'exp' } }), {
      ...ALL_CAPS,
      engine: 'dynalite',
      tags: false,
    });
    expect(formatPlan(plan)).toEqual([
      '  + [in place] create table users (username:S; on-demand)',
      '  ~ [limited] enable TTL on exp',
      '      note: Amazon DynamoDB refuses a TTL attribute change within 1 h of the last change',
      '  ✗ [cannot run here] tag a=b: dynalite does not support tags (TagResource, UntagResource)',
    ]);
  });

  it('a replacement', () => {
    const plan = planTable(live(), spec({ partitionKey: { name: 'id', type: 'S' } }));
    expect(formatPlan(plan)).toEqual([
      '  ! [REPLACEMENT] replace table users (partition key username:S → id:S) — copy-and-swap: copy every item to a temporary table, delete and re-create the table, copy the items back',
      '      note: key schema and LSIs are fixed at creation; writes made while the items are copied may be lost: stop writers first',
    ]);
  });
});

describe('liveTableFromDescription', () => {
  it('reads the spec and each GSI status', () => {
    const desc: TableDescription = {
      TableName: 'users',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'email', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byEmail',
          KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
          IndexStatus: 'CREATING',
          Backfilling: true,
        },
      ],
    };
    const l = liveTableFromDescription(desc, { tags: { a: '1' } });
    expect(l.gsiStatus).toEqual({ byEmail: { status: 'CREATING', backfilling: true } });
    expect(l.spec.tags).toEqual({ a: '1' });
    expect(planTable(l, { ...l.spec, gsis: [] }).steps[0]?.limitNote).toContain(
      'GSI byEmail is CREATING (backfilling)',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('planTable: on-demand limits, warm throughput, SSE and the resource policy', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: '*' }],
  });
  const all = spec({
    onDemandThroughput: { maxRead: 100, maxWrite: 50 },
    warmThroughput: { read: 15000, write: 5000 },
    sse: { kms: true, kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/abcd' },
    resourcePolicy: policy,
    gsis: [
      g('byEmail', { onDemandThroughput: { maxRead: 10, maxWrite: -1 }, warmThroughput: { read: 13000 } }),
    ],
  });

  it('a create sends every setting in CreateTable', () => {
    const plan = planTable(undefined, all);
    expect(plan.unsupported).toEqual([]);
    expect(kinds(plan)).toEqual(['create']);
    expect(plan.steps[0]?.input).toMatchObject({
      OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 },
      WarmThroughput: { ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 5000 },
      SSESpecification: {
        Enabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd',
      },
      ResourcePolicy: policy,
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byEmail',
          OnDemandThroughput: { MaxReadRequestUnits: 10, MaxWriteRequestUnits: -1 },
          WarmThroughput: { ReadUnitsPerSecond: 13000 },
        },
      ],
    });
    expect(plan.steps[0]?.description).toContain(
      'on-demand limits max read 100, max write 50; warm throughput read 15000/s, write 5000/s; encryption KMS key arn:aws:kms:us-east-1:123456789012:key/abcd; resource policy',
    );
    expect(capsNeeded(plan).sort()).toEqual([
      'onDemandThroughput',
      'resourcePolicy',
      'sse',
      'warmThroughput',
    ]);
  });

  it('an engine without them: each is one line it cannot run, never dropped in silence', () => {
    const plan = planTable(undefined, all, DYNALITE);
    expect(kinds(plan)).toEqual(['create']);
    expect(plan.steps[0]?.input).not.toHaveProperty('OnDemandThroughput');
    expect(plan.steps[0]?.input).not.toHaveProperty('ResourcePolicy');
    expect(formatPlan(plan).filter((l) => l.includes('✗'))).toEqual([
      '  ✗ [cannot run here] set on-demand throughput limits (table: max read 100, max write 50; GSI byEmail: max read 10, max write no limit): dynalite does not support on-demand throughput limits (OnDemandThroughput)',
      '  ✗ [cannot run here] set warm throughput (table: read 15000/s, write 5000/s; GSI byEmail: read 13000/s): dynalite does not support warm throughput (WarmThroughput)',
      '  ✗ [cannot run here] encryption AWS owned key → KMS key arn:aws:kms:us-east-1:123456789012:key/abcd: dynalite does not support encryption with a KMS key (SSESpecification)',
      '  ✗ [cannot run here] put the resource policy: dynalite does not support resource-based policies (PutResourcePolicy)',
    ]);
  });

  it('an update: one UpdateTable per setting, a GSI limit on its own; the policy through PutResourcePolicy', () => {
    const l = live({ gsis: [g('byEmail')], resourcePolicy: null });
    const plan = planTable(l, all);
    expect(plan.steps.map((s) => [s.kind, s.description])).toEqual([
      [
        'update',
        'update on-demand limits max read no limit, max write no limit → max read 100, max write 50',
      ],
      [
        'update',
        'update GSI byEmail on-demand limits max read no limit, max write no limit → max read 10, max write no limit',
      ],
      ['update', 'update warm throughput default → read 15000/s, write 5000/s'],
      ['update', 'update GSI byEmail warm throughput default → read 13000/s'],
      ['update', 'update encryption AWS owned key → KMS key arn:aws:kms:us-east-1:123456789012:key/abcd'],
      ['policyPut', 'put the resource policy'],
    ]);
    expect(plan.steps[1]?.input).toEqual({
      TableName: 'users',
      GlobalSecondaryIndexUpdates: [
        {
          Update: {
            IndexName: 'byEmail',
            OnDemandThroughput: { MaxReadRequestUnits: 10, MaxWriteRequestUnits: -1 },
          },
        },
      ],
    });
    // DynamoDB Local: the table's limits yes, a GSI's no.
    const local = planTable(l, all, { ...ALL_CAPS, engine: 'DynamoDB Local', gsiOnDemandUpdate: false });
    expect(descriptions(local.unsupported)).toEqual([
      'update GSI byEmail on-demand limits max read no limit, max write no limit → max read 10, max write no limit',
    ]);
  });

  it('the same settings plan nothing: an id matches the key ARN, warm throughput above the spec is met, policy JSON re-spaced', () => {
    const l = live({
      onDemandThroughput: { maxRead: 100, maxWrite: 50 },
      warmThroughput: { read: 20000, write: 5000 },
      sse: { kms: true, kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/abcd' },
      resourcePolicy: JSON.stringify(JSON.parse(policy), null, 2),
      gsis: [
        g('byEmail', {
          onDemandThroughput: { maxRead: 10, maxWrite: -1 },
          warmThroughput: { read: 13000, write: 4000 },
        }),
      ],
    });
    expect(planTable(l, { ...all, sse: { kms: true, kmsKey: 'abcd' } }).steps).toEqual([]);
  });

  it('null removes the policy; kms: false goes back to an AWS owned key', () => {
    const l = live({ resourcePolicy: policy, sse: { kms: true } });
    const plan = planTable(l, spec({ resourcePolicy: null, sse: { kms: false } }));
    expect(plan.steps.map((s) => [s.kind, s.description, s.input])).toEqual([
      [
        'update',
        'update encryption AWS managed KMS key → AWS owned key',
        { TableName: 'users', SSESpecification: { Enabled: false } },
      ],
      ['policyDelete', 'delete the resource policy', {}],
    ]);
  });

  it('on-demand limits for a provisioned table cannot run, with the reason', () => {
    const plan = planTable(live({ billing: prov(5, 5) }), {
      ...spec(),
      billing: undefined,
      onDemandThroughput: { maxRead: 5, maxWrite: 5 },
    } as TableSpec);
    expect(formatPlan(plan)).toEqual([
      '  ✗ [cannot run here] set on-demand throughput limits of the table: table users is provisioned: on-demand limits apply to on-demand tables (billing: on-demand)',
    ]);
  });

  it("a replacement keeps the live table's and its GSIs' on-demand limits, warm throughput, key and policy", () => {
    const l = live({
      onDemandThroughput: { maxRead: 100, maxWrite: 50 },
      warmThroughput: { read: 15000, write: 5000 },
      sse: { kms: true, kmsKey: 'arn:aws:kms:us-east-1:123456789012:key/abcd' },
      resourcePolicy: policy,
      gsis: [g('byEmail', { onDemandThroughput: { maxRead: 10, maxWrite: 10 } })],
    });
    const desired = { name: 'users', partitionKey: { name: 'id', type: 'N' as const }, gsis: [g('byEmail')] };
    const plan = planTable(l, desired);
    expect(kinds(plan)).toEqual(['replace']);
    expect(plan.steps[0]?.input).toMatchObject({
      OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 },
      WarmThroughput: { ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 5000 },
      SSESpecification: { Enabled: true, KMSMasterKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd' },
      ResourcePolicy: policy,
      GlobalSecondaryIndexes: [
        { IndexName: 'byEmail', OnDemandThroughput: { MaxReadRequestUnits: 10, MaxWriteRequestUnits: 10 } },
      ],
    });
  });

  it('a GSI rebuilt keeps the on-demand limits the spec leaves out', () => {
    const l = live({ gsis: [g('byEmail', { onDemandThroughput: { maxRead: 10, maxWrite: 10 } })] });
    const plan = planTable(l, spec({ gsis: [g('byEmail', { projection: { type: 'KEYS_ONLY' } })] }));
    expect(kinds(plan)).toEqual(['deleteGsi', 'createGsi']);
    expect(plan.steps[1]?.input).toMatchObject({
      GlobalSecondaryIndexUpdates: [
        {
          Create: {
            IndexName: 'byEmail',
            OnDemandThroughput: { MaxReadRequestUnits: 10, MaxWriteRequestUnits: 10 },
          },
        },
      ],
    });
  });
});
