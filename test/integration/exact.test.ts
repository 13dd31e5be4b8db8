// Issue 20 (part A) on every engine: no input path changes a type. Random items of every type go in
// through each input path (put, put -, put --ddb-json, batch-write, import in each JSON format,
// transact) and come back through each output path (get -o json / -o raw, scan, export in each
// JSON format), equal; DynamoDB JSON that DynamoDB would refuse is refused, never coerced; a map
// shaped like a tag survives every round trip; binary keys given as attr=value take strict base64;
// query reads --sk quoted as expressions write it and its partition key as JSON.
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import {
  fromDdbJson,
  type Item,
  parseItem,
  parseLosslessJson,
  stringifyDdbJson,
  stringifyItem,
  typeOf,
} from '../../src/core/data/codec.js';
import { createTable, type KeyDef } from '../../src/core/spec/createTable.js';
import { type Format, readItems } from '../../src/core/transfer/formats/index.js';
import { cli, engineName, errorLines, testClients, uniqueName } from '../helpers.js';
import { canonical, keyedItem } from '../support/arbitraries.js';

const clients = testClients();
const tables: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-exact-'));

afterAll(async () => {
  await Promise.all(tables.map((t) => deleteTable(clients, t).catch(() => {})));
  clients.destroy();
  rmSync(dir, { recursive: true, force: true });
});

async function newTable(prefix: string, pk: KeyDef, sk?: KeyDef): Promise<string> {
  const name = uniqueName(prefix);
  tables.push(name);
  await createTable(clients, {
    tableName: name,
    partitionKey: pk,
    ...(sk ? { sortKey: sk } : {}),
    throughput: 'on-demand',
  });
  await waitForTable(clients, name, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
  return name;
}

const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

async function readFileItems(path: string, format: Format): Promise<Item[]> {
  const items: Item[] = [];
  for await (const r of readItems(createReadStream(path), { format })) {
    if (!r.item) throw new Error(`${path}: line ${r.line}: ${r.error}`);
    items.push(r.item);
  }
  return items;
}

const sortedCanonical = (items: Item[]) => items.map(canonical).sort();

describe(`random items through every input and output path on ${engineName()}`, () => {
  let T: string;
  // NOTE: a fixed seed, so a failure reproduces; the unit round trips run many more.
  const sample = (prefix: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        fc.sample(keyedItem(`${prefix}-${i}`), { numRuns: 1, seed: 2000 + i * 7 + prefix.length })[0]!,
    );
  const paths = ['put', 'stdin', 'ddb', 'bw', 'bwddb', 'ndjson', 'json', 'ddbjson', 'transact'] as const;
  const items = Object.fromEntries(paths.map((p) => [p, sample(p, 6)])) as Record<
    (typeof paths)[number],
    Item[]
  >;
  const all = () => Object.values(items).flat();

  beforeAll(async () => {
    T = await newTable('exact', { name: 'pk', type: 'S' });
    for (const i of items.put) ok(await cli(['put', T, stringifyItem(i)]));
    for (const i of items.stdin) ok(await cli(['put', T, '-'], { stdin: stringifyItem(i, 2) }));
    for (const i of items.ddb) ok(await cli(['put', T, stringifyDdbJson(i), '--ddb-json']));
    ok(await cli(['batch-write', T, '-'], { stdin: items.bw.map((i) => stringifyItem(i)).join('\n') }));
    ok(
      await cli(['batch-write', T, '-', '--ddb-json'], {
        stdin: items.bwddb.map((i) => `{"put":${stringifyDdbJson(i)}}`).join('\n'),
      }),
    );
    ok(
      await cli(['import', T, file('in.ndjson', items.ndjson.map((i) => `${stringifyItem(i)}\n`).join(''))]),
    );
    ok(
      await cli(['import', T, file('in.json', `[${items.json.map((i) => stringifyItem(i, 2)).join(',')}]`)]),
    );
    ok(
      await cli([
        'import',
        T,
        file('in.ddb.json', items.ddbjson.map((i) => `{"Item":${stringifyDdbJson(i)}}\n`).join('')),
        '--format',
        'ddb-json',
      ]),
    );
    const actions = items.transact
      .map((i) => `{"put":{"table":"${T}","item":${stringifyItem(i)}}}`)
      .join('\n');
    ok(await cli(['transact', '-'], { stdin: actions }));
  });

  it('get -o json and get -o raw give each item exactly', async () => {
    for (const i of all()) {
      const json = await cli(['get', T, `pk=${i.pk as string}`, '-o', 'json']);
      ok(json);
      expect(canonical(parseItem(json.stdout)), json.stdout).toBe(canonical(i));
      const raw = await cli(['get', T, JSON.stringify({ pk: i.pk }), '-o', 'raw']);
      ok(raw);
      expect(canonical(fromDdbJson(parseLosslessJson(raw.stdout))), raw.stdout).toBe(canonical(i));
    }
  });

  it('scan -o ndjson and export in every JSON format give every item exactly', async () => {
    const want = sortedCanonical(all());
    const scan = await cli(['scan', T, '-o', 'ndjson']);
    ok(scan);
    expect(
      sortedCanonical(
        scan.stdout
          .trim()
          .split('\n')
          .map((l) => parseItem(l)),
      ),
    ).toEqual(want);
    for (const [format, ext] of [
      ['ndjson', 'ndjson'],
      ['json', 'json'],
      ['ddb-json', 'ddb.json'],
    ] as const) {
      const out = join(dir, `out.${ext}`);
      ok(await cli(['export', T, out, '--format', format]));
      expect(sortedCanonical(await readFileItems(out, format)), format).toEqual(want);
      // And an export imports back as the same items.
      const copy = await newTable(`exact-${format}`, { name: 'pk', type: 'S' });
      ok(await cli(['import', copy, out, '--format', format]));
      const again = await cli(['scan', copy, '-o', 'ndjson']);
      expect(
        sortedCanonical(
          again.stdout
            .trim()
            .split('\n')
            .map((l) => parseItem(l)),
        ),
        format,
      ).toEqual(want);
    }
  });
});

describe(`DynamoDB JSON is checked, never coerced, on ${engineName()} (issue 20, case 1)`, () => {
  let T: string;
  beforeAll(async () => {
    T = await newTable('ddbjson', { name: 'id', type: 'S' });
  });
  const bad = '{"id":{"S":"x"},"a":{"BOOL":"false"},"b":{"BOOL":0},"n":{"NULL":false},"m":{"S":"x","N":"1"}}';

  it('put and transact refuse the item in one line, exit 2; batch-write lists it as failed; nothing is stored', async () => {
    const bw = await cli(['batch-write', T, '-', '--ddb-json'], { stdin: bad });
    expect(bw.code, bw.stderr).toBe(1);
    expect(bw.stdout).toMatch(/a: BOOL needs true or false/);
    for (const [args, stdin] of [
      [['put', T, bad, '--ddb-json'], undefined],
      [['transact', '-', '--ddb-json'], `{"put":{"table":"${T}","item":${bad}}}`],
    ] as [string[], string | undefined][]) {
      const r = await cli(args, stdin === undefined ? {} : { stdin });
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      const lines = errorLines(r);
      expect(lines, args[0]).toHaveLength(1);
      expect(lines[0], args[0]).toMatch(
        /a: BOOL needs true or false \(a JSON boolean\), such as \{"BOOL":false\}; found "false"/,
      );
    }
    const get = await cli(['get', T, 'id=x']);
    expect(get.code).toBe(1);
  });

  it('update --values, scan --values and query --values refuse a bad value (exit 2)', async () => {
    ok(await cli(['put', T, '{"id":{"S":"y"},"a":{"N":"1"}}', '--ddb-json']));
    const runs = [
      ['update', T, 'id=y', '--expression', 'SET a = :v', '--values', '{":v":{"NULL":false}}', '--ddb-json'],
      ['scan', T, '--filter', 'a = :v', '--values', '{":v":{"BOOL":"true"}}', '--ddb-json'],
      ['query', T, 'y', '--filter', 'a = :v', '--values', '{":v":{"SS":["a","a"]}}', '--ddb-json'],
    ];
    for (const args of runs) {
      const r = await cli(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(errorLines(r)[0], args[0]).toMatch(
        /--values: :v: (NULL needs the value true|BOOL needs true or false|SS holds "a" twice)/,
      );
    }
    const get = await cli(['get', T, 'id=y', '-o', 'json']);
    expect(JSON.parse(get.stdout)).toEqual({ id: 'y', a: 1 });
  });
});

describe(`a map shaped like a tag round-trips on ${engineName()} (issue 20, case 2)`, () => {
  it('get -o json → put -, and export → import, keep {"$set": ...} and {"$binary": ...} maps as maps', async () => {
    const T = await newTable('tagmap', { name: 'id', type: 'S' });
    ok(
      await cli([
        'put',
        T,
        '{"id":{"S":"x"},"s":{"M":{"$set":{"L":[{"S":"on"}]}}},"b":{"M":{"$binary":{"S":"AAE="}}},"m":{"M":{"$map":{"M":{}}}}}',
        '--ddb-json',
      ]),
    );
    const types = async (table: string) => {
      const raw = await cli(['get', table, 'id=x', '-o', 'raw']);
      ok(raw);
      const item = fromDdbJson(JSON.parse(raw.stdout));
      return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeOf(v)]));
    };
    const want = { id: 'S', s: 'M', b: 'M', m: 'M' };
    const json = await cli(['get', T, 'id=x', '-o', 'json']);
    ok(json);
    expect(JSON.parse(json.stdout)).toEqual({
      id: 'x',
      s: { $map: { $set: ['on'] } },
      b: { $map: { $binary: 'AAE=' } },
      m: { $map: { $map: {} } },
    });
    const other = await newTable('tagmap2', { name: 'id', type: 'S' });
    ok(await cli(['put', other, '-'], { stdin: json.stdout }));
    expect(await types(other)).toEqual(want);
    const out = join(dir, 'tagmap.ndjson');
    ok(await cli(['export', T, out]));
    const third = await newTable('tagmap3', { name: 'id', type: 'S' });
    ok(await cli(['import', third, out]));
    expect(await types(third)).toEqual(want);
  });
});

describe(`binary keys given as attr=value on ${engineName()} (issue 20, case 4)`, () => {
  let T: string;
  beforeAll(async () => {
    T = await newTable('binkey', { name: 'b', type: 'B' });
    ok(await cli(['put', T, '{"b":{"$binary":"AAE="},"v":"the AAE= item"}']));
  });

  it('reads b=AAE= and refuses bad base64 and JSON instead of reading or creating another key', async () => {
    const good = await cli(['get', T, 'b=AAE=', '-o', 'json']);
    ok(good);
    expect(JSON.parse(good.stdout).v).toBe('the AAE= item');
    for (const text of ['AA!E=', '%%%', '{"$binary":"AAE="}', 'AAE']) {
      for (const args of [
        ['get', T, `b=${text}`],
        ['put', T, `{"b":{"$binary":${JSON.stringify(text)}}}`],
        ['delete', T, `b=${text}`],
        ['update', T, `b=${text}`, '--set', 'v = 1'],
        ['query', T, text],
      ]) {
        const r = await cli(args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
        expect(errorLines(r), args.join(' ')).toEqual([
          expect.stringMatching(/is not base64|as JSON it names its attribute/),
        ]);
      }
    }
    const scan = await cli(['scan', T, '-o', 'ndjson']);
    expect(scan.stdout.trim().split('\n')).toEqual(['{"b":{"$binary":"AAE="},"v":"the AAE= item"}']);
  });
});

describe(`query --sk quoted as expressions write it, and a JSON partition key, on ${engineName()} (issue 20, case 12)`, () => {
  let T: string;
  beforeAll(async () => {
    T = await newTable('sk', { name: 'pk', type: 'S' }, { name: 'sk', type: 'S' });
    ok(
      await cli(['batch-write', T, '-'], {
        stdin: ['a', 'a and b', 'b', "it's", 'c'].map((sk) => JSON.stringify({ pk: 'p', sk })).join('\n'),
      }),
    );
  });
  const sks = async (...args: string[]) => {
    const r = await cli(['query', T, ...args, '-o', 'ndjson']);
    ok(r);
    return r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).sk);
  };

  it('compares the quoted text, not the quotes', async () => {
    expect(await sks('p', '--sk', "= 'a'")).toEqual(['a']);
    expect(await sks('p', '--sk', '= "a and b"')).toEqual(['a and b']);
    expect(await sks('p', '--sk', "= 'it\\'s'")).toEqual(["it's"]);
    expect(await sks('p', '--sk', "between 'a and b' and 'b'")).toEqual(['a and b', 'b']);
    expect(await sks('p', '--sk', 'between a and b')).toEqual(['a', 'a and b', 'b']);
    expect(await sks('p', '--sk', '>= c')).toEqual(['c', "it's"]);
  });

  it('takes the partition key as JSON like get (plain, or DynamoDB JSON), and refuses extra attributes', async () => {
    expect(await sks('{"pk":"p"}', '--sk', "= 'b'")).toEqual(['b']);
    expect(await sks('{"pk":{"S":"p"}}', '--ddb-json', '--sk', "= 'b'")).toEqual(['b']);
    const extra = await cli(['query', T, '{"pk":"p","sk":"b"}']);
    expect(extra.code).toBe(2);
    expect(errorLines(extra)).toEqual([expect.stringMatching(/query takes the partition key alone.*--sk/)]);
  });
});
