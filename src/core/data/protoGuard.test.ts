import { describe, expect, it } from 'vitest';
import { hasProtoKey } from './protoGuard.js';

describe('hasProtoKey', () => {
  it.each([
    ['{"Item":{"__proto__":{"S":"x"}}}', true],
    ['{"Items":[{"m":{"M":{"__proto__" :\n{"N":"1"}}}}]}', true],
    ['{"Item":{"s":{"S":"__proto__"}}}', false],
    ['{"Item":{"s":{"S":"\\"__proto__\\": text"}}}', false],
    ['{"Item":{"l":{"L":[{"S":"__proto__"},{"S":"__proto__"}]}}}', false],
    ['{"Item":{"__proto__x":{"S":"1"}}}', false],
    ['', false],
  ])('%s → %s', (text, found) => {
    expect(hasProtoKey(Buffer.from(text))).toBe(found);
  });
});
