// Item operations: PutItem, GetItem, UpdateItem, DeleteItem: every ReturnValues, conditions that
// hold and fail, key errors, bad attribute values, numbers' canonical form, sizes.
import type { Case, Step } from '../harness.js';
import { B, del, diverges, get, N, put, S, seed, step, table, update } from './_common.js';

type Json = Record<string, unknown>;

const k = (pk: string) => ({ pk: S(pk) });
const item = (pk: string, more: Json = {}) => ({ pk: S(pk), ...more });
const full = item('a', {
  s: S('text'),
  n: N('1.5'),
  b: B('AAEC'),
  t: { BOOL: true },
  z: { NULL: true },
  ss: { SS: ['x', 'y'] },
  ns: { NS: ['1', '2.5', '-3'] },
  bs: { BS: ['AA==', 'AQ=='] },
  l: { L: [S('x'), N('2'), { M: { deep: { L: [{ NULL: true }] } } }] },
  m: { M: { a: S('1'), b: { M: { c: N('3') } } } },
});

/** A case on a table keyed by pk (S) alone. */
const onS = (name: string, ...steps: Step[]): Case => ({ name, steps: [table(), ...steps] });
/** A case on a table keyed by pk (S) and sk (N). */
const onSN = (name: string, ...steps: Step[]): Case => ({ name, steps: [table('S', 'N'), ...steps] });

const basics: Case[] = [
  onS('put and get every type', put(full), get(k('a')), get(k('missing'))),
  onS(
    'get: ProjectionExpression, AttributesToGet, ConsistentRead',
    ...seed(full),
    get(k('a'), { ProjectionExpression: 's, l[2].deep, m.b.c, #n', ExpressionAttributeNames: { '#n': 'n' } }),
    get(k('a'), { ProjectionExpression: 'l[0], l[5], nothing' }),
    get(k('a'), { AttributesToGet: ['s', 'ns'] }),
    get(k('a'), { ConsistentRead: true, ProjectionExpression: 'pk' }),
    get(k('a'), { ProjectionExpression: 'l[0], l' }),
    // Nested paths that do not resolve: left out, with the maps that lead to them.
    get(k('a'), { ProjectionExpression: 's, m.b.cc, m.b.c[0], m.a.x, l[2].nothing' }),
    get(k('a'), { ProjectionExpression: 'm.b.nothing, m.a' }),
    get(k('a'), { ProjectionExpression: 'm, m.a' }),
    get(k('a'), { ProjectionExpression: 's, s' }),
    get(k('a'), { ProjectionExpression: '#x', ExpressionAttributeNames: { '#x': 's', '#y': 'n' } }),
    get(k('a'), { ProjectionExpression: '#x' }),
    get(k('a'), { ProjectionExpression: 'name' }),
    get(k('a'), { ProjectionExpression: 's,' }),
    get(k('a'), { ProjectionExpression: '' }),
    get(k('a'), { ProjectionExpression: 's', AttributesToGet: ['s'] }),
    get(k('a'), { AttributesToGet: ['s', 's'] }),
  ),
  onS(
    'put: ReturnValues',
    put(item('a', { v: N('1') }), { ReturnValues: 'ALL_OLD' }),
    put(item('a', { v: N('2') }), { ReturnValues: 'ALL_OLD' }),
    put(item('a', { v: N('3') }), { ReturnValues: 'NONE' }),
    put(item('a'), { ReturnValues: 'ALL_NEW' }),
    put(item('a'), { ReturnValues: 'UPDATED_OLD' }),
    put(item('a'), { ReturnValues: 'bogus' }),
  ),
  onS(
    'delete: ReturnValues',
    ...seed(item('a', { v: N('1') }), item('b')),
    del(k('a'), { ReturnValues: 'ALL_OLD' }),
    del(k('a'), { ReturnValues: 'ALL_OLD' }),
    del(k('b'), { ReturnValues: 'ALL_NEW' }),
    del(k('b'), { ReturnValues: 'NONE' }),
    get(k('b')),
  ),
  onS(
    'put/get/delete: table missing, key errors',
    step('GetItem', { TableName: '$T2', Key: k('a') }),
    step('PutItem', { TableName: '$T2', Item: k('a') }),
    get({}),
    get({ pk: N('1') }),
    get({ pk: S('a'), extra: S('b') }),
    get({ other: S('a') }),
    get({ pk: S('') }),
    put({ v: S('no key') }),
    put({ pk: N('1') }),
    put({ pk: S('') }),
    put({ pk: { SS: ['a'] } }),
    del({ pk: S('a'), sk: N('1') }),
    step('GetItem', { TableName: '$T' }),
    step('PutItem', { TableName: '$T' }),
    step('GetItem', { Key: k('a') }),
  ),
  onSN(
    'composite key errors',
    get({ pk: S('a') }),
    get({ pk: S('a'), sk: S('1') }),
    get({ pk: S('a'), sk: N('1'), x: N('1') }),
    put({ pk: S('a') }),
    put({ pk: S('a'), sk: N('x') }),
    put({ pk: S('a'), sk: N('1') }),
    get({ sk: N('1'), pk: S('a') }),
  ),
  {
    name: 'binary hash key: empty and long',
    steps: [
      table('B'),
      put({ pk: B('') }),
      put({ pk: B('AAEC') }),
      get({ pk: B('AAEC') }),
      { ...put({ pk: B('not base64!') }), divergence: 'badBase64' },
      put({ pk: { B: 'A'.repeat(2732) } }),
      put({ pk: { B: 'A'.repeat(2736) } }),
    ],
  },
  onS(
    'key sizes: 2048 bytes of hash key, and one more',
    put({ pk: S('x'.repeat(2048)) }),
    put({ pk: S('x'.repeat(2049)) }),
    put({ pk: S('é'.repeat(1024)) }),
    put({ pk: S('é'.repeat(1025)) }),
  ),
  onSN(
    'range key sizes: 1024 bytes, and one more',
    { ...table('S', 'S', {}, '$T2') },
    step('PutItem', { TableName: '$T2', Item: { pk: S('a'), sk: S('x'.repeat(1024)) } }),
    step('PutItem', { TableName: '$T2', Item: { pk: S('a'), sk: S('x'.repeat(1025)) } }),
  ),
];

const values: Case[] = [
  onS(
    'bad attribute values',
    put(item('a', { v: { SS: [] } })),
    put(item('a', { v: { NS: [] } })),
    put(item('a', { v: { BS: [] } })),
    put(item('a', { v: { SS: ['x', 'x'] } })),
    put(item('a', { v: { NS: ['1', '1.0'] } })),
    put(item('a', { v: { BS: ['AA==', 'AA=='] } })),
    put(item('a', { v: { N: 'abc' } })),
    put(item('a', { v: { N: '' } })),
    put(item('a', { v: { N: ' 1' } })),
    put(item('a', { v: { N: '0x10' } })),
    put(item('a', { v: { N: 'Infinity' } })),
    put(item('a', { v: { N: 'NaN' } })),
    put(item('a', { v: { NULL: false } })),
    put(item('a', { v: {} })),
    put(item('a', { v: { S: 'x', N: '1' } })),
    put(item('a', { v: { X: 'x' } })),
    put(item('a', { v: null })),
    put(item('a', { '': S('empty name') })),
    put(item('a', { v: { M: { '': S('x') } } })),
    put(item('a', { v: { L: [{ SS: [] }] } })),
    put(item('a', { v: { M: { x: { N: 'bad' } } } })),
    put(item('a', { v: { S: '' }, w: { B: '' }, x: { SS: [''] } })),
    get(k('a')),
  ),
  onS(
    'numbers: canonical form',
    put(
      item('a', {
        a: N('1.50'),
        b: N('+1'),
        c: N('1e3'),
        d: N('-0'),
        e: N('0.000'),
        f: N('12345678901234567890123456789012345678'),
        g: N('1.2345678901234567890123456789012345678'),
        h: N('-1E-130'),
        i: N('9.9999999999999999999999999999999999999E+125'),
        j: N('00012'),
        k: N('.5'),
        l: N('5.'),
        m: N('1E+2'),
        n: { NS: ['1.0', '2', '3e0'] },
        o: N('100'),
        p: N('0.1e-2'),
      }),
    ),
    get(k('a')),
  ),
  onS(
    'numbers: out of range and too precise',
    put(item('a', { v: N('123456789012345678901234567890123456789') })),
    put(item('a', { v: N('1E+126') })),
    put(item('a', { v: N('1E-131') })),
    put(item('a', { v: N('-1E+126') })),
    put(item('a', { v: N('1.00000000000000000000000000000000000000000000') })),
    put(item('a', { v: N('10000000000000000000000000000000000000000') })),
    put(item('a', { v: { NS: ['1', '1E+200'] } })),
    get(k('a')),
  ),
  onS(
    'item size: 400 KB and one byte more',
    put(item('a', { v: S('x'.repeat(400 * 1024 - 2 - 1 - 1)) })),
    put(item('b', { v: S('x'.repeat(400 * 1024 - 2 - 1 - 1 + 1)) })),
    put(item('c', { v: S('x'.repeat(500 * 1024)) })),
    step('DescribeTable', { TableName: '$T' }),
  ),
  onS(
    'values of a wrong JSON type, bad base64, a 65535-byte name',
    ...[{ L: {} }, { M: [] }, 'plain', { SS: ['x', 1] }, { S: 1 }, { N: 1 }, { BOOL: 'true' }].map((v) =>
      diverges('wrongJsonType', put(item('a', { v }))),
    ),
    diverges('badBase64', put(item('a', { v: { B: '!!' } }))),
    // No GetItem after: DynamoDB Local stored some of the values refused here (`{BOOL: 'true'}`).
    { ...put(item('a', { ['n'.repeat(65535)]: S('x') })), divergence: 'oracleInternalFailure' },
  ),
  onS(
    'attribute names: unicode, __proto__, long',
    put(
      item('a', {
        'é日本🌍': S('1'),
        ['__proto__']: S('p'),
        constructor: N('1'),
        ['n'.repeat(1000)]: S('x'),
      }),
    ),
    get(k('a')),
    diverges('oracleInternalFailure', put(item('b', { ['n'.repeat(65536)]: S('x') }))),
  ),
  onS(
    'string values: unicode, control characters, surrogates',
    put(item('a', { v: S('\u0000\u0001\u001f"\\/\u2028\u{1F600}\uFFFF') })),
    get(k('a')),
    diverges('unpairedSurrogate', put(item('b', { v: S('\uD800') }))),
    diverges('unpairedSurrogate', put(item('\uDBFF'))),
    // Nothing was written under either: DynamoDB Local stored both, apart.
    get(k('a')),
  ),
];

const condItem = item('a', {
  n: N('5'),
  s: S('abcdef'),
  b: B('AAEC'),
  l: { L: [N('1'), S('x')] },
  m: { M: { x: N('1') } },
  ss: { SS: ['x', 'y'] },
  ns: { NS: ['1', '2'] },
  z: { NULL: true },
  t: { BOOL: true },
});
const condValues: Json = {
  ':n': N('5'),
  ':lo': N('1'),
  ':hi': N('10'),
  ':s': S('b'),
  ':abc': S('abc'),
  ':bcd': S('bcd'),
  ':x': S('x'),
  ':one': N('1'),
  ':two': N('2'),
  ':three': N('3'),
  ':six': N('6'),
  ':S': S('S'),
  ':NULL': S('NULL'),
  ':BOOL': S('BOOL'),
  ':bad': S('XX'),
  ':ss': { SS: ['y', 'x'] },
  ':ss2': { SS: ['x'] },
  ':t': { BOOL: true },
  ':z': { NULL: true },
};
/** The values an expression names (DynamoDB refuses unused and empty ExpressionAttributeValues). */
function valuesOf(expr: string): Json {
  const used = Object.entries(condValues).filter(([name]) =>
    new RegExp(`${name}(?![A-Za-z0-9_])`).test(expr),
  );
  return used.length ? { ExpressionAttributeValues: Object.fromEntries(used) } : {};
}

const conditions: Case[] = [
  onS(
    'put: ConditionExpression true and false',
    ...seed(item('a', { v: N('5'), s: S('abc'), l: { L: [N('1')] }, ss: { SS: ['x'] } })),
    put(item('a', { v: N('6') }), {
      ConditionExpression: 'v = :five',
      ExpressionAttributeValues: { ':five': N('5') },
    }),
    put(item('a', { v: N('7') }), {
      ConditionExpression: 'v = :five',
      ExpressionAttributeValues: { ':five': N('5') },
    }),
    put(item('a'), {
      ConditionExpression: 'v = :five',
      ExpressionAttributeValues: { ':five': N('5') },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
    put(item('a'), {
      ConditionExpression: 'v = :five',
      ExpressionAttributeValues: { ':five': N('5') },
      ReturnValuesOnConditionCheckFailure: 'NONE',
    }),
    put(item('a'), { ConditionExpression: 'v = :five', ReturnValuesOnConditionCheckFailure: 'WRONG' }),
    put(item('new'), { ConditionExpression: 'attribute_not_exists(pk)' }),
    put(item('new'), {
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
    put(item('other'), { ConditionExpression: 'attribute_exists(pk)' }),
    get(k('a')),
  ),
  onS(
    'conditions: every function and operator',
    ...seed(condItem),
    ...[
      'n = :n',
      'n <> :n',
      'n < :n',
      'n <= :n',
      'n > :n',
      'n >= :n',
      'n BETWEEN :lo AND :hi',
      'n BETWEEN :hi AND :lo',
      'n IN (:lo, :n, :hi)',
      'n IN (:lo)',
      's = :n',
      's < :s',
      'begins_with(s, :abc)',
      'begins_with(n, :abc)',
      'contains(s, :bcd)',
      'contains(ss, :x)',
      'contains(ns, :n)',
      'contains(l, :x)',
      'contains(l, :one)',
      'size(s) = :six',
      'size(l) = :two',
      'size(m) = :one',
      'size(ss) = :two',
      'size(b) = :three',
      'size(n) = :one',
      'size(nothing) = :one',
      'attribute_type(s, :S)',
      'attribute_type(z, :NULL)',
      'attribute_type(t, :BOOL)',
      'attribute_type(s, :bad)',
      'attribute_exists(m.x)',
      'attribute_exists(l[1])',
      'attribute_exists(l[2])',
      'attribute_not_exists(m.y)',
      'NOT n = :n',
      'n = :n AND s = :abc',
      'n = :n OR s = :abc',
      '(n = :lo OR n = :n) AND NOT (s = :abc)',
      'm.x = :one',
      'l[0] = :one',
      'ss = :ss',
      'ss = :ss2',
      't = :t',
      'z = :z',
      'n = n',
      ':n = :n',
      'nothing = :n',
      'nothing <> :n',
      'nothing < :n',
    ].map((c) =>
      put(condItem, {
        ConditionExpression: c,
        ...valuesOf(c),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        ReturnValues: 'ALL_OLD',
      }),
    ),
  ),
  onS(
    'conditions: errors',
    ...seed(item('a', { n: N('5') })),
    ...[
      { ConditionExpression: 'n = :n' },
      { ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': N('1'), ':unused': N('2') } },
      { ConditionExpression: '#n = :n', ExpressionAttributeValues: { ':n': N('1') } },
      {
        ConditionExpression: 'n = :n',
        ExpressionAttributeValues: { ':n': N('1') },
        ExpressionAttributeNames: { '#unused': 'x' },
      },
      { ConditionExpression: 'n = ', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: 'n == :n', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: 'unknown_fn(n)' },
      { ConditionExpression: 'begins_with(n)' },
      { ConditionExpression: 'attribute_exists(:n)', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: 'size(n)' },
      { ConditionExpression: 'n IN ()' },
      { ConditionExpression: 'n BETWEEN :n', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: '' },
      { ConditionExpression: 'n = :n', ExpressionAttributeValues: {} },
      { ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': { SS: [] } } },
      { ConditionExpression: 'n = :n', ExpressionAttributeValues: { n: N('1') } },
      { ConditionExpression: 'n = #n', ExpressionAttributeNames: { n: 'x' } },
      { ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': N('1') }, Expected: {} },
      { ConditionExpression: 'n.#a[1] = :n', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: 'n[-1] = :n', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: 'n = :n AND', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: '((n = :n)', ExpressionAttributeValues: { ':n': N('1') } },
      { ConditionExpression: 'n < :a', ExpressionAttributeValues: { ':a': { SS: ['x'] } } },
      { ConditionExpression: 'contains(n)' },
      { ConditionExpression: 'attribute_type(n, :t)', ExpressionAttributeValues: { ':t': N('1') } },
    ].map((extra) => put(item('a'), extra)),
    diverges(
      'sizeReserved',
      put(item('a'), { ConditionExpression: 'size = :n', ExpressionAttributeValues: { ':n': N('1') } }),
    ),
    get(k('a')),
  ),
];

/** `levels` maps nested in one another around `inner`: {M: {m: {M: ... inner}}}. */
function maps(levels: number, inner: Json): Json {
  let v = inner;
  for (let i = 0; i < levels; i++) v = { M: { m: v } };
  return v;
}

const updates: Case[] = [
  onS(
    'update: a value put at a deep path nests the item as deep as PutItem allows, and no deeper',
    ...seed(item('a')),
    // 31 levels of maps in all (a value of 30 under x): allowed; one more (under x.m): refused.
    update(k('a'), {
      UpdateExpression: 'SET x = :v',
      ExpressionAttributeValues: { ':v': maps(1, { M: {} }) },
    }),
    update(k('a'), {
      UpdateExpression: 'SET x.m = :v',
      ExpressionAttributeValues: { ':v': maps(29, S('deep')) },
    }),
    update(k('a'), {
      UpdateExpression: 'SET x.m = :v',
      ExpressionAttributeValues: { ':v': maps(30, S('deep')) },
    }),
    update(k('a'), {
      UpdateExpression: 'SET x.m = :v',
      ExpressionAttributeValues: { ':v': maps(30, { M: {} }) },
    }),
    get(k('a')),
  ),
  onS(
    'update: every ReturnValues',
    ...seed(item('a', { v: N('1'), w: S('keep') })),
    ...['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'].map((rv) =>
      update(k('a'), {
        UpdateExpression: 'SET v = v + :one, x = :x',
        ExpressionAttributeValues: { ':one': N('1'), ':x': S(rv) },
        ReturnValues: rv,
      }),
    ),
    update(k('new'), {
      UpdateExpression: 'SET v = :one',
      ExpressionAttributeValues: { ':one': N('1') },
      ReturnValues: 'ALL_OLD',
    }),
    update(k('new2'), {
      UpdateExpression: 'SET v = :one',
      ExpressionAttributeValues: { ':one': N('1') },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), { UpdateExpression: 'REMOVE nothing', ReturnValues: 'UPDATED_OLD' }),
    update(k('a'), { UpdateExpression: 'REMOVE x', ReturnValues: 'UPDATED_OLD' }),
    update(k('a'), {
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': N('1') },
      ReturnValues: 'bad',
    }),
  ),
  onS(
    'update: every clause',
    ...seed(
      item('a', {
        n: N('10'),
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '2'] },
        l: { L: [N('1'), N('2'), N('3')] },
      }),
    ),
    update(k('a'), {
      UpdateExpression: 'SET n = n - :two, s = :s REMOVE l[1] ADD ns :ns, cnt :one DELETE ss :b',
      ExpressionAttributeValues: {
        ':two': N('2'),
        ':s': S('x'),
        ':ns': { NS: ['3'] },
        ':one': N('1'),
        ':b': { SS: ['b', 'zz'] },
      },
      ReturnValues: 'ALL_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'DELETE ss :a',
      ExpressionAttributeValues: { ':a': { SS: ['a'] } },
      ReturnValues: 'ALL_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'ADD newset :s',
      ExpressionAttributeValues: { ':s': { SS: ['q'] } },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), { UpdateExpression: 'ADD n :s', ExpressionAttributeValues: { ':s': { SS: ['q'] } } }),
    update(k('a'), { UpdateExpression: 'ADD s :one', ExpressionAttributeValues: { ':one': N('1') } }),
    update(k('a'), { UpdateExpression: 'ADD l :one', ExpressionAttributeValues: { ':one': N('1') } }),
    update(k('a'), { UpdateExpression: 'DELETE n :one', ExpressionAttributeValues: { ':one': N('1') } }),
    update(k('a'), { UpdateExpression: 'DELETE ss :n', ExpressionAttributeValues: { ':n': { NS: ['1'] } } }),
    update(k('a'), { UpdateExpression: 'ADD m.x :one', ExpressionAttributeValues: { ':one': N('1') } }),
    update(k('a'), { UpdateExpression: 'SET s = s + :one', ExpressionAttributeValues: { ':one': N('1') } }),
    update(k('a'), {
      UpdateExpression: 'SET n = nothing + :one',
      ExpressionAttributeValues: { ':one': N('1') },
    }),
    get(k('a')),
  ),
  onS(
    'update: arithmetic exactness',
    ...seed(item('a', { n: N('99999999999999999999999999999999999999'), d: N('0.1'), neg: N('-5') })),
    update(k('a'), {
      UpdateExpression: 'SET d = d + :d',
      ExpressionAttributeValues: { ':d': N('0.2') },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'SET neg = neg - :d',
      ExpressionAttributeValues: { ':d': N('-5') },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), { UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': N('1') } }),
    update(k('a'), {
      UpdateExpression: 'SET n = n - :big',
      ExpressionAttributeValues: { ':big': N('99999999999999999999999999999999999998') },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'SET e = :a + :b',
      ExpressionAttributeValues: { ':a': N('1E+125'), ':b': N('9E+125') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET e = :a + :b',
      ExpressionAttributeValues: { ':a': N('1E-130'), ':b': N('1E+10') },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(
      k('a'),
      {
        UpdateExpression: 'ADD d :d',
        ExpressionAttributeValues: { ':d': N('-0.3') },
        ReturnValues: 'UPDATED_NEW',
      },
      { divergence: 'updateNumberScale' },
    ),
    update(
      k('a'),
      {
        UpdateExpression: 'SET b = :v, c = :v + :v',
        ExpressionAttributeValues: { ':v': N('1.50') },
        ReturnValues: 'UPDATED_NEW',
      },
      { divergence: 'updateNumberScale' },
    ),
    get(k('a'), {}, { divergence: 'updateNumberScale' }),
  ),
  onS(
    'update: list_append, if_not_exists, nested paths',
    ...seed(
      item('a', {
        l: { L: [N('1')] },
        m: { M: { inr: { M: { x: N('1') } }, list: { L: [{ M: { y: S('y') } }] } } },
      }),
    ),
    update(k('a'), {
      UpdateExpression: 'SET l = list_append(l, :more), l2 = list_append(:more, l)',
      ExpressionAttributeValues: { ':more': { L: [N('2'), N('3')] } },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'SET c = if_not_exists(c, :zero), m.inr.x = if_not_exists(m.inr.x, :zero)',
      ExpressionAttributeValues: { ':zero': N('0') },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'SET m.inr.y = :v, m.list[0].y = :v, m.list[5] = :v, l[1] = :v',
      ExpressionAttributeValues: { ':v': S('set') },
      ReturnValues: 'ALL_NEW',
    }),
    update(k('a'), { UpdateExpression: 'SET m.miss.x = :v', ExpressionAttributeValues: { ':v': S('x') } }),
    update(k('a'), { UpdateExpression: 'SET l[0].x = :v', ExpressionAttributeValues: { ':v': S('x') } }),
    update(k('a'), { UpdateExpression: 'SET m[0] = :v', ExpressionAttributeValues: { ':v': S('x') } }),
    update(k('a'), { UpdateExpression: 'REMOVE l[0], l[2], m.inr', ReturnValues: 'ALL_NEW' }),
    update(k('a'), {
      UpdateExpression: 'SET l = list_append(l, :s)',
      ExpressionAttributeValues: { ':s': S('x') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET l = list_append(nothing, :l)',
      ExpressionAttributeValues: { ':l': { L: [] } },
    }),
    update(k('a'), {
      UpdateExpression: 'SET c = if_not_exists(:zero, c)',
      ExpressionAttributeValues: { ':zero': N('0') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET c = list_append(:l)',
      ExpressionAttributeValues: { ':l': { L: [] } },
    }),
    update(k('a'), { UpdateExpression: 'SET c = size(l)' }),
    get(k('a')),
  ),
  onS(
    'update: overlapping and conflicting paths',
    ...seed(item('a', { m: { M: { x: N('1') } }, l: { L: [N('1'), N('2')] } })),
    update(k('a'), { UpdateExpression: 'SET m = :v, m.x = :v', ExpressionAttributeValues: { ':v': N('1') } }),
    update(k('a'), {
      UpdateExpression: 'SET m.x = :v REMOVE m',
      ExpressionAttributeValues: { ':v': N('1') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET m.x = :v, m.x = :v',
      ExpressionAttributeValues: { ':v': N('1') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET l[0] = :v REMOVE l[0]',
      ExpressionAttributeValues: { ':v': N('1') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET l[0] = :v, l[1] = :v',
      ExpressionAttributeValues: { ':v': N('9') },
      ReturnValues: 'ALL_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'SET #a = :v, #b = :v',
      ExpressionAttributeNames: { '#a': 'q', '#b': 'q' },
      ExpressionAttributeValues: { ':v': N('1') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET m.x = :v, m.y = :v',
      ExpressionAttributeValues: { ':v': N('2') },
      ReturnValues: 'UPDATED_NEW',
    }),
    update(k('a'), { UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': S('b') } }),
    update(k('a'), { UpdateExpression: 'REMOVE pk' }),
    update(k('a'), {
      UpdateExpression: 'SET #k = :v',
      ExpressionAttributeNames: { '#k': 'pk' },
      ExpressionAttributeValues: { ':v': S('a') },
    }),
  ),
  onS(
    'update: reserved words, names and values',
    ...seed(item('a')),
    diverges(
      'sizeReserved',
      update(k('a'), { UpdateExpression: 'SET size = :v', ExpressionAttributeValues: { ':v': N('1') } }),
    ),
    update(k('a'), {
      UpdateExpression: 'SET #size = :v',
      ExpressionAttributeNames: { '#size': 'size' },
      ExpressionAttributeValues: { ':v': N('1') },
      ReturnValues: 'ALL_NEW',
    }),
    update(k('a'), { UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': N('1') } }),
    update(k('a'), { UpdateExpression: 'SET v = :v' }),
    update(k('a'), { UpdateExpression: 'SET #v = :v', ExpressionAttributeValues: { ':v': N('1') } }),
    update(k('a'), {
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': N('1'), ':w': N('2') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeNames: { '#w': 'w' },
      ExpressionAttributeValues: { ':v': N('1') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeNames: {},
      ExpressionAttributeValues: { ':v': N('1') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET #a.#b = :v',
      ExpressionAttributeNames: { '#a': 'x.y', '#b': 'z' },
      ExpressionAttributeValues: { ':v': N('1') },
    }),
    update(k('a'), {
      UpdateExpression: 'SET #a = :v',
      ExpressionAttributeNames: { '#a': 'x.y' },
      ExpressionAttributeValues: { ':v': N('1') },
      ReturnValues: 'ALL_NEW',
    }),
    update(k('a'), {
      UpdateExpression: 'SET #a = :v',
      ExpressionAttributeNames: { '#a': '' },
      ExpressionAttributeValues: { ':v': N('1') },
    }),
  ),
  onS(
    'update: syntax errors',
    ...seed(item('a', { v: N('1') })),
    ...[
      'SET',
      'SET v',
      'SET v =',
      'SET v = :v,',
      'SET v = :v SET w = :v',
      'REMOVE v REMOVE w',
      'ADD v',
      'ADD v :v, w',
      'DELETE v',
      'REMOVE',
      'REMOVE :v',
      'SET v = :v + ',
      'SET v = :v * :v',
      'SET v = (:v)',
      'SET v = :v + :v + :v',
      'UPSERT v = :v',
      'SET v[x] = :v',
      'SET v.1 = :v',
      'SET v = if_not_exists(v)',
      'SET v = unknown(v, :v)',
      'set v = :v',
      '',
      '   ',
      'SET v = :v REMOVE',
      'ADD v.w[0] :v',
      'SET v = :v ADD',
      'SET a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f = :v',
    ].map((e) => update(k('a'), { UpdateExpression: e, ExpressionAttributeValues: { ':v': N('1') } })),
    diverges(
      'legacyWithExpression',
      update(k('a'), {
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': N('1') },
        AttributeUpdates: { w: { Action: 'PUT', Value: N('2') } },
      }),
    ),
    // An empty legacy map is not given: no mix (as DynamoDB Local answers PutItem's `Expected: {}`).
    update(k('a'), {
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': N('1') },
      AttributeUpdates: {},
    }),
    update(k('a'), {}),
    get(k('a')),
  ),
  onS(
    'update: conditions and ReturnValuesOnConditionCheckFailure',
    ...seed(item('a', { v: N('1') })),
    update(k('a'), {
      UpdateExpression: 'SET v = :two',
      ConditionExpression: 'v = :one',
      ExpressionAttributeValues: { ':one': N('1'), ':two': N('2') },
      ReturnValues: 'ALL_OLD',
    }),
    update(k('a'), {
      UpdateExpression: 'SET v = :two',
      ConditionExpression: 'v = :one',
      ExpressionAttributeValues: { ':one': N('1'), ':two': N('2') },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
    update(k('none'), {
      UpdateExpression: 'SET v = :two',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':two': N('2') },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
    get(k('none')),
    del(k('a'), {
      ConditionExpression: 'v = :one',
      ExpressionAttributeValues: { ':one': N('1') },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
    del(k('a'), {
      ConditionExpression: 'v = :two',
      ExpressionAttributeValues: { ':two': N('2') },
      ReturnValues: 'ALL_OLD',
    }),
    get(k('a')),
  ),
  onS(
    'update: item grows past 400 KB',
    ...seed(item('a', { v: S('x'.repeat(300 * 1024)) })),
    update(k('a'), {
      UpdateExpression: 'SET w = :w',
      ExpressionAttributeValues: { ':w': S('y'.repeat(150 * 1024)) },
    }),
    update(k('a'), {
      UpdateExpression: 'SET w = :w',
      ExpressionAttributeValues: { ':w': S('y'.repeat(50 * 1024)) },
    }),
    step('DescribeTable', { TableName: '$T' }),
  ),
];

export const itemCases: Case[] = [...basics, ...values, ...conditions, ...updates];
