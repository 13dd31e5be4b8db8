import {
  accessSync,
  closeSync,
  constants,
  ftruncateSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { DdbError } from '../../core/errors.js';
import { canonicalPath } from '../../core/util/paths.js';

/** A reject file of import or export: NDJSON lines, their bytes counted for the checkpoint. */
export interface RejectFile {
  /** Append one line (the text ends with its newline); its bytes are in the file on return. */
  write(text: string): void;
  /** Bytes of the file: what a checkpoint records, so a resumed run cuts the file back to it. */
  bytes(): number;
  /** Close it; a file that holds nothing is removed (an empty reject file is only clutter). */
  close(): void;
}

/**
 * Open the reject file at once, so a path that cannot be written fails before any work: a new run
 * starts it empty, a resumed run cuts it back to `resumeBytes` (its checkpoint's count) and goes on.
 */
export function openRejectFile(path: string, resumeBytes?: number): RejectFile {
  const fd = openSync(path, resumeBytes !== undefined ? constants.O_RDWR | constants.O_CREAT : 'w');
  if (resumeBytes !== undefined) ftruncateSync(fd, resumeBytes);
  let pos = resumeBytes ?? 0;
  return {
    write(text) {
      pos += writeSync(fd, text, pos);
    },
    bytes: () => pos,
    close() {
      closeSync(fd);
      if (pos === 0) rmSync(path, { force: true });
    },
  };
}

/** Why files cannot be made in the folder `dir` (missing, not a folder, not writable); undefined if they can. */
function folderProblem(dir: string): string | undefined {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return `the folder ${dir} does not exist; create it, or give a path in an existing folder`;
  }
  if (!isDir) return `${dir} is not a folder; give a path in an existing folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `the folder ${dir} is not writable; give a path in a folder you can write to`;
  }
  return undefined;
}

/**
 * Check, before anything is sent, that a file a run will write later (its reject file, its
 * checkpoint) can be created: its folder exists and is writable, and it is no folder itself.
 * Throws input.file naming the option (`--checkpoint (default)` for a path the run chose itself).
 */
export function checkWritablePath(path: string, option: string): void {
  const refuse = (why: string): never => {
    throw new DdbError('input.file', { message: `${option} ${path}: ${why}` });
  };
  const why = folderProblem(dirname(path));
  if (why) refuse(why);
  try {
    if (statSync(path).isDirectory()) refuse('it is a folder; give the path of a file');
  } catch (e) {
    if (e instanceof DdbError) throw e;
  }
}

/**
 * The same check for a command's output file that is not there yet, said of the output ("cannot
 * write FILE: ..."). One that is there (a file to replace, a device, a folder) is left to opening it.
 */
export function checkOutputPath(file: string): void {
  try {
    if (statSync(file, { throwIfNoEntry: false })) return;
  } catch {
    // ENOTDIR: a file where a folder of the path should be, said below.
  }
  const why = folderProblem(dirname(file));
  if (why) throw new DdbError('input.file', { message: `cannot write ${file}: ${why}` });
}

/** Whether `file` is a named pipe (FIFO): read or written once, as a stream, never at a position. */
export function isFifo(file: string): boolean {
  try {
    return statSync(file).isFIFO();
  } catch {
    return false;
  }
}

/** The option a path is checked as: given, or chosen by the run (said so). */
export function pathOption(option: string, given: string | undefined): string {
  return given === undefined ? `${option} (default)` : option;
}

/** Whether two paths name one file: the same real path, or (both there) the same inode. */
function sameFile(a: string, b: string): boolean {
  if (canonicalPath(a) === canonicalPath(b)) return true;
  try {
    const x = statSync(a, { throwIfNoEntry: false });
    const y = statSync(b, { throwIfNoEntry: false });
    return !!x && !!y && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Refuse a run whose files name one file twice (usage.invalid, before anything is opened): a reject
 * file, a checkpoint or a --failed file on the input would empty or remove it, on the output they
 * would mix with its items or remove it once the run ends. `files`: what each path is (`--rejects`,
 * `the input`, ...), in the order they are said; stdin and stdout (`-`) are left out by the caller.
 */
export function checkDistinctFiles(files: readonly { what: string; path: string }[]): void {
  for (let i = 0; i < files.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = files[j] as { what: string; path: string };
      const b = files[i] as { what: string; path: string };
      if (sameFile(a.path, b.path)) {
        throw new DdbError('usage.invalid', {
          message: `${b.what} ${b.path} is ${a.what} ${a.path}: the run would overwrite or remove it; give ${b.what} another path`,
        });
      }
    }
  }
}
