/**
 * The AWS formats of a table, read into a TableSpec: CreateTable input (the AWS CLI's
 * `--generate-cli-skeleton`) and a TableDescription (`describe-table` output, and the live table).
 *
 * NOTE: a little over 500 lines, kept as one file: both AWS shapes are one reader (`readAwsTable`)
 * with one set of field helpers; a description differs only by the read-only fields it ignores.
 */
import {
  checkKeys,
  expectBoolean,
  expectList,
  expectNumber,
  expectRecord,
  expectString,
  type Fail,
  formatPath,
  isRecord,
  kindOf,
  type Path,
} from './fields.js';
import { readAttributeList, readViewType } from './ownFormat.js';
import type {
  Billing,
  GsiSpec,
  KeyAttribute,
  KeyType,
  LsiSpec,
  OnDemandLimit,
  Projection,
  SseSpec,
  TableSpec,
  Throughput,
  WarmThroughput,
} from './types.js';
import type { Parsed, SourcePaths } from './validate.js';

const AWS_INPUT_FIELDS = [
  'TableName',
  'AttributeDefinitions',
  'KeySchema',
  'BillingMode',
  'ProvisionedThroughput',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'Tags',
  'StreamSpecification',
  'TableClass',
  'DeletionProtectionEnabled',
  'OnDemandThroughput',
  'WarmThroughput',
  'SSESpecification',
  'ResourcePolicy',
] as const;
/** CreateTable settings specs do not manage: refused by name (never dropped) when given. */
const AWS_UNMANAGED: Readonly<Record<string, string>> = {
  GlobalTableSourceArn: 'a replica of a global table (GlobalTableSourceArn)',
  GlobalTableSettingsReplicationMode: 'global table settings replication',
  VectorIndexes: 'vector indexes',
};
/** Read-only TableDescription fields (`describe-table` output). */
const AWS_READ_ONLY = [
  'TableStatus',
  'CreationDateTime',
  'TableSizeBytes',
  'ItemCount',
  'TableArn',
  'TableId',
  'BillingModeSummary',
  'LatestStreamLabel',
  'LatestStreamArn',
  'GlobalTableVersion',
  'Replicas',
  'GlobalTableWitnesses',
  'GlobalTableSettingsReplicationMode',
  'RestoreSummary',
  'ArchivalSummary',
  'TableClassSummary',
  'DisassociationProtectionEnabled',
  'MultiRegionConsistency',
];
const AWS_THROUGHPUT_READ_ONLY = ['LastIncreaseDateTime', 'LastDecreaseDateTime', 'NumberOfDecreasesToday'];
const AWS_INDEX_READ_ONLY = ['IndexSizeBytes', 'ItemCount', 'IndexArn'];
const AWS_GSI_READ_ONLY = [...AWS_INDEX_READ_ONLY, 'IndexStatus', 'Backfilling'];

interface AwsContext {
  fail: Fail;
  /** File input: unknown fields and unused attribute definitions are errors. Off for live state. */
  strict: boolean;
  /**
   * A TableDescription: absent stream / deletion protection / table class mean off / false /
   * STANDARD. CreateTable input leaves them unmanaged instead.
   */
  description: boolean;
}

interface AwsKeys {
  hash: KeyAttribute;
  hashIndex: number;
  range?: KeyAttribute;
  rangeIndex: number;
}

function readAwsKeySchema(
  v: unknown,
  path: Path,
  defs: Map<string, KeyType>,
  used: Set<string>,
  ctx: AwsContext,
): AwsKeys {
  const fail: Fail = ctx.fail;
  if (v === undefined) fail(path, 'missing KeySchema: [{AttributeName, KeyType: HASH}, ...]');
  const list = expectList(v, path, fail);
  let hash: { key: KeyAttribute; index: number } | undefined;
  let range: { key: KeyAttribute; index: number } | undefined;
  list.forEach((raw, i) => {
    const ep = [...path, i];
    const e = expectRecord(raw, ep, fail, '{AttributeName, KeyType}');
    if (ctx.strict) checkKeys(e, ['AttributeName', 'KeyType'], ep, fail);
    const name = expectString(e.AttributeName, [...ep, 'AttributeName'], fail, 'missing AttributeName');
    const type = defs.get(name);
    if (type === undefined) {
      fail([...ep, 'AttributeName'], `key attribute "${name}" has no type: add it to AttributeDefinitions`);
    }
    used.add(name);
    const keyType = expectString(e.KeyType, [...ep, 'KeyType'], fail, 'missing KeyType (HASH or RANGE)');
    if (keyType === 'HASH') {
      if (hash) fail([...ep, 'KeyType'], 'more than one HASH key');
      hash = { key: { name, type }, index: i };
    } else if (keyType === 'RANGE') {
      if (range) fail([...ep, 'KeyType'], 'more than one RANGE key');
      range = { key: { name, type }, index: i };
    } else {
      fail([...ep, 'KeyType'], `unknown KeyType "${keyType}": use HASH or RANGE`);
    }
  });
  if (!hash) return fail(path, 'no HASH (partition) key');
  const keys: AwsKeys = { hash: hash.key, hashIndex: hash.index, rangeIndex: range?.index ?? hash.index };
  if (range) keys.range = range.key;
  return keys;
}

function readAwsThroughput(
  v: unknown,
  path: Path,
  ctx: AwsContext,
): { read: number; write: number } | undefined {
  if (v === undefined || v === null) return undefined;
  const t = expectRecord(v, path, ctx.fail, '{ReadCapacityUnits, WriteCapacityUnits}');
  if (ctx.strict)
    checkKeys(t, ['ReadCapacityUnits', 'WriteCapacityUnits'], path, ctx.fail, AWS_THROUGHPUT_READ_ONLY);
  return {
    read:
      t.ReadCapacityUnits === undefined
        ? 0
        : expectNumber(t.ReadCapacityUnits, [...path, 'ReadCapacityUnits'], ctx.fail),
    write:
      t.WriteCapacityUnits === undefined
        ? 0
        : expectNumber(t.WriteCapacityUnits, [...path, 'WriteCapacityUnits'], ctx.fail),
  };
}

function readAwsProjection(v: unknown, path: Path, ctx: AwsContext): Projection {
  const fail: Fail = ctx.fail;
  const p = expectRecord(v, path, fail, 'a Projection: {ProjectionType, NonKeyAttributes?}');
  if (ctx.strict) checkKeys(p, ['ProjectionType', 'NonKeyAttributes'], path, fail);
  const type = expectString(p.ProjectionType, [...path, 'ProjectionType'], fail, 'missing ProjectionType');
  if (type !== 'ALL' && type !== 'KEYS_ONLY' && type !== 'INCLUDE') {
    fail([...path, 'ProjectionType'], `unknown ProjectionType "${type}": use ALL, KEYS_ONLY or INCLUDE`);
  }
  const projection: Projection = { type };
  if (p.NonKeyAttributes !== undefined) {
    projection.attributes = readAttributeList(p.NonKeyAttributes, [...path, 'NonKeyAttributes'], fail);
  }
  return projection;
}

function readAwsOnDemand(v: unknown, path: Path, ctx: AwsContext): OnDemandLimit | undefined {
  if (v === undefined || v === null) return undefined;
  const o = expectRecord(v, path, ctx.fail, '{MaxReadRequestUnits, MaxWriteRequestUnits}');
  if (ctx.strict) checkKeys(o, ['MaxReadRequestUnits', 'MaxWriteRequestUnits'], path, ctx.fail);
  const limit = {
    maxRead:
      o.MaxReadRequestUnits === undefined
        ? -1
        : expectNumber(o.MaxReadRequestUnits, [...path, 'MaxReadRequestUnits'], ctx.fail),
    maxWrite:
      o.MaxWriteRequestUnits === undefined
        ? -1
        : expectNumber(o.MaxWriteRequestUnits, [...path, 'MaxWriteRequestUnits'], ctx.fail),
  };
  // A description reports "no limit" as -1/-1 (or not at all): the default, not a setting.
  if (ctx.description && limit.maxRead === -1 && limit.maxWrite === -1) return undefined;
  return limit;
}

function readAwsWarm(v: unknown, path: Path, ctx: AwsContext): WarmThroughput | undefined {
  if (v === undefined || v === null) return undefined;
  const w = expectRecord(v, path, ctx.fail, '{ReadUnitsPerSecond, WriteUnitsPerSecond}');
  // Status is how a description reports the warm-up (ACTIVE, UPDATING): read-only.
  if (ctx.strict) checkKeys(w, ['ReadUnitsPerSecond', 'WriteUnitsPerSecond'], path, ctx.fail, ['Status']);
  const out: WarmThroughput = {};
  if (w.ReadUnitsPerSecond !== undefined) {
    out.read = expectNumber(w.ReadUnitsPerSecond, [...path, 'ReadUnitsPerSecond'], ctx.fail);
  }
  if (w.WriteUnitsPerSecond !== undefined) {
    out.write = expectNumber(w.WriteUnitsPerSecond, [...path, 'WriteUnitsPerSecond'], ctx.fail);
  }
  return out.read === undefined && out.write === undefined ? undefined : out;
}

/**
 * SSESpecification (input): `Enabled: true` = a KMS key (KMSMasterKeyId, else the AWS managed
 * key); false or absent = an AWS owned key. SSEDescription (a description): ENABLED / ENABLING /
 * UPDATING with the key's ARN; absent = an AWS owned key.
 */
function readAwsSse(t: Record<string, unknown>, at: Path, ctx: AwsContext): SseSpec | undefined {
  const fail = ctx.fail;
  if (t.SSESpecification !== undefined && t.SSESpecification !== null) {
    const path = [...at, 'SSESpecification'];
    const s = expectRecord(t.SSESpecification, path, fail, '{Enabled, SSEType, KMSMasterKeyId}');
    if (ctx.strict) checkKeys(s, ['Enabled', 'SSEType', 'KMSMasterKeyId'], path, fail);
    const enabled = s.Enabled === undefined ? false : expectBoolean(s.Enabled, [...path, 'Enabled'], fail);
    if (s.SSEType !== undefined && s.SSEType !== 'KMS' && s.SSEType !== 'AES256') {
      fail([...path, 'SSEType'], `unknown SSEType ${kindOf(s.SSEType)}: use KMS`);
    }
    const key =
      s.KMSMasterKeyId === undefined
        ? undefined
        : expectString(s.KMSMasterKeyId, [...path, 'KMSMasterKeyId'], fail, 'missing KMSMasterKeyId');
    if (!enabled || s.SSEType === 'AES256') {
      if (key !== undefined) {
        fail([...path, 'KMSMasterKeyId'], 'a KMS key needs Enabled: true (and SSEType KMS)');
      }
      return { kms: false };
    }
    return key === undefined ? { kms: true } : { kms: true, kmsKey: key };
  }
  if (isRecord(t.SSEDescription)) {
    const d = t.SSEDescription;
    const on = d.Status === 'ENABLED' || d.Status === 'ENABLING' || d.Status === 'UPDATING';
    if (!on) return { kms: false };
    return typeof d.KMSMasterKeyArn === 'string' ? { kms: true, kmsKey: d.KMSMasterKeyArn } : { kms: true };
  }
  return ctx.description ? { kms: false } : undefined;
}

function isZero(t: Throughput | undefined): boolean {
  return t === undefined || (t.read === 0 && t.write === 0);
}

export function readAwsTable(raw: unknown, at: Path, ctx: AwsContext): Parsed {
  const fail: Fail = ctx.fail;
  const t = expectRecord(raw, at, fail, 'a table');
  const p = (...rest: (string | number)[]): Path => [...at, ...rest];
  if (ctx.strict) {
    for (const [key, what] of Object.entries(AWS_UNMANAGED)) {
      if (t[key] !== undefined && !ctx.description) {
        fail(
          p(key),
          `ddbctl specs do not manage ${what}: remove ${key}, or create this table with 'aws dynamodb create-table'`,
        );
      }
    }
    checkKeys(t, AWS_INPUT_FIELDS, at, fail, [
      'SSEDescription',
      ...AWS_READ_ONLY,
      ...(ctx.description ? Object.keys(AWS_UNMANAGED) : []),
    ]);
  }

  const name = expectString(t.TableName, p('TableName'), fail, 'missing TableName');

  const defs = new Map<string, KeyType>();
  const defIndex = new Map<string, number>();
  expectList(t.AttributeDefinitions, p('AttributeDefinitions'), fail).forEach((rawDef, i) => {
    const dp = p('AttributeDefinitions', i);
    const d = expectRecord(rawDef, dp, fail, '{AttributeName, AttributeType}');
    if (ctx.strict) checkKeys(d, ['AttributeName', 'AttributeType'], dp, fail);
    const attr = expectString(d.AttributeName, [...dp, 'AttributeName'], fail, 'missing AttributeName');
    const typeText = expectString(
      d.AttributeType,
      [...dp, 'AttributeType'],
      fail,
      'missing AttributeType (S, N or B)',
    );
    if (typeText !== 'S' && typeText !== 'N' && typeText !== 'B') {
      fail([...dp, 'AttributeType'], `unknown AttributeType "${typeText}": use S, N or B`);
    }
    const seen = defs.get(attr);
    if (seen !== undefined && seen !== typeText) {
      fail(
        [...dp, 'AttributeType'],
        `attribute "${attr}" is ${typeText} here but ${seen} at ${formatPath(p('AttributeDefinitions', defIndex.get(attr) ?? 0))}`,
      );
    }
    defs.set(attr, typeText);
    if (!defIndex.has(attr)) defIndex.set(attr, i);
  });
  const used = new Set<string>();
  const tableKeys = readAwsKeySchema(t.KeySchema, p('KeySchema'), defs, used, ctx);

  // Billing: BillingMode (input) or BillingModeSummary (description); absent = PROVISIONED.
  const summary = isRecord(t.BillingModeSummary) ? t.BillingModeSummary : undefined;
  const modeText = t.BillingMode ?? summary?.BillingMode ?? 'PROVISIONED';
  if (modeText !== 'PROVISIONED' && modeText !== 'PAY_PER_REQUEST') {
    fail(p('BillingMode'), `unknown BillingMode ${kindOf(modeText)}: use PROVISIONED or PAY_PER_REQUEST`);
  }
  const tableThroughput = readAwsThroughput(t.ProvisionedThroughput, p('ProvisionedThroughput'), ctx);
  let billing: Billing;
  // NOTE: a description of an on-demand table reports ProvisionedThroughput 0/0, and some engines
  // omit BillingModeSummary: 0/0 can only mean on-demand.
  if (modeText === 'PAY_PER_REQUEST' || (!ctx.strict && isZero(tableThroughput))) {
    if (ctx.strict && !isZero(tableThroughput)) {
      fail(
        p('ProvisionedThroughput'),
        'an on-demand (PAY_PER_REQUEST) table takes no ProvisionedThroughput: remove it',
      );
    }
    billing = { mode: 'PAY_PER_REQUEST' };
  } else {
    if (!tableThroughput) {
      fail(
        at,
        'missing ProvisionedThroughput: a PROVISIONED table needs it (or set BillingMode: PAY_PER_REQUEST)',
      );
    }
    billing = { mode: 'PROVISIONED', read: tableThroughput.read, write: tableThroughput.write };
  }

  const indexKeys: Record<'gsis' | 'lsis', AwsKeys[]> = { gsis: [], lsis: [] };
  const gsis = expectList(t.GlobalSecondaryIndexes, p('GlobalSecondaryIndexes'), fail).map(
    (rawIndex, i): GsiSpec => {
      const gp = p('GlobalSecondaryIndexes', i);
      const g = expectRecord(rawIndex, gp, fail, 'a GSI: {IndexName, KeySchema, Projection}');
      if (ctx.strict) {
        checkKeys(
          g,
          [
            'IndexName',
            'KeySchema',
            'Projection',
            'ProvisionedThroughput',
            'OnDemandThroughput',
            'WarmThroughput',
          ],
          gp,
          fail,
          AWS_GSI_READ_ONLY,
        );
      }
      const keys = readAwsKeySchema(g.KeySchema, [...gp, 'KeySchema'], defs, used, ctx);
      indexKeys.gsis.push(keys);
      const gsi: GsiSpec = {
        name: expectString(g.IndexName, [...gp, 'IndexName'], fail, 'missing IndexName'),
        partitionKey: keys.hash,
        projection: readAwsProjection(g.Projection, [...gp, 'Projection'], ctx),
      };
      if (keys.range) gsi.sortKey = keys.range;
      const throughput = readAwsThroughput(g.ProvisionedThroughput, [...gp, 'ProvisionedThroughput'], ctx);
      // 0/0 is how a description reports an on-demand GSI (and the skeleton's placeholder).
      // NOTE: DynamoDB Local keeps reporting a GSI's old capacity after a switch to on-demand.
      const onDemandDescription = ctx.description && billing.mode === 'PAY_PER_REQUEST';
      if (throughput && !isZero(throughput) && !onDemandDescription) gsi.throughput = throughput;
      else if (throughput && billing.mode === 'PROVISIONED' && ctx.strict && !ctx.description) {
        gsi.throughput = throughput; // let validation explain the 0
      }
      const onDemand = readAwsOnDemand(g.OnDemandThroughput, [...gp, 'OnDemandThroughput'], ctx);
      if (onDemand) gsi.onDemandThroughput = onDemand;
      const warm = readAwsWarm(g.WarmThroughput, [...gp, 'WarmThroughput'], ctx);
      if (warm) gsi.warmThroughput = warm;
      return gsi;
    },
  );

  const lsis = expectList(t.LocalSecondaryIndexes, p('LocalSecondaryIndexes'), fail).map(
    (rawIndex, i): LsiSpec => {
      const lp = p('LocalSecondaryIndexes', i);
      const l = expectRecord(rawIndex, lp, fail, 'an LSI: {IndexName, KeySchema, Projection}');
      if (ctx.strict) checkKeys(l, ['IndexName', 'KeySchema', 'Projection'], lp, fail, AWS_INDEX_READ_ONLY);
      const keys = readAwsKeySchema(l.KeySchema, [...lp, 'KeySchema'], defs, used, ctx);
      indexKeys.lsis.push(keys);
      if (keys.hash.name !== tableKeys.hash.name) {
        fail(
          [...lp, 'KeySchema', keys.hashIndex],
          `an LSI's HASH key must be the table's ("${tableKeys.hash.name}")`,
        );
      }
      if (!keys.range) fail([...lp, 'KeySchema'], 'an LSI needs a RANGE (sort) key');
      return {
        name: expectString(l.IndexName, [...lp, 'IndexName'], fail, 'missing IndexName'),
        sortKey: keys.range,
        projection: readAwsProjection(l.Projection, [...lp, 'Projection'], ctx),
      };
    },
  );

  if (ctx.strict) {
    for (const [attr, i] of defIndex) {
      if (!used.has(attr)) {
        fail(
          p('AttributeDefinitions', i),
          `attribute "${attr}" is in no KeySchema: remove it (DynamoDB refuses unused attribute definitions)`,
        );
      }
    }
  }

  const tags: Record<string, string> = {};
  const tagIndex = new Map<string, number>();
  expectList(t.Tags, p('Tags'), fail).forEach((rawTag, i) => {
    const tp = p('Tags', i);
    const tag = expectRecord(rawTag, tp, fail, '{Key, Value}');
    if (ctx.strict) checkKeys(tag, ['Key', 'Value'], tp, fail);
    const key = expectString(tag.Key, [...tp, 'Key'], fail, 'missing Key');
    const value = expectString(tag.Value, [...tp, 'Value'], fail, 'missing Value');
    if (tagIndex.has(key)) fail([...tp, 'Key'], `duplicate tag key "${key}"`);
    tags[key] = value;
    tagIndex.set(key, i);
  });

  const spec: TableSpec = { name, partitionKey: tableKeys.hash, billing };
  if (tableKeys.range) spec.sortKey = tableKeys.range;
  // A description is the whole state: an absent index list means none. CreateTable input leaves
  // an absent list unmanaged, like ddbctl's own format. NOTE: DescribeTable never reports tags, so
  // tags are managed only when the file lists them.
  if (ctx.description || t.GlobalSecondaryIndexes !== undefined) spec.gsis = gsis;
  if (ctx.description || t.LocalSecondaryIndexes !== undefined) spec.lsis = lsis;
  if (t.Tags !== undefined) spec.tags = tags;

  if (t.StreamSpecification !== undefined && t.StreamSpecification !== null) {
    const sp = p('StreamSpecification');
    const s = expectRecord(t.StreamSpecification, sp, fail, '{StreamEnabled, StreamViewType}');
    if (ctx.strict) checkKeys(s, ['StreamEnabled', 'StreamViewType'], sp, fail);
    const enabled = expectBoolean(s.StreamEnabled, [...sp, 'StreamEnabled'], fail);
    spec.stream = enabled
      ? { viewType: readViewType(s.StreamViewType, [...sp, 'StreamViewType'], fail) }
      : null;
  } else if (ctx.description) {
    spec.stream = null;
  }

  const classSummary = isRecord(t.TableClassSummary) ? t.TableClassSummary : undefined;
  const tableClass = t.TableClass ?? classSummary?.TableClass;
  if (tableClass !== undefined) {
    if (tableClass !== 'STANDARD' && tableClass !== 'STANDARD_INFREQUENT_ACCESS') {
      fail(
        p('TableClass'),
        `unknown TableClass ${kindOf(tableClass)}: use STANDARD or STANDARD_INFREQUENT_ACCESS`,
      );
    }
    spec.tableClass = tableClass;
  } else if (ctx.description) {
    spec.tableClass = 'STANDARD';
  }

  if (t.DeletionProtectionEnabled !== undefined) {
    spec.deletionProtection = expectBoolean(
      t.DeletionProtectionEnabled,
      p('DeletionProtectionEnabled'),
      fail,
    );
  } else if (ctx.description) {
    spec.deletionProtection = false;
  }

  const onDemand = readAwsOnDemand(t.OnDemandThroughput, p('OnDemandThroughput'), ctx);
  if (onDemand) spec.onDemandThroughput = onDemand;
  const warm = readAwsWarm(t.WarmThroughput, p('WarmThroughput'), ctx);
  if (warm) spec.warmThroughput = warm;
  const sse = readAwsSse(t, at, ctx);
  if (sse) spec.sse = sse;
  if (t.ResourcePolicy !== undefined && t.ResourcePolicy !== null) {
    spec.resourcePolicy = expectString(t.ResourcePolicy, p('ResourcePolicy'), fail, 'missing ResourcePolicy');
  }

  const indexBase = (kind: 'gsis' | 'lsis', i: number): Path =>
    p(kind === 'gsis' ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes', i);
  const paths: SourcePaths = {
    table: (field) => {
      switch (field) {
        case 'name':
          return p('TableName');
        case 'partitionKey':
          return p('KeySchema', tableKeys.hashIndex);
        case 'sortKey':
          return p('KeySchema', tableKeys.rangeIndex);
        case 'billing':
          return p('ProvisionedThroughput');
        case 'gsis':
          return p('GlobalSecondaryIndexes');
        case 'lsis':
          return p('LocalSecondaryIndexes');
        case 'tags':
          return p('Tags');
        case 'ttl':
          return at;
        case 'onDemandThroughput':
          return p('OnDemandThroughput');
        case 'warmThroughput':
          return p('WarmThroughput');
        case 'sse':
          return p('SSESpecification');
        case 'resourcePolicy':
          return p('ResourcePolicy');
      }
    },
    index: (kind, i, field) => {
      const base = indexBase(kind, i);
      const keys = indexKeys[kind][i];
      switch (field) {
        case 'name':
          return [...base, 'IndexName'];
        case 'partitionKey':
          return [...base, 'KeySchema', keys?.hashIndex ?? 0];
        case 'sortKey':
          return [...base, 'KeySchema', keys?.rangeIndex ?? 0];
        case 'projection':
          return [...base, 'Projection'];
        case 'attributes':
          return [...base, 'Projection', 'NonKeyAttributes'];
        case 'throughput':
          return [...base, 'ProvisionedThroughput'];
        case 'onDemandThroughput':
          return [...base, 'OnDemandThroughput'];
        case 'warmThroughput':
          return [...base, 'WarmThroughput'];
      }
    },
    tag: (key) => p('Tags', tagIndex.get(key) ?? 0),
  };
  return { spec, paths };
}
