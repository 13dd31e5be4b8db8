/** The target the server talks to, known to every page: read-only and AWS change what writes do. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Target } from './api.js';
import { confirmAction } from './shared.js';

export const TargetContext = createContext<Target | undefined>(undefined);

export function useTarget(): Target | undefined {
  return useContext(TargetContext);
}

/**
 * Before a write: on AWS every write is confirmed (the issue: "asks before each write"); deletes
 * are confirmed on every target by their callers. Resolves false when the user says no.
 */
export async function confirmWrite(target: Target | undefined, what: string): Promise<boolean> {
  if (target?.kind !== 'aws') return true;
  const where = [target.account, target.region].filter(Boolean).join(' / ');
  return confirmAction(`${what} on AWS (${where || target.label})?`, 'Write');
}
