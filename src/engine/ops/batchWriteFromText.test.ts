/**
 * BatchWriteItem's text path (batchWriteFromText.ts) against the general path (batchWriteItem.ts): the
 * same requests sent to two engines, one as written (the text path takes what it can), the other
 * with a space before it (JSON still, but never the text path's form), must get the same answers
 * and leave the same stored items (their text and size, under the same keys).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { itemTree } from '../catalog.js';
import { DdbEngine } from '../engine.js';
import { batchWriteFromText } from './batchWriteFromText.js';

const T = 'DynamoDB_20120810.';
const engines: DdbEngine[] = [];

afterEach(() => {
  for (const e of engines.splice(0)) e.stop();
});

async function engine(): Promise<DdbEngine> {
  const e = new DdbEngine({ transitionMs: 0, ttlSweepMs: 0 });
  engines.push(e);
  const create = (TableName: string, key: [string, string][], extra: object = {}) =>
    e.handle(
      `${T}CreateTable`,
      JSON.stringify({
        TableName,
        KeySchema: key.map(([AttributeName], i) => ({ AttributeName, KeyType: i ? 'RANGE' : 'HASH' })),
        AttributeDefinitions: key.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        BillingMode: 'PAY_PER_REQUEST',
        ...extra,
      }),
    );
  for (const a of [
    await create('hash', [['pk', 'S']]),
    await create('both', [
      ['pk', 'N'],
      ['sk', 'S'],
    ]),
    await create('indexed', [['pk', 'S']], {
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byg',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  ]) {
    expect(`${a.status} ${a.body}`).toMatch(/^200 /);
  }
  return e;
}

/** Every stored entry of every table: key, text and size. */
function contents(e: DdbEngine): string[] {
  return ['hash', 'both', 'indexed'].flatMap((t) =>
    Array.from(e.store.tree(itemTree(t)).entries(), ([k, s]) => `${t} ${k} ${s.z} ${s.j}`),
  );
}

const body = (table: string, items: string[], tail = '') =>
  `{"RequestItems":{${JSON.stringify(table)}:[${items.map((i) => `{"PutRequest":{"Item":${i}}}`).join(',')}]}${tail}}`;

// Strings: plain, escaped, beyond ASCII, surrogate pairs; dirty ones also lone surrogates.
const cleanUnits = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\u0001', '\u007f', 'é', '中', '😀', '\u2028'];
const lone = ['\ud800', '\udc00'];

/**
 * The text of items: `dirty` ones now and then hold what the general path refuses or stores
 * otherwise (non-canonical numbers and escapes, lone surrogates, bad names and values); clean ones
 * are valid, though not always in the stored form (numbers such as 1.5e-7, which the text path
 * declines and the general path normalises).
 */
function texts(dirty: boolean) {
  const unit = fc.constantFrom(...cleanUnits, ...(dirty ? lone : []));
  const str = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit, maxLength: 6 }),
    fc.string({ unit: 'binary', maxLength: 5 }),
  );
  const quoted = fc.tuple(str, fc.nat(dirty ? 9 : 0)).map(([s, how]) => {
    const canonical = JSON.stringify(s);
    if (how === 0 || !s.length) return canonical;
    if (how === 1)
      return `"\\u${s.charCodeAt(0).toString(16).padStart(4, '0')}${canonical.slice(1 + JSON.stringify(s[0]).length - 2)}`;
    if (how === 2) return canonical.replace(/\//g, '\\/');
    return canonical;
  });
  const names = [
    ...(dirty ? ['"pk"', '"sk"'] : []),
    '"a"',
    '"b"',
    '"x y"',
    '"é"',
    ...(dirty ? ['"__proto__"', '"1x"', '"7"', '""'] : []),
  ];
  // NOTE: clean names are valid (not empty), and kept where JSON.parse keeps them (no digit first).
  const fine = (n: string) =>
    dirty || (n !== '""' && !/^"\d/.test(n) && !['"pk"', '"sk"', '"__proto__"'].includes(n));
  const name = fc.oneof({ weight: 4, arbitrary: quoted.filter(fine) }, fc.constantFrom(...names));
  /** The members of an item or a map: names used once when clean. */
  const members = (v: fc.Arbitrary<string>) =>
    dirty
      ? fc.array(fc.tuple(name, v), { maxLength: 4 })
      : fc.uniqueArray(fc.tuple(name, v), { maxLength: 4, selector: ([n]) => JSON.parse(n) as string });
  const numberText = fc.oneof(
    { weight: 12, arbitrary: fc.integer().map(String) },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.integer(), fc.nat()).map(([i, f]) => `${i}.${f}`.replace(/\.?0+$/, '') || '0'),
    },
    { weight: dirty ? 4 : 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
    { weight: 4, arbitrary: fc.bigInt({ min: -(10n ** 37n), max: 10n ** 37n }).map(String) },
    fc.constantFrom(
      '0',
      '0.5',
      '-0.000001',
      '100',
      `1${'0'.repeat(37)}`,
      `0.${'0'.repeat(35)}1`,
      '9'.repeat(38),
    ),
    ...(dirty
      ? [
          fc.constantFrom(
            '-0',
            '1.0',
            '01',
            '1e3',
            '1.50',
            '.5',
            '5.',
            '+1',
            ' 1',
            'x',
            `1${'0'.repeat(38)}`,
          ),
          fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
          fc.constantFrom(`0.${'0'.repeat(36)}1`, '9'.repeat(39), `${'9'.repeat(38)}.5`),
        ]
      : []),
  );
  const numberJson = numberText.map((n) => JSON.stringify(n));
  const bad = fc.constantFrom(
    '{"NULL":false}',
    '{"B":"AAE="}',
    '{"S":null}',
    '{}',
    '{"S":"a","N":"1"}',
    'null',
    '{"SS":[]}',
  );
  const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: quoted.map((s) => `{"S":${s}}`) },
      { weight: 4, arbitrary: numberJson.map((n) => `{"N":${n}}`) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          '{"BOOL":true}',
          '{"BOOL":false}',
          '{"NULL":true}',
          '{"M":{}}',
          '{"L":[]}',
        ),
      },
      { weight: dirty ? 1 : 0, arbitrary: bad },
      fc.array(quoted, { minLength: 1, maxLength: 4 }).map((l) => `{"SS":[${l.join(',')}]}`),
      fc.array(numberJson, { minLength: 1, maxLength: 4 }).map((l) => `{"NS":[${l.join(',')}]}`),
      { weight: 2, arbitrary: fc.array(tie('v'), { maxLength: 4 }).map((l) => `{"L":[${l.join(',')}]}`) },
      {
        weight: 2,
        arbitrary: fc
          .constant(null)
          .chain(() => members(tie('v')))
          .map((m) => `{"M":{${m.map(([k, v]) => `${k}:${v}`).join(',')}}}`),
      },
    ),
  })).v;
  return { quoted, numberJson, value, members };
}

/**
 * Items of a table: key attributes (`keys`, given the item's place in the request: keys unique in
 * a clean request) and up to 4 more attributes.
 */
function items(dirty: boolean, table: 'hash' | 'both', max: number) {
  const t = texts(dirty);
  const key = (i: number, s: string) => (dirty && i % 7 === 3 ? s : `"${i}-${s.slice(1)}`);
  const keys =
    table === 'hash'
      ? fc.oneof(
          { weight: 8, arbitrary: t.quoted.map((s) => (i: number) => `"pk":{"S":${key(i, s)}}`) },
          ...(dirty
            ? [
                fc
                  .constantFrom('', '"pk":{"N":"1"}', '"pk":{"S":""}', `"pk":{"S":"${'x'.repeat(2049)}"}`)
                  .map((k) => () => k),
              ]
            : []),
        )
      : fc.oneof(
          {
            weight: 8,
            arbitrary: fc.tuple(t.numberJson, t.quoted).map(
              ([n, s]) =>
                (i: number) =>
                  `"pk":{"N":${n}},"sk":{"S":${key(i, s)}}`,
            ),
          },
          ...(dirty
            ? [fc.constantFrom('"pk":{"N":"1"}', '"sk":{"S":"a"},"pk":{"N":"2"}').map((k) => () => k)]
            : []),
        );
  const one = fc.tuple(keys, t.members(t.value));
  return fc
    .array(one, { minLength: 1, maxLength: max })
    .map((list) =>
      list.map(
        ([k, rest], i) => `{${[k(i), ...rest.map(([n, v]) => `${n}:${v}`)].filter(Boolean).join(',')}}`,
      ),
    );
}

const request = (dirty: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constant('hash'), items(dirty, 'hash', dirty ? 27 : 25)) },
    { weight: 2, arbitrary: fc.tuple(fc.constant('both'), items(dirty, 'both', 5)) },
    fc.tuple(fc.constantFrom('indexed', 'missing'), items(dirty, 'hash', 3)),
  );
const tail = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  fc.constantFrom(
    ',"ReturnConsumedCapacity":"TOTAL"',
    ',"ReturnConsumedCapacity":"NONE"',
    ',"ReturnItemCollectionMetrics":"SIZE"',
    ',"Bogus":1',
  ),
);
const mutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  fc.tuple(fc.nat(), fc.constantFrom('{', '}', '"', ',', ':', '[', ']', '\\', '0', ' ', 'é')),
);
/** One attribute the general path may refuse or store otherwise (a dirty name or value). */
const dirty = texts(true);
const oddAttribute = fc.oneof(
  fc.tuple(dirty.quoted, dirty.value).map(([n, v]) => `${n}:${v}`),
  dirty.quoted.map((q) => `"s":{"S":${q}}`),
  dirty.numberJson.map((n) => `"n":{"N":${n}}`),
  dirty.value.map((v) => `"v":${v}`),
  // Names JSON.parse puts first (array indexes), treats apart, or the general path refuses.
  fc.constantFrom(
    '"7":{"S":"x"}',
    '"0":{"N":"1"}',
    '"__proto__":{"S":"x"}',
    '"1x":{"BOOL":true}',
    '"":{"S":"x"}',
  ),
  fc.constantFrom(
    '"pk":{"S":"again"}',
    '"m":{"M":{"7":{"S":"x"},"a":{"S":"y"}}}',
    '"m":{"M":{"a":{"S":"x"},"a":{"S":"y"}}}',
  ),
);
/** A clean request with one odd attribute put into one of its items. */
const oneOdd = fc.tuple(request(false), oddAttribute, fc.nat()).map(([[table, list], odd, at]) => {
  const i = at % list.length;
  const items = list.map((item, k) => (k === i ? `${item.slice(0, -1)},${odd}}` : item));
  return [table, items] as [string, string[]];
});
const anyRequest = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(request(false), fc.constant(''), fc.constant(undefined)) },
  { weight: 3, arbitrary: fc.tuple(oneOdd, fc.constant(''), fc.constant(undefined)) },
  fc.tuple(request(true), tail, mutation),
);

describe('BatchWriteItem read from the text (batchWriteFromText)', () => {
  it('takes items in their stored form and stores exactly what the general path stores', async () => {
    const canonicalItem = fc
      .tuple(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
        fc.array(
          fc.tuple(
            fc.string({ unit: 'binary', minLength: 1, maxLength: 5 }),
            fc.oneof(
              fc.string({ unit: 'binary' }).map((S) => ({ S })),
              fc.integer().map((n) => ({ N: String(n) })),
              fc.boolean().map((BOOL) => ({ BOOL })),
            ),
          ),
        ),
      )
      .filter(([, rest]) => rest.every(([n]) => !/^\d/.test(n) && n !== '__proto__' && n !== 'pk'))
      .map(([pk, rest]) => JSON.stringify(Object.fromEntries([['pk', { S: pk }], ...rest])));
    const a = await engine();
    const b = await engine();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(canonicalItem, { minLength: 1, maxLength: 25, selector: (i) => JSON.parse(i).pk.S }),
        async (items) => {
          const req = body('hash', items);
          expect(batchWriteFromText(a, req)).toBe('{"UnprocessedItems":{}}');
          expect((await b.handle(`${T}BatchWriteItem`, ` ${req}`)).status).toBe(200);
          expect(contents(a)).toEqual(contents(b));
        },
      ),
      { numRuns: 150 },
    );
    expect(contents(a).length).toBeGreaterThan(100);
  });

  it('answers every request, taken or declined, as the general path does, and stores the same', async () => {
    const a = await engine();
    const b = await engine();
    let taken = 0;
    let written = 0;
    await fc.assert(
      fc.asyncProperty(anyRequest, async ([[table, items], end, change]) => {
        let req = body(table, items, end);
        if (change) {
          const at = change[0] % req.length;
          req = req.slice(0, at) + change[1] + req.slice(at + 1);
        }
        const before = contents(a).join('\n');
        // What handle does with the request: the text path first, the general path if it declines.
        const quick = batchWriteFromText(a, req);
        if (quick !== undefined) taken++;
        const fast =
          quick !== undefined ? { status: 200, body: quick } : await a.handle(`${T}BatchWriteItem`, req);
        const general = await b.handle(`${T}BatchWriteItem`, ` ${req}`);
        expect({ status: fast.status, body: fast.body }).toEqual({
          status: general.status,
          body: general.body,
        });
        const after = contents(a);
        expect(after).toEqual(contents(b));
        if (fast.status === 200 && after.join('\n') !== before) written++;
      }),
      { numRuns: 1000 },
    );
    // The property means something only if many requests were written by each path.
    expect(taken).toBeGreaterThan(150);
    expect(written - taken).toBeGreaterThan(30);
  });

  it('declines what it does not read itself: binary values, indexes, other members, whitespace', async () => {
    const e = await engine();
    const item = '{"pk":{"S":"a"},"n":{"N":"1.5"}}';
    expect(batchWriteFromText(e, body('hash', [item]))).toBe('{"UnprocessedItems":{}}');
    expect(batchWriteFromText(e, body('hash', ['{"pk":{"S":"b"},"x":{"B":"AAE="}}']))).toBeUndefined();
    expect(batchWriteFromText(e, body('indexed', [item]))).toBeUndefined();
    expect(batchWriteFromText(e, body('hash', [item], ',"ReturnConsumedCapacity":"NONE"'))).toBeUndefined();
    expect(batchWriteFromText(e, body('hash', ['{"pk": {"S":"c"}}']))).toBeUndefined();
    expect(batchWriteFromText(e, body('hash', ['{"pk":{"S":"d"},"n":{"N":"1.50"}}']))).toBeUndefined();
    expect(batchWriteFromText(e, body('missing', [item]))).toBeUndefined();
    expect(contents(e)).toHaveLength(1);
    expect(contents(e)[0]).toMatch(/ 7 \{"pk":\{"S":"a"\},"n":\{"N":"1.5"\}\}$/);
  });
});
