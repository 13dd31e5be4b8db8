/**
 * What an endpoint can do, found out without changing anything: each probe names a table that
 * does not exist, so a capable engine answers "not found" and an incapable one "unknown
 * operation" (or, for UpdateTable fields it does not know, a validation error). Reads come first;
 * they are enough for the two engines ddbctl tests on.
 *
 * ddbctl's own embedded engine says what it cannot do yet in its answers ("... not supported by
 * ddbctl's embedded engine ..."), so it is recognised by them and described as it is built.
 *
 * Two engines also do things silently wrong that no probe can see, so they are recognised and
 * described from what was measured on them:
 *   - dynalite (the embedded engine before ddbctl's own) accepts a GSI create/delete in UpdateTable
 *     and ignores it;
 *   - DynamoDB Local accepts TableClass in CreateTable/UpdateTable and ignores it.
 * An unknown endpoint gets what its probes show; `applyPlan` verifies every change afterwards.
 */

import { randomBytes } from 'node:crypto';
import {
  DescribeContinuousBackupsCommand,
  DescribeKinesisStreamingDestinationCommand,
  DescribeLimitsCommand,
  DescribeTimeToLiveCommand,
  GetResourcePolicyCommand,
  ListTagsOfResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { Clients } from '../clients.js';
import type { DdbError } from '../errors.js';
import { PROBE_TABLE_PREFIX, toDdbError } from '../sdkErrors.js';
import { ALL_CAPS, type CapName, type EngineCaps } from './plan.js';

/** Amazon DynamoDB: everything. */
export const AWS_CAPS: Readonly<EngineCaps> = Object.freeze({ ...ALL_CAPS, engine: 'Amazon DynamoDB' });

/**
 * ddbctl's embedded engine (src/engine), as built: GSIs created (backfilled) and deleted through
 * UpdateTable, TTL, streams, point-in-time recovery's setting (no restore), resource policies (kept,
 * not enforced) and everything else of the control plane, kept and described back.
 */
export const EMBEDDED_CAPS: Readonly<EngineCaps> = Object.freeze({
  engine: "ddbctl's embedded engine",
  gsiUpdate: true,
  ttl: true,
  pitr: true,
  tags: true,
  createTags: true,
  streams: true,
  tableClass: true,
  deletionProtection: true,
  onDemandThroughput: true,
  gsiOnDemandUpdate: true,
  warmThroughput: true,
  sse: true,
  resourcePolicy: true,
});

/** How ddbctl's embedded engine names itself when it refuses an operation it does not have yet. */
const EMBEDDED_WORDS = /ddbctl's embedded engine/;

/**
 * dynalite 4 (ddbctl's embedded engine until issue 13), as measured: no UpdateTimeToLive, no continuous backups;
 * StreamSpecification, DeletionProtectionEnabled and TableClass ignored in CreateTable and refused
 * alone in UpdateTable; GSI create/delete in UpdateTable accepted and ignored. Tags work through
 * TagResource (not through CreateTable's Tags: the plan adds a TagResource step).
 */
export const DYNALITE_CAPS: Readonly<EngineCaps> = Object.freeze({
  engine: 'dynalite',
  gsiUpdate: false,
  ttl: false,
  pitr: false,
  tags: true,
  createTags: false,
  streams: false,
  tableClass: false,
  deletionProtection: false,
  // NOTE: dynalite accepts OnDemandThroughput, WarmThroughput, SSESpecification and ResourcePolicy
  // in CreateTable and drops them; it refuses them alone in UpdateTable; no resource policy API.
  onDemandThroughput: false,
  gsiOnDemandUpdate: false,
  warmThroughput: false,
  sse: false,
  resourcePolicy: false,
});

/**
 * DynamoDB Local 3.x, as measured: no tagging ("Tagging is not currently supported in DynamoDB
 * Local."), no continuous backups (UnknownOperationException), TableClass ignored; GSIs, TTL,
 * streams and deletion protection work.
 */
export const DYNAMODB_LOCAL_CAPS: Readonly<EngineCaps> = Object.freeze({
  engine: 'DynamoDB Local',
  gsiUpdate: true,
  ttl: true,
  pitr: false,
  tags: false,
  createTags: false,
  streams: true,
  tableClass: false,
  deletionProtection: true,
  // NOTE: measured on DynamoDB Local 3: OnDemandThroughput works in CreateTable (table and GSIs)
  // and UpdateTable (table), but a GSI's is left unchanged by UpdateTable; WarmThroughput and
  // SSESpecification are dropped by CreateTable ("Nothing to update" in UpdateTable); no
  // resource policy API (UnknownOperationException).
  onDemandThroughput: true,
  gsiOnDemandUpdate: false,
  warmThroughput: false,
  sse: false,
  resourcePolicy: false,
});

export interface DetectCapsOptions {
  /**
   * What the caller already knows about the target. `aws`: Amazon DynamoDB, nothing to probe.
   * `embedded`: ddbctl's embedded engine, nothing to probe. Default: probe.
   */
  kind?: 'aws' | 'embedded' | 'endpoint';
}

/** One probe's verdict: supported, not supported, or the answer that tells the engine apart. */
interface Verdict {
  supported: boolean;
  message: string;
}

// NOTE: dynalite's UpdateTable validation predates these fields: it refuses an update that sets
// only them with this message, where Amazon DynamoDB and DynamoDB Local look the table up.
const OLD_UPDATE_TABLE = /At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled/i;
const NOT_SUPPORTED = /not (currently |yet )?(supported|implemented)|unknown operation/i;

function verdictOf(err: DdbError): Verdict {
  // The engine's own words: they tell DynamoDB Local and dynalite apart.
  const message = (err.cause as { message?: string } | undefined)?.message || err.message;
  switch (err.code) {
    case 'table.notFound':
      return { supported: true, message };
    case 'engine.unsupported':
      return { supported: false, message };
    case 'endpoint.unreachable':
    case 'credentials.invalid':
    case 'credentials.missing':
    // A probe cut off by the command's stop (Ctrl-C) proves nothing: the stop goes on.
    case 'operation.aborted':
      throw err;
    default:
      if (OLD_UPDATE_TABLE.test(message) || NOT_SUPPORTED.test(message)) return { supported: false, message };
      // Anything else (access denied, a validation of the probe itself) proves nothing missing.
      return { supported: true, message };
  }
}

async function probe(clients: Clients, operation: string, send: () => Promise<unknown>): Promise<Verdict> {
  try {
    await send();
    return { supported: true, message: '' };
  } catch (e) {
    return verdictOf(toDdbError(e, { operation, target: clients.label }));
  }
}

const cache = new WeakMap<Clients, Promise<EngineCaps>>();

/**
 * What the endpoint of `clients` can do, once per clients. Five reads recognise DynamoDB Local, ddbctl's engine and
 * dynalite; another endpoint gets four more probes (UpdateTimeToLive, UpdateTable). Every probe
 * names a table that does not exist: nothing is created, changed or deleted.
 */
export function detectCaps(clients: Clients, opts: DetectCapsOptions = {}): Promise<EngineCaps> {
  if (opts.kind === 'aws') return Promise.resolve({ ...AWS_CAPS });
  if (opts.kind === 'embedded') return Promise.resolve({ ...EMBEDDED_CAPS });
  let p = cache.get(clients);
  if (!p) {
    p = probeCaps(clients);
    p.catch(() => cache.delete(clients));
    cache.set(clients, p);
  }
  return p;
}

async function probeCaps(clients: Clients): Promise<EngineCaps> {
  const table = `${PROBE_TABLE_PREFIX}${randomBytes(8).toString('hex')}`;
  const region = await clients.ddb.config.region();
  const arn = `arn:aws:dynamodb:${region}:000000000000:table/${table}`;
  const ddb = clients.ddb;
  // 1. Reads only: enough to recognise DynamoDB Local, ddbctl's engine and dynalite.
  const [tags, pitr, limits, describeTtl, kinesis] = await Promise.all([
    probe(clients, 'ListTagsOfResource', () => ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))),
    probe(clients, 'DescribeContinuousBackups', () =>
      ddb.send(new DescribeContinuousBackupsCommand({ TableName: table })),
    ),
    probe(clients, 'DescribeLimits', () => ddb.send(new DescribeLimitsCommand({}))),
    probe(clients, 'DescribeTimeToLive', () => ddb.send(new DescribeTimeToLiveCommand({ TableName: table }))),
    // NOTE: an operation ddbctl's engine is not meant to have (Kinesis streaming destinations):
    // its refusal names the engine, however much of the rest it has.
    probe(clients, 'DescribeKinesisStreamingDestination', () =>
      ddb.send(new DescribeKinesisStreamingDestinationCommand({ TableName: table })),
    ),
  ]);
  if (/DynamoDB Local/i.test(tags.message)) return { ...DYNAMODB_LOCAL_CAPS };
  if ([describeTtl, pitr, kinesis].some((v) => EMBEDDED_WORDS.test(v.message))) return { ...EMBEDDED_CAPS };
  // NOTE: dynalite 4 implements DescribeTimeToLive (always DISABLED) but neither DescribeLimits nor
  // continuous backups; Amazon DynamoDB and DynamoDB Local implement all three.
  if (!limits.supported && !pitr.supported && describeTtl.supported) return { ...DYNALITE_CAPS };

  // 2. An engine not recognised: ask about each capability, on the same table that does not exist.
  const [ttl, deletionProtection, streams, tableClass, resourcePolicy] = await Promise.all([
    probe(clients, 'UpdateTimeToLive', () =>
      ddb.send(
        new UpdateTimeToLiveCommand({
          TableName: table,
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      ),
    ),
    probe(clients, 'UpdateTable', () =>
      ddb.send(new UpdateTableCommand({ TableName: table, DeletionProtectionEnabled: true })),
    ),
    probe(clients, 'UpdateTable', () =>
      ddb.send(
        new UpdateTableCommand({
          TableName: table,
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      ),
    ),
    probe(clients, 'UpdateTable', () =>
      ddb.send(new UpdateTableCommand({ TableName: table, TableClass: 'STANDARD_INFREQUENT_ACCESS' })),
    ),
    probe(clients, 'GetResourcePolicy', () => ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }))),
  ]);
  if (!ttl.supported && OLD_UPDATE_TABLE.test(deletionProtection.message)) return { ...DYNALITE_CAPS };
  return {
    engine: 'this endpoint',
    // NOTE: no probe can see an engine that ignores GSI changes; applyPlan checks the index appeared.
    gsiUpdate: true,
    ttl: ttl.supported,
    pitr: pitr.supported,
    tags: tags.supported,
    // NOTE: no probe can see an engine that drops CreateTable's Tags; applyPlan reads them back.
    createTags: tags.supported,
    streams: streams.supported,
    tableClass: tableClass.supported,
    deletionProtection: deletionProtection.supported,
    // NOTE: no probe can see an engine that drops these; applyPlan reads the table back.
    onDemandThroughput: true,
    gsiOnDemandUpdate: true,
    warmThroughput: true,
    sse: true,
    resourcePolicy: resourcePolicy.supported,
  };
}

/** True when `caps` has every capability in `needed`. */
export function hasCaps(caps: EngineCaps, needed: readonly CapName[]): boolean {
  return needed.every((c) => caps[c]);
}
