/** Options and helpers shared by several commands. */
import { createHash } from 'node:crypto';
import { Option } from '@commander-js/extra-typings';
import { checkSegments } from '../../core/data/read.js';
import { DdbError } from '../../core/errors.js';
import { validateTableName } from '../../core/names.js';
import { formatFromPath } from '../../core/transfer/formats/format.js';

export function positiveInt(flag: string): (v: string) => number {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1) {
      throw new DdbError('usage.invalid', {
        message: `${flag} ${JSON.stringify(v)}: expected a whole number ≥ 1`,
      });
    }
    return Number(v);
  };
}

/** `--segments N`: a whole number DynamoDB takes (1 to 1,000,000), checked before any request. */
export function segmentsArg(v: string): number {
  const n = positiveInt('--segments')(v);
  try {
    checkSegments(n);
  } catch (e) {
    throw new DdbError('usage.invalid', {
      message: `--segments ${v}: ${(e as DdbError).message.replace(/^segments \d+: /, '')}`,
    });
  }
  return n;
}

/**
 * A command's table argument, its name checked as the command line is read: refused (exit 2) before
 * any target is opened or announced.
 */
export const tableArg = (v: string): string => validateTableName(v);

/**
 * The default file name `prefix` + table + `suffix` (a reject file or a checkpoint of stdin, in the
 * current folder), within the 255 bytes a file name may have: a long table name (up to 255
 * characters) is cut, with 8 hex digits of its hash so that two long names stay apart.
 */
export function tableFileName(prefix: string, table: string, suffix: string): string {
  const name = `${prefix}${table}${suffix}`;
  if (Buffer.byteLength(name) <= 255) return name;
  const hash = createHash('sha256').update(table).digest('hex').slice(0, 8);
  const keep = 255 - Buffer.byteLength(`${prefix}-${hash}${suffix}`);
  return `${prefix}${table.slice(0, keep)}-${hash}${suffix}`;
}

/** `--index NAME` of query and scan, its name checked before any request. */
export const indexOption = (verb: 'query' | 'scan') =>
  new Option('--index <name>', `${verb} a GSI or LSI`).argParser((v) => validateTableName(v, 'index'));

export const timeoutOption = () =>
  new Option('--timeout <seconds>', 'give up waiting after this many seconds')
    .default(300)
    .argParser(positiveInt('--timeout'));

/** A TCP port; 0 picks a free one. */
export function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) {
    throw new DdbError('usage.invalid', {
      message: `--port ${JSON.stringify(v)}: expected 0–65535 (0 picks a free port)`,
    });
  }
  return n;
}

/**
 * `--host` of serve and ui: an address or name of this machine alone. Empty, a URL or an address
 * with its port would fail in listen() with words about another thing (or bind every interface).
 */
export function hostArg(v: string): string {
  const refuse = (why: string): never => {
    throw new DdbError('usage.invalid', { message: `--host ${JSON.stringify(v)}: ${why}` });
  };
  if (v.trim() === '') refuse('give an address or name of this machine, such as 127.0.0.1');
  if (v.trim() !== v) refuse('give it without spaces around it');
  if (v.includes('://')) refuse('give the address alone, without a scheme, such as 127.0.0.1');
  if (/^[^:[\]]+:\d*$/.test(v) || /^\[[^\]]*\]:\d*$/.test(v)) {
    refuse('give the address alone to --host, and the port to --port');
  }
  // `[::1]` as in a URL: listen() wants the bare address.
  return v.replace(/^\[(.*)\]$/, '$1');
}

/** Whether `--host` (as hostArg gives it) is this machine's loopback alone: binding it warns of nothing. */
export function isLoopbackHost(host: string): boolean {
  return ['127.0.0.1', 'localhost', '::1'].includes(host.toLowerCase());
}

/** Collect a repeatable option into an array. */
export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

export const conditionOption = () =>
  new Option(
    '--condition <expr>',
    'only if this holds, e.g. "attribute_exists(username) AND status = \'active\'"',
  );
export const namesOption = () =>
  new Option('--names <json>', 'your own #name placeholders, e.g. \'{"#s":"status"}\'');
export const valuesOption = () =>
  new Option('--values <json>', 'your own :value placeholders, e.g. \'{":v":5}\'');
export const ddbJsonOption = () =>
  new Option('--ddb-json', 'JSON input is DynamoDB JSON ({"S": "..."} typed form)');
export const limitOption = () =>
  new Option('--limit <n>', 'at most N items in total (across pages)').argParser(positiveInt('--limit'));

/**
 * Where a transfer's format came from, for a message: nothing when --format gave it, else "(from
 * the name FILE)" or the default's (on `stdio` when there is no file).
 */
export function formatOrigin(given: boolean, file: string | undefined, stdio: 'stdin' | 'stdout'): string {
  if (given) return '';
  if (file === undefined) return ` (the default on ${stdio})`;
  return formatFromPath(file) ? ` (from the name ${file})` : ' (the default)';
}
