import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { Command, Option } from '@commander-js/extra-typings';
import { DdbError } from '../../core/errors.js';
import {
  type ExportCheckpoint,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from '../../core/transfer/checkpoint.js';
import { exportItems } from '../../core/transfer/exportItems.js';
import { createItemWriter, FORMATS, type Format, formatFromPath } from '../../core/transfer/formats/index.js';
import { type Cli, type GlobalOptions, notice, withClients } from '../context.js';
import { count, createProgress, rateLine } from '../output/progress.js';
import { parseNames, parseValues } from './_input.js';
import { namesOption, positiveInt, valuesOption } from './_options.js';

/** A file written synchronously: once a write returns, its bytes are in the file (a checkpoint may count them). */
function fileSink(fd: number, start: number): { stream: Writable; bytes: () => number } {
  let pos = start;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      try {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off, pos + off);
        pos += chunk.length;
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
  });
  return { stream, bytes: () => pos };
}

export default function exportCommand(cli: Cli) {
  return new Command('export')
    .description(
      'Export every item (a parallel scan) to a file or stdout, losslessly; --resume continues a stopped run [API: Scan]\n' +
        'Formats: ndjson (default), json, csv, ddb-json. export → import → export gives the same items.',
    )
    .argument('<table>', 'table name')
    .argument('[file]', 'output file, or - for stdout (default)', '-')
    .addOption(
      new Option('--format <format>', 'output format (default: from the extension, else ndjson)').choices(
        FORMATS,
      ),
    )
    .addOption(
      new Option('--segments <n>', 'parallel scan segments').default(4).argParser(positiveInt('--segments')),
    )
    .option('--filter <expr>', 'only items matching this condition')
    .option('--project <paths>', 'only these attributes')
    .option('--columns <names>', "csv: the columns, comma-separated (default: the first item's attributes)")
    .addOption(namesOption())
    .addOption(valuesOption())
    .option('--checkpoint <file>', 'checkpoint file (default: <file>.ddbctl-export.json)')
    .option('--resume', 'continue a stopped export from its checkpoint')
    .action(async (table, file, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const stdout = file === '-';
      const format: Format = opts.format ?? (stdout ? undefined : formatFromPath(file)) ?? 'ndjson';
      if (stdout && opts.resume)
        throw new DdbError('usage.invalid', { message: '--resume needs an output file, not stdout' });
      const cpPath = opts.checkpoint ?? `${file}.ddbctl-export.json`;
      const existing = stdout ? undefined : readCheckpoint(cpPath, 'export');
      if (existing && !opts.resume) {
        throw new DdbError('usage.invalid', {
          message: `an unfinished export left ${cpPath} (${count(existing.items)} items); pass --resume to continue it, or delete it to start over`,
        });
      }
      if (opts.resume && !existing)
        throw new DdbError('usage.invalid', { message: `--resume: no checkpoint at ${cpPath}` });
      if (
        existing &&
        (existing.table !== table || existing.output !== resolve(file) || existing.format !== format)
      ) {
        throw new DdbError('usage.invalid', {
          message: `${cpPath} belongs to another export (${existing.table} → ${existing.output}); delete it to start over`,
        });
      }
      const names = parseNames(opts.names);
      const values = parseValues(opts.values, false);
      const columns = existing?.columns ?? opts.columns?.split(',').map((c) => c.trim());
      let fd: number | undefined;
      let sink: { stream: Writable; bytes: () => number } | undefined;
      if (!stdout) {
        try {
          fd = openSync(file, existing ? 'r+' : 'w');
        } catch (e) {
          throw new DdbError('input.file', {
            message: existing
              ? `cannot resume: the output ${file} of the stopped export is gone (${(e as NodeJS.ErrnoException).code}); delete ${cpPath} and export again`
              : `cannot write ${file}: ${(e as Error).message}`,
            cause: e,
          });
        }
        if (existing) ftruncateSync(fd, existing.outputBytes);
        sink = fileSink(fd, existing?.outputBytes ?? 0);
      }
      const writer = createItemWriter(sink ? sink.stream : cli.io.stdout, {
        format,
        ...(columns ? { columns } : {}),
        end: !!sink,
        continues: (existing?.items ?? 0) > 0,
      });
      let headerColumns = columns;
      const progress = createProgress(cli.io, !g.quiet && !stdout);
      const started = Date.now();
      const before = existing?.items ?? 0;
      let retried = 0;
      const total = await withClients(cli, g, async (clients) => {
        if (existing) notice(cli, g, `resuming after ${count(existing.items)} items`);
        const n = await exportItems(
          clients,
          table,
          async (items) => {
            for (const item of items) {
              headerColumns ??= Object.keys(item);
              await writer.write(item);
            }
          },
          {
            segments: opts.segments,
            ...(existing ? { resume: existing.segments } : {}),
            ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
            ...(opts.project !== undefined ? { project: opts.project } : {}),
            ...(names ? { names } : {}),
            ...(values ? { values } : {}),
          },
          (p) => {
            retried = p.retried;
            progress.update(
              `export ${table}: ${count(before + p.items)} items, ${rateLine(p.items, (Date.now() - started) / 1000)}`,
            );
            if (sink) {
              const cp: ExportCheckpoint = {
                kind: 'export',
                table,
                format,
                output: resolve(file),
                outputBytes: sink.bytes(),
                items: before + p.items,
                segments: p.segments,
                ...(format === 'csv' && headerColumns ? { columns: headerColumns } : {}),
                updated: new Date().toISOString(),
              };
              writeCheckpoint(cpPath, cp);
            }
          },
        );
        await writer.close();
        return n;
      })
        .catch((e: unknown) => {
          // NOTE: an item that does not fit the CSV columns fails the same way on --resume (the
          // checkpoint keeps the columns): drop the checkpoint so a run with --columns can start over.
          if (sink && e instanceof DdbError && e.code === 'transfer.rejected') removeCheckpoint(cpPath);
          throw e;
        })
        .finally(() => {
          progress.done();
          if (fd !== undefined) closeSync(fd);
        });
      if (sink) removeCheckpoint(cpPath);
      const s = (Date.now() - started) / 1000;
      cli.io.stderr.write(
        `ddbctl: export ${table}: ${count(before + total)} items${stdout ? '' : ` to ${file}`}, ${count(retried)} retried, ${s.toFixed(1)} s, ${count(Math.round(total / Math.max(s, 0.001)))} items/s\n`,
      );
    });
}
