/** Reading items and keys given on the command line, from a file, or from stdin. */
import { existsSync, fstatSync, readFileSync } from 'node:fs';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { isLosslessNumber } from 'lossless-json';
import {
  base64Problem,
  fromDdbJson,
  fromPlainValue,
  type Item,
  type ItemValue,
  parseItem,
  parseLosslessJson,
} from '../../core/data/codec.js';
import type { KeyAttr, KeySchema } from '../../core/data/keySchema.js';
import { numberProblem, validateItem } from '../../core/data/validate.js';
import { DdbError } from '../../core/errors.js';
import { readAll, utf8Text } from '../../core/util/bytes.js';
import type { Io } from '../context.js';

/**
 * Text read from a file or stdin, strictly: invalid UTF-8 is refused (as import refuses it) rather
 * than stored as U+FFFD; a byte order mark at the start is dropped.
 */
export function textOf(bytes: Uint8Array, where: string): string {
  const text = utf8Text(bytes);
  if (text === undefined) {
    throw new DdbError('input.json', {
      message: `${where} is not valid UTF-8 text; save it as UTF-8`,
    });
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * The run's standard input, to be read. One that is a folder (`< /tmp`) is refused: node reads it as
 * empty, and an import or batch-write would write nothing and end as if done.
 */
export function readableStdin(io: Io): Io['stdin'] {
  // A test's stream is not the process's: only the process's is fd 0.
  if (io.stdin === process.stdin) {
    let folder = false;
    try {
      folder = fstatSync(0).isDirectory();
    } catch {
      // Closed: read as empty.
    }
    if (folder) {
      throw new DdbError('input.file', {
        message: 'standard input is a folder (< FOLDER); give a file or a pipe there, or the path of a file',
      });
    }
  }
  return io.stdin;
}

/**
 * The text of an ITEM argument: inline JSON (starts with `{`), `-` for stdin, or a file path.
 * Returns the text and where it came from, for messages.
 */
export async function readJsonArgument(
  io: Io,
  arg: string,
  what: string,
): Promise<{ text: string; where: string }> {
  const trimmed = arg.trimStart();
  if (trimmed.startsWith('{')) return { text: arg, where: what };
  if (arg === '-') {
    const where = `${what} from stdin`;
    const text = textOf(await readAll(readableStdin(io) as AsyncIterable<Buffer | string>), where);
    if (text.trim() === '') {
      throw new DdbError('input.json', {
        message: `${where}: standard input was empty; pipe the JSON in, or give it as an argument`,
      });
    }
    return { text, where };
  }
  if (existsSync(arg)) {
    const where = `${what} in ${arg}`;
    let bytes: Buffer;
    try {
      bytes = readFileSync(arg);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EISDIR') {
        throw new DdbError('input.file', {
          message: `${arg} is a folder; give the ${what} as JSON, the path of a file, or - for stdin`,
          cause: e,
        });
      }
      throw new DdbError('input.file', { message: `cannot read ${arg}: ${(e as Error).message}`, cause: e });
    }
    return { text: textOf(bytes, where), where };
  }
  throw new DdbError('input.json', {
    message: `${what} ${JSON.stringify(arg.length > 40 ? `${arg.slice(0, 40)}…` : arg)} is neither JSON (starting with '{'), '-' (stdin) nor an existing file`,
  });
}

/** Parse an item in plain JSON or, with `ddbJson`, DynamoDB JSON. */
export function parseItemText(text: string, where: string, ddbJson: boolean): Item {
  return ddbJson ? fromDdbJson(parseLosslessJson(text, where), where) : parseItem(text, where);
}

/**
 * A key: JSON (plain or DynamoDB JSON) or `attr=value` pairs, converted with the table's key
 * schema so a number key given as text becomes a number.
 */
export function parseKeyArgs(args: string[], schema: KeySchema, ddbJson: boolean): Item {
  const first = args[0] ?? '';
  if (args.length === 1 && first.trimStart().startsWith('{')) return parseItemText(first, 'key', ddbJson);
  if (args.length === 0) {
    throw new DdbError('input.key', {
      message: `no key given; table ${schema.table} needs ${keyUsage(schema)}`,
    });
  }
  const key: Item = {};
  for (const a of args) {
    const i = a.indexOf('=');
    if (i < 1)
      throw new DdbError('input.key', {
        message: `key ${JSON.stringify(a)}: expected attr=value or JSON; table ${schema.table} needs ${keyUsage(schema)}`,
      });
    const name = a.slice(0, i);
    const value = a.slice(i + 1);
    const attr = [schema.partitionKey, schema.sortKey].find((k) => k?.name === name);
    if (!attr) {
      throw new DdbError('input.key', {
        message: `key attribute "${name}" is not part of the key of ${schema.table}; it needs ${keyUsage(schema)}`,
      });
    }
    // NOTE: JSON keys with a name twice are refused (parseLosslessJson); so is `s=1 s=2`, where
    // the last would otherwise win silently and another item be read or written.
    if (Object.hasOwn(key, name)) {
      throw new DdbError('input.key', {
        message: `key: "${name}" given twice (${args.filter((b) => b.startsWith(`${name}=`)).join(', ')}); give each key attribute once: ${keyUsage(schema)}`,
      });
    }
    key[name] = keyValue(attr, value, `key ${name}=${value}`);
  }
  return key;
}

/**
 * A key attribute's value given as text, converted to the attribute's type: S the text itself
 * (whatever it looks like: `id={"x":1}` is that string), N a number, B base64 (strictly: a typo
 * must not read another key). JSON forms belong to a whole key given as JSON.
 */
export function keyValue(attr: KeyAttr, text: string, where: string): ItemValue {
  if (attr.type === 'N') {
    const problem = numberProblem(text);
    if (problem !== undefined) {
      throw new DdbError('input.key', {
        message: `${where}: "${attr.name}" is a number (N); ${problem}`,
      });
    }
    return new NumberValue(text);
  }
  if (attr.type === 'B') {
    const problem = base64Problem(text);
    if (problem !== undefined) {
      throw new DdbError('input.key', {
        message: `${where}: "${attr.name}" is binary (B), given as base64 text alone (${attr.name}=AAE=); ${problem}`,
      });
    }
    return new Uint8Array(Buffer.from(text, 'base64'));
  }
  return text;
}

/** Raw `#x` names (JSON object of strings) given with --names. */
export function parseNames(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  let why = '';
  try {
    // lossless: a name given twice (#a to two attributes) is refused, not the last taken.
    v = parseLosslessJson(text, '--names');
  } catch (e) {
    v = undefined;
    const twice = /Duplicate key .* at position \d+/.exec((e as Error).message)?.[0];
    if (twice) why = ` (${twice})`;
  }
  if (
    !v ||
    typeof v !== 'object' ||
    Array.isArray(v) ||
    !Object.values(v).every((x) => typeof x === 'string')
  ) {
    throw new DdbError('usage.invalid', {
      message: `--names ${JSON.stringify(text)}: expected a JSON object such as '{"#s":"status"}'${why}`,
    });
  }
  return v as Record<string, string>;
}

/** Raw `:x` values (JSON object; plain JSON, or DynamoDB JSON with --ddb-json) given with --values. */
export function parseValues(
  text: string | undefined,
  ddbJson: boolean,
): Record<string, ItemValue> | undefined {
  if (text === undefined) return undefined;
  if (ddbJson) return parseItemText(text, '--values', true);
  // Each value named as DynamoDB JSON names it (`--values: :v: ...`), so both modes say where.
  const parsed = parseLosslessJson(text, '--values');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || isLosslessNumber(parsed)) {
    throw new DdbError('input.json', {
      message: `--values: expected a JSON object of values such as '{":status":"open"}'`,
    });
  }
  const values: Record<string, ItemValue> = Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k, fromPlainValue(v, `--values: ${k}`)]),
  );
  // Numbers DynamoDB cannot hold, nesting: checked here as in an item (DynamoDB JSON checks its own).
  validateItem(values, '--values');
  return values;
}

function keyUsage(s: KeySchema): string {
  return [s.partitionKey, s.sortKey]
    .filter((k) => !!k)
    .map((k) => `${k!.name}=<${k!.type}>`)
    .join(' ');
}

/** --condition, --names and --values of a write command, parsed, as core ConditionOptions. */
export function conditionOptions(opts: {
  condition?: string;
  names?: string;
  values?: string;
  ddbJson?: boolean;
}): {
  condition?: string;
  names?: Record<string, string>;
  values?: Record<string, ItemValue>;
} {
  const names = parseNames(opts.names);
  const values = parseValues(opts.values, !!opts.ddbJson);
  return {
    ...(opts.condition !== undefined ? { condition: opts.condition } : {}),
    ...(names ? { names } : {}),
    ...(values ? { values } : {}),
  };
}
