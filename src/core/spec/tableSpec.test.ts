// NOTE: over 500 lines on purpose: a table of cases per format and per limit, read top to bottom
// beside tableSpec/; each describe block covers one file of that folder (formats, lines, builders).
import { readFileSync } from 'node:fs';
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DdbError, isDdbError } from '../errors.js';
import {
  attributeDefinitionsInput,
  createTableInput,
  formatPath,
  parseSpecFile,
  specFromDescription,
  type TableSpec,
} from './tableSpec.js';

function errorOf(text: string, file = 'tables.yaml'): DdbError {
  try {
    parseSpecFile(text, file);
  } catch (e) {
    if (isDdbError(e)) return e;
    throw e;
  }
  throw new Error('expected parseSpecFile to throw');
}

/** One table in our format, as JSON text (JSON is YAML). */
function oneTable(table: Record<string, unknown>): string {
  return JSON.stringify({ tables: [{ name: 'users', partitionKey: 'username:S', ...table }] }, null, 2);
}

function parseOne(table: Record<string, unknown>): TableSpec {
  const specs = parseSpecFile(oneTable(table), 'tables.yaml');
  expect(specs).toHaveLength(1);
  return specs[0]!;
}

const gsi = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  partitionKey: 'email:S',
  ...extra,
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('formatPath', () => {
  it.each([
    [[], ''],
    [['tables', 0, 'gsis', 1, 'name'], 'tables[0].gsis[1].name'],
    [['tags', 'cost center'], 'tags["cost center"]'],
    [['tags', 'aws:x'], 'tags["aws:x"]'],
    [['tags', 'cost-center'], 'tags.cost-center'],
    [[0, 'name'], '[0].name'],
  ] as const)('%j → %s', (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });
});

describe('parseSpecFile: the documented example', () => {
  // The YAML example in the JSDoc of tableSpec.ts must stay valid: read it from the source.
  const source = readFileSync(new URL('./tableSpec.ts', import.meta.url), 'utf8');
  const block = /```yaml\n([\s\S]*?)\n \* ```/.exec(source)?.[1] ?? '';
  const yamlText = block
    .split('\n')
    .map((line) => line.replace(/^ \* ?/, ''))
    .join('\n');

  it('parses to the full spec', () => {
    expect(yamlText).toContain('tables:');
    expect(parseSpecFile(yamlText, 'example.yaml')).toEqual<TableSpec[]>([
      {
        name: 'users',
        partitionKey: { name: 'username', type: 'S' },
        sortKey: { name: 'createdAt', type: 'N' },
        billing: { mode: 'PROVISIONED', read: 10, write: 10 },
        gsis: [
          { name: 'byEmail', partitionKey: { name: 'email', type: 'S' }, projection: { type: 'ALL' } },
          {
            name: 'byCountry',
            partitionKey: { name: 'country', type: 'S' },
            sortKey: { name: 'createdAt', type: 'N' },
            projection: { type: 'INCLUDE', attributes: ['displayName', 'avatarUrl'] },
            throughput: { read: 5, write: 5 },
          },
        ],
        lsis: [
          {
            name: 'byLastLogin',
            sortKey: { name: 'lastLogin', type: 'N' },
            projection: { type: 'KEYS_ONLY' },
          },
        ],
        tags: { team: 'identity', env: 'prod' },
        ttl: { attribute: 'expiresAt' },
        pitr: true,
        stream: { viewType: 'NEW_AND_OLD_IMAGES' },
        deletionProtection: true,
        tableClass: 'STANDARD',
        warmThroughput: { read: 15000, write: 5000 },
        sse: { kms: true, kmsKey: 'alias/users' },
        resourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
      },
    ]);
  });

  it('is also valid on-demand once the GSI throughput goes', () => {
    const onDemand = yamlText
      .replace(/billing: \{read: 10, write: 10\}/, 'billing: on-demand')
      .replace(/ +throughput: .*\n/, '');
    const [spec] = parseSpecFile(onDemand, 'example.yaml');
    expect(spec?.billing).toEqual({ mode: 'PAY_PER_REQUEST' });
    expect(spec?.gsis?.[1]?.throughput).toBeUndefined();
  });
});

describe('parseSpecFile: our format, happy paths', () => {
  it('a minimal table: every field but the name and keys unmanaged', () => {
    const spec = parseOne({});
    expect(spec).toEqual({
      name: 'users',
      partitionKey: { name: 'username', type: 'S' },
    });
    for (const field of [
      'sortKey',
      'billing',
      'gsis',
      'lsis',
      'tags',
      'ttl',
      'pitr',
      'stream',
      'deletionProtection',
      'tableClass',
    ]) {
      expect(field in spec, field).toBe(false);
    }
  });

  it('accepts a single table at the top level, and a top-level list', () => {
    expect(parseSpecFile('name: users\npartitionKey: id:S\n', 't.yaml').map((s) => s.name)).toEqual([
      'users',
    ]);
    const list = '- name: users\n  partitionKey: id:S\n- name: orders\n  partitionKey: id:S\n';
    expect(parseSpecFile(list, 't.yaml').map((s) => s.name)).toEqual(['users', 'orders']);
  });

  it.each([
    ['username:S', { name: 'username', type: 'S' }],
    ['username:n', { name: 'username', type: 'N' }],
    ['blob:binary', { name: 'blob', type: 'B' }],
    ['urn:part:S', { name: 'urn:part', type: 'S' }],
    [
      { name: 'username', type: 'S' },
      { name: 'username', type: 'S' },
    ],
    [
      { name: 'n', type: 'number' },
      { name: 'n', type: 'N' },
    ],
  ])('partition key %j', (input, expected) => {
    expect(parseOne({ partitionKey: input }).partitionKey).toEqual(expected);
  });

  it('types bare key names from attributes', () => {
    const spec = parseOne({
      attributes: { username: 'S', email: 'S', createdAt: 'N' },
      partitionKey: 'username',
      sortKey: { name: 'createdAt' },
      gsis: [{ name: 'byEmail', partitionKey: 'email', sortKey: 'createdAt:N' }],
    });
    expect(spec.partitionKey).toEqual({ name: 'username', type: 'S' });
    expect(spec.sortKey).toEqual({ name: 'createdAt', type: 'N' });
    expect(spec.gsis?.[0]?.partitionKey).toEqual({ name: 'email', type: 'S' });
  });

  it.each([
    [undefined, undefined],
    [null, { mode: 'PAY_PER_REQUEST' }],
    ['on-demand', { mode: 'PAY_PER_REQUEST' }],
    ['ON_DEMAND', { mode: 'PAY_PER_REQUEST' }],
    ['PAY_PER_REQUEST', { mode: 'PAY_PER_REQUEST' }],
    ['pay-per-request', { mode: 'PAY_PER_REQUEST' }],
    [{ mode: 'on-demand' }, { mode: 'PAY_PER_REQUEST' }],
    [
      { read: 5, write: 10 },
      { mode: 'PROVISIONED', read: 5, write: 10 },
    ],
    [
      { mode: 'provisioned', read: 1, write: 2 },
      { mode: 'PROVISIONED', read: 1, write: 2 },
    ],
    [
      { mode: 'PROVISIONED', read: 40000, write: 40000 },
      { mode: 'PROVISIONED', read: 40000, write: 40000 },
    ],
  ])('billing %j', (input, expected) => {
    expect(parseOne(input === undefined ? {} : { billing: input }).billing).toEqual(expected);
  });

  it.each([
    [undefined, { type: 'ALL' }],
    ['ALL', { type: 'ALL' }],
    ['keys-only', { type: 'KEYS_ONLY' }],
    ['KEYS_ONLY', { type: 'KEYS_ONLY' }],
    [['a', 'b'], { type: 'INCLUDE', attributes: ['a', 'b'] }],
    [
      { type: 'INCLUDE', attributes: ['a'] },
      { type: 'INCLUDE', attributes: ['a'] },
    ],
    [{ attributes: ['a'] }, { type: 'INCLUDE', attributes: ['a'] }],
    [{ type: 'all' }, { type: 'ALL' }],
  ])('projection %j', (input, expected) => {
    const spec = parseOne({ gsis: [gsi('byEmail', input === undefined ? {} : { projection: input })] });
    expect(spec.gsis?.[0]?.projection).toEqual(expected);
  });

  it.each([
    ['expiresAt', { attribute: 'expiresAt' }],
    [{ attribute: 'ttl' }, { attribute: 'ttl' }],
    [false, null],
    [null, null],
  ])('ttl %j', (input, expected) => {
    expect(parseOne({ ttl: input }).ttl).toEqual(expected);
  });

  it.each([
    ['NEW_IMAGE', { viewType: 'NEW_IMAGE' }],
    ['new-and-old-images', { viewType: 'NEW_AND_OLD_IMAGES' }],
    [{ viewType: 'keys_only' }, { viewType: 'KEYS_ONLY' }],
    ['old image', { viewType: 'OLD_IMAGE' }],
    [false, null],
    [null, null],
  ])('stream %j', (input, expected) => {
    expect(parseOne({ stream: input }).stream).toEqual(expected);
  });

  it.each([
    ['STANDARD', 'STANDARD'],
    ['standard', 'STANDARD'],
    ['STANDARD_INFREQUENT_ACCESS', 'STANDARD_INFREQUENT_ACCESS'],
    ['standard-infrequent-access', 'STANDARD_INFREQUENT_ACCESS'],
    ['standard-ia', 'STANDARD_INFREQUENT_ACCESS'],
  ])('tableClass %j', (input, expected) => {
    expect(parseOne({ tableClass: input }).tableClass).toBe(expected);
  });

  it('reads pitr, deletion protection, tags, LSIs (with the partition key repeated or not)', () => {
    const spec = parseOne({
      sortKey: 'createdAt:N',
      pitr: false,
      deletionProtection: true,
      tags: { env: 'prod', 'cost center': '' },
      lsis: [
        { name: 'byScore', sortKey: 'score:N' },
        { name: 'byRank', partitionKey: 'username:S', sortKey: 'rank:N', projection: 'KEYS_ONLY' },
      ],
    });
    expect(spec.pitr).toBe(false);
    expect(spec.deletionProtection).toBe(true);
    expect(spec.tags).toEqual({ env: 'prod', 'cost center': '' });
    expect(spec.lsis).toEqual([
      { name: 'byScore', sortKey: { name: 'score', type: 'N' }, projection: { type: 'ALL' } },
      { name: 'byRank', sortKey: { name: 'rank', type: 'N' }, projection: { type: 'KEYS_ONLY' } },
    ]);
  });

  it('accepts the limits exactly: 20 GSIs, 5 LSIs, 50 tags, 100 projected attributes, 3- and 255-char names', () => {
    const spec = parseOne({
      name: 'a'.repeat(255),
      sortKey: 'sk:S',
      gsis: range(20).map((i) =>
        gsi(`g${i}.x`, i < 2 ? { projection: range(50).map((j) => `attr${i}_${j}`) } : {}),
      ),
      lsis: range(5).map((i) => ({ name: `l_${i}`, sortKey: `s${i}:N` })),
      tags: Object.fromEntries(range(50).map((i) => [`k${i}`, 'v'.repeat(256)])),
    });
    expect(spec.gsis).toHaveLength(20);
    expect(parseOne({ name: 'abc' }).name).toBe('abc');
  });

  it('supports YAML anchors and merge keys, with x- keys at the top as their home', () => {
    const text = [
      'x-capacity: &cap {read: 5, write: 5}',
      'x-index: &index',
      '  partitionKey: email:S',
      '  projection: KEYS_ONLY',
      'tables:',
      '  - name: users',
      '    partitionKey: id:S',
      '    billing: *cap',
      '    gsis:',
      '      - name: byEmail',
      '        <<: *index',
      '        throughput: *cap',
    ].join('\n');
    const [spec] = parseSpecFile(text, 't.yaml');
    expect(spec?.billing).toEqual({ mode: 'PROVISIONED', read: 5, write: 5 });
    expect(spec?.gsis?.[0]).toEqual({
      name: 'byEmail',
      partitionKey: { name: 'email', type: 'S' },
      projection: { type: 'KEYS_ONLY' },
      throughput: { read: 5, write: 5 },
    });
    expect(errorOf('y-capacity: 1\ntables: []').message).toContain('tables.yaml: y-capacity: unknown field');
  });

  it('parses JSON with tabs', () => {
    const text = '{\n\t"tables": [\n\t\t{"name": "users", "partitionKey": "id:S"}\n\t]\n}\n';
    expect(parseSpecFile(text, 't.json')[0]?.name).toBe('users');
  });
});

describe('parseSpecFile: our format, each problem is one input.spec error naming file and path', () => {
  const longName = 'x'.repeat(256);
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'unknown table field',
      { partitonKey: 'x:S' },
      'tables[0].partitonKey: unknown field (did you mean "partitionKey"?)',
    ],
    [
      'unknown GSI field',
      { gsis: [gsi('byEmail', { projecton: 'ALL' })] },
      'tables[0].gsis[0].projecton: unknown field',
    ],
    [
      'unknown LSI field',
      { sortKey: 's:S', lsis: [{ name: 'abc', sortKey: 'x:S', throughput: {} }] },
      'tables[0].lsis[0].throughput: unknown field',
    ],
    [
      'unknown key field',
      { partitionKey: { name: 'id', typ: 'S' } },
      'tables[0].partitionKey.typ: unknown field (did you mean "type"?)',
    ],
    [
      'unknown billing field',
      { billing: { read: 1, write: 1, burst: 2 } },
      'tables[0].billing.burst: unknown field',
    ],
    [
      'key without type',
      { partitionKey: 'username' },
      'tables[0].partitionKey: key attribute "username" has no type: write "username:S"',
    ],
    [
      'key object without type',
      { partitionKey: { name: 'id' } },
      'tables[0].partitionKey: key attribute "id" has no type',
    ],
    [
      'GSI key without type',
      { gsis: [{ name: 'byEmail', partitionKey: 'email' }] },
      'tables[0].gsis[0].partitionKey: key attribute "email" has no type',
    ],
    ['unknown key type', { partitionKey: 'id:X' }, 'tables[0].partitionKey: unknown key type "X" in "id:X"'],
    [
      'unknown key type in object',
      { partitionKey: { name: 'id', type: 'BOOL' } },
      'tables[0].partitionKey.type: unknown key type "BOOL"',
    ],
    [
      'key of the wrong kind',
      { partitionKey: 5 },
      'tables[0].partitionKey: expected a key such as "username:S"',
    ],
    [
      'conflicting types table/GSI',
      { gsis: [{ name: 'byUser', partitionKey: 'username:N' }] },
      'tables[0].gsis[0].partitionKey: attribute "username" is N here but S at tables[0].partitionKey',
    ],
    [
      'conflicting types between GSIs',
      { gsis: [gsi('byEmail'), { name: 'byEmail2', partitionKey: 'email:B' }] },
      'tables[0].gsis[1].partitionKey: attribute "email" is B here but S at tables[0].gsis[0].partitionKey',
    ],
    [
      'conflicting types GSI/LSI',
      {
        sortKey: 's:S',
        gsis: [{ name: 'byX', partitionKey: 'x:S' }],
        lsis: [{ name: 'byX2', sortKey: 'x:N' }],
      },
      'tables[0].lsis[0].sortKey: attribute "x" is N here but S at tables[0].gsis[0].partitionKey',
    ],
    [
      'conflicting with attributes',
      { attributes: { email: 'S' }, gsis: [{ name: 'byEmail', partitionKey: 'email:N' }] },
      'tables[0].gsis[0].partitionKey: attribute "email" is N here but S under attributes',
    ],
    [
      'unused attribute',
      { attributes: { email: 'S' } },
      'tables[0].attributes.email: attribute "email" is used by no key',
    ],
    [
      'bad attribute type',
      { attributes: { email: 'SS' } },
      'tables[0].attributes.email: unknown key type "SS"',
    ],
    [
      'duplicate GSI names',
      { gsis: [gsi('byEmail'), gsi('byEmail')] },
      'tables[0].gsis[1].name: duplicate index name "byEmail" (also at tables[0].gsis[0].name)',
    ],
    [
      'duplicate GSI/LSI names',
      { sortKey: 's:S', gsis: [gsi('byX')], lsis: [{ name: 'byX', sortKey: 'x:S' }] },
      'tables[0].lsis[0].name: duplicate index name "byX"',
    ],
    ['table name too short', { name: 'ab' }, 'tables[0].name: invalid table name "ab": use 3–255 characters'],
    ['table name too long', { name: longName }, `tables[0].name: invalid table name "${longName}"`],
    ['table name with a space', { name: 'my table' }, 'tables[0].name: invalid table name "my table"'],
    ['table name with a slash', { name: 'a/b/c' }, 'tables[0].name: invalid table name'],
    [
      'index name invalid',
      { gsis: [gsi('by email')] },
      'tables[0].gsis[0].name: invalid index name "by email"',
    ],
    ['index name too short', { gsis: [gsi('by')] }, 'tables[0].gsis[0].name: invalid index name "by"'],
    [
      '6 LSIs',
      { sortKey: 's:S', lsis: range(6).map((i) => ({ name: `lsi${i}`, sortKey: `x${i}:S` })) },
      'tables[0].lsis: 6 LSIs: DynamoDB allows at most 5 per table',
    ],
    [
      '21 GSIs',
      { gsis: range(21).map((i) => gsi(`gsi${i}`)) },
      'tables[0].gsis: 21 GSIs: DynamoDB allows at most 20 per table',
    ],
    [
      '51 tags',
      { tags: Object.fromEntries(range(51).map((i) => [`k${i}`, 'v'])) },
      'tables[0].tags: 51 tags: DynamoDB allows at most 50 per table',
    ],
    [
      'tag key too long',
      { tags: { ['k'.repeat(129)]: 'v' } },
      'a tag key must be 1–128 characters, this one has 129',
    ],
    ['empty tag key', { tags: { '': 'v' } }, 'tables[0].tags[""]: a tag key must be 1–128 characters'],
    [
      'tag value too long',
      { tags: { env: 'v'.repeat(257) } },
      'tables[0].tags.env: a tag value must be at most 256 characters, this one has 257',
    ],
    [
      'reserved tag key',
      { tags: { 'aws:owner': 'me' } },
      'tables[0].tags["aws:owner"]: tag keys starting with "aws:" are reserved',
    ],
    [
      'tag value not a string',
      { tags: { version: 1 } },
      'tables[0].tags.version: expected a string, got 1 (quote it)',
    ],
    ['tags not a map', { tags: ['a'] }, 'tables[0].tags: expected a map of tag key → value'],
    [
      'read capacity 0',
      { billing: { read: 0, write: 5 } },
      'tables[0].billing: read capacity must be an integer ≥ 1, got 0',
    ],
    [
      'write capacity fractional',
      { billing: { read: 5, write: 1.5 } },
      'tables[0].billing: write capacity must be an integer ≥ 1, got 1.5',
    ],
    [
      'negative capacity',
      { billing: { read: -1, write: 1 } },
      'read capacity must be an integer ≥ 1, got -1',
    ],
    [
      'capacity as text',
      { billing: { read: '5', write: 1 } },
      'tables[0].billing.read: expected a number, got "5"',
    ],
    ['missing write capacity', { billing: { read: 5 } }, 'tables[0].billing: missing write capacity'],
    [
      'provisioned without capacity',
      { billing: 'provisioned' },
      'tables[0].billing: provisioned billing needs its capacity: {read: 5, write: 5}',
    ],
    ['unknown billing', { billing: 'free' }, 'tables[0].billing: unknown billing "free"'],
    [
      'unknown billing mode',
      { billing: { mode: 'reserved' } },
      'tables[0].billing.mode: unknown billing mode "reserved"',
    ],
    [
      'on-demand with capacity',
      { billing: { mode: 'on-demand', read: 5 } },
      'tables[0].billing: an on-demand table has no read/write capacity',
    ],
    [
      'GSI throughput on an on-demand table',
      { billing: 'on-demand', gsis: [gsi('byEmail', { throughput: { read: 5, write: 5 } })] },
      'tables[0].gsis[0].throughput: provisioned throughput on a GSI of an on-demand table',
    ],
    [
      'GSI throughput without the billing of the table',
      { gsis: [gsi('byEmail', { throughput: { read: 5, write: 5 } })] },
      "tables[0].gsis[0].throughput: provisioned throughput on a GSI needs the table's billing",
    ],
    [
      'GSI throughput 0',
      { billing: { read: 5, write: 5 }, gsis: [gsi('byEmail', { throughput: { read: 0, write: 5 } })] },
      'tables[0].gsis[0].throughput: read capacity must be an integer ≥ 1, got 0',
    ],
    [
      'GSI throughput incomplete',
      { billing: { read: 5, write: 5 }, gsis: [gsi('byEmail', { throughput: { read: 1 } })] },
      'tables[0].gsis[0].throughput: missing write capacity',
    ],
    [
      'INCLUDE as a word',
      { gsis: [gsi('byEmail', { projection: 'INCLUDE' })] },
      'tables[0].gsis[0].projection: an INCLUDE projection needs its attributes',
    ],
    [
      'INCLUDE without attributes',
      { gsis: [gsi('byEmail', { projection: { type: 'INCLUDE' } })] },
      'tables[0].gsis[0].projection: an INCLUDE projection needs the list of attributes',
    ],
    [
      'INCLUDE with an empty list',
      { gsis: [gsi('byEmail', { projection: [] })] },
      'tables[0].gsis[0].projection: an INCLUDE projection needs the list of attributes',
    ],
    [
      'attributes with ALL',
      { gsis: [gsi('byEmail', { projection: { type: 'ALL', attributes: ['a'] } })] },
      'tables[0].gsis[0].projection.attributes: attributes are only allowed with an INCLUDE projection',
    ],
    [
      'duplicate projected attribute',
      { gsis: [gsi('byEmail', { projection: ['a', 'a'] })] },
      'tables[0].gsis[0].projection: attribute "a" is listed twice',
    ],
    [
      'empty projected attribute',
      { gsis: [gsi('byEmail', { projection: [''] })] },
      'tables[0].gsis[0].projection: empty attribute name',
    ],
    [
      'unknown projection',
      { gsis: [gsi('byEmail', { projection: 'SOME' })] },
      'tables[0].gsis[0].projection: unknown projection "SOME"',
    ],
    [
      'more than 100 projected attributes across indexes',
      {
        sortKey: 's:S',
        gsis: [gsi('byEmail', { projection: range(60).map((i) => `a${i}`) })],
        lsis: [
          {
            name: 'byX',
            sortKey: 'x:S',
            projection: { type: 'INCLUDE', attributes: range(41).map((i) => `a${i}`) },
          },
        ],
      },
      "tables[0].lsis[0].projection.attributes: 101 projected attributes in total across the table's indexes: DynamoDB allows at most 100",
    ],
    [
      'LSI without a table sort key',
      { lsis: [{ name: 'byX', sortKey: 'x:S' }] },
      'tables[0].lsis[0].name: an LSI needs a table with a sort key',
    ],
    [
      'LSI without a sort key',
      { sortKey: 's:S', lsis: [{ name: 'byX' }] },
      'tables[0].lsis[0].sortKey: missing: an LSI needs a sort key',
    ],
    [
      'LSI with another partition key',
      { sortKey: 's:S', lsis: [{ name: 'byX', partitionKey: 'other:S', sortKey: 'x:S' }] },
      "tables[0].lsis[0].partitionKey: an LSI's partition key is the table's (username)",
    ],
    [
      'sort key = partition key',
      { sortKey: 'username:S' },
      'tables[0].sortKey: the sort key must differ from the partition key "username"',
    ],
    [
      'GSI sort key = its partition key',
      { gsis: [gsi('byEmail', { sortKey: 'email:S' })] },
      'tables[0].gsis[0].sortKey: the sort key must differ',
    ],
    [
      'GSI without partition key',
      { gsis: [{ name: 'byEmail' }] },
      'tables[0].gsis[0].partitionKey: missing: a GSI needs a partition key',
    ],
    [
      'GSI without name',
      { gsis: [{ partitionKey: 'e:S' }] },
      'tables[0].gsis[0].name: missing: every index needs a name',
    ],
    ['GSI not an object', { gsis: ['byEmail'] }, 'tables[0].gsis[0]: expected a GSI'],
    ['gsis not a list', { gsis: { name: 'x' } }, 'tables[0].gsis: expected a list, got an object'],
    [
      'ttl: true',
      { ttl: true },
      'tables[0].ttl: expected the TTL attribute name (ttl: expiresAt) or false, got true',
    ],
    ['empty ttl attribute', { ttl: '' }, 'tables[0].ttl: the TTL attribute name must be 1–255 bytes'],
    ['stream: true', { stream: true }, 'tables[0].stream: expected a stream view type'],
    ['unknown stream view type', { stream: 'FULL' }, 'tables[0].stream: unknown stream view type "FULL"'],
    ['pitr: "yes"', { pitr: 'yes' }, 'tables[0].pitr: expected true or false, got "yes"'],
    [
      'deletionProtection: 1',
      { deletionProtection: 1 },
      'tables[0].deletionProtection: expected true or false, got 1',
    ],
    ['unknown table class', { tableClass: 'GLACIER' }, 'tables[0].tableClass: unknown table class "GLACIER"'],
    [
      'long key attribute name',
      { partitionKey: `${'k'.repeat(256)}:S` },
      'tables[0].partitionKey: key attribute name is longer than 255 bytes',
    ],
  ];

  it.each(cases)('%s', (_, table, expected) => {
    const e = errorOf(oneTable(table));
    expect(e).toBeInstanceOf(DdbError);
    expect(e.code).toBe('input.spec');
    expect(e.message.startsWith('tables.yaml: ')).toBe(true);
    expect(e.message).toContain(expected);
    expect(e.message).not.toContain('\n');
  });

  it.each([
    [
      'missing name',
      { tables: [{ partitionKey: 'id:S' }] },
      'tables[0].name: missing: every table needs a name',
    ],
    [
      'missing partition key',
      { tables: [{ name: 'users' }] },
      'tables[0].partitionKey: missing: every table needs a partition key',
    ],
    ['table not an object', { tables: ['users'] }, 'tables[0]: expected a table'],
    [
      'unknown top-level field',
      { tables: [{ name: 'users', partitionKey: 'id:S' }], version: 1 },
      'tables.yaml: version: unknown field',
    ],
    [
      'tables not a list',
      { tables: { name: 'users' } },
      'tables.yaml: tables: expected a list of tables, got an object',
    ],
    ['no tables', { tables: [] }, 'tables.yaml: tables: no tables: add at least one'],
    [
      'duplicate table names',
      {
        tables: [
          { name: 'users', partitionKey: 'id:S' },
          { name: 'users', partitionKey: 'id:S' },
        ],
      },
      'tables.yaml: tables[1].name: duplicate table name "users" (also at tables[0].name)',
    ],
    [
      'duplicate names across formats',
      {
        tables: [
          { name: 'users', partitionKey: 'id:S' },
          {
            TableName: 'users',
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          },
        ],
      },
      'tables.yaml: tables[1].TableName: duplicate table name "users"',
    ],
    [
      'something else',
      { hello: 'world' },
      'tables.yaml: expected "tables:" (a list of tables), one table with "name:"',
    ],
  ])('%s', (_, doc, expected) => {
    expect(errorOf(JSON.stringify(doc)).message).toContain(expected);
  });

  it.each([
    ['an empty file', '', 'got an empty file'],
    ['a scalar', 'hello', 'got "hello"'],
    ['broken YAML', 'tables: [1\nb: 2', 'tables.yaml: not valid YAML or JSON: '],
    ['duplicate YAML keys', 'name: a\nname: b\n', 'not valid YAML or JSON: Map keys must be unique'],
    ['broken JSON', '{"tables": [}', 'not valid YAML or JSON'],
    // JSON.parse would take the last: the spec's reader never sees the first.
    [
      'duplicate JSON keys',
      '{"TableName": "a", "TableName": "b", "KeySchema": []}',
      'not valid YAML or JSON: Map keys must be unique at line 1, column 20',
    ],
  ])('%s', (_, text, expected) => {
    const e = errorOf(text);
    expect(e.code).toBe('input.spec');
    expect(e.message).toContain(expected);
    expect(e.message).not.toContain('\n');
  });
});

describe('parseSpecFile: line numbers', () => {
  const yaml = [
    'tables:', // 1
    '  - name: users', // 2
    '    partitionKey: username:S', // 3
    '    gsis:', // 4
    '      - name: byEmail', // 5
    '        partitionKey: email:S', // 6
    '      - name: byEmail', // 7
    '        partitionKey: email:S', // 8
  ].join('\n');

  it('names file, path and line', () => {
    const e = errorOf(yaml);
    expect(e.message).toBe(
      'tables.yaml: tables[0].gsis[1].name: duplicate index name "byEmail" (also at tables[0].gsis[0].name) (line 7)',
    );
    expect(e.details).toEqual({ file: 'tables.yaml', path: 'tables[0].gsis[1].name', line: 7 });
  });

  it('points an unknown field at its key, even when the value is a block below', () => {
    const text = ['name: users', 'partitionKey: id:S', 'globalIndexes:', '  - name: byEmail'].join('\n');
    expect(errorOf(text, 'users.yml').message).toBe(
      'users.yml: globalIndexes: unknown field; expected one of: name, partitionKey, sortKey, attributes, billing, gsis, lsis, tags, ttl, pitr, stream, deletionProtection, tableClass, onDemandThroughput, warmThroughput, sse, resourcePolicy (line 3)',
    );
  });

  it('falls back to the nearest existing node for a missing field', () => {
    const text = [
      'tables:',
      '  - name: users',
      '    gsis:',
      '      - name: byEmail',
      '    partitionKey: id:S',
    ].join('\n');
    expect(errorOf(text).message).toBe(
      'tables.yaml: tables[0].gsis[0].partitionKey: missing: a GSI needs a partition key (line 4)',
    );
  });

  it('reports lines in JSON too', () => {
    const json = JSON.stringify({ tables: [{ name: 'users', partitionKey: 'id:S', pitr: 'yes' }] }, null, 2);
    expect(errorOf(json, 't.json').message).toBe(
      't.json: tables[0].pitr: expected true or false, got "yes" (line 6)',
    );
  });

  it('reports the line of a YAML syntax error in details', () => {
    const e = errorOf('tables:\n  - name: [users\n');
    expect(e.details?.line).toBeTypeOf('number');
  });

  it('refuses a file nested thousands of levels deep in one line in its own words (not the stack)', () => {
    const e = errorOf(`tables:\n  - name: users\n    tags: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(e.code).toBe('input.spec');
    expect(e.message).toBe(
      'tables.yaml: not valid YAML or JSON: nested deeper than its reader follows (hundreds of levels), which no table spec is',
    );
    // JSON as deep is read (JSON.parse is not recursive), and then checked as any spec is …
    const json = errorOf(
      `{"tables":[{"name":"users","tags":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}]}`,
    );
    expect(json.message).toMatch(/^tables\.yaml: tables\[0\]\.partitionKey: missing/);
    // … also where the check itself walks it (a resource policy is written back as JSON text).
    const policy = errorOf(
      `{"tables":[{"name":"users","partitionKey":"pk:S","resourcePolicy":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}]}`,
    );
    expect(policy.code).toBe('input.spec');
    expect(policy.message).toBe('tables.yaml: nested thousands of levels deep, which no table spec is');
  });

  it('refuses YAML aliases that expand without end (a "billion laughs"), in one line', () => {
    const levels = 'abcdefghij'.split('');
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...levels.slice(1).map((l, i) => `${l}: &${l} [${Array(10).fill(`*${levels[i]}`).join(',')}]`),
      'tables:',
      '  - name: users',
      '    partitionKey: pk:S',
      '    tags: {t: *j}',
    ].join('\n');
    const e = errorOf(bomb);
    expect(e.code).toBe('input.spec');
    expect(e.message).toMatch(/^tables\.yaml: not a table spec: its YAML aliases expand past 1,000 copies/);
  });
});

// ---------------------------------------------------------------------------------------------
// AWS formats

/** What `aws dynamodb create-table --generate-cli-skeleton` prints, filled in. */
const skeleton = {
  AttributeDefinitions: [
    { AttributeName: 'username', AttributeType: 'S' },
    { AttributeName: 'createdAt', AttributeType: 'N' },
    { AttributeName: 'email', AttributeType: 'S' },
    { AttributeName: 'score', AttributeType: 'N' },
  ],
  TableName: 'users',
  KeySchema: [
    { AttributeName: 'username', KeyType: 'HASH' },
    { AttributeName: 'createdAt', KeyType: 'RANGE' },
  ],
  LocalSecondaryIndexes: [
    {
      IndexName: 'byScore',
      KeySchema: [
        { AttributeName: 'username', KeyType: 'HASH' },
        { AttributeName: 'score', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['displayName'] },
    },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byEmail',
      KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
      ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
      OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 },
      WarmThroughput: { ReadUnitsPerSecond: 0, WriteUnitsPerSecond: 0 },
    },
  ],
  BillingMode: 'PROVISIONED',
  ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: '' },
  Tags: [{ Key: 'env', Value: 'prod' }],
  TableClass: 'STANDARD_INFREQUENT_ACCESS',
  DeletionProtectionEnabled: true,
  WarmThroughput: { ReadUnitsPerSecond: 0, WriteUnitsPerSecond: 0 },
  ResourcePolicy: '',
  OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 },
};

const skeletonSpec: TableSpec = {
  name: 'users',
  partitionKey: { name: 'username', type: 'S' },
  sortKey: { name: 'createdAt', type: 'N' },
  billing: { mode: 'PROVISIONED', read: 5, write: 6 },
  gsis: [
    {
      name: 'byEmail',
      partitionKey: { name: 'email', type: 'S' },
      projection: { type: 'KEYS_ONLY' },
      throughput: { read: 3, write: 4 },
    },
  ],
  lsis: [
    {
      name: 'byScore',
      sortKey: { name: 'score', type: 'N' },
      projection: { type: 'INCLUDE', attributes: ['displayName'] },
    },
  ],
  tags: { env: 'prod' },
  stream: { viewType: 'NEW_IMAGE' },
  tableClass: 'STANDARD_INFREQUENT_ACCESS',
  deletionProtection: true,
  // Enabled: true without a key: the AWS managed KMS key.
  sse: { kms: true },
};

/** `aws dynamodb describe-table` output for an on-demand table. */
const describeOutput = {
  Table: {
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'email', AttributeType: 'S' },
    ],
    TableName: 'accounts',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    TableStatus: 'ACTIVE',
    CreationDateTime: '2024-05-01T10:00:00.000000+00:00',
    ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    TableSizeBytes: 1024,
    ItemCount: 3,
    TableArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/accounts',
    TableId: '0e0c0b0a-0000-4000-8000-000000000000',
    BillingModeSummary: {
      BillingMode: 'PAY_PER_REQUEST',
      LastUpdateToPayPerRequestDateTime: '2024-05-01T10:00:00Z',
    },
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byEmail',
        KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL' },
        IndexStatus: 'ACTIVE',
        ProvisionedThroughput: { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        IndexSizeBytes: 100,
        ItemCount: 3,
        IndexArn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/accounts/index/byEmail',
        WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
      },
    ],
    TableClassSummary: { TableClass: 'STANDARD' },
    DeletionProtectionEnabled: false,
    WarmThroughput: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
    SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' },
  },
};

const describeSpec: TableSpec = {
  name: 'accounts',
  partitionKey: { name: 'id', type: 'S' },
  billing: { mode: 'PAY_PER_REQUEST' },
  gsis: [
    {
      name: 'byEmail',
      partitionKey: { name: 'email', type: 'S' },
      projection: { type: 'ALL' },
      warmThroughput: { read: 12000, write: 4000 },
    },
  ],
  lsis: [],
  stream: null,
  tableClass: 'STANDARD',
  deletionProtection: false,
  // What the table has: the warm throughput DynamoDB reports, the AWS managed KMS key.
  warmThroughput: { read: 12000, write: 4000 },
  sse: { kms: true },
};

describe('parseSpecFile: CreateTable input (generate-cli-skeleton)', () => {
  it('reads a filled skeleton: SSE with the AWS managed key; the placeholder zeros of on-demand and warm throughput ignored', () => {
    expect(parseSpecFile(JSON.stringify(skeleton, null, 2), 'users.json')).toEqual([skeletonSpec]);
  });

  it('leaves what the input does not set unmanaged', () => {
    const [spec] = parseSpecFile(
      JSON.stringify({
        TableName: 'plain',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
      'p.json',
    );
    expect(spec).toEqual({
      name: 'plain',
      partitionKey: { name: 'id', type: 'S' },
      billing: { mode: 'PAY_PER_REQUEST' },
    });
  });

  it("treats the skeleton's 0/0 placeholder capacity of an on-demand table as absent", () => {
    const [spec] = parseSpecFile(
      JSON.stringify({
        ...skeleton,
        BillingMode: 'PAY_PER_REQUEST',
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        GlobalSecondaryIndexes: [
          {
            ...skeleton.GlobalSecondaryIndexes[0],
            ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
          },
        ],
      }),
      'p.json',
    );
    expect(spec?.billing).toEqual({ mode: 'PAY_PER_REQUEST' });
    expect(spec?.gsis?.[0]?.throughput).toBeUndefined();
  });

  it('round-trips createTableInput output', () => {
    const input = createTableInput(skeletonSpec);
    expect(parseSpecFile(JSON.stringify(input), 'rt.json')).toEqual([skeletonSpec]);
  });

  const base = () => structuredClone(skeleton) as Record<string, unknown> & typeof skeleton;
  const cases: [string, (s: ReturnType<typeof base>) => void, string][] = [
    ['unknown top-level key', (s) => Object.assign(s, { Foo: 1 }), 'users.json: Foo: unknown field'],
    [
      'misspelt top-level key',
      (s) => Object.assign(s, { TableNme: 'x' }),
      'TableNme: unknown field (did you mean "TableName"?)',
    ],
    [
      'KeySchema attribute without a definition',
      (s) => {
        s.AttributeDefinitions = s.AttributeDefinitions.filter((d) => d.AttributeName !== 'createdAt');
      },
      'users.json: KeySchema[1].AttributeName: key attribute "createdAt" has no type: add it to AttributeDefinitions',
    ],
    [
      'GSI key without a definition',
      (s) => {
        s.AttributeDefinitions = s.AttributeDefinitions.filter((d) => d.AttributeName !== 'email');
      },
      'GlobalSecondaryIndexes[0].KeySchema[0].AttributeName: key attribute "email" has no type',
    ],
    [
      'conflicting attribute definitions',
      (s) => {
        s.AttributeDefinitions.push({ AttributeName: 'email', AttributeType: 'N' });
      },
      'AttributeDefinitions[4].AttributeType: attribute "email" is N here but S at AttributeDefinitions[2]',
    ],
    [
      'unused attribute definition',
      (s) => {
        s.AttributeDefinitions.push({ AttributeName: 'unused', AttributeType: 'S' });
      },
      'AttributeDefinitions[4]: attribute "unused" is in no KeySchema',
    ],
    [
      'bad attribute type',
      (s) => {
        s.AttributeDefinitions[0] = { AttributeName: 'username', AttributeType: 'BOOL' };
      },
      'AttributeDefinitions[0].AttributeType: unknown AttributeType "BOOL"',
    ],
    [
      'no KeySchema',
      (s) => Reflect.deleteProperty(s, 'KeySchema'),
      'users.json: KeySchema: missing KeySchema',
    ],
    [
      'no HASH key',
      (s) => {
        s.KeySchema = [{ AttributeName: 'createdAt', KeyType: 'RANGE' }];
      },
      'KeySchema: no HASH (partition) key',
    ],
    [
      'two HASH keys',
      (s) => {
        s.KeySchema = [
          { AttributeName: 'username', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'HASH' },
        ];
      },
      'KeySchema[1].KeyType: more than one HASH key',
    ],
    [
      'bad KeyType',
      (s) => {
        s.KeySchema = [{ AttributeName: 'username', KeyType: 'PARTITION' }];
      },
      'KeySchema[0].KeyType: unknown KeyType "PARTITION"',
    ],
    ['bad TableName', (s) => Object.assign(s, { TableName: 'a b' }), 'TableName: invalid table name "a b"'],
    [
      'provisioned without capacity',
      (s) => Reflect.deleteProperty(s, 'ProvisionedThroughput'),
      'users.json: missing ProvisionedThroughput: a PROVISIONED table needs it',
    ],
    [
      'capacity 0 on a provisioned table',
      (s) => Object.assign(s, { ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }),
      'ProvisionedThroughput: read capacity must be an integer ≥ 1, got 0',
    ],
    [
      'GSI capacity 0 on a provisioned table',
      (s) => {
        s.GlobalSecondaryIndexes[0]!.ProvisionedThroughput = { ReadCapacityUnits: 0, WriteCapacityUnits: 0 };
      },
      'GlobalSecondaryIndexes[0].ProvisionedThroughput: read capacity must be an integer ≥ 1, got 0',
    ],
    [
      'on-demand table with capacity',
      (s) => Object.assign(s, { BillingMode: 'PAY_PER_REQUEST' }),
      'ProvisionedThroughput: an on-demand (PAY_PER_REQUEST) table takes no ProvisionedThroughput',
    ],
    [
      'GSI capacity on an on-demand table',
      (s) => {
        Object.assign(s, { BillingMode: 'PAY_PER_REQUEST' });
        Reflect.deleteProperty(s, 'ProvisionedThroughput');
      },
      'GlobalSecondaryIndexes[0].ProvisionedThroughput: provisioned throughput on a GSI of an on-demand table',
    ],
    [
      'bad BillingMode',
      (s) => Object.assign(s, { BillingMode: 'FREE' }),
      'BillingMode: unknown BillingMode "FREE"',
    ],
    [
      'INCLUDE without NonKeyAttributes',
      (s) => {
        s.GlobalSecondaryIndexes[0]!.Projection = { ProjectionType: 'INCLUDE' };
      },
      'GlobalSecondaryIndexes[0].Projection: an INCLUDE projection needs the list of attributes',
    ],
    [
      'NonKeyAttributes with ALL',
      (s) => {
        s.LocalSecondaryIndexes[0]!.Projection = { ProjectionType: 'ALL', NonKeyAttributes: ['x'] };
      },
      'LocalSecondaryIndexes[0].Projection.NonKeyAttributes: attributes are only allowed with an INCLUDE projection',
    ],
    [
      'misspelt nested key',
      (s) => {
        s.GlobalSecondaryIndexes[0]!.Projection = { ProjectionTyp: 'ALL' } as never;
      },
      'GlobalSecondaryIndexes[0].Projection.ProjectionTyp: unknown field (did you mean "ProjectionType"?)',
    ],
    [
      'bad index name',
      (s) => {
        s.GlobalSecondaryIndexes[0]!.IndexName = 'x';
      },
      'GlobalSecondaryIndexes[0].IndexName: invalid index name "x"',
    ],
    [
      'duplicate index name',
      (s) => {
        s.GlobalSecondaryIndexes[0]!.IndexName = 'byScore';
      },
      'LocalSecondaryIndexes[0].IndexName: duplicate index name "byScore" (also at GlobalSecondaryIndexes[0].IndexName)',
    ],
    [
      'LSI with another HASH key',
      (s) => {
        s.LocalSecondaryIndexes[0]!.KeySchema[0] = { AttributeName: 'email', KeyType: 'HASH' };
      },
      'LocalSecondaryIndexes[0].KeySchema[0]: an LSI\'s HASH key must be the table\'s ("username")',
    ],
    [
      'LSI without a RANGE key',
      (s) => {
        s.LocalSecondaryIndexes[0]!.KeySchema = [{ AttributeName: 'username', KeyType: 'HASH' }];
        s.AttributeDefinitions = s.AttributeDefinitions.filter((d) => d.AttributeName !== 'score');
      },
      'LocalSecondaryIndexes[0].KeySchema: an LSI needs a RANGE (sort) key',
    ],
    [
      'duplicate tag key',
      (s) => {
        s.Tags.push({ Key: 'env', Value: 'dev' });
      },
      'Tags[1].Key: duplicate tag key "env"',
    ],
    [
      'tag value too long',
      (s) => {
        s.Tags = [{ Key: 'env', Value: 'v'.repeat(257) }];
      },
      'Tags[0]: a tag value must be at most 256 characters',
    ],
    [
      '51 tags',
      (s) => {
        s.Tags = range(51).map((i) => ({ Key: `k${i}`, Value: 'v' }));
      },
      'users.json: Tags: 51 tags',
    ],
    [
      'stream enabled without a view type',
      (s) => {
        s.StreamSpecification = { StreamEnabled: true } as never;
      },
      'StreamSpecification.StreamViewType: missing the stream view type',
    ],
    [
      'bad TableClass',
      (s) => Object.assign(s, { TableClass: 'COLD' }),
      'TableClass: unknown TableClass "COLD"',
    ],
    [
      'DeletionProtectionEnabled not a boolean',
      (s) => Object.assign(s, { DeletionProtectionEnabled: 'true' }),
      'DeletionProtectionEnabled: expected true or false, got "true"',
    ],
  ];

  it.each(cases)('%s', (_, mutate, expected) => {
    const s = base();
    mutate(s);
    const e = errorOf(JSON.stringify(s, null, 2), 'users.json');
    expect(e.code).toBe('input.spec');
    expect(e.message).toContain(expected);
  });

  it('reads a stream turned off as null', () => {
    const s = { ...skeleton, StreamSpecification: { StreamEnabled: false } };
    expect(parseSpecFile(JSON.stringify(s), 'u.json')[0]?.stream).toBeNull();
  });
});

describe('parseSpecFile: describe-table output', () => {
  it('reads {Table: ...}, ignoring read-only fields; absent settings are explicit off', () => {
    expect(parseSpecFile(JSON.stringify(describeOutput, null, 2), 'accounts.json')).toEqual([describeSpec]);
  });

  it('reads `ddbctl describe-table -o json`: tags, TTL and PITR too; null (not supported) leaves them unmanaged', () => {
    const doc = {
      ...describeOutput,
      Tags: { env: 'prod' },
      TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' },
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
      },
    };
    expect(parseSpecFile(JSON.stringify(doc), 'd.json')).toEqual([
      { ...describeSpec, tags: { env: 'prod' }, ttl: { attribute: 'exp' }, pitr: true },
    ]);
    const unsupported = {
      ...describeOutput,
      Tags: null,
      TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' },
      ContinuousBackupsDescription: null,
    };
    expect(parseSpecFile(JSON.stringify(unsupported), 'd.json')).toEqual([{ ...describeSpec, ttl: null }]);
  });

  it('reads create-table output {TableDescription: ...} and a bare description', () => {
    const created = { TableDescription: describeOutput.Table };
    expect(parseSpecFile(JSON.stringify(created), 'c.json')).toEqual([describeSpec]);
    expect(parseSpecFile(JSON.stringify(describeOutput.Table), 'c.json')).toEqual([describeSpec]);
  });

  it('reads a provisioned description with a stream and an LSI', () => {
    const table = {
      ...describeOutput.Table,
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'at', AttributeType: 'N' },
        { AttributeName: 'email', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'id', KeyType: 'HASH' },
        { AttributeName: 'at', KeyType: 'RANGE' },
      ],
      BillingModeSummary: undefined,
      ProvisionedThroughput: { NumberOfDecreasesToday: 1, ReadCapacityUnits: 7, WriteCapacityUnits: 8 },
      GlobalSecondaryIndexes: [
        {
          ...describeOutput.Table.GlobalSecondaryIndexes[0],
          Backfilling: false,
          ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 8, LastIncreaseDateTime: 'x' },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byEmail2',
          KeySchema: [
            { AttributeName: 'id', KeyType: 'HASH' },
            { AttributeName: 'email', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          IndexSizeBytes: 0,
          ItemCount: 0,
          IndexArn: 'arn',
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      LatestStreamArn: 'arn:stream',
      LatestStreamLabel: 'label',
      TableClassSummary: { TableClass: 'STANDARD_INFREQUENT_ACCESS', LastUpdateDateTime: 'x' },
      DeletionProtectionEnabled: true,
    };
    const [spec] = parseSpecFile(JSON.stringify({ Table: table }), 'd.json');
    expect(spec).toEqual({
      name: 'accounts',
      partitionKey: { name: 'id', type: 'S' },
      sortKey: { name: 'at', type: 'N' },
      billing: { mode: 'PROVISIONED', read: 7, write: 8 },
      gsis: [
        {
          name: 'byEmail',
          partitionKey: { name: 'email', type: 'S' },
          projection: { type: 'ALL' },
          throughput: { read: 7, write: 8 },
          warmThroughput: { read: 12000, write: 4000 },
        },
      ],
      lsis: [{ name: 'byEmail2', sortKey: { name: 'email', type: 'S' }, projection: { type: 'KEYS_ONLY' } }],
      stream: { viewType: 'KEYS_ONLY' },
      tableClass: 'STANDARD_INFREQUENT_ACCESS',
      deletionProtection: true,
      warmThroughput: { read: 12000, write: 4000 },
      sse: { kms: true },
    });
  });

  it.each([
    [
      'an unknown key beside Table',
      { ...describeOutput, Foo: 1 },
      'd.json: Foo: unknown field; expected one of: Table',
    ],
    [
      'an unknown key in Table',
      { Table: { ...describeOutput.Table, Bogus: 1 } },
      'd.json: Table.Bogus: unknown field',
    ],
    [
      'an unknown key in a GSI',
      {
        Table: {
          ...describeOutput.Table,
          GlobalSecondaryIndexes: [{ ...describeOutput.Table.GlobalSecondaryIndexes[0], Shards: 2 }],
        },
      },
      'Table.GlobalSecondaryIndexes[0].Shards: unknown field',
    ],
    ['Table not an object', { Table: 'users' }, 'd.json: Table: expected a table'],
  ])('rejects %s', (_, doc, expected) => {
    expect(errorOf(JSON.stringify(doc), 'd.json').message).toContain(expected);
  });

  it('mixes formats in one tables list', () => {
    const text = JSON.stringify({
      tables: [{ name: 'users', partitionKey: 'id:S' }, skeleton, describeOutput].map((t) =>
        t === skeleton ? { ...skeleton, TableName: 'users2' } : t,
      ),
    });
    expect(parseSpecFile(text, 'm.json').map((s) => s.name)).toEqual(['users', 'users2', 'accounts']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('specFromDescription', () => {
  const desc = (extra: Partial<TableDescription> = {}): TableDescription => ({
    TableName: 'users',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    TableStatus: 'ACTIVE',
    CreationDateTime: new Date(0),
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5, NumberOfDecreasesToday: 0 },
    ...extra,
  });

  it('reads a provisioned table with definite stream / class / deletion protection', () => {
    expect(specFromDescription(desc(), {})).toEqual({
      name: 'users',
      partitionKey: { name: 'id', type: 'S' },
      billing: { mode: 'PROVISIONED', read: 5, write: 5 },
      gsis: [],
      lsis: [],
      tags: {},
      stream: null,
      tableClass: 'STANDARD',
      deletionProtection: false,
      sse: { kms: false },
    });
  });

  it('takes tags, ttl and pitr from extras; absent extras leave ttl and pitr unknown', () => {
    const spec = specFromDescription(desc(), {
      tags: { env: 'prod' },
      ttl: { attribute: 'exp' },
      pitr: true,
    });
    expect(spec.tags).toEqual({ env: 'prod' });
    expect(spec.ttl).toEqual({ attribute: 'exp' });
    expect(spec.pitr).toBe(true);
    const bare = specFromDescription(desc(), {});
    expect('ttl' in bare).toBe(false);
    expect('pitr' in bare).toBe(false);
    expect(specFromDescription(desc(), { ttl: null }).ttl).toBeNull();
  });

  it.each([
    ['BillingModeSummary PAY_PER_REQUEST', { BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } }],
    [
      '0/0 capacity without a summary (some engines)',
      { ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } },
    ],
    ['no ProvisionedThroughput at all', { ProvisionedThroughput: undefined }],
  ] as [string, Partial<TableDescription>][])('reads on-demand from %s', (_, extra) => {
    expect(specFromDescription(desc(extra), {}).billing).toEqual({ mode: 'PAY_PER_REQUEST' });
  });

  it('tolerates unknown fields (new SDK fields must not break apply)', () => {
    const d = { ...desc(), SomethingNew: { x: 1 } } as TableDescription;
    expect(specFromDescription(d, {}).name).toBe('users');
  });

  it('throws service.error for a description without keys', () => {
    expect(() => specFromDescription({ TableName: 'users' }, {})).toThrow(
      expect.objectContaining({ code: 'service.error' }) as unknown as Error,
    );
  });

  it('reads the GSIs of an on-demand table without throughput', () => {
    const spec = specFromDescription(
      desc({
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byEmail',
            KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
            IndexStatus: 'CREATING',
            Backfilling: true,
            ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
          },
        ],
      }),
      {},
    );
    expect(spec.gsis).toEqual([
      { name: 'byEmail', partitionKey: { name: 'email', type: 'S' }, projection: { type: 'ALL' } },
    ]);
  });
});

describe('createTableInput', () => {
  it('builds the full CreateTable input', () => {
    expect(createTableInput(skeletonSpec)).toEqual({
      TableName: 'users',
      AttributeDefinitions: [
        { AttributeName: 'username', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'N' },
        { AttributeName: 'email', AttributeType: 'S' },
        { AttributeName: 'score', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'username', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byEmail',
          KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byScore',
          KeySchema: [
            { AttributeName: 'username', KeyType: 'HASH' },
            { AttributeName: 'score', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['displayName'] },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      Tags: [{ Key: 'env', Value: 'prod' }],
      TableClass: 'STANDARD_INFREQUENT_ACCESS',
      DeletionProtectionEnabled: true,
      SSESpecification: { Enabled: true, SSEType: 'KMS' },
    });
  });

  it('a minimal on-demand table: no capacity, no indexes, no tags, nothing unmanaged', () => {
    expect(
      createTableInput({
        name: 't_1',
        partitionKey: { name: 'id', type: 'B' },
        billing: { mode: 'PAY_PER_REQUEST' },
        gsis: [],
        lsis: [],
        tags: {},
        stream: null,
      }),
    ).toEqual({
      TableName: 't_1',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('dedupes attribute definitions and gives GSIs without throughput the table capacity', () => {
    const input = createTableInput({
      name: 'users',
      partitionKey: { name: 'id', type: 'S' },
      sortKey: { name: 'at', type: 'N' },
      billing: { mode: 'PROVISIONED', read: 2, write: 3 },
      gsis: [
        {
          name: 'byAt',
          partitionKey: { name: 'at', type: 'N' },
          sortKey: { name: 'id', type: 'S' },
          projection: { type: 'ALL' },
        },
        { name: 'byAt2', partitionKey: { name: 'at', type: 'N' }, projection: { type: 'ALL' } },
      ],
      lsis: [{ name: 'byAt3', sortKey: { name: 'at', type: 'N' }, projection: { type: 'ALL' } }],
      tags: {},
    });
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'at', AttributeType: 'N' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((g) => g.ProvisionedThroughput)).toEqual([
      { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
      { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
    ]);
  });

  it('sends deletion protection false when it is managed, and a describe-table spec round-trips', () => {
    expect(createTableInput(describeSpec).DeletionProtectionEnabled).toBe(false);
    expect(createTableInput(describeSpec).TableClass).toBe('STANDARD');
    expect(createTableInput(describeSpec).StreamSpecification).toBeUndefined();
  });

  it('attributeDefinitionsInput skips missing keys', () => {
    expect(
      attributeDefinitionsInput([undefined, { name: 'a', type: 'S' }, { name: 'a', type: 'S' }]),
    ).toEqual([{ AttributeName: 'a', AttributeType: 'S' }]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('on-demand limits, warm throughput, SSE and the resource policy', () => {
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: '*' }],
  };

  it('reads them in ddbctl format, each under a readable key', () => {
    const [spec] = parseSpecFile(
      [
        'name: users',
        'partitionKey: id:S',
        'onDemandThroughput: {maxRead: 100}',
        'warmThroughput: {read: 15000, write: 5000}',
        'sse: {kmsKey: alias/users}',
        'resourcePolicy:',
        '  Version: "2012-10-17"',
        '  Statement: []',
        'gsis:',
        '  - name: byEmail',
        '    partitionKey: email:S',
        '    onDemandThroughput: {maxRead: 10, maxWrite: 20}',
        '    warmThroughput: {write: 4500}',
      ].join('\n'),
      'u.yaml',
    );
    expect(spec).toMatchObject({
      onDemandThroughput: { maxRead: 100, maxWrite: -1 },
      warmThroughput: { read: 15000, write: 5000 },
      sse: { kms: true, kmsKey: 'alias/users' },
      resourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
      gsis: [
        {
          name: 'byEmail',
          onDemandThroughput: { maxRead: 10, maxWrite: 20 },
          warmThroughput: { write: 4500 },
        },
      ],
    });
    const words = (v: string) =>
      parseSpecFile(`name: u12\npartitionKey: id:S\nsse: ${v}\n`, 'u.yaml')[0]?.sse;
    expect([words('owned'), words('false'), words('kms'), words('true'), words('aws-managed')]).toEqual([
      { kms: false },
      { kms: false },
      { kms: true },
      { kms: true },
      { kms: true },
    ]);
  });

  it.each([
    [
      'onDemandThroughput: {maxRead: 0}',
      'onDemandThroughput: maxRead must be an integer ≥ 1, or -1 for no limit, got 0',
    ],
    [
      'onDemandThroughput: {maxReads: 5}',
      'onDemandThroughput.maxReads: unknown field (did you mean "maxRead"?)',
    ],
    [
      'billing: {read: 5, write: 5}\nonDemandThroughput: {maxRead: 5}',
      'onDemandThroughput: on-demand throughput limits apply to on-demand tables: remove them, or use billing: on-demand',
    ],
    ['warmThroughput: {}', 'warmThroughput: give read and/or write units a second'],
    ['warmThroughput: {read: 1.5}', 'warmThroughput: warm read throughput must be an integer ≥ 1, got 1.5'],
    [
      'sse: aes',
      'sse: unknown encryption "aes": use owned (an AWS owned key), kms (the AWS managed key) or {kmsKey: KEY}',
    ],
    ['resourcePolicy: "{not json"', 'resourcePolicy: the resource policy is not valid JSON'],
  ])('refuses %s', (yaml, message) => {
    expect(errorOf(`name: users\npartitionKey: id:S\n${yaml}\n`, 'u.yaml').message).toContain(
      `u.yaml: ${message}`,
    );
  });

  it('reads them from CreateTable input and round-trips createTableInput', () => {
    const input = {
      TableName: 'users',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: -1 },
      WarmThroughput: { ReadUnitsPerSecond: 15000 },
      SSESpecification: {
        Enabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/k1',
      },
      ResourcePolicy: JSON.stringify(policy),
    };
    const [spec] = parseSpecFile(JSON.stringify(input), 'in.json');
    expect(spec).toEqual({
      name: 'users',
      partitionKey: { name: 'id', type: 'S' },
      billing: { mode: 'PAY_PER_REQUEST' },
      onDemandThroughput: { maxRead: 100, maxWrite: -1 },
      warmThroughput: { read: 15000 },
      sse: { kms: true, kmsKey: 'arn:aws:kms:eu-west-1:123456789012:key/k1' },
      resourcePolicy: JSON.stringify(policy),
    });
    expect(createTableInput(spec as TableSpec)).toEqual(input);
  });

  it('reads them from a description: SSEDescription, OnDemandThroughput, WarmThroughput with its Status', () => {
    const [spec] = parseSpecFile(
      JSON.stringify({
        Table: {
          ...describeOutput.Table,
          OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 50 },
          WarmThroughput: { ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 5000, Status: 'UPDATING' },
          SSEDescription: {
            Status: 'ENABLED',
            SSEType: 'KMS',
            KMSMasterKeyArn: 'arn:aws:kms:eu-west-1:1:key/k1',
          },
        },
      }),
      'd.json',
    );
    expect(spec).toMatchObject({
      onDemandThroughput: { maxRead: 100, maxWrite: 50 },
      warmThroughput: { read: 15000, write: 5000 },
      sse: { kms: true, kmsKey: 'arn:aws:kms:eu-west-1:1:key/k1' },
    });
  });
});

describe('parseSpecFile: a verbatim `aws dynamodb create-table --generate-cli-skeleton`', () => {
  /**
   * Every field of CreateTable's request syntax, as the skeleton prints it (its placeholders: "",
   * 0, one entry per list), with only the name, the keys and the billing filled in.
   */
  const verbatim = {
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: '', AttributeType: 'S' },
    ],
    TableName: 'users',
    KeySchema: [
      { AttributeName: 'id', KeyType: 'HASH' },
      { AttributeName: '', KeyType: 'HASH' },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: '',
        KeySchema: [{ AttributeName: '', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL', NonKeyAttributes: [''] },
      },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: '',
        KeySchema: [{ AttributeName: '', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'ALL', NonKeyAttributes: [''] },
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 },
        WarmThroughput: { ReadUnitsPerSecond: 0, WriteUnitsPerSecond: 0 },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
    SSESpecification: { Enabled: false, SSEType: 'KMS', KMSMasterKeyId: '' },
    Tags: [{ Key: '', Value: '' }],
    TableClass: 'STANDARD',
    DeletionProtectionEnabled: false,
    WarmThroughput: { ReadUnitsPerSecond: 0, WriteUnitsPerSecond: 0 },
    ResourcePolicy: '',
    OnDemandThroughput: { MaxReadRequestUnits: 0, MaxWriteRequestUnits: 0 },
    GlobalTableSourceArn: '',
    GlobalTableSettingsReplicationMode: 'ENABLED',
    VectorIndexes: [
      {
        IndexName: '',
        VectorAttribute: { AttributeName: '' },
        SearchSchema: [{ AttributeName: '', SearchSchemaElementType: 'HASH' }],
        Projection: { ProjectionType: 'ALL', NonKeyAttributes: [''] },
        Dimensions: 0,
        DistanceFunction: 'COSINE',
      },
    ],
  };

  it('is read, its placeholders and inapplicable fields ignored with one note naming them', () => {
    const notes: string[] = [];
    const [spec] = parseSpecFile(JSON.stringify(verbatim, null, 2), 'skel.json', {
      onNote: (m) => notes.push(m),
    });
    expect(spec).toEqual({
      name: 'users',
      partitionKey: { name: 'id', type: 'S' },
      billing: { mode: 'PAY_PER_REQUEST' },
      sse: { kms: false },
      tableClass: 'STANDARD',
      deletionProtection: false,
    });
    expect(notes).toEqual([
      'skel.json: ignored the empty or inapplicable fields of the AWS CLI skeleton: AttributeDefinitions[1], KeySchema[1], LocalSecondaryIndexes[0], LocalSecondaryIndexes, GlobalSecondaryIndexes[0], GlobalSecondaryIndexes, SSESpecification.KMSMasterKeyId, Tags[0], Tags, WarmThroughput, ResourcePolicy, OnDemandThroughput, GlobalTableSourceArn, VectorIndexes[0], VectorIndexes, GlobalTableSettingsReplicationMode',
    ]);
  });

  it('a setting specs cannot manage is refused by name, never dropped', () => {
    for (const [field, value, what] of [
      [
        'GlobalTableSourceArn',
        'arn:aws:dynamodb:us-east-1:1:table/users',
        'a replica of a global table (GlobalTableSourceArn)',
      ],
      ['VectorIndexes', [{ IndexName: 'byVec', Dimensions: 3 }], 'vector indexes'],
    ] as const) {
      expect(errorOf(JSON.stringify({ ...verbatim, [field]: value }), 'skel.json').message).toContain(
        `skel.json: ${field}: ddbctl specs do not manage ${what}: remove ${field}, or create this table with 'aws dynamodb create-table'`,
      );
    }
  });
});
