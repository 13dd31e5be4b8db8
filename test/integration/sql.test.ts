// PartiQL (ExecuteStatement) through the CLI and the library, on every engine.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import { waitForTable } from '../../src/core/control/waitForTable.js';
import { type Item, stringifyItem } from '../../src/core/data/codec.js';
import { executeStatementPages } from '../../src/core/data/partiql.js';
import { NESTED_TOO_DEEP } from '../../src/core/data/validate.js';
import { createTable } from '../../src/core/spec/createTable.js';
import { cli, engineName, errorLines, testClients, uniqueName } from '../helpers.js';

const clients = testClients();

/** An item as plain JSON with its top-level attributes sorted (engines return them in any order). */
function sorted(item: Item): string {
  return stringifyItem(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))));
}
const table = uniqueName('sql');

beforeAll(async () => {
  await createTable(clients, {
    tableName: table,
    partitionKey: { name: 'id', type: 'S' },
    throughput: 'on-demand',
  });
  await waitForTable(clients, table, { for: 'active', minDelay: 0.1, maxDelay: 0.5 });
});
afterAll(async () => {
  await deleteTable(clients, table);
  clients.destroy();
});

async function read(id: string): Promise<string | undefined> {
  const out = await clients.doc.send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }));
  return out.Item ? sorted(out.Item as Item) : undefined;
}

describe(`sql on ${engineName()}`, () => {
  it('INSERT with parameters, then SELECT one item by a parameter', async () => {
    const ins = await cli([
      'sql',
      `INSERT INTO "${table}" VALUE {'id': ?, 'total': ?, 'tags': ?}`,
      '--param',
      '"a1"',
      '--param',
      '12345678901234567890.25',
      '--param',
      '{"$set": ["x", "y"]}',
    ]);
    expect(ins.code, ins.stderr).toBe(0);
    expect(ins.stdout).toBe('executed INSERT\n');
    expect(await read('a1')).toBe('{"id":"a1","tags":{"$set":["x","y"]},"total":12345678901234567890.25}');

    const sel = await cli(['-o', 'json', 'sql', `SELECT * FROM "${table}" WHERE id = ?`, '--param', '"a1"']);
    expect(sel.code, sel.stderr).toBe(0);
    expect(sel.stdout).toContain('"total":12345678901234567890.25');
    const rows = JSON.parse(sel.stdout) as { id: string; tags: unknown }[];
    expect(rows.map((x) => [x.id, x.tags])).toEqual([['a1', { $set: ['x', 'y'] }]]);

    const people = await cli(['sql', `SELECT id, total FROM "${table}" WHERE id = ?`, '--param', '"a1"']);
    expect(people.code, people.stderr).toBe(0);
    // NOTE: columns come in the order the engine returns the attributes.
    expect(people.stdout).toMatch(/│ id\s+│/);
    expect(people.stdout).toMatch(/│ total\s+│/);
    expect(people.stdout).toContain('12345678901234567890.25');
    expect(people.stderr).toContain('ddbctl: 1 item');

    const none = await cli(['sql', `SELECT * FROM "${table}" WHERE id = ?`, '--param', '"nobody"']);
    expect(none.stdout).toBe('(no items)\n');

    const again = await cli(['sql', `INSERT INTO "${table}" VALUE {'id': ?}`, '--param', '"a1"']);
    expect(again.code).toBe(1);
    expect(errorLines(again)).toEqual([
      'ddbctl: error: ExecuteStatement: an item with this key already exists; INSERT never replaces an item: use UPDATE to change it',
    ]);
  });

  it('UPDATE changes one item', async () => {
    await cli(['sql', `INSERT INTO "${table}" VALUE {'id': 'u1', 'n': 1}`]);
    const r = await cli([
      'sql',
      `UPDATE "${table}" SET n = n + ? SET note = ? WHERE id = ?`,
      '--param',
      '5',
      '--param',
      '"hi"',
      '--param',
      '"u1"',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('executed UPDATE\n');
    expect(await read('u1')).toBe('{"id":"u1","n":6,"note":"hi"}');

    const missing = await cli(['sql', `UPDATE "${table}" SET n = 1 WHERE id = 'nobody'`]);
    expect(missing.code).toBe(1);
    expect(errorLines(missing)[0]).toMatch(
      /^ddbctl: error: ExecuteStatement: no item matched the WHERE clause/,
    );
    expect(await read('nobody')).toBeUndefined();
  });

  it('follows pages and stops at --limit across them', async () => {
    const prefix = uniqueName('p');
    for (let i = 0; i < 7; i++) {
      await cli([
        'sql',
        `INSERT INTO "${table}" VALUE {'id': ?, 'kind': 'page'}`,
        '--param',
        JSON.stringify(`${prefix}-${i}`),
      ]);
    }
    const statement = `SELECT id FROM "${table}" WHERE kind = 'page' AND begins_with(id, ?)`;
    const r = await cli([
      '-o',
      'json',
      'sql',
      statement,
      '--param',
      JSON.stringify(prefix),
      '--page-size',
      '2',
      '--limit',
      '5',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { id: string }[];
    expect(got).toHaveLength(5);
    expect(new Set(got.map((x) => x.id)).size).toBe(5);

    const nd = await cli([
      '-o',
      'ndjson',
      'sql',
      statement,
      '--param',
      JSON.stringify(prefix),
      '--page-size',
      '3',
    ]);
    expect(nd.code, nd.stderr).toBe(0);
    expect(nd.stdout.trim().split('\n')).toHaveLength(7);

    // The library: pages as they come; the cap cuts the last page short and reads no more.
    const pages: number[] = [];
    for await (const page of executeStatementPages(clients, statement, {
      params: [prefix],
      pageSize: 2,
      limit: 5,
    })) {
      pages.push(page.length);
    }
    expect(pages.reduce((a, b) => a + b, 0)).toBe(5);
    expect(pages.length).toBeGreaterThan(1);
  });

  it('checks the parameter count and values before connecting', async () => {
    const dead = ['--endpoint-url', 'http://127.0.0.1:1'];
    const count = await cli([...dead, 'sql', 'SELECT * FROM "T" WHERE id = ? AND n = ?', '--param', '"a"']);
    expect(count.code).toBe(2);
    expect(errorLines(count)).toEqual([
      'ddbctl: error: the statement has 2 ? placeholders but 1 parameter was given: give one --param per ?, in order',
    ]);
    const bare = await cli([...dead, 'sql', 'SELECT * FROM "T" WHERE id = ?', '--param', 'ada']);
    expect(bare.code).toBe(2);
    expect(errorLines(bare)).toEqual([
      `ddbctl: error: --param 1 ("ada"): not a JSON value; a string needs JSON quotes inside the shell's: --param '"ada"'`,
    ]);
    // JSON too deep for any reader: said so (not the quoting), and the value not echoed whole.
    const deep = await cli([
      ...dead,
      'sql',
      'SELECT * FROM "T" WHERE id = ?',
      '--param',
      `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    ]);
    expect(deep.code).toBe(2);
    expect(errorLines(deep)).toEqual([`ddbctl: error: --param 1 ("${'['.repeat(40)}…"): ${NESTED_TOO_DEEP}`]);
    // JSON with a fault: its own reason.
    const twice = await cli([...dead, 'sql', 'SELECT * FROM "T" WHERE id = ?', '--param', '{"x":1,"x":2}']);
    expect(twice.code).toBe(2);
    expect(errorLines(twice)).toEqual([
      `ddbctl: error: --param 1 ("{\\"x\\":1,\\"x\\":2}"): Duplicate key 'x' encountered at position 8`,
    ]);
    const long = await cli([...dead, 'sql', 'SELECT * FROM "T" WHERE id = ?', '--param', 'x'.repeat(5000)]);
    expect(errorLines(long)).toEqual([
      `ddbctl: error: --param 1 ("${'x'.repeat(40)}…"): not a JSON value; a string needs JSON quotes inside the shell's: --param '"…"'`,
    ]);
  });

  it('runs on the embedded engine as the CLI starts it (a fresh memory engine: the table is not there)', async () => {
    const own = await cli(['--memory', '-o', 'json', 'sql', `SELECT * FROM "${table}"`]);
    expect(own.code).toBe(1);
    expect(own.stdout).toBe('');
    expect(errorLines(own)).toEqual([
      "ddbctl: error: ExecuteStatement: the table does not exist at the embedded engine (in memory, nothing kept), or is not ACTIVE (still CREATING, or DELETING); 'ddbctl --memory list-tables' lists the tables, 'ddbctl --memory wait TABLE' waits for one being created (Requested resource not found)",
    ]);
  });
});
