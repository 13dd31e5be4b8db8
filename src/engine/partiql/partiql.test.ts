/**
 * PartiQL's parser and its translation into the item operations' requests, without a server; and
 * random text through the whole of ExecuteStatement, BatchExecuteStatement and ExecuteTransaction:
 * a ValidationException (or another of DynamoDB's answers), never a crash or a hang.
 */
import {
  BatchExecuteStatementCommand,
  DuplicateItemException,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { TableMeta } from '../catalog.js';
import { DdbEngine } from '../engine.js';
import { createTestTable } from '../ops/_testTables.js';
import { engineClient } from '../testClient.js';
import { Malformed } from './lexer.js';
import { parse } from './parser.js';
import { parseStatement, selectRequests, writeRequest } from './translate.js';

const table = {
  name: 'tab',
  key: { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } },
  indexes: [],
} as unknown as TableMeta;

const select = (text: string, params: unknown[] = []) => {
  const s = parseStatement(text, params);
  if (s.kind !== 'select') throw new Error('not a select');
  return selectRequests(s, table, params, {});
};

describe('parse', () => {
  it('reads every statement kind, keywords in any case, a trailing semicolon', () => {
    expect(parse(`select * from "t" where pk = 'a';`).statement).toMatchObject({
      kind: 'select',
      from: { table: 't' },
    });
    expect(parse(`SELECT a.b[1], "c" FROM "t"."i"`).statement).toMatchObject({
      kind: 'select',
      from: { table: 't', index: 'i' },
      projection: [{ parts: ['a', 'b', 1] }, { parts: ['c'] }],
    });
    expect(
      parse(`INSERT INTO t VALUE {'k': <<1, 2>>, 'l': [true, null, -1.5e3], 'm': {'x': ?}}`),
    ).toMatchObject({
      params: 1,
      statement: { kind: 'insert', value: { t: 'map' } },
    });
    expect(
      parse(`UPDATE t SET a = a + ?, b = 'x' REMOVE c SET d = 1 WHERE pk = ? RETURNING MODIFIED OLD *`),
    ).toMatchObject({
      params: 2,
      statement: { kind: 'update', returning: { which: 'MODIFIED', when: 'OLD' } },
    });
    expect(parse(`DELETE FROM t WHERE pk = 'a' RETURNING ALL OLD *`).statement.kind).toBe('delete');
    expect(parse(`EXISTS(SELECT * FROM t WHERE pk = 'a' AND v = 1)`).statement.kind).toBe('exists');
  });

  it('skips comments, -- to the end of the line and /* ... */ (a ? in them is no placeholder)', () => {
    expect(parse(`SELECT s FROM "t" WHERE p = ? /* x? */ AND s = 1 -- why?`)).toMatchObject({
      params: 1,
      statement: { kind: 'select', from: { table: 't' } },
    });
    expect(() => parse(`SELECT s FROM "t" /* never closed`)).toThrow(/unterminated comment/);
  });

  it('a string doubles its quote; a quoted name may hold any character', () => {
    expect(parse(`SELECT * FROM "we""ird" WHERE a = 'it''s'`).statement).toMatchObject({
      from: { table: 'we"ird' },
      where: { r: { t: 'str', v: "it's" } },
    });
  });

  it('places tokens as DynamoDB names them: line:column:length', () => {
    expect(parse(`INSERT INTO t\n VALUE {'k': <<>>}`).statement).toMatchObject({
      value: { entries: [{ at: { line: 2, col: 9, len: 3 }, value: { at: { line: 2, col: 14, len: 2 } } }] },
    });
  });

  it.each([
    '',
    'SELEC * FROM t',
    'SELECT * FROM t WHERE',
    "SELECT * FROM t WHERE a = 'open",
    'SELECT * FROM t WHERE a',
    'SELECT * FROM t trailing',
    'UPDATE t WHERE pk = 1',
    'INSERT INTO t VALUE',
    'DELETE t WHERE pk = 1',
    'SELECT * FROM t WHERE a[x] = 1',
  ])('refuses %j as malformed', (text) => {
    expect(() => parse(text)).toThrow(Malformed);
  });
});

describe('translate', () => {
  it('a partition key fixed by = runs as a Query, its sort key condition in the key condition', () => {
    expect(select(`SELECT a FROM t WHERE pk = 'x' AND sk > 2 AND v = 1`)).toEqual([
      {
        op: 'Query',
        input: {
          TableName: 'tab',
          KeyConditionExpression: '#n0 = :v0 AND #n1 > :v1',
          FilterExpression: '#n2 = :v2',
          ProjectionExpression: '#n3',
          ExpressionAttributeNames: { '#n0': 'pk', '#n1': 'sk', '#n2': 'v', '#n3': 'a' },
          ExpressionAttributeValues: { ':v0': { S: 'x' }, ':v1': { N: '2' }, ':v2': { N: '1' } },
        },
      },
    ]);
  });

  it('IN on the partition key runs one Query per value; ORDER BY DESC reads backwards', () => {
    const r = select(`SELECT * FROM t WHERE pk IN [?, 'b'] ORDER BY sk DESC`, [{ S: 'a' }]);
    expect(r.map((x) => [x.op, x.input.ExpressionAttributeValues, x.input.ScanIndexForward])).toEqual([
      ['Query', { ':v0': { S: 'a' } }, false],
      ['Query', { ':v0': { S: 'b' } }, false],
    ]);
  });

  it('without a fixed partition key, or with another condition on a key attribute, it runs as a Scan', () => {
    expect(select(`SELECT * FROM t WHERE v = 1 OR pk = 'a'`).map((x) => x.op)).toEqual(['Scan']);
    expect(select(`SELECT * FROM t WHERE pk = 'a' AND sk > 1 AND sk < 5`)).toMatchObject([
      { op: 'Scan', input: { FilterExpression: '((#n0 = :v0) AND (#n1 > :v1)) AND (#n1 < :v2)' } },
    ]);
  });

  it('UPDATE: SET, REMOVE, set_add / set_delete as ADD / DELETE, under attribute_exists and the other conditions', () => {
    const s = parseStatement(
      `UPDATE t SET n = n + 1, ss = set_add(ss, <<'a'>>) REMOVE x SET ns = set_delete(ns, <<1>>) WHERE pk = 'a' AND sk = 1 AND n < 5 RETURNING ALL NEW *`,
      [],
    );
    expect(writeRequest(s, table, [])).toEqual({
      op: 'UpdateItem',
      input: {
        TableName: 'tab',
        Key: { pk: { S: 'a' }, sk: { N: '1' } },
        UpdateExpression: 'SET #n0 = #n0 + :v0 REMOVE #n3 ADD #n1 :v1 DELETE #n2 :v2',
        ConditionExpression: 'attribute_exists(#n4) AND (#n0 < :v3)',
        ReturnValues: 'ALL_NEW',
        ExpressionAttributeNames: { '#n0': 'n', '#n1': 'ss', '#n2': 'ns', '#n3': 'x', '#n4': 'pk' },
        ExpressionAttributeValues: {
          ':v0': { N: '1' },
          ':v1': { SS: ['a'] },
          ':v2': { NS: ['1'] },
          ':v3': { N: '5' },
        },
      },
    });
  });

  it('INSERT is a PutItem under attribute_not_exists; its item must hold the key, of its types', () => {
    const ins = (text: string) => writeRequest(parseStatement(text, []), table, []);
    expect(ins(`INSERT INTO t VALUE {'pk': 'a', 'sk': 1, 'l': [1, 'x']}`)).toEqual({
      op: 'PutItem',
      input: {
        TableName: 'tab',
        Item: { pk: { S: 'a' }, sk: { N: '1' }, l: { L: [{ N: '1' }, { S: 'x' }] } },
        ConditionExpression: 'attribute_not_exists(#n0)',
        ExpressionAttributeNames: { '#n0': 'pk' },
      },
    });
    expect(() => ins(`INSERT INTO t VALUE {'pk': 'a'}`)).toThrow(
      'Key attribute should be present in the item: Key sk',
    );
    expect(() => ins(`INSERT INTO t VALUE {'pk': 1, 'sk': 1}`)).toThrow(
      "Key attribute's data type should match its data type in table's schema: Key pk",
    );
    expect(() => ins(`INSERT INTO t VALUE {'pk': 'a', 'sk': 1, 's': <<'a', 1>>}`)).toThrow(
      'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags at 1:54:1',
    );
  });

  it('counts ? against the Parameters, and a statement without ? ignores them', () => {
    expect(() => parseStatement(`SELECT * FROM t WHERE pk = ?`, [])).toThrow(
      "Number of parameters in request and statement don't match.",
    );
    expect(parseStatement(`SELECT * FROM t WHERE pk = 'a'`, [{ S: 'a' }]).kind).toBe('select');
  });
});

/** A small deterministic random source (xorshift), so that a failure repeats. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const PIECES = [
  'SELECT',
  'INSERT',
  'INTO',
  'UPDATE',
  'DELETE',
  'FROM',
  'WHERE',
  'VALUE',
  'SET',
  'REMOVE',
  'RETURNING',
  'ALL',
  'OLD',
  'NEW',
  'MODIFIED',
  'EXISTS',
  'AND',
  'OR',
  'NOT',
  'IN',
  'IS',
  'MISSING',
  'NULL',
  'BETWEEN',
  'ORDER',
  'BY',
  'DESC',
  '*',
  '"tab"',
  '"tab"."ix"',
  'tab',
  'pk',
  'sk',
  'v',
  'm.x[1]',
  "'a'",
  "'",
  '"',
  '1',
  '-2.5e3',
  '?',
  '=',
  '<>',
  '<',
  '>=',
  '+',
  '-',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '<<',
  '>>',
  ',',
  '.',
  ':',
  ';',
  '`',
  '`{{aGk=}}`',
  "{'pk': 'a', 'sk': 1}",
  'begins_with(',
  'size(',
  'set_add(',
  'foo(',
  'true',
  '\n',
  '\u00e9',
  '\u{1F600}',
];

describe('random statements', () => {
  it('are answered by DynamoDB error types, never a crash', async () => {
    const engine = new DdbEngine({ transitionMs: 0 });
    const created = await engine.handle(
      'DynamoDB_20120810.CreateTable',
      JSON.stringify({
        TableName: 'tab',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    expect(created.status).toBe(200);
    const next = random(15);
    const kinds = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(next() * 14);
      const words: string[] = [];
      for (let j = 0; j < n; j++) words.push(PIECES[Math.floor(next() * PIECES.length)]!);
      const Statement = words.join(next() < 0.8 ? ' ' : '');
      const Parameters = next() < 0.5 ? [{ S: 'a' }] : undefined;
      const op = ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'][i % 3]!;
      const body =
        op === 'ExecuteStatement'
          ? { Statement, Parameters }
          : {
              [op === 'ExecuteTransaction' ? 'TransactStatements' : 'Statements']: [
                { Statement, Parameters },
              ],
            };
      const a = await engine.handle(`DynamoDB_20120810.${op}`, JSON.stringify(body));
      const type = (JSON.parse(a.body) as { __type?: string }).__type ?? '';
      if (a.status !== 200) kinds.add(type.split('#')[1]!);
      expect(a.status, `${op} ${Statement}: ${a.body}`).toBeLessThan(500);
    }
    expect(kinds.has('ValidationException')).toBe(true);
  });
});

describe('through the SDK', () => {
  async function setup() {
    const { ddb } = engineClient();
    await createTestTable(ddb, 'tab1', 'N');
    return ddb;
  }

  it('answers ConsumedCapacity when asked, as the operations it runs count it (DynamoDB Local never does)', async () => {
    const ddb = await setup();
    const ins = await ddb.send(
      new ExecuteStatementCommand({
        Statement: `INSERT INTO "tab1" VALUE {'pk': 'a', 'sk': 1}`,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(ins.ConsumedCapacity).toEqual({ TableName: 'tab1', CapacityUnits: 1 });
    await ddb.send(
      new ExecuteStatementCommand({ Statement: `INSERT INTO "tab1" VALUE {'pk': 'b', 'sk': 1}` }),
    );
    const sel = await ddb.send(
      new ExecuteStatementCommand({
        Statement: `SELECT * FROM "tab1" WHERE pk IN ['a', 'b']`,
        ConsistentRead: true,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    // Two Queries (one per partition key value), one unit each.
    expect(sel.ConsumedCapacity).toEqual({ TableName: 'tab1', CapacityUnits: 2 });
    const none = await ddb.send(
      new ExecuteStatementCommand({ Statement: `SELECT * FROM "tab1" WHERE pk = 'a'` }),
    );
    expect(none.ConsumedCapacity).toBeUndefined();
    const batch = await ddb.send(
      new BatchExecuteStatementCommand({
        Statements: [{ Statement: `SELECT * FROM "tab1" WHERE pk = 'a' AND sk = 1` }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(batch.ConsumedCapacity).toEqual([{ TableName: 'tab1', CapacityUnits: 0.5 }]);
    const tx = await ddb.send(
      new ExecuteTransactionCommand({
        TransactStatements: [{ Statement: `UPDATE "tab1" SET v = 1 WHERE pk = 'a' AND sk = 1` }],
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(tx.ConsumedCapacity).toEqual([{ TableName: 'tab1', CapacityUnits: 2 }]);
  });

  it('pages an IN over several partitions by NextToken, Limit counting across them', async () => {
    const ddb = await setup();
    for (const pk of ['a', 'b', 'c'])
      for (const sk of [1, 2])
        await ddb.send(
          new ExecuteStatementCommand({ Statement: `INSERT INTO "tab1" VALUE {'pk': '${pk}', 'sk': ${sk}}` }),
        );
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await ddb.send(
        new ExecuteStatementCommand({
          Statement: `SELECT * FROM "tab1" WHERE pk IN ['c', 'a']`,
          Limit: 3,
          NextToken,
        }),
      );
      for (const i of out.Items ?? []) seen.push(`${i.pk?.S}${i.sk?.N}`);
      NextToken = out.NextToken;
      pages++;
    } while (NextToken && pages < 10);
    expect(seen).toEqual(['c1', 'c2', 'a1', 'a2']);
    expect(pages).toBeGreaterThan(1);
  });

  it("an INSERT of an existing item is the SDK's DuplicateItemException", async () => {
    const ddb = await setup();
    const ins = new ExecuteStatementCommand({ Statement: `INSERT INTO "tab1" VALUE {'pk': 'a', 'sk': 1}` });
    await ddb.send(ins);
    await expect(ddb.send(ins)).rejects.toBeInstanceOf(DuplicateItemException);
  });
});
