import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Command, Option } from '@commander-js/extra-typings';
import { stringifyItem } from '../../core/data/codec.js';
import { DdbError, isEngineFilesCode } from '../../core/errors.js';
import {
  checkpointSaver,
  lockCheckpoint,
  readCheckpoint,
  removeCheckpoint,
} from '../../core/transfer/checkpoint.js';
import {
  FORMATS,
  type Format,
  formatFromPath,
  parseTypes,
  readItemBatches,
} from '../../core/transfer/formats/index.js';
import {
  type ImportPosition,
  type ImportReject,
  importItems,
  READ_CHUNK,
} from '../../core/transfer/importItems.js';
import {
  checkImportResume,
  checkResumeTarget,
  checkResumeWhere,
  resumableOn,
  type ShapingOptions,
  typesText,
} from '../../core/transfer/resume.js';
import { hintsOn } from '../commandLine.js';
import { type Cli, type GlobalOptions, notice, resolveFlags, withClients } from '../context.js';
import { callsJson, callsParts, count, createProgress, runRate } from '../output/progress.js';
import { render } from '../output/render.js';
import { resumeCommand } from './_checkpoint.js';
import { readableStdin } from './_input.js';
import { formatOrigin, positiveInt, tableArg, tableFileName } from './_options.js';
import {
  checkDistinctFiles,
  checkWritablePath,
  isFifo,
  openRejectFile,
  pathOption,
  type RejectFile,
} from './_rejects.js';

export default function importCommand(cli: Cli) {
  return new Command('import')
    .description(
      'Import items from a file or stdin, streaming, with concurrent batches that lose nothing [API: BatchWriteItem]\n' +
        'Formats: ndjson (default), json (an array), csv (a header row; --types for non-strings; ' +
        'an empty field is an absent attribute, "" an empty string), ' +
        'ddb-json (lines of {"Item": {...}} as in DynamoDB\'s S3 export); gzip is read transparently.\n' +
        'Rejected lines go to --rejects with their line and reason; --resume continues a stopped run.\n' +
        'The summary: a line on stderr; -o json one document with the counts and the files left (README "Output for scripts").',
    )
    .argument('<table>', 'table name', tableArg)
    .argument('<file>', 'input file, or - for stdin')
    .addOption(
      new Option('--format <format>', 'input format (default: from the extension, else ndjson)').choices(
        FORMATS,
      ),
    )
    .option(
      '--types <col:type>',
      'csv: column types N, S, BOOL, B, NULL, JSON (e.g. age:N,active:BOOL); typed cells are exact: true/false, null, numbers without spaces',
    )
    .addOption(
      new Option(
        '--concurrency <n>',
        'BatchWriteItem calls in flight, fixed (to an endpoint at most 128, its connections), still paced on throttling (default: adapts, from 16 up to 128, cut back and paced on throttling)',
      ).argParser(positiveInt('--concurrency')),
    )
    .addOption(
      new Option('--rate <wcu>', 'at most this many write units a second').argParser(positiveInt('--rate')),
    )
    .option('--rejects <file>', 'where rejected records go (default: beside the checkpoint)')
    .option('--checkpoint <file>', 'checkpoint file (default: <file>.ddbctl-import.json)')
    .option('--resume', 'continue a stopped import from its checkpoint')
    .action(async (table, file, opts, cmd) => {
      const g = cmd.optsWithGlobals() as GlobalOptions;
      const fromStdin = file === '-';
      // A named pipe (a FIFO, a shell's <(...)) is read once, as stdin is: no checkpoint, no resume,
      // and no second open (which would wait for ever for a writer that is gone).
      const pipe = !fromStdin && isFifo(file);
      const once = fromStdin || pipe;
      const format: Format = opts.format ?? (fromStdin ? undefined : formatFromPath(file)) ?? 'ndjson';
      const types = opts.types ? parseTypes(opts.types) : undefined;
      if (types && format !== 'csv') {
        // JSON carries its own types: --types would be ignored, and the user expects it to apply.
        throw new DdbError('usage.invalid', {
          message: `--types is for CSV input, and this input is ${format}${formatOrigin(!!opts.format, fromStdin ? undefined : file, 'stdin')}: its values keep the types JSON gives them; drop --types, or pass --format csv for a CSV file`,
        });
      }
      if (once && opts.resume) {
        throw new DdbError('usage.invalid', {
          message: `--resume needs a file: ${fromStdin ? 'stdin' : `${file} is a pipe, which`} cannot be read again from a checkpoint`,
        });
      }
      // The input first: a path that is no readable file fails before any checkpoint or request.
      const size = once ? 0 : checkInput(file);
      const cpPath =
        opts.checkpoint ??
        (once ? tableFileName('ddbctl-import-', table, '.json') : `${file}.ddbctl-import.json`);
      const rejectsPath =
        opts.rejects ??
        (once && opts.checkpoint === undefined
          ? tableFileName('ddbctl-import-', table, '.rejects.ndjson')
          : `${cpPath.replace(/\.json$/, '')}.rejects.ndjson`);
      checkDistinctFiles([
        ...(fromStdin ? [] : [{ what: 'the input', path: file }]),
        ...(once ? [] : [{ what: pathOption('--checkpoint', opts.checkpoint), path: cpPath }]),
        { what: pathOption('--rejects', opts.rejects), path: rejectsPath },
      ]);
      // The files written later: a path that cannot be written fails now, before any request.
      if (!once) checkWritablePath(cpPath, pathOption('--checkpoint', opts.checkpoint));
      checkWritablePath(rejectsPath, pathOption('--rejects', opts.rejects));
      // One run at a time on a checkpoint: taken before it is read, held until the run's end.
      const release = once ? undefined : lockCheckpoint(cpPath, `import of ${file}`, cli.clock);
      try {
        const existing = once ? undefined : readCheckpoint(cpPath, 'import');
        // What makes an item of a record: another format or other column types would change them.
        const shaping: ShapingOptions = {
          '--format': format,
          '--types': typesText(types),
        };
        const input = { path: resolve(file), size };
        checkImportResume(cpPath, existing, { resume: !!opts.resume, table, input, shaping });
        // Another target is refused before it is opened (a data dir would be made for nothing).
        checkResumeWhere(await resolveFlags(cli, g), cpPath, existing);
        /**
         * Where the next record is: its line, or in a JSON array (often one line, or elements of many
         * lines) its number.
         */
        const nextRecord = (p: { line: number; written: number; rejected: number }) =>
          format === 'json' ? `record ${count(p.written + p.rejected + 1)}` : `line ${count(p.line)}`;
        const progress = createProgress(cli, { quiet: g.quiet });
        let rejects: RejectFile | undefined;
        let stream: Readable | undefined;
        const run = await withClients(
          cli,
          g,
          async (clients, target, signal) => {
            // Before any write: the checkpoint's target and table are this run's.
            const here = await checkResumeTarget(clients, target, table, cpPath, existing);
            const resumable = !once && resumableOn(target);
            // NOTE: a resumed run continues the reject file, which an earlier run that rejected nothing removed.
            const rejectFile = openRejectFile(rejectsPath, existing?.rejectsBytes);
            rejects = rejectFile;
            const saver = checkpointSaver(cpPath, {
              resumable,
              resumed: !!existing,
              clock: cli.clock,
              checkpoint: (p: ImportPosition) => ({
                kind: 'import',
                table,
                target: here.target,
                into: here.table,
                input,
                format,
                options: shaping,
                ...p,
                rejectsBytes: rejectFile.bytes(),
              }),
              passed: (p) => p.written + p.rejected > 0,
            });
            if (existing)
              notice(
                cli,
                g,
                `resuming at ${nextRecord(existing)} (${count(existing.written)} items written before)`,
              );
            if (!fromStdin)
              stream = pipe ? openPipe(file) : createReadStream(file, { highWaterMark: READ_CHUNK });
            const records = readItemBatches(stream ?? readableStdin(cli.io), {
              format,
              key: here.schema,
              ...(types ? { types } : {}),
              ...(existing ? { startOffset: existing.offset } : {}),
            });
            const result = await importItems(clients, table, records, {
              concurrency: opts.concurrency,
              schema: here.schema,
              signal,
              clock: cli.clock,
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
              onReject: (r: ImportReject) => {
                const rec = {
                  line: r.line,
                  reason: r.reason,
                  ...(r.raw !== undefined ? { record: r.raw } : {}),
                  ...(r.rawBase64 !== undefined ? { recordBase64: r.rawBase64 } : {}),
                };
                rejectFile.write(
                  `${r.item ? `${JSON.stringify(rec).slice(0, -1)},"item":${stringifyItem(r.item)}}` : JSON.stringify(rec)}\n`,
                );
              },
              onCheckpoint: (p) => saver.save(p),
              onProgress: (p) => {
                if (!progress.enabled) return;
                const frac = size ? p.offset / size : undefined;
                progress.update(
                  `import ${table}`,
                  [
                    `${count((existing?.written ?? 0) + p.written)} written${size ? ` (${Math.floor((frac ?? 0) * 100)}% of ${count(size)} bytes)` : ''}`,
                    `${count(p.rejected)} rejected`,
                    `${count(p.retried)} retried`,
                    ...callsParts(p.concurrency),
                  ],
                  { items: p.written, fraction: frac },
                );
              },
            });
            // NOTE: a stop leaves a read of stdin pending (a producer gone quiet): it would hold the
            // process until the producer closes the pipe.
            if (signal.aborted && fromStdin) cli.io.stdin.destroy();
            if (signal.aborted && pipe) stream?.destroy();
            return {
              result,
              saved: saver.saved,
              interrupted: signal.aborted,
              inMemory: !resumableOn(target),
            };
          },
          // The embedded engine on a thread of its own (this one reads, parses and sends) when
          // the input is large enough to repay the thread's start, or of a size not known.
          { interruptible: true, engineThread: once || size >= ENGINE_THREAD_BYTES },
        ).finally(() => {
          progress.done();
          // NOTE: also when the run failed (no such table): an empty reject file is removed.
          rejects?.close();
          // The input, also when the run stopped before its end.
          stream?.destroy();
        });
        const { result, saved, interrupted, inMemory } = run;
        const before = existing?.written ?? 0;
        const pos = result.position;
        const complete = !result.stopped && !interrupted;
        /** The summary for scripts (README "Output for scripts"); people read the line on stderr. */
        const summary = () =>
          render(cli, g, {
            kind: 'report',
            json: {
              table,
              file: fromStdin ? null : file,
              format,
              read: result.read,
              written: result.written,
              rejected: result.rejected,
              retried: result.retried,
              duplicatesResolved: result.duplicatesResolved,
              seconds: result.seconds,
              concurrency: callsJson(result.concurrency),
              resumedFrom: existing
                ? { line: existing.line, written: existing.written, rejected: existing.rejected }
                : null,
              // The reject file holds every run's rejected records; the checkpoint is left for --resume.
              rejects: pos.rejected ? rejectsPath : null,
              checkpoint: !complete && saved ? cpPath : null,
              ...(interrupted ? { interrupted: true } : {}),
              ...(result.stopped
                ? { stopped: { line: pos.line, code: result.stopped.code, message: result.stopped.message } }
                : {}),
            },
            people: [],
          });
        /**
         * How to go on after a run that did not finish, one instruction for every ending (interrupted,
         * stopped): --resume only when a checkpoint is on disk for it to read.
         */
        const goOn = () =>
          saved
            ? `the checkpoint ${cpPath} has the ${format === 'json' ? `first ${count(pos.written + pos.rejected)} records` : `${count(pos.written + pos.rejected)} records before ${nextRecord(pos)}`}; continue with: ${resumeCommand(cmd)}`
            : once
              ? `${fromStdin ? 'stdin' : `${file} (a pipe)`} cannot be resumed: run it again (puts are idempotent)`
              : inMemory
                ? 'the embedded engine in memory keeps nothing after this run, so there is nothing to resume'
                : // NOTE: a checkpoint passes only records done in order: items written after an unwritten first one do not make one.
                  'the first record is not known to be written, so no checkpoint was saved: run the same command again (puts are idempotent)';
        if (interrupted) {
          summary();
          // One report of what is done and how to go on; exit 130 as for any Ctrl-C.
          cli.io.stderr.write(
            `ddbctl: import ${table} interrupted: ${count(before + result.written)} written (writes in flight at the stop may have landed too), ${count(pos.rejected)} rejected${pos.rejected ? ` (see ${rejectsPath})` : ''}; ${goOn()}\n`,
          );
          cli.exitCode = 130;
          return;
        }
        // Nothing read and nothing saved (a bad CSV header, --types naming no column): the reason alone.
        if (result.stopped && !saved && result.read === 0) throw result.stopped;
        if (complete && !once) removeCheckpoint(cpPath);
        summary();
        const written = existing
          ? `${count(before + result.written)} written (${count(before)} before --resume, ${count(result.written)} now)`
          : `${count(result.written)} written`;
        // The records the position passed: those in the reject file (over every run).
        const rejected = pos.rejected;
        // The summary line, always (also with --quiet): what was written, rejected, retried.
        progress.summary(`import ${table}`, [
          written,
          `${count(rejected)} rejected${rejected ? ` (see ${rejectsPath})` : ''}`,
          `${count(result.retried)} retried`,
          result.duplicatesResolved > 0 && `${count(result.duplicatesResolved)} duplicate keys (last wins)`,
          ...callsParts(result.concurrency, true),
          runRate(result.written, result.seconds),
        ]);
        if (result.stopped) {
          // NOTE: the input itself cannot be read on (cut short, damaged): --resume would stop at the
          // same place, and a repaired file is another file to its checkpoint.
          const unreadable = result.stopped.code === 'input.file' && !once;
          // The engine's own data files failed: running again (or --resume) stops the same way
          // until they are repaired, which the reason says how to do.
          const storage = isEngineFilesCode(result.stopped.code);
          throw new DdbError(result.stopped.code, {
            // NOTE: thrown after the run's clients closed: its hints get the target flags here.
            message: `import stopped before the end of the input: ${hintsOn(result.stopped.message, g)}; ${
              unreadable
                ? `the ${count(before + result.written)} items before it are written; replace ${file} with a whole copy${saved ? `, delete ${cpPath},` : ''} and import it again (puts are idempotent)`
                : storage
                  ? `${count(before + result.written)} items are written; the engine's storage must be put right first, as said: the same command stops the same way until then${saved ? ` (then continue with: ${resumeCommand(cmd)})` : ''}`
                  : goOn()
            }`,
            cause: result.stopped,
          });
        }
        if (rejected) cli.exitCode = 1;
      } finally {
        release?.();
      }
    });
}

/**
 * A named pipe, read as node reads stdin: opened once (waiting for a writer, as a reader of a FIFO
 * does), then through a socket, whose read a stop can end (a file stream's read of a quiet pipe
 * would hold the process).
 */
function openPipe(file: string): Readable {
  try {
    return new Socket({ fd: openSync(file, 'r'), readable: true, writable: false });
  } catch (e) {
    throw new DdbError('input.file', { message: `cannot read ${file}: ${(e as Error).message}`, cause: e });
  }
}

/**
 * The smallest input file (bytes) whose import runs the embedded engine on a thread of its own: the
 * thread takes about 40 ms to start and then takes about a quarter off the import's time (100,000
 * items: 3.4 → 2.6 s); at 1 MiB (~5,000 items of 200 bytes, ~0.2 s) the two are about even.
 */
const ENGINE_THREAD_BYTES = 1 << 20;

/** The input file's size, once it is known to be a file that can be read (else input.file). */
function checkInput(file: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      throw new DdbError('input.file', {
        message: `${file} is a directory; give the path of a file to import (or - for stdin)`,
      });
    }
    return st.size;
  } catch (e) {
    if (e instanceof DdbError) throw e;
    throw new DdbError('input.file', { message: `cannot read ${file}: ${(e as Error).message}`, cause: e });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
