// Helpers of the transaction unit tests (src/core/data/transact/*.test.ts).
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { KeySchema } from '../../src/core/data/keySchema.js';
import { DdbError } from '../../src/core/errors.js';

export const n = (text: string) => new NumberValue(text);

export const schemas = new Map<string, KeySchema>([
  ['Orders', { table: 'Orders', partitionKey: { name: 'id', type: 'S' } }],
  [
    'Lines',
    { table: 'Lines', partitionKey: { name: 'order', type: 'S' }, sortKey: { name: 'line', type: 'N' } },
  ],
]);

/** Run `f`, expect a DdbError with `code` whose message is one line, and return the error. */
export function errorOf(f: () => unknown, code?: string): DdbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DdbError);
    const err = e as DdbError;
    if (code) expect(err.code).toBe(code);
    expect(err.message).not.toMatch(/[\r\n]/);
    return err;
  }
  throw new Error('expected an error, got none');
}
