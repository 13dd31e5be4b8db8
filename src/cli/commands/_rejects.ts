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

/**
 * Check, before anything is sent, that a file a run will write later (its reject file, its
 * checkpoint) can be created: its folder exists and is writable, and it is no folder itself.
 * Throws input.file naming the option.
 */
export function checkWritablePath(path: string, option: string): void {
  const dir = dirname(path);
  const refuse = (why: string): never => {
    throw new DdbError('input.file', { message: `${option} ${path}: ${why}` });
  };
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = refuse(`the folder ${dir} does not exist; create it, or give a path in an existing folder`);
  }
  if (!isDir) refuse(`${dir} is not a folder; give a path in an existing folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    refuse(`the folder ${dir} is not writable; give a path in a folder you can write to`);
  }
  try {
    if (statSync(path).isDirectory()) refuse('it is a folder; give the path of a file');
  } catch (e) {
    if (e instanceof DdbError) throw e;
  }
}
