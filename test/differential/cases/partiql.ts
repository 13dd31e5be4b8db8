// PartiQL: ExecuteStatement (SELECT as Query or Scan, paging, INSERT, UPDATE, DELETE, parameters,
// the errors), BatchExecuteStatement (per-statement answers, the batch's own rules) and
// ExecuteTransaction (success, cancellation, idempotency).
import type { Case, Step } from '../harness.js';
import { diverges, N, S, seed, step, table } from './_common.js';

type Json = Record<string, unknown>;

const sql = (Statement: string, more: Json = {}, s: Partial<Step> = {}): Step =>
  step('ExecuteStatement', { Statement, ...more }, s);
/** A SELECT that runs as a Scan: its items in the engine's hash order, compared as a set. */
const scanSql = (Statement: string, more: Json = {}, s: Partial<Step> = {}): Step =>
  diverges('indexOrder', sql(Statement, more, s));
const batch = (statements: (string | Json)[], more: Json = {}): Step =>
  step('BatchExecuteStatement', {
    Statements: statements.map((x) => (typeof x === 'string' ? { Statement: x } : x)),
    ...more,
  });
const tx = (statements: (string | Json)[], more: Json = {}): Step =>
  step('ExecuteTransaction', {
    TransactStatements: statements.map((x) => (typeof x === 'string' ? { Statement: x } : x)),
    ...more,
  });
const get = (pk: string, sk?: string): Step =>
  step('GetItem', {
    TableName: '$T',
    Key: { pk: S(pk), ...(sk ? { sk: N(sk) } : {}) },
    ConsistentRead: true,
  });

const items = [
  { pk: S('a'), sk: N('1'), v: N('10'), m: { M: { x: { L: [N('1'), N('2')] } } }, s: S('apple') },
  { pk: S('a'), sk: N('2'), v: N('20'), tags: { SS: ['x', 'y'] } },
  { pk: S('a'), sk: N('3'), v: N('30'), n: { NULL: true } },
  { pk: S('b'), sk: N('1'), v: N('40'), s: S('banana') },
  { pk: S('c'), sk: N('1'), v: N('50') },
];

export const partiqlCases: Case[] = [
  {
    name: 'select: a fixed partition key runs as a Query, with sort key conditions and filters',
    steps: [
      table('S', 'N'),
      ...seed(...items),
      sql(`SELECT * FROM "$T" WHERE pk = 'a'`),
      sql(`select * from "$T" where "pk" = 'a';`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND sk = 2`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND sk > 1`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND sk >= 2 AND v < 30`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND sk BETWEEN 1 AND 2`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND sk > 1 AND sk < 3`),
      sql(`SELECT * FROM "$T" WHERE 'a' = pk AND sk <= 2`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' ORDER BY sk DESC`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' ORDER BY sk ASC`),
      sql(`SELECT * FROM "$T" WHERE pk IN ['a', 'c']`),
      sql(`SELECT * FROM "$T" WHERE pk IN ('b', 'zz')`),
      sql(`SELECT v, m.x[1], "s" FROM "$T" WHERE pk = 'a'`),
      sql(`SELECT * FROM "$T" WHERE pk = 'zz'`),
      sql(`SELECT * FROM "$T" WHERE pk = ? AND sk = ?`, { Parameters: [S('a'), N('1')] }),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND v IN (10, 30)`, { ConsistentRead: true }),
    ],
  },
  {
    name: 'select: without a fixed partition key it runs as a Scan, with every kind of condition',
    steps: [
      table('S', 'N'),
      ...seed(...items),
      scanSql(`SELECT * FROM "$T"`),
      scanSql(`SELECT * FROM "$T" WHERE v > 15`),
      scanSql(`SELECT * FROM "$T" WHERE v <> 20 AND NOT v = 10`),
      scanSql(`SELECT * FROM "$T" WHERE v BETWEEN 10 AND 30`),
      scanSql(`SELECT * FROM "$T" WHERE v = 10 OR s = 'banana'`),
      scanSql(`SELECT * FROM "$T" WHERE pk = 'a' AND v = 10 OR pk = 'b'`),
      scanSql(`SELECT * FROM "$T" WHERE m IS MISSING`),
      scanSql(`SELECT * FROM "$T" WHERE m IS NOT MISSING`),
      scanSql(`SELECT * FROM "$T" WHERE n IS NULL`),
      scanSql(`SELECT * FROM "$T" WHERE n IS NOT NULL`),
      scanSql(`SELECT * FROM "$T" WHERE begins_with(s, 'ba')`),
      scanSql(`SELECT * FROM "$T" WHERE begins_with(pk, 'a')`),
      scanSql(`SELECT * FROM "$T" WHERE contains(tags, 'x') OR contains(s, 'nan')`),
      scanSql(`SELECT * FROM "$T" WHERE attribute_type(v, 'N') AND size(s) > 5`),
      scanSql(`SELECT * FROM "$T" WHERE m.x[1] = 2`),
      scanSql(`SELECT * FROM "$T" WHERE n = NULL`),
      sql(`SELECT m.x[1], m.x[0], s FROM "$T" WHERE pk = 'a' AND sk = 1`),
      sql(`SELECT m.zz FROM "$T" WHERE pk = 'a' AND sk = 1`),
      scanSql(`SELECT pk, v FROM "$T" WHERE v >= ?`, { Parameters: [N('30')] }),
      scanSql(`SELECT * FROM "$T" WHERE (v = 10 OR v = 20) AND sk = 1`),
    ],
  },
  {
    name: 'select: pages by Limit and NextToken',
    steps: [
      table('S', 'N'),
      ...seed(...items),
      sql(`SELECT * FROM "$T" WHERE pk = 'a'`, { Limit: 1 }, { all: true }),
      sql(`SELECT * FROM "$T" WHERE pk = 'a'`, { Limit: 3 }, { all: true }),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND v > 10`, { Limit: 2 }, { all: true }),
      scanSql(`SELECT * FROM "$T"`, { Limit: 2 }, { all: true }),
      scanSql(`SELECT * FROM "$T" WHERE v > 20`, { Limit: 1 }, { all: true }),
      sql(`SELECT * FROM "$T"`, { Limit: 0 }),
      sql(`SELECT * FROM "$T" WHERE pk = 'a'`, { NextToken: 'bm90IGEgdG9rZW4=' }),
      diverges('oracleInternalFailure', sql(`SELECT * FROM "$T" WHERE pk = 'a'`, { NextToken: 'x' })),
    ],
  },
  {
    name: 'select: an index',
    steps: [
      table('S', 'N', {
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
      ...seed(
        { pk: S('a'), sk: N('1'), g: S('red') },
        { pk: S('a'), sk: N('2'), g: S('blue') },
        { pk: S('b'), sk: N('1'), g: S('red') },
      ),
      diverges('indexOrder', sql(`SELECT * FROM "$T"."byG" WHERE g = 'red'`)),
      scanSql(`SELECT pk FROM "$T"."byG"`),
      sql(`SELECT * FROM "$T"."nope" WHERE g = 'red'`),
    ],
  },
  {
    name: 'insert, update, delete: values, conditions, RETURNING',
    steps: [
      table('S', 'N'),
      ...seed(...items),
      sql(
        `INSERT INTO "$T" VALUE {'pk': 'n', 'sk': 1, 'ss': <<'a', 'b'>>, 'ns': <<1, 2>>, 'l': [1, 'two', true, null, -3], 'm': {'x': {'y': [false]}}}`,
      ),
      get('n', '1'),
      diverges('duplicateItem', sql(`INSERT INTO "$T" VALUE {'pk': 'n', 'sk': 1}`)),
      sql(`INSERT INTO "$T" VALUE {'pk': ?, 'sk': ?, 'v': ?}`, {
        Parameters: [S('p'), N('7'), { L: [S('x')] }],
      }),
      get('p', '7'),
      sql(`UPDATE "$T" SET v = v + 1 SET w = 'x' REMOVE m WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *`),
      sql(`UPDATE "$T" SET v = v - 5, w = ? WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *`, {
        Parameters: [S('y')],
      }),
      sql(`UPDATE "$T" SET tags = set_add(tags, <<'z'>>) WHERE pk = 'a' AND sk = 2 RETURNING MODIFIED NEW *`),
      sql(
        `UPDATE "$T" SET tags = set_delete(tags, <<'x'>>) REMOVE w WHERE pk = 'a' AND sk = 2 RETURNING MODIFIED OLD *`,
      ),
      sql(`UPDATE "$T" SET l = list_append(l, [9]), m.x.y[0] = true WHERE pk = 'n' AND sk = 1`),
      sql(`UPDATE "$T" SET q = if_not_exists(q, 0) WHERE pk = 'n' AND sk = 1 RETURNING MODIFIED NEW *`),
      get('n', '1'),
      sql(`UPDATE "$T" SET v = 5 WHERE pk = 'zz' AND sk = 1`),
      sql(`UPDATE "$T" SET v = 5 WHERE pk = 'a' AND sk = 3 AND v = 99`),
      sql(`UPDATE "$T" SET v = 5 WHERE pk = 'a' AND sk = 3 AND v = 99`, {
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      sql(`UPDATE "$T" SET v = 31 WHERE pk = 'a' AND sk = 3 AND v = 30 AND n IS NULL`),
      sql(`UPDATE "$T" SET v = list_append(v, [1]) WHERE pk = 'a' AND sk = 3`),
      sql(`UPDATE "$T" SET pk = 'x' WHERE pk = 'a' AND sk = 3`),
      sql(`DELETE FROM "$T" WHERE pk = 'b' AND sk = 1`),
      sql(`DELETE FROM "$T" WHERE pk = 'b' AND sk = 1`),
      sql(`DELETE FROM "$T" WHERE pk = 'c' AND sk = 1 AND v = 99`),
      sql(`DELETE FROM "$T" WHERE pk = 'c' AND sk = 1 AND v = 50 RETURNING ALL OLD *`),
      sql(`DELETE FROM "$T" WHERE pk = 'zz' AND sk = 1 RETURNING ALL OLD *`),
      scanSql(`SELECT * FROM "$T"`),
      diverges(
        'partiqlNumberScale',
        sql(`INSERT INTO "$T" VALUE {'pk': 'num', 'sk': 1, 'x': 1.50, 'y': 1e3}`),
      ),
      diverges('partiqlNumberScale', get('num', '1')),
    ],
  },
  {
    name: 'statements DynamoDB refuses',
    steps: [
      table('S', 'N'),
      table('S', undefined, {}, '$T2'),
      ...seed(...items),
      sql(`SELEC * FROM "$T"`),
      sql(`SELECT * FROM "$T" WHERE`),
      sql(``),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' AND`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' trailing`),
      sql(`SELECT * FROM "$T" WHERE pk = 'unterminated`),
      sql(`SELECT * FROM "$P-nope"`),
      sql(`INSERT INTO "$P-nope" VALUE {'pk': 'a'}`),
      sql(`UPDATE "$P-nope" SET v = 1 WHERE pk = 'a'`),
      sql(`SELECT * FROM "t" WHERE pk = 'a'`),
      sql(`DELETE FROM "t" WHERE pk = 'a'`),
      sql(`INSERT INTO "t" VALUE {'pk': 'a'}`),
      sql(`SELECT * FROM "$T" WHERE pk = ?`),
      sql(`SELECT * FROM "$T" WHERE pk = ? AND sk = ?`, { Parameters: [S('a')] }),
      sql(`SELECT * FROM "$T" WHERE pk = 'a'`, { Parameters: [S('a')] }),
      sql(`SELECT * FROM "$T" WHERE pk = 1`),
      sql(`SELECT * FROM "$T" WHERE foo(v)`),
      sql(`SELECT * FROM "$T" WHERE exists(v)`),
      sql(`SELECT * FROM "$T" WHERE pk = 'a' ORDER BY v`),
      sql(`SELECT * FROM "$T" ORDER BY pk`),
      sql(`EXISTS(SELECT * FROM "$T" WHERE pk = 'a' AND sk = 1)`),
      sql(`INSERT INTO "$T" VALUE {'pk': 'x'}`),
      sql(`INSERT INTO "$T" VALUE {'pk': 1, 'sk': 1}`),
      sql(`INSERT INTO "$T" VALUE {'pk': 'x', 'sk': 1, 's': <<>>}`),
      sql(`INSERT INTO "$T" VALUE {'pk': 'x', 'sk': 1, 's': MISSING}`),
      sql(`INSERT INTO "$T" VALUE {'pk': 'x', 'sk': 1, 's': <<'a', 1>>}`),
      sql(`INSERT INTO "$T" VALUE {'pk': 'x', 'sk': 1, 'pk': 'y'}`),
      sql(`INSERT INTO "$T" VALUE ?`, { Parameters: [{ M: { pk: S('x'), sk: N('1') } }] }),
      sql(`UPDATE "$T" SET v = 5 WHERE pk = 'a'`),
      sql(`UPDATE "$T" SET v = 5 WHERE v = 10`),
      sql(`UPDATE "$T" SET v = 1 WHERE pk = 'a' AND sk = 1 AND sk = 2`),
      sql(`DELETE FROM "$T" WHERE pk = 'a'`),
      sql(`DELETE FROM "$T2" WHERE pk = 'a' RETURNING ALL NEW *`),
      sql(`DELETE FROM "$T2" WHERE pk = 'a' RETURNING MODIFIED OLD *`),
    ],
  },
  {
    name: 'batch: single-item reads, each answered on its own',
    steps: [
      table('S', 'N'),
      table('S', undefined, {}, '$T2'),
      ...seed(...items),
      step('PutItem', { TableName: '$T2', Item: { pk: S('a'), v: N('1') } }, { setup: true }),
      batch([
        `SELECT * FROM "$T" WHERE pk = 'a' AND sk = 1`,
        `SELECT v FROM "$T2" WHERE pk = 'a'`,
        `SELECT * FROM "$T2" WHERE pk = 'zz'`,
        `SELECT * FROM "$T" WHERE pk = 'a'`,
        `SELECT * FROM "$T" WHERE pk = 'a' AND sk = 2 AND v = 1`,
        `SELECT * FROM "$P-nope" WHERE pk = 'a'`,
        `SELEC x`,
        `SELECT * FROM "$T2" WHERE pk = 1`,
        {
          Statement: `SELECT * FROM "$T" WHERE pk = ? AND sk = ?`,
          Parameters: [S('b'), N('1')],
          ConsistentRead: true,
        },
        { Statement: `SELECT * FROM "$T" WHERE pk = ? AND sk = ?`, Parameters: [S('b')] },
      ]),
      batch([`SELEC`, `SELEC x`, `FOO bar`, `select`, `SELECT`]),
      batch([`SELECT m.x[1] FROM "$T" WHERE pk = 'a' AND sk = 1`]),
      batch([`EXISTS(SELECT * FROM "$T2" WHERE pk = 'a')`]),
    ],
  },
  {
    name: 'batch: writes, each answered on its own',
    steps: [
      table('S', undefined),
      table('S', 'N', {}, '$T2'),
      step('PutItem', { TableName: '$T', Item: { pk: S('a'), v: N('10') } }, { setup: true }),
      batch([
        `INSERT INTO "$T" VALUE {'pk': 'b'}`,
        `INSERT INTO "$T" VALUE {'pk': 'a'}`,
        `UPDATE "$T" SET v = 1 WHERE pk = 'zz'`,
        `DELETE FROM "$T" WHERE pk = 'c'`,
        { Statement: `UPDATE "$T" SET v = ? WHERE pk = 'd'`, Parameters: [N('7')] },
        `DELETE FROM "$P-nope" WHERE pk = 'a'`,
        `UPDATE "$T" SET v = 1 WHERE v = 1`,
        `INSERT INTO "$T2" VALUE {'pk': 'q', 'sk': 1}`,
        `UPDATE "$T" SET v = 1 WHERE pk = ?`,
      ]),
      batch([`UPDATE "$T" SET v = 2 WHERE pk = 'a' AND v = 99`]),
      step('Scan', { TableName: '$T' }),
      step('Scan', { TableName: '$T2' }),
    ],
  },
  {
    name: "batch: the batch's own rules",
    steps: [
      table('S', undefined),
      batch([]),
      step('BatchExecuteStatement', {}),
      batch([`SELECT * FROM "$T" WHERE pk = 'a'`, `INSERT INTO "$T" VALUE {'pk': 'b'}`]),
      batch([`SELECT * FROM "$T" WHERE pk = 'a'`, `INSERT INTO "$T" VALUE {'pk': 'b'}`, `SELEC`]),
      batch(Array.from({ length: 26 }, (_, i) => `SELECT * FROM "$T" WHERE pk = 'k${i}'`)),
      batch(Array.from({ length: 26 }, (_, i) => `INSERT INTO "$T" VALUE {'pk': 'k${i}'}`)),
      batch(Array.from({ length: 25 }, (_, i) => `INSERT INTO "$T" VALUE {'pk': 'k${i}'}`)),
      batch([`SELECT * FROM "$T" WHERE pk = 'a'`, `SELECT * FROM "$T" WHERE pk = 'a'`]),
      batch([`INSERT INTO "$T" VALUE {'pk': 'd'}`, `DELETE FROM "$T" WHERE pk = 'd'`]),
      step('Scan', { TableName: '$T', Select: 'COUNT' }),
    ],
  },
  {
    name: 'transaction: writes all or nothing, reads together',
    steps: [
      table('S', undefined),
      table('S', 'N', {}, '$T2'),
      step('PutItem', { TableName: '$T', Item: { pk: S('a'), v: N('10') } }, { setup: true }),
      step(
        'PutItem',
        {
          TableName: '$T2',
          Item: { pk: S('a'), sk: N('1'), v: N('1'), m: { M: { x: { L: [N('1'), N('2')] } } } },
        },
        { setup: true },
      ),
      tx([`INSERT INTO "$T" VALUE {'pk': 't1'}`, `UPDATE "$T2" SET v = 11 WHERE pk = 'a' AND sk = 1`]),
      tx([
        `INSERT INTO "$T" VALUE {'pk': 't1'}`,
        `UPDATE "$T2" SET v = 12 WHERE pk = 'a' AND sk = 1 AND v = 99`,
        `DELETE FROM "$T" WHERE pk = 'zz'`,
      ]),
      tx([`INSERT INTO "$T" VALUE {'pk': 't2'}`, `UPDATE "$T" SET v = 1 WHERE pk = 'nope'`]),
      tx([
        {
          Statement: `DELETE FROM "$T" WHERE pk = 'a' AND v = 5`,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      ]),
      tx([`EXISTS(SELECT * FROM "$T" WHERE pk = 't1' AND v = 3)`, `DELETE FROM "$T" WHERE pk = 'zz'`]),
      tx([`EXISTS(SELECT * FROM "$T" WHERE pk = 'a' AND v = 10)`, `INSERT INTO "$T" VALUE {'pk': 't3'}`]),
      tx([
        `SELECT * FROM "$T" WHERE pk = 't1'`,
        `SELECT v FROM "$T2" WHERE pk = 'a' AND sk = 1`,
        `SELECT * FROM "$T" WHERE pk = 'nope'`,
        `SELECT * FROM "$T" WHERE pk = 't2'`,
      ]),
      tx([`SELECT m.x[1] FROM "$T2" WHERE pk = 'a' AND sk = 1`]),
      step('Scan', { TableName: '$T' }),
    ],
  },
  {
    name: 'transaction: requests DynamoDB refuses, and ClientRequestToken',
    steps: [
      table('S', undefined),
      step('PutItem', { TableName: '$T', Item: { pk: S('a'), v: N('10') } }, { setup: true }),
      tx([]),
      tx(Array.from({ length: 101 }, (_, i) => `DELETE FROM "$T" WHERE pk = 'k${i}'`)),
      tx([`SELECT * FROM "$T" WHERE pk = 'a'`, `DELETE FROM "$T" WHERE pk = 'a'`]),
      tx([`INSERT INTO "$T" VALUE {'pk': 'x'}`, `DELETE FROM "$T" WHERE pk = 'x'`]),
      tx([`SELECT * FROM "$T" WHERE pk = 'a'`, `SELECT * FROM "$T" WHERE pk = 'a'`]),
      tx([`SELECT * FROM "$T"`]),
      tx([{ Statement: `DELETE FROM "$T" WHERE pk = ?` }]),
      tx([`UPDATE "$T" SET v = 1 WHERE pk = 'a' RETURNING ALL NEW *`]),
      tx([`DELETE FROM "$P-nope" WHERE pk = 'a'`]),
      tx([`SELECT * FROM "$P-nope" WHERE pk = 'a'`]),
      tx([`DELETE FROM "$T" WHERE pk = 'zz'`, `DELETE FROM "$T" WHERE v = 1`]),
      tx([`EXISTS(SELECT * FROM "$T" WHERE pk = 'a')`, `INSERT INTO "$T" VALUE {'pk': 'b'}`]),
      tx([`INSERT INTO "$T" VALUE {'pk': 'tok'}`], { ClientRequestToken: 'token-1' }),
      tx([`INSERT INTO "$T" VALUE {'pk': 'tok'}`], { ClientRequestToken: 'token-1' }),
      step('Scan', { TableName: '$T' }),
    ],
  },
];
