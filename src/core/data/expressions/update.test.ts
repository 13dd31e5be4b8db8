import { describe, expect, it } from 'vitest';
import { errorOf, n, update, updateError } from '../../../../test/support/expressions.js';
import { DdbError } from '../../errors.js';
import { buildExpressions, compileUpdate, Placeholders, type UpdateActions } from './index.js';

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
