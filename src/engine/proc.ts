/**
 * What Linux's /proc says of another process: whether it is stopped (Ctrl-Z, SIGSTOP), and when
 * it started. Elsewhere (no /proc) nothing is known: every answer is `undefined`, and callers
 * decide without it.
 */
import { readFileSync } from 'node:fs';

/**
 * NOTE: /proc counts a process's start in USER_HZ clock ticks, 100 a second on every Linux
 * architecture Node runs on (the kernel's own HZ may differ; USER_HZ is fixed for user space).
 */
const TICKS_PER_SECOND = 100;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number, root: string): string[] | undefined {
  try {
    const stat = readFileSync(`${root}/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Whether `pid` is stopped (state T: by a signal, Ctrl-Z; t: by a debugger); undefined: not known. */
export function stopped(pid: number, root = '/proc'): boolean | undefined {
  // Field 3 of stat, the first after the name.
  const state = statFields(pid, root)?.[0];
  return state === undefined ? undefined : state === 'T' || state === 't';
}

/** When `pid` started (ms since the epoch, to within a second); undefined: not known. */
export function startedAt(pid: number, root = '/proc'): number | undefined {
  // Field 22 of stat: clock ticks after boot; the boot time is /proc/stat's btime (seconds).
  const ticks = Number(statFields(pid, root)?.[19]);
  let boot: number;
  try {
    boot = Number(/^btime (\d+)$/m.exec(readFileSync(`${root}/stat`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
  if (!Number.isFinite(ticks) || !Number.isFinite(boot) || boot === 0) return undefined;
  return boot * 1000 + (ticks * 1000) / TICKS_PER_SECOND;
}
