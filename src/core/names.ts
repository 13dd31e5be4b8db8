import { DdbError } from './errors.js';
import { plural } from './util/plural.js';

// NOTE: DynamoDB's rule for table and index names: 3–255 characters of [a-zA-Z0-9_.-].
const NAME_RE = /^[a-zA-Z0-9_.-]{3,255}$/;

/** Throws input.tableName unless `name` is a valid DynamoDB table (or index) name. */
export function validateTableName(name: string, what: 'table' | 'index' = 'table'): string {
  // A program may pass anything; a regex test would read undefined as the name "undefined".
  if (typeof name !== 'string')
    throw new DdbError('input.tableName', {
      message: `the ${what} name is ${name === null ? 'null' : `a ${typeof name}`}, not a string; pass the ${what}'s name, e.g. "Users"`,
    });
  if (NAME_RE.test(name)) return name;
  const why =
    name.length < 3 || name.length > 255
      ? `it has ${plural(name.length, 'character')} (3–255 allowed)`
      : `it contains ${JSON.stringify(name.match(/[^a-zA-Z0-9_.-]/)?.[0] ?? '')}`;
  throw new DdbError('input.tableName', {
    message: `invalid ${what} name ${JSON.stringify(name)}: ${why}; use 3–255 letters, digits, '_', '-' or '.'`,
  });
}
