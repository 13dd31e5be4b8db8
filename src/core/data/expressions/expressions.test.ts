import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DdbError } from '../../errors.js';
import type { ItemValue } from '../codec.js';
import {
  buildExpressions,
  compileCondition,
  compileKeyCondition,
  compileProjection,
  compileUpdate,
  Placeholders,
  parsePath,
  type UpdateActions,
} from './index.js';

const n = (text: string) => new NumberValue(text);

/** Run `f`, expect an input.expression DdbError on one line, and return its message. */
function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DdbError);
    const err = e as DdbError;
    expect(err.code).toBe('input.expression');
    expect(err.isUsage).toBe(true);
    expect(err.message).not.toMatch(/[\r\n]/);
    return err.message;
  }
  throw new Error('expected an error, got none');
}

const condition = (text: string) => {
  const ph = new Placeholders();
  return { expression: compileCondition(text, ph), names: ph.names, values: ph.values };
};
const update = (actions: UpdateActions) => {
  const ph = new Placeholders();
  return { expression: compileUpdate(actions, ph), names: ph.names, values: ph.values };
};
const conditionError = (text: string) => errorOf(() => compileCondition(text, new Placeholders()));
const updateError = (actions: UpdateActions) => errorOf(() => compileUpdate(actions, new Placeholders()));

describe('Placeholders', () => {
  it('reuses one #n placeholder per name and gives every value a fresh :v placeholder', () => {
    const ph = new Placeholders();
    expect(ph.name('status')).toBe('#n0');
    expect(ph.name('data')).toBe('#n1');
    expect(ph.name('status')).toBe('#n0');
    expect(ph.value('a')).toBe(':v0');
    expect(ph.value('a')).toBe(':v1');
    expect(ph.names).toEqual({ '#n0': 'status', '#n1': 'data' });
    expect(ph.values).toEqual({ ':v0': 'a', ':v1': 'a' });
  });

  it('hands out copies', () => {
    const ph = new Placeholders();
    ph.name('a');
    const names = ph.names;
    names['#evil'] = 'x';
    expect(ph.names).toEqual({ '#n0': 'a' });
  });

  it('merges raw placeholders and never generates one that is taken', () => {
    const ph = new Placeholders();
    ph.addRaw({ '#n0': 'taken' }, { ':v0': 1 as unknown as ItemValue });
    expect(ph.name('a')).toBe('#n1');
    expect(ph.value('x')).toBe(':v1');
  });

  it('accepts an identical redefinition, numbers compared by their text', () => {
    const ph = new Placeholders();
    ph.addRaw({ '#a': 'a' }, { ':n': n('1.50'), ':s': new Set(['x', 'y']), ':m': { l: [n('1'), null] } });
    ph.addRaw({ '#a': 'a' }, { ':n': n('1.50'), ':s': new Set(['y', 'x']), ':m': { l: [n('1'), null] } });
    expect(ph.names).toEqual({ '#a': 'a' });
  });

  it('rejects conflicting redefinitions and malformed keys', () => {
    const ph = new Placeholders();
    ph.addRaw({ '#a': 'a' }, { ':n': n('1') });
    expect(errorOf(() => ph.addRaw({ '#a': 'b' }))).toBe(
      'raw name placeholder #a is already defined as "a", cannot redefine it as "b"',
    );
    expect(errorOf(() => ph.addRaw(undefined, { ':n': n('2') }))).toBe(
      'raw value placeholder :n is already defined with another value',
    );
    expect(errorOf(() => ph.addRaw({ a: 'a' }))).toMatch(/raw name placeholder "a" must be '#' followed by/);
    expect(errorOf(() => ph.addRaw(undefined, { v: 'a' }))).toMatch(/raw value placeholder "v" must be ':'/);
    expect(errorOf(() => ph.addRaw({ '#e': '' }))).toMatch(/#e must stand for a non-empty attribute name/);
  });

  it('says when a raw placeholder collides with a generated one', () => {
    const ph = new Placeholders();
    ph.name('a');
    expect(errorOf(() => ph.addRaw({ '#n0': 'b' }))).toMatch(/#nN and :vN are generated placeholders/);
  });

  it('tracks which raw placeholders are used', () => {
    const ph = new Placeholders();
    ph.addRaw({ '#a': 'a', '#b': 'b' }, { ':v': 'v' });
    expect(ph.useRaw('#a')).toBe(true);
    expect(ph.useRaw('#zzz')).toBe(false);
    expect(ph.unusedRaw()).toEqual(['#b', ':v']);
  });
});

describe('compileCondition', () => {
  it('turns every name and value into a placeholder, so reserved words just work', () => {
    expect(condition('name = "ada" AND status <> \'gone\' AND data.size >= 3')).toEqual({
      expression: '#n0 = :v0 AND #n1 <> :v1 AND #n2.#n3 >= :v2',
      names: { '#n0': 'name', '#n1': 'status', '#n2': 'data', '#n3': 'size' },
      values: { ':v0': 'ada', ':v1': 'gone', ':v2': n('3') },
    });
  });

  it('compiles every comparison', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>=']) {
      expect(condition(`a ${op} b`).expression).toBe(`#n0 ${op} #n1`);
      expect(condition(`a${op}1`).expression).toBe(`#n0 ${op} :v0`);
    }
  });

  it('compiles BETWEEN and IN', () => {
    expect(condition('age BETWEEN 18 AND 65')).toEqual({
      expression: '#n0 BETWEEN :v0 AND :v1',
      names: { '#n0': 'age' },
      values: { ':v0': n('18'), ':v1': n('65') },
    });
    expect(condition("status IN ('a', 'b', other)")).toEqual({
      expression: '#n0 IN (:v0, :v1, #n1)',
      names: { '#n0': 'status', '#n1': 'other' },
      values: { ':v0': 'a', ':v1': 'b' },
    });
  });

  it('compiles every function', () => {
    expect(condition('attribute_exists(name)').expression).toBe('attribute_exists(#n0)');
    expect(condition('attribute_not_exists(a.b[2])').expression).toBe('attribute_not_exists(#n0.#n1[2])');
    for (const type of ['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M']) {
      const c = condition(`attribute_type(data, '${type}')`);
      expect(c.expression).toBe('attribute_type(#n0, :v0)');
      expect(c.values).toEqual({ ':v0': type });
    }
    expect(condition('begins_with(sk, "ORDER#")')).toEqual({
      expression: 'begins_with(#n0, :v0)',
      names: { '#n0': 'sk' },
      values: { ':v0': 'ORDER#' },
    });
    expect(condition("contains(tags, 'red')").expression).toBe('contains(#n0, :v0)');
    expect(condition('contains(tags, other)').expression).toBe('contains(#n0, #n1)');
    expect(condition('size(tags) > 2')).toEqual({
      expression: 'size(#n0) > :v0',
      names: { '#n0': 'tags' },
      values: { ':v0': n('2') },
    });
    expect(condition('size(a) BETWEEN size(b) AND 3').expression).toBe('size(#n0) BETWEEN size(#n1) AND :v0');
  });

  it('treats function names as names when they are not called', () => {
    expect(condition('size = 3 AND contains = 1').names).toEqual({ '#n0': 'size', '#n1': 'contains' });
    expect(condition('size(size) > 1')).toMatchObject({
      expression: 'size(#n0) > :v0',
      names: { '#n0': 'size' },
    });
  });

  it('reads keywords and function names in any case', () => {
    expect(condition('a = 1 and b between 1 And 2 or not Attribute_Exists(c) OR x in (1)').expression).toBe(
      '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2 OR NOT attribute_exists(#n2) OR #n3 IN (:v3)',
    );
    expect(condition('SIZE(a) > 1 AND BEGINS_WITH(b, "x")').expression).toBe(
      'size(#n0) > :v0 AND begins_with(#n1, :v1)',
    );
  });

  it('reads names that are keywords where a keyword cannot stand', () => {
    expect(condition('not = 1').names).toEqual({ '#n0': 'not' });
    expect(condition('and = 1 AND or = 2').expression).toBe('#n0 = :v0 AND #n1 = :v1');
    expect(condition('`NOT` = 1 AND `in` = 2').names).toEqual({ '#n0': 'NOT', '#n1': 'in' });
  });

  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    expect(condition('a = 1 OR b = 2 AND c = 3').expression).toBe('#n0 = :v0 OR #n1 = :v1 AND #n2 = :v2');
    expect(condition('(a = 1 OR b = 2) AND c = 3').expression).toBe('(#n0 = :v0 OR #n1 = :v1) AND #n2 = :v2');
    expect(condition('a = 1 AND (b = 2 OR c = 3)').expression).toBe('#n0 = :v0 AND (#n1 = :v1 OR #n2 = :v2)');
    expect(condition('NOT a = 1 AND b = 2').expression).toBe('NOT (#n0 = :v0) AND #n1 = :v1');
    expect(condition('NOT (a = 1 AND b = 2)').expression).toBe('NOT (#n0 = :v0 AND #n1 = :v1)');
    expect(condition('NOT NOT attribute_exists(a)').expression).toBe('NOT (NOT attribute_exists(#n0))');
    expect(condition('((a = 1)) OR ((b = 2 OR c = 3))').expression).toBe(
      '#n0 = :v0 OR #n1 = :v1 OR #n2 = :v2',
    );
    expect(condition('a = 1 AND b = 2 AND c = 3 OR d = 4').expression).toBe(
      '#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 OR #n3 = :v3',
    );
  });

  it('compiles nested paths with indices, reusing one placeholder per name', () => {
    expect(condition('a.b[0].c[1][2] = a.b[3]')).toEqual({
      expression: '#n0.#n1[0].#n2[1][2] = #n0.#n1[3]',
      names: { '#n0': 'a', '#n1': 'b', '#n2': 'c' },
      values: {},
    });
  });

  it('reads names with dashes, dots and spaces between backticks', () => {
    expect(condition('`first-name` = 1 AND `a.b`.`c d` = 2 AND `x\\`y\\\\z` = 3').names).toEqual({
      '#n0': 'first-name',
      '#n1': 'a.b',
      '#n2': 'c d',
      '#n3': 'x`y\\z',
    });
  });

  it('keeps numbers exact', () => {
    const c = condition(
      'a = 12345678901234567890123456789012345678 OR b = -0.5 OR c = 1.5E+125 OR d = 1e-130',
    );
    expect(c.values).toEqual({
      ':v0': n('12345678901234567890123456789012345678'),
      ':v1': n('-0.5'),
      ':v2': n('1.5E+125'),
      ':v3': n('1e-130'),
    });
    expect(condition('a = 007').values).toEqual({ ':v0': n('7') });
    expect(condition('a = 10000000000000000000000000000000000000000000').values[':v0']).toEqual(
      n('10000000000000000000000000000000000000000000'),
    );
  });

  it('reads strings with escapes, booleans and null', () => {
    expect(
      condition('a = \'it\\\'s\' OR b = "say \\"hi\\"\\n" OR c = \'caf\\u00e9\' OR d = ""').values,
    ).toEqual({
      ':v0': "it's",
      ':v1': 'say "hi"\n',
      ':v2': 'café',
      ':v3': '',
    });
    expect(condition('a = true OR b = FALSE OR c = null').values).toEqual({
      ':v0': true,
      ':v1': false,
      ':v2': null,
    });
  });

  it('accepts list, map and set literals', () => {
    expect(condition('a = [1, "x"] OR b = {"k": [true]} OR c = {"$set": ["x", "y"]}').values).toEqual({
      ':v0': [n('1'), 'x'],
      ':v1': { k: [true] },
      ':v2': new Set(['x', 'y']),
    });
  });

  it('passes raw placeholders through when they are defined', () => {
    const ph = new Placeholders();
    ph.addRaw({ '#s': 'status' }, { ':ok': 'ok' });
    expect(compileCondition('#s = :ok AND a.#s = :ok', ph)).toBe('#s = :ok AND #n0.#s = :ok');
    expect(ph.names).toEqual({ '#s': 'status', '#n0': 'a' });
    expect(ph.unusedRaw()).toEqual([]);
  });

  it('names the expression kind it was given', () => {
    expect(errorOf(() => compileCondition('a =', new Placeholders(), 'filter'))).toBe(
      'filter "a =" at column 4: expected a value after \'=\'',
    );
  });
});

describe('condition errors name the column and what was expected', () => {
  it.each([
    ['age >= ', 8, "expected a value after '>='"],
    ['', 1, 'expected a condition'],
    ['   ', 4, 'expected a condition'],
    ['a = 1 AND', 10, "expected a condition after 'AND'"],
    ['a = 1 b', 7, "expected AND, OR or the end of the condition after '1', found 'b'"],
    ['a < b < c', 7, "expected AND, OR or the end of the condition after 'b', found '<'"],
    ['(a = 1', 7, "expected AND, OR or ')' to close the '(' at column 1 after '1'"],
    ['(a = 1))', 8, "expected AND, OR or the end of the condition after ')', found ')'"],
    ['a = 1)', 6, "expected AND, OR or the end of the condition after '1', found ')'"],
    ['a', 2, "expected a comparison (=, <>, <, <=, >, >=), BETWEEN or IN after 'a'"],
    ['a 1', 3, "expected a comparison (=, <>, <, <=, >, >=), BETWEEN or IN after 'a', found '1'"],
    [
      'first-name = 1',
      6,
      "expected a comparison (=, <>, <, <=, >, >=), BETWEEN or IN after 'first', found '-'; a name with dashes, dots or spaces goes between backticks, such as `first-name`",
    ],
    [
      'a NOT IN (1)',
      3,
      "expected a comparison (=, <>, <, <=, >, >=), BETWEEN or IN after 'a', found 'NOT'; put NOT before the whole condition, such as NOT a IN (1, 2)",
    ],
    ['a = = 1', 5, "expected a value after '=', found '='"],
    ['a = -b', 5, "expected a value after '=', found '-'"],
    ['a != 1', 3, "'!=' is not DynamoDB syntax: use '<>'"],
    ['a == 1', 3, "'==' is not DynamoDB syntax: use '='"],
    ['a = 1 && b = 2', 7, "'&&' is not DynamoDB syntax: use AND"],
    ['a = 1 || b = 2', 7, "'||' is not DynamoDB syntax: use OR"],
    ['a @ 1', 3, 'unexpected character "@"'],
    ["a = 'abc", 5, "unterminated string; expected a closing '"],
    ['a = "abc', 5, 'unterminated string; expected a closing "'],
    ['a = "\\q"', 6, "unknown escape '\\q'; use \\\\ for a backslash"],
    ['a = "\\u12"', 6, "expected 4 hex digits after '\\u'"],
    ['`abc = 1', 1, 'unterminated name; expected a closing `'],
    ['`` = 1', 1, 'empty name between backticks'],
    [
      '1abc = 1',
      1,
      "invalid number '1abc'; a name that starts with a digit goes between backticks, such as `1abc`",
    ],
    [
      'a = 1.',
      5,
      "invalid number '1.'; a name that starts with a digit goes between backticks, such as `1.`",
    ],
    ['# = 1', 1, "expected a placeholder name after '#', such as #name"],
    ['a. = 1', 4, "expected a name after '.', found '='"],
    ['a[x] = 1', 3, "expected a list index (a whole number) after '[', found 'x'"],
    ['a[1.5] = 1', 3, "expected a list index (a whole number) after '[', found '1.5'"],
    ['a[1 = 1', 5, "expected ']' to close the list index after '1', found '='"],
    ['a BETWEEN 1 2', 13, "expected AND between the two bounds of BETWEEN after '1', found '2'"],
    ['a IN 1', 6, "expected '(' after 'IN', found '1'"],
    ['a IN ()', 7, "expected a value after '(', found ')'"],
    ['a IN (1, 2', 11, "expected ',' or ')' to close the '(' at column 6 after '2'"],
    [
      'foo(a) = 1',
      1,
      "unknown function 'foo'; a condition can use attribute_exists, attribute_not_exists, attribute_type, begins_with, contains and size",
    ],
    [
      'a = if_not_exists(b, 1)',
      5,
      "unknown function 'if_not_exists'; a condition can use attribute_exists, attribute_not_exists, attribute_type, begins_with, contains and size",
    ],
    ['attribute_exists(a, b)', 19, "expected ')' (attribute_exists takes one path) after 'a', found ','"],
    [
      'attribute_exists()',
      18,
      "expected an attribute path as the first argument of attribute_exists after '(', found ')'",
    ],
    [
      "attribute_exists('a')",
      18,
      "expected an attribute path as the first argument of attribute_exists after '(', found 'a'",
    ],
    ['begins_with(a)', 14, "expected ',' and a second argument of begins_with after 'a', found ')'"],
    ['begins_with(a, 1)', 16, "begins_with takes a string (or binary) prefix, such as 'abc'"],
    ['contains(a, 1, 2)', 14, "expected ')' (contains takes two arguments) after '1', found ','"],
    [
      "attribute_type(a, 'X')",
      19,
      "attribute_type takes a type: one of 'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'",
    ],
    [
      'attribute_type(a, b)',
      19,
      "attribute_type takes a type: one of 'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'",
    ],
    ['size(a, b) > 1', 7, "expected ')' (size takes one path) after 'a', found ','"],
    [
      'a = 123456789012345678901234567890123456789',
      5,
      'number 123456789012345678901234567890123456789 has 39 significant digits; DynamoDB keeps at most 38',
    ],
    ['a = 1E126', 5, 'number 1E126 is too large; DynamoDB numbers go up to 9.99…E+125'],
    ['a = -0.1e-130', 5, 'number -0.1e-130 is too small; DynamoDB numbers go down to 1E-130'],
    ['a = [1, 2', 10, "expected ',' or ']' to close the list at column 5 after '2'"],
    ['a = {"k" 1}', 10, "expected ':' after \"k\", found '1'"],
    ['a = {k: 1}', 6, "expected a quoted key after '{', found 'k'"],
    ['a = {"k": 1, "k": 2}', 14, 'duplicate key "k"'],
    [
      'a = {"$set": []}',
      5,
      'value: "$set" needs a non-empty array (DynamoDB has no empty sets; remove the attribute instead)',
    ],
    ['a = #x', 5, 'placeholder #x is not defined: define it in the raw names'],
    ['a = :x', 5, 'placeholder :x is not defined: define it in the raw values'],
  ])('%j → column %i', (text, column, why) => {
    expect(conditionError(text)).toBe(`condition ${JSON.stringify(text)} at column ${column}: ${why}`);
  });

  it('caps IN at 100 values, pointing at the 101st', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    expect(condition(`a IN (${values.join(', ')})`).expression).toMatch(/^#n0 IN \(:v0, .*:v99\)$/);
    const text = `a IN (${[...values, 100].join(',')})`;
    expect(conditionError(text)).toMatch(
      new RegExp(
        `at column ${text.indexOf(',100)') + 2}: IN takes at most 100 values \\(a DynamoDB limit\\); split it with OR$`,
      ),
    );
  });

  it('caps path depth at 32 levels', () => {
    const deep = Array.from({ length: 32 }, (_, i) => `a${i}`).join('.');
    expect(condition(`${deep} = 1`).expression).toMatch(/^#n0\.#n1\..*#n31 = :v0$/);
    expect(
      condition(
        'a[0][1][2][3][4][5][6][7][8][9][10][11][12][13][14][15][16][17][18][19][20][21][22][23][24][25][26][27][28][29][30] = 1',
      ).expression,
    ).toMatch(/\[30\] = :v0$/);
    expect(conditionError(`${deep}[0] = 1`)).toMatch(
      new RegExp(
        `at column ${deep.length + 1}: the path is nested deeper than DynamoDB's limit of 32 levels$`,
      ),
    );
  });

  it('caps the compiled expression at 4 KB', () => {
    const ok = Array.from({ length: 200 }, () => 'a = 1').join(' OR ');
    expect(condition(ok).expression.length).toBeLessThanOrEqual(4096);
    const tooLong = Array.from({ length: 400 }, () => 'a = 1').join(' OR ');
    expect(conditionError(tooLong)).toMatch(
      /^condition is \d+ bytes once compiled; DynamoDB allows at most 4096 bytes \(4 KB\) per expression/,
    );
  });

  it('keeps the message on one line for multi-line input, and cuts long input around the column', () => {
    expect(conditionError('a = 1\nAND')).toBe(
      'condition "a = 1\\nAND" at column 10: expected a condition after \'AND\'',
    );
    const long = `${'a = 1 AND '.repeat(20)}b =`;
    const message = conditionError(long);
    expect(message).toMatch(/^condition "….*b =" at column 204: expected a value after '='$/);
    expect(message.length).toBeLessThan(200);
  });
});

describe('compileKeyCondition', () => {
  const key = (text: string) => {
    const ph = new Placeholders();
    return { expression: compileKeyCondition(text, ph), names: ph.names, values: ph.values };
  };
  const keyError = (text: string) => errorOf(() => compileKeyCondition(text, new Placeholders()));

  it('compiles a partition key and one sort key condition, reserved words included', () => {
    expect(key('name = "ada"')).toEqual({
      expression: '#n0 = :v0',
      names: { '#n0': 'name' },
      values: { ':v0': 'ada' },
    });
    expect(key('pk = 1 AND data BETWEEN 1 AND 9').expression).toBe('#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2');
    expect(key('begins_with(sk, "A") AND pk = 1').expression).toBe('begins_with(#n0, :v0) AND #n1 = :v1');
    for (const op of ['=', '<', '<=', '>', '>='])
      expect(key(`pk = 1 AND sk ${op} 2`).expression).toBe(`#n0 = :v0 AND #n1 ${op} :v1`);
    const ph = new Placeholders();
    ph.addRaw({ '#pk': 'pk' }, { ':pk': 'x' });
    expect(compileKeyCondition('#pk = :pk', ph)).toBe('#pk = :pk');
  });

  it.each([
    [
      'pk = 1 OR sk = 2',
      8,
      'OR is not allowed here: a key condition is the partition key with = AND at most one sort key condition',
    ],
    [
      'pk = 1 AND sk = 2 AND x = 3',
      19,
      'a key condition has at most two parts: the partition key with = AND one sort key condition',
    ],
    ['pk = 1 AND sk <> 2', 15, "'<>' is not allowed in a key condition: use a filter"],
    ['pk = 1 AND sk IN (1, 2)', 12, 'IN is not allowed in a key condition: use a filter'],
    ['pk = 1 AND NOT sk = 2', 12, 'NOT is not allowed in a key condition: use a filter'],
    [
      'pk = 1 AND contains(sk, "a")',
      12,
      'contains is not allowed in a key condition (only begins_with): use a filter',
    ],
    [
      'pk = 1 AND size(sk) > 2',
      12,
      'a key condition compares a key attribute (a top-level name): put it on the left',
    ],
    ['a.b = 1', 1, 'a key condition compares a key attribute (a top-level name): put it on the left'],
    ['1 = pk', 1, 'a key condition compares a key attribute (a top-level name): put it on the left'],
    ['pk = sk', 6, 'a key condition compares a key with a value'],
    ['pk > 1', 1, 'a key condition needs the partition key compared with =, such as pk = 1'],
  ])('%j → column %i', (text, column, why) => {
    expect(keyError(text)).toBe(`key condition ${JSON.stringify(text)} at column ${column}: ${why}`);
  });
});

describe('compileProjection', () => {
  const projection = (list: string) => {
    const ph = new Placeholders();
    return { expression: compileProjection(list, ph), names: ph.names };
  };

  it('compiles paths, reserved words and backticks', () => {
    expect(projection('name, status,data.size[0], `a,b`, list[1], list[2]')).toEqual({
      expression: '#n0, #n1, #n2.#n3[0], #n4, #n5[1], #n5[2]',
      names: { '#n0': 'name', '#n1': 'status', '#n2': 'data', '#n3': 'size', '#n4': 'a,b', '#n5': 'list' },
    });
  });

  it.each([
    ['', 1, 'expected an attribute path'],
    ['a,', 3, "expected an attribute path after ','"],
    ['a,,b', 3, "expected an attribute path after ',', found ','"],
    ['a b', 3, "expected ',' or the end of the list after 'a', found 'b'"],
    ['a, a', 4, 'path a appears twice; DynamoDB rejects a projection that names a path twice: keep one'],
    [
      'a.b, a',
      6,
      'path a overlaps a.b; DynamoDB rejects a projection with overlapping paths: keep only one of them',
    ],
    [
      'a[0], a.b',
      7,
      'path a.b conflicts with a[0]; DynamoDB rejects a projection with overlapping paths: keep only one of them',
    ],
    ["'a'", 1, "expected an attribute path, found 'a'"],
  ])('%j → column %i', (text, column, why) => {
    expect(errorOf(() => compileProjection(text, new Placeholders()))).toBe(
      `projection ${JSON.stringify(text)} at column ${column}: ${why}`,
    );
  });
});

describe('compileUpdate', () => {
  it('compiles SET forms with reserved words', () => {
    expect(
      update({
        set: [
          'name = "ada"',
          'count = count + 1',
          'stock=stock-1',
          'c = if_not_exists(c, 0)',
          "l = list_append(l, ['x'])",
          'data.size = other.size',
        ],
      }),
    ).toEqual({
      expression:
        'SET #n0 = :v0, #n1 = #n1 + :v1, #n2 = #n2 - :v2, #n3 = if_not_exists(#n3, :v3), #n4 = list_append(#n4, :v4), #n5.#n6 = #n7.#n6',
      names: {
        '#n0': 'name',
        '#n1': 'count',
        '#n2': 'stock',
        '#n3': 'c',
        '#n4': 'l',
        '#n5': 'data',
        '#n6': 'size',
        '#n7': 'other',
      },
      values: { ':v0': 'ada', ':v1': n('1'), ':v2': n('1'), ':v3': n('0'), ':v4': ['x'] },
    });
  });

  it('reads JSON values exactly, with sets and negative numbers', () => {
    expect(
      update({
        set: [
          'm = {"a": 12345678901234567890123456789012345678, "b": [1.50, {"c": null}]}',
          's = {"$set": [1, 2]}',
          'b = {"$binary": "AAE="}',
          'x = -5',
          'y = x + -5',
          'e = []',
          't = {"$map": {"$set": ["a"]}}',
        ],
      }).values,
    ).toEqual({
      ':v0': { a: n('12345678901234567890123456789012345678'), b: [n('1.50'), { c: null }] },
      ':v1': new Set([n('1'), n('2')]),
      ':v2': new Uint8Array([0, 1]),
      ':v3': n('-5'),
      ':v4': n('-5'),
      ':v5': [],
      ':v6': { $set: ['a'] },
    });
  });

  it('refuses binary that is not strict base64, naming the column', () => {
    expect(() => update({ set: ['b = {"$binary": "AA!E="}'] })).toThrow(
      /at column 5: value: "\$binary": "AA!E=" is not base64/,
    );
  });

  it('nests if_not_exists and list_append', () => {
    expect(
      update({ set: ['n = if_not_exists(n, 0) + 1', 'l = list_append(if_not_exists(l, []), [1])'] })
        .expression,
    ).toBe('SET #n0 = if_not_exists(#n0, :v0) + :v1, #n1 = list_append(if_not_exists(#n1, :v2), :v3)');
  });

  it('groups every kind into one SET ... REMOVE ... ADD ... DELETE expression', () => {
    expect(
      update({
        delete: ['tags {"$set": ["old"]}'],
        add: ['count 1', 'seen = {"$set": ["x"]}'],
        remove: ['status', 'data.list[0]'],
        set: ['name = "ada"'],
        append: ['log = "event"', 'items = [1, 2]'],
        setIfNotExists: ['created = 1700000000'],
      }),
    ).toEqual({
      expression:
        'SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1), #n2 = list_append(if_not_exists(#n2, :v2), :v3), #n3 = list_append(if_not_exists(#n3, :v4), :v5) REMOVE #n4, #n5.#n6[0] ADD #n7 :v6, #n8 :v7 DELETE #n9 :v8',
      names: {
        '#n0': 'name',
        '#n1': 'created',
        '#n2': 'log',
        '#n3': 'items',
        '#n4': 'status',
        '#n5': 'data',
        '#n6': 'list',
        '#n7': 'count',
        '#n8': 'seen',
        '#n9': 'tags',
      },
      values: {
        ':v0': 'ada',
        ':v1': n('1700000000'),
        ':v2': [],
        ':v3': ['event'],
        ':v4': [],
        ':v5': [n('1'), n('2')],
        ':v6': n('1'),
        ':v7': new Set(['x']),
        ':v8': new Set(['old']),
      },
    });
  });

  it('reads several actions of one kind in one entry', () => {
    expect(update({ set: ['a = 1, b = list_append(b, [1, 2])'], remove: ['c, d[1]'] }).expression).toBe(
      'SET #n0 = :v0, #n1 = list_append(#n1, :v1) REMOVE #n2, #n3[1]',
    );
  });

  it('lets different elements of one list be updated together', () => {
    expect(update({ set: ['l[0] = 1'], remove: ['l[1]'] }).expression).toBe('SET #n0[0] = :v0 REMOVE #n0[1]');
  });

  it('passes raw placeholders through and resolves them to find overlaps', () => {
    const ph = new Placeholders();
    ph.addRaw({ '#s': 'status' }, { ':one': n('1') });
    expect(compileUpdate({ set: ['#s = :one'], add: ['n :one'], append: ['l = :one'] }, ph)).toBe(
      'SET #s = :one, #n0 = list_append(if_not_exists(#n0, :v0), :one) ADD #n1 :one',
    );
    const ph2 = new Placeholders();
    ph2.addRaw({ '#s': 'status' });
    expect(errorOf(() => compileUpdate({ set: ['#s = 1'], remove: ['status'] }, ph2))).toBe(
      'update remove "status" at column 1: path status appears twice, also in update set "#s = 1"; DynamoDB rejects an update that names a path twice: keep one',
    );
  });

  it('rejects an empty update', () => {
    expect(updateError({})).toBe(
      'update: nothing to update; give at least one set, remove, add, delete, append or setIfNotExists action',
    );
    expect(updateError({ set: [], remove: [] })).toMatch(/^update: nothing to update/);
  });

  it('caps the compiled update at 4 KB', () => {
    const set = Array.from({ length: 400 }, (_, i) => `a${i} = ${i}`);
    expect(updateError({ set })).toMatch(
      /^update expression is \d+ bytes once compiled; DynamoDB allows at most 4096 bytes/,
    );
  });

  it.each<[UpdateActions, string]>([
    [
      { set: ['a = 1'], remove: ['a'] },
      'update remove "a" at column 1: path a appears twice, also in update set "a = 1"; DynamoDB rejects an update that names a path twice: keep one',
    ],
    [
      { set: ['a = 1, a = 2'] },
      'update set "a = 1, a = 2" at column 8: path a appears twice; DynamoDB rejects an update that names a path twice: keep one',
    ],
    [
      { set: ['a.b = 1'], remove: ['a'] },
      'update remove "a" at column 1: path a overlaps a.b (in update set "a.b = 1"); DynamoDB rejects an update with overlapping paths: keep only one of them',
    ],
    [
      { remove: ['a'], add: ['a.b 1'] },
      'update add "a.b 1" at column 1: path a.b overlaps a (in update remove "a"); DynamoDB rejects an update with overlapping paths: keep only one of them',
    ],
    [
      { set: ['a[0] = 1', 'a.b = 2'] },
      'update set "a.b = 2" at column 1: path a.b conflicts with a[0] (in update set "a[0] = 1"); DynamoDB rejects an update with overlapping paths: keep only one of them',
    ],
    [{ set: ['a = '] }, 'update set "a = " at column 5: expected a value after \'=\''],
    [{ set: ['a 1'] }, "update set \"a 1\" at column 3: expected '=' after 'a', found '1'"],
    [
      { set: ['first-name = 1'] },
      "update set \"first-name = 1\" at column 6: expected '=' after 'first', found '-'; a name with dashes, dots or spaces goes between backticks, such as `first-name`",
    ],
    [
      { set: ['a = 1 + 2 + 3'] },
      "update set \"a = 1 + 2 + 3\" at column 11: expected ',' or the end of the set action after '2', found '+'; DynamoDB allows one + or - per SET action",
    ],
    [
      { set: ['a = b c'] },
      "update set \"a = b c\" at column 7: expected ',' or the end of the set action after 'b', found 'c'",
    ],
    [
      { set: ['a = a + "x"'] },
      'update set "a = a + \\"x\\"" at column 9: \'+\' works on numbers; to add to a list use list_append, to a set use ADD',
    ],
    [
      { set: ['a = list_append(a, "x")'] },
      'update set "a = list_append(a, \\"x\\")" at column 20: list_append takes lists: wrap a single value in [ ], such as [\'x\']',
    ],
    [
      { set: ['a = if_not_exists(1, 2)'] },
      "update set \"a = if_not_exists(1, 2)\" at column 19: expected an attribute path as the first argument of if_not_exists after '(', found '1'",
    ],
    [
      { set: ['a = if_not_exists(a)'] },
      "update set \"a = if_not_exists(a)\" at column 20: expected ',' and the value to use when the path does not exist after 'a', found ')'",
    ],
    [
      { set: ['a = size(b)'] },
      'update set "a = size(b)" at column 5: unknown function \'size\'; an update value can use if_not_exists and list_append',
    ],
    [{ set: ['a = [1,'] }, 'update set "a = [1," at column 8: expected a value after \',\''],
    [
      { add: ['n "x"'] },
      'update add "n \\"x\\"" at column 3: ADD takes a number or a set, such as 1 or {"$set":["a"]}',
    ],
    [{ add: ['n'] }, 'update add "n" at column 2: expected a value after \'n\''],
    [
      { add: ['n other'] },
      "update add \"n other\" at column 3: expected a value after 'n', found 'other'; quote text: 'other'",
    ],
    [
      { delete: ['s 1'] },
      'update delete "s 1" at column 3: DELETE takes a set of the elements to remove, such as {"$set":["a"]}',
    ],
    [
      { delete: ['s = ["a"]'] },
      'update delete "s = [\\"a\\"]" at column 5: DELETE takes a set of the elements to remove, such as {"$set":["a"]}',
    ],
    [
      { remove: ['a = 1'] },
      "update remove \"a = 1\" at column 3: expected ',' or the end of the remove action after 'a', found '='",
    ],
    [{ remove: [''] }, 'update remove "" at column 1: expected an attribute path'],
    [{ append: ['l'] }, "update append \"l\" at column 2: expected '=' after 'l'"],
    [
      { setIfNotExists: ['c = other'] },
      "update setIfNotExists \"c = other\" at column 5: expected a value after '=', found 'other'; quote text: 'other'",
    ],
    [
      { set: ['a = :x'] },
      'update set "a = :x" at column 5: placeholder :x is not defined: define it in the raw values',
    ],
  ])('%j', (actions, message) => {
    expect(updateError(actions)).toBe(message);
  });
});

describe('parsePath', () => {
  it('splits names, indices, backticked names and raw placeholders', () => {
    expect(parsePath('a.b[0].`c.d e`[12].#x')).toEqual([
      { kind: 'name', name: 'a' },
      { kind: 'name', name: 'b' },
      { kind: 'index', index: 0 },
      { kind: 'name', name: 'c.d e' },
      { kind: 'index', index: 12 },
      { kind: 'placeholder', placeholder: '#x' },
    ]);
    expect(parsePath('  status  ')).toEqual([{ kind: 'name', name: 'status' }]);
  });

  it.each([
    ['', 1, 'expected an attribute path'],
    ['a.', 3, "expected a name after '.'"],
    ['a b', 3, "expected the end of the path after 'a', found 'b'"],
    ['a [0]', 3, "expected the end of the path after 'a', found '['"],
    [
      'a-b',
      2,
      "expected the end of the path after 'a', found '-'; a name with dashes, dots or spaces goes between backticks, such as `first-name`",
    ],
    ['[0]', 1, "expected an attribute path, found '['"],
    ['a[]', 3, "expected a list index (a whole number) after '[', found ']'"],
  ])('%j → column %i', (text, column, why) => {
    expect(errorOf(() => parsePath(text))).toBe(`path ${JSON.stringify(text)} at column ${column}: ${why}`);
  });
});

describe('buildExpressions', () => {
  it('shares one set of placeholders across every expression of a request', () => {
    expect(
      buildExpressions({
        keyCondition: 'pk = "u#1"',
        filter: 'status = "active" AND size(tags) > 1',
        projection: 'name, status, tags',
      }),
    ).toEqual({
      KeyConditionExpression: '#n0 = :v0',
      FilterExpression: '#n1 = :v1 AND size(#n2) > :v2',
      ProjectionExpression: '#n3, #n1, #n2',
      ExpressionAttributeNames: { '#n0': 'pk', '#n1': 'status', '#n2': 'tags', '#n3': 'name' },
      ExpressionAttributeValues: { ':v0': 'u#1', ':v1': 'active', ':v2': n('1') },
    });
  });

  it('builds a conditional update with raw placeholders', () => {
    expect(
      buildExpressions({
        condition: 'attribute_exists(pk) AND #v = :expected',
        update: { set: ['#v = :next', 'data = "x"'] },
        rawNames: { '#v': 'version' },
        rawValues: { ':expected': n('1'), ':next': n('2') },
      }),
    ).toEqual({
      ConditionExpression: 'attribute_exists(#n0) AND #v = :expected',
      UpdateExpression: 'SET #v = :next, #n1 = :v0',
      ExpressionAttributeNames: { '#v': 'version', '#n0': 'pk', '#n1': 'data' },
      ExpressionAttributeValues: { ':expected': n('1'), ':next': n('2'), ':v0': 'x' },
    });
  });

  it('leaves out empty maps and absent expressions', () => {
    expect(buildExpressions({})).toEqual({});
    expect(buildExpressions({ projection: 'a' })).toEqual({
      ProjectionExpression: '#n0',
      ExpressionAttributeNames: { '#n0': 'a' },
    });
    expect(buildExpressions({ condition: 'attribute_exists(#a)', rawNames: { '#a': 'a' } })).toEqual({
      ConditionExpression: 'attribute_exists(#a)',
      ExpressionAttributeNames: { '#a': 'a' },
    });
  });

  it('labels each expression in its errors', () => {
    expect(errorOf(() => buildExpressions({ filter: 'a =' }))).toMatch(/^filter "a =" at column 4: /);
    expect(errorOf(() => buildExpressions({ keyCondition: 'a =' }))).toMatch(
      /^key condition "a =" at column 4: /,
    );
    expect(errorOf(() => buildExpressions({ projection: 'a,' }))).toMatch(/^projection "a," at column 3: /);
    expect(errorOf(() => buildExpressions({ condition: '' }))).toMatch(/^condition "" at column 1: /);
  });

  it('rejects raw placeholders that are undefined or unused', () => {
    expect(errorOf(() => buildExpressions({ condition: '#a = 1' }))).toBe(
      'condition "#a = 1" at column 1: placeholder #a is not defined: define it in the raw names',
    );
    expect(
      errorOf(() =>
        buildExpressions({ condition: 'a = 1', rawNames: { '#x': 'x' }, rawValues: { ':y': 'y' } }),
      ),
    ).toBe(
      'placeholder #x, :y is defined but no expression uses it; DynamoDB rejects unused placeholders: use it or leave it out',
    );
  });

  it('rejects overlapping update paths across kinds', () => {
    expect(errorOf(() => buildExpressions({ update: { add: ['n 1'], setIfNotExists: ['n = 0'] } }))).toMatch(
      /^update add "n 1" at column 1: path n appears twice, also in update setIfNotExists "n = 0"/,
    );
  });
});

describe('an update writing an attribute named "__proto__"', () => {
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DdbError);
      expect((e as DdbError).code).toBe('input.expression');
      return (e as DdbError).message;
    }
    throw new Error('not refused');
  };
  const PROBLEM = 'an attribute named "__proto__" cannot be written through the AWS SDK for JavaScript';

  it('is refused by name, by #placeholder, nested, in SET, ADD, DELETE, append and if-not-exists', () => {
    const cases: [UpdateActions, Record<string, string>?][] = [
      [{ set: ['`__proto__` = 5'] }],
      [{ set: ['m.`__proto__` = 5'] }],
      [{ set: ['a = 1, #p = 2'] }, { '#p': '__proto__' }],
      [{ add: ['#p 1'] }, { '#p': '__proto__' }],
      [{ delete: ['`__proto__` {"$set":["a"]}'] }],
      [{ append: ['`__proto__` = 1'] }],
      [{ setIfNotExists: ['`__proto__` = 1'] }],
    ];
    for (const [update, rawNames] of cases) {
      expect(refused(() => buildExpressions({ update, ...(rawNames ? { rawNames } : {}) }))).toContain(
        PROBLEM,
      );
    }
  });

  it('is refused in a raw expression outside REMOVE, bare or by #placeholder', () => {
    const names = { '#p': '__proto__' };
    expect(
      refused(() =>
        buildExpressions({ rawUpdate: 'SET a = :v, #p = :v', rawNames: names, rawValues: { ':v': 'x' } }),
      ),
    ).toMatch(/^update expression "SET a = :v, #p = :v" at column 13: an attribute named "__proto__"/);
    expect(
      refused(() => buildExpressions({ rawUpdate: 'set a = :v add __proto__ :v', rawValues: { ':v': 'x' } })),
    ).toContain(PROBLEM);
  });

  it('may be removed; a value placeholder of that name is no attribute', () => {
    expect(buildExpressions({ update: { remove: ['`__proto__`'] } }).UpdateExpression).toBe('REMOVE #n0');
    expect(
      buildExpressions({
        rawUpdate: 'SET a = :__proto__ REMOVE #p',
        rawNames: { '#p': '__proto__' },
        rawValues: { ':__proto__': 'x' },
      }).UpdateExpression,
    ).toBe('SET a = :__proto__ REMOVE #p');
  });
});
