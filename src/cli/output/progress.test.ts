import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../../test/support/fakeIo.js';
import { createProgress, fitLine, line, runRate } from './progress.js';
import { displayWidth } from './text.js';

const terminal = (stderrColumns: number) => fakeIo({ isTTY: true, stderrColumns });

/** A clock that moves only when told. */
function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('progress lines', () => {
  it('are cut to the width of the terminal, so that redrawing them never leaves copies behind', () => {
    const { io, err } = terminal(40);
    let t = 0;
    const p = createProgress({ io, clock: { now: () => (t += 1000) } });
    p.update('import Users', ['1,234,567 written'.repeat(5)]);
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

  it('show nothing off a terminal, or with -q', () => {
    for (const [io, quiet] of [
      [{ ...terminal(40).io, isTTY: false }, false],
      [terminal(40).io, true],
    ] as const) {
      const p = createProgress({ io }, { quiet });
      expect(p.enabled).toBe(false);
      p.update('x', ['1 written']);
      p.done();
    }
    const { io, err } = terminal(80);
    const p = createProgress({ io: { ...io, isTTY: false } });
    p.update('x', ['1 written']);
    p.done();
    expect(err()).toBe('');
  });

  it('read "label: part, part", the rate and ETA measured by the clock given, at most 5 times a second', () => {
    const clock = fakeClock();
    const { io, err } = terminal(200);
    const p = createProgress({ io, clock });
    clock.advance(2000);
    p.update('copy A → B', ['100 of ~400 items (25%) written', false, '0 retried'], {
      items: 100,
      fraction: 0.25,
    });
    clock.advance(100);
    p.update('copy A → B', ['too soon'], { items: 150 });
    clock.advance(1900);
    p.update('truncate T', ['7 deleted']);
    p.done();
    expect(err()).toBe(
      '\r\x1b[Kcopy A → B: 100 of ~400 items (25%) written, 0 retried, 50 items/s ETA 6 s' +
        '\r\x1b[Ktruncate T: 7 deleted\r\x1b[K',
    );
    expect(p.seconds()).toBe(4);
  });
});

describe('summary lines', () => {
  it('are written in every mode: with -q and off a terminal too', () => {
    for (const quiet of [false, true]) {
      const { io, err } = fakeIo();
      const p = createProgress({ io }, { quiet });
      p.summary('import T', ['3 written', '0 rejected', runRate(3, 1.5)]);
      p.summary('', ['written 3', 'retried 0']);
      expect(err()).toBe(
        'ddbctl: import T: 3 written, 0 rejected, 1.5 s, 2 items/s\nddbctl: written 3, retried 0\n',
      );
    }
  });

  it('give the rate of a run that took no measurable time as all its items', () => {
    expect(runRate(12345, 0)).toBe('0.0 s, 12,345 items/s');
    expect(runRate(12345, 2)).toBe('2.0 s, 6,173 items/s');
    expect(line('x', [null, undefined, '', 'a'])).toBe('x: a');
  });
});
