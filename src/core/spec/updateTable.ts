/**
 * update-table: changes given one by one (as flags), turned into a desired spec and carried out
 * by the planner and `applyPlan`, so they are ordered, waited for and checked like an apply.
 */
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import { validateTableName } from '../names.js';
import { type PreparedPlan, type PrepareOptions, prepareTable } from './apply.js';
import {
  type Billing,
  checkTableSpec,
  type GsiSpec,
  type KeyAttribute,
  type StreamViewType,
  type TableClass,
  type TableSpec,
  type Throughput,
} from './tableSpec.js';
import { liveTableOf, readTableState } from './tableState.js';

/** Each field is one change; absent fields are left as they are. */
export interface TableChanges {
  /** Switch billing mode. PROVISIONED needs `read` and `write` (or the table's current ones). */
  billing?: Billing['mode'];
  /** Table read / write capacity units (provisioned). */
  read?: number;
  write?: number;
  /** New capacity of existing GSIs (provisioned tables). */
  gsiThroughput?: ({ name: string } & Throughput)[];
  /**
   * GSIs to create (one UpdateTable each, waiting for each backfill). One that exists with other
   * keys or projection is rebuilt: deleted, then created again (a REPLACEMENT step of the plan).
   */
  addGsis?: GsiSpec[];
  /** GSIs to delete, by name. */
  removeGsis?: string[];
  /** A stream view type, or null to turn the stream off. */
  stream?: StreamViewType | null;
  /** The TTL attribute, or null to turn TTL off. */
  ttl?: string | null;
  pitr?: boolean;
  deletionProtection?: boolean;
  tableClass?: TableClass;
  /** Tags to add or change. */
  tags?: Record<string, string>;
  /** Tag keys to remove. */
  untag?: string[];
}

function usage(message: string): DdbError {
  return new DdbError('usage.invalid', { message });
}

/** True when `changes` asks for nothing. */
export function noChanges(c: TableChanges): boolean {
  return Object.values(c).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

/**
 * The desired spec: `live` with `changes` applied. Everything the changes do not touch is left
 * unmanaged, so the plan holds exactly the requested changes. Pure; throws usage.invalid for a
 * change that cannot apply to this table (a GSI that does not exist, capacity on an on-demand
 * table, ...).
 */
export function desiredFromChanges(live: TableSpec, changes: TableChanges): TableSpec {
  const t = live.name;
  const desired: TableSpec = { name: t, partitionKey: live.partitionKey };
  if (live.sortKey) desired.sortKey = live.sortKey;
  const lb = live.billing ?? { mode: 'PAY_PER_REQUEST' };

  // Billing and table capacity.
  const capacity = changes.read !== undefined || changes.write !== undefined;
  if (changes.billing === 'PAY_PER_REQUEST') {
    if (capacity)
      throw usage(`--rcu/--wcu do not go with --billing on-demand: an on-demand table has no capacity`);
    desired.billing = { mode: 'PAY_PER_REQUEST' };
  } else if (changes.billing === 'PROVISIONED' || capacity) {
    if (changes.billing === undefined && lb.mode !== 'PROVISIONED') {
      throw usage(`table ${t} is on-demand: add --billing provisioned to give it read/write capacity`);
    }
    const read = changes.read ?? (lb.mode === 'PROVISIONED' ? lb.read : undefined);
    const write = changes.write ?? (lb.mode === 'PROVISIONED' ? lb.write : undefined);
    if (read === undefined || write === undefined) {
      throw usage(`--billing provisioned needs the capacity: add --rcu N --wcu N`);
    }
    desired.billing = { mode: 'PROVISIONED', read, write };
  }
  const db = desired.billing ?? lb;

  // GSIs: managed only when a change touches them; then the whole list is given.
  const gsiChange =
    (changes.addGsis?.length ?? 0) +
      (changes.removeGsis?.length ?? 0) +
      (changes.gsiThroughput?.length ?? 0) >
    0;
  // NOTE: a billing switch alone leaves GSIs unmanaged: the planner gives each GSI the capacity a
  // switch to PROVISIONED needs.
  if (gsiChange) {
    const byName = new Map((live.gsis ?? []).map((g) => [g.name, { ...g }]));
    for (const name of changes.removeGsis ?? []) {
      if (!byName.delete(name)) {
        throw usage(
          `table ${t} has no GSI ${name}${byName.size ? ` (it has ${[...byName.keys()].join(', ')})` : ''}`,
        );
      }
    }
    for (const g of byName.values()) {
      // Capacity of kept GSIs follows the table's billing; an explicit change below overrides it.
      if (db.mode !== 'PROVISIONED' || lb.mode !== 'PROVISIONED') delete g.throughput;
    }
    for (const u of changes.gsiThroughput ?? []) {
      const g = byName.get(u.name);
      if (!g) throw usage(`--gsi-throughput: table ${t} has no GSI ${u.name}`);
      if (db.mode !== 'PROVISIONED') {
        throw usage(`--gsi-throughput: table ${t} is on-demand: its GSIs have no capacity of their own`);
      }
      g.throughput = { read: u.read, write: u.write };
    }
    const added = new Set<string>();
    for (const g of changes.addGsis ?? []) {
      if (added.has(g.name)) throw usage(`--add-gsi ${g.name} is given twice: give each GSI once`);
      added.add(g.name);
      if (g.throughput && db.mode !== 'PROVISIONED') {
        throw usage(`--add-gsi ${g.name}: table ${t} is on-demand: a GSI of it has no capacity of its own`);
      }
      // NOTE: a GSI that exists (or is removed by --remove-gsi in the same command) is rebuilt:
      // the plan deletes it, then creates it again; the caller asks for --allow-replace.
      byName.set(g.name, g);
    }
    checkAttributeTypes(
      live,
      [...byName.values()].filter((g) => added.has(g.name)),
    );
    desired.gsis = [...byName.values()];
    // GSI capacity is checked against the table's billing: state it (unchanged, so no step).
    desired.billing ??= lb;
  }

  if (changes.stream !== undefined)
    desired.stream = changes.stream === null ? null : { viewType: changes.stream };
  if (changes.ttl !== undefined) desired.ttl = changes.ttl === null ? null : { attribute: changes.ttl };
  if (changes.pitr !== undefined) desired.pitr = changes.pitr;
  if (changes.deletionProtection !== undefined) desired.deletionProtection = changes.deletionProtection;
  if (changes.tableClass !== undefined) desired.tableClass = changes.tableClass;

  if (changes.tags !== undefined || (changes.untag?.length ?? 0) > 0) {
    const tags = { ...(live.tags ?? {}), ...(changes.tags ?? {}) };
    for (const k of changes.untag ?? []) delete tags[k];
    desired.tags = tags;
  }
  return checkTableSpec(desired, `update-table ${t}`);
}

/**
 * DynamoDB gives an attribute one type per table: a new GSI's key must have the type the table's
 * keys, its LSIs and its other GSIs give that attribute. Checked here, before anything is sent,
 * with the flag that caused it (the generic spec check cannot see the LSIs: they are unmanaged).
 */
function checkAttributeTypes(live: TableSpec, added: readonly GsiSpec[]): void {
  const typed = new Map<string, { type: KeyAttribute['type']; where: string }>();
  const note = (k: KeyAttribute | undefined, where: string): void => {
    if (k && !typed.has(k.name)) typed.set(k.name, { type: k.type, where });
  };
  note(live.partitionKey, "the table's partition key");
  note(live.sortKey, "the table's sort key");
  for (const l of live.lsis ?? []) note(l.sortKey, `the sort key of LSI ${l.name}`);
  const addedNames = new Set(added.map((g) => g.name));
  for (const g of live.gsis ?? []) {
    if (addedNames.has(g.name)) continue;
    note(g.partitionKey, `the partition key of GSI ${g.name}`);
    note(g.sortKey, `the sort key of GSI ${g.name}`);
  }
  for (const g of added) {
    for (const k of [g.partitionKey, g.sortKey]) {
      const seen = k ? typed.get(k.name) : undefined;
      if (k && seen && seen.type !== k.type) {
        throw usage(
          `--add-gsi ${g.name}: attribute "${k.name}" is ${k.type} here but ${seen.type} as ${seen.where} of table ${live.name}; an attribute has one type per table: write ${k.name}:${seen.type}`,
        );
      }
      note(k, `the key of GSI ${g.name}`);
    }
  }
}

/**
 * Read the table, apply `changes` to its spec and plan them. Only reads (and, when a change needs
 * it, the read-only capability probes). Carry the result out with `applyPlan`.
 */
export async function prepareUpdate(
  clients: Clients,
  tableName: string,
  changes: TableChanges,
  opts: Omit<PrepareOptions, 'state'> = {},
): Promise<PreparedPlan> {
  validateTableName(tableName);
  if (noChanges(changes)) {
    throw usage(`nothing to change: give at least one change (see 'ddbctl update-table --help')`);
  }
  const state = await readTableState(clients, tableName);
  if (!state) {
    throw new DdbError('table.notFound', {
      message: `table ${tableName} does not exist at ${clients.label}; list tables with 'ddbctl list-tables'`,
    });
  }
  const desired = desiredFromChanges(liveTableOf(state).spec, changes);
  return prepareTable(clients, desired, { ...opts, state, findSwap: false });
}
