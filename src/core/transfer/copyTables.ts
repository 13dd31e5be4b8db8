/**
 * Copy every table of one target into another that holds none, exactly: each table re-created
 * with its settings (copyTable's clone of the source's description), its tags, and every item,
 * the counts verified equal. One table after another; the first failure stops the run and says
 * which tables arrived and which did not. Used to carry a data dir of the previous embedded engine
 * over (`ddbctl migrate-data-dir`).
 */
import type { Clients } from '../clients.js';
import { describeTable } from '../control/describeTable.js';
import { listTables } from '../control/listTables.js';
import { listTags } from '../control/tags.js';
import { DdbError } from '../errors.js';
import { toDdbError } from '../sdkErrors.js';
import { ensureTags } from '../spec/ensureTags.js';
import type { Clock } from '../util/clock.js';
import { plural } from '../util/plural.js';
import type { CopyProgress } from './copyItems.js';
import { copyTable } from './copyTable.js';

export interface TableCopied {
  table: string;
  /** Items in the source and in the destination (verified equal). */
  items: number;
  /** Tags carried over. */
  tags: number;
}

export interface CopyTablesProgress extends CopyProgress {
  table: string;
  /** 1-based position of `table` among `tables`. */
  index: number;
  tables: number;
}

export interface CopyTablesOptions {
  segments?: number;
  concurrency?: number;
  onProgress?: (p: CopyTablesProgress) => void;
  /** Told once a table has arrived whole. */
  onTable?: (t: TableCopied) => void;
  signal?: AbortSignal;
  /** Durations, backoff and waits. Default: the system clock (tests pass a fake one). */
  clock?: Clock;
}

export interface CopyTablesResult {
  /** Every table of the source, in the order copied. */
  tables: string[];
  /** The tables that arrived whole (all of `tables` unless interrupted). */
  copied: TableCopied[];
  /** `signal` aborted the run: the tables after `copied` did not arrive (the one under way only partly). */
  interrupted?: true;
  /** The tables that did not arrive whole (empty unless interrupted). */
  notCopied: string[];
}

/** What arrived and what did not, for a message. */
function sofar(copied: TableCopied[], notCopied: string[]): string {
  const done = copied.length
    ? `arrived whole: ${copied.map((t) => `${t.table} (${plural(t.items, 'item')})`).join(', ')}`
    : 'no table arrived whole';
  return `${done}; not copied: ${notCopied.join(', ')}`;
}

/**
 * Copy every table of `from` into `to`. `to` must hold no table (table.exists, nothing copied):
 * a copy never mixes its tables with others. A setting the destination cannot take, a tag it
 * cannot hold or a count that differs fails the table, and the run (never a copy less than exact).
 */
export async function copyTables(
  from: Clients,
  to: Clients,
  opts: CopyTablesOptions = {},
): Promise<CopyTablesResult> {
  const tables = await listTables(from);
  const present = await listTables(to);
  if (present.length) {
    throw new DdbError('table.exists', {
      message: `${to.label} already holds ${plural(present.length, 'table')} (${present.join(', ')}): the tables of ${from.label} are copied only into a target that holds none, never mixed with others; nothing was copied. Remove them or copy into another target`,
    });
  }
  const copied: TableCopied[] = [];
  for (const [i, table] of tables.entries()) {
    const notCopied = tables.slice(i);
    if (opts.signal?.aborted) return { tables, copied, interrupted: true, notCopied };
    let one: TableCopied;
    try {
      const r = await copyTable(
        { clients: from, table },
        { clients: to, table },
        {
          ...(opts.segments ? { segments: opts.segments } : {}),
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.clock ? { clock: opts.clock } : {}),
          onProgress: (p) => opts.onProgress?.({ ...p, table, index: i + 1, tables: tables.length }),
        },
      );
      if (r.interrupted) return { tables, copied, interrupted: true, notCopied };
      if (r.notCarried) {
        throw new DdbError('engine.unsupported', {
          message: `${to.label} cannot take its ${r.notCarried.join(', ')}`,
        });
      }
      if (r.sourceCount !== r.destinationCount) {
        throw new DdbError('batch.incomplete', {
          message: `the source holds ${plural(r.sourceCount ?? 0, 'item')}, the copy ${r.destinationCount}`,
        });
      }
      one = { table, items: r.destinationCount ?? 0, tags: await copyTags(from, to, table) };
    } catch (e) {
      const err = toDdbError(e, { operation: 'copying', table, target: from.label });
      throw new DdbError(err.code, {
        message: `table ${table} was not copied whole: ${err.message}. Of the ${plural(tables.length, 'table')} of ${from.label}, ${sofar(copied, notCopied)}`,
        cause: e,
        details: { copied, failed: table, notCopied },
      });
    }
    copied.push(one);
    opts.onTable?.(one);
  }
  return { tables, copied, notCopied: [] };
}

/** The source table's tags onto the copy; the number carried. An engine without tagging has none to give. */
async function copyTags(from: Clients, to: Clients, table: string): Promise<number> {
  const src = await describeTable(from, table);
  const tags = src.TableArn ? await listTags(from, src.TableArn) : undefined;
  if (!tags || !Object.keys(tags).length) return 0;
  const dst = await describeTable(to, table);
  const r = await ensureTags(to, dst.TableArn as string, tags);
  if (!r.supported) {
    throw new DdbError('engine.unsupported', { message: `its tags cannot be carried: ${r.reason}` });
  }
  return Object.keys(tags).length;
}
