import { describe, expect, it } from 'vitest';
import { forgetStop, onStop, stoppedExitCode } from './signals.js';

describe('signals', () => {
  it('a run stopped by a signal exits as a shell reports it: SIGINT 130, SIGTERM 143, SIGHUP 129', () => {
    const seen: string[] = [];
    const off = onStop((s) => seen.push(s));
    try {
      for (const [signal, code] of [
        ['SIGTERM', 143],
        ['SIGHUP', 129],
        ['SIGINT', 130],
      ] as const) {
        process.emit(signal, signal);
        expect(stoppedExitCode()).toBe(code);
      }
      expect(seen).toEqual(['SIGTERM', 'SIGHUP', 'SIGINT']);
    } finally {
      off();
    }
    // A new run forgets the last one's signal: an interrupted run without one is Ctrl-C's.
    const before = process.listenerCount('SIGHUP');
    forgetStop();
    expect(stoppedExitCode()).toBe(130);
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });
});
