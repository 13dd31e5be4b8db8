import { describe, expect, it } from 'vitest';
import { condition, conditionError, errorOf, n } from '../../../../test/support/expressions.js';
import { compileCondition, Placeholders } from './index.js';

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

  it('names a character outside ASCII whole (never half an emoji) and says how to quote the name', () => {
    const quote = 'a name with characters other than A-Z, a-z, 0-9 and _ goes between backticks, such as';
    expect(conditionError('😀 = 1')).toBe(
      `condition "😀 = 1" at column 1: unexpected character "😀"; ${quote} \`😀\``,
    );
    // Columns count characters as people do: the emoji is one.
    expect(conditionError('`😀` = 1 AND name😀x = 2')).toBe(
      `condition "\`😀\` = 1 AND name😀x = 2" at column 17: unexpected character "😀"; ${quote} \`name😀x\``,
    );
    expect(conditionError('a.é = 1')).toMatch(/column 3: unexpected character "é"; .* such as `é`$/);
    expect(condition('`😀` = 1 AND a.`é` = 2').names).toEqual({ '#n0': '😀', '#n1': 'a', '#n2': 'é' });
    expect(conditionError('😀 = 1')).not.toMatch(/\\u[dD][89abAB]/);
  });

  it('never cuts a long expression inside an emoji', () => {
    for (let pad = 0; pad < 4; pad++) {
      const long = `${' '.repeat(pad)}${'`😀` = 1 AND '.repeat(12)}b =`;
      const message = conditionError(long);
      expect(message).toMatch(/expected a value after '='$/);
      expect(message).not.toMatch(/\\u[dD][89a-fA-F]/);
    }
  });
});
