// How the differential suite treats the known divergences. The list itself — what differs, what
// DynamoDB Local says, what we say, and why (DynamoDB itself behaves so) — is ONE file,
// src/engine/DIVERGENCES.md; each entry here points to its line there by a quoted piece of it
// (`line`), checked by divergences.test.ts, and says how the answers are still compared:
// - `oracle`: turns DynamoDB Local's answer into DynamoDB's, then the answers are compared exactly;
// - `both`: normalises both answers (what differs means nothing to the case), the rest compared;
// - `check`: the answers cannot be compared; the oracle's is ignored and ours must pass the check.
// `global` entries apply to every step; the others to the steps that name them (`divergence: id`).

import { formatDecimal, parseDecimal } from '../../src/ddb/numbers.js';

type Json = Record<string, unknown>;

export interface StepContext {
  op: string;
  /** The request as sent (placeholders substituted back). */
  request: Json | undefined;
}

export interface Divergence {
  /** A piece of its line in src/engine/DIVERGENCES.md (one or more lines). */
  line: string | string[];
  global?: boolean;
  oracle?: (body: Json, ctx: StepContext) => Json;
  both?: (body: Json, ctx: StepContext) => Json;
  check?: (status: number, body: Json) => string | undefined;
  /** Compare the union of the pages' items (sorted) and their summed counts, not the pages. */
  union?: boolean;
}

const TABLE_OPS = new Set([
  'DescribeTable',
  'UpdateTable',
  'DeleteTable',
  'DescribeTimeToLive',
  'UpdateTimeToLive',
]);

/** The table description in an answer (Table or TableDescription), changed by f. */
function withTable(body: Json, f: (t: Json) => Json): Json {
  if (body.Table && typeof body.Table === 'object') return { ...body, Table: f(body.Table as Json) };
  if (body.TableDescription && typeof body.TableDescription === 'object') {
    return { ...body, TableDescription: f(body.TableDescription as Json) };
  }
  return body;
}

const anyPhase = (body: Json): Json =>
  withTable(body, (t) => ({
    ...t,
    TableStatus: '<phase>',
    ...(Array.isArray(t.GlobalSecondaryIndexes)
      ? {
          GlobalSecondaryIndexes: (t.GlobalSecondaryIndexes as Json[]).map((g) => ({
            ...g,
            IndexStatus: '<phase>',
          })),
        }
      : {}),
  }));

function errorCheck(status: number, body: Json, types: RegExp, message?: RegExp): string | undefined {
  const t = body.__type;
  const m = body.message ?? body.Message;
  if (
    status === 400 &&
    typeof t === 'string' &&
    types.test(t) &&
    (!message || (typeof m === 'string' && message.test(m)))
  ) {
    return undefined;
  }
  return `expected 400 ${types}${message ? ` with a message like ${message}` : ''}, got ${status} ${JSON.stringify(body).slice(0, 400)}`;
}

/** Every N (and NS member) of a value in DynamoDB's canonical form. */
function canonicalNumbers(v: unknown): unknown {
  const canon = (n: unknown) => {
    const d = typeof n === 'string' ? parseDecimal(n) : undefined;
    return d ? formatDecimal(d) : n;
  };
  if (Array.isArray(v)) return v.map(canonicalNumbers);
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'N') return { N: canon(o.N) };
  if (keys.length === 1 && keys[0] === 'NS' && Array.isArray(o.NS)) return { NS: o.NS.map(canon) };
  return Object.fromEntries(keys.map((k) => [k, canonicalNumbers(o[k])]));
}

export const DIVERGENCES = {
  // ---- every step ----
  errorMessageMember: {
    line: 'error member `Message`',
    global: true,
    oracle: (b) => {
      if (typeof b.__type !== 'string' || !('Message' in b)) return b;
      const { Message, ...rest } = b;
      return { ...rest, message: Message };
    },
  },
  resourceNotFound: {
    line: ['UpdateTimeToLive on a missing table', 'Item operations on a missing'],
    global: true,
    oracle: (b, { op, request }) => {
      if (b.__type !== 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException') return b;
      const message = TABLE_OPS.has(op)
        ? `Requested resource not found: Table: ${String(request?.TableName)} not found`
        : 'Requested resource not found';
      return { ...b, message };
    },
  },
  tableExists: {
    line: 'CreateTable of an existing table',
    global: true,
    oracle: (b, { request }) =>
      b.__type === 'com.amazonaws.dynamodb.v20120810#ResourceInUseException' &&
      b.message === 'Cannot create preexisting table'
        ? { ...b, message: `Table already exists: ${String(request?.TableName)}` }
        : b,
  },
  zeroThroughputDates: {
    line: 'LastDecreaseDateTime before any change',
    global: true,
    oracle: (b) =>
      withTable(b, (t) => {
        const p = t.ProvisionedThroughput as Json | undefined;
        if (!p) return t;
        const q = { ...p };
        if (q.LastIncreaseDateTime === 0) delete q.LastIncreaseDateTime;
        if (q.LastDecreaseDateTime === 0) delete q.LastDecreaseDateTime;
        return { ...t, ProvisionedThroughput: q };
      }),
  },
  tableId: {
    line: 'CreateTable/UpdateTable/DescribeTable describe SSEDescription',
    global: true,
    oracle: (b) => withTable(b, (t) => ('TableName' in t && !('TableId' in t) ? { ...t, TableId: 0 } : t)),
  },
  gsiThroughput: {
    line: 'GSI descriptions: ProvisionedThroughput',
    global: true,
    // DynamoDB describes every GSI's throughput, 0/0 on demand (DynamoDB Local keeps a GSI's units
    // after a switch to on-demand), with NumberOfDecreasesToday.
    oracle: (b) =>
      withTable(b, (t) => {
        if (!Array.isArray(t.GlobalSecondaryIndexes)) return t;
        const onDemand = (t.BillingModeSummary as Json | undefined)?.BillingMode === 'PAY_PER_REQUEST';
        return {
          ...t,
          GlobalSecondaryIndexes: (t.GlobalSecondaryIndexes as Json[]).map((g) => ({
            ...g,
            ProvisionedThroughput: {
              NumberOfDecreasesToday: 0,
              ReadCapacityUnits: 0,
              WriteCapacityUnits: 0,
              ...(g.ProvisionedThroughput as Json | undefined),
              ...(onDemand ? { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } : {}),
            },
          })),
        };
      }),
  },
  indexSizeBytes: {
    line: 'IndexSizeBytes —',
    global: true,
    // Each side counts its own way; a size is still a whole number of bytes, 0 for no entries.
    both: (b) =>
      withTable(b, (t) => {
        const sized = (ixs: unknown) =>
          Array.isArray(ixs)
            ? (ixs as Json[]).map((ix) =>
                typeof ix.IndexSizeBytes === 'number' &&
                Number.isInteger(ix.IndexSizeBytes) &&
                (ix.IndexSizeBytes === 0) === (ix.ItemCount === 0)
                  ? { ...ix, IndexSizeBytes: '<bytes>' }
                  : ix,
              )
            : ixs;
        return {
          ...t,
          ...(t.LocalSecondaryIndexes ? { LocalSecondaryIndexes: sized(t.LocalSecondaryIndexes) } : {}),
          ...(t.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: sized(t.GlobalSecondaryIndexes) } : {}),
        };
      }),
  },
  unaskedCapacity: {
    line: 'ConsumedCapacity though not asked',
    global: true,
    oracle: (b, { request }) => {
      const asked = request?.ReturnConsumedCapacity;
      if (!('ConsumedCapacity' in b) || (asked && asked !== 'NONE')) return b;
      const { ConsumedCapacity: _, ...rest } = b;
      return rest;
    },
  },
  // ---- steps that name them ----
  throughputHistory: {
    line: 'LastIncreaseDateTime / LastDecreaseDateTime / NumberOfDecreasesToday after a change',
    // The table's and its GSIs' throughput.
    both: (b) => {
      const bare = (x: Json): Json => {
        const p = x.ProvisionedThroughput as Json | undefined;
        if (!p) return x;
        const { LastIncreaseDateTime: _i, LastDecreaseDateTime: _d, NumberOfDecreasesToday: _n, ...rest } = p;
        return { ...x, ProvisionedThroughput: rest };
      };
      return withTable(b, (t) => {
        const out = bare(t);
        if (Array.isArray(t.GlobalSecondaryIndexes))
          out.GlobalSecondaryIndexes = (t.GlobalSecondaryIndexes as Json[]).map(bare);
        return out;
      });
    },
  },
  updateNumberScale: {
    line: 'Numbers written by UpdateItem',
    // DynamoDB answers the number it stored, canonical: so is every N of DynamoDB Local's answer here.
    oracle: (b) => canonicalNumbers(b) as Json,
  },
  indexOrder: { line: 'Scan (and GSI Query without sort key) order', union: true },
  pageBeforeFilter: { line: '1 MB page is counted before the filter', union: true },
  createTableStatus: { line: "CreateTable's answer", both: anyPhase },
  updateTableStatus: { line: "UpdateTable's answer", both: anyPhase },
  deleteTableStatus: { line: "DeleteTable's answer", both: anyPhase },
  itemCollectionMetrics: {
    line: 'ReturnItemCollectionMetrics SIZE on a table with local secondary indexes',
    // Ours must have the right shape; the estimate itself is DynamoDB's to choose.
    both: (b) => {
      const m = b.ItemCollectionMetrics as Json | undefined;
      if (!m) return b;
      const shaped = (x: Json) => {
        const range = x.SizeEstimateRangeGB;
        return (
          typeof x.ItemCollectionKey === 'object' &&
          Array.isArray(range) &&
          range.length === 2 &&
          range.every((r) => typeof r === 'number')
        );
      };
      // One write's metrics, or BatchWriteItem's: a list of them per table.
      const all =
        'ItemCollectionKey' in m
          ? [m]
          : Object.values(m).flatMap((v) => (Array.isArray(v) ? (v as Json[]) : [{}]));
      if (!all.every(shaped)) return b;
      const { ItemCollectionMetrics: _, ...rest } = b;
      return rest;
    },
  },
  onDemandThroughput: {
    line: 'ProvisionedThroughput with PAY_PER_REQUEST',
    check: (s, b) => errorCheck(s, b, /#ValidationException$/, /when BillingMode is PAY_PER_REQUEST/),
  },
  wrongJsonType: {
    line: 'A member of the wrong JSON type',
    check: (s, b) => errorCheck(s, b, /#SerializationException$/),
  },
  malformedJson: {
    line: 'Malformed JSON body',
    check: (s, b) => errorCheck(s, b, /#SerializationException$/),
  },
  enumValue: {
    line: [
      'Enumerations (BillingMode',
      'ReturnConsumedCapacity / ReturnItemCollectionMetrics / ReturnValuesOnConditionCheckFailure',
    ],
    check: (s, b) => errorCheck(s, b, /#ValidationException$/, /Member must satisfy enum value set/),
  },
  unpairedSurrogate: {
    line: 'A string with an unpaired UTF-16 surrogate',
    check: (s, b) => errorCheck(s, b, /#SerializationException$/, /unpaired UTF-16 surrogate/),
  },
  sizeReserved: {
    line: '`size` as an attribute name',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /Attribute name is a reserved keyword; reserved keyword: size$/,
      ),
  },
  legacyWithExpression: {
    line: 'UpdateItem with both legacy',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^Can not use both expression and non-expression parameters in the same request/,
      ),
  },
  badBase64: {
    line: 'B value that is not base64',
    check: (s, b) => errorCheck(s, b, /#SerializationException$/),
  },
  keyConditionNe: {
    line: 'KeyConditions with NE on the sort key',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^Attempted conditional constraint is not an indexable operation$/,
      ),
  },
  attributeUpdatesDefaultPut: {
    line: 'AttributeUpdates entry without `Action`',
    // The case's entry is { s: { Value: "default action" } }: DynamoDB PUTs it.
    check: (s, b) =>
      s === 200 && JSON.stringify(b).includes('{"s":{"S":"default action"}}')
        ? undefined
        : `expected s = "default action" PUT, got ${s} ${JSON.stringify(b).slice(0, 300)}`,
  },
  emptyAttributesToGet: {
    line: 'AttributesToGet `[]`',
    check: (s, b) =>
      errorCheck(s, b, /#ValidationException$/, /at 'attributesToGet' failed to satisfy constraint/),
  },
  oracleInternalFailure: {
    line: 'DynamoDB Local answers InternalFailure (500)',
    // DynamoDB Local gives nothing to compare with: ours must not fail inside, and answer in shape.
    check: (s, b) =>
      s === 200
        ? undefined
        : errorCheck(s, b, /#(ValidationException|SerializationException|UnknownOperationException)$/),
  },
  notJsonProtocol: {
    line: 'A request whose Content-Type is not DynamoDB',
    check: (s, b) =>
      s === 404 && b.text === '<UnknownOperationException/>\n'
        ? undefined
        : `expected 404 <UnknownOperationException/>, got ${s} ${JSON.stringify(b).slice(0, 300)}`,
  },
  unknownTarget: {
    line: 'An x-amz-target that names no operation',
    check: (s, b) =>
      s === 400 && JSON.stringify(b) === '{"__type":"com.amazon.coral.service#UnknownOperationException"}'
        ? undefined
        : `expected 400 bare UnknownOperationException, got ${s} ${JSON.stringify(b).slice(0, 300)}`,
  },
  missingAuthentication: {
    line: 'A request without Authorization',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /^com\.amazon\.coral\.service#MissingAuthenticationTokenException$/,
        /^Request is missing Authentication Token$/,
      ),
  },
  negativeSegment: {
    line: 'Scan with a negative Segment',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0$/,
      ),
  },
  partiqlCapacity: {
    line: "PartiQL's ConsumedCapacity",
    // DynamoDB Local never answers it: what we answer is checked by the integration tests.
    both: (b) => {
      const { ConsumedCapacity: _, ...rest } = b;
      return rest;
    },
  },
  duplicateItem: {
    line: 'INSERT of an item that exists',
    oracle: (b) =>
      typeof b.__type === 'string' && b.__type.endsWith('#DuplicateItem')
        ? { ...b, __type: `${b.__type}Exception` }
        : b,
  },
  partiqlNumberScale: {
    line: 'Numbers written by a PartiQL INSERT or UPDATE',
    oracle: (b) => canonicalNumbers(b) as Json,
  },
  transactUpdateError: {
    line: "A transaction's Update that fails on the item's value",
    // Both as one ValidationException with the reason's message (the reasons themselves are unit-tested).
    both: (b) => {
      if (!String(b.__type).endsWith('#TransactionCanceledException')) return b;
      const r = (b.CancellationReasons as Json[] | undefined)?.find((x) => x.Code === 'ValidationError');
      return r ? { __type: 'com.amazon.coral.validate#ValidationException', message: r.Message } : b;
    },
  },
  transactUpdateExpressionRequired: {
    line: "A transaction's Update without UpdateExpression",
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^Value null at 'transactItems\.1\.member\.update\.updateExpression'/,
      ),
  },
  transactEmptyToken: {
    line: 'ClientRequestToken of length 0',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /at 'clientRequestToken' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
      ),
  },
  transactGetItemsNull: {
    line: 'TransactGetItems with `[]` or an entry without Get',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^Value (\[\]|null) at 'transactItems(\.1\.member\.get)?' failed/,
      ),
  },
  gsiCreateStatus: { line: 'A GSI created by UpdateTable: the answer', both: anyPhase },
  gsiPhaseSoon: {
    line: 'DescribeTable soon after a GSI is created by UpdateTable',
    both: (body) =>
      withTable(anyPhase(body), (t) =>
        Array.isArray(t.GlobalSecondaryIndexes)
          ? {
              ...t,
              GlobalSecondaryIndexes: (t.GlobalSecondaryIndexes as Json[]).map(
                ({ Backfilling: _, ...g }) => g,
              ),
            }
          : t,
      ),
  },
  indexNotFound: {
    line: 'UpdateTable naming a GSI the table does not have',
    check: (s, b) =>
      errorCheck(s, b, /#ResourceNotFoundException$/, /^Requested resource not found: Index: \S+ not found$/),
  },
  gsiKeyViolation: {
    line: 'An item whose attribute has another type than the new GSI',
    // DynamoDB leaves such an item out of the index: ours must not hold it.
    check: (s, b) =>
      s === 200 && b.Count === 0 ? undefined : `expected no items, got ${s} ${JSON.stringify(b)}`,
  },
  projectedLimitUpdate: {
    line: 'UpdateTable creating a GSI, more than 100 attributes projected',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of 100, provided: \d+$/,
      ),
  },
  gsiDeleteStatus: { line: 'A GSI deleted by UpdateTable: the answer', both: anyPhase },
  ttlOtherAttribute: {
    line: 'UpdateTimeToLive naming another attribute than the active one',
    both: (b) =>
      typeof b.message === 'string'
        ? { ...b, message: b.message.replace(/: current AttributeName is .*$/, '') }
        : b,
  },
  ttlSpecification: {
    line: 'UpdateTimeToLive without TimeToLiveSpecification',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^\d validation errors? detected: Value .* at 'timeToLiveSpecification(\.attributeName|\.enabled)?' failed to satisfy constraint: Member must (not be null|have length)/,
      ),
  },
  streamTableName: {
    line: 'UpdateTable enabling a stream on a table that has one enabled',
    oracle: (b, { request }) =>
      typeof b.message === 'string' &&
      /^Table (already has an enabled stream|has no stream to disable)$/.test(b.message)
        ? { ...b, message: `${b.message}: TableName: ${String(request?.TableName)}` }
        : b,
  },
  streamEnabledNull: {
    line: 'StreamSpecification without StreamEnabled',
    check: (s, b) =>
      errorCheck(
        s,
        b,
        /#ValidationException$/,
        /^1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null$/,
      ),
  },
  continuousBackups: {
    line: 'UpdateContinuousBackups / DescribeContinuousBackups',
    check: (s, b) => {
      if (s !== 200) return errorCheck(s, b, /#TableNotFoundException$/, /^Table not found: /);
      const d = b.ContinuousBackupsDescription as Json | undefined;
      const pitr = d?.PointInTimeRecoveryDescription as Json | undefined;
      const ok =
        d?.ContinuousBackupsStatus === 'ENABLED' &&
        (pitr?.PointInTimeRecoveryStatus === 'DISABLED'
          ? Object.keys(pitr).length === 1
          : pitr?.PointInTimeRecoveryStatus === 'ENABLED' &&
            typeof pitr.EarliestRestorableDateTime === 'number' &&
            typeof pitr.LatestRestorableDateTime === 'number' &&
            typeof pitr.RecoveryPeriodInDays === 'number');
      return ok
        ? undefined
        : `not a ContinuousBackupsDescription as DynamoDB writes it: ${JSON.stringify(b)}`;
    },
  },
} satisfies Record<string, Divergence>;

export type DivergenceId = keyof typeof DIVERGENCES;

export const GLOBAL: Divergence[] = Object.values(DIVERGENCES as Record<string, Divergence>).filter(
  (d) => d.global,
);
