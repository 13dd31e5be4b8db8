import { once } from 'node:events';
import {
  accessSync,
  constants,
  createReadStream,
  createWriteStream,
  existsSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Command, Option } from '@commander-js/extra-typings';
import { type BatchWriteResult, batchWrite, type WriteRequest } from '../../core/batch/batchWrite.js';
import {
  fromDdbJson,
  fromPlainItem,
  type Item,
  parseLosslessJson,
  stringifyDdbJson,
  stringifyItem,
} from '../../core/data/codec.js';
import { checkKeyAttributes, getKeySchema, type KeySchema, keyNames } from '../../core/data/keySchema.js';
import { DdbError } from '../../core/errors.js';
import { readLines } from '../../core/transfer/formats/read.js';
import { READ_CHUNK } from '../../core/transfer/importItems.js';
import { hintsOn } from '../commandLine.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { callsJson, callsParts, count, createProgress } from '../output/progress.js';
import { render } from '../output/render.js';
import { readableStdin } from './_input.js';
import { positiveInt, tableArg } from './_options.js';
import { checkDistinctFiles, checkWritablePath } from './_rejects.js';

function wholeNumber(flag: string): (v: string) => number {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) {
      throw new DdbError('usage.invalid', {
        message: `${flag} ${JSON.stringify(v)}: expected a whole number ≥ 0`,
      });
    }
    return Number(v);
  };
}

/** A line that could not become a request: reported with the failures, never sent. */
interface Rejected {
  line: number;
  reason: string;
  text: string;
  /** A line that is not UTF-8: its exact bytes (`text` holds U+FFFD in their place). */
  textBase64?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * One NDJSON line → a request. `{"put": {...}}` and `{"delete": {...}}` (the only attribute, holding
 * an object) are requests; any other object is an item to put. With `schema`, a delete must be
 * exactly a key, as `delete` takes it: an attribute beyond the key is a mistake to report, not to
 * drop while the item is deleted anyway.
 */
export function parseWriteLine(
  text: string,
  line: number,
  ddbJson: boolean,
  schema?: KeySchema,
): WriteRequest {
  const where = `line ${line}`;
  const value = parseLosslessJson(text, where);
  if (!isObject(value)) {
    throw new DdbError('input.json', {
      message: `${where}: expected a JSON object: an item, {"put": item} or {"delete": key}`,
    });
  }
  const toItem = (v: unknown, w: string): Item => {
    if (!isObject(v)) throw new DdbError('input.json', { message: `${w}: expected a JSON object` });
    return ddbJson ? fromDdbJson(v, w) : fromPlainItem(v, w);
  };
  const keys = Object.keys(value);
  // Both verbs and nothing else: two requests on one line, not an item whose attributes are named so.
  if (
    keys.length === 2 &&
    keys.includes('put') &&
    keys.includes('delete') &&
    keys.every((k) => isObject(value[k]))
  ) {
    throw new DdbError('input.json', {
      message: `${where}: holds both "put" and "delete": give one request a line, {"put": item} or {"delete": key}`,
    });
  }
  if (keys.length === 1 && (keys[0] === 'put' || keys[0] === 'delete') && isObject(value[keys[0]])) {
    const item = toItem(value[keys[0]], where);
    if (keys[0] === 'put') return { put: item, line };
    if (schema) checkKeyAttributes(item, schema, `${where}: delete`, true);
    return { delete: item, line };
  }
  // A line that names a request but is not one, and cannot be an item either (the table's key is
  // not in it): said as such, not as an item without its key.
  const verb = keys.find((k) => k === 'put' || k === 'delete');
  // Without an attribute of the table's key the line is no item: a shape of a request is said as one.
  const keyless = !!schema && !keyNames(schema).every((k) => Object.hasOwn(value, k));
  if (verb && keyless) {
    const other = keys.find((k) => k !== verb);
    const why =
      other !== undefined
        ? `"${other}" beside "${verb}"`
        : `"${verb}" must hold ${verb === 'put' ? 'an item' : 'a key'} (a JSON object)`;
    throw new DdbError('input.json', {
      message: `${where}: ${why}: a request line is {"put": item} or {"delete": key} alone`,
    });
  }
  // DynamoDB's export shape ({"Item": item}, as S3 exports and `export --format ddb-json` write it)
  // on a line without the table's key: a file for import, not an item to put.
  if (keyless && keys.length === 1 && keys[0] === 'Item' && isObject(value.Item)) {
    throw new DdbError('input.json', {
      message: `${where}: {"Item": ...} is the shape of DynamoDB's exports: write the item itself (or {"put": item}) on each line, or load such a file with import --format ddb-json`,
    });
  }
  // A verb in another case, or the AWS CLI's request shape ({"PutRequest": {"Item": ...}}), on a
  // line without the table's key: a request written another way, not an item to put.
  const near = keys.length === 1 && keys[0] ? /^(put|delete)(request)?$/i.exec(keys[0]) : null;
  if (near && keyless) {
    const v = (near[1] as string).toLowerCase();
    const written = near[2]
      ? `"${keys[0]}" is the AWS CLI's request shape`
      : `"${keys[0]}" is no request of batch-write`;
    throw new DdbError('input.json', {
      message: `${where}: ${written}: write {"${v}": ${v === 'put' ? 'item' : 'key'}} (lower case, the ${v === 'put' ? 'item' : 'key'} itself inside)`,
    });
  }
  return { put: toItem(value, where), line };
}

/**
 * The requests of an NDJSON stream, line by line (transfer's line reader: strict UTF-8, bounded
 * memory); bad lines go to `reject` (reading goes on).
 */
async function* readRequests(
  input: Readable,
  ddbJson: boolean,
  schema: KeySchema,
  reject: (r: Rejected) => void,
  progress: { line: number },
): AsyncGenerator<WriteRequest> {
  const lines = readLines(
    input,
    (text, line) => (text.trim() === '' ? undefined : parseWriteLine(text, line, ddbJson, schema)),
    { gzip: false },
  );
  for await (const rec of lines) {
    progress.line = rec.line;
    if (rec.value) yield rec.value;
    else if (rec.error !== undefined) {
      reject({
        line: rec.line,
        reason: rec.notUtf8 ? `line ${rec.line}: not valid UTF-8 text; save the file as UTF-8` : rec.error,
        text: rec.raw ?? '',
        ...(rec.rawBase64 !== undefined ? { textBase64: rec.rawBase64 } : {}),
      });
    }
  }
}

function requestJson(r: WriteRequest, ddbJson: boolean): string {
  const [verb, item] = 'put' in r ? ['put', r.put] : ['delete', r.delete];
  return `{"${verb}":${ddbJson ? stringifyDdbJson(item) : stringifyItem(item)}}`;
}

function failureLines(result: BatchWriteResult, rejected: Rejected[], ddbJson: boolean): string[] {
  const rows: { line: number; text: string }[] = [
    ...rejected.map((r) => ({
      line: r.line,
      text: `{"line":${r.line},"reason":${JSON.stringify(r.reason)},"text":${JSON.stringify(r.text)}${r.textBase64 !== undefined ? `,"textBase64":"${r.textBase64}"` : ''}}`,
    })),
    ...result.failed.map((f) => ({
      line: f.request.line ?? 0,
      text: `{"line":${f.request.line ?? null},"reason":${JSON.stringify(f.reason)},"code":"${f.code}","request":${requestJson(f.request, ddbJson)}}`,
    })),
  ];
  return rows.sort((a, b) => a.line - b.line).map((r) => r.text);
}

async function writeAll(out: Writable, lines: string[]): Promise<void> {
  for (const l of lines) if (!out.write(`${l}\n`)) await once(out, 'drain');
}

/**
 * The --failed path can be written: a file (or a device such as /dev/stderr) this user may write,
 * or a new file in a folder that is there and writable.
 */
function checkFailedPath(path: string): void {
  if (!existsSync(path) || statSync(path).isDirectory()) checkWritablePath(path, '--failed');
  else {
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      throw new DdbError('input.file', {
        message: `--failed ${path}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path`,
        cause: e,
      });
    }
  }
}

async function openOutput(path: string): Promise<WriteStream> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (e) {
    throw new DdbError('input.file', {
      message: `--failed ${path}: cannot write it (${(e as Error).message}); choose a writable path`,
      cause: e,
    });
  }
  return out;
}

/** How many duplicate keys are named one by one on stderr before a count stands for the rest. */
const DUPLICATES_SHOWN = 10;

export default function batchWriteCommand(cli: Cli) {
  return new Command('batch-write')
    .description(
      'Put and delete many items, 25 a call, retrying unprocessed ones; what is not written is printed with its line and reason (exit code 1) [API: BatchWriteItem]\n' +
        'Example: batch-write Users users.ndjson --failed failed.ndjson   (lines: an item, {"put": item} or {"delete": key})',
    )
    .argument('<table>', 'table name', tableArg)
    .argument(
      '<file>',
      'NDJSON, one request a line: an item (put), {"put": item} or {"delete": key}; - for stdin',
    )
    .option('--ddb-json', 'items are DynamoDB JSON ({"S": "..."} typed form)')
    .option(
      '--failed <file>',
      'write the failed requests (NDJSON) to this file instead of stdout (- is stdout)',
    )
    .addOption(
      new Option(
        '--concurrency <n>',
        'calls in flight at once, fixed (to an endpoint at most 128, its connections), still paced on throttling (default: adapts, from 16 up to 128, cut back and paced on throttling)',
      ).argParser(positiveInt('--concurrency')),
    )
    .addOption(
      new Option('--max-retries <n>', 'retries per chunk of unprocessed items or failed calls, with backoff')
        .default(8)
        .argParser(wholeNumber('--max-retries')),
    )
    .action(async (table, file, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const ddbJson = !!opts.ddbJson;
      if (file !== '-' && !statSync(file, { throwIfNoEntry: false })?.isFile()) {
        throw new DdbError('input.file', {
          message: `${file}: ${existsSync(file) ? 'not a file' : 'no such file'}; give an NDJSON file, or - for stdin`,
        });
      }
      // --failed - is stdout, as without --failed (a file named - would surprise).
      const failedPath = opts.failed === '-' ? undefined : opts.failed;
      if (failedPath && file !== '-')
        checkDistinctFiles([
          { what: 'the input', path: file },
          { what: '--failed', path: failedPath },
        ]);
      // NOTE: --failed is written when the run ends, after the input is read: opened at the start it
      // was emptied before anything was checked, and a retry that pipes that same file back in
      // (jq ... FILE | batch-write T - --failed FILE) lost it while it was still being read. A path
      // that cannot be written fails now, before anything is sent.
      if (failedPath) checkFailedPath(failedPath);
      const rejected: Rejected[] = [];
      const read = { line: 0 };
      const progress = createProgress(cli, { quiet: g.quiet });
      let interrupted = false;
      const result = await withClients(
        cli,
        g,
        async (clients, _target, signal) => {
          const schema = await getKeySchema(clients, table);
          const input =
            file === '-' ? readableStdin(cli.io) : createReadStream(file, { highWaterMark: READ_CHUNK });
          try {
            return await batchWrite(
              clients,
              table,
              readRequests(input, ddbJson, schema, (r) => rejected.push(r), read),
              {
                schema,
                concurrency: opts.concurrency,
                maxRetries: opts.maxRetries,
                clock: cli.clock,
                signal,
                onProgress: (p) =>
                  progress.update(`batch-write ${table}`, [
                    `${count(p.written)} written`,
                    `${count(p.retried)} retried`,
                    `${count(p.failed + rejected.length)} failed`,
                    ...callsParts(p.concurrency),
                  ]),
              },
            );
          } finally {
            interrupted = signal.aborted;
            // NOTE: stdin too after a stop: a read of it left pending (a producer gone quiet)
            // would hold the process until the producer closes the pipe.
            if (input !== cli.io.stdin || interrupted) input.destroy();
          }
        },
        // NOTE: a stop ends with the report below (exit 130), as import's does.
        { interruptible: true },
      ).finally(() => progress.done());

      for (const d of result.duplicates.slice(0, DUPLICATES_SHOWN)) {
        const at = d.line !== undefined ? `line ${d.line}` : `request ${d.index}`;
        const by = d.keptLine !== undefined ? `line ${d.keptLine}` : `request ${d.keptIndex}`;
        notice(
          cli,
          g,
          `${at}: duplicate key ${stringifyItem(d.key)}: replaced by ${by} (the last write wins)`,
        );
      }
      if (result.duplicates.length > DUPLICATES_SHOWN) {
        notice(cli, g, `… and ${result.duplicates.length - DUPLICATES_SHOWN} more duplicate keys`);
      }

      const failed = failureLines(result, rejected, ddbJson);
      if (failedPath) {
        const failedOut = await openOutput(failedPath);
        await writeAll(failedOut, failed);
        await new Promise<void>((resolve, reject) =>
          failedOut.end((e?: Error | null) => (e ? reject(e) : resolve())),
        );
      }
      // stdout: for people the failed requests, one a line; for scripts (json, ndjson, raw) the one
      // document with the counts and them (unless --failed took them), as import and export give it.
      // The summary line is on stderr in every mode.
      render(cli, g, {
        kind: 'report',
        json: {
          table,
          written: result.written,
          retried: result.retried,
          failed: failed.length,
          duplicatesResolved: result.duplicatesResolved,
          concurrency: callsJson(result.concurrency),
          ...(interrupted
            ? { interrupted: true }
            : result.stopped
              ? { stopped: { afterLine: read.line, message: result.stopped.message } }
              : {}),
          ...(failedPath ? {} : { failures: failed.map((l) => parseLosslessJson(l)) }),
        },
        people: failedPath ? [] : failed,
      });
      // The summary is the command's answer: shown even with --quiet.
      progress.summary('', [
        `written ${count(result.written)}`,
        `retried ${count(result.retried)}`,
        `failed ${count(failed.length)} (duplicates resolved: ${count(result.duplicatesResolved)})`,
        ...callsParts(result.concurrency, true),
      ]);
      if (interrupted) {
        cli.io.stderr.write(
          `ddbctl: batch-write ${table} interrupted after line ${count(read.line)}: ${count(result.written)} written (writes in flight at the stop may have landed too), ${count(failed.length)} not written or not confirmed${failed.length ? (failedPath ? ` (in ${failedPath})` : ' (on stdout)') : ''}; the lines after it were not read\n`,
        );
      } else if (result.stopped) {
        cli.io.stderr.write(
          `ddbctl: error: stopped after line ${read.line}: ${hintsOn(result.stopped.message, g)}; the lines after it were not read\n`,
        );
      }
      if (failed.length && failedPath) notice(cli, g, `failed requests written to ${failedPath}`);
      if (interrupted) cli.exitCode = 130;
      else if (failed.length || result.stopped) cli.exitCode = 1;
    });
}
