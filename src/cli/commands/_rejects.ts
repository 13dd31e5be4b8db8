import { closeSync, constants, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';

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
