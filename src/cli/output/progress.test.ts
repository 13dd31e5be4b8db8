import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../../test/support/fakeIo.js';
import { createProgress, fitLine } from './progress.js';
import { displayWidth } from './text.js';

const terminal = (stderrColumns: number) => fakeIo({ isTTY: true, stderrColumns });

describe('progress lines', () => {
  it('are cut to the width of the terminal, so that redrawing them never leaves copies behind', () => {
    const { io, err } = terminal(40);
    let t = 0;
    const p = createProgress(io, true, () => (t += 1000));
    p.update(`import Users: ${'1,234,567 written, '.repeat(5)}`);
    p.done();
    const shown = err().split('\r\x1b[K').filter(Boolean);
    expect(shown).toHaveLength(1);
    expect(displayWidth(shown[0] ?? '')).toBeLessThan(40);
    expect(shown[0]).toMatch(/…$/);
  });

  it('keep a line that fits, and every character when the width is unknown', () => {
    expect(fitLine('short', 40)).toBe('short');
    expect(fitLine('x'.repeat(100), undefined)).toBe('x'.repeat(100));
    expect(displayWidth(fitLine('日本'.repeat(30), 21))).toBeLessThan(21);
  });

  it('show nothing off a terminal', () => {
    const { io, err } = terminal(40);
    const p = createProgress({ ...io, isTTY: false }, true);
    p.update('x');
    p.done();
    expect(err()).toBe('');
  });
});
