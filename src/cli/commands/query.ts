import { Command, Option } from '@commander-js/extra-typings';
import type { ItemValue } from '../../core/data/codec.js';
import type { KeySchema } from '../../core/data/keySchema.js';
import {
  countItems,
  type QueryOptions,
  queryPages,
  readKeySchema,
  type SortKeyOp,
} from '../../core/data/read.js';
import { DdbError } from '../../core/errors.js';
import { type Cli, type GlobalOptions, withClients } from '../context.js';
import { printCount, printItems } from '../output/render.js';
import { keyValue, parseNames, parseValues } from './_input.js';
import { ddbJsonOption, indexOption, limitOption, namesOption, valuesOption } from './_options.js';

const SK_RE = /^\s*(<=|>=|=|<|>|between|begins_with)\s+([\s\S]*)$/i;

/** `--sk '>= 2024-01-01'`, `--sk 'between 1 and 5'`, `--sk 'begins_with ORDER#'` → op and typed values. */
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
  if (op === 'between') {
    const parts = rest.split(/\s+and\s+/i);
    if (parts.length !== 2) {
      throw new DdbError('usage.invalid', {
        message: `--sk ${JSON.stringify(text)}: expected "between A and B"`,
      });
    }
    return { op, values: parts.map((p) => keyValue(sk, p, `--sk ${sk.name}`)) };
  }
  if (op === 'begins_with' && sk.type === 'N') {
    throw new DdbError('usage.invalid', {
      message: `--sk begins_with: "${sk.name}" is a number; begins_with needs a string or binary sort key`,
    });
  }
  return { op, values: [keyValue(sk, rest, `--sk ${sk.name}`)] };
}

export default function queryCommand(cli: Cli) {
  return new Command('query')
    .description(
      'Read the items of one partition, in sort key order, streaming every page [API: Query]\n' +
        "Examples: query Orders customer=c1 --sk 'begins_with 2026-' --filter 'total > 100' --limit 20",
    )
    .argument('<table>', 'table name')
    .argument('<partition>', 'the partition key value, as value or attr=value')
    .option(
      '--sk <condition>',
      "sort key condition: '= v', '< v', '<= v', '> v', '>= v', 'between a and b', 'begins_with v'",
    )
    .addOption(indexOption('query'))
    .option('--descending', 'highest sort key first')
    .option('--filter <expr>', 'filter applied after reading, e.g. "status = \'open\' AND size(items) > 2"')
    .option('--project <paths>', 'only these attributes, e.g. "id,total,address.city"')
    .addOption(limitOption())
    .option('--count', 'print only the number of matching items')
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
        const eq = partition.indexOf('=');
        const [attr, text] =
          eq > 0 && partition.slice(0, eq) === pk.name
            ? [pk.name, partition.slice(eq + 1)]
            : [pk.name, partition];
        if (eq > 0 && partition.slice(0, eq) !== pk.name && /^[A-Za-z_][\w.-]*=/.test(partition)) {
          throw new DdbError('input.key', {
            message: `"${partition.slice(0, eq)}" is not the partition key of ${schema.table}; it is ${pk.name} (${pk.type})`,
          });
        }
        const q: QueryOptions = {
          partitionValue: keyValue(pk, text, `partition ${attr}`),
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
          printCount(cli.io, g.output, c);
          return;
        }
        const keys = [pk.name, ...(schema.sortKey ? [schema.sortKey.name] : [])];
        await printItems(cli.io, g.output, queryPages(clients, table, schema, q), keys);
      });
    });
}
