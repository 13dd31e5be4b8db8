import { describe, expect, it } from 'vitest';
import { errorOf, n } from '../../../../test/support/expressions.js';
import type { ItemValue } from '../codec.js';
import { Placeholders } from './index.js';

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
