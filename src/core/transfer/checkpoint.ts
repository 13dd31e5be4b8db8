/**
 * Checkpoints of imports and exports: small JSON files written atomically (temp file, then
 * rename), so a crash at any moment, even SIGKILL, leaves the last complete one.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { DdbError } from '../errors.js';

export interface ImportCheckpoint {
  kind: 'import';
  table: string;
  /** The input it belongs to: path and size (a different file is refused). */
  input: { path: string; size: number };
  format: string;
  /** Every record before this byte offset of the (decompressed) input is written or rejected. */
  offset: number;
  /** The next record's line number. */
  line: number;
  /** Bytes of the reject file that belong to records before `offset`. */
  rejectsBytes: number;
  written: number;
  rejected: number;
  updated: string;
}

export interface ExportCheckpoint {
  kind: 'export';
  table: string;
  format: string;
  output: string;
  /** Bytes of the output written for the pages recorded below. */
  outputBytes: number;
  items: number;
  /** Per segment: the last key of the last page written (DynamoDB JSON text), `done` when it ended. */
  segments: { lastKey?: string; done: boolean }[];
  /** CSV: items rejected so far (not in the output), and the bytes of the reject file they took. */
  rejected?: number;
  rejectsBytes?: number;
  /** CSV: the columns of the header already written. */
  columns?: string[];
  updated: string;
}

export type Checkpoint = ImportCheckpoint | ExportCheckpoint;

export function writeCheckpoint(path: string, cp: Checkpoint): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(cp));
  renameSync(tmp, path);
}

export function readCheckpoint<K extends Checkpoint['kind']>(
  path: string,
  kind: K,
): Extract<Checkpoint, { kind: K }> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const cp = JSON.parse(text) as Checkpoint;
    if (cp.kind !== kind) throw new Error(`it is an ${cp.kind} checkpoint`);
    return cp as Extract<Checkpoint, { kind: K }>;
  } catch (e) {
    throw new DdbError('input.file', {
      message: `checkpoint ${path} is not usable (${(e as Error).message}); delete it to start over`,
    });
  }
}

export function removeCheckpoint(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.tmp`, { force: true });
}
