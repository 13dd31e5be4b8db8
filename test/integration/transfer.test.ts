// Bulk data on every engine: export → import → export round-trips in every format, malformed
// input rejected with its line while the rest is imported, --resume continuing exactly at the
// checkpoint (every format), 20,000 items in and out through a fault-injecting proxy with each item
// exactly once, copy-table (within an engine, from a data dir, and from the embedded engine to
// DynamoDB Local), an attribute named __proto__ (exported exactly, refused elsewhere), truncate,
// stdin and --rate. Imports killed for real are in test/e2e/transfer.
import {
  createReadStream,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CreateTableCommand, DescribeTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import type { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clients, createClients } from '../../src/core/clients.js';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { type Item, parseItem, stringifyItem } from '../../src/core/data/codec.js';
import { DdbError } from '../../src/core/errors.js';
import { createTable, type KeyDef } from '../../src/core/spec/createTable.js';
import { lockCheckpoint, readCheckpointTable, writeCheckpoint } from '../../src/core/transfer/checkpoint.js';
import { EXPORT_MAX_IN_FLIGHT, exportItems } from '../../src/core/transfer/exportItems.js';
import { type Format, readItemBatches, readItems } from '../../src/core/transfer/formats/index.js';
import { importItems } from '../../src/core/transfer/importItems.js';
import type { Clock } from '../../src/core/util/clock.js';
import { sendBatchWriteBody } from '../../src/core/wire/wireBody.js';
import {
  cli,
  ctrlC,
  endpoint,
  engineName,
  errorMessages,
  scanAll as scanFrom,
  testClients,
  uniqueName,
} from '../helpers.js';
import { canonical } from '../support/arbitraries.js';
import { csvItems } from '../support/csvItems.js';
import { type Fault, type FaultProxy, startFaultProxy } from '../support/faultProxy.js';

const clients = testClients();
const tables: { clients: Clients; name: string }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-transfer-'));
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: endpoint() });
});
afterAll(async () => {
  await proxy.close();
  await Promise.all(tables.map((t) => deleteTable(t.clients, t.name).catch(() => {})));
  clients.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function newTable(
  prefix: string,
  keys: { pk: KeyDef; sk?: KeyDef } = { pk: { name: 'pk', type: 'S' } },
  on: Clients = clients,
): Promise<string> {
  const name = uniqueName(prefix);
  tables.push({ clients: on, name });
  await createTable(on, {
    tableName: name,
    partitionKey: keys.pk,
    ...(keys.sk ? { sortKey: keys.sk } : {}),
    throughput: 'on-demand',
  });
  await waitForTable(on, name, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
  return name;
}

/** The items as a sorted list of canonical texts: equal lists = the same items, each as often. */
const canonicalSet = (items: Item[]) => items.map(canonical).sort();

/** The items of a file in any format, read with the library's own reader (rejects fail the test). */
async function readFile(file: string, format: Format, types?: Record<string, string>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const r of readItems(createReadStream(file), { format, ...(types ? { types } : {}) })) {
    if (!r.item) throw new Error(`${file}: line ${r.line}: ${r.error}`);
    items.push(r.item);
  }
  return items;
}

function writeLines(name: string, lines: string[]): string {
  const f = join(dir, name);
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

/** The numbers of the summary line of import. */
function importSummary(stderr: string) {
  const m =
    /ddbctl: import \S+: ([\d,]+) written(?: \(([\d,]+) before --resume, ([\d,]+) now\))?, ([\d,]+) rejected(?: \(see ([^)]+)\))?, ([\d,]+) retried/.exec(
      stderr,
    );
  if (!m) throw new Error(`no import summary in: ${stderr}`);
  const n = (s: string) => Number(s.replaceAll(',', ''));
  return {
    written: n(m[1]!),
    ...(m[2] ? { before: n(m[2]), now: n(m[3]!) } : {}),
    rejected: n(m[4]!),
    rejects: m[5],
    retried: n(m[6]!),
  };
}

/** The one error line of a run. */
function errorLine(r: { stderr: string }): string | undefined {
  const lines = errorMessages(r as Parameters<typeof errorMessages>[0]);
  expect(lines).toHaveLength(1);
  return lines[0];
}

/** What a checkpoint made by a run of `cli` (against the engine under test) records of its table. */
async function checkpointOf(table: string) {
  return {
    target: { kind: 'endpoint' as const, where: endpoint() },
    into: (await readCheckpointTable(clients, table)).table,
  };
}

function exportSummary(stderr: string) {
  const m =
    /ddbctl: export \S+: ([\d,]+) items(?: to \S+)?, ([\d,]+) rejected(?: \(see ([^;]+);[^)]*\))?, ([\d,]+) retried/.exec(
      stderr,
    );
  if (!m) throw new Error(`no export summary in: ${stderr}`);
  const n = (s: string) => Number(s.replaceAll(',', ''));
  return { items: n(m[1]!), rejected: n(m[2]!), rejects: m[3], retried: n(m[4]!) };
}

const parseLines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

// Values DynamoDB must keep exactly: 38 significant digits, both ends of the number range, integers
// beyond 2^53, every byte value, empty strings, NULL, sets, deep nesting, empty maps and lists.
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('base64');
const NUMBERS = [
  '12345678901234567890123456789012345678',
  '-0.12345678901234567890123456789012345678',
  '9007199254740993',
  '-85070591730234615865843651857942052864',
  '1E-130',
  '-1E-130',
  '9.9999999999999999999999999999999999999E+125',
  '0.000000000000000000000000000000000001',
  '1.50',
  '0',
];

/** Rich items, every one with the same attributes (so CSV, with column types, can carry them too). */
function uniformItems(): string[] {
  return NUMBERS.map((n, i) =>
    JSON.stringify({
      pk: `item-${i} héllo 🌍 "quoted", comma`,
      sk: i,
      num: '@NUM@',
      big: `@BIG${i}@`,
      bin: { $binary: ALL_BYTES },
      empty: '',
      text: `line one\nline two, "three"\r\n${i}`,
      flag: i % 2 === 0,
      nul: null,
      ss: { $set: ['a', 'b', `é${i}`] },
      ns: { $set: ['@NS1@', '@NS2@', i] },
      bs: { $set: [{ $binary: 'AA==' }, { $binary: '/w==' }, { $binary: ALL_BYTES }] },
      doc: {
        level1: { level2: { level3: ['', null, true, { $binary: 'AAEC' }, { deep: '@NUM@' }] } },
        emptyMap: {},
        emptyList: [],
        emptyString: '',
        set: { $set: ['x'] },
      },
      list: ['@NUM@', 'two', [{ three: 3 }], []],
    })
      // Numbers go in as exact JSON number text, not JS numbers.
      .replaceAll('"@NUM@"', n)
      .replace(`"@BIG${i}@"`, `${i + 1}${'0'.repeat(35)}${i}`)
      .replace('"@NS1@"', '12345678901234567890123456789012345678')
      .replace('"@NS2@"', '1E-130'),
  );
}

/** Items of other shapes (only the JSON formats carry an item's shape of its own). */
const irregularItems = [
  '{"pk":"only-keys","sk":-1}',
  '{"pk":"nested","sk":99999999999999999999999999999999999999,"a":{"b":{"c":{"d":{"e":{"f":[[[["deep"]]]]}}}}}}',
  '{"pk":"odd","sk":0.5,"note":"no other attribute"}',
];

/** Poll `probe` every 10 ms until it returns a value; fail after `ms`, saying what was awaited. */
async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe(`export → import → export round-trips on ${engineName()}`, () => {
  const keys = { pk: { name: 'pk', type: 'S' as const }, sk: { name: 'sk', type: 'N' as const } };
  let uniform: string;
  let rich: string;
  let uniformSource: Item[];
  let richSource: Item[];
  const csvTypes = 'sk:N,num:N,big:N,bin:B,flag:BOOL,nul:NULL,ss:JSON,ns:JSON,bs:JSON,doc:JSON,list:JSON';
  const csvTypeMap = Object.fromEntries(csvTypes.split(',').map((p) => p.split(':') as [string, string]));

  beforeAll(async () => {
    [uniform, rich] = await Promise.all([newTable('rt-uniform', keys), newTable('rt-rich', keys)]);
    const u = uniformItems();
    const r = [...u, ...irregularItems];
    uniformSource = u.map((l) => parseItem(l));
    richSource = r.map((l) => parseItem(l));
    for (const [t, lines] of [
      [uniform, u],
      [rich, r],
    ] as const) {
      const imported = await cli(['import', t, writeLines(`${t}.ndjson`, lines)]);
      expect(imported.code, imported.stderr).toBe(0);
      expect(importSummary(imported.stderr)).toMatchObject({ written: lines.length, rejected: 0 });
    }
    expect(canonicalSet(await scanAll(uniform))).toEqual(canonicalSet(uniformSource));
    expect(canonicalSet(await scanAll(rich))).toEqual(canonicalSet(richSource));
  });

  const cases: { name: string; ext: string; format: Format; gzip?: boolean; csv?: boolean }[] = [
    { name: 'ndjson', ext: 'ndjson', format: 'ndjson' },
    { name: 'json (an array)', ext: 'json', format: 'json' },
    { name: 'ddb-json', ext: 'ddb.json', format: 'ddb-json' },
    { name: 'gzipped ndjson (*.gz written and read)', ext: 'ndjson.gz', format: 'ndjson', gzip: true },
    { name: 'csv with --types', ext: 'csv', format: 'csv', csv: true },
  ];

  it.each(cases)('$name', async ({ ext, format, gzip, csv }) => {
    const source = csv ? uniform : rich;
    const expected = canonicalSet(csv ? uniformSource : richSource);
    const types = csv ? ['--types', csvTypes] : [];

    // Export (the format, and gzip, from the file's extension).
    const first = join(dir, `${source}-${format}-1.${ext}`);
    const e1 = await cli(['export', source, first]);
    expect(e1.code, e1.stderr).toBe(0);
    expect(exportSummary(e1.stderr).items).toBe(expected.length);
    const bytes = readFileSync(first);
    expect(bytes[0] === 0x1f && bytes[1] === 0x8b, 'gzip magic bytes').toBe(!!gzip);
    if (gzip) {
      const lines = gunzipSync(bytes).toString('utf8').trimEnd().split('\n');
      expect(canonicalSet(lines.map((l) => parseItem(l)))).toEqual(expected);
    }
    expect(canonicalSet(await readFile(first, format, csv ? csvTypeMap : undefined))).toEqual(expected);

    // Import into a new table (gzip read transparently, by its content).
    const copy = await newTable(`rt-${format}`, keys);
    const imported = await cli(['import', copy, first, ...types]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(importSummary(imported.stderr)).toMatchObject({ written: expected.length, rejected: 0 });
    expect(canonicalSet(await scanAll(copy))).toEqual(expected);

    // Export again: the same items.
    const second = join(dir, `${copy}-2.${ext}`);
    const e2 = await cli(['export', copy, second, '--format', format, '--segments', '3']);
    expect(e2.code, e2.stderr).toBe(0);
    expect(canonicalSet(await readFile(second, format, csv ? csvTypeMap : undefined))).toEqual(expected);
  });

  it('csv: an item outside the columns is rejected (with why) and the rest exported; --columns then takes every shape', async () => {
    const out = join(dir, `${rich}-mixed.csv`);
    const bad = await cli(['export', rich, out, '--segments', '1']);
    expect(bad.code).toBe(1);
    const summary = exportSummary(bad.stderr);
    expect(summary.rejected).toBeGreaterThan(0);
    expect(summary.items + summary.rejected).toBe(richSource.length);
    expect(bad.stderr).toContain('pass every attribute with --columns, or use --format ndjson or ddb-json');
    // The rejects: each with its reason and the whole item, which reads back as the item.
    const rejects = readFileSync(summary.rejects!, 'utf8').trimEnd().split('\n');
    expect(rejects).toHaveLength(summary.rejected);
    const rejectedKeys = rejects.map((line) => {
      const rec = parseLines(line)[0] as { reason: string; item: Item };
      expect(rec.reason).toMatch(/not CSV columns/);
      return rec.item.pk;
    });
    // The output holds every other item; the run finished, so no checkpoint is left.
    const written = (await readFile(out, 'csv')).map((r) => r.pk);
    expect([...written, ...rejectedKeys].sort()).toEqual(richSource.map((r) => r.pk).sort());
    expect(existsSync(`${out}.ddbctl-export.json`)).toBe(false);

    const columns = [...new Set(richSource.flatMap((i) => Object.keys(i)))];
    const ok = await cli(['export', rich, out, '--columns', columns.join(',')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(exportSummary(ok.stderr)).toMatchObject({ items: richSource.length, rejected: 0 });
    const rows = await readFile(out, 'csv');
    expect(rows.map((r) => r.pk).sort()).toEqual(richSource.map((r) => r.pk).sort());
  });

  it('csv: an absent attribute (empty field) and an empty string ("") stay apart, export and import', async () => {
    const t = await newTable('csv-absent');
    const items = ['{"pk":"2"}', '{"pk":"3","nick":""}', '{"pk":"4","nick":"x"}', '{"pk":"5","nick":" "}'];
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, items)])).code).toBe(0);
    const out = join(dir, `${t}.csv`);
    const exported = await cli(['export', t, out, '--columns', 'pk,nick', '--segments', '1']);
    expect(exported.code, exported.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('pk,nick');
    expect(rows.slice(1).sort()).toEqual(['2,', '3,""', '4,x', '5," "']);
    const copy = await newTable('csv-absent-copy');
    const imported = await cli(['import', copy, out]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(canonicalSet(await scanAll(copy))).toEqual(canonicalSet(items.map((l) => parseItem(l))));
  });

  it('csv, property-based: random items (absent, empty, quoted, unicode, every --types type) export and import back exactly', async () => {
    const { item, columns, types } = csvItems();
    const typeList = Object.entries(types)
      .map(([c, t]) => `${c}:${t}`)
      .join(',');
    const key = { pk: { name: 'id', type: 'S' as const } };
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(item, { minLength: 1, maxLength: 25, selector: (i) => i.id }),
        async (items) => {
          const source = await newTable('csv-prop', key);
          const ndjson = join(dir, `${source}.ndjson`);
          writeFileSync(ndjson, items.map((i) => `${stringifyItem(i)}\n`).join(''));
          const put = await cli(['import', source, ndjson]);
          expect(put.code, put.stderr).toBe(0);
          const csv = join(dir, `${source}.csv`);
          const exported = await cli(['export', source, csv, '--columns', columns.join(',')]);
          expect(exported.code, exported.stderr).toBe(0);
          const copy = await newTable('csv-prop-copy', key);
          const imported = await cli(['import', copy, csv, '--types', typeList]);
          expect(imported.code, imported.stderr).toBe(0);
          expect(canonicalSet(await scanAll(copy))).toEqual(canonicalSet(items));
        },
      ),
      { numRuns: 6 },
    );
  }, 120_000);

  it('csv, property-based: columns of mixed types export one type per column (the others rejected, with why), and import back exactly with the --types the export names', async () => {
    const { text, any } = csvItems();
    const key = { pk: { name: 'id', type: 'S' as const } };
    const item = fc.record({ id: text.filter((t) => t !== ''), a: any, b: any }, { requiredKeys: ['id'] });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(item, { minLength: 1, maxLength: 20, selector: (i) => i.id }),
        async (list) => {
          const items = list as Item[];
          const source = await newTable('csv-mixed', key);
          const ndjson = join(dir, `${source}.ndjson`);
          writeFileSync(ndjson, items.map((i) => `${stringifyItem(i)}\n`).join(''));
          expect((await cli(['import', source, ndjson])).code).toBe(0);
          const csv = join(dir, `${source}.csv`);
          const rejectsFile = join(dir, `${source}.rejects.ndjson`);
          const exported = await cli([
            'export',
            source,
            csv,
            '--columns',
            'id,a,b',
            '--rejects',
            rejectsFile,
            '-o',
            'json',
          ]);
          const summary = JSON.parse(exported.stdout) as { written: number; rejected: number; types: string };
          const rejected = summary.rejected
            ? parseLines(readFileSync(rejectsFile, 'utf8')).map((r) => {
                expect(r.reason).toMatch(
                  /one type per column; use --format ndjson or ddb-json for mixed types/,
                );
                return r.item.id as string;
              })
            : [];
          expect(exported.code, exported.stderr).toBe(rejected.length ? 1 : 0);
          expect(rejected.length).toBe(summary.rejected);
          expect(summary.written + summary.rejected).toBe(items.length);
          if (summary.types)
            expect(exported.stderr).toContain(`import it back with --types ${summary.types}`);
          const copy = await newTable('csv-mixed-copy', key);
          const imported = await cli([
            'import',
            copy,
            csv,
            ...(summary.types ? ['--types', summary.types] : []),
          ]);
          expect(imported.code, imported.stderr).toBe(0);
          const kept = items.filter((i) => !rejected.includes(i.id as string));
          expect(canonicalSet(await scanAll(copy))).toEqual(canonicalSet(kept));
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);

  it('csv: a column holding a string "1" and a number 1, "null" and null, a map and its JSON text exports one type, rejects the rest (exit 1)', async () => {
    const t = await newTable('csv-mix');
    const items = [
      '{"pk":"1","v":"1"}',
      '{"pk":"2","v":1}',
      '{"pk":"3","v":"null"}',
      '{"pk":"4","v":null}',
      '{"pk":"5","v":{"a":1}}',
      '{"pk":"6","v":"{\\"a\\":1}"}',
      '{"pk":"7","n":5}',
    ];
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, items)])).code).toBe(0);
    const out = join(dir, `${t}.csv`);
    const exported = await cli(['export', t, out, '--columns', 'pk,n,v', '--types', 'v:S', '-o', 'json']);
    expect(exported.code, exported.stderr).toBe(1);
    expect(JSON.parse(exported.stdout)).toMatchObject({ written: 4, rejected: 3, types: 'n:N' });
    expect(exported.stderr).toContain('import it back with --types n:N');
    const reasons = parseLines(readFileSync(`${out}.ddbctl-export.rejects.ndjson`, 'utf8'))
      .map((r) => `${r.item.pk}: ${r.reason}`)
      .sort();
    expect(reasons).toEqual([
      '2: column v holds a number (N) here, and the column is S (its --types): CSV has one type per column; use --format ndjson or ddb-json for mixed types',
      expect.stringMatching(/^4: column v holds null \(NULL\)/),
      expect.stringMatching(/^5: column v holds a map, list or set \(JSON\)/),
    ]);
  });

  it('exports to stdout, with --filter, --project and any number of segments', async () => {
    const all = await cli(['export', rich, '--segments', '7']);
    expect(all.code, all.stderr).toBe(0);
    expect(canonicalSet(await readFile(writeLines('stdout.ndjson', [all.stdout.trim()]), 'ndjson'))).toEqual(
      canonicalSet(richSource),
    );
    const some = await cli([
      'export',
      rich,
      '--filter',
      'sk < :v AND attribute_exists(num)',
      '--values',
      '{":v": 3}',
      '--project',
      'pk,sk,flag',
      '--segments',
      '1',
    ]);
    expect(some.code, some.stderr).toBe(0);
    const got = parseLines(some.stdout).sort((a, b) => a.sk - b.sk);
    expect(got).toEqual(
      [0, 1, 2].map((i) => ({ pk: expect.stringMatching(/^item-/), sk: i, flag: i % 2 === 0 })),
    );
  });

  it('pages through binary keys (read from the wire as base64) in every format, each item once', async () => {
    const t = await newTable('wirebin', { pk: { name: 'id', type: 'B' }, sk: { name: 'n', type: 'N' } });
    const source = Array.from({ length: 45 }, (_, i) => ({
      id: { $binary: Buffer.from([i % 5, 0xff, 0x2f]).toString('base64') },
      n: i,
      bs: { $set: [{ $binary: Buffer.from([i]).toString('base64') }] },
    }));
    const input = writeLines(
      'wirebin.ndjson',
      source.map((i) => JSON.stringify(i)),
    );
    expect((await cli(['import', t, input])).code).toBe(0);
    const expected = canonicalSet(source.map((i) => parseItem(JSON.stringify(i))));
    for (const ext of ['ndjson', 'json', 'ddb.json', 'csv']) {
      const out = join(dir, `wirebin-out.${ext}`);
      // Pages of 4 items: every page but the last ends at a binary key the next call starts from.
      const run = await cli(['export', t, out, '--page-size', '4', '--segments', '2']);
      expect(run.code, run.stderr).toBe(0);
      const types = ext === 'csv' ? { n: 'N', id: 'B', bs: 'JSON' } : undefined;
      expect(
        canonicalSet(await readFile(out, ext === 'ddb.json' ? 'ddb-json' : (ext as Format), types)),
        ext,
      ).toEqual(expected);
    }
  });
});

describe(`malformed input on ${engineName()}`, () => {
  it('rejects each bad line with its number and reason, imports the rest, and exits 1', async () => {
    const t = await newTable('bad');
    const big = `{"pk":"too-large","blob":"${'x'.repeat(410 * 1024)}"}`;
    const lines = [
      '{"pk":"a1","v":1}', // 1
      '{"pk":"a2","v":', // 2: bad JSON
      '{"pk":"a3","v":3}', // 3
      '{"pk":5,"v":4}', // 4: a number where the key is S
      '', // 5: blank, skipped
      big, // 6: over 400 KB
      '{"v":"no key"}', // 7: the key is missing
      '[1,2]', // 8: not an object
      '{"pk":"a9","n":12345678901234567890123456789012345678}', // 9
    ];
    const file = writeLines('bad.ndjson', lines);
    const r = await cli(['import', t, file]);
    expect(r.code).toBe(1);
    const rejectsPath = `${file}.ddbctl-import.rejects.ndjson`;
    expect(importSummary(r.stderr)).toEqual({ written: 3, rejected: 5, rejects: rejectsPath, retried: 0 });
    const rejects = parseLines(readFileSync(rejectsPath, 'utf8'));
    expect(rejects.map((x) => x.line)).toEqual([2, 4, 6, 7, 8]);
    expect(rejects[0]).toMatchObject({ record: '{"pk":"a2","v":', reason: expect.any(String) });
    expect(rejects[1].reason).toMatch(/key attribute "pk" must be of type S/);
    expect(rejects[1].item).toEqual({ pk: 5, v: 4 });
    expect(rejects[2].reason).toMatch(/the item is 419,\d{3} bytes; DynamoDB allows 400 KB/);
    expect(rejects[3].reason).toMatch(/the partition key attribute "pk" is missing/);
    // The whole item, though only its key was looked at on the way.
    expect(rejects[3].item).toEqual({ v: 'no key' });
    expect(rejects[4].reason).toMatch(/expected a JSON object/);
    expect((await scanAll(t)).map((i) => i.pk).sort()).toEqual(['a1', 'a3', 'a9']);
    // No checkpoint is left behind: the run is complete.
    expect(() => readFileSync(`${file}.ddbctl-import.json`)).toThrow();

    // A line that is not UTF-8: its bytes kept exactly (base64) beside the text with U+FFFD.
    const latin1 = Buffer.from('{"pk":"caf\xe9"}', 'latin1');
    const bytesFile = join(dir, 'latin1.ndjson');
    writeFileSync(bytesFile, Buffer.concat([Buffer.from('{"pk":"ok"}\n'), latin1, Buffer.from('\n')]));
    const b = await cli(['import', t, bytesFile]);
    expect(b.code).toBe(1);
    const [bad] = parseLines(readFileSync(`${bytesFile}.ddbctl-import.rejects.ndjson`, 'utf8'));
    expect(bad).toEqual({
      line: 2,
      reason: 'the record is not valid UTF-8 text; save the file as UTF-8',
      record: '{"pk":"caf\uFFFD"}',
      recordBase64: latin1.toString('base64'),
    });
    expect(Buffer.from(bad.recordBase64, 'base64')).toEqual(latin1);
  });

  it('export names its file by format (.ddb-json too) and import reads it back without --format; DynamoDB JSON read as plain JSON gets a hint', async () => {
    const t = await newTable('ext');
    await cli(['put', t, '{"pk":"a","n":1}']);
    for (const name of ['e.ddb-json', 'e.ddb.json', 'e.ddbjson', 'e.ndjson', 'e.jsonl', 'e.json', 'e.csv']) {
      const file = join(dir, name);
      const e = await cli(['export', t, file]);
      expect(e.code, e.stderr).toBe(0);
      const r = await newTable('ext-in');
      const i = await cli(['import', r, file]);
      expect(i.code, `${name}: ${i.stderr}`).toBe(0);
      expect(await scanAll(r), name).toEqual([{ pk: 'a', n: expect.anything() }]);
    }
    // Attribute order is the engine's.
    expect(JSON.parse(readFileSync(join(dir, 'e.ddb-json'), 'utf8'))).toEqual({
      Item: { pk: { S: 'a' }, n: { N: '1' } },
    });

    const hint =
      '; the line looks like DynamoDB JSON ({"S": ...} values or an {"Item": ...} envelope): import it with --format ddb-json (or name the file .ddb-json)';
    const r = await newTable('ext-hint');
    const file = writeLines('typed.ndjson', [
      '{"Item":{"pk":{"S":"a"}}}', // 1: the export envelope
      '{"pk":{"S":"b"},"n":{"N":"1"}}', // 2: every value typed
      '{"pk":"c","m":{"S":"x"}}', // 3: plain, written
      '{"v":{"S":"x"},"w":1}', // 4: plain, no hint
    ]);
    const i = await cli(['import', r, file]);
    expect(i.code).toBe(1);
    const rejects = parseLines(readFileSync(`${file}.ddbctl-import.rejects.ndjson`, 'utf8'));
    expect(rejects.map((x) => [x.line, x.reason])).toEqual([
      [1, `line 1: the partition key attribute "pk" is missing; table ${r} has key pk (S)${hint}`],
      [
        2,
        expect.stringMatching(
          /^line 2: key attribute "pk" must be of type S .*; the line looks like DynamoDB JSON/,
        ),
      ],
      [4, `line 4: the partition key attribute "pk" is missing; table ${r} has key pk (S)`],
    ]);
  });

  it('CSV: a row with a missing column and a bad number are rejected with their lines (quoted newlines counted)', async () => {
    const t = await newTable('badcsv', { pk: { name: 'pk', type: 'S' }, sk: { name: 'sk', type: 'N' } });
    const csv = [
      'pk,sk,note', // 1
      'a,1,plain', // 2
      'b,2', // 3: a column short
      '"c",3,"two', // 4: a quoted field over two lines …
      'lines, with a comma"', // 5
      'd,four,x', // 6: not a number
      '', // 7: blank
      'e,5,"say ""hi"""', // 8
      'f,6,x,extra', // 9: a column too many
    ];
    const file = writeLines('bad.csv', csv);
    const rejects = join(dir, 'csv-rejects.ndjson');
    const r = await cli(['import', t, file, '--types', 'sk:N', '--rejects', rejects]);
    expect(r.code).toBe(1);
    expect(importSummary(r.stderr)).toMatchObject({ written: 3, rejected: 3, rejects });
    const got = parseLines(readFileSync(rejects, 'utf8'));
    expect(got.map((x) => x.line)).toEqual([3, 6, 9]);
    expect(got[0]).toMatchObject({ record: 'b,2', reason: expect.stringMatching(/expected 3 fields/) });
    expect(got[1].reason).toMatch(/column sk \(N\): 'four' is not a number/);
    expect(got[2].reason).toMatch(/found 4/);
    const items = (await scanAll(t)).sort((a, b) => String(a.pk).localeCompare(String(b.pk)));
    expect(items.map((i) => [i.pk, i.note])).toEqual([
      ['a', 'plain'],
      ['c', 'two\nlines, with a comma'],
      ['e', 'say "hi"'],
    ]);
  });

  it('an item whose GSI key has the wrong type goes to the reject file (ddbctl refuses it before sending, as the service would refuse its batch), the rest is written', async () => {
    const t = uniqueName('badgsi');
    tables.push({ clients, name: t });
    await clients.ddb.send(
      new CreateTableCommand({
        TableName: t,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await waitForTable(clients, t, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
    const lines = Array.from({ length: 60 }, (_, i) =>
      i === 41 ? `{"pk":"k${i}","g":${i}}` : `{"pk":"k${i}","g":"g${i}"}`,
    );
    const file = writeLines('badgsi.ndjson', lines);
    const r = await cli(['import', t, file]);
    expect(r.code).toBe(1);
    expect(importSummary(r.stderr)).toMatchObject({ written: 59, rejected: 1 });
    const rejects = parseLines(readFileSync(`${file}.ddbctl-import.rejects.ndjson`, 'utf8'));
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ line: 42, item: { pk: 'k41', g: 41 } });
    expect(rejects[0].reason).toBe(
      `line 42: attribute "g" is the partition key of index byG of table ${t} and must be of type S; give it that type, or leave it out (an item without it is not in that index)`,
    );
    expect(await scanAll(t)).toHaveLength(59);
  });

  it('--rejects or --checkpoint in a missing folder: one line, exit 2, before anything is sent', async () => {
    const t = await newTable('nofolder');
    const file = writeLines(`${t}.ndjson`, ['{"pk":"a"}']);
    const missing = join(dir, 'no-such-folder', 'd');
    const cases: [string[], string][] = [
      [['import', t, file, '--rejects', join(missing, 'r.ndjson')], `--rejects ${join(missing, 'r.ndjson')}`],
      [
        ['import', t, file, '--checkpoint', join(missing, 'c.json')],
        `--checkpoint ${join(missing, 'c.json')}`,
      ],
      [
        ['export', t, join(dir, `${t}.csv`), '--rejects', join(missing, 'r.ndjson')],
        `--rejects ${join(missing, 'r.ndjson')}`,
      ],
      [
        ['export', t, join(dir, `${t}.out.ndjson`), '--checkpoint', join(missing, 'c.json')],
        `--checkpoint ${join(missing, 'c.json')}`,
      ],
    ];
    for (const [args, what] of cases) {
      const r = await cli(args);
      expect(r.code, r.stderr).toBe(2);
      expect(errorLine(r)).toBe(
        `ddbctl: error: ${what}: the folder ${missing} does not exist; create it, or give a path in an existing folder`,
      );
    }
    expect(await scanAll(t)).toEqual([]);
    expect(existsSync(join(dir, `${t}.csv`))).toBe(false);
    // The output itself in a missing folder: said of the output, not of the checkpoint beside it.
    const out = join(missing, `${t}.ndjson`);
    const r = await cli(['export', t, out]);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toBe(
      `ddbctl: error: cannot write ${out}: the folder ${missing} does not exist; create it, or give a path in an existing folder`,
    );
    // A file where its folder should be: said of the output too (was an "unexpected error").
    const plain = join(dir, `${t}-a-file`);
    writeFileSync(plain, '');
    const under = await cli(['export', t, join(plain, 'o.ndjson'), '--checkpoint', join(dir, `${t}-c.json`)]);
    expect(under.code, under.stderr).toBe(2);
    expect(errorLine(under)).toBe(
      `ddbctl: error: cannot write ${join(plain, 'o.ndjson')}: ${plain} is not a folder; give a path in an existing folder`,
    );
    // A checkpoint path the run chose itself is named as the default, so that --checkpoint is the way out.
    const beside = join(dir, `${t}-beside.ndjson`);
    mkdirSync(`${beside}.ddbctl-export.json`);
    const chosen = await cli(['export', t, beside]);
    expect(chosen.code, chosen.stderr).toBe(2);
    expect(errorLine(chosen)).toBe(
      `ddbctl: error: --checkpoint (default) ${beside}.ddbctl-export.json: it is a folder; give the path of a file`,
    );
    expect(existsSync(beside)).toBe(false);
  });

  it('export to a folder: one line that says so and what to give, exit 2, the folder as it was', async () => {
    const t = await newTable('tofolder');
    const folder = join(dir, `${t}-folder`);
    mkdirSync(folder);
    const r = await cli(['export', t, folder]);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toBe(
      `ddbctl: error: cannot write ${folder}: it is a folder; give a file's path, such as ${join(folder, `${t}.ndjson`)}`,
    );
    expect(readdirSync(folder)).toEqual([]);
  });

  it('--types on input that is not CSV: one line, exit 2, before anything is read or sent', async () => {
    const t = await newTable('typesjson');
    const file = writeLines(`${t}.ndjson`, ['{"pk":"a","n":"1"}']);
    const r = await cli(['import', t, file, '--types', 'n:N']);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toBe(
      `ddbctl: error: --types is for CSV input, and this input is ndjson (from the name ${file}): its values keep the types JSON gives them; drop --types, or pass --format csv for a CSV file`,
    );
    const j = await cli(['import', t, file, '--format', 'json', '--types', 'n:N']);
    expect(j.code, j.stderr).toBe(2);
    expect(errorLine(j)).toMatch(/^ddbctl: error: --types is for CSV input, and this input is json: /);
    expect(await scanAll(t)).toEqual([]);
    expect(existsSync(`${file}.ddbctl-import.json`)).toBe(false);
  });

  it("export's CSV options on another format, or --types of a column outside --columns: one line, exit 2, nothing written", async () => {
    const t = await newTable('csvonly');
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, ['{"pk":"a","n":1,"s":"x"}'])])).code).toBe(0);
    const out = join(dir, `${t}-out.ndjson`);
    const both = await cli(['export', t, out, '--columns', 'pk', '--types', 'n:N']);
    expect(both.code, both.stderr).toBe(2);
    expect(errorLine(both)).toBe(
      `ddbctl: error: --columns and --types are for CSV output, and this export writes ndjson (from the name ${out}), which keeps every attribute with its own type; drop them (--project chooses attributes), or pass --format csv`,
    );
    const rejects = await cli(['export', t, '--rejects', join(dir, 'r.ndjson')]);
    expect(rejects.code, rejects.stderr).toBe(2);
    expect(errorLine(rejects)).toBe(
      'ddbctl: error: --rejects is for CSV output, and this export writes ndjson (the default on stdout), which keeps every attribute with its own type; drop it, or pass --format csv',
    );
    expect(rejects.stdout).toBe('');
    const csv = join(dir, `${t}-out.csv`);
    const outside = await cli(['export', t, csv, '--columns', 'pk,n', '--types', 's:N,n:N']);
    expect(outside.code, outside.stderr).toBe(2);
    expect(errorLine(outside)).toBe(
      'ddbctl: error: --types names s, which is not among --columns pk,n; add it to --columns, or drop it from --types',
    );
    expect(existsSync(out) || existsSync(csv)).toBe(false);
    // One item: "1 item", not "1 items".
    const one = await cli(['export', t, out]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stderr).toContain(`export ${t}: 1 item to ${out}, 0 rejected`);
  });

  it('a --rejects or --checkpoint that is the input or output file is refused before anything is opened (the file kept)', async () => {
    const t = await newTable('samefile');
    const input = writeLines(`${t}.ndjson`, ['{"pk":"a"}', '{"pk":"b"}']);
    const before = readFileSync(input, 'utf8');
    const rejects = await cli(['import', t, input, '--rejects', input]);
    expect(rejects.code).toBe(2);
    expect(errorLine(rejects)).toBe(
      `ddbctl: error: --rejects ${input} is the input ${input}: the run would overwrite or remove it; give --rejects another path`,
    );
    const link = join(dir, `${t}-link.ndjson`);
    symlinkSync(input, link);
    const cp = await cli(['import', t, input, '--checkpoint', link]);
    expect(cp.code).toBe(2);
    expect(errorLine(cp)).toContain(`--checkpoint ${link} is the input ${input}`);
    expect(readFileSync(input, 'utf8')).toBe(before);
    expect(await scanAll(t)).toEqual([]);
    // A file of the user's own as --checkpoint: not "delete it" alone.
    const notes = join(dir, `${t}-notes.json`);
    writeFileSync(notes, '{"a":1}');
    const foreign = await cli(['import', t, input, '--checkpoint', notes]);
    expect(foreign.code).toBe(2);
    expect(errorLine(foreign)).toBe(
      `ddbctl: error: checkpoint ${notes} is not usable (it is not a checkpoint of ddbctl): give --checkpoint a path of its own (the run writes its checkpoint there), or delete the file if a stopped run of ddbctl left it`,
    );
    expect(readFileSync(notes, 'utf8')).toBe('{"a":1}');

    expect((await cli(['import', t, input])).code).toBe(0);
    const out = join(dir, `${t}-out.ndjson`);
    const ocp = await cli(['export', t, out, '--checkpoint', out]);
    expect(ocp.code).toBe(2);
    expect(errorLine(ocp)).toBe(
      `ddbctl: error: --checkpoint ${out} is the output ${out}: the run would overwrite or remove it; give --checkpoint another path`,
    );
    const csv = join(dir, `${t}-out.csv`);
    const orj = await cli(['export', t, csv, '--rejects', csv]);
    expect(orj.code).toBe(2);
    expect(errorLine(orj)).toContain(`--rejects ${csv} is the output ${csv}`);
    // A symlink to the output that is not there yet names it too.
    const dangling = join(dir, `${t}-dangling`);
    symlinkSync(csv, dangling);
    const viaDangling = await cli(['export', t, csv, '--rejects', dangling]);
    expect(viaDangling.code).toBe(2);
    expect(errorLine(viaDangling)).toContain(`--rejects ${dangling} is the output ${csv}`);
    expect(existsSync(out) || existsSync(csv)).toBe(false);
  });

  it('a missing table fails in one line with exit 1 and leaves no files behind', async () => {
    const file = writeLines('nowhere.ndjson', ['{"pk":"a"}']);
    const r = await cli(['import', uniqueName('missing'), file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ddbctl: error: .*not found|does not exist/i);
    expect(() => readFileSync(`${file}.ddbctl-import.rejects.ndjson`)).toThrow();
    expect(() => readFileSync(`${file}.ddbctl-import.json`)).toThrow();
  });

  it('a gzip file cut short: the items before the cut are written, and the way on is a whole copy, not --resume', async () => {
    const t = await newTable('gz-cut');
    const text = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ pk: `k${i}`, v: `${i}`.repeat(20) }),
    );
    const whole = gzipSync(Buffer.from(text.join('\n')));
    const file = join(dir, 'cut.ndjson.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = await cli(['import', t, file]);
    expect(r.code).toBe(2);
    const line = errorLine(r);
    expect(line).toMatch(
      /^ddbctl: error: import stopped before the end of the input: the input is not valid gzip \(unexpected end of file\): the file is cut short or damaged past that point; the [\d,]+ items before it are written; replace .*cut\.ndjson\.gz with a whole copy(, delete .*,)? and import it again \(puts are idempotent\)$/,
    );
    expect(line).not.toContain('--resume');
  });

  it('an export that fails before its first page leaves an existing output as it was, and makes none', async () => {
    const kept = writeLines('kept.ndjson', ['{"pk":"yesterday"}']);
    const missing = uniqueName('missing');
    const t0 = await newTable('kept-src');
    expect((await cli(['import', t0, writeLines('kept-src.ndjson', ['{"pk":"today"}'])])).code).toBe(0);
    for (const args of [
      ['export', missing, kept],
      ['--endpoint-url', 'http://127.0.0.1:1', 'export', missing, kept],
      ['export', missing, kept, '--segments', '1000001'],
      // Checked only once the table is read: still before the first page.
      ['export', t0, kept, '--filter', 'bad syntax ((('],
      ['export', t0, kept, '--project', 'a..b'],
    ]) {
      const r = await cli(args);
      expect(r.code).not.toBe(0);
      expect(readFileSync(kept, 'utf8')).toBe('{"pk":"yesterday"}\n');
    }
    const none = join(dir, 'never.ndjson');
    expect((await cli(['export', missing, none])).code).toBe(1);
    expect(existsSync(none)).toBe(false);
    // --segments beyond DynamoDB's range: a usage error before anything is opened.
    const r = await cli(['export', missing, none, '--segments', '1000001']);
    expect(r.code).toBe(2);
    expect(errorLine(r)).toBe(
      "ddbctl: error: --segments 1000001: expected 1 to 1,000,000 (see 'ddbctl export --help')",
    );
    expect(existsSync(none)).toBe(false);
    // A good run replaces it whole; an empty table's export leaves an empty file, not the old one.
    expect((await cli(['export', t0, kept])).code).toBe(0);
    expect(readFileSync(kept, 'utf8')).toBe('{"pk":"today"}\n');
    const empty = await newTable('kept-empty');
    expect((await cli(['export', empty, kept])).code).toBe(0);
    expect(readFileSync(kept, 'utf8')).toBe('');
  });
});

describe(`import --resume on ${engineName()}`, () => {
  const n = 40;
  const k = 17;
  const plain = (i: number) => ({ pk: `r${i}`, i, note: `a, "b"\nc ${i}` });
  const texts: Record<string, () => string> = {
    ndjson: () => `${Array.from({ length: n }, (_, i) => JSON.stringify(plain(i))).join('\n')}\n`,
    json: () =>
      `[\n${Array.from({ length: n }, (_, i) => `  ${JSON.stringify(plain(i), null, 1)}`).join(',\n')}\n]\n`,
    'ddb-json': () =>
      `${Array.from({ length: n }, (_, i) => JSON.stringify({ Item: { pk: { S: `r${i}` }, i: { N: String(i) }, note: { S: plain(i).note } } })).join('\n')}\n`,
    csv: () =>
      `\uFEFFpk,i,note\r\n${Array.from({ length: n }, (_, i) => `r${i},${i},"${plain(i).note.replaceAll('"', '""')}"`).join('\r\n')}\r\n`,
  };
  const cases = [
    { format: 'ndjson' as Format, ext: 'ndjson' },
    { format: 'json' as Format, ext: 'json' },
    { format: 'ddb-json' as Format, ext: 'ddb.json' },
    { format: 'csv' as Format, ext: 'csv' },
    { format: 'ndjson' as Format, ext: 'ndjson.gz', gzip: true },
  ];

  it.each(cases)(
    '$ext: continues exactly after the checkpoint, nothing before it again',
    async ({ format, ext, gzip }) => {
      const t = await newTable(`resume-${format}`);
      const file = join(dir, `${t}.${ext}`);
      const text = texts[format]!();
      writeFileSync(file, gzip ? gzipSync(text) : text);
      const types = format === 'csv' ? { i: 'N' } : undefined;
      // Where a run that had done the first k records would have left its checkpoint.
      const records: { line: number; offset: number }[] = [];
      for await (const r of readItems(createReadStream(file), { format, ...(types ? { types } : {}) })) {
        expect(r.error).toBeUndefined();
        records.push({ line: r.line, offset: r.offset });
      }
      expect(records).toHaveLength(n);
      const at = records[k - 1]!;
      writeCheckpoint(`${file}.ddbctl-import.json`, {
        kind: 'import',
        table: t,
        ...(await checkpointOf(t)),
        input: { path: resolve(file), size: statSync(file).size },
        format,
        offset: at.offset,
        line: at.line + 1,
        rejectsBytes: 0,
        written: k,
        rejected: 0,
        updated: new Date().toISOString(),
      });
      const r = await cli(['import', t, file, '--resume', ...(types ? ['--types', 'i:N'] : [])]);
      expect(r.code, r.stderr).toBe(0);
      // A JSON array counts records, not lines (its elements may share a line, or span several).
      expect(r.stderr).toContain(
        `resuming at ${format === 'json' ? `record ${k + 1}` : `line ${at.line + 1}`} (${k} items written before)`,
      );
      // Each item counted once: k by the earlier run, the rest now.
      expect(importSummary(r.stderr)).toMatchObject({ written: n, before: k, now: n - k, rejected: 0 });
      expect(r.stderr).toContain(
        `import ${t}: ${n} written (${k} before --resume, ${n - k} now), 0 rejected`,
      );
      const items = (await scanAll(t)).map((x) => ({ pk: x.pk, i: Number(String(x.i)), note: x.note }));
      expect(items.sort((a, b) => a.i - b.i)).toEqual(Array.from({ length: n - k }, (_, j) => plain(j + k)));
      expect(existsSync(`${file}.ddbctl-import.json`)).toBe(false);
    },
  );

  it('refuses a checkpoint of another file, a leftover checkpoint without --resume, and --resume without one', async () => {
    const t = await newTable('resume-refuse');
    const file = writeLines('refuse.ndjson', ['{"pk":"a"}', '{"pk":"b"}']);
    const cp = `${file}.ddbctl-import.json`;
    const noCp = await cli(['import', t, file, '--resume']);
    expect(noCp.code).toBe(2);
    expect(noCp.stderr).toContain('--resume: no checkpoint at');
    writeCheckpoint(cp, {
      kind: 'import',
      table: t,
      ...(await checkpointOf(t)),
      input: { path: resolve(file), size: 999 },
      format: 'ndjson',
      offset: 11,
      line: 2,
      rejectsBytes: 0,
      written: 1,
      rejected: 0,
      updated: new Date().toISOString(),
    });
    const leftover = await cli(['import', t, file]);
    expect(leftover.code).toBe(2);
    // Another file's checkpoint: said as such with or without --resume (never "pass --resume").
    expect(leftover.stderr).toMatch(/belongs to an import of .* \(999 bytes\) into/);
    const other = await cli(['import', t, file, '--resume']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/belongs to an import of .* \(999 bytes\) into/);
    // The same file read as another format: its offsets would mean something else.
    writeCheckpoint(cp, {
      kind: 'import',
      table: t,
      ...(await checkpointOf(t)),
      input: { path: resolve(file), size: statSync(file).size },
      format: 'json',
      offset: 11,
      line: 2,
      rejectsBytes: 0,
      written: 1,
      rejected: 0,
      updated: new Date().toISOString(),
    });
    const otherFormat = await cli(['import', t, file, '--resume']);
    expect(otherFormat.code).toBe(2);
    expect(errorLine(otherFormat)).toBe(
      `ddbctl: error: --resume: the stopped run (checkpoint ${cp}) had --format json, and this one has --format ndjson; resume with the same --format json, or drop --resume and delete ${cp} to start over`,
    );
    expect(await scanAll(t)).toEqual([]);
    const fromStdin = await cli(['import', t, '-', '--resume'], { stdin: '{"pk":"a"}\n' });
    expect(fromStdin.code).toBe(2);
    expect(fromStdin.stderr).toContain('--resume needs a file');
  });

  it('one run at a time on a checkpoint: a second import or export of the same file is refused while the first runs', async () => {
    const t = await newTable('resume-busy');
    const file = writeLines('busy.ndjson', ['{"pk":"a"}', '{"pk":"b"}']);
    // The first run, as a live process holding the lock (this one).
    const release = lockCheckpoint(`${file}.ddbctl-import.json`, `import of ${file}`);
    try {
      for (const args of [[], ['--resume']]) {
        const r = await cli(['import', t, file, ...args]);
        expect(r.code).toBe(1);
        expect(errorLine(r)).toMatch(
          /^ddbctl: error: another import of .*busy\.ndjson \(pid \d+\) is running with the checkpoint .*busy\.ndjson\.ddbctl-import\.json: wait for it to end/,
        );
      }
      expect(await scanAll(t)).toEqual([]);
    } finally {
      release();
    }
    const out = join(dir, 'busy-out.ndjson');
    const releaseExport = lockCheckpoint(`${out}.ddbctl-export.json`, `export to ${out}`);
    try {
      const r = await cli(['export', t, out]);
      expect(r.code).toBe(1);
      expect(errorLine(r)).toContain('another export to');
      expect(existsSync(out)).toBe(false);
      // A checkpoint of its own does not make two exports to one file safe: the output is held too.
      const own = join(dir, 'busy-own-cp.json');
      const other = await cli(['export', t, out, '--checkpoint', own]);
      expect(other.code).toBe(1);
      expect(errorLine(other)).toMatch(
        /^ddbctl: error: another export \(pid \d+\) is writing .*busy-out\.ndjson: two exports to one file would mix their items; wait for it to end, or stop it \(Ctrl-C\), or export to another file; if no such run exists, delete .*busy-out\.ndjson\.ddbctl-export\.json\.lock$/,
      );
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${own}.lock`)).toBe(false);
    } finally {
      releaseExport();
    }
    // The same output through a symlink or a hard link: refused too (by its real path, by its inode).
    writeFileSync(out, '');
    const viaLink = join(dir, 'busy-out-symlink.ndjson');
    symlinkSync(out, viaLink);
    const heldByPath = lockCheckpoint(`${out}.ddbctl-export.json`, `export to ${out}`);
    try {
      const r = await cli(['export', t, viaLink, '--checkpoint', join(dir, 'busy-link-cp.json')]);
      expect(r.code).toBe(1);
      expect(errorLine(r)).toMatch(
        /another export \(pid \d+\) is writing .*busy-out-symlink\.ndjson: two exports/,
      );
    } finally {
      heldByPath();
    }
    const hard = join(dir, 'busy-out-hardlink.ndjson');
    linkSync(out, hard);
    const { dev, ino } = statSync(out);
    const heldByInode = lockCheckpoint(join(tmpdir(), `ddbctl-export-${dev}-${ino}`), `export to ${out}`);
    try {
      const r = await cli(['export', t, hard]);
      expect(r.code).toBe(1);
      expect(errorLine(r)).toMatch(
        /another export \(pid \d+\) is writing .*busy-out-hardlink\.ndjson: two exports/,
      );
      expect(readFileSync(out, 'utf8')).toBe('');
    } finally {
      heldByInode();
    }
    rmSync(hard);
    rmSync(viaLink);
    rmSync(out);
    // An output in a folder reached through a symlink (macOS's /tmp is one): one export, two names
    // of one lock file, which it must not take as another run's.
    const real = mkdtempSync(join(dir, 'real-'));
    const linked = join(dir, 'linked-dir');
    symlinkSync(real, linked);
    const throughLink = await cli(['export', t, join(linked, 'out.ndjson')]);
    expect(throughLink.code, throughLink.stderr).toBe(0);
    expect(throughLink.stderr).toContain(`export ${t}: `);
    expect(readdirSync(real)).toEqual(['out.ndjson']);
    // A run with a checkpoint of its own lets go of the output's lock as of its own.
    const ownCp = join(dir, 'busy-own-cp2.json');
    const first = await cli(['export', t, out, '--checkpoint', ownCp]);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(`${out}.ddbctl-export.json.lock`)).toBe(false);
    rmSync(out);
    // Released: both run, and leave no lock behind.
    expect((await cli(['import', t, file])).code).toBe(0);
    expect((await cli(['export', t, out])).code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(existsSync(`${file}.ddbctl-import.json.lock`)).toBe(false);
    expect(existsSync(`${out}.ddbctl-export.json.lock`)).toBe(false);
  });
});

describe(`20,000 items through a fault-injecting proxy on ${engineName()}`, () => {
  const n = 20_000;
  const keyOf = (i: number) => `key-${String(i).padStart(5, '0')}`;
  const expectedKeys = Array.from({ length: n }, (_, i) => keyOf(i));
  let t: string;
  /** `export t FILE ARGS -o json` through the proxy with `faults` (cleared after), the SDK's attempts set. */
  const exportThrough = async (faults: Fault[], file: string, args: string[], attempts: number) => {
    proxy.setFaults(faults);
    proxy.resetStats();
    const out = join(dir, file);
    const r = await cli(['--endpoint-url', proxy.endpoint, '-o', 'json', 'export', t, out, ...args], {
      env: { AWS_MAX_ATTEMPTS: String(attempts) },
    });
    proxy.setFaults([]);
    return { r, out };
  };

  it('import: throttling, partial UnprocessedItems, 500s and dropped connections; every item exactly once', async () => {
    t = await newTable('faults');
    // Sorted by partition key (the worst order for a real table), with a 38-digit number each.
    const file = writeLines(
      'faults.ndjson',
      Array.from(
        { length: n },
        (_, i) =>
          `{"pk":"${keyOf(i)}","n":1234567890123456789012345678901234${String(i % 10000).padStart(4, '0')},"pad":"${'p'.repeat(150)}"}`,
      ),
    );
    const faults: Fault[] = [
      // Each kind at least once …
      { kind: 'unprocessed', operations: ['BatchWriteItem'], count: 2, skip: 1, forward: 0.4 },
      { kind: 'throughput', operations: ['BatchWriteItem'], count: 1, skip: 3 },
      { kind: 'dropAfter', operations: ['BatchWriteItem'], count: 1, skip: 4 },
      { kind: 'http500', operations: ['BatchWriteItem'], count: 1, skip: 5 },
      { kind: 'dropBefore', operations: ['BatchWriteItem'], count: 1, skip: 6 },
      { kind: 'throttling', operations: ['BatchWriteItem'], count: 1, skip: 7 },
      // … then at random (low enough that 10 retries of a chunk always suffice).
      { kind: 'unprocessed', operations: ['BatchWriteItem'], probability: 0.15, forward: 0.5 },
      { kind: 'throughput', operations: ['BatchWriteItem'], probability: 0.02 },
      { kind: 'throttling', operations: ['BatchWriteItem'], probability: 0.02 },
      { kind: 'http500', operations: ['BatchWriteItem'], probability: 0.02 },
      { kind: 'dropBefore', operations: ['BatchWriteItem'], probability: 0.01 },
      { kind: 'dropAfter', operations: ['BatchWriteItem'], probability: 0.01 },
    ];
    proxy.setFaults(faults);
    proxy.resetStats();
    // AWS_MAX_ATTEMPTS=1: the SDK does not retry, so every fault reaches import's own retries.
    const r = await cli(['--endpoint-url', proxy.endpoint, 'import', t, file], {
      env: { AWS_MAX_ATTEMPTS: '1' },
    });
    proxy.setFaults([]);
    expect(r.code, r.stderr).toBe(0);
    const summary = importSummary(r.stderr);
    expect(summary).toMatchObject({ written: n, rejected: 0 });
    expect(summary.retried).toBeGreaterThan(0);
    for (const kind of [
      'unprocessed',
      'throughput',
      'throttling',
      'dropAfter',
      'http500',
      'dropBefore',
    ] as const) {
      expect(proxy.stats.faults[kind], kind).toBeGreaterThan(0);
    }
    const items = await scanAll(t);
    expect(items).toHaveLength(n);
    expect(items.map((i) => i.pk as string).sort()).toEqual(expectedKeys);
    expect(() => readFileSync(`${file}.ddbctl-import.json`)).toThrow();
  }, 240_000);

  it('export: throttling, 500s and dropped connections on Scan; every item exactly once', async () => {
    expect(t, 'the import test ran first').toBeDefined();
    proxy.setFaults([
      // Each kind once, on Scan calls 1, 3, 4, 5 and 6 (a rule counts only the calls it is asked about) …
      { kind: 'throttling', operations: ['Scan'], count: 1 },
      { kind: 'http500', operations: ['Scan'], count: 1, skip: 1 },
      { kind: 'dropBefore', operations: ['Scan'], count: 1, skip: 1 },
      { kind: 'dropAfter', operations: ['Scan'], count: 1, skip: 1 },
      { kind: 'throughput', operations: ['Scan'], count: 1, skip: 1 },
      // … then now and then.
      { kind: 'dropAfter', operations: ['Scan'], probability: 0.05 },
    ]);
    proxy.resetStats();
    const out = join(dir, 'faults-export.ndjson');
    const r = await cli(['--endpoint-url', proxy.endpoint, 'export', t, out, '--segments', '2'], {
      env: { AWS_MAX_ATTEMPTS: '10' },
    });
    proxy.setFaults([]);
    expect(r.code, r.stderr).toBe(0);
    const summary = exportSummary(r.stderr);
    expect(summary.items).toBe(n);
    expect(summary.retried).toBeGreaterThan(0);
    for (const kind of ['throttling', 'http500', 'dropBefore', 'dropAfter', 'throughput'] as const) {
      expect(proxy.stats.faults[kind], kind).toBeGreaterThan(0);
    }
    // Throttling is counted as throttling (the calls that met it).
    const throttled = Number(/throttled ([\d,]+) of/.exec(r.stderr)?.[1]?.replaceAll(',', '') ?? 0);
    expect(throttled, r.stderr).toBeGreaterThan(0);
    expect(throttled, r.stderr).toBeLessThanOrEqual(
      proxy.stats.faults.throttling + proxy.stats.faults.throughput,
    );
    const lines = parseLines(readFileSync(out, 'utf8'));
    expect(lines).toHaveLength(n);
    expect(lines.map((l) => l.pk as string).sort()).toEqual(expectedKeys);
    // Exact numbers survived the trip.
    const line = readFileSync(out, 'utf8')
      .split('\n')
      .find((l) => l.includes(`"pk":"${keyOf(1234)}"`));
    expect(line).toContain('"n":12345678901234567890123456789012341234');
  }, 240_000);

  it("export: a Scan call throttled past the SDK's attempts is sent again, and the export ends whole", async () => {
    expect(t, 'the import test ran first').toBeDefined();
    // One attempt a call (AWS_MAX_ATTEMPTS=1): the first 40 Scan calls each fail as the SDK's last,
    // 16 segments in flight waiting to send theirs again at once.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    const { r, out } = await exportThrough(
      [{ kind: 'throughput', operations: ['Scan'], count: 40 }],
      'throttled-export.ndjson',
      ['--segments', '16', '--concurrency', '16', '--page-size', '500'],
      1,
    );
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.stats.faults.throughput).toBe(40);
    // No warning of node's (a listener for each call waiting on one signal).
    expect(warnings.filter((w) => w.startsWith('MaxListeners'))).toEqual([]);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ written: n, retried: 40, concurrency: { throttled: 40 } });
    expect(doc.stopped).toBeUndefined();
    const lines = parseLines(readFileSync(out, 'utf8'));
    expect(lines.map((l) => l.pk as string).sort()).toEqual(expectedKeys);
  }, 240_000);

  it('export: 500s and dropped connections are retries, not throttling, in its summary', async () => {
    expect(t, 'the import test ran first').toBeDefined();
    proxy.setFaults([
      { kind: 'http500', operations: ['Scan'], count: 2 },
      { kind: 'dropAfter', operations: ['Scan'], count: 2, skip: 1 },
    ]);
    proxy.resetStats();
    const out = join(dir, 'faults-only-export.ndjson');
    const r = await cli(['--endpoint-url', proxy.endpoint, 'export', t, out, '--segments', '2'], {
      env: { AWS_MAX_ATTEMPTS: '10' },
    });
    proxy.setFaults([]);
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.stats.faults.http500 + proxy.stats.faults.dropAfter).toBe(4);
    expect(exportSummary(r.stderr)).toMatchObject({ items: n, retried: 4 });
    expect(r.stderr).not.toMatch(/throttled/);
  }, 240_000);

  it('export stopped by a call that keeps failing: its summary still ends the run, with -o json the document says why', async () => {
    expect(t, 'the import test ran first').toBeDefined();
    // The first Scan pages pass, then every call is throttled past the SDK's attempts (and ours).
    const { r, out } = await exportThrough(
      [{ kind: 'throughput', operations: ['Scan'], skip: 3, count: 1000 }],
      'stopped-export.ndjson',
      ['--segments', '1', '--page-size', '100'],
      2,
    );
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ table: t, written: 300, stopped: { code: 'request.throttled' } });
    expect(doc.retried).toBeGreaterThan(0);
    expect(doc.checkpoint).toBe(`${out}.ddbctl-export.json`);
    const lines = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('ddbctl: ') && !l.startsWith('ddbctl: target:'));
    expect(lines[0]).toMatch(
      new RegExp(`^ddbctl: export ${t}: 300 items to \\S+, 0 rejected, [\\d,]+ retried, .*throttled`),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^ddbctl: error: .*; export ${t} stopped: 300 items in \\S+; the checkpoint is `),
    );
    expect(parseLines(readFileSync(out, 'utf8'))).toHaveLength(300);
  }, 240_000);

  it('export stopped before its first page: the file it made is removed, and neither its error nor -o json names it', async () => {
    expect(t, 'the import test ran first').toBeDefined();
    const { r, out } = await exportThrough(
      [{ kind: 'throughput', operations: ['Scan'], count: 1000 }],
      'stopped-first.csv',
      ['--segments', '1'],
      1,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(JSON.parse(r.stdout)).toMatchObject({
      table: t,
      file: null,
      format: 'csv',
      written: 0,
      types: null,
      checkpoint: null,
      stopped: { code: 'request.throttled' },
    });
    expect(r.stderr.split('\n').find((l) => l.startsWith('ddbctl: error: '))).toMatch(
      new RegExp(
        `; export ${t} stopped: 0 items; no page was written, so there is nothing to resume: run the same command again$`,
      ),
    );
    // A file that was there stays as it was, and the lines say so.
    const kept = join(dir, 'stopped-first-kept.ndjson');
    writeFileSync(kept, 'yesterday\n');
    const again = await exportThrough(
      [{ kind: 'throughput', operations: ['Scan'], count: 1000 }],
      'stopped-first-kept.ndjson',
      ['--segments', '1'],
      1,
    );
    expect(again.r.code, again.r.stderr).toBe(1);
    expect(readFileSync(kept, 'utf8')).toBe('yesterday\n');
    expect(again.r.stderr).toContain(`ddbctl: export ${t}: 0 items (${kept} left as it was), 0 rejected`);
    expect(again.r.stderr).toContain(
      `; export ${t} stopped: 0 items (${kept} left as it was); no page was written`,
    );
  }, 240_000);

  it('export interrupted (Ctrl-C) while its calls are throttled, before its first page: the file it made is removed, and the counts say what it met', async () => {
    expect(t, 'the import test ran first').toBeDefined();
    proxy.setFaults([{ kind: 'throughput', operations: ['Scan'], count: 100_000 }]);
    proxy.resetStats();
    const out = join(dir, 'interrupted-first.ndjson');
    const running = cli(
      ['--endpoint-url', proxy.endpoint, '-o', 'json', 'export', t, out, '--segments', '1'],
      {
        env: { AWS_MAX_ATTEMPTS: '1' },
      },
    );
    await until('two throttled calls', () => (proxy.stats.faults.throughput >= 2 ? true : undefined));
    ctrlC();
    const r = await running;
    proxy.setFaults([]);
    expect(r.code, r.stderr).toBe(130);
    expect(existsSync(out)).toBe(false);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ file: null, written: 0, checkpoint: null, interrupted: true });
    expect(doc.retried).toBeGreaterThanOrEqual(1);
    expect(doc.concurrency.throttled).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `ddbctl: export ${t} interrupted: 0 items, 0 rejected; no page was written yet, so no checkpoint was saved: run the same command again\\n`,
      ),
    );
  }, 240_000);
});

describe(`export's calls before its first Scan on ${engineName()}`, () => {
  it('sizes its segments from the DescribeTable of its checks: no other DescribeTable, with progress or without', async () => {
    const t = await newTable('export-describe');
    const lines = Array.from({ length: 50 }, (_, i) => `{"pk":"d${i}","n":${i}}`);
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, lines)])).code).toBe(0);
    for (const tty of [false, true]) {
      proxy.resetStats();
      const out = join(dir, `${t}-${tty}.ndjson`);
      const r = await cli(['--endpoint-url', proxy.endpoint, 'export', t, out], { tty });
      expect(r.code, r.stderr).toBe(0);
      expect(parseLines(readFileSync(out, 'utf8'))).toHaveLength(50);
      // NOTE: the checks before the run ask for the key schema and the description at once (one
      // round trip); every DescribeTable after them was a round trip more before the first Scan.
      expect(proxy.stats.operations.DescribeTable, `tty ${tty}`).toBe(2);
      expect(proxy.stats.operations.Scan).toBeGreaterThanOrEqual(4);
    }
  });
});

describe(`an import stopped by the endpoint on ${engineName()}`, () => {
  // NOTE: what is tested is ddbctl's side (retries running out, the stop, the resume), the same on
  // every engine; it takes ~15 s of backoff, so it runs once.
  it.runIf(engineName() === 'embedded')(
    'says so (exit 1, how to continue); --resume then completes the table exactly (runs once, on the embedded engine: client-side behaviour, 15 s of backoff)',
    async () => {
      const t = await newTable('stopped');
      const n = 3000;
      const file = writeLines(
        'stopped.ndjson',
        Array.from({ length: n }, (_, i) => `{"pk":"s${i}","i":${i}}`),
      );
      // After 30 calls the endpoint drops every connection: retries run out, and the run stops.
      proxy.setFaults([{ kind: 'dropBefore', operations: ['BatchWriteItem'], count: 1_000_000, skip: 30 }]);
      const r = await cli(['--endpoint-url', proxy.endpoint, 'import', t, file], {
        env: { AWS_MAX_ATTEMPTS: '1' },
      });
      proxy.setFaults([]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /ddbctl: error: import stopped before the end of the input: .*(dropped the connection before answering|cannot reach the endpoint)/,
      );
      // One instruction, as an interrupted run gives it: where the checkpoint is, and the command.
      expect(r.stderr).toMatch(
        new RegExp(
          `the checkpoint ${file}\\.ddbctl-import\\.json has the [\\d,]+ records before line [\\d,]+; continue with: ddbctl --endpoint-url ${proxy.endpoint} import ${t} ${file} --resume\n$`,
        ),
      );
      const before = (await scanAll(t)).length;
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(n);
      expect(existsSync(`${file}.ddbctl-import.json`)).toBe(true);

      const resumed = await cli(['--endpoint-url', proxy.endpoint, 'import', t, file, '--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const items = await scanAll(t);
      expect(items).toHaveLength(n);
      expect(items.map((x) => Number(String(x.i))).sort((a, b) => a - b)).toEqual(
        Array.from({ length: n }, (_, i) => i),
      );
      expect(existsSync(`${file}.ddbctl-import.json`)).toBe(false);
    },
    120_000,
  );
});

describe(`copy-table on ${engineName()}`, () => {
  async function indexedTable(on: Clients, prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    tables.push({ clients: on, name });
    await on.ddb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'g', AttributeType: 'S' },
          { AttributeName: 'l', AttributeType: 'B' },
        ],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 9 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [
              { AttributeName: 'g', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['v'] },
            ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byL',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'l', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
    await waitForTable(on, name, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
    return name;
  }

  const sourceLines = Array.from(
    { length: 600 },
    (_, i) =>
      `{"pk":"p${i % 37}","sk":${i}.5,"g":"g${i % 5}","l":{"$binary":"${Buffer.from([i % 256, 7]).toString('base64')}"},"v":12345678901234567890123456789012345678,"s":{"$set":["x${i}"]}}`,
  );

  /** The parts of a description a copy must keep. */
  function schemaOf(d: TableDescription) {
    const keys = (k?: { AttributeName?: string; KeyType?: string }[]) =>
      k?.map((x) => `${x.AttributeName}:${x.KeyType}`);
    return {
      keys: keys(d.KeySchema),
      attributes: [...(d.AttributeDefinitions ?? [])]
        .map((a) => `${a.AttributeName}:${a.AttributeType}`)
        .sort(),
      gsis: (d.GlobalSecondaryIndexes ?? []).map((g) => ({
        name: g.IndexName,
        keys: keys(g.KeySchema),
        projection: g.Projection?.ProjectionType,
        nonKey: g.Projection?.NonKeyAttributes,
      })),
      lsis: (d.LocalSecondaryIndexes ?? []).map((l) => ({
        name: l.IndexName,
        keys: keys(l.KeySchema),
        projection: l.Projection?.ProjectionType,
      })),
    };
  }

  it('copies within one engine: creates DST with SRC’s schema, then into an existing table', async () => {
    const src = await indexedTable(clients, 'copy-src');
    const file = writeLines('copy.ndjson', sourceLines);
    expect((await cli(['import', src, file])).code).toBe(0);
    const dst = uniqueName('copy-dst');
    tables.push({ clients, name: dst });
    const r = await cli(['copy-table', src, dst, '--segments', '3', '--concurrency', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^copied 600 items from ${src} to ${dst} \\(created\\): 600 in the source, 600 in the destination`,
      ),
    );
    const [a, b] = await Promise.all(
      [src, dst].map(
        async (t) => (await clients.ddb.send(new DescribeTableCommand({ TableName: t }))).Table!,
      ),
    );
    expect(schemaOf(b!)).toEqual(schemaOf(a!));
    expect(b!.ProvisionedThroughput?.WriteCapacityUnits).toBe(9);
    expect(canonicalSet(await scanAll(dst))).toEqual(canonicalSet(await scanAll(src)));

    // Again into the existing table, with -o json: nothing doubled.
    const again = await cli(['copy-table', src, dst, '-o', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      created: false,
      written: 600,
      sourceCount: 600,
      destinationCount: 600,
      failed: 0,
    });
  });

  it('copies from a data dir of the embedded engine (--from-data-dir) to this engine', async () => {
    const dataDir = join(dir, `data-${engineName()}`);
    const g = ['--data-dir', dataDir];
    const made = await cli([...g, 'create-table', 'Source', '--pk', 'pk:S', '--sk', 'sk:N', '--wait']);
    expect(made.code, made.stderr).toBe(0);
    const imported = await cli([...g, 'import', 'Source', writeLines('fromdir.ndjson', sourceLines)]);
    expect(imported.code, imported.stderr).toBe(0);
    const dst = uniqueName('from-dir');
    tables.push({ clients, name: dst });
    const r = await cli([
      'copy-table',
      'Source',
      dst,
      '--from-data-dir',
      dataDir,
      '--to-endpoint-url',
      endpoint(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`source: embedded engine (data dir ${dataDir})`);
    expect(r.stdout).toContain('(created): 600 in the source, 600 in the destination');
    const d = (await clients.ddb.send(new DescribeTableCommand({ TableName: dst }))).Table!;
    expect(d.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(canonicalSet(await scanAll(dst))).toEqual(canonicalSet(sourceLines.map((l) => parseItem(l))));
  });

  const ddbLocal = process.env.DDBCTL_TEST_DDBLOCAL;
  it.runIf(engineName() === 'embedded' && !!ddbLocal)(
    'copies from the embedded engine to DynamoDB Local, creating DST with SRC’s schema (runs once, from the embedded project, when DynamoDB Local runs)',
    async () => {
      const local = createClients({
        region: 'us-east-1',
        endpoint: ddbLocal!,
        credentials: 'local',
        label: ddbLocal!,
      });
      try {
        const src = await indexedTable(clients, 'x-src');
        const file = writeLines('x.ndjson', sourceLines);
        expect((await cli(['import', src, file])).code).toBe(0);
        const dst = uniqueName('x-dst');
        tables.push({ clients: local, name: dst });
        const r = await cli([
          'copy-table',
          src,
          dst,
          '--from-endpoint-url',
          endpoint(),
          '--to-endpoint-url',
          ddbLocal!,
        ]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`source: endpoint ${endpoint()}`);
        expect(r.stderr).toContain(`destination: endpoint ${ddbLocal}`);
        expect(r.stdout).toContain('600 in the source, 600 in the destination');
        const a = (await clients.ddb.send(new DescribeTableCommand({ TableName: src }))).Table!;
        const b = (await local.ddb.send(new DescribeTableCommand({ TableName: dst }))).Table!;
        expect(schemaOf(b)).toEqual(schemaOf(a));
        expect(b.ItemCount === undefined || b.ItemCount >= 0).toBe(true);
        const items = await scanAll(dst, local);
        expect(items).toHaveLength(600);
        expect(canonicalSet(items)).toEqual(canonicalSet(await scanAll(src)));
      } finally {
        local.destroy();
      }
    },
  );
});

describe(`an attribute named __proto__ on ${engineName()}`, () => {
  it('export copies it exactly; get, scan and copy-table refuse the answer instead of dropping it', async () => {
    const t = await newTable('proto');
    // Written from text: the SDK's serializer would drop the attribute too.
    const odd = '{"pk":{"S":"odd"},"__proto__":{"S":"x"},"m":{"M":{"__proto__":{"N":"1"}}}}';
    const plain = '{"pk":{"S":"plain"},"s":{"S":"\\"__proto__\\": in a string"},"t":{"S":"__proto__"}}';
    const w = await sendBatchWriteBody(
      clients.bulk!,
      `{"RequestItems":{"${t}":[{"PutRequest":{"Item":${odd}}},{"PutRequest":{"Item":${plain}}}]}}`,
    );
    expect(w.UnprocessedItems ?? {}).toEqual({});

    // The name inside a string value is not an attribute: that item reads as usual.
    const ok = await cli(['get', t, '{"pk":"plain"}', '-o', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ pk: 'plain', s: '"__proto__": in a string', t: '__proto__' });

    const refusal =
      /^ddbctl: error: (GetItem|Scan): the answer holds an attribute named "__proto__", which the AWS SDK for JavaScript cannot read without dropping it or garbling its map; nothing of this answer was used\. 'ddbctl [^']*export' reads such items exactly/m;
    for (const args of [
      ['get', t, '{"pk":"odd"}'],
      ['scan', t, '-o', 'ndjson'],
    ]) {
      const r = await cli(args);
      expect(r.code, args[0]).toBe(1);
      expect(r.stdout, args[0]).toBe('');
      expect(r.stderr, args[0]).toMatch(refusal);
    }

    const out = join(dir, 'proto.ddb.json');
    const e = await cli(['export', t, out]);
    expect(e.code, e.stderr).toBe(0);
    // Attributes in any order (JSON.parse keeps "__proto__" as an own key; Object.entries lists it).
    const attributes = (o: object) =>
      Object.entries(o)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .sort();
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.map((l) => attributes(JSON.parse(l).Item)).sort()).toEqual(
      [odd, plain].map((l) => attributes(JSON.parse(l))).sort(),
    );
    expect(lines.find((l) => l.includes('odd'))).toContain('"m":{"M":{"__proto__":{"N":"1"}}}');

    const dst = uniqueName('proto-copy');
    tables.push({ clients, name: dst });
    const c = await cli(['copy-table', t, dst, '--segments', '1']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(refusal);
    expect(c.stderr).toContain(
      `The copy stopped after writing 0 of the 0 items read into ${dst} (created by this run); once the cause is fixed, copy-table again writes every item anew`,
    );
  });
});

describe(`truncate on ${engineName()}`, () => {
  it('deletes every item and keeps the table; refuses without --yes off a terminal', async () => {
    // Reserved words as key names: the key projection must quote them.
    const t = await newTable('trunc', { pk: { name: 'data', type: 'S' }, sk: { name: 'size', type: 'N' } });
    const file = writeLines(
      'trunc.ndjson',
      Array.from({ length: 1200 }, (_, i) => `{"data":"d${i % 13}","size":${i},"v":"${'v'.repeat(100)}"}`),
    );
    expect((await cli(['import', t, file])).code).toBe(0);

    const refused = await cli(['truncate', t]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing without a terminal to confirm on; pass --yes/);
    expect(await scanAll(t)).toHaveLength(1200);

    const r = await cli(['truncate', t, '--yes', '--segments', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^deleted 1,200 items from ${t}`));
    expect(await scanAll(t)).toEqual([]);
    const d = await clients.ddb.send(new DescribeTableCommand({ TableName: t }));
    expect(d.Table?.TableStatus).toBe('ACTIVE');

    // An empty table truncates to the same, -o json.
    const empty = await cli(['truncate', t, '-y', '-o', 'json']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ deleted: 0, failed: 0 });
  });
});

describe(`import from stdin, with progress on ${engineName()}`, () => {
  it('reads stdin (ndjson by default, --format csv), shows progress on a terminal only', async () => {
    const t = await newTable('stdin');
    const rejects = join(dir, 'stdin-rejects.ndjson');
    const r = await cli(['import', t, '-', '--rejects', rejects], {
      stdin: '{"pk":"a","v":1}\n{"pk":"b","v":2}\nnot json\n',
      tty: true,
    });
    expect(r.code).toBe(1);
    expect(importSummary(r.stderr)).toMatchObject({ written: 2, rejected: 1, rejects });
    expect(parseLines(readFileSync(rejects, 'utf8'))).toEqual([
      { line: 3, reason: expect.any(String), record: 'not json' },
    ]);
    // On a terminal: a progress line redrawn in place (written, rejected, retried, rate), then cleared.
    expect(r.stderr).toContain('\r\x1b[K');
    expect(r.stderr).toMatch(/import \S+: \d+ written, \d+ rejected, \d+ retried, [\d,]+ items\/s/);
    const csv = await cli(['import', t, '-', '--format', 'csv', '--types', 'v:N'], {
      stdin: 'pk,v\nc,3\nd,4\n',
    });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).not.toContain('\r');
    const items = (await scanAll(t)).map((i) => [i.pk, Number(String(i.v))]).sort();
    expect(items).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ]);
  });
});

describe(`export and copy-table progress on a terminal, ${engineName()}`, () => {
  it('shows done of the approximate total, retries, items/s and an ETA, then clears the line', async () => {
    const t = await newTable('progress-src');
    const lines = Array.from({ length: 300 }, (_, i) => `{"pk":"p${i}","n":${i}}`);
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, lines)])).code).toBe(0);
    const out = join(dir, `${t}.ndjson`);
    const e = await cli(['export', t, out, '--page-size', '50', '--segments', '1'], { tty: true });
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toContain('\r\x1b[K');
    // The total is DescribeTable's ItemCount: every engine tested counts at once; an engine
    // that reports 0 (dynalite did) gets a line with no total rather than a wrong one.
    const described = await clients.ddb.send(new DescribeTableCommand({ TableName: t }));
    const done =
      (described.Table?.ItemCount ?? 0) > 0
        ? String.raw`[\d,]+ of ~300 items \(\d+%\)`
        : String.raw`[\d,]+ items`;
    expect(e.stderr).toMatch(
      new RegExp(String.raw`export \S+: ${done}, 0 retried, in flight 1 \(max 1\), [\d,]+ items/s`),
    );
    const copy = `${t}-copy`;
    tables.push({ clients, name: copy });
    const c = await cli(['copy-table', t, copy, '--segments', '1'], { tty: true });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(
      new RegExp(
        String.raw`copy \S+ → \S+: ${done} written, [\d,]+ read, 0 retried, (?:in flight \d+ \(max \d+\), )?[\d,]+ items/s`,
      ),
    );
  });
});

describe(`import --rate and --concurrency on ${engineName()}`, () => {
  it('imports every item with a rate cap and one call in flight', async () => {
    const t = await newTable('rate');
    const file = writeLines(
      'rate.ndjson',
      Array.from({ length: 300 }, (_, i) => `{"pk":"r${i}","pad":"${'x'.repeat(900)}"}`),
    );
    const r = await cli(['import', t, file, '--rate', '5000', '--concurrency', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(importSummary(r.stderr)).toMatchObject({ written: 300, rejected: 0 });
    expect(await scanAll(t)).toHaveLength(300);
    const bad = await cli(['import', t, file, '--rate', '0']);
    expect(bad.code).toBe(2);
  });

  it('library: the cap holds at the calls, for the requests the interleave window held too', async () => {
    // A sort key, so the interleave window holds items (without one there is nothing to spread).
    const t = await newTable('rate-lib', { pk: { name: 'pk', type: 'S' }, sk: { name: 'sk', type: 'N' } });
    const n = 300;
    const file = writeLines(
      'rate-lib.ndjson',
      Array.from({ length: n }, (_, i) => `{"pk":"r${i % 5}","sk":${i}}`),
    );
    // A fake clock: waits pass at once, and each call is stamped with the time it was sent at.
    let now = 0;
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const calls: { at: number; items: number }[] = [];
    const recording = recordingClients((command) => {
      calls.push({ at: now, items: command.input.RequestItems?.[t]?.length ?? 0 });
    });
    const rate = 10;
    const records = readItemBatches(createReadStream(file), { format: 'ndjson' });
    const r = await importItems(recording, t, records, { rate, clock });
    expect(r).toMatchObject({ written: n, rejected: 0 });
    expect(await scanAll(t)).toHaveLength(n);
    expect(calls.reduce((a, c) => a + c.items, 0)).toBe(n);
    // 300 units at 10 a second, a second's worth at once: at least 29 s.
    expect(now).toBeGreaterThanOrEqual(((n - rate) / rate) * 1000);
    // Between any two calls, at most the rate over that time, plus a second's worth, plus the 25
    // requests of one call (a call writes them at once).
    for (let i = 0; i < calls.length; i++) {
      let units = 0;
      for (let j = i; j < calls.length; j++) {
        units += calls[j]!.items;
        expect(units).toBeLessThanOrEqual(rate * ((calls[j]!.at - calls[i]!.at) / 1000 + 1) + 25);
      }
    }
  });

  it('the CLI on a fake clock: import --rate waits on it (its seconds are the clock’s, no real wait), copy-table and truncate are timed by it', async () => {
    const t = await newTable('clock');
    const file = writeLines(
      'clock.ndjson',
      Array.from({ length: 20 }, (_, i) => `{"pk":"c${i}","pad":"${'x'.repeat(900)}"}`),
    );
    // Time moves only when the run waits on the clock.
    let now = Date.UTC(2030, 0, 1);
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const realStart = performance.now();
    const r = await cli(['-o', 'json', 'import', t, file, '--rate', '2'], { clock });
    expect(r.code, r.stderr).toBe(0);
    // 20 units at 2 a second, a second's worth at once: 9 s on the clock.
    expect(JSON.parse(r.stdout)).toMatchObject({ written: 20, seconds: 9 });
    expect(r.stderr).toContain(', 9.0 s, 2 items/s');
    expect(performance.now() - realStart).toBeLessThan(5000);

    const copy = uniqueName('clock-copy');
    tables.push({ clients, name: copy });
    const c = await cli(['-o', 'json', 'copy-table', t, copy], { clock });
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ written: 20, seconds: 0 });
    const d = await cli(['-o', 'json', 'truncate', copy, '--yes'], { clock });
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ deleted: 20, seconds: 0 });
  });
});

describe(`import order on ${engineName()}`, () => {
  /** The keys of each BatchWriteItem call a library import makes, one call in flight. */
  async function callsOf(t: string, lines: string[]): Promise<string[][]> {
    const calls: string[][] = [];
    const recording = recordingClients((command) => {
      const requests = command.input.RequestItems?.[t] ?? [];
      calls.push(requests.map((r) => `${r.PutRequest?.Item?.pk}/${r.PutRequest?.Item?.sk ?? ''}`));
    });
    const file = writeLines(`${t}.ndjson`, lines);
    const records = readItemBatches(createReadStream(file), { format: 'ndjson' });
    const r = await importItems(recording, t, records, { concurrency: 1 });
    expect(r).toMatchObject({ written: lines.length, rejected: 0 });
    expect(await scanAll(t)).toHaveLength(lines.length);
    return calls;
  }

  /** Clients whose third BatchWriteItem fails as the embedded engine fails a call on a damaged data file. */
  function failingThirdCall(message: string): Clients {
    let calls = 0;
    return {
      ...recordingClients(() => {}),
      doc: {
        send: (command: BatchWriteCommand, options?: object) =>
          ++calls === 3
            ? Promise.reject(new DdbError('engine.start', { message }))
            : clients.doc.send(command, options),
      } as unknown as Clients['doc'],
    };
  }

  it('library: a call the engine fails on its own data files stops the import with that code and reason (not "after the retries")', async () => {
    const t = await newTable('storage');
    // NOTE: a damaged record met in the middle of an import cannot be placed on demand: the third
    // call fails as the embedded engine fails a call that needs one (code and message).
    const damaged = "the engine's data file D/engine/snapshot is damaged (bad block at byte 7)";
    const failing = failingThirdCall(damaged);
    const file = writeLines(
      `${t}.ndjson`,
      Array.from({ length: 100 }, (_, i) => `{"pk":"s${String(i).padStart(3, '0')}"}`),
    );
    const records = readItemBatches(createReadStream(file), { format: 'ndjson' });
    const r = await importItems(failing, t, records, { concurrency: 1 });
    expect(r.stopped).toMatchObject({
      code: 'engine.start',
      message: `25 items were not written (${damaged})`,
    });
    expect(r.written).toBe(75);
    expect(await scanAll(t)).toHaveLength(75);
  });

  it('library: a run that stops counts as rejected the records its reject file got (not those after its position)', async () => {
    const t = await newTable('stop-rejects');
    const failing = failingThirdCall('damaged');
    // Lines 10 and 90 have no key: the first is before the failed call's items, the second after.
    const lines = Array.from({ length: 100 }, (_, i) =>
      i === 9 || i === 89 ? '{"v":1}' : `{"pk":"s${String(i).padStart(3, '0')}"}`,
    );
    const records = readItemBatches(createReadStream(writeLines(`${t}.ndjson`, lines)), {
      format: 'ndjson',
      key: { table: t, partitionKey: { name: 'pk', type: 'S' } },
    });
    const rejects: number[] = [];
    const r = await importItems(failing, t, records, {
      concurrency: 1,
      onReject: (x) => rejects.push(x.line),
    });
    expect(r.stopped?.code).toBe('engine.start');
    expect(rejects).toEqual([10]);
    expect(r.rejected).toBe(1);
    expect(r.position.rejected).toBe(1);
    expect(r.written).toBe(73);
  });

  it('library: a table without a sort key gets the items in input order (a partition per item)', async () => {
    const t = await newTable('order-pk');
    const keys = Array.from({ length: 120 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    const calls = await callsOf(
      t,
      keys.map((k) => `{"pk":"${k}"}`),
    );
    expect(calls.map((c) => c.length)).toEqual([25, 25, 25, 25, 20]);
    expect(calls.flat()).toEqual(keys.map((k) => `${k}/`));
  });

  it('library: a table with a sort key gets the items of a partition spread over calls, in order within it', async () => {
    const t = await newTable('order-sk', { pk: { name: 'pk', type: 'S' }, sk: { name: 'sk', type: 'N' } });
    // Sorted by partition: 4 partitions of 50 items, one after the other.
    const lines = Array.from({ length: 200 }, (_, i) => `{"pk":"p${Math.floor(i / 50)}","sk":${i % 50}}`);
    const calls = await callsOf(t, lines);
    expect(calls.flat().sort()).toEqual(
      lines
        .map((l) => JSON.parse(l) as { pk: string; sk: number })
        .map((v) => `${v.pk}/${v.sk}`)
        .sort(),
    );
    // Every call holds items of every partition, not a run of one.
    for (const c of calls) expect(new Set(c.map((k) => k.split('/')[0])).size).toBe(4);
    // Within a partition, the input order.
    for (let p = 0; p < 4; p++) {
      const sks = calls
        .flat()
        .filter((k) => k.startsWith(`p${p}/`))
        .map((k) => Number(k.split('/')[1]));
      expect(sks).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
  });
});

/**
 * The test's clients, with each BatchWriteItem call shown to `onCall` as it is sent. No `bulk`
 * client, so a library import sends through `doc`, where the calls can be seen.
 */
function recordingClients(onCall: (command: BatchWriteCommand) => void): Clients {
  return {
    ddb: clients.ddb,
    doc: {
      send: (command: BatchWriteCommand, options?: object) => {
        onCall(command);
        return clients.doc.send(command, options);
      },
    } as unknown as Clients['doc'],
    label: clients.label,
    destroy() {},
  };
}

function scanAll(table: string, on: Clients = clients): Promise<Item[]> {
  return scanFrom(table, on);
}

describe(`imports and exports stopped, resumed elsewhere, or failing before their first write on ${engineName()}`, () => {
  const n = 20_000;
  const lines = () => Array.from({ length: n }, (_, i) => `{"pk":"c${String(i).padStart(5, '0')}","i":${i}}`);

  const readJson = <T>(path: string): T | undefined => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch {
      return undefined;
    }
  };

  it('Ctrl-C mid-import: exit 130, one report with the resume command; elsewhere --resume is refused; here it completes, each item counted once', async () => {
    const t = await newTable('sigint');
    const file = writeLines(`${t}.ndjson`, lines());
    const cpPath = `${file}.ddbctl-import.json`;
    // --rate keeps it running for seconds, so Ctrl-C lands mid-way.
    const running = cli(['import', t, file, '--rate', '4000', '--concurrency', '2']);
    await until('the checkpoint', () => {
      const cp = readJson<{ written: number }>(cpPath);
      return cp && cp.written >= 500 ? cp : undefined;
    });
    ctrlC();
    const r = await running;
    expect(r.code, r.stderr).toBe(130);
    const cp = readJson<{
      written: number;
      line: number;
      target: unknown;
      into: { name: string; key: unknown };
    }>(cpPath);
    expect(cp).toBeDefined();
    expect(cp!.target).toEqual({ kind: 'endpoint', where: endpoint() });
    expect(cp!.into).toMatchObject({ name: t, key: { partitionKey: { name: 'pk', type: 'S' } } });
    const report = r.stderr.split('\n').filter((l) => l.includes('interrupted'));
    expect(report).toHaveLength(1);
    expect(report[0]).toMatch(
      new RegExp(
        `^ddbctl: import ${t} interrupted: [\\d,]+ written \\(writes in flight at the stop may have landed too\\), 0 rejected; the checkpoint ${cpPath} has the [\\d,]+ records before line [\\d,]+; continue with: ddbctl --endpoint-url ${endpoint()} import ${t} ${file} --rate 4000 --concurrency 2 --resume$`,
      ),
    );
    expect(r.stderr).not.toMatch(/Database is closed|\n\s+at /);
    const partial = (await scanAll(t)).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(n);

    // The same checkpoint on another target (the embedded engine in a data dir): refused before it
    // is opened: nothing written, the data dir not made, no target line.
    const elsewhere = mkdtempSync(join(tmpdir(), 'ddbctl-elsewhere-'));
    try {
      const dataDir = join(elsewhere, 'data');
      const other = await cli(['--data-dir', dataDir, 'import', t, file, '--resume']);
      expect(other.code, other.stderr).toBe(2);
      expect(errorLine(other)).toBe(
        `ddbctl: error: --resume: checkpoint ${cpPath} belongs elsewhere: it was made on endpoint ${endpoint()}, and this run's target is the embedded engine (data dir ${dataDir}); run the same command against the original target and table, or drop --resume and delete ${cpPath} to start over`,
      );
      expect(other.stderr).not.toContain('target:');
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(existsSync(cpPath)).toBe(true);

    const resumed = await cli(['import', t, file, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const s = importSummary(resumed.stderr);
    expect(s.written).toBe(n);
    expect(s.before).toBe(cp!.written);
    expect((s.before ?? 0) + (s.now ?? 0)).toBe(n);
    const items = await scanAll(t);
    expect(items).toHaveLength(n);
    expect(new Set(items.map((x) => x.pk)).size).toBe(n);
    expect(existsSync(cpPath)).toBe(false);
  }, 120_000);

  it('Ctrl-C mid-export: exit 130, the checkpoint and the resume command; --resume then writes each item once', async () => {
    const t = await newTable('sigint-export');
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, lines())])).code).toBe(0);
    const out = join(dir, `${t}-out.ndjson`);
    const cpPath = `${out}.ddbctl-export.json`;
    const running = cli(['export', t, out, '--segments', '2', '--page-size', '100']);
    await until('the export checkpoint', () => {
      const cp = readJson<{ items: number }>(cpPath);
      return cp && cp.items > 0 ? cp : undefined;
    });
    ctrlC();
    const r = await running;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(
      new RegExp(
        `ddbctl: export ${t} interrupted: [\\d,]+ items in ${out}, 0 rejected; the checkpoint is ${cpPath}; continue with: ddbctl --endpoint-url ${endpoint()} export ${t} ${out} --segments 2 --page-size 100 --resume\\n`,
      ),
    );
    const cp = readJson<{ items: number; scan: { segments: number } }>(cpPath);
    expect(cp?.scan.segments).toBe(2);
    const resumed = await cli(['export', t, out, '--segments', '2', '--page-size', '100', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(
      new RegExp(
        `export ${t}: 20,000 items \\(${cp!.items.toLocaleString('en-US')} before --resume, [\\d,]+ now\\)`,
      ),
    );
    const keys = parseLines(readFileSync(out, 'utf8')).map((x: { pk: string }) => x.pk);
    expect(keys).toHaveLength(n);
    expect(new Set(keys).size).toBe(n);
  }, 120_000);

  it('Ctrl-C mid-import of a one-line JSON array: the report and the resume count records, not lines', async () => {
    const t = await newTable('sigint-json');
    const file = join(dir, `${t}.json`);
    writeFileSync(file, `[${lines().join(',')}]\n`);
    const cpPath = `${file}.ddbctl-import.json`;
    const running = cli(['import', t, file, '--rate', '4000', '--concurrency', '2']);
    await until('the checkpoint', () => {
      const cp = readJson<{ written: number }>(cpPath);
      return cp && cp.written >= 500 ? cp : undefined;
    });
    ctrlC();
    const r = await running;
    expect(r.code, r.stderr).toBe(130);
    const cp = readJson<{ written: number; rejected: number }>(cpPath)!;
    const done = (cp.written + cp.rejected).toLocaleString('en-US');
    expect(r.stderr).toContain(`the checkpoint ${cpPath} has the first ${done} records; continue with:`);
    expect(r.stderr).not.toMatch(/line \d/);
    const resumed = await cli(['import', t, file, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `resuming at record ${(cp.written + cp.rejected + 1).toLocaleString('en-US')} (${cp.written.toLocaleString('en-US')} items written before)`,
    );
    expect(await scanAll(t)).toHaveLength(n);
  }, 120_000);

  it('--resume of a CSV import with other --types (or none) is refused, naming both; with the same ones it completes with every n a number', async () => {
    const t = await newTable('resume-types');
    const file = join(dir, `${t}.csv`);
    writeFileSync(
      file,
      `pk,n\n${Array.from({ length: n }, (_, i) => `c${String(i).padStart(5, '0')},${i}`).join('\n')}\n`,
    );
    const cpPath = `${file}.ddbctl-import.json`;
    const running = cli(['import', t, file, '--types', 'n:N', '--rate', '4000', '--concurrency', '2']);
    await until('the checkpoint', () => {
      const cp = readJson<{ written: number }>(cpPath);
      return cp && cp.written >= 500 ? cp : undefined;
    });
    ctrlC();
    expect((await running).code).toBe(130);
    const without = await cli(['import', t, file, '--resume']);
    expect(without.code, without.stderr).toBe(2);
    expect(errorLine(without)).toBe(
      `ddbctl: error: --resume: the stopped run (checkpoint ${cpPath}) had --types n:N, and this one has no --types; resume with the same --types n:N, or drop --resume and delete ${cpPath} to start over`,
    );
    const other = await cli(['import', t, file, '--resume', '--types', 'n:JSON']);
    expect(other.code, other.stderr).toBe(2);
    expect(errorLine(other)).toContain('had --types n:N, and this one has --types n:JSON;');
    const same = await cli(['import', t, file, '--resume', '--types', 'n:n']);
    expect(same.code, same.stderr).toBe(0);
    const items = await scanAll(t);
    expect(items).toHaveLength(n);
    expect(items.filter((x) => typeof x.n === 'string')).toEqual([]);
  }, 120_000);

  it("--resume of an export with other --filter or --project is refused (--columns, CSV's, on ndjson before that); a file cut shorter than the checkpoint is refused, one with junk appended is cut back", async () => {
    const t = await newTable('resume-shape');
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, lines())])).code).toBe(0);
    const out = join(dir, `${t}-out.ndjson`);
    const cpPath = `${out}.ddbctl-export.json`;
    const running = cli(['export', t, out, '--segments', '3', '--page-size', '20']);
    await until('the export checkpoint', () => {
      const cp = readJson<{ items: number; outputBytes: number }>(cpPath);
      return cp && cp.items > 100 ? cp : undefined;
    });
    ctrlC();
    expect((await running).code).toBe(130);
    const cp = readJson<{ items: number; outputBytes: number; options: Record<string, string> }>(cpPath)!;
    expect(cp.options).toMatchObject({ '--format': 'ndjson', '--project': '', '--filter': '' });
    const project = await cli([
      'export',
      t,
      out,
      '--segments',
      '3',
      '--page-size',
      '20',
      '--resume',
      '--project',
      'pk',
    ]);
    expect(project.code, project.stderr).toBe(2);
    expect(errorLine(project)).toBe(
      `ddbctl: error: --resume: the stopped run (checkpoint ${cpPath}) had no --project, and this one has --project pk; resume with no --project, or drop --resume and delete ${cpPath} to start over`,
    );
    const filter = await cli(['export', t, out, '--resume', '--filter', 'i > :v', '--values', '{":v":5}']);
    expect(filter.code).toBe(2);
    expect(errorLine(filter)).toContain("had no --filter, and this one has --filter 'i > :v';");
    const columns = await cli(['export', t, out, '--resume', '--columns', 'pk']);
    expect(columns.code).toBe(2);
    // --columns is CSV's: on this ndjson export it is refused before the checkpoint is read.
    expect(errorLine(columns)).toContain('--columns is for CSV output, and this export writes ndjson');
    const format = await cli(['export', t, out, '--resume', '--format', 'json']);
    expect(format.code).toBe(2);
    expect(errorLine(format)).toContain('had --format ndjson, and this one has --format json;');
    // Cut shorter than the checkpoint: items it counts are gone; refused, the file left as it is.
    const full = readFileSync(out);
    writeFileSync(out, full.subarray(0, 1000));
    const cut = await cli(['export', t, out, '--resume']);
    expect(cut.code, cut.stderr).toBe(2);
    expect(errorLine(cut)).toBe(
      `ddbctl: error: cannot resume: ${out} holds 1,000 bytes, fewer than the ${cp.outputBytes.toLocaleString('en-US')} of the ${cp.items.toLocaleString('en-US')} items the checkpoint counts (it was cut or rewritten after the export stopped); delete ${cpPath} and export again`,
    );
    expect(statSync(out).size).toBe(1000);
    // Junk after the checkpoint's bytes is cut back, and the resumed file holds every item once.
    writeFileSync(out, Buffer.concat([full.subarray(0, cp.outputBytes), Buffer.from('{"junk":')]));
    const resumed = await cli(['export', t, out, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const keys = parseLines(readFileSync(out, 'utf8')).map((x: { pk: string }) => x.pk);
    expect(keys).toHaveLength(n);
    expect(new Set(keys).size).toBe(n);
  }, 120_000);

  it('--resume into a table re-created with another key schema is refused, naming both keys', async () => {
    const t = await newTable('recreated');
    const file = writeLines(`${t}.ndjson`, ['{"pk":"a","id":"a"}', '{"pk":"b","id":"b"}']);
    const cpPath = `${file}.ddbctl-import.json`;
    writeCheckpoint(cpPath, {
      kind: 'import',
      table: t,
      ...(await checkpointOf(t)),
      input: { path: resolve(file), size: statSync(file).size },
      format: 'ndjson',
      offset: 20,
      line: 2,
      rejectsBytes: 0,
      written: 1,
      rejected: 0,
      updated: new Date().toISOString(),
    });
    await deleteTable(clients, t);
    await waitForTable(clients, t, { for: 'deleted', minDelay: 0.1, maxDelay: 0.5 });
    await createTable(clients, {
      tableName: t,
      partitionKey: { name: 'id', type: 'S' },
      throughput: 'on-demand',
    });
    await waitForTable(clients, t, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
    const r = await cli(['import', t, file, '--resume']);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toContain(
      `belongs elsewhere: table ${t} has the key id:S now, and had pk:S then; run the same command against the original target and table, or drop --resume and delete ${cpPath} to start over`,
    );
    expect(await scanAll(t)).toEqual([]);
  });

  it('an import that fails before its first write leaves no checkpoint, suggests no --resume, and the fixed command runs', async () => {
    const t = await newTable('early');
    const csv = join(dir, `${t}.csv`);
    writeFileSync(csv, 'pk,age\na,1\nb,2\n');
    const cpPath = `${csv}.ddbctl-import.json`;
    const typo = await cli(['import', t, csv, '--types', 'agee:N']);
    expect(typo.code).toBe(2);
    expect(errorLine(typo)).toBe(
      "ddbctl: error: Column types name 'agee', which the CSV header does not have; its columns are pk, age",
    );
    expect(typo.stderr).not.toContain('--resume');
    expect(existsSync(cpPath)).toBe(false);
    expect(existsSync(`${csv}.ddbctl-import.rejects.ndjson`)).toBe(false);
    const fixed = await cli(['import', t, csv, '--types', 'age:N']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await scanAll(t)).toHaveLength(2);

    const dup = join(dir, `${t}-dup.csv`);
    writeFileSync(dup, 'pk,pk\na,1\n');
    const twice = await cli(['import', t, dup]);
    expect(twice.code).toBe(2);
    expect(errorLine(twice)).toBe(
      "ddbctl: error: CSV header (line 1): column 'pk' appears twice; give each column a unique name",
    );
    expect(existsSync(`${dup}.ddbctl-import.json`)).toBe(false);

    // A header without the key's column: said at the header, not as every row's reject.
    const nokey = join(dir, `${t}-nokey.csv`);
    writeFileSync(nokey, 'name,age\nbob,3\nann,4\n');
    const keyless = await cli(['import', t, nokey, '--types', 'age:N']);
    expect(keyless.code).toBe(2);
    expect(errorLine(keyless)).toBe(
      `ddbctl: error: CSV header (line 1) has no column 'pk', which every row needs: table ${t} has key pk (S); its columns are name, age; name the key's column so in the first row`,
    );
    expect(existsSync(`${nokey}.ddbctl-import.json`)).toBe(false);
    expect(existsSync(`${nokey}.ddbctl-import.rejects.ndjson`)).toBe(false);
    expect(await scanAll(t)).toHaveLength(2);

    const folder = mkdtempSync(join(dir, 'a-folder-'));
    const isDir = await cli(['import', t, folder]);
    expect(isDir.code).toBe(2);
    expect(errorLine(isDir)).toBe(
      `ddbctl: error: ${folder} is a directory; give the path of a file to import (or - for stdin)`,
    );
    expect(existsSync(`${folder}.ddbctl-import.json`)).toBe(false);
  });

  it('--segments beyond the items (2,000 on a one-item table): export, scan, count and truncate run them a few at a time', async () => {
    const t = await newTable('segments');
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, ['{"pk":"only"}'])])).code).toBe(0);
    const out = join(dir, `${t}.ndjson`);
    const exported = await cli(['export', t, out, '--segments', '2000']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(parseLines(readFileSync(out, 'utf8'))).toEqual([{ pk: 'only' }]);
    const scanned = await cli(['scan', t, '--segments', '2000', '-o', 'ndjson']);
    expect(scanned.code, scanned.stderr).toBe(0);
    expect(parseLines(scanned.stdout)).toEqual([{ pk: 'only' }]);
    const counted = await cli(['scan', t, '--segments', '2000', '--count', '-o', 'json']);
    expect(counted.code, counted.stderr).toBe(0);
    expect(counted.stdout).toMatch(/"count":\s*1\b/);
    const truncated = await cli(['truncate', t, '--yes', '--segments', '2000']);
    expect(truncated.code, truncated.stderr).toBe(0);
    expect(await scanAll(t)).toEqual([]);
  }, 120_000);

  it('a write error of the output is said as such (not as a Scan failure), exit 1, with what was written and how to go on', async () => {
    const t = await newTable('enospc');
    expect((await cli(['import', t, writeLines(`${t}.ndjson`, lines().slice(0, 300))])).code).toBe(0);
    // The library: the writer's own error comes out as it is, after the pages written before it.
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    let written = 0;
    let pages = 0;
    const failed = await exportItems(
      clients,
      t,
      async () => {
        if (written++ === 1) throw full;
      },
      { segments: 1, pageSize: 100 },
      () => pages++,
    ).catch((e: unknown) => e);
    expect(failed).toBe(full);
    expect(pages).toBe(1);
    if (process.platform !== 'linux') return; // /dev/full: Linux's device that fails every write with ENOSPC
    const cp = join(dir, `${t}-full.json`);
    const r = await cli(['export', t, '/dev/full', '--checkpoint', cp]);
    expect(r.code, r.stderr).toBe(1);
    expect(errorLine(r)).toBe(
      `ddbctl: error: cannot write /dev/full: no space left on device; export ${t} stopped: 0 items in /dev/full; no page was written, so there is nothing to resume: run the same command again`,
    );
    // An output that was there before the run is never removed for being empty (a device least of all).
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('library: the export position stays within the segments in flight, whatever their number', async () => {
    const t = await newTable('segments-lib');
    expect((await cli(['import', t, writeLines(`${t}-lib.ndjson`, ['{"pk":"a"}', '{"pk":"b"}'])])).code).toBe(
      0,
    );
    let most = 0;
    let pages = 0;
    const n = await exportItems(
      clients,
      t,
      async () => {},
      { segments: 3000 },
      (p) => {
        pages++;
        most = Math.max(most, p.position.open.length);
        expect(p.position.next).toBeLessThanOrEqual(3000);
      },
    );
    expect(n).toBe(2);
    expect(pages).toBe(3000);
    // An engine in this process keeps 4 in flight; over HTTP they adapt up to the export's bound.
    expect(most).toBeLessThanOrEqual(EXPORT_MAX_IN_FLIGHT);
  }, 120_000);
});
