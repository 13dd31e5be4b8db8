import { Command, Option } from '@commander-js/extra-typings';
import { batchGet } from '../../core/batch/batchGet.js';
import {
  fromDdbJson,
  fromPlainItem,
  type Item,
  parseLosslessJson,
  stringifyItem,
} from '../../core/data/codec.js';
import { DdbError } from '../../core/errors.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { render } from '../output/render.js';
import { readJsonArgument } from './_input.js';
import { positiveInt, tableArg } from './_options.js';

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

function toKey(v: unknown, where: string, ddbJson: boolean): Item {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new DdbError('input.json', {
      message: `${where}: expected a key object such as {"username":"ada"}`,
    });
  }
  return ddbJson ? fromDdbJson(v, where) : fromPlainItem(v, where);
}

/**
 * Keys from text: a JSON array of keys, or NDJSON (one key a line). Returns each key with how
 * messages name it ("line 3", "element 2").
 */
export function parseKeys(text: string, source: string, ddbJson: boolean): { keys: Item[]; where: string[] } {
  const keys: Item[] = [];
  const where: string[] = [];
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('[')) {
    const list = parseLosslessJson(body, source);
    if (!Array.isArray(list))
      throw new DdbError('input.json', { message: `${source}: expected a JSON array of keys` });
    list.forEach((v, i) => {
      const w = `${source}: element ${i + 1}`;
      keys.push(toKey(v, w, ddbJson));
      where.push(w);
    });
    return { keys, where };
  }
  body.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const w = `${source}: line ${i + 1}`;
    keys.push(toKey(parseLosslessJson(line, w), w, ddbJson));
    where.push(w);
  });
  return { keys, where };
}

export default function batchGetCommand(cli: Cli) {
  return new Command('batch-get')
    .description(
      'Read many items by key, 100 a call, retrying unprocessed keys; missing keys are reported on stderr, exit code 1 only when keys could not be read [API: BatchGetItem]\n' +
        'Example: batch-get Users keys.ndjson --project username,email   (items as NDJSON; -o json: one array)',
    )
    .argument('<table>', 'table name', tableArg)
    .argument(
      '<keys>',
      'keys as NDJSON (one a line) or a JSON array: a file, - for stdin, or inline JSON (\'[{"username":"ada"}]\')',
    )
    .option('--ddb-json', 'keys are DynamoDB JSON ({"S": "..."} typed form)')
    .option('--consistent', 'strongly consistent reads')
    .option('--project <paths>', 'only these attributes, comma-separated paths (name,address.city)')
    .addOption(new Option('--projection <paths>', 'the old name of --project, kept for scripts').hideHelp())
    .addOption(
      new Option('--concurrency <n>', 'calls in flight at once')
        .default(4)
        .argParser(positiveInt('--concurrency')),
    )
    .addOption(
      new Option('--max-retries <n>', 'retries per chunk of unprocessed keys, with backoff')
        .default(8)
        .argParser((v) => {
          if (!/^\d+$/.test(v)) {
            throw new DdbError('usage.invalid', {
              message: `--max-retries ${JSON.stringify(v)}: expected a whole number ≥ 0`,
            });
          }
          return Number(v);
        }),
    )
    .action(async (table, keysArg, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      if (opts.project !== undefined && opts.projection !== undefined) {
        throw new DdbError('usage.invalid', {
          message: '--projection is the old name of --project: give only --project',
        });
      }
      const project = opts.project ?? opts.projection;
      // Parse before connecting: malformed keys are a usage error that starts nothing.
      const { text, where: source } = keysArg.trimStart().startsWith('[')
        ? { text: keysArg, where: 'keys' }
        : await readJsonArgument(cli.io, keysArg, 'keys');
      const { keys, where } = parseKeys(text, source, !!opts.ddbJson);
      const r = await withClients(cli, g, (clients) =>
        batchGet(clients, table, keys, {
          consistentRead: !!opts.consistent,
          concurrency: opts.concurrency,
          maxRetries: opts.maxRetries,
          clock: cli.clock,
          where: (i) => where[i] ?? `key ${i + 1}`,
          ...(project !== undefined ? { projection: project } : {}),
        }),
      );
      // NOTE: the items are data to pipe on: NDJSON unless a format is asked for (-o json: one array).
      await render(cli, g, { kind: 'items', pages: once(r.items), people: { asLines: true } });

      for (const k of r.missing) cli.io.stderr.write(`ddbctl: not found: ${stringifyItem(k)}\n`);
      for (const f of r.failed) cli.io.stderr.write(`ddbctl: failed: ${stringifyItem(f.key)}: ${f.reason}\n`);
      const asked = r.items.length + r.missing.length + r.failed.length;
      notice(
        cli,
        g,
        `found ${r.items.length} of ${asked} keys, ${r.missing.length} missing, ${r.failed.length} failed` +
          (r.duplicateKeys ? ` (${r.duplicateKeys} repeated keys asked once)` : ''),
      );
      if (r.failed.length) cli.exitCode = 1;
    });
}
