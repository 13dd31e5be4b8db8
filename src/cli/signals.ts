/**
 * The signals that stop a command, and the exit code each ends it with. A command stopped by one
 * exits as a shell reports a process that signal ended: 128 + the signal's number, so SIGINT
 * (Ctrl-C) 130, SIGTERM 143, SIGHUP (its terminal closed) 129; a script tells them apart.
 * Commands mark an interrupted run with EXIT.interrupted (130); main.ts gives it the number of the
 * signal that came.
 */
import { constants } from 'node:os';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The last stop signal of this run (main.ts forgets it at each start). */
let last: NodeJS.Signals | undefined;

/** Forget the signal of a previous run in this process (main.ts, as a run starts). */
export function forgetStop(): void {
  last = undefined;
}

/** The exit code of a run stopped by a signal: of the one that came, else Ctrl-C's (130). */
export function stoppedExitCode(): number {
  return 128 + (constants.signals[last ?? 'SIGINT'] ?? 2);
}

/** Call `stop` on SIGINT, SIGTERM and SIGHUP (and note which came); returns what removes it. */
export function onStop(stop: (signal: NodeJS.Signals) => void): () => void {
  const handle = (signal: NodeJS.Signals) => {
    last = signal;
    stop(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, handle);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handle);
  };
}
