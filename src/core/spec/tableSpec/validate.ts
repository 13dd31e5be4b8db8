/**
 * The checks every spec goes through, whichever format it was read from (and a spec built in code
 * or from flags: `checkTableSpec`): names, capacity, indexes, tags, policies, against DynamoDB's limits.
 */
import { DdbError } from '../../errors.js';
import {
  byteLength,
  type Fail,
  formatPath,
  isRecord,
  MAX_ATTRIBUTE_NAME_BYTES,
  MAX_GSIS,
  MAX_LSIS,
  MAX_PROJECTED,
  MAX_TAG_KEY,
  MAX_TAG_VALUE,
  MAX_TAGS,
  NAME_RE,
  type Path,
} from './fields.js';
import type {
  Billing,
  KeyAttribute,
  KeyType,
  OnDemandLimit,
  Projection,
  TableSpec,
  Throughput,
  WarmThroughput,
} from './types.js';

type TableField =
  | 'name'
  | 'partitionKey'
  | 'sortKey'
  | 'billing'
  | 'gsis'
  | 'lsis'
  | 'tags'
  | 'ttl'
  | 'onDemandThroughput'
  | 'warmThroughput'
  | 'sse'
  | 'resourcePolicy';
type IndexField =
  | 'name'
  | 'partitionKey'
  | 'sortKey'
  | 'projection'
  | 'attributes'
  | 'throughput'
  | 'onDemandThroughput'
  | 'warmThroughput';

export interface SourcePaths {
  table(field: TableField): Path;
  index(kind: 'gsis' | 'lsis', i: number, field: IndexField): Path;
  tag(key: string): Path;
}

export interface Parsed {
  spec: TableSpec;
  paths: SourcePaths;
}

function checkName(name: string, path: Path, fail: Fail, what: string): void {
  if (!NAME_RE.test(name)) {
    fail(path, `invalid ${what} name "${name}": use 3–255 characters of a-z, A-Z, 0-9, _, . and -`);
  }
}

function checkCapacity(t: Throughput, path: Path, fail: Fail): void {
  for (const [field, value] of [
    ['read', t.read],
    ['write', t.write],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      fail(path, `${field} capacity must be an integer ≥ 1, got ${value}`);
    }
  }
}

/** Each limit -1 (none) or an integer ≥ 1; on-demand billing only. */
function checkOnDemand(o: OnDemandLimit, billing: Billing | undefined, path: Path, fail: Fail): void {
  if (billing?.mode === 'PROVISIONED') {
    fail(
      path,
      'on-demand throughput limits apply to on-demand tables: remove them, or use billing: on-demand',
    );
  }
  for (const [field, value] of [
    ['maxRead', o.maxRead],
    ['maxWrite', o.maxWrite],
  ] as const) {
    if (!Number.isInteger(value) || (value < 1 && value !== -1)) {
      fail(path, `${field} must be an integer ≥ 1, or -1 for no limit, got ${value}`);
    }
  }
}

function checkWarm(w: WarmThroughput, path: Path, fail: Fail): void {
  if (w.read === undefined && w.write === undefined) fail(path, 'give read and/or write units a second');
  for (const [field, value] of [
    ['read', w.read],
    ['write', w.write],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      fail(path, `warm ${field} throughput must be an integer ≥ 1, got ${value}`);
    }
  }
}

/** DynamoDB's limit on a resource-based policy: 20 KB. */
const MAX_POLICY_BYTES = 20 * 1024;

function checkPolicy(policy: string, path: Path, fail: Fail): void {
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    fail(path, 'the resource policy is not valid JSON');
  }
  if (!isRecord(doc)) fail(path, 'the resource policy must be a JSON object (a policy document)');
  if (byteLength(policy) > MAX_POLICY_BYTES) {
    fail(
      path,
      `the resource policy is ${byteLength(policy)} bytes: DynamoDB allows at most ${MAX_POLICY_BYTES}`,
    );
  }
}

function checkProjection(p: Projection, path: Path, attrPath: Path, fail: Fail): number {
  if (p.type !== 'INCLUDE') {
    if (p.attributes !== undefined) fail(attrPath, `attributes are only allowed with an INCLUDE projection`);
    return 0;
  }
  const attrs = p.attributes ?? [];
  if (attrs.length === 0) fail(path, 'an INCLUDE projection needs the list of attributes to project');
  const seen = new Set<string>();
  for (const a of attrs) {
    if (a.length === 0) fail(attrPath, 'empty attribute name');
    if (seen.has(a)) fail(attrPath, `attribute "${a}" is listed twice`);
    seen.add(a);
  }
  return attrs.length;
}

export function validateSpec(spec: TableSpec, paths: SourcePaths, fail: Fail): void {
  checkName(spec.name, paths.table('name'), fail, 'table');

  // Every key attribute, with the first place it was typed: one name must have one type.
  const types = new Map<string, { type: KeyType; path: Path }>();
  const noteKey = (k: KeyAttribute, path: Path): void => {
    if (k.name.length === 0) fail(path, 'empty attribute name');
    if (byteLength(k.name) > MAX_ATTRIBUTE_NAME_BYTES) {
      fail(path, `key attribute name is longer than ${MAX_ATTRIBUTE_NAME_BYTES} bytes`);
    }
    const seen = types.get(k.name);
    if (seen === undefined) types.set(k.name, { type: k.type, path });
    else if (seen.type !== k.type) {
      fail(path, `attribute "${k.name}" is ${k.type} here but ${seen.type} at ${formatPath(seen.path)}`);
    }
  };
  noteKey(spec.partitionKey, paths.table('partitionKey'));
  if (spec.sortKey) {
    if (spec.sortKey.name === spec.partitionKey.name) {
      fail(
        paths.table('sortKey'),
        `the sort key must differ from the partition key "${spec.partitionKey.name}"`,
      );
    }
    noteKey(spec.sortKey, paths.table('sortKey'));
  }

  if (spec.billing?.mode === 'PROVISIONED') checkCapacity(spec.billing, paths.table('billing'), fail);
  const gsis = spec.gsis ?? [];
  const lsis = spec.lsis ?? [];

  if (gsis.length > MAX_GSIS) {
    fail(paths.table('gsis'), `${gsis.length} GSIs: DynamoDB allows at most ${MAX_GSIS} per table`);
  }
  if (lsis.length > MAX_LSIS) {
    fail(paths.table('lsis'), `${lsis.length} LSIs: DynamoDB allows at most ${MAX_LSIS} per table`);
  }

  const indexNames = new Map<string, Path>();
  let projected = 0;
  const noteIndex = (kind: 'gsis' | 'lsis', i: number, name: string): void => {
    const path = paths.index(kind, i, 'name');
    checkName(name, path, fail, 'index');
    const seen = indexNames.get(name);
    if (seen) fail(path, `duplicate index name "${name}" (also at ${formatPath(seen)})`);
    indexNames.set(name, path);
  };
  const noteProjection = (kind: 'gsis' | 'lsis', i: number, p: Projection): void => {
    projected += checkProjection(
      p,
      paths.index(kind, i, 'projection'),
      paths.index(kind, i, 'attributes'),
      fail,
    );
    if (projected > MAX_PROJECTED) {
      fail(
        paths.index(kind, i, 'attributes'),
        `${projected} projected attributes in total across the table's indexes: DynamoDB allows at most ${MAX_PROJECTED}`,
      );
    }
  };

  gsis.forEach((g, i) => {
    noteIndex('gsis', i, g.name);
    noteKey(g.partitionKey, paths.index('gsis', i, 'partitionKey'));
    if (g.sortKey) {
      if (g.sortKey.name === g.partitionKey.name) {
        fail(
          paths.index('gsis', i, 'sortKey'),
          `the sort key must differ from the partition key "${g.partitionKey.name}"`,
        );
      }
      noteKey(g.sortKey, paths.index('gsis', i, 'sortKey'));
    }
    noteProjection('gsis', i, g.projection);
    if (g.throughput) {
      if (spec.billing?.mode !== 'PROVISIONED') {
        fail(
          paths.index('gsis', i, 'throughput'),
          spec.billing
            ? 'provisioned throughput on a GSI of an on-demand table: remove it, or give the table provisioned billing'
            : "provisioned throughput on a GSI needs the table's billing: add billing: {read: ..., write: ...}",
        );
      }
      checkCapacity(g.throughput, paths.index('gsis', i, 'throughput'), fail);
    }
    if (g.onDemandThroughput) {
      checkOnDemand(g.onDemandThroughput, spec.billing, paths.index('gsis', i, 'onDemandThroughput'), fail);
    }
    if (g.warmThroughput) checkWarm(g.warmThroughput, paths.index('gsis', i, 'warmThroughput'), fail);
  });

  lsis.forEach((l, i) => {
    noteIndex('lsis', i, l.name);
    if (!spec.sortKey) fail(paths.index('lsis', i, 'name'), 'an LSI needs a table with a sort key');
    if (l.sortKey.name === spec.partitionKey.name) {
      fail(
        paths.index('lsis', i, 'sortKey'),
        `the sort key must differ from the partition key "${l.sortKey.name}"`,
      );
    }
    noteKey(l.sortKey, paths.index('lsis', i, 'sortKey'));
    noteProjection('lsis', i, l.projection);
  });

  const tags = spec.tags ?? {};
  const tagKeys = Object.keys(tags);
  if (tagKeys.length > MAX_TAGS) {
    fail(paths.table('tags'), `${tagKeys.length} tags: DynamoDB allows at most ${MAX_TAGS} per table`);
  }
  for (const key of tagKeys) {
    const value = tags[key] ?? '';
    if (key.length === 0 || key.length > MAX_TAG_KEY) {
      fail(paths.tag(key), `a tag key must be 1–${MAX_TAG_KEY} characters, this one has ${key.length}`);
    }
    if (key.toLowerCase().startsWith('aws:'))
      fail(paths.tag(key), 'tag keys starting with "aws:" are reserved by AWS');
    if (value.length > MAX_TAG_VALUE) {
      fail(
        paths.tag(key),
        `a tag value must be at most ${MAX_TAG_VALUE} characters, this one has ${value.length}`,
      );
    }
  }

  if (spec.onDemandThroughput) {
    checkOnDemand(spec.onDemandThroughput, spec.billing, paths.table('onDemandThroughput'), fail);
  }
  if (spec.warmThroughput) checkWarm(spec.warmThroughput, paths.table('warmThroughput'), fail);
  if (spec.sse?.kmsKey !== undefined && spec.sse.kmsKey.length === 0) {
    fail(paths.table('sse'), 'empty KMS key: give its id, ARN or alias, or leave kmsKey out');
  }
  if (typeof spec.resourcePolicy === 'string') {
    checkPolicy(spec.resourcePolicy, paths.table('resourcePolicy'), fail);
  }

  if (spec.ttl) {
    const a = spec.ttl.attribute;
    if (a.length === 0 || byteLength(a) > MAX_ATTRIBUTE_NAME_BYTES) {
      fail(paths.table('ttl'), `the TTL attribute name must be 1–${MAX_ATTRIBUTE_NAME_BYTES} bytes`);
    }
  }
}
/**
 * Check a spec built in code (or from command-line flags) against the same limits as a file.
 * Throws one DdbError('input.spec'): `<source>: gsis[1].name: duplicate index name "byEmail"`.
 */
export function checkTableSpec(spec: TableSpec, source: string): TableSpec {
  const fail: Fail = (path, message) => {
    throw new DdbError('input.spec', {
      message: `${source}: ${path.length > 0 ? `${formatPath(path)}: ` : ''}${message}`,
      details: { path: formatPath(path) },
    });
  };
  const paths: SourcePaths = {
    table: (field) => [field],
    index: (kind, i, field) => (field === 'attributes' ? [kind, i, 'projection'] : [kind, i, field]),
    tag: (key) => ['tags', key],
  };
  validateSpec(spec, paths, fail);
  return spec;
}
