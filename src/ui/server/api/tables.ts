/** Target, tables list and describe: GET /api/target, /api/tables, /api/tables/:name. */
import { describeContinuousBackups } from '../../../core/control/describeContinuousBackups.js';
import { describeTable } from '../../../core/control/describeTable.js';
import { describeTimeToLive } from '../../../core/control/describeTimeToLive.js';
import { listTables } from '../../../core/control/listTables.js';
import { listTags } from '../../../core/control/tags.js';
import { detectCaps } from '../../../core/spec/caps.js';
import type { ApiContext, Route } from './context.js';

/** Tables described at a time for the list (AWS rations DescribeTable calls). */
const DESCRIBE_IN_FLIGHT = 8;

async function target(ctx: ApiContext) {
  const t = ctx.opts.target;
  // What the engine does of the table settings (the probes plan uses: read-only, cached); an
  // endpoint that does not answer them is taken to do everything, and its errors say otherwise.
  const caps = await detectCaps(ctx.clients, { kind: t.kind }).catch(() => undefined);
  return {
    kind: t.kind,
    label: t.label,
    ...(t.region ? { region: t.region } : {}),
    ...(t.account ? { account: t.account } : {}),
    ...(caps?.engine ? { engine: caps.engine } : {}),
    readOnly: ctx.readOnly,
    // NOTE: PartiQL and transactions are not probed (dynalite has neither): the page tries, and
    // shows the error.
    features: {
      partiql: true,
      transactions: true,
      ttl: caps?.ttl ?? true,
      streams: caps?.streams ?? true,
      tags: caps?.tags ?? true,
      pitr: caps?.pitr ?? true,
      gsiUpdate: caps?.gsiUpdate ?? true,
      deletionProtection: caps?.deletionProtection ?? true,
      export: true,
      import: true,
    },
  };
}

async function tables(ctx: ApiContext) {
  const names = await listTables(ctx.clients);
  const out: { name: string; status?: string; itemCount?: number; billing: string }[] = [];
  for (let i = 0; i < names.length; i += DESCRIBE_IN_FLIGHT) {
    const described = await Promise.all(
      names.slice(i, i + DESCRIBE_IN_FLIGHT).map(async (name) => {
        const d = await describeTable(ctx.clients, name).catch(() => undefined);
        return {
          name,
          ...(d?.TableStatus ? { status: d.TableStatus } : {}),
          ...(d?.ItemCount !== undefined ? { itemCount: d.ItemCount } : {}),
          billing: d?.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
        };
      }),
    );
    out.push(...described);
  }
  return { tables: out };
}

/** An optional part of the description: absent when the endpoint has no such operation. */
async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

async function describe(ctx: ApiContext) {
  const name = ctx.params.name as string;
  const table = await describeTable(ctx.clients, name);
  const [ttl, tags, pitr] = await Promise.all([
    optional(async () => (await describeTimeToLive(ctx.clients, { TableName: name })).TimeToLiveDescription),
    table.TableArn ? optional(() => listTags(ctx.clients, table.TableArn as string)) : undefined,
    optional(
      async () =>
        (await describeContinuousBackups(ctx.clients, { TableName: name })).ContinuousBackupsDescription
          ?.PointInTimeRecoveryDescription,
    ),
  ]);
  return { table, ...(ttl ? { ttl } : {}), ...(tags ? { tags } : {}), ...(pitr ? { pitr } : {}) };
}

export const tableRoutes: Route[] = [
  { method: 'GET', path: '/api/target', write: false, handler: target },
  { method: 'GET', path: '/api/tables', write: false, handler: tables },
  { method: 'GET', path: '/api/tables/:name', write: false, handler: describe },
];
