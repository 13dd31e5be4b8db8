/** ddbctl's own spec format (`name`, `partitionKey: id:S`, `billing`, `gsis`, ...; see ../tableSpec.ts), read into a TableSpec. */
import {
  checkKeys,
  enumWord,
  expectBoolean,
  expectList,
  expectNumber,
  expectRecord,
  expectString,
  type Fail,
  isRecord,
  kindOf,
  type Path,
  STREAM_VIEW_TYPES,
} from './fields.js';
import type {
  Billing,
  GsiSpec,
  KeyAttribute,
  KeyType,
  OnDemandLimit,
  Projection,
  ProjectionType,
  SseSpec,
  StreamViewType,
  TableClass,
  TableSpec,
  Throughput,
  WarmThroughput,
} from './types.js';
import type { Parsed, SourcePaths } from './validate.js';

const TABLE_FIELDS = [
  'name',
  'partitionKey',
  'sortKey',
  'attributes',
  'billing',
  'gsis',
  'lsis',
  'tags',
  'ttl',
  'pitr',
  'stream',
  'deletionProtection',
  'tableClass',
  'onDemandThroughput',
  'warmThroughput',
  'sse',
  'resourcePolicy',
] as const;
const GSI_FIELDS = [
  'name',
  'partitionKey',
  'sortKey',
  'projection',
  'throughput',
  'onDemandThroughput',
  'warmThroughput',
] as const;
const LSI_FIELDS = ['name', 'partitionKey', 'sortKey', 'projection'] as const;

function readKeyType(v: unknown, path: Path, fail: Fail): KeyType {
  if (typeof v !== 'string') fail(path, `expected a key type (S, N or B), got ${kindOf(v)}`);
  const word = enumWord(v);
  if (word === 'S' || word === 'STRING') return 'S';
  if (word === 'N' || word === 'NUMBER') return 'N';
  if (word === 'B' || word === 'BINARY') return 'B';
  return fail(path, `unknown key type "${v}": use S (string), N (number) or B (binary)`);
}

interface KeyContext {
  /** Types declared under the table's `attributes`. */
  declared: Map<string, KeyType>;
  /** Declared attributes a key used (the rest are reported as unused). */
  used: Set<string>;
  fail: Fail;
}

/** `"name:S"`, `"name"` (typed by `attributes`) or `{name, type}`. */
function readKey(v: unknown, path: Path, ctx: KeyContext): KeyAttribute {
  const fail: Fail = ctx.fail;
  let name: string;
  let type: KeyType | undefined;
  if (typeof v === 'string') {
    const m = /^(.+):([^:]*)$/.exec(v);
    if (m) {
      name = m[1] ?? '';
      const word = m[2] ?? '';
      if (!/^(s|n|b|string|number|binary)$/i.test(word)) {
        fail(
          path,
          `unknown key type "${word}" in "${v}": write "name:S", "name:N" or "name:B" ({name, type} for a name with ":")`,
        );
      }
      type = readKeyType(word, path, fail);
    } else {
      name = v;
    }
  } else if (isRecord(v)) {
    checkKeys(v, ['name', 'type'], path, fail);
    name = expectString(v.name, [...path, 'name'], fail, 'missing the attribute name');
    if (v.type !== undefined) type = readKeyType(v.type, [...path, 'type'], fail);
  } else {
    return fail(path, `expected a key such as "username:S" or {name: username, type: S}, got ${kindOf(v)}`);
  }
  const declared = ctx.declared.get(name);
  if (declared !== undefined) {
    ctx.used.add(name);
    if (type !== undefined && type !== declared) {
      fail(path, `attribute "${name}" is ${type} here but ${declared} under attributes`);
    }
    type = declared;
  }
  if (type === undefined) {
    return fail(
      path,
      `key attribute "${name}" has no type: write "${name}:S" (S, N or B) or declare it under attributes`,
    );
  }
  return { name, type };
}

function readThroughput(v: unknown, path: Path, fail: Fail): Throughput {
  const t = expectRecord(v, path, fail, 'read and write capacity, such as {read: 5, write: 5}');
  checkKeys(t, ['read', 'write'], path, fail);
  if (t.read === undefined) fail(path, 'missing read capacity: {read: 5, write: 5}');
  if (t.write === undefined) fail(path, 'missing write capacity: {read: 5, write: 5}');
  return {
    read: expectNumber(t.read, [...path, 'read'], fail),
    write: expectNumber(t.write, [...path, 'write'], fail),
  };
}

function readBilling(v: unknown, path: Path, fail: Fail): Billing {
  const hint = 'use "on-demand" or provisioned capacity such as {read: 5, write: 5}';
  if (v === undefined || v === null) return { mode: 'PAY_PER_REQUEST' };
  if (typeof v === 'string') {
    const word = enumWord(v);
    if (word === 'ON_DEMAND' || word === 'PAY_PER_REQUEST') return { mode: 'PAY_PER_REQUEST' };
    if (word === 'PROVISIONED')
      fail(path, `provisioned billing needs its capacity: ${hint.slice(hint.indexOf('{'))}`);
    return fail(path, `unknown billing "${v}": ${hint}`);
  }
  const b = expectRecord(v, path, fail, `billing: ${hint}`);
  checkKeys(b, ['mode', 'read', 'write'], path, fail);
  if (b.mode !== undefined) {
    const mode = enumWord(expectString(b.mode, [...path, 'mode'], fail, 'missing mode'));
    if (mode === 'ON_DEMAND' || mode === 'PAY_PER_REQUEST') {
      if (b.read !== undefined || b.write !== undefined) {
        fail(
          path,
          'an on-demand table has no read/write capacity: remove read and write, or use mode: provisioned',
        );
      }
      return { mode: 'PAY_PER_REQUEST' };
    }
    if (mode !== 'PROVISIONED')
      fail([...path, 'mode'], `unknown billing mode "${b.mode}": use on-demand or provisioned`);
  }
  const { read, write } = readThroughput({ read: b.read, write: b.write }, path, fail);
  return { mode: 'PROVISIONED', read, write };
}

export function readAttributeList(v: unknown, path: Path, fail: Fail): string[] {
  return expectList(v, path, fail).map((a, i) =>
    expectString(a, [...path, i], fail, 'expected an attribute name, got null'),
  );
}

function readProjection(v: unknown, path: Path, fail: Fail): Projection {
  if (v === undefined || v === null) return { type: 'ALL' };
  if (Array.isArray(v)) return { type: 'INCLUDE', attributes: readAttributeList(v, path, fail) };
  const readType = (t: unknown, p: Path): ProjectionType => {
    const word = enumWord(expectString(t, p, fail, 'missing the projection type'));
    if (word === 'ALL' || word === 'KEYS_ONLY' || word === 'INCLUDE') return word;
    return fail(
      p,
      `unknown projection "${String(t)}": use ALL, KEYS_ONLY, or a list of attributes (INCLUDE)`,
    );
  };
  if (typeof v === 'string') {
    const type = readType(v, path);
    if (type === 'INCLUDE')
      fail(path, 'an INCLUDE projection needs its attributes: projection: [attr1, attr2]');
    return { type };
  }
  const p = expectRecord(v, path, fail, 'ALL, KEYS_ONLY, a list of attributes, or {type, attributes}');
  checkKeys(p, ['type', 'attributes'], path, fail);
  const type =
    p.type === undefined && p.attributes !== undefined ? 'INCLUDE' : readType(p.type, [...path, 'type']);
  const projection: Projection = { type };
  if (p.attributes !== undefined)
    projection.attributes = readAttributeList(p.attributes, [...path, 'attributes'], fail);
  return projection;
}

function readTtl(v: unknown, path: Path, fail: Fail): { attribute: string } | null {
  if (v === null || v === false) return null;
  if (typeof v === 'string') return { attribute: v };
  if (isRecord(v)) {
    checkKeys(v, ['attribute'], path, fail);
    return {
      attribute: expectString(v.attribute, [...path, 'attribute'], fail, 'missing the TTL attribute'),
    };
  }
  return fail(path, `expected the TTL attribute name (ttl: expiresAt) or false, got ${kindOf(v)}`);
}

export function readViewType(v: unknown, path: Path, fail: Fail): StreamViewType {
  const word = enumWord(expectString(v, path, fail, 'missing the stream view type'));
  const found = STREAM_VIEW_TYPES.find((t) => t === word);
  if (!found) fail(path, `unknown stream view type "${String(v)}": use ${STREAM_VIEW_TYPES.join(', ')}`);
  return found;
}

function readStream(v: unknown, path: Path, fail: Fail): { viewType: StreamViewType } | null {
  if (v === null || v === false) return null;
  if (typeof v === 'string') return { viewType: readViewType(v, path, fail) };
  if (isRecord(v)) {
    checkKeys(v, ['viewType'], path, fail);
    return { viewType: readViewType(v.viewType, [...path, 'viewType'], fail) };
  }
  return fail(
    path,
    `expected a stream view type (${STREAM_VIEW_TYPES.join(', ')}) or false, got ${kindOf(v)}`,
  );
}

/** `{maxRead, maxWrite}`; a limit left out is -1 (none), as DynamoDB reads it. */
function readOnDemand(v: unknown, path: Path, fail: Fail): OnDemandLimit {
  const o = expectRecord(
    v,
    path,
    fail,
    'request-unit limits, such as {maxRead: 100, maxWrite: 50} (-1 = no limit)',
  );
  checkKeys(o, ['maxRead', 'maxWrite'], path, fail);
  return {
    maxRead: o.maxRead === undefined ? -1 : expectNumber(o.maxRead, [...path, 'maxRead'], fail),
    maxWrite: o.maxWrite === undefined ? -1 : expectNumber(o.maxWrite, [...path, 'maxWrite'], fail),
  };
}

function readWarm(v: unknown, path: Path, fail: Fail): WarmThroughput {
  const w = expectRecord(v, path, fail, 'units a second, such as {read: 15000, write: 5000}');
  checkKeys(w, ['read', 'write'], path, fail);
  const out: WarmThroughput = {};
  if (w.read !== undefined) out.read = expectNumber(w.read, [...path, 'read'], fail);
  if (w.write !== undefined) out.write = expectNumber(w.write, [...path, 'write'], fail);
  return out;
}

/**
 * `sse`: `false` / `owned` (an AWS owned key, the default), `true` / `kms` (the AWS managed KMS
 * key), or `{kmsKey: ...}` (a customer managed KMS key: id, ARN or alias).
 */
function readSse(v: unknown, path: Path, fail: Fail): SseSpec {
  const hint = 'use owned (an AWS owned key), kms (the AWS managed key) or {kmsKey: KEY}';
  if (v === false || v === null) return { kms: false };
  if (v === true) return { kms: true };
  if (typeof v === 'string') {
    const word = enumWord(v);
    if (word === 'OWNED' || word === 'AWS_OWNED' || word === 'AES256') return { kms: false };
    if (word === 'KMS' || word === 'AWS_MANAGED') return { kms: true };
    return fail(path, `unknown encryption "${v}": ${hint}`);
  }
  const o = expectRecord(v, path, fail, hint);
  checkKeys(o, ['kmsKey'], path, fail);
  const out: SseSpec = { kms: true };
  if (o.kmsKey !== undefined)
    out.kmsKey = expectString(o.kmsKey, [...path, 'kmsKey'], fail, 'missing kmsKey');
  return out;
}

/** A policy document as an object (YAML or JSON) or as JSON text; `null` / `false` = none. */
function readPolicy(v: unknown, path: Path, fail: Fail): string | null {
  if (v === null || v === false) return null;
  if (typeof v === 'string') return v;
  return JSON.stringify(expectRecord(v, path, fail, 'a policy document (an object) or its JSON text'));
}

function readTableClass(v: unknown, path: Path, fail: Fail): TableClass {
  const word = enumWord(expectString(v, path, fail, 'missing the table class'));
  if (word === 'STANDARD') return 'STANDARD';
  if (word === 'STANDARD_INFREQUENT_ACCESS' || word === 'STANDARD_IA') return 'STANDARD_INFREQUENT_ACCESS';
  return fail(path, `unknown table class "${String(v)}": use STANDARD or STANDARD_INFREQUENT_ACCESS`);
}

export function readOwnTable(raw: unknown, at: Path, fail: Fail): Parsed {
  const t = expectRecord(raw, at, fail, 'a table (an object with name and partitionKey)');
  checkKeys(t, TABLE_FIELDS, at, fail);
  const p = (...rest: (string | number)[]): Path => [...at, ...rest];

  const name = expectString(t.name, p('name'), fail, 'missing: every table needs a name');
  const declared = new Map<string, KeyType>();
  if (t.attributes !== undefined && t.attributes !== null) {
    const attrs = expectRecord(
      t.attributes,
      p('attributes'),
      fail,
      'a map of attribute name → type, such as {email: S}',
    );
    for (const [attr, type] of Object.entries(attrs))
      declared.set(attr, readKeyType(type, p('attributes', attr), fail));
  }
  const ctx: KeyContext = { declared, used: new Set(), fail };

  if (t.partitionKey === undefined)
    fail(p('partitionKey'), 'missing: every table needs a partition key, such as "id:S"');
  const spec: TableSpec = {
    name,
    partitionKey: readKey(t.partitionKey, p('partitionKey'), ctx),
  };
  if (t.sortKey !== undefined && t.sortKey !== null) spec.sortKey = readKey(t.sortKey, p('sortKey'), ctx);
  // NOTE: a key that is present manages the setting; `gsis:` / `tags:` with no value (null) mean none.
  if (t.billing !== undefined) spec.billing = readBilling(t.billing, p('billing'), fail);

  if (t.gsis !== undefined)
    spec.gsis = expectList(t.gsis, p('gsis'), fail).map((raw, i) => {
      const gp = p('gsis', i);
      const g = expectRecord(raw, gp, fail, 'a GSI: {name, partitionKey, sortKey?, projection?}');
      checkKeys(g, GSI_FIELDS, gp, fail);
      if (g.partitionKey === undefined) fail([...gp, 'partitionKey'], 'missing: a GSI needs a partition key');
      const gsi: GsiSpec = {
        name: expectString(g.name, [...gp, 'name'], fail, 'missing: every index needs a name'),
        partitionKey: readKey(g.partitionKey, [...gp, 'partitionKey'], ctx),
        projection: readProjection(g.projection, [...gp, 'projection'], fail),
      };
      if (g.sortKey !== undefined && g.sortKey !== null)
        gsi.sortKey = readKey(g.sortKey, [...gp, 'sortKey'], ctx);
      if (g.throughput !== undefined && g.throughput !== null) {
        gsi.throughput = readThroughput(g.throughput, [...gp, 'throughput'], fail);
      }
      if (g.onDemandThroughput !== undefined && g.onDemandThroughput !== null) {
        gsi.onDemandThroughput = readOnDemand(g.onDemandThroughput, [...gp, 'onDemandThroughput'], fail);
      }
      if (g.warmThroughput !== undefined && g.warmThroughput !== null) {
        gsi.warmThroughput = readWarm(g.warmThroughput, [...gp, 'warmThroughput'], fail);
      }
      return gsi;
    });

  if (t.lsis !== undefined)
    spec.lsis = expectList(t.lsis, p('lsis'), fail).map((raw, i) => {
      const lp = p('lsis', i);
      const l = expectRecord(raw, lp, fail, 'an LSI: {name, sortKey, projection?}');
      checkKeys(l, LSI_FIELDS, lp, fail);
      if (l.partitionKey !== undefined) {
        const pk = readKey(l.partitionKey, [...lp, 'partitionKey'], ctx);
        if (pk.name !== spec.partitionKey.name || pk.type !== spec.partitionKey.type) {
          fail(
            [...lp, 'partitionKey'],
            `an LSI's partition key is the table's (${spec.partitionKey.name}): remove this field`,
          );
        }
      }
      if (l.sortKey === undefined || l.sortKey === null)
        fail([...lp, 'sortKey'], 'missing: an LSI needs a sort key');
      return {
        name: expectString(l.name, [...lp, 'name'], fail, 'missing: every index needs a name'),
        sortKey: readKey(l.sortKey, [...lp, 'sortKey'], ctx),
        projection: readProjection(l.projection, [...lp, 'projection'], fail),
      };
    });

  if (t.tags !== undefined) {
    const tags: Record<string, string> = {};
    const raw = t.tags === null ? {} : expectRecord(t.tags, p('tags'), fail, 'a map of tag key → value');
    for (const [key, value] of Object.entries(raw)) {
      // NOTE: no silent String(): YAML reads `version: 1.10` as the number 1.1.
      if (typeof value !== 'string')
        fail(p('tags', key), `expected a string, got ${kindOf(value)} (quote it)`);
      tags[key] = value;
    }
    spec.tags = tags;
  }
  if (t.ttl !== undefined) spec.ttl = readTtl(t.ttl, p('ttl'), fail);
  if (t.pitr !== undefined) spec.pitr = expectBoolean(t.pitr, p('pitr'), fail);
  if (t.stream !== undefined) spec.stream = readStream(t.stream, p('stream'), fail);
  if (t.deletionProtection !== undefined) {
    spec.deletionProtection = expectBoolean(t.deletionProtection, p('deletionProtection'), fail);
  }
  if (t.tableClass !== undefined) spec.tableClass = readTableClass(t.tableClass, p('tableClass'), fail);
  if (t.onDemandThroughput !== undefined && t.onDemandThroughput !== null) {
    spec.onDemandThroughput = readOnDemand(t.onDemandThroughput, p('onDemandThroughput'), fail);
  }
  if (t.warmThroughput !== undefined && t.warmThroughput !== null) {
    spec.warmThroughput = readWarm(t.warmThroughput, p('warmThroughput'), fail);
  }
  if (t.sse !== undefined) spec.sse = readSse(t.sse, p('sse'), fail);
  if (t.resourcePolicy !== undefined)
    spec.resourcePolicy = readPolicy(t.resourcePolicy, p('resourcePolicy'), fail);

  for (const attr of declared.keys()) {
    if (!ctx.used.has(attr)) fail(p('attributes', attr), `attribute "${attr}" is used by no key: remove it`);
  }

  const rawProjection = (kind: 'gsis' | 'lsis', i: number): unknown => {
    const list = t[kind];
    const index = Array.isArray(list) ? list[i] : undefined;
    return isRecord(index) ? index.projection : undefined;
  };
  const paths: SourcePaths = {
    table: (field) => p(field),
    index: (kind, i, field) => {
      if (field !== 'attributes') return p(kind, i, field);
      return isRecord(rawProjection(kind, i))
        ? p(kind, i, 'projection', 'attributes')
        : p(kind, i, 'projection');
    },
    tag: (key) => p('tags', key),
  };
  return { spec, paths };
}
