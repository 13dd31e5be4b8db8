/**
 * Everything ddbctl knows about a live table, read-only: DescribeTable plus what it does not
 * report (tags, TTL, point-in-time recovery). A setting the endpoint cannot report is `undefined`.
 */
import type {
  ContinuousBackupsDescription,
  TableDescription,
  TimeToLiveDescription,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import { describeContinuousBackups } from '../control/describeContinuousBackups.js';
import { findTable } from '../control/describeTable.js';
import { describeTimeToLive } from '../control/describeTimeToLive.js';
import { getResourcePolicy } from '../control/getResourcePolicy.js';
import { listTags } from '../control/tags.js';
import { type LiveTable, liveTableFromDescription } from './plan.js';

export interface TableState {
  table: TableDescription;
  /** ListTagsOfResource; undefined when the endpoint has no tagging. */
  tags: Record<string, string> | undefined;
  /** DescribeTimeToLive; undefined when the endpoint cannot report it. */
  timeToLive: TimeToLiveDescription | undefined;
  /** DescribeContinuousBackups; undefined when the endpoint cannot report it. */
  continuousBackups: ContinuousBackupsDescription | undefined;
  /** GetResourcePolicy: the policy, null when there is none; undefined when the endpoint has no such API. */
  resourcePolicy?: string | null | undefined;
}

/** `undefined` when the operation does not exist on this endpoint; other failures throw. */
async function optional<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { code?: string }).code === 'engine.unsupported') return undefined;
    throw e;
  }
}

/** The whole state of `tableName`, or `undefined` when it does not exist. Only reads. */
export async function readTableState(clients: Clients, tableName: string): Promise<TableState | undefined> {
  const table = await findTable(clients, tableName);
  if (!table) return undefined;
  const ctx = { table: tableName, target: clients.label };
  const [tags, timeToLive, continuousBackups, resourcePolicy] = await Promise.all([
    table.TableArn ? listTags(clients, table.TableArn) : Promise.resolve(undefined),
    optional(() => describeTimeToLive(clients, { TableName: tableName })).then(
      (o) => o?.TimeToLiveDescription,
    ),
    optional(() => describeContinuousBackups(clients, { TableName: tableName })).then(
      (o) => o?.ContinuousBackupsDescription,
    ),
    table.TableArn ? policyOf(clients, table.TableArn, ctx) : Promise.resolve(undefined),
  ]);
  return { table, tags, timeToLive, continuousBackups, resourcePolicy };
}

/** The table's resource policy; null when it has none (PolicyNotFoundException). */
async function policyOf(
  clients: Clients,
  arn: string,
  ctx: { table: string; target: string },
): Promise<string | null | undefined> {
  try {
    const out = await getResourcePolicy(clients, { ResourceArn: arn }, ctx.table);
    return out.Policy ?? null;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // NOTE: a role allowed to describe tables may lack dynamodb:GetResourcePolicy: the policy is
    // then unknown (a spec that manages it still plans a PutResourcePolicy), not a failure.
    if (code === 'engine.unsupported' || code === 'access.denied') return undefined;
    const name = ((e as { cause?: { name?: string } }).cause ?? (e as { name?: string })).name;
    if (name === 'PolicyNotFoundException') return null;
    throw e;
  }
}

/** The TTL attribute when TTL is on (or being turned on), null when off, undefined when unknown. */
export function ttlOf(d: TimeToLiveDescription | undefined): { attribute: string } | null | undefined {
  if (!d) return undefined;
  const on = d.TimeToLiveStatus === 'ENABLED' || d.TimeToLiveStatus === 'ENABLING';
  return on && d.AttributeName ? { attribute: d.AttributeName } : null;
}

/** Point-in-time recovery on/off; undefined when unknown. */
export function pitrOf(d: ContinuousBackupsDescription | undefined): boolean | undefined {
  if (!d) return undefined;
  return d.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED';
}

/** The state in planner form. */
export function liveTableOf(state: TableState): LiveTable {
  const extras: Parameters<typeof liveTableFromDescription>[1] = {};
  if (state.tags) extras.tags = state.tags;
  const ttl = ttlOf(state.timeToLive);
  if (ttl !== undefined) extras.ttl = ttl;
  const pitr = pitrOf(state.continuousBackups);
  if (pitr !== undefined) extras.pitr = pitr;
  if (state.resourcePolicy !== undefined) extras.resourcePolicy = state.resourcePolicy;
  return liveTableFromDescription(state.table, extras);
}
