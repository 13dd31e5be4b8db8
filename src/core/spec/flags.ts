/**
 * The compact one-word forms of the table commands' flags, parsed into spec parts (pure). Each
 * problem is one DdbError('usage.invalid') naming the flag and the text.
 *
 *   --pk / --sk        NAME:TYPE                          username:S, createdAt:N
 *   --gsi              NAME:PK:TYPE[:SK:TYPE][:PROJECTION][:R/W]
 *                        byEmail:email:S
 *                        byCountry:country:S:createdAt:N:include=displayName,avatarUrl:5/5
 *   --lsi              NAME:SK:TYPE[:PROJECTION]           byLastLogin:lastLogin:N:keys-only
 *   PROJECTION         all (default) | keys-only | include=ATTR,ATTR,...
 *   R/W                read/write capacity units of a GSI of a provisioned table: 5/5
 *   --gsi-throughput   NAME:R/W                           byEmail:10/5
 *   --tag              KEY=VALUE
 *   --stream           new-image | old-image | new-and-old-images | keys-only | off
 *   --table-class      standard | standard-ia
 * Key types are S, N or B. Attribute names containing ":" need a spec file (--spec).
 */
import { DdbError } from '../errors.js';
import { validateTableName } from '../names.js';
import { LAB_DEFAULTS } from './createTable.js';
import type {
  GsiSpec,
  KeyAttribute,
  KeyType,
  LsiSpec,
  Projection,
  StreamViewType,
  TableClass,
  TableSpec,
  Throughput,
} from './tableSpec.js';
import { checkTableSpec } from './tableSpec.js';

function usage(flag: string, text: string, why: string): DdbError {
  return new DdbError('usage.invalid', { message: `${flag} ${JSON.stringify(text)}: ${why}` });
}

/** An index's name, checked where the flag gives it (not later as a spec path: gsis[0].name). */
function indexName(flag: string, text: string, name: string): string {
  try {
    return validateTableName(name, 'index');
  } catch (e) {
    throw usage(flag, text, (e as DdbError).message);
  }
}

function keyType(flag: string, text: string, t: string | undefined): KeyType {
  const u = (t ?? '').toUpperCase();
  if (u === 'S' || u === 'N' || u === 'B') return u;
  throw usage(
    flag,
    text,
    `unknown key type ${JSON.stringify(t ?? '')}: use S (string), N (number) or B (binary)`,
  );
}

/** `NAME:TYPE`. */
export function parseKeyFlag(flag: string, text: string): KeyAttribute {
  const i = text.lastIndexOf(':');
  if (i < 1)
    throw usage(flag, text, `expected NAME:TYPE with TYPE S, N or B (for example ${flag} username:S)`);
  return { name: text.slice(0, i), type: keyType(flag, text, text.slice(i + 1)) };
}

const THROUGHPUT = /^(\d+)\/(\d+)$/;

function throughput(flag: string, text: string, token: string): Throughput {
  const m = THROUGHPUT.exec(token);
  const read = Number(m?.[1]);
  const write = Number(m?.[2]);
  if (!m || read < 1 || write < 1)
    throw usage(flag, text, `expected READ/WRITE capacity units ≥ 1, such as 5/5`);
  return { read, write };
}

function projection(flag: string, text: string, token: string): Projection | undefined {
  const lower = token.toLowerCase();
  if (lower === 'all') return { type: 'ALL' };
  if (lower === 'keys-only' || lower === 'keys_only') return { type: 'KEYS_ONLY' };
  if (lower.startsWith('include=')) {
    const attributes = token
      .slice('include='.length)
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    if (attributes.length === 0)
      throw usage(flag, text, 'include= needs the attributes to project: include=a,b');
    return { type: 'INCLUDE', attributes };
  }
  if (lower === 'include') throw usage(flag, text, 'include needs its attributes: include=a,b');
  return undefined;
}

/** Split off the optional trailing `PROJECTION` and `R/W` tokens; what is left are keys. */
function splitTail(
  flag: string,
  text: string,
  tokens: string[],
  allowThroughput: boolean,
): { keys: string[]; projection: Projection; throughput?: Throughput } {
  const keys = [...tokens];
  let tp: Throughput | undefined;
  let proj: Projection | undefined;
  const last = keys[keys.length - 1];
  // NOTE: a lone number at the end is a capacity missing its other half, not a key type.
  if (last !== undefined && /^\d+$/.test(last) && allowThroughput) {
    throw usage(flag, text, `"${last}": a capacity is READ/WRITE, such as ${last}/${last}`);
  }
  if (last !== undefined && THROUGHPUT.test(last)) {
    if (!allowThroughput) throw usage(flag, text, 'an LSI has no throughput of its own');
    tp = throughput(flag, text, last);
    keys.pop();
  }
  const p = keys[keys.length - 1];
  if (p !== undefined && keys.length % 2 === 1) {
    proj = projection(flag, text, p);
    if (proj) keys.pop();
  }
  const out: { keys: string[]; projection: Projection; throughput?: Throughput } = {
    keys,
    projection: proj ?? { type: 'ALL' },
  };
  if (tp) out.throughput = tp;
  return out;
}

/** `NAME:PK:TYPE[:SK:TYPE][:PROJECTION][:R/W]`. */
export function parseGsiFlag(text: string, flag = '--gsi'): GsiSpec {
  const [name, ...rest] = text.split(':');
  const form = 'expected NAME:PK:TYPE[:SK:TYPE][:all|keys-only|include=a,b][:R/W], such as byEmail:email:S';
  if (!name || rest.length < 2) throw usage(flag, text, form);
  const tail = splitTail(flag, text, rest, true);
  if (tail.keys.length !== 2 && tail.keys.length !== 4) throw usage(flag, text, form);
  const [pk, pkType, sk, skType] = tail.keys;
  const gsi: GsiSpec = {
    name: indexName(flag, text, name),
    partitionKey: { name: pk ?? '', type: keyType(flag, text, pkType) },
    projection: tail.projection,
  };
  if (sk !== undefined) gsi.sortKey = { name: sk, type: keyType(flag, text, skType) };
  if (tail.throughput) gsi.throughput = tail.throughput;
  if (!gsi.partitionKey.name || gsi.sortKey?.name === '') throw usage(flag, text, 'empty attribute name');
  return gsi;
}

/** `NAME:SK:TYPE[:PROJECTION]` (the partition key of an LSI is the table's). */
export function parseLsiFlag(text: string, flag = '--lsi'): LsiSpec {
  const [name, ...rest] = text.split(':');
  const form = 'expected NAME:SK:TYPE[:all|keys-only|include=a,b], such as byLastLogin:lastLogin:N';
  if (!name || rest.length < 2) throw usage(flag, text, form);
  const tail = splitTail(flag, text, rest, false);
  if (tail.keys.length !== 2) throw usage(flag, text, form);
  const [sk, skType] = tail.keys;
  if (!sk) throw usage(flag, text, 'empty attribute name');
  return {
    name: indexName(flag, text, name),
    sortKey: { name: sk, type: keyType(flag, text, skType) },
    projection: tail.projection,
  };
}

/** `NAME:R/W`. */
export function parseIndexThroughputFlag(
  text: string,
  flag = '--gsi-throughput',
): { name: string } & Throughput {
  const i = text.lastIndexOf(':');
  if (i < 1) throw usage(flag, text, 'expected INDEX:READ/WRITE, such as byEmail:10/5');
  return { name: text.slice(0, i), ...throughput(flag, text, text.slice(i + 1)) };
}

/** `KEY=VALUE` (the value may be empty). */
export function parseTagFlag(text: string, flag = '--tag'): [string, string] {
  const i = text.indexOf('=');
  if (i < 1) throw usage(flag, text, 'expected KEY=VALUE');
  return [text.slice(0, i), text.slice(i + 1)];
}

/** A tag's key to remove: any text a tag key can be (`=` included), but not none. */
export function parseUntagFlag(text: string, flag = '--untag'): string {
  if (text === '') throw usage(flag, text, 'give the key of the tag to remove, such as --untag team');
  return text;
}

const VIEW_TYPES: Record<string, StreamViewType> = {
  NEW_IMAGE: 'NEW_IMAGE',
  OLD_IMAGE: 'OLD_IMAGE',
  NEW_AND_OLD_IMAGES: 'NEW_AND_OLD_IMAGES',
  KEYS_ONLY: 'KEYS_ONLY',
};

/** A stream view type, or null for `off`. */
export function parseStreamFlag(text: string, flag = '--stream'): StreamViewType | null {
  const word = text.trim().toUpperCase().replace(/-/g, '_');
  if (word === 'OFF' || word === 'NONE' || word === 'FALSE') return null;
  const v = VIEW_TYPES[word];
  if (!v) throw usage(flag, text, 'use new-image, old-image, new-and-old-images, keys-only or off');
  return v;
}

export function parseTableClassFlag(text: string, flag = '--table-class'): TableClass {
  const word = text.trim().toUpperCase().replace(/-/g, '_');
  if (word === 'STANDARD') return 'STANDARD';
  if (word === 'STANDARD_IA' || word === 'STANDARD_INFREQUENT_ACCESS') return 'STANDARD_INFREQUENT_ACCESS';
  throw usage(flag, text, 'use standard or standard-ia (STANDARD_INFREQUENT_ACCESS)');
}

/** create-table's flags that describe the table, as given (before parsing). */
export interface CreateTableFlags {
  pk?: string;
  sk?: string;
  billing?: 'provisioned' | 'on-demand';
  rcu?: number;
  wcu?: number;
  gsi?: string[];
  lsi?: string[];
  tag?: string[];
  ttl?: string;
  pitr?: true;
  stream?: string;
  deletionProtection?: true;
  tableClass?: string;
}

/**
 * Flags → spec (pure). The partition key defaults to the lab's username:S. Billing left out stays
 * out: the table then gets DEFAULT_BILLING (on-demand), exactly as a spec file without `billing`.
 */
export function specFromFlags(table: string, opts: CreateTableFlags): TableSpec {
  validateTableName(table);
  const spec: TableSpec = {
    name: table,
    partitionKey: opts.pk ? parseKeyFlag('--pk', opts.pk) : { ...LAB_DEFAULTS.partitionKey },
  };
  if (opts.sk) spec.sortKey = parseKeyFlag('--sk', opts.sk);
  const capacity = opts.rcu !== undefined || opts.wcu !== undefined;
  if (opts.billing === 'on-demand') {
    if (capacity) {
      throw new DdbError('usage.invalid', {
        message: '--rcu/--wcu do not go with --billing on-demand: an on-demand table has no capacity',
      });
    }
    spec.billing = { mode: 'PAY_PER_REQUEST' };
  } else if (opts.billing === 'provisioned' || capacity) {
    if (opts.rcu === undefined || opts.wcu === undefined) {
      throw new DdbError('usage.invalid', {
        message: `provisioned billing needs both --rcu and --wcu (for example --rcu 5 --wcu 5); without them the table is on-demand`,
      });
    }
    spec.billing = { mode: 'PROVISIONED', read: opts.rcu, write: opts.wcu };
  }
  if (opts.gsi) spec.gsis = opts.gsi.map((g) => parseGsiFlag(g));
  const withCapacity = spec.gsis?.find((g) => g.throughput);
  if (withCapacity && spec.billing === undefined) {
    throw new DdbError('usage.invalid', {
      message: `--gsi ${withCapacity.name}: its READ/WRITE capacity needs a provisioned table: add --rcu N --wcu N (without them the table is on-demand)`,
    });
  }
  if (opts.lsi) spec.lsis = opts.lsi.map((l) => parseLsiFlag(l));
  if (opts.tag) spec.tags = Object.fromEntries(opts.tag.map((t) => parseTagFlag(t)));
  if (opts.ttl !== undefined) spec.ttl = { attribute: opts.ttl };
  if (opts.pitr) spec.pitr = true;
  if (opts.stream !== undefined) {
    const view = parseStreamFlag(opts.stream);
    if (view) spec.stream = { viewType: view };
  }
  if (opts.deletionProtection) spec.deletionProtection = true;
  if (opts.tableClass !== undefined) spec.tableClass = parseTableClassFlag(opts.tableClass);
  return checkTableSpec(spec, `create-table ${table}`);
}
