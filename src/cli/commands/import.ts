import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { stringifyItem } from '../../core/data/codec.js';
import { DdbError } from '../../core/errors.js';
import {
  type ImportCheckpoint,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from '../../core/transfer/checkpoint.js';
import {
  FORMATS,
  type Format,
  formatFromPath,
  parseTypes,
  readItemBatches,
} from '../../core/transfer/formats/index.js';
import { type ImportReject, importItems } from '../../core/transfer/importItems.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { count, createProgress, rateLine } from '../output/progress.js';
import { positiveInt } from './_options.js';
import { openRejectFile } from './_rejects.js';

export default function importCommand(cli: Cli) {
  return new Command('import')
    .description(
      'Import items from a file or stdin, streaming, with concurrent batches that lose nothing [API: BatchWriteItem]\n' +
        'Formats: ndjson (default), json (an array), csv (a header row; --types for non-strings; ' +
        'an empty field is an absent attribute, "" an empty string), ' +
        'ddb-json (lines of {"Item": {...}} as in DynamoDB\'s S3 export); gzip is read transparently.\n' +
        'Rejected lines go to --rejects with their line and reason; --resume continues a stopped run.',
    )
    .argument('<table>', 'table name')
    .argument('<file>', 'input file, or - for stdin')
    .addOption(
      new Option('--format <format>', 'input format (default: from the extension, else ndjson)').choices(
        FORMATS,
      ),
    )
    .option('--types <col:type>', 'csv: column types N, S, BOOL, B, NULL, JSON (e.g. age:N,active:BOOL)')
    .addOption(
      new Option('--concurrency <n>', 'BatchWriteItem calls in flight')
        .default(8)
        .argParser(positiveInt('--concurrency')),
    )
    .addOption(
      new Option('--rate <wcu>', 'at most this many write units a second').argParser(positiveInt('--rate')),
    )
    .option('--rejects <file>', 'where rejected records go (default: beside the checkpoint)')
    .option('--checkpoint <file>', 'checkpoint file (default: <file>.ddbctl-import.json)')
    .option('--resume', 'continue a stopped import from its checkpoint')
    .action(async (table, file, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const stdin = file === '-';
      const format: Format = opts.format ?? (stdin ? undefined : formatFromPath(file)) ?? 'ndjson';
      const types = opts.types ? parseTypes(opts.types) : undefined;
      if (stdin && opts.resume) {
        throw new DdbError('usage.invalid', {
          message: '--resume needs a file: stdin cannot be read again from a checkpoint',
        });
      }
      let size = 0;
      if (!stdin) {
        try {
          size = statSync(file).size;
        } catch (e) {
          throw new DdbError('input.file', {
            message: `cannot read ${file}: ${(e as Error).message}`,
            cause: e,
          });
        }
      }
      const cpPath =
        opts.checkpoint ?? (stdin ? `ddbctl-import-${table}.json` : `${file}.ddbctl-import.json`);
      const rejectsPath = opts.rejects ?? `${cpPath.replace(/\.json$/, '')}.rejects.ndjson`;
      const existing = readCheckpoint(cpPath, 'import');
      if (existing && !opts.resume) {
        throw new DdbError('usage.invalid', {
          message: `an unfinished import left ${cpPath} (${count(existing.written)} written); pass --resume to continue it, or delete it to start over`,
        });
      }
      if (opts.resume && !existing) {
        throw new DdbError('usage.invalid', {
          message: `--resume: no checkpoint at ${cpPath}; run without --resume to start`,
        });
      }
      if (
        existing &&
        (existing.table !== table ||
          existing.input.path !== resolve(file) ||
          existing.input.size !== size ||
          existing.format !== format)
      ) {
        throw new DdbError('usage.invalid', {
          message: `${cpPath} belongs to an import of ${existing.input.path} (${existing.input.size} bytes, ${existing.format}) into ${existing.table}, not this one; delete it to start over`,
        });
      }
      // NOTE: a resumed run continues the reject file, which an earlier run that rejected nothing removed.
      const rejects = openRejectFile(rejectsPath, existing?.rejectsBytes);
      const writeReject = (r: ImportReject) => {
        const rec = { line: r.line, reason: r.reason, ...(r.raw !== undefined ? { record: r.raw } : {}) };
        rejects.write(
          `${r.item ? `${JSON.stringify(rec).slice(0, -1)},"item":${stringifyItem(r.item)}}` : JSON.stringify(rec)}\n`,
        );
      };

      const input = stdin ? cli.io.stdin : createReadStream(file);
      const progress = createProgress(cli.io, !g.quiet);
      const started = Date.now();
      const checkpoint = (p: {
        offset: number;
        line: number;
        written: number;
        rejected: number;
      }): ImportCheckpoint => ({
        kind: 'import',
        table,
        input: { path: stdin ? '-' : resolve(file), size },
        format,
        ...p,
        rejectsBytes: rejects.bytes(),
        updated: new Date().toISOString(),
      });
      const result = await withClients(cli, g, async (clients) => {
        if (existing)
          notice(
            cli,
            g,
            `resuming at line ${existing.line} (${count(existing.written)} items written before)`,
          );
        const records = readItemBatches(input, {
          format,
          ...(types ? { types } : {}),
          ...(existing ? { startOffset: existing.offset } : {}),
        });
        return importItems(clients, table, records, {
          concurrency: opts.concurrency,
          ...(opts.rate ? { rate: opts.rate } : {}),
          ...(existing
            ? {
                resumeFrom: {
                  offset: existing.offset,
                  line: existing.line,
                  written: existing.written,
                  rejected: existing.rejected,
                },
              }
            : {}),
          onReject: writeReject,
          onCheckpoint: (p) => {
            if (!stdin) writeCheckpoint(cpPath, checkpoint(p));
          },
          onProgress: (p) => {
            if (!progress.enabled) return;
            const s = (Date.now() - started) / 1000;
            const frac = size ? p.offset / size : undefined;
            progress.update(
              `import ${table}: ${count(p.written)} written${size ? ` (${Math.floor((frac ?? 0) * 100)}% of ${count(size)} bytes)` : ''}, ${count(p.rejected)} rejected, ${count(p.retried)} retried, ${rateLine(p.written, s, frac)}`,
            );
          },
        });
      }).finally(() => {
        progress.done();
        // NOTE: also when the run failed (no such table): an empty reject file is removed.
        rejects.close();
      });
      const complete = !result.stopped;
      if (complete && !stdin) removeCheckpoint(cpPath);
      const perSec = result.seconds > 0 ? Math.round(result.written / result.seconds) : result.written;
      // The summary line, always (also with --quiet): what was written, rejected, retried.
      cli.io.stderr.write(
        `ddbctl: import ${table}: ${count(result.written)} written, ${count(result.rejected)} rejected${result.rejected ? ` (see ${rejectsPath})` : ''}, ${count(result.retried)} retried, ${result.duplicatesResolved ? `${count(result.duplicatesResolved)} duplicate keys (last wins), ` : ''}${result.seconds.toFixed(1)} s, ${count(perSec)} items/s\n`,
      );
      if (result.stopped) {
        throw new DdbError(result.stopped.code, {
          message: `import stopped before the end of the input: ${result.stopped.message}${stdin ? '' : `; continue with the same command and --resume (checkpoint ${cpPath})`}`,
          cause: result.stopped,
        });
      }
      if (result.rejected) cli.exitCode = 1;
    });
}
