/**
 * The DynamoDB automation lab, end to end, as one library call: create (or reuse) the table, wait
 * for ACTIVE, verify its tags, list tables, insert the sample item, read it back and verify every
 * attribute and its type, and with `cleanup` delete the table and wait until it is gone.
 * It reports each step through `onStep` and never prints.
 */
import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import type { Clients } from './clients.js';
import { deleteTable } from './control/deleteTable.js';
import { listTables } from './control/listTables.js';
import { waitForTable } from './control/waitForTable.js';
import { type Item, type ItemValue, normalizeNumber, toDdbJson, typeOf } from './data/codec.js';
import { getItem } from './data/getItem.js';
import { putItem } from './data/putItem.js';
import { scanPages } from './data/read.js';
import { DdbError } from './errors.js';
import { createOrReuseTable, LAB_DEFAULTS, labTableSpec } from './spec/createTable.js';
import { ensureTags, readTags, type TagsResult } from './spec/ensureTags.js';
import type { Clock } from './util/clock.js';

export interface LabOptions {
  /** Default "Users". */
  tableName?: string;
  /** Seconds to wait for ACTIVE and for deletion. Default 300. */
  timeoutSeconds?: number;
  /** Delete the table at the end and wait until it is gone. */
  cleanup?: boolean;
  /** The item to insert. Default: `labSampleItem()`. */
  item?: Item;
  /** The waits' clock. Default: the system clock (tests pass a fake one). */
  clock?: Clock;
}

export type LabStep =
  | { step: 'create'; outcome: 'created' | 'exists'; table: TableDescription }
  | { step: 'wait'; status: string; seconds: number }
  /** `foreign`: a table the lab did not make, whose tags are left as they are (only read). */
  | { step: 'tags'; result: TagsResult; foreign?: boolean }
  | { step: 'list'; tables: string[]; table: string }
  | { step: 'put'; item: Item }
  | { step: 'get'; item: Item; checks: AttributeCheck[] }
  | { step: 'delete'; seconds: number }
  /** `cleanup` asked, but the table is not the lab's: it stays, for this reason. */
  | { step: 'keep'; reason: string };

export interface AttributeCheck {
  name: string;
  expectedType: string;
  actualType: string | undefined;
  equal: boolean;
}

export interface LabReport {
  ok: boolean;
  table: string;
  created: boolean;
  checks: AttributeCheck[];
  item?: Item;
  cleanedUp: boolean;
  /** Why `cleanup` left the table (it is not the lab's), when it did. */
  kept?: string;
}

/** The lab's sample user: strings, numbers (one with 38 digits), a boolean, a string set, a nested map, a list. */
export function labSampleItem(): Item {
  return {
    username: 'ada',
    full_name: 'Ada Lovelace',
    email: 'ada@example.com',
    age: new NumberValue('36'),
    active: true,
    roles: new Set(['admin', 'author']),
    profile: { city: 'London', languages: ['en', 'fr'], joined: { year: new NumberValue('1843') } },
    recent_logins: ['2026-11-20T09:15:00Z', '2026-11-24T18:02:11Z'],
    balance: new NumberValue('12345678901234567890.123456789012345678'),
  };
}

/** Compare values by their DynamoDB form: numbers by value, set order aside. */
export function sameValue(a: ItemValue | undefined, b: ItemValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonical(toDdbJson({ v: a }).v) === canonical(toDdbJson({ v: b }).v);
}

function canonical(av: unknown): string {
  return JSON.stringify(av, (k, v) => {
    if (k === 'N' && typeof v === 'string') return normalizeNumber(v);
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) {
        const x = o[k];
        sorted[k] =
          (k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(x)
            ? [...x]
                .map((e) => (e instanceof Uint8Array ? Buffer.from(e).toString('base64') : String(e)))
                .sort()
            : x;
      }
      return sorted;
    }
    return v;
  });
}

/** Check every attribute of `expected` against `actual`: same DynamoDB type, same value. */
export function verifyItem(expected: Item, actual: Item): AttributeCheck[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...names].sort().map((name) => {
    const e = expected[name];
    const a = actual[name];
    return {
      name,
      expectedType: e === undefined ? '(absent)' : typeOf(e),
      actualType: a === undefined ? undefined : typeOf(a),
      equal: sameValue(e, a),
    };
  });
}

export async function runLab(
  clients: Clients,
  opts: LabOptions = {},
  onStep: (s: LabStep) => void = () => {},
): Promise<LabReport> {
  const tableName = opts.tableName ?? LAB_DEFAULTS.tableName;
  const waitOpts = {
    ...(opts.timeoutSeconds === undefined ? {} : { timeoutSeconds: opts.timeoutSeconds }),
    ...(opts.clock ? { clock: opts.clock } : {}),
  };
  const created = await createOrReuseTable(clients, labTableSpec(tableName));
  if (created.outcome === 'exists') checkLabKey(created.table, tableName);
  onStep({ step: 'create', outcome: created.outcome, table: created.table });

  const waited = await waitForTable(clients, tableName, { for: 'active', ...waitOpts });
  onStep({ step: 'wait', status: waited.table?.TableStatus ?? 'ACTIVE', seconds: waited.seconds });

  const item = opts.item ?? labSampleItem();
  const key = { username: item.username as ItemValue };
  // NOTE: a table this run did not create may be someone's: the lab changes it only as far as
  // its own item, and deletes it only when it is an earlier run's (earlierLabTable).
  const arn = waited.table?.TableArn ?? created.table.TableArn;
  const own = created.outcome === 'created' || (await earlierLabTable(clients, tableName, arn, item));
  if (arn) {
    onStep(
      own
        ? { step: 'tags', result: await ensureTags(clients, arn, LAB_DEFAULTS.tags) }
        : { step: 'tags', result: await readTags(clients, arn), foreign: true },
    );
  }

  onStep({ step: 'list', tables: await listTables(clients), table: tableName });

  if (!own) {
    const before = await getItem(clients, tableName, key, { consistent: true });
    if (before.found && !verifyItem(item, before.item).every((c) => c.equal)) {
      throw new DdbError('table.exists', {
        message: `table ${tableName} existed before this run and holds an item username=${String(item.username)} that is not the lab's: the lab does not overwrite it; run the lab with --table-name NAME for a table of its own`,
      });
    }
  }
  await putItem(clients, tableName, item);
  onStep({ step: 'put', item });

  const got = await getItem(clients, tableName, key, { consistent: true });
  const checks = got.found ? verifyItem(item, got.item) : [];
  if (got.found) onStep({ step: 'get', item: got.item, checks });
  const ok = got.found && checks.every((c) => c.equal);

  let cleanedUp = false;
  let kept: string | undefined;
  if (opts.cleanup && own) {
    const d = await deleteTable(clients, tableName, { waitOptions: waitOpts });
    onStep({ step: 'delete', seconds: d.seconds ?? 0 });
    cleanedUp = true;
  } else if (opts.cleanup) {
    kept = `table ${tableName} existed before this run and is not the lab's (it held items of its own, or nothing and not the lab's tags), so --cleanup leaves it, with the lab's item username=${String(item.username)} in it; delete it yourself ('ddbctl delete-table ${tableName}') if you mean to`;
    onStep({ step: 'keep', reason: kept });
  }
  return {
    ok: ok && kept === undefined,
    table: tableName,
    created: created.outcome === 'created',
    checks,
    ...(got.found ? { item: got.item } : {}),
    cleanedUp,
    ...(kept ? { kept } : {}),
  };
}

/** An existing table must have the lab's key (username S), else the lab says so before any write. */
function checkLabKey(table: TableDescription, name: string): void {
  const keys = table.KeySchema ?? [];
  const types = new Map((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const pk = LAB_DEFAULTS.partitionKey;
  if (keys.length === 1 && keys[0]?.AttributeName === pk.name && types.get(pk.name) === pk.type) return;
  const has = keys.map((k) => `${k.AttributeName} (${types.get(k.AttributeName) ?? '?'})`).join(' and ');
  throw new DdbError('table.exists', {
    message: `table ${name} already exists with key ${has}; the lab needs a table keyed by ${pk.name} (${pk.type}) alone: run it with --table-name NAME for a table of its own`,
  });
}

/**
 * Whether an existing table is an earlier lab run's: it holds nothing but the lab's item, and has the
 * lab's tags or (an endpoint without tags) that item. A table with items of its own is never the
 * lab's, whatever its tags say. Only reads.
 */
async function earlierLabTable(
  clients: Clients,
  table: string,
  arn: string | undefined,
  item: Item,
): Promise<boolean> {
  const items: Item[] = [];
  for await (const page of scanPages(clients, table, { limit: 2, consistent: true })) items.push(...page);
  const onlyLab = items.every((i) => verifyItem(item, i).every((c) => c.equal));
  if (!onlyLab) return false;
  if (items.length === 1) return true;
  const tags = arn ? await readTags(clients, arn) : undefined;
  return !!tags?.supported && Object.entries(LAB_DEFAULTS.tags).every(([k, v]) => tags.tags[k] === v);
}
