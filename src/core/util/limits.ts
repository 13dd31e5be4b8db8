/** This process's resource limits (`ulimit`), as Linux shows them in /proc/self/limits. */
import { readFileSync } from 'node:fs';

/** The text of /proc/self/limits; undefined where there is none (not Linux). */
export function processLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The soft limit named `name` ("Max open files", "Max address space") in `limits` (processLimits'
 * text): a number, 'unlimited', or undefined when it is not there.
 */
export function softLimit(limits: string | undefined, name: string): number | 'unlimited' | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const soft = new RegExp(`^${escaped}\\s+(\\S+)`, 'm').exec(limits ?? '')?.[1];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? 'unlimited' : /^\d+$/.test(soft) ? Number(soft) : undefined;
}
