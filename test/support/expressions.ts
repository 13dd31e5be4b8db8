// Helpers of the expression compiler's unit tests (src/core/data/expressions/*.test.ts).
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import {
  compileCondition,
  compileUpdate,
  Placeholders,
  type UpdateActions,
} from '../../src/core/data/expressions/index.js';
import { DdbError } from '../../src/core/errors.js';

export const n = (text: string) => new NumberValue(text);

/** Run `f`, expect an input.expression DdbError on one line, and return its message. */
export function errorOf(f: () => unknown): string {
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

export const condition = (text: string) => {
  const ph = new Placeholders();
  return { expression: compileCondition(text, ph), names: ph.names, values: ph.values };
};
export const update = (actions: UpdateActions) => {
  const ph = new Placeholders();
  return { expression: compileUpdate(actions, ph), names: ph.names, values: ph.values };
};
export const conditionError = (text: string) => errorOf(() => compileCondition(text, new Placeholders()));
export const updateError = (actions: UpdateActions) =>
  errorOf(() => compileUpdate(actions, new Placeholders()));
