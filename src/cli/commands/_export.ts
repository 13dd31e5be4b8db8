/**
 * What export's command needs of its output file and options beside the command itself: the
 * file written at positions (fileSink), the words for its failures, the checks of CSV's options,
 * and the locks a run holds.
 */
import { fstatSync, write } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { DdbError } from '../../core/errors.js';
import { lockCheckpoint } from '../../core/transfer/checkpoint.js';
import { parseTypes } from '../../core/transfer/formats/csv.js';
import type { Clock } from '../../core/util/clock.js';
import { canonicalPath } from '../../core/util/paths.js';
import { formatOrigin } from './_options.js';

const writeAt = promisify(write);
const gzipAsync = promisify(gzip);

/**
 * The output file. A write's callback runs once its bytes are in the file, so the checkpoint taken
 * after a page counts only bytes that are there. `*.gz`: each write (a page) is its own gzip member;
 * gzip readers read concatenated members as one stream, and a resumed export cuts the file at a
 * member's end. Compressing and writing run off the main thread (libuv's pool).
 */
export function fileSink(
  fd: number,
  start: number,
  compress: boolean,
): { stream: Writable; bytes: () => number } {
  let pos = start;
  const put = async (chunk: Buffer) => {
    const data = compress ? await gzipAsync(chunk) : chunk;
    let off = 0;
    while (off < data.length)
      off += (await writeAt(fd, data, off, data.length - off, pos + off)).bytesWritten;
    pos += data.length;
  };
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      put(chunk).then(() => cb(), cb);
    },
    // NOTE: an export with nothing to write (an empty table in NDJSON) would leave a 0-byte .gz,
    // which is not gzip (`gzip -t`: unexpected end of file): a complete one holds a member, empty.
    final(cb) {
      if (!compress || pos > 0) return cb();
      put(Buffer.alloc(0)).then(() => cb(), cb);
    },
  });
  return { stream, bytes: () => pos };
}

const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large for its file system',
  EIO: 'an I/O error of the device',
  EPIPE: 'the reader closed it',
};

/** Why the output could not be opened, and what to do, in words (not `EISDIR: illegal operation...`). */
export function openWhy(e: unknown, file: string, name: string): string {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'EISDIR':
      return `it is a folder; give a file's path, such as ${join(file, name)}`;
    case 'ENOENT':
      return `the folder ${dirname(file)} does not exist; create it, or give a path in an existing folder`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied; give a path you can write, or change its permissions';
    case 'EROFS':
      return 'the file system is read-only; give a path on another one';
    default:
      return (e as Error)?.message ?? String(e);
  }
}

/** A failed write of the output, said as such (not as the Scan's failure). */
export function outputError(e: unknown, file: string): unknown {
  if (e instanceof DdbError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  const why = (code && WRITE_ERRORS[code]) ?? (e as Error)?.message ?? String(e);
  return new DdbError('output.write', { message: `cannot write ${file}: ${why}`, cause: e });
}

/**
 * CSV's options (--columns, --types, --rejects) on another format are refused, as import's --types
 * is: ignored, they would leave the user thinking they applied. So is a --types column outside
 * --columns. `file`: the output, undefined for stdout. Throws usage.invalid.
 */
export function checkCsvOptions(
  format: string,
  opts: { format?: string; columns?: string; types?: string; rejects?: string },
  file: string | undefined,
): void {
  const csvOnly = (
    [
      ['--columns', opts.columns],
      ['--types', opts.types],
      ['--rejects', opts.rejects],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([n]) => n);
  if (format !== 'csv' && csvOnly.length) {
    const from = formatOrigin(!!opts.format, file, 'stdout');
    throw new DdbError('usage.invalid', {
      message: `${csvOnly.join(' and ')} ${csvOnly.length > 1 ? 'are' : 'is'} for CSV output, and this export writes ${format}${from}, which keeps every attribute with its own type; drop ${csvOnly.length > 1 ? 'them' : 'it'}${csvOnly.includes('--columns') ? ' (--project chooses attributes)' : ''}, or pass --format csv`,
    });
  }
  if (opts.columns !== undefined && opts.types !== undefined) {
    const columns = new Set(opts.columns.split(',').map((c) => c.trim()));
    const outside = Object.keys(parseTypes(opts.types)).filter((c) => !columns.has(c));
    if (outside.length) {
      const them = outside.length > 1 ? 'them' : 'it';
      throw new DdbError('usage.invalid', {
        message: `--types names ${outside.join(', ')}, which ${outside.length > 1 ? 'are' : 'is'} not among --columns ${opts.columns}; add ${them} to --columns, or drop ${them} from --types`,
      });
    }
  }
}

/**
 * The locks of an export to `file` with the checkpoint `cpPath`, held until the release is called:
 * the checkpoint's, and the output's own (its default checkpoint's) whatever --checkpoint says: two
 * exports to one file with checkpoints of their own would write their items over each other.
 */
export function lockExport(file: string, cpPath: string, clock: Clock): () => void {
  // NOTE: named from the real path: an output given through a symlink is the same output.
  const ownCp = `${canonicalPath(file)}.ddbctl-export.json`;
  const releaseOutput =
    canonicalPath(cpPath) === ownCp
      ? undefined
      : lockCheckpoint(ownCp, `export to ${file}`, clock, (who, lock) => busyOutput(file, who, lock));
  let releaseCp: () => void;
  try {
    releaseCp = lockCheckpoint(cpPath, `export to ${file}`, clock);
  } catch (e) {
    releaseOutput?.();
    throw e;
  }
  return () => {
    releaseCp();
    releaseOutput?.();
  };
}

const busyOutput = (file: string, who: string, lock: string) =>
  `another export (${who}) is writing ${file}: two exports to one file would mix their items; wait for it to end, or stop it (Ctrl-C), or export to another file; if no such run exists, delete ${lock}`;

/**
 * The lock of the output file itself, once open (`fd`): by its device and inode, in the temp
 * folder, so that a hard link to an output another export writes is refused too, before this one
 * writes a byte. Released by the returned function.
 */
export function lockOutputFile(fd: number, file: string, clock: Clock): () => void {
  const { dev, ino } = fstatSync(fd);
  return lockCheckpoint(
    join(tmpdir(), `ddbctl-export-${dev}-${ino}`),
    `export to ${file}`,
    clock,
    (who, lock) => busyOutput(file, who, lock),
  );
}
