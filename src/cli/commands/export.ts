import { closeSync, fstatSync, ftruncateSync, lstatSync, openSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { Command, Option } from '@commander-js/extra-typings';
import { stringifyItem } from '../../core/data/codec.js';
import { DdbError, isDdbError, isEngineFilesCode } from '../../core/errors.js';
import { validateTableName } from '../../core/names.js';
import { checkpointSaver, readCheckpoint, removeCheckpoint } from '../../core/transfer/checkpoint.js';
import { exportItems, type ScanPosition } from '../../core/transfer/exportItems.js';
import { typesArgument } from '../../core/transfer/formats/csv.js';
import {
  createItemWriter,
  type EncodedPage,
  FORMATS,
  type Format,
  formatFromPath,
  parseTypes,
} from '../../core/transfer/formats/index.js';
import {
  checkExportResume,
  checkResumeOutput,
  checkResumeTarget,
  checkResumeWhere,
  resumableOn,
  type ShapingOptions,
  typesText,
} from '../../core/transfer/resume.js';
import { plural } from '../../core/util/plural.js';
import { hintsOn } from '../commandLine.js';
import { type Cli, type GlobalOptions, notice, resolveFlags, withClients } from '../context.js';
import {
  type CallsSeen,
  callsJson,
  callsParts,
  count,
  createProgress,
  ofTotal,
  runRate,
} from '../output/progress.js';
import { forPeople, render } from '../output/render.js';
import { startTranscoder } from '../transcoder.js';
import { resumeCommand } from './_checkpoint.js';
import { checkCsvOptions, fileSink, lockExport, lockOutputFile, openWhy, outputError } from './_export.js';
import { parseNames, parseValues } from './_input.js';
import { namesOption, positiveInt, segmentsArg, tableArg, tableFileName, valuesOption } from './_options.js';
import {
  checkDistinctFiles,
  checkOutputPath,
  checkWritablePath,
  isFifo,
  openRejectFile,
  pathOption,
} from './_rejects.js';

export default function exportCommand(cli: Cli) {
  return new Command('export')
    .description(
      'Export every item (a parallel scan) to a file or stdout, losslessly; --resume continues a stopped run [API: Scan]\n' +
        'Formats: ndjson (default), json, csv, ddb-json; a file ending in .gz is gzip-compressed.\n' +
        'csv: an absent attribute is an empty field, an empty string is ""; one type per column (--types, else its first value\'s: other items are rejected); the summary names the import --types that read it back.\n' +
        'export → import → export gives the same items.\n' +
        'The summary: a line on stderr; to a file, -o json one document with the counts (an export to stdout, where the items go, refuses a script -o).',
    )
    .argument('<table>', 'table name', tableArg)
    .argument('[file]', 'output file (*.gz: compressed), or - for stdout (default)', '-')
    .addOption(
      new Option('--format <format>', 'output format (default: from the extension, else ndjson)').choices(
        FORMATS,
      ),
    )
    .addOption(
      new Option(
        '--segments <n>',
        "parallel scan segments, 1 to 1,000,000 (default: from the table's size, about 4,000 items each)",
      ).argParser(segmentsArg),
    )
    .addOption(
      new Option(
        '--concurrency <n>',
        'Scan calls (segments) in flight, fixed (default: adapts, from 4 up to 64, cut back on throttling)',
      ).argParser(positiveInt('--concurrency')),
    )
    .addOption(
      new Option('--page-size <n>', 'items per Scan call (default 2000)').argParser(
        positiveInt('--page-size'),
      ),
    )
    .option('--filter <expr>', 'only items matching this condition')
    .option('--project <paths>', 'only these attributes')
    .option(
      '--columns <names>',
      "csv: the columns, comma-separated (default: the first item's attributes); an item with other attributes is rejected",
    )
    .option(
      '--types <col:type>',
      "csv: column types N, S, BOOL, B, NULL, JSON (default: each column its first value's); an item with a value of another type is rejected",
    )
    .addOption(namesOption())
    .addOption(valuesOption())
    .option('--checkpoint <file>', 'checkpoint file (default: <file>.ddbctl-export.json)')
    .option(
      '--rejects <file>',
      'csv: where items that do not fit the columns go (default: beside the checkpoint)',
    )
    .option('--resume', 'continue a stopped export from its checkpoint')
    .action(async (table, file, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const stdout = file === '-';
      if (stdout && !forPeople(g)) {
        // NOTE: stdout holds the items in --format; a summary there would corrupt them.
        throw new DdbError('usage.invalid', {
          message: `-o ${g.output}: export to stdout writes the items there in its --format (${FORMATS.join(', ')}); give an output file to get the summary as ${g.output}, or leave out -o`,
        });
      }
      validateTableName(table);
      const format: Format = opts.format ?? (stdout ? undefined : formatFromPath(file)) ?? 'ndjson';
      if (stdout && opts.resume)
        throw new DdbError('usage.invalid', { message: '--resume needs an output file, not stdout' });
      checkCsvOptions(format, opts, stdout ? undefined : file);
      const cpPath = opts.checkpoint ?? `${file}.ddbctl-export.json`;
      const rejectsPath =
        opts.rejects ??
        (stdout
          ? tableFileName('ddbctl-export-', table, '.rejects.ndjson')
          : `${cpPath.replace(/\.json$/, '')}.rejects.ndjson`);
      // The files written later: a path that cannot be written fails now, before any request. The
      // output first: its folder's problem is the output's, not that of the checkpoint beside it.
      // NOTE: the output is written at positions (a resume cuts it back to its checkpoint): a pipe
      // has none. Its reader gets the items through stdout, which is written as a stream.
      if (!stdout && isFifo(file)) {
        throw new DdbError('usage.invalid', {
          message: `cannot write ${file}: it is a named pipe, and export writes its file at positions (for --resume); export to stdout instead (- in its place) and redirect that into the pipe`,
        });
      }
      if (!stdout) {
        checkDistinctFiles([
          { what: 'the output', path: file },
          { what: pathOption('--checkpoint', opts.checkpoint), path: cpPath },
          ...(format === 'csv' || opts.rejects !== undefined
            ? [{ what: pathOption('--rejects', opts.rejects), path: rejectsPath }]
            : []),
        ]);
      }
      if (!stdout) checkOutputPath(file);
      if (!stdout) checkWritablePath(cpPath, pathOption('--checkpoint', opts.checkpoint));
      if (format === 'csv' || opts.rejects !== undefined)
        checkWritablePath(rejectsPath, pathOption('--rejects', opts.rejects));
      // One run at a time on a checkpoint and on an output: taken before it is read, held until the run's end.
      const releaseRun = stdout ? () => {} : lockExport(file, cpPath, cli.clock);
      let releaseFile: (() => void) | undefined;
      const release = () => {
        releaseFile?.();
        releaseRun();
      };
      try {
        const existing = stdout ? undefined : readCheckpoint(cpPath, 'export');
        const names = parseNames(opts.names);
        const givenTypes = opts.types !== undefined ? parseTypes(opts.types) : undefined;
        const values = parseValues(opts.values, false);
        // What makes the items of the file: a resume with others would mix two kinds in it.
        const shaping: ShapingOptions = {
          '--format': format,
          '--filter': opts.filter ?? '',
          '--project': opts.project ?? '',
          '--columns': opts.columns ?? '',
          '--types': typesText(givenTypes),
          '--names': names ? JSON.stringify(names) : '',
          '--values': values ? stringifyItem(values) : '',
        };
        checkExportResume(cpPath, existing, { resume: !!opts.resume, table, output: resolve(file), shaping });
        // Another target is refused before it is opened (a data dir would be made for nothing).
        checkResumeWhere(await resolveFlags(cli, g), cpPath, existing);
        const columns = existing?.columns ?? opts.columns?.split(',').map((c) => c.trim());
        // CSV's column types: given, or each column's first value's; a resumed run keeps the earlier run's.
        const types = existing?.columnTypes ?? givenTypes;
        let fd: number | undefined;
        let sink: { stream: Writable; bytes: () => number } | undefined;
        // NOTE: a file that is there is emptied only when the first page is written (or the run ends
        // with none): a typo in the table's name, a bad --filter, an endpoint that is down leave
        // yesterday's export as it was.
        const fresh = !stdout && !existing;
        const hadFile = fresh && !!statSync(file, { throwIfNoEntry: false })?.isFile();
        // Only a path where nothing was is this run's to remove again (never a device such as /dev/full).
        const madeHere = fresh && !lstatSync(file, { throwIfNoEntry: false });
        let emptied = !hadFile;
        const emptyOnce = () => {
          if (emptied || fd === undefined) return;
          ftruncateSync(fd, 0);
          emptied = true;
        };
        if (!stdout) {
          try {
            fd = openSync(file, existing || hadFile ? 'r+' : 'w');
            // The file itself, by inode (a hard link), before a byte of it is written.
            try {
              releaseFile = lockOutputFile(fd, file, cli.clock);
            } catch (e) {
              closeSync(fd);
              fd = undefined;
              throw e;
            }
          } catch (e) {
            if (isDdbError(e, 'transfer.busy')) throw e;
            throw new DdbError('input.file', {
              message: existing
                ? `cannot resume: the output ${file} of the stopped export is gone (${(e as NodeJS.ErrnoException).code}); delete ${cpPath} and export again`
                : `cannot write ${file}: ${openWhy(e, file, `${table}.${format}`)}`,
              cause: e,
            });
          }
          if (existing) {
            // A longer file (a write after the last checkpoint, or junk) is cut back to the checkpoint's bytes.
            try {
              checkResumeOutput(file, fstatSync(fd).size, existing, cpPath);
            } catch (e) {
              closeSync(fd);
              throw e;
            }
            ftruncateSync(fd, existing.outputBytes);
          }
          sink = fileSink(fd, existing?.outputBytes ?? 0, file.toLowerCase().endsWith('.gz'));
        }
        const writer = createItemWriter(sink ? sink.stream : cli.io.stdout, {
          format,
          ...(columns ? { columns } : {}),
          ...(types ? { types } : {}),
          end: !!sink,
          continues: (existing?.outputBytes ?? 0) > 0,
        });
        // ndjson and json: pages to text on a worker thread (cli/transcoder.ts), this one going on.
        const plain = writer.plainSeparators;
        const transcoder = plain ? startTranscoder() : undefined;
        // Only CSV rejects items (those outside its columns).
        const rejects =
          format === 'csv'
            ? openRejectFile(rejectsPath, existing ? (existing.rejectsBytes ?? 0) : undefined)
            : undefined;
        let rejected = existing?.rejected ?? 0;
        // NOTE: no progress line when the items go to stdout: stderr may be the same terminal.
        const progress = createProgress(cli, { quiet: g.quiet || stdout });
        const before = existing?.items ?? 0;
        const rejectedBefore = existing?.rejected ?? 0;
        let retried = 0;
        let calls: CallsSeen | undefined;
        let last: { items: number; position: ScanPosition } | undefined;
        let saver: { readonly saved: boolean } = { saved: !!existing };
        let inMemory = false;
        /** The retries and calls so far, as each page and a stop tell them. */
        const noteCalls = (p: { retried: number; concurrency: CallsSeen }) => {
          retried = p.retried;
          calls = p.concurrency;
        };
        /** This run made its output file and wrote nothing to it (so far). */
        const unwritten = () => madeHere && last === undefined;
        /**
         * Where the items went, for a line about this run: ` to FILE` (or `in`); nothing for stdout or
         * a file removed again, and a file that was there and never written to was left as it was.
         */
        const whereTo = (prep: 'to' | 'in', removed: boolean) =>
          stdout || removed ? '' : hadFile && !emptied ? ` (${file} left as it was)` : ` ${prep} ${file}`;
        /** A file this run made and wrote nothing to goes again (a run that failed or stopped). */
        const dropUnwritten = () => {
          if (unwritten() && fd !== undefined) {
            closeSync(fd);
            fd = undefined;
            rmSync(file, { force: true });
          }
        };
        const run = await withClients(
          cli,
          g,
          async (clients, target, signal) => {
            // Before any read: the checkpoint's target and table are this run's.
            const here = await checkResumeTarget(clients, target, table, cpPath, existing);
            if (existing) notice(cli, g, `resuming after ${plural(existing.items, 'item')}`);
            inMemory = !resumableOn(target);
            const save = checkpointSaver(cpPath, {
              resumable: !!sink && !inMemory,
              resumed: !!existing,
              clock: cli.clock,
              // The checkpoint of the last page written: its bytes, items and scan position agree.
              checkpoint: (p: { items: number; position: ScanPosition }) => ({
                kind: 'export',
                table,
                target: here.target,
                from: here.table,
                format,
                options: shaping,
                output: resolve(file),
                outputBytes: (sink as { bytes: () => number }).bytes(),
                items: before + p.items,
                scan: p.position,
                ...(rejects && rejected ? { rejected, rejectsBytes: rejects.bytes() } : {}),
                ...(writer.columns ? { columns: writer.columns } : {}),
                ...(writer.types ? { columnTypes: Object.fromEntries(writer.types) } : {}),
              }),
            });
            saver = save;
            // For the progress line only (a terminal): the table's approximate item count.
            const approxTotal = progress.enabled ? here.description.ItemCount : undefined;
            try {
              const n = await exportItems(
                clients,
                table,
                async (page: EncodedPage) => {
                  try {
                    if (page.items > 0) emptyOnce();
                    await writer.writeEncoded(page);
                  } catch (e) {
                    throw outputError(e, stdout ? 'stdout' : file);
                  }
                  rejected += page.rejects.length;
                  for (const r of page.rejects)
                    rejects?.write(
                      `{"reason":${JSON.stringify(r.reason)},"item":${stringifyItem(r.item)}}\n`,
                    );
                },
                {
                  prepare: async (page) => {
                    if (transcoder && plain)
                      await page.plainTextVia(transcoder.transcode, plain.between, plain.after);
                    return writer.encodePage(page);
                  },
                  // The check above described the table: no second DescribeTable before the Scan.
                  description: here.description,
                  ...(opts.segments ? { segments: opts.segments } : {}),
                  ...(opts.concurrency ? { inFlight: opts.concurrency } : {}),
                  signal,
                  onStop: noteCalls,
                  ...(opts.pageSize ? { pageSize: opts.pageSize } : {}),
                  ...(existing ? { resume: existing.scan } : {}),
                  ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
                  ...(opts.project !== undefined ? { project: opts.project } : {}),
                  ...(names ? { names } : {}),
                  ...(values ? { values } : {}),
                },
                (p) => {
                  noteCalls(p);
                  last = { items: p.items, position: p.position };
                  const at = ofTotal(before + p.items - rejected, before + p.scanned, approxTotal);
                  progress.update(
                    `export ${table}`,
                    [
                      at.text,
                      rejected > 0 && `${count(rejected)} rejected`,
                      `${count(p.retried)} retried`,
                      ...callsParts(p.concurrency),
                    ],
                    { items: p.items, fraction: at.fraction },
                  );
                  // The stop paths below save the last page's.
                  save.saveDue(last);
                },
              );
              try {
                emptyOnce();
                await writer.close();
              } catch (e) {
                throw outputError(e, stdout ? 'stdout' : file);
              }
              return { n, interrupted: false, stopped: undefined };
            } catch (e) {
              // Stopped: what is in the file is saved for --resume (the output is cut back to it).
              try {
                save.save(last);
              } catch {
                // It cannot be written (the disk that stopped the run is full): the checkpoint
                // before it stays, and --resume cuts the output back to it.
              }
              if (signal.aborted) return { n: last?.items ?? 0, interrupted: true, stopped: undefined };
              if (!(e instanceof DdbError)) throw e;
              // What is done and how to go on, as for Ctrl-C (exit 1: it failed).
              const done = before - rejectedBefore + (last?.items ?? 0) - (rejected - rejectedBefore);
              // The engine's own data files failed: a run again (or --resume) stops the same way
              // until they are repaired, which the reason says how to do.
              const storage = isEngineFilesCode(e.code);
              // The summary still ends the run (what was exported, retried and throttled), then this
              // (a file this run made and never wrote to is removed, so not named).
              const stopped = new DdbError(e.code, {
                message: `${e.message}; export ${table} stopped: ${plural(done, 'item')}${whereTo('in', unwritten())}${
                  storage
                    ? `; the engine's storage must be put right first, as said: the same command stops the same way until then${save.saved ? ` (then continue with: ${resumeCommand(cmd)})` : ''}`
                    : save.saved
                      ? `; the checkpoint is ${cpPath}; continue with: ${resumeCommand(cmd)}`
                      : stdout
                        ? '; an export to stdout cannot be resumed: run it again'
                        : inMemory
                          ? ''
                          : '; no page was written, so there is nothing to resume: run the same command again'
                }`,
                cause: e,
              });
              return { n: last?.items ?? 0, interrupted: false, stopped };
            }
          },
          { interruptible: true },
        )
          .then((r) => {
            if (r.stopped || r.interrupted) dropUnwritten();
            return r;
          })
          .catch((e: unknown) => {
            dropUnwritten();
            throw e;
          })
          .finally(async () => {
            progress.done();
            rejects?.close();
            if (fd !== undefined) closeSync(fd);
            await transcoder?.close();
          });
        const s = progress.seconds();
        // NOTE: a file this run made and stopped before writing to is gone again (dropUnwritten).
        const gone = (!!run.stopped || run.interrupted) && unwritten();
        // CSV: the --types that read the file back with the same types (string columns need none);
        // none for a file that is not there, or has no columns.
        const typesBack =
          format === 'csv' && writer.types && writer.columns?.length && !gone
            ? typesArgument(writer.columns, writer.types)
            : undefined;
        const importHint =
          typesBack === undefined
            ? ''
            : `; import it back with ${typesBack ? `--types ${typesBack}` : 'no --types (every column is a string)'}`;
        const now = run.n - (rejected - rejectedBefore);
        const exported = before - rejectedBefore + now;
        const split = existing
          ? ` (${count(before - rejectedBefore)} before --resume, ${count(now)} now)`
          : '';
        /** The summary for scripts (README "Output for scripts"), when the items went to a file. */
        const summary = () =>
          render(cli, g, {
            kind: 'report',
            json: {
              table,
              // null: the run ended early, before writing to the file it made, and removed it.
              file: gone ? null : file,
              format,
              read: run.n,
              written: now,
              rejected: rejected - rejectedBefore,
              retried,
              seconds: s,
              ...(calls ? { concurrency: callsJson(calls) } : {}),
              resumedFrom: existing ? { written: before - rejectedBefore, rejected: rejectedBefore } : null,
              rejects: rejected ? rejectsPath : null,
              // CSV: what `import --types` reads the file back with ("" when every column is a string).
              types: typesBack ?? null,
              checkpoint: (run.interrupted || run.stopped) && saver.saved ? cpPath : null,
              ...(run.interrupted ? { interrupted: true } : {}),
              ...(run.stopped ? { stopped: { code: run.stopped.code, message: run.stopped.message } } : {}),
            },
            people: [],
          });
        const rejectedText = `${count(rejected)} rejected${rejected ? ` (see ${rejectsPath}; each says why: an attribute outside the columns, or a value of another type than its column's; pass every attribute with --columns, or use --format ndjson or ddb-json for any shape and mixed types)` : ''}`;
        if (run.interrupted) {
          summary();
          // One report of what is done and how to go on; exit 130 as for any Ctrl-C.
          cli.io.stderr.write(
            `ddbctl: export ${table} interrupted: ${plural(exported, 'item')}${split}${whereTo('in', gone)}, ${rejectedText}; ${
              saver.saved
                ? `the checkpoint is ${cpPath}; continue with: ${resumeCommand(cmd)}`
                : stdout
                  ? 'an export to stdout cannot be resumed: run it again'
                  : inMemory
                    ? 'the embedded engine in memory keeps nothing after this run, so there is nothing to resume'
                    : 'no page was written yet, so no checkpoint was saved: run the same command again'
            }\n`,
          );
          cli.exitCode = 130;
          return;
        }
        // NOTE: returned from the run, not thrown in it: its suggested commands get the target flags here.
        if (run.stopped) run.stopped.message = hintsOn(run.stopped.message, g);
        if (sink && !run.stopped) removeCheckpoint(cpPath);
        summary();
        progress.summary(`export ${table}`, [
          `${plural(exported, 'item')}${split}${whereTo('to', gone)}`,
          rejectedText,
          `${count(retried)} retried`,
          ...callsParts(calls, true),
          `${runRate(run.n, s)}${run.stopped ? '' : importHint}`,
        ]);
        if (run.stopped) throw run.stopped;
        if (rejected) cli.exitCode = 1;
      } finally {
        release();
      }
    });
}
