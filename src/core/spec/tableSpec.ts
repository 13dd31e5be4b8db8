/**
 * Table specs: the desired state of DynamoDB tables, read from a YAML or JSON file and checked
 * against DynamoDB's limits before anything is sent.
 *
 * A spec file holds one of:
 *   1. ddbctl's own format: `tables: [...]`, a single table object, or a top-level list of tables;
 *   2. CreateTable input, as `aws dynamodb create-table --generate-cli-skeleton` prints it
 *      (`TableName`, `AttributeDefinitions`, `KeySchema`, ... `OnDemandThroughput`,
 *      `WarmThroughput`, `SSESpecification`, `ResourcePolicy`); the skeleton's placeholders left
 *      in ("" strings, 0 limits, list entries with an empty name) and GlobalTableSettingsReplicationMode
 *      without a source are ignored with a note; `GlobalTableSourceArn` and `VectorIndexes` are
 *      refused by name (specs do not manage them);
 *   3. `aws dynamodb describe-table` (or create-table) output: `{ "Table": {...} }` /
 *      `{ "TableDescription": {...} }`; read-only fields such as `TableStatus` are ignored;
 *      `ddbctl describe-table -o json` output also gives the tags, TTL and PITR.
 * Entries of `tables:` (or of a top-level list) may use any of the three forms.
 *
 * ddbctl's own format, every field shown (only `name` and `partitionKey` are required):
 *
 * ```yaml
 * tables:
 *   - name: users                     # 3–255 characters of a-z A-Z 0-9 _ . -
 *     partitionKey: username:S        # "name:TYPE" (S, N or B) or {name: username, type: S}
 *     sortKey: createdAt:N            # optional; same forms
 *     attributes:                     # optional: declare types once, then keys may be bare names
 *       email: S
 *     billing: {read: 10, write: 10}  # provisioned capacity, or "on-demand"
 *     gsis:                           # at most 20; [] = none
 *       - name: byEmail
 *         partitionKey: email         # typed by `attributes` above
 *         projection: ALL             # the default; KEYS_ONLY; or a list of attributes = INCLUDE
 *       - name: byCountry
 *         partitionKey: country:S
 *         sortKey: createdAt:N
 *         projection: [displayName, avatarUrl]   # same as {type: INCLUDE, attributes: [...]}
 *         throughput: {read: 5, write: 5}        # provisioned tables only; defaults to the table's
 *     lsis:                           # at most 5, fixed at creation; the partition key is the table's
 *       - name: byLastLogin
 *         sortKey: lastLogin:N
 *         projection: KEYS_ONLY
 *     tags:                           # at most 50; {} = none
 *       team: identity
 *       env: prod
 *     ttl: expiresAt                  # the TTL attribute; false turns TTL off
 *     pitr: true                      # point-in-time recovery
 *     stream: NEW_AND_OLD_IMAGES      # NEW_IMAGE | OLD_IMAGE | NEW_AND_OLD_IMAGES | KEYS_ONLY; false = off
 *     deletionProtection: true
 *     tableClass: STANDARD            # or STANDARD_INFREQUENT_ACCESS
 *     # onDemandThroughput: {maxRead: 100, maxWrite: 50}  # on-demand tables (and their GSIs) only; -1 = no limit
 *     warmThroughput: {read: 15000, write: 5000}         # table and GSIs; can only be raised
 *     sse: {kmsKey: alias/users}      # owned (default) | kms (AWS managed key) | {kmsKey: id, ARN or alias}
 *     resourcePolicy: {Version: "2012-10-17", Statement: []}   # or its JSON text; null removes it
 * ```
 *
 * Every field but `name` and the keys is managed only when present: leave one out and ddbctl
 * leaves that setting of a live table as it is (an absent `tags` keeps the table's tags; `tags: {}`
 * removes them all; likewise `gsis: []`). When a table is created, absent fields take DynamoDB's
 * defaults: on-demand billing, no indexes, no tags, no TTL, no PITR, no stream, STANDARD class.
 * A present `gsis` (or `lsis`, or `tags`) lists the whole desired set.
 * Enum values are case-insensitive and accept `-` for `_` (`on-demand`, `keys-only`, `new-image`).
 * Top-level keys starting with `x-` are ignored: a place for YAML anchors (`x-cap: &cap {read: 5, write: 5}`,
 * then `billing: *cap`). JSON input is YAML too, so JSON files get the same line numbers.
 *
 * Every problem is one DdbError('input.spec') whose message names the file, the field path and,
 * for YAML/JSON text, the line: `tables.yaml: tables[0].gsis[1].name: duplicate index name "byEmail" (line 14)`.
 *
 * NOTE: one file over 500 lines holding several jobs (types, limits, two readers, loading, SDK
 * builders); issue 14 splits it into a spec/ folder of one job each.
 */
import { readFile } from 'node:fs/promises';
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection as SdkProjection,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { DdbError } from '../errors.js';

export type KeyType = 'S' | 'N' | 'B';

/** A key attribute: its name and its scalar type. */
export interface KeyAttribute {
  name: string;
  type: KeyType;
}

/** Provisioned capacity units; integers ≥ 1. */
export interface Throughput {
  read: number;
  write: number;
}

export type Billing = ({ mode: 'PROVISIONED' } & Throughput) | { mode: 'PAY_PER_REQUEST' };

export type ProjectionType = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

/** `attributes` (the non-key attributes) only with `INCLUDE`, where it is required. */
export interface Projection {
  type: ProjectionType;
  attributes?: string[];
}

/**
 * The most request units an on-demand table (or GSI) may use a second; -1 = no limit (DynamoDB's
 * own encoding: `OnDemandThroughput.MaxReadRequestUnits` / `MaxWriteRequestUnits`).
 */
export interface OnDemandLimit {
  maxRead: number;
  maxWrite: number;
}

/** Warm throughput: the read / write units a second the table (or GSI) is pre-warmed for. */
export interface WarmThroughput {
  read?: number;
  write?: number;
}

/**
 * Encryption at rest: `kms: false` = an AWS owned key (DynamoDB's default); `kms: true` = a KMS
 * key: `kmsKey` (an id, ARN or alias) or, absent, the AWS managed key `alias/aws/dynamodb`.
 */
export interface SseSpec {
  kms: boolean;
  kmsKey?: string;
}

export interface GsiSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  projection: Projection;
  /** Provisioned tables only. Absent = the table's own read/write capacity. */
  throughput?: Throughput;
  /** On-demand tables only. Absent: unmanaged (a new GSI has no limit). */
  onDemandThroughput?: OnDemandLimit;
  /** Absent: unmanaged (a new GSI gets DynamoDB's default). */
  warmThroughput?: WarmThroughput;
}

/** A local secondary index: its partition key is always the table's, so only the sort key is given. */
export interface LsiSpec {
  name: string;
  sortKey: KeyAttribute;
  projection: Projection;
}

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
export type TableClass = 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';

/**
 * The desired (or, from `specFromDescription`, the live) state of one table.
 *
 * Optional fields: `undefined` = not managed (leave the live setting as it is); `null` / `false`
 * = explicitly off.
 */
export interface TableSpec {
  name: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  /** Absent: unmanaged; a new table is on-demand. */
  billing?: Billing;
  /** Absent: unmanaged (a new table gets none); present: the whole set. */
  gsis?: GsiSpec[];
  /** Absent: unmanaged (a new table gets none); present: the whole set (a change = replacement). */
  lsis?: LsiSpec[];
  /** Absent: unmanaged (a new table gets none); present: the whole set (`{}` removes every tag). */
  tags?: Record<string, string>;
  ttl?: { attribute: string } | null;
  pitr?: boolean;
  stream?: { viewType: StreamViewType } | null;
  deletionProtection?: boolean;
  tableClass?: TableClass;
  /** On-demand tables only. Absent: unmanaged (a new table has no limit). */
  onDemandThroughput?: OnDemandLimit;
  /** Absent: unmanaged (a new table gets DynamoDB's default). Can only grow. */
  warmThroughput?: WarmThroughput;
  /** Absent: unmanaged (a new table gets an AWS owned key). */
  sse?: SseSpec;
  /** The resource-based policy, as JSON text; null = none. Absent: unmanaged. */
  resourcePolicy?: string | null;
}

// ---------------------------------------------------------------------------------------------
// DynamoDB limits (STYLE.md "Limits of DynamoDB")

const NAME_RE = /^[a-zA-Z0-9_.-]{3,255}$/;
const MAX_GSIS = 20;
const MAX_LSIS = 5;
const MAX_TAGS = 50;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;
const MAX_PROJECTED = 100;
const MAX_ATTRIBUTE_NAME_BYTES = 255;

const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  'NEW_IMAGE',
  'OLD_IMAGE',
  'NEW_AND_OLD_IMAGES',
  'KEYS_ONLY',
];

// ---------------------------------------------------------------------------------------------
// Paths and failures

/** A path into the parsed document: object keys and list indexes. */
type Path = readonly (string | number)[];
type Fail = (path: Path, message: string) => never;

/** `tables[0].gsis[1].name`; keys that are not identifiers are quoted: `tags["cost center"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof Uint8Array)
  );
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isRecord(v)) return 'an object';
  return typeof v;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function suggestion(key: string, allowed: readonly string[]): string {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const a of allowed) {
    const d = a.toLowerCase() === lower ? 0 : levenshtein(lower, a.toLowerCase());
    if (d < bestDistance) {
      best = a;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** Reject keys outside `allowed` (and outside `ignored`, which are accepted and skipped). */
function checkKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  path: Path,
  fail: Fail,
  ignored: readonly string[] = [],
): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key) || ignored.includes(key)) continue;
    fail([...path, key], `unknown field${suggestion(key, allowed)}; expected one of: ${allowed.join(', ')}`);
  }
}

function expectRecord(v: unknown, path: Path, fail: Fail, what = 'an object'): Record<string, unknown> {
  if (!isRecord(v)) fail(path, `expected ${what}, got ${kindOf(v)}`);
  return v;
}

/** A list; `undefined` and `null` read as an empty list. */
function expectList(v: unknown, path: Path, fail: Fail): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, `expected a list, got ${kindOf(v)}`);
  return v;
}

function expectString(v: unknown, path: Path, fail: Fail, missing: string): string {
  if (v === undefined || v === null) fail(path, missing);
  if (typeof v !== 'string') fail(path, `expected a string, got ${kindOf(v)}`);
  return v;
}

function expectBoolean(v: unknown, path: Path, fail: Fail): boolean {
  if (typeof v !== 'boolean') fail(path, `expected true or false, got ${kindOf(v)}`);
  return v;
}

function expectNumber(v: unknown, path: Path, fail: Fail): number {
  if (typeof v !== 'number') fail(path, `expected a number, got ${kindOf(v)}`);
  return v;
}

/** Upper-case with `_` for `-` and spaces: `on-demand` → `ON_DEMAND`. */
function enumWord(v: string): string {
  return v
    .trim()
    .toUpperCase()
    .replace(/[-\s]+/g, '_');
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

// ---------------------------------------------------------------------------------------------
// Checks shared by every format, on the converted spec. A format maps spec fields back to the
// paths of its own document so that messages name what the user wrote.

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

interface SourcePaths {
  table(field: TableField): Path;
  index(kind: 'gsis' | 'lsis', i: number, field: IndexField): Path;
  tag(key: string): Path;
}

interface Parsed {
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

function validateSpec(spec: TableSpec, paths: SourcePaths, fail: Fail): void {
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

// ---------------------------------------------------------------------------------------------
// ddbctl's own format

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

function readAttributeList(v: unknown, path: Path, fail: Fail): string[] {
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

function readViewType(v: unknown, path: Path, fail: Fail): StreamViewType {
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

function readOwnTable(raw: unknown, at: Path, fail: Fail): Parsed {
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

// ---------------------------------------------------------------------------------------------
// AWS formats: CreateTable input and TableDescription

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

function readAwsTable(raw: unknown, at: Path, ctx: AwsContext): Parsed {
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

// ---------------------------------------------------------------------------------------------
// Files

interface LoadedText {
  value: unknown;
  lineOf(path: Path): number | undefined;
}

function loadText(text: string, file: string): LoadedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      // NOTE: JSON that the YAML parser rejects (rare: YAML 1.2 is a JSON superset) still parses.
      try {
        return { value: JSON.parse(text) as unknown, lineOf: () => undefined };
      } catch {
        // report the YAML error below: it carries a line number
      }
    }
    const first = doc.errors[0];
    const message = (first?.message ?? 'unreadable').split('\n')[0];
    throw new DdbError('input.spec', {
      message: `${file}: not valid YAML or JSON: ${message}`,
      cause: first,
      details: { file, line: first?.linePos?.[0].line },
    });
  }

  const lineOf = (path: Path): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const last = sub[sub.length - 1];
      if (typeof last === 'string') {
        // Point at the key itself: in a block map the value starts on a later line.
        const parent = n === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find(
            (item) => (isScalar(item.key) ? String(item.key.value) : item.key) === last,
          );
          if (pair && isNode(pair.key) && pair.key.range) return lineCounter.linePos(pair.key.range[0]).line;
        }
      }
      const node = n === 0 ? doc.contents : doc.getIn(sub, true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { value: doc.toJS({ maxAliasCount: 1000 }) as unknown, lineOf };
}

/** What `ddbctl describe-table -o json` adds next to `Table` (`ItemCount` is read-only: ignored). */
const DDBCTL_DESCRIBE_EXTRAS = [
  'Tags',
  'TimeToLiveDescription',
  'ContinuousBackupsDescription',
  'ItemCount',
] as const;

/** The extras of `ddbctl describe-table -o json` onto the spec; `null` (not supported) = unmanaged. */
function readDescribeExtras(raw: Record<string, unknown>, at: Path, spec: TableSpec, fail: Fail): void {
  if (raw.Tags !== undefined && raw.Tags !== null) {
    const tags = expectRecord(raw.Tags, [...at, 'Tags'], fail, 'a map of tag key → value');
    spec.tags = {};
    for (const [k, v] of Object.entries(tags)) {
      spec.tags[k] = expectString(v, [...at, 'Tags', k], fail, 'expected a string');
    }
  }
  if (isRecord(raw.TimeToLiveDescription)) {
    const d = raw.TimeToLiveDescription;
    const on = d.TimeToLiveStatus === 'ENABLED' || d.TimeToLiveStatus === 'ENABLING';
    spec.ttl = on && typeof d.AttributeName === 'string' ? { attribute: d.AttributeName } : null;
  }
  if (isRecord(raw.ContinuousBackupsDescription)) {
    const p = raw.ContinuousBackupsDescription.PointInTimeRecoveryDescription;
    spec.pitr = isRecord(p) && p.PointInTimeRecoveryStatus === 'ENABLED';
  }
}

/** Fields a list entry is named by: an entry whose name is "" is a skeleton placeholder. */
const ENTRY_NAMES = ['IndexName', 'AttributeName', 'Key'];
/** Settings where 0 is no valid value: the skeleton's placeholder zeros. */
const ZERO_PLACEHOLDERS = ['OnDemandThroughput', 'WarmThroughput'];

/**
 * `aws dynamodb create-table --generate-cli-skeleton` fills every field with a placeholder: ""
 * for strings, 0 for numbers, one entry per list. Take out what was left so (empty strings, list
 * entries with an empty name, OnDemandThroughput / WarmThroughput of zeros, lists and objects left
 * empty) and GlobalTableSettingsReplicationMode without a GlobalTableSourceArn (inapplicable);
 * the paths taken out go to `dropped`. Anything meaningful stays, to be read (or refused) as usual.
 */
function stripSkeleton(raw: Record<string, unknown>, at: Path, dropped: Path[]): Record<string, unknown> {
  const walk = (v: unknown, path: Path, key: string | number): unknown => {
    if (v === '') return undefined;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      v.forEach((e, i) => {
        if (isRecord(e) && ENTRY_NAMES.some((n) => e[n] === '')) {
          dropped.push([...path, i]);
          return;
        }
        const kept = walk(e, [...path, out.length], i);
        if (kept === undefined) dropped.push([...path, i]);
        else out.push(kept);
      });
      return out.length === 0 ? undefined : out;
    }
    if (isRecord(v)) {
      if (
        typeof key === 'string' &&
        ZERO_PLACEHOLDERS.includes(key) &&
        Object.values(v).every((x) => x === 0)
      ) {
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const kept = walk(x, [...path, k], k);
        if (kept === undefined) {
          if (x !== undefined) dropped.push([...path, k]);
        } else out[k] = kept;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const kept = walk(v, [...at, k], k);
    if (kept === undefined) dropped.push([...at, k]);
    else out[k] = kept;
  }
  if (out.GlobalTableSettingsReplicationMode !== undefined && out.GlobalTableSourceArn === undefined) {
    delete out.GlobalTableSettingsReplicationMode;
    dropped.push([...at, 'GlobalTableSettingsReplicationMode']);
  }
  return out;
}

function readEntry(raw: unknown, at: Path, fail: Fail, dropped: Path[]): Parsed {
  if (isRecord(raw)) {
    for (const wrapper of ['Table', 'TableDescription'] as const) {
      if (wrapper in raw) {
        checkKeys(raw, [wrapper], at, fail, wrapper === 'Table' ? DDBCTL_DESCRIBE_EXTRAS : []);
        const parsed = readAwsTable(raw[wrapper], [...at, wrapper], {
          fail,
          strict: true,
          description: true,
        });
        if (wrapper === 'Table') readDescribeExtras(raw, at, parsed.spec, fail);
        return parsed;
      }
    }
    if ('TableName' in raw) {
      const description = 'TableStatus' in raw;
      const input = description ? raw : stripSkeleton(raw, at, dropped);
      return readAwsTable(input, at, { fail, strict: true, description });
    }
  }
  return readOwnTable(raw, at, fail);
}

export interface ParseSpecOptions {
  /**
   * Told what was read but ignored, as one line for people: the empty or inapplicable fields of
   * an AWS CLI skeleton. Default: not told.
   */
  onNote?: (message: string) => void;
}

/**
 * Parse and validate a spec file (YAML or JSON; the formats are described at the top of this
 * file). `file` names the file in messages. Throws one DdbError('input.spec') for the first
 * problem found.
 */
export function parseSpecFile(text: string, file: string, opts: ParseSpecOptions = {}): TableSpec[] {
  const loaded = loadText(text, file);
  const fail: Fail = (path, message) => {
    const line = loaded.lineOf(path);
    const where = path.length > 0 ? `${formatPath(path)}: ` : '';
    throw new DdbError('input.spec', {
      message: `${file}: ${where}${message}${line === undefined ? '' : ` (line ${line})`}`,
      details: { file, path: formatPath(path), line },
    });
  };

  const root = loaded.value;
  let entries: { raw: unknown; at: Path }[];
  if (Array.isArray(root)) {
    entries = root.map((raw, i) => ({ raw, at: [i] }));
  } else if (isRecord(root) && 'tables' in root) {
    // `x-` keys are free for YAML anchors (as in docker-compose): `x-capacity: &cap {read: 5, write: 5}`.
    checkKeys(
      root,
      ['tables'],
      [],
      fail,
      Object.keys(root).filter((k) => k.startsWith('x-')),
    );
    if (!Array.isArray(root.tables))
      fail(['tables'], `expected a list of tables, got ${kindOf(root.tables)}`);
    entries = root.tables.map((raw, i) => ({ raw, at: ['tables', i] }));
  } else if (isRecord(root) && ['name', 'TableName', 'Table', 'TableDescription'].some((k) => k in root)) {
    entries = [{ raw: root, at: [] }];
  } else {
    return fail(
      [],
      `expected "tables:" (a list of tables), one table with "name:", CreateTable input ("TableName") or describe-table output ("Table"); got ${root === null || root === undefined ? 'an empty file' : kindOf(root)}`,
    );
  }
  if (entries.length === 0) fail(Array.isArray(root) ? [] : ['tables'], 'no tables: add at least one');

  const seen = new Map<string, Path>();
  const dropped: Path[] = [];
  const specs = entries.map(({ raw, at }) => {
    const { spec, paths } = readEntry(raw, at, fail, dropped);
    validateSpec(spec, paths, fail);
    const other = seen.get(spec.name);
    if (other)
      fail(
        paths.table('name'),
        `duplicate table name "${spec.name}" (also at ${formatPath(other) || 'the top'})`,
      );
    seen.set(spec.name, paths.table('name'));
    return spec;
  });
  if (dropped.length > 0) {
    opts.onNote?.(
      `${file}: ignored the empty or inapplicable fields of the AWS CLI skeleton: ${dropped.map(formatPath).join(', ')}`,
    );
  }
  return specs;
}

/**
 * Read and check a spec file: one line naming the file and field on any problem. `onNote` hears
 * what was read but ignored (the placeholders of an AWS CLI skeleton), for stderr.
 */
export async function readSpecFile(file: string, onNote?: (message: string) => void): Promise<TableSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DdbError('input.file', {
      message: `cannot read spec file ${file}${code ? ` (${code})` : ''}: check the path`,
      cause: e,
    });
  }
  return parseSpecFile(text, file, onNote ? { onNote } : {});
}

// ---------------------------------------------------------------------------------------------
// Live state and SDK inputs

/** What DescribeTable does not report; undefined = unknown (the endpoint cannot say). */
export interface LiveExtras {
  tags?: Record<string, string>;
  ttl?: { attribute: string } | null;
  pitr?: boolean;
  /** GetResourcePolicy: the policy, or null when the table has none. */
  resourcePolicy?: string | null;
}

/**
 * The live state of a table in spec form. `desc` is DescribeTable's `Table`; what DescribeTable
 * does not report comes from `extras` (ListTagsOfResource, DescribeTimeToLive,
 * DescribeContinuousBackups). Absent extras: tags `{}`, ttl and pitr unknown (undefined).
 * Stream, deletion protection and table class are always definite (off / false / STANDARD).
 */
export function specFromDescription(desc: TableDescription, extras: LiveExtras): TableSpec {
  const fail: Fail = (path, message) => {
    throw new DdbError('service.error', {
      message: `DescribeTable ${desc.TableName ?? '(no name)'} returned an unexpected description: ${formatPath(path)}: ${message}`,
    });
  };
  const { spec } = readAwsTable(desc, [], { fail, strict: false, description: true });
  spec.tags = { ...(extras.tags ?? {}) };
  if (extras.ttl !== undefined) spec.ttl = extras.ttl === null ? null : { attribute: extras.ttl.attribute };
  if (extras.pitr !== undefined) spec.pitr = extras.pitr;
  if (extras.resourcePolicy !== undefined) spec.resourcePolicy = extras.resourcePolicy;
  return spec;
}

/** `username:S`. */
export function formatKey(k: KeyAttribute): string {
  return `${k.name}:${k.type}`;
}

export function keySchemaInput(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

/** Attribute definitions for these keys, first occurrence wins, each name once. */
export function attributeDefinitionsInput(
  keys: readonly (KeyAttribute | undefined)[],
): AttributeDefinition[] {
  const defs = new Map<string, KeyType>();
  for (const k of keys) if (k && !defs.has(k.name)) defs.set(k.name, k.type);
  return [...defs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

export function projectionInput(p: Projection): SdkProjection {
  const out: SdkProjection = { ProjectionType: p.type };
  if (p.type === 'INCLUDE' && p.attributes) out.NonKeyAttributes = [...p.attributes];
  return out;
}

/** A GSI's effective capacity: its own, else the table's; undefined on an on-demand table. */
export function gsiThroughput(g: GsiSpec, billing: Billing): Throughput | undefined {
  if (billing.mode !== 'PROVISIONED') return undefined;
  return g.throughput ?? { read: billing.read, write: billing.write };
}

export function gsiInput(g: GsiSpec, billing: Billing): GlobalSecondaryIndex {
  const out: GlobalSecondaryIndex = {
    IndexName: g.name,
    KeySchema: keySchemaInput(g.partitionKey, g.sortKey),
    Projection: projectionInput(g.projection),
  };
  const t = gsiThroughput(g, billing);
  if (t) out.ProvisionedThroughput = { ReadCapacityUnits: t.read, WriteCapacityUnits: t.write };
  if (g.onDemandThroughput && billing.mode === 'PAY_PER_REQUEST') {
    out.OnDemandThroughput = onDemandInput(g.onDemandThroughput);
  }
  if (g.warmThroughput) out.WarmThroughput = warmInput(g.warmThroughput);
  return out;
}

export function onDemandInput(o: OnDemandLimit): {
  MaxReadRequestUnits: number;
  MaxWriteRequestUnits: number;
} {
  return { MaxReadRequestUnits: o.maxRead, MaxWriteRequestUnits: o.maxWrite };
}

export function warmInput(w: WarmThroughput): { ReadUnitsPerSecond?: number; WriteUnitsPerSecond?: number } {
  return {
    ...(w.read !== undefined ? { ReadUnitsPerSecond: w.read } : {}),
    ...(w.write !== undefined ? { WriteUnitsPerSecond: w.write } : {}),
  };
}

export function sseInput(s: SseSpec): { Enabled: boolean; SSEType?: 'KMS'; KMSMasterKeyId?: string } {
  if (!s.kms) return { Enabled: false };
  return { Enabled: true, SSEType: 'KMS', ...(s.kmsKey !== undefined ? { KMSMasterKeyId: s.kmsKey } : {}) };
}

/** The billing a new table gets: the spec's, else on-demand. */
export const DEFAULT_BILLING: Readonly<Billing> = Object.freeze({ mode: 'PAY_PER_REQUEST' });

/**
 * CreateTable input for a spec (pure). TTL and PITR are not part of CreateTable; OnDemandThroughput,
 * WarmThroughput, SSESpecification and ResourcePolicy are. Unmanaged
 * (absent) fields take DynamoDB's defaults: on-demand, no indexes, no tags.
 */
export function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const billing = spec.billing ?? DEFAULT_BILLING;
  const gsis = spec.gsis ?? [];
  const lsis = spec.lsis ?? [];
  const input: CreateTableCommandInput = {
    TableName: spec.name,
    AttributeDefinitions: attributeDefinitionsInput([
      spec.partitionKey,
      spec.sortKey,
      ...gsis.flatMap((g) => [g.partitionKey, g.sortKey]),
      ...lsis.map((l) => l.sortKey),
    ]),
    KeySchema: keySchemaInput(spec.partitionKey, spec.sortKey),
    BillingMode: billing.mode,
  };
  if (billing.mode === 'PROVISIONED') {
    input.ProvisionedThroughput = {
      ReadCapacityUnits: billing.read,
      WriteCapacityUnits: billing.write,
    };
  }
  if (gsis.length > 0) input.GlobalSecondaryIndexes = gsis.map((g) => gsiInput(g, billing));
  if (lsis.length > 0) {
    input.LocalSecondaryIndexes = lsis.map(
      (l): LocalSecondaryIndex => ({
        IndexName: l.name,
        KeySchema: keySchemaInput(spec.partitionKey, l.sortKey),
        Projection: projectionInput(l.projection),
      }),
    );
  }
  if (spec.stream) input.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.stream.viewType };
  const tags = Object.entries(spec.tags ?? {});
  if (tags.length > 0) input.Tags = tags.map(([Key, Value]) => ({ Key, Value }));
  if (spec.tableClass !== undefined) input.TableClass = spec.tableClass;
  if (spec.deletionProtection !== undefined) input.DeletionProtectionEnabled = spec.deletionProtection;
  // NOTE: DynamoDB takes OnDemandThroughput on on-demand tables only.
  if (spec.onDemandThroughput && billing.mode === 'PAY_PER_REQUEST') {
    input.OnDemandThroughput = onDemandInput(spec.onDemandThroughput);
  }
  if (spec.warmThroughput) input.WarmThroughput = warmInput(spec.warmThroughput);
  // An AWS owned key is every table's default: sent only when a KMS key is asked for.
  if (spec.sse?.kms) input.SSESpecification = sseInput(spec.sse);
  if (typeof spec.resourcePolicy === 'string') input.ResourcePolicy = spec.resourcePolicy;
  return input;
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
