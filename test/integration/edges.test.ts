// After issue 20: the edges an acceptance run found, on every engine. A delete line of batch-write
// carrying more than its key is refused as `delete` refuses it; a key attribute given twice as
// attr=value is refused; query checks empty key values locally; invalid UTF-8 in an item's text is
// refused wherever items are read; messages name what is wrong.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { cli, engineName, errorLines, testClients, uniqueName } from '../helpers.js';

const clients = testClients();
const tables: string[] = [];

afterAll(async () => {
  await Promise.all(tables.map((t) => deleteTable(clients, t).catch(() => {})));
  clients.destroy();
});

/** A table made as a user makes it: `create-table NAME --pk id:S [--sk s:S]`. */
async function newTable(prefix: string, ...keyFlags: string[]): Promise<string> {
  const name = uniqueName(prefix);
  tables.push(name);
  expect((await cli(['create-table', name, ...keyFlags])).code).toBe(0);
  await waitForTable(clients, name, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
  return name;
}

const ok = (r: { code: number; stderr: string }) => expect(r.code, r.stderr).toBe(0);
/** The table's items as plain JSON, in key order (engines differ in attribute and item order). */
const items = async (table: string): Promise<unknown[]> => {
  const r = await cli(['scan', table, '-o', 'ndjson']);
  ok(r);
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  return lines
    .map((l) => JSON.parse(l) as { id: string; s?: string })
    .sort((a, b) => {
      const [x, y] = [`${a.id}\0${a.s ?? ''}`, `${b.id}\0${b.s ?? ''}`];
      return x < y ? -1 : x > y ? 1 : 0;
    });
};

describe(`keys are exactly keys on ${engineName()}`, () => {
  let T: string;
  let Modes: string;
  beforeAll(async () => {
    T = await newTable('dk', '--pk', 'id:S');
    Modes = await newTable('modes', '--pk', 'id:S', '--sk', 's:S');
  });

  it('batch-write refuses a delete line holding a non-key attribute (as delete does), deletes nothing, exit 1', async () => {
    ok(await cli(['put', T, '{"id":"dk","v":1}']));
    const del = await cli(['delete', T, '{"id":"dk","v":2}']);
    expect(del.code).toBe(2);
    const bw = await cli(['batch-write', T, '-', '-o', 'ndjson'], {
      stdin: '{"delete":{"id":"dk","v":2}}\n{"id":"other"}\n',
    });
    expect(bw.code, bw.stderr).toBe(1);
    expect(bw.stderr).toMatch(/written 1, retried 0, failed 1/);
    // -o ndjson: the summary document on one line, the refused line among its failures.
    expect(JSON.parse(bw.stdout.trim()).failures).toEqual([
      {
        line: 1,
        reason: `line 1: delete: "v" is not part of the key; table ${T} has key id (S)`,
        text: '{"delete":{"id":"dk","v":2}}',
      },
    ]);
    expect(await items(T)).toEqual([{ id: 'dk', v: 1 }, { id: 'other' }]);
    // The key alone still deletes.
    ok(await cli(['batch-write', T, '-'], { stdin: '{"delete":{"id":"dk"}}' }));
    expect(await items(T)).toEqual([{ id: 'other' }]);
  });

  it('an attr=value key naming an attribute twice is refused (exit 2), not read as the last one', async () => {
    ok(await cli(['put', Modes, '{"id":"a","s":"2","v":0}']));
    for (const args of [
      ['delete', Modes, 'id=a', 's=1', 's=2'],
      ['get', Modes, 'id=a', 's=2', 's=2'],
      ['update', Modes, 'id=a', 'id=b', 's=1', '--set', 'v = 1'],
    ]) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(errorLines(r), args.join(' ')).toEqual([
        expect.stringMatching(/^ddbctl: error: key: "(s|id)" given twice/),
      ]);
    }
    expect(await items(Modes)).toEqual([{ id: 'a', s: '2', v: 0 }]);
  });

  it('query refuses an empty partition or sort key value locally, exit 2, like get', async () => {
    for (const args of [
      ['query', Modes, 'a', '--sk', "= ''"],
      ['query', Modes, ''],
      ['query', Modes, 'id='],
      ['query', Modes, 'a', '--sk', "begins_with ''"],
      ['get', Modes, 'id=', 's=1'],
    ]) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(errorLines(r), args.join(' ')).toEqual([
        expect.stringMatching(/key "(id|s)" is 0 bytes; DynamoDB allows 1–(2048|1024)$/),
      ]);
    }
  });

  it('query names the partition key attribute when JSON names another', async () => {
    const r = await cli(['query', Modes, '{"idx":"a"}']);
    expect(r.code).toBe(2);
    expect(errorLines(r)).toEqual([
      `ddbctl: error: partition key {"idx":"a"}: the partition key attribute of ${Modes} is "id" (S), not "idx"; write it such as '{"id": ...}'`,
    ]);
  });
});

describe(`messages name what is wrong on ${engineName()}`, () => {
  it('scan --values says "--values:" in plain JSON as with --ddb-json', async () => {
    const T = await newTable('values', '--pk', 'id:S');
    const runs: [string[], RegExp][] = [
      [
        ['--values', '{":v":{"$set":[1,"a"]}}'],
        /^ddbctl: error: --values: :v\[1\]: a set holds one type .*; this one mixes numbers and strings$/,
      ],
      [
        ['--values', '{":v":{"$binary":"AAF="}}'],
        /^ddbctl: error: --values: :v: "\$binary": "AAF=" is not base64: the unused bits/,
      ],
      [
        ['--values', '{":v":{"SS":["a","a"]}}', '--ddb-json'],
        /^ddbctl: error: --values: :v: SS holds "a" twice/,
      ],
      [['--values', '[1]'], /^ddbctl: error: --values: expected a JSON object/],
      [['--values', '{":v":1e400}'], /^ddbctl: error: --values: :v: 1e400 is larger than DynamoDB's maximum/],
      [
        ['--values', '{":v":{"N":1e400}}', '--ddb-json'],
        /^ddbctl: error: --values: :v: N needs a number in a string, such as \{"N":"1.5"\}: 1e400 is larger/,
      ],
    ];
    for (const [args, message] of runs) {
      const r = await cli(['scan', T, '--filter', 'v = :v', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(errorLines(r), args.join(' ')).toEqual([expect.stringMatching(message)]);
    }
  });
});

describe(`invalid UTF-8 is refused, never stored as U+FFFD, on ${engineName()}`, () => {
  it('put of a file and batch-write refuse the line as import does; nothing is stored', async () => {
    const T = await newTable('utf8', '--pk', 'id:S');
    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-edges-'));
    try {
      const file = join(dir, 'inv.ndjson');
      writeFileSync(
        file,
        Buffer.concat([Buffer.from('{"id":"bad'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]),
      );
      const put = await cli(['put', T, file]);
      expect(put.code).toBe(2);
      expect(errorLines(put)).toEqual([
        `ddbctl: error: item in ${file} is not valid UTF-8 text; save it as UTF-8`,
      ]);
      const lines = Buffer.concat([
        Buffer.from('{"id":"ok"}\r\n'),
        Buffer.from('{"id":"bad'),
        Buffer.from([0xc3]),
        Buffer.from('"}\n'),
        Buffer.from('{"id":"é"}'),
      ]);
      writeFileSync(file, lines);
      const bw = await cli(['batch-write', T, file, '-o', 'ndjson']);
      expect(bw.code, bw.stderr).toBe(1);
      expect(bw.stderr).toMatch(/written 2, retried 0, failed 1/);
      expect(JSON.parse(bw.stdout).failures).toEqual([
        {
          line: 2,
          reason: 'line 2: not valid UTF-8 text; save the file as UTF-8',
          text: '{"id":"bad\uFFFD"}',
          // The line's exact bytes, as import's reject file keeps them.
          textBase64: Buffer.concat([
            Buffer.from('{"id":"bad'),
            Buffer.from([0xc3]),
            Buffer.from('"}'),
          ]).toString('base64'),
        },
      ]);
      const imp = await cli(['import', T, file]);
      expect(imp.code).toBe(1);
      expect(await items(T)).toEqual([{ id: 'ok' }, { id: 'é' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`attributes named as Object.prototype's members on ${engineName()}`, () => {
  // util-dynamodb's marshall tells a map by `value.constructor.name`: an attribute named
  // "constructor" made it refuse the item as a class instance (or read a map as a set).
  const item = {
    id: 'a',
    constructor: 'c',
    prototype: 'p',
    __defineGetter__: 'g',
    hasOwnProperty: 'h',
    toString: 't',
    m: { constructor: { name: 'Set' }, l: [{ constructor: { name: 'String' } }] },
  };
  const ddbJson = {
    id: { S: 'a' },
    constructor: { S: 'c' },
    prototype: { S: 'p' },
    __defineGetter__: { S: 'g' },
    hasOwnProperty: { S: 'h' },
    toString: { S: 't' },
    m: {
      M: {
        constructor: { M: { name: { S: 'Set' } } },
        l: { L: [{ M: { constructor: { M: { name: { S: 'String' } } } } }] },
      },
    },
  };

  it('put, get, scan, query, update, export and import keep them in every output mode', async () => {
    const T = await newTable('ctor', '--pk', 'id:S');
    ok(await cli(['put', T, JSON.stringify(item)]));
    const get = await cli(['get', T, 'id=a', '-o', 'json']);
    ok(get);
    expect(JSON.parse(get.stdout)).toEqual(item);
    for (const [cmd, mode] of [
      ['get', 'raw'],
      ['scan', 'raw'],
      ['query', 'raw'],
    ] as const) {
      const r = await cli([cmd, T, ...(cmd === 'scan' ? [] : ['id=a']), '-o', mode]);
      ok(r);
      expect(JSON.parse(r.stdout.trim()), `${cmd} -o ${mode}`).toEqual(ddbJson);
    }
    for (const mode of ['table', 'ndjson']) ok(await cli(['get', T, 'id=a', '-o', mode]));
    ok(await cli(['query', T, 'id=a', '-o', 'table']));

    // A value with such a map, through an update's placeholder.
    ok(await cli(['update', T, 'id=a', '--set', 'v = :v', '--values', '{":v":{"constructor":"x"}}']));
    ok(await cli(['update', T, 'id=a', '--remove', 'v']));
    expect(await items(T)).toEqual([item]);

    const dir = mkdtempSync(join(tmpdir(), 'ddbctl-edges-'));
    try {
      for (const format of ['ndjson', 'ddb-json', 'json']) {
        const file = join(dir, `e.${format}`);
        ok(await cli(['export', T, file, '--format', format]));
        const R = await newTable(`ctor-${format}`, '--pk', 'id:S');
        ok(await cli(['import', R, file, '--format', format]));
        expect(await items(R), format).toEqual([item]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`an update writing "__proto__" on ${engineName()}`, () => {
  it('is refused before sending, as put refuses the name (exit 2); nothing is written', async () => {
    const T = await newTable('protoup', '--pk', 'id:S');
    for (const args of [
      ['--set', '`__proto__` = 5'],
      ['--add', '#p 1', '--names', '{"#p":"__proto__"}'],
      ['--expression', 'SET #p = :v', '--names', '{"#p":"__proto__"}', '--values', '{":v":1}'],
    ]) {
      const r = await cli(['update', T, 'id=pp', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(errorLines(r), args.join(' ')).toEqual([
        expect.stringMatching(
          /^ddbctl: error: update (set|add|expression) ".*" at column \d+: an attribute named "__proto__" cannot be written through the AWS SDK for JavaScript \(it could not be read back\); rename it, or only REMOVE it$/,
        ),
      ]);
    }
    expect(await items(T)).toEqual([]);
  });
});
