import { Command, Option } from '@commander-js/extra-typings';
import { type ItemValue, isTagged, parseLosslessJson, typeOf } from '../../core/data/codec.js';
import { readStringLiteral } from '../../core/data/expressions/index.js';
import { checkKeySize, type KeySchema } from '../../core/data/keySchema.js';
import {
  countItems,
  type QueryOptions,
  queryPages,
  readKeySchema,
  type SortKeyOp,
} from '../../core/data/read.js';
import { DdbError } from '../../core/errors.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { render } from '../output/render.js';
import { countResult } from '../output/result.js';
import { keyValue, parseItemText, parseNames, parseValues } from './_input.js';
import { ddbJsonOption, indexOption, limitOption, namesOption, tableArg, valuesOption } from './_options.js';

const SK_RE = /^\s*(<=|>=|=|<|>|between|begins_with)\s+([\s\S]*)$/i;
const AND_RE = /\s+and\s+/i;

/**
 * `--sk '>= 2024-01-01'`, `--sk 'between 1 and 5'`, `--sk 'begins_with ORDER#'` → op and typed
 * values. A value may be quoted as expressions write text (`= 'a'`, `between "a" and "b"`): the
 * expression compiler's literal reader takes it, so its quotes and escapes are read as --filter
 * reads them, and an " and " inside it does not split it. A quoted value is text: a string key's.
 */
export function parseSortKey(text: string, schema: KeySchema): { op: SortKeyOp; values: ItemValue[] } {
  const m = SK_RE.exec(text);
  const sk = schema.sortKey;
  if (!m || !sk) {
    throw new DdbError('usage.invalid', {
      message: sk
        ? `--sk ${JSON.stringify(text)}: expected "<op> value" with op =, <, <=, >, >=, begins_with, or "between A and B"`
        : `--sk: ${schema.table} has no sort key`,
    });
  }
  const op = m[1]!.toLowerCase() as SortKeyOp;
  const rest = m[2]!;
  const label = `--sk ${sk.name}`;
  const value = (v: SortKeyText): ItemValue => {
    const typed = typedSortKey(v);
    checkKeySize(typed, sk.name, 'sort', label);
    return typed;
  };
  const typedSortKey = (v: SortKeyText): ItemValue => {
    if (!v.quoted) return keyValue(sk, v.text, label);
    if (sk.type === 'S') return v.text;
    throw new DdbError('usage.invalid', {
      message: `${label}: "${sk.name}" is ${sk.type === 'N' ? 'a number (N): write it without quotes, such as --sk "= 5"' : 'binary (B): write its base64 without quotes, such as --sk "= AAE="'}; a quoted value is text`,
    });
  };
  if (op === 'between') {
    const low = sortKeyText(rest, 0, 'low', text);
    const and = AND_RE.exec(rest.slice(low.end));
    if (low.end >= rest.length || !and || and.index !== 0) {
      throw new DdbError('usage.invalid', {
        message: `--sk ${JSON.stringify(text)}: expected "between A and B"`,
      });
    }
    const high = sortKeyText(rest, low.end + and[0].length, 'high', text);
    return { op, values: [value(low), value(high)] };
  }
  if (op === 'begins_with' && sk.type === 'N') {
    throw new DdbError('usage.invalid', {
      message: `--sk begins_with: "${sk.name}" is a number; begins_with needs a string or binary sort key`,
    });
  }
  return { op, values: [value(sortKeyText(rest, 0, 'one', text))] };
}

interface SortKeyText {
  text: string;
  quoted: boolean;
  /** Index in the text just after the value. */
  end: number;
}

/**
 * One value of `--sk` from `start` of `rest`: a quoted literal (nothing but spaces may follow it,
 * or " and " after the low value of a between), or the unquoted text up to " and " (low) or the end.
 */
function sortKeyText(rest: string, start: number, part: 'low' | 'high' | 'one', whole: string): SortKeyText {
  const low = part === 'low';
  const between = part !== 'one';
  const c = rest[start];
  if (c === "'" || c === '"') {
    const { value, end } = readStringLiteral(rest, start, '--sk');
    const after = rest.slice(end);
    if (!(low ? /^(\s+and\s|\s*$)/i : /^\s*$/).test(after)) {
      throw new DdbError('usage.invalid', {
        message: `--sk ${JSON.stringify(whole)}: unexpected text after the quoted value: ${JSON.stringify(after.trim())}`,
      });
    }
    return { text: value, quoted: true, end };
  }
  const and = AND_RE.exec(rest.slice(start));
  if (!low) {
    if (between && and) {
      throw new DdbError('usage.invalid', {
        message: `--sk ${JSON.stringify(whole)}: expected "between A and B"; quote a value that holds " and ", such as 'a and b'`,
      });
    }
    return { text: rest.slice(start), quoted: false, end: rest.length };
  }
  const end = and ? start + and.index : rest.length;
  return { text: rest.slice(start, end), quoted: false, end };
}

/**
 * The partition key value of `query`: JSON like get's key (`{"customer":"c1"}`, DynamoDB JSON with
 * --ddb-json) holding that attribute only, `attr=value`, or the bare value.
 */
export function parsePartition(partition: string, schema: KeySchema, ddbJson: boolean): ItemValue {
  const pk = schema.partitionKey;
  const value = readPartition(partition, schema, ddbJson);
  // NOTE: checked here as get checks a key: DynamoDB refuses an empty key value (a ValidationException
  // from DynamoDB, 0 rows from the embedded engine), so it is a local usage error on every engine.
  checkKeySize(value, pk.name, 'partition', 'query');
  return value;
}

function readPartition(partition: string, schema: KeySchema, ddbJson: boolean): ItemValue {
  const pk = schema.partitionKey;
  if (partition.trimStart().startsWith('{')) {
    const where = 'partition key';
    if (!ddbJson && isTagged(Object.keys(parseLosslessJson(partition, where) as object))) {
      throw new DdbError('input.key', {
        message: `${where} ${partition}: as JSON it names its attribute, such as '{"${pk.name}": ${partition}}'`,
      });
    }
    const key = parseItemText(partition, where, ddbJson);
    const names = Object.keys(key);
    const value = key[pk.name];
    if (value === undefined) {
      throw new DdbError('input.key', {
        message: `partition key ${partition}: the partition key attribute of ${schema.table} is "${pk.name}" (${pk.type}), ${names.length ? `not ${names.map((n) => `"${n}"`).join(', ')}` : 'and the JSON names no attribute'}; write it such as '{"${pk.name}": ...}'`,
      });
    }
    if (names.length !== 1) {
      throw new DdbError('input.key', {
        message: `partition key ${partition}: query takes the partition key alone, such as '{"${pk.name}": ...}'${schema.sortKey ? `; give a sort key condition with --sk` : ''}`,
      });
    }
    if (typeOf(value) !== pk.type) {
      throw new DdbError('input.key', {
        message: `partition key ${partition}: "${pk.name}" is of type ${pk.type}, not ${typeOf(value)}`,
      });
    }
    return value;
  }
  const eq = partition.indexOf('=');
  if (eq > 0 && partition.slice(0, eq) === pk.name) {
    return keyValue(pk, partition.slice(eq + 1), `partition ${pk.name}`);
  }
  if (eq > 0 && /^[A-Za-z_][\w.-]*=/.test(partition)) {
    throw new DdbError('input.key', {
      message: `"${partition.slice(0, eq)}" is not the partition key of ${schema.table}; it is ${pk.name} (${pk.type}); for a value with "=" in it (base64 padding, say), write ${pk.name}=${partition}`,
    });
  }
  return keyValue(pk, partition, `partition ${pk.name}`);
}

export default function queryCommand(cli: Cli) {
  return new Command('query')
    .description(
      'Read the items of one partition, in sort key order, streaming every page [API: Query]\n' +
        "Examples: query Orders customer=c1 --sk 'begins_with 2026-' --filter 'total > 100' --limit 20",
    )
    .argument('<table>', 'table name', tableArg)
    .argument('<partition>', 'the partition key value: value, attr=value or JSON (\'{"customer":"c1"}\')')
    .option(
      '--sk <condition>',
      "sort key condition: '= v', '< v', '<= v', '> v', '>= v', 'between a and b', 'begins_with v'; quote text as expressions do: \"= 'a b'\"",
    )
    .addOption(indexOption('query'))
    .option('--descending', 'highest sort key first')
    .option('--filter <expr>', 'filter applied after reading, e.g. "status = \'open\' AND size(items) > 2"')
    .option('--project <paths>', 'only these attributes, e.g. "id,total,address.city"')
    .addOption(limitOption())
    .addOption(new Option('--count', 'print only the number of matching items').conflicts('project'))
    .option('--consistent', 'strongly consistent reads (not on GSIs)')
    .addOption(namesOption())
    .addOption(valuesOption())
    .addOption(ddbJsonOption())
    .addOption(new Option('--page-size <n>', 'items per request').argParser(Number).hideHelp())
    .action(async (table, partition, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const names = parseNames(opts.names);
      const values = parseValues(opts.values, !!opts.ddbJson);
      await withClients(cli, g, async (clients) => {
        const schema = await readKeySchema(clients, table, opts.index);
        const pk = schema.partitionKey;
        const q: QueryOptions = {
          partitionValue: parsePartition(partition, schema, !!opts.ddbJson),
          ...(opts.sk ? { sortKey: parseSortKey(opts.sk, schema) } : {}),
          ...(opts.index ? { index: opts.index } : {}),
          ...(opts.descending ? { descending: true } : {}),
          ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
          ...(opts.project !== undefined ? { project: opts.project } : {}),
          ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
          ...(opts.consistent ? { consistent: true } : {}),
          ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
          ...(names ? { names } : {}),
          ...(values ? { values } : {}),
        };
        if (opts.count) {
          const c = await countItems(clients, table, { ...q, query: schema });
          render(cli, g, countResult(c));
          return;
        }
        const keys = [pk.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
        await render(cli, g, { kind: 'items', pages: queryPages(clients, table, schema, q), keyNames: keys });
      });
    });
}
