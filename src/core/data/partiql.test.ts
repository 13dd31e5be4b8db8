import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DdbError } from '../errors.js';
import { countPlaceholders, executeStatementInput } from './partiql.js';

function errorOf(f: () => unknown, code: string): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DdbError);
    expect((e as DdbError).code).toBe(code);
    expect((e as DdbError).isUsage).toBe(true);
    return (e as DdbError).message;
  }
  throw new Error('expected an error, got none');
}

describe('countPlaceholders', () => {
  it('counts ? outside \'strings\', "names" and `ion`', () => {
    expect(countPlaceholders('SELECT * FROM "T" WHERE a = ? AND b = ?')).toBe(2);
    expect(countPlaceholders(`SELECT * FROM "wh?t" WHERE a = 'why?' AND b = ?`)).toBe(1);
    expect(countPlaceholders(`SELECT * FROM "T" WHERE a = 'it''s?' AND b = \`{a: "?"}\``)).toBe(0);
    expect(countPlaceholders("INSERT INTO \"T\" VALUE {'id': ?, 'n': ?}")).toBe(2);
  });

  it('skips comments: -- to the end of the line, /* ... */', () => {
    expect(countPlaceholders('SELECT s FROM "T" WHERE p = ? AND s = 1 -- why?')).toBe(1);
    expect(countPlaceholders('SELECT s FROM "T" -- why?\nWHERE p = ?')).toBe(1);
    expect(countPlaceholders('SELECT s FROM "T" WHERE p = ? /* x? */ AND s = ?')).toBe(2);
    expect(countPlaceholders('SELECT s FROM "T" WHERE p = ? /* x? ')).toBe(1);
  });
});

describe('executeStatementInput', () => {
  it('builds the input; Parameters only when given', () => {
    expect(executeStatementInput('SELECT * FROM "T"')).toEqual({ Statement: 'SELECT * FROM "T"' });
    expect(
      executeStatementInput(
        'SELECT * FROM "T" WHERE id = ? AND n > ?',
        { params: ['a', new NumberValue('5')], pageSize: 2, consistent: true },
        'tok',
      ),
    ).toEqual({
      Statement: 'SELECT * FROM "T" WHERE id = ? AND n > ?',
      Parameters: ['a', new NumberValue('5')],
      Limit: 2,
      ConsistentRead: true,
      NextToken: 'tok',
    });
  });

  it('refuses a parameter count that does not match the ? placeholders', () => {
    expect(errorOf(() => executeStatementInput('SELECT * FROM "T" WHERE id = ?'), 'input.expression')).toBe(
      'the statement has 1 ? placeholder but 0 parameters were given: give one --param per ?, in order',
    );
    expect(
      errorOf(() => executeStatementInput('SELECT * FROM "T"', { params: ['a'] }), 'input.expression'),
    ).toMatch(/has 0 \? placeholders but 1 parameter was given/);
  });

  it('refuses an empty or too long statement, bad values and page sizes', () => {
    expect(errorOf(() => executeStatementInput('  '), 'input.expression')).toMatch(/the statement is empty/);
    expect(
      errorOf(() => executeStatementInput(`SELECT * FROM "T" -- ${'x'.repeat(8200)}`), 'input.expression'),
    ).toMatch(/DynamoDB allows 8192/);
    expect(
      errorOf(
        () => executeStatementInput('SELECT * FROM "T" WHERE n = ?', { params: [new NumberValue('1e999')] }),
        'input.item',
      ),
    ).toMatch(/^statement: parameter 1: 1e999 is larger/);
    expect(errorOf(() => executeStatementInput('SELECT * FROM "T"', { pageSize: 0 }), 'input.limit')).toMatch(
      /page size 0/,
    );
  });
});
