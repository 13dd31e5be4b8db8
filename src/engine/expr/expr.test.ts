import { describe, expect, it } from 'vitest';
import type { Item } from '../types.js';
import {
  applyUpdate,
  ExprContext,
  evaluate,
  parseCondition,
  parseKeyCondition,
  parseProjection,
  parseUpdate,
  project,
  updatedAttributes,
} from './index.js';
import { ITEM } from './oracle/cases.mjs';

// The item the oracle cases run on (oracle/cases.mjs).
const item = ITEM as Item;

function cond(text: string, values: Record<string, unknown> = {}, names?: Record<string, string>) {
  const ctx = new ExprContext(names, Object.keys(values).length ? values : undefined);
  const c = parseCondition(ctx, text, 'ConditionExpression');
  ctx.finish();
  return (...on: [Item?]) => evaluate(c, on.length ? on[0] : item);
}

function update(text: string, values: Record<string, unknown> = {}, on: Item = item) {
  const ctx = new ExprContext(undefined, Object.keys(values).length ? values : undefined);
  const u = parseUpdate(ctx, text);
  ctx.finish();
  return applyUpdate(u, on);
}

describe('conditions', () => {
  it('compares, with a missing attribute <> anything and ordered against nothing', () => {
    expect(cond('n = :v', { ':v': { N: '5.0' } })()).toBe(true);
    expect(cond('nope <> :v', { ':v': { S: '1' } })()).toBe(true);
    expect(cond('nope < :v', { ':v': { S: '1' } })()).toBe(false);
    expect(cond('n < :s', { ':s': { S: '1' } })()).toBe(false);
    expect(cond('(n) = :s', { ':s': { N: '5' } })()).toBe(true);
  });
  it('size counts UTF-16 units as DynamoDB Local does; size of a number is no value', () => {
    expect(cond('size(s) = :v', { ':v': { N: '5' } })()).toBe(true);
    expect(cond('size(n) = :v', { ':v': { N: '1' } })()).toBe(false);
    expect(cond('NOT size(n) = :v', { ':v': { N: '1' } })()).toBe(true);
  });
  it('functions, nested paths, precedence', () => {
    expect(cond('attribute_exists(m.b.c) AND begins_with(s, :p)', { ':p': { S: 'hé' } })()).toBe(true);
    expect(
      cond('contains(ss, :a) OR n = :x AND n = :y', {
        ':a': { S: 'z' },
        ':x': { N: '5' },
        ':y': { N: '6' },
      })(),
    ).toBe(false);
    expect(cond('l[2] BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '3' } })()).toBe(true);
    expect(cond('#n IN (:a, :b)', { ':a': { N: '1' }, ':b': { N: '5' } }, { '#n': 'n' })()).toBe(true);
    expect(cond('attribute_not_exists(pk)')(undefined)).toBe(true);
  });
  it('refuses as DynamoDB does', () => {
    expect(() => cond('size(x)')).toThrow(
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size',
    );
    expect(() => cond('status = :v', { ':v': { S: '1' } })).toThrow(
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status',
    );
    expect(() => cond('begins_with(n, :n)', { ':n': { N: '1' } })).toThrow(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    expect(() => cond('n BETWEEN :b AND :a', { ':a': { N: '1' }, ':b': { N: '5' } })).toThrow(
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}',
    );
    // DynamoDB Local prints a bound as its request wrote it, a binary as a Java buffer.
    expect(() => cond('n BETWEEN :b AND :a', { ':a': { N: '-5' }, ':b': { N: '5E+0' } })).toThrow(
      'lower bound operand: AttributeValue: {N:5E+0}, upper bound operand: AttributeValue: {N:-5}',
    );
    expect(() => cond('n BETWEEN :b AND :a', { ':a': { B: 'AA==' }, ':b': { B: 'fw==' } })).toThrow(
      'lower bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}, upper bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}',
    );
    expect(() => cond('')).toThrow('Invalid ConditionExpression: The expression can not be empty;');
    expect(() => cond('size = :v', { ':v': { S: '1' } })).toThrow(
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size',
    );
    expect(() => cond('ATTRIBUTE_EXISTS(n)')).toThrow(
      'Invalid ConditionExpression: Invalid function name; function: ATTRIBUTE_EXISTS',
    );
    expect(() => cond('n < :s', { ':s': { SS: ['1'] } })).toThrow(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: SS',
    );
  });
});

describe('context', () => {
  it('refuses bad and unused placeholders with DynamoDB messages', () => {
    expect(() => new ExprContext({}, undefined)).toThrow('ExpressionAttributeNames must not be empty');
    expect(() => new ExprContext({ x: 'y' }, undefined)).toThrow(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "x"',
    );
    expect(() => new ExprContext(undefined, { ':v': { NS: [] } })).toThrow(
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An number set  may not be empty for key :v',
    );
    const ctx = new ExprContext(undefined, { ':v': { S: '1' }, ':w': { S: '2' }, ':z': { S: '3' } });
    parseUpdate(ctx, 'SET x = :v');
    // NOTE: Java HashSet order, as DynamoDB Local printed it.
    expect(() => ctx.finish()).toThrow(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:z, :w}',
    );
  });
});

describe('syntax errors', () => {
  const err = (text: string) => () => update(text, { ':v': { S: '1' } });
  it('quote the token and the text near it', () => {
    expect(err('SET x =')).toThrow('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="');
    expect(err('SET x = :v,')).toThrow('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","');
    expect(err('   ')).toThrow('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "   "');
    expect(err('SET x = @')).toThrow('Invalid UpdateExpression: Syntax error; token: "@", near: "= @"');
    expect(err('SET x.y[a] = :v')).toThrow('Invalid UpdateExpression: Syntax error; token: "a", near: "[a]"');
    expect(err('SET x = :v x')).toThrow('Invalid UpdateExpression: Syntax error; token: "x", near: ":v x"');
    expect(err('SET x = size(n)')).toThrow(
      'Invalid UpdateExpression: The function is not allowed in an update expression; function: size',
    );
    expect(err('SET x = :v REMOVE n SET y = :v')).toThrow(
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    );
    expect(err('SET a = :v, a.b = :v')).toThrow(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
    );
  });
});

describe('updates', () => {
  it('SET arithmetic is exact, list_append, if_not_exists, nested paths', () => {
    const r = update('SET n = n + :a, m.b.c = :s, l = list_append(l, :l), zz = if_not_exists(zz, :a)', {
      ':a': { N: '0.1' },
      ':s': { S: 'x' },
      ':l': { L: [{ BOOL: true }] },
    });
    expect(r.item.n).toEqual({ N: '5.1' });
    expect(r.item.m).toEqual({ M: { a: { N: '1' }, b: { M: { c: { S: 'x' } } } } });
    expect(r.item.l).toEqual({ L: [{ N: '1' }, { S: 'x' }, { N: '3' }, { BOOL: true }] });
    expect(r.item.zz).toEqual({ N: '0.1' });
    expect(item.m).toEqual({ M: { a: { N: '1' }, b: { M: { c: { S: 'deep' } } } } }); // untouched
  });
  it('REMOVE list elements, ADD, DELETE empties a set away', () => {
    const r = update('REMOVE l[0], l[2] ADD n :one, tt :t DELETE ss :ab', {
      ':one': { N: '-5' },
      ':t': { SS: ['c'] },
      ':ab': { SS: ['a', 'b'] },
    });
    expect(r.item.l).toEqual({ L: [{ S: 'x' }] });
    expect(r.item.n).toEqual({ N: '0' });
    expect(r.item.tt).toEqual({ SS: ['c'] });
    expect('ss' in r.item).toBe(false);
    expect([...r.updated]).toEqual(['l', 'n', 'tt', 'ss']);
  });
  it('refuses a precision loss with DynamoDB message', () => {
    expect(() =>
      update('SET n = n + :v', { ':v': { N: '9.9999999999999999999999999999999999999E+125' } }),
    ).toThrow('DynamoDB only supports precision up to 38 digits');
  });
});

describe('projection and key conditions', () => {
  it('projects nested paths and list elements', () => {
    const ctx = new ExprContext(undefined, undefined);
    expect(project(item, parseProjection(ctx, 'l[2], m.b, pk, l[0], nope'))).toEqual({
      pk: { S: 'a' },
      l: { L: [{ N: '1' }, { N: '3' }] },
      m: { M: { b: { M: { c: { S: 'deep' } } } } },
    });
  });
  it('leaves out a nested path that does not resolve, as DynamoDB does (no empty map made up)', () => {
    const ctx = new ExprContext(undefined, undefined);
    const nested: Item = {
      pk: { S: 'a' },
      m: { M: { a: { N: '1' }, b: { M: { c: { N: '1' } } } } },
      l: { L: [{ M: { x: { S: 'y' } } }] },
    };
    const cut = (text: string) => project(nested, parseProjection(ctx, text));
    expect(cut('pk, m.b.cc')).toEqual({ pk: { S: 'a' } });
    expect(cut('pk, m.b.c[0]')).toEqual({ pk: { S: 'a' } });
    expect(cut('pk, m.a.b, l[0].z, l[3]')).toEqual({ pk: { S: 'a' } });
    expect(cut('m.b.cc, m.a')).toEqual({ m: { M: { a: { N: '1' } } } });
    expect(cut('l[0].z, l[0].x')).toEqual({ l: { L: [{ M: { x: { S: 'y' } } }] } });
  });
  it('resolves a key condition', () => {
    const ctx = new ExprContext(undefined, { ':p': { S: 'a' }, ':lo': { N: '1' }, ':hi': { N: '2' } });
    expect(
      parseKeyCondition(ctx, 'pk = :p AND sk BETWEEN :lo AND :hi', {
        hash: { name: 'pk', type: 'S' },
        range: { name: 'sk', type: 'N' },
      }),
    ).toEqual({ pk: { S: 'a' }, sk: { op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] } });
  });
});

describe('ReturnValues UPDATED_OLD / UPDATED_NEW', () => {
  // Answers of DynamoDB Local 3.3.1 to UpdateItem on ITEM.
  const returned = (text: string, values?: Record<string, unknown>) => {
    const ctx = new ExprContext(undefined, values);
    const u = parseUpdate(ctx, text);
    const r = applyUpdate(u, item);
    return { old: updatedAttributes(item, r.paths), new: updatedAttributes(r.item, r.paths) };
  };
  it('returns whole top-level attributes of the paths that exist before / after', () => {
    const nine = { ':n': { N: '9' } };
    expect(returned('SET m.a = :n', nine).new).toEqual({
      m: { M: { a: { N: '9' }, b: { M: { c: { S: 'deep' } } } } },
    });
    expect(returned('SET m.a = :n', nine).old).toEqual({ m: item.m });
    expect(returned('REMOVE m.a')).toEqual({ old: { m: item.m }, new: {} });
    expect(returned('REMOVE l[0]').new).toEqual({ l: { L: [{ S: 'x' }, { N: '3' }] } });
    expect(returned('SET n = :n, q = :n', { ':n': { N: '5' } })).toEqual({
      old: { n: { N: '5' } },
      new: { n: { N: '5' }, q: { N: '5' } },
    });
    expect(returned('SET m.b.x = :n', nine).old).toEqual({});
    expect(returned('REMOVE nope, m.nope')).toEqual({ old: {}, new: {} });
  });
});
