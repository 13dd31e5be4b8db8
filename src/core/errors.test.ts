import { describe, expect, it } from 'vitest';
import { DdbError, isDdbError } from './errors.js';

describe('isDdbError', () => {
  it('recognises a DdbError from the other build (ESM and CommonJS each have their own class)', () => {
    // The other copy's class: a different constructor that sets the same registry-symbol brand.
    class OtherDdbError extends Error {
      readonly code = 'input.item';
    }
    const other = Object.assign(new OtherDdbError('from the other build'), {
      [Symbol.for('ddbctl.DdbError')]: true,
    });
    expect(isDdbError(other)).toBe(true);
    expect(isDdbError(other, 'input.item')).toBe(true);
    expect(isDdbError(other, 'input.key')).toBe(false);
    expect(other instanceof DdbError).toBe(true);
  });

  it('refuses errors without the brand', () => {
    expect(isDdbError(new Error('x'))).toBe(false);
    expect(isDdbError({ code: 'input.item' })).toBe(false);
    expect(isDdbError(null)).toBe(false);
    expect(new Error('x') instanceof DdbError).toBe(false);
    expect(isDdbError(new DdbError('input.item', { message: 'm' }), 'input.item')).toBe(true);
  });
});
