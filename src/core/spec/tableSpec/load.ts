/**
 * Spec files: YAML or JSON text with line numbers for messages, each entry read in its format
 * (ddbctl's own or AWS's), the AWS CLI skeleton's placeholders dropped with a note.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import { DdbError } from '../../errors.js';
import { readAwsTable } from './awsFormat.js';
import {
  checkKeys,
  expectRecord,
  expectString,
  type Fail,
  formatPath,
  isRecord,
  kindOf,
  type Path,
} from './fields.js';
import { readOwnTable } from './ownFormat.js';
import type { TableSpec } from './types.js';
import { type Parsed, validateSpec } from './validate.js';

interface LoadedText {
  value: unknown;
  lineOf(path: Path): number | undefined;
}

function loadText(text: string, file: string): LoadedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) {
    const trimmed = text.trimStart();
    // NOTE: not for a key given twice, which JSON.parse takes (the last wins): a spec that names
    // two tables, or two billing modes, in one object is refused, as in YAML.
    const twice = doc.errors.some((e) => e.code === 'DUPLICATE_KEY');
    if (!twice && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
      // NOTE: JSON that the YAML parser rejects (rare: YAML 1.2 is a JSON superset) still parses.
      try {
        return { value: JSON.parse(text) as unknown, lineOf: () => undefined };
      } catch {
        // report the YAML error below: it carries a line number
      }
    }
    const first = doc.errors[0];
    // NOTE: the YAML reader is recursive, and says so in its error (V8's words) when a file nests
    // thousands of levels deep; a table spec nests a few.
    const message = /call stack/i.test(first?.message ?? '')
      ? 'nested deeper than its reader follows (hundreds of levels), which no table spec is'
      : (first?.message ?? 'unreadable').split('\n')[0]?.replace(/:$/, '');
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
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    // The YAML reader's guard against aliases that expand without end ("billion laughs").
    if (!/alias/i.test((e as Error).message)) throw e;
    throw new DdbError('input.spec', {
      message: `${file}: not a table spec: its YAML aliases expand past 1,000 copies; write the values out, or use fewer aliases`,
      cause: e,
      details: { file },
    });
  }
  return { value, lineOf };
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
  try {
    return parseSpecText(text, file, opts);
  } catch (e) {
    // JSON read past the YAML reader (JSON.parse is not recursive) and then walked by what is
    // (a resource policy written back as text, say): thousands of levels end the stack.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new DdbError('input.spec', {
        message: `${file}: nested thousands of levels deep, which no table spec is`,
        cause: e,
        details: { file },
      });
    }
    throw e;
  }
}

function parseSpecText(text: string, file: string, opts: ParseSpecOptions): TableSpec[] {
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
