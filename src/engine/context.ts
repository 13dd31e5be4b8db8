/**
 * What every operation receives: the store, the catalog of tables, and a clock. Operations live in
 * ops/, one file per DynamoDB operation, each `(ctx, input) => answer` where the input is the
 * request's parsed JSON (unknown: the operation validates it, in DynamoDB's order) and the answer a
 * plain object (RawJson for stored items spliced in as text). Errors are thrown as EngineError.
 */

import type { Background } from './background.js';
import type { TableMeta } from './catalog.js';
import type { Store } from './store/index.js';

export interface EngineClock {
  now(): number;
}

export interface OpContext {
  store: Store;
  clock: EngineClock;
  /**
   * The table of that name, its status brought up to date; throws DynamoDB's
   * ResourceNotFoundException ("Requested resource not found" / "Cannot do operations on a
   * non-existent table") when it does not exist.
   */
  table(name: string): TableMeta;
  /** The table or undefined (for CreateTable, ListTables...). */
  findTable(name: string): TableMeta | undefined;
  /** Every table's name in DynamoDB's order (ListTables), statuses brought up to date. */
  tableNames(): string[];
  /** How long tables stay CREATING / UPDATING / DELETING (ms). */
  transitionMs: number;
  /** The region and account written into ARNs. */
  region: string;
  account: string;
  /** Work done between requests (a GSI's backfill, TTL's sweep); stopped when the engine closes. */
  background: Background;
  /** Said once per message: work between requests that stopped on a failure. */
  warnOnce?: (message: string) => void;
}

export type Operation = (ctx: OpContext, input: Record<string, unknown>) => unknown | Promise<unknown>;
