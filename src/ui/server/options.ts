import type { Clients } from '../../core/clients.js';

/** The target the UI shows in its banner. Nothing of the credentials: that stays in `clients`. */
export interface UiTarget {
  kind: 'embedded' | 'endpoint' | 'aws';
  /** For people: "embedded engine (data dir .ddbctl)", "endpoint http://127.0.0.1:8000", "AWS". */
  label: string;
  region?: string;
  account?: string;
}

/** Something the server tells its caller (it never prints). */
export type UiEvent =
  | { type: 'request'; method: string; path: string; status: number }
  | { type: 'error'; method: string; path: string; error: unknown };

export interface UiServerOptions {
  clients: Clients;
  target: UiTarget;
  /** Interface to bind. Default 127.0.0.1; anything else is reachable from other hosts (the CLI warns). */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** Writes on an AWS target. Default false: read-only there. Other targets always take writes. */
  allowWrites?: boolean;
  /** The built web app (dist/ui); when it has no index.html, `/` says the UI was not built. */
  staticDir: string;
  onEvent?: (e: UiEvent) => void;
}
