/**
 * The rules of --resume, for imports and exports alike: where a checkpoint says it was made, and
 * what a resume accepts and refuses (the same target, table, input or output, and the same options
 * that shape the items), each refusal a usage error saying how to go on. The commands only wire
 * them to their flags and files; checkpoint.ts reads, writes and saves the files.
 */
import { resolve } from 'node:path';
import type { Clients } from '../clients.js';
import { DdbError } from '../errors.js';
import type { Target } from '../target.js';
import { count, plural } from '../util/plural.js';
import { shellWord } from '../util/shellWord.js';
import {
  type Checkpoint,
  type CheckpointTarget,
  checkpointMismatch,
  describeCheckpointTarget,
  type ExportCheckpoint,
  type ImportCheckpoint,
  readCheckpointTable,
} from './checkpoint.js';

/** The target as a checkpoint records it: where the data is, never credentials. */
export function checkpointTarget(target: Target): CheckpointTarget {
  if (target.kind === 'embedded')
    return { kind: 'embedded', where: target.dataDir === null ? 'memory' : resolve(target.dataDir) };
  if (target.kind === 'endpoint') return { kind: 'endpoint', where: target.endpoint };
  return { kind: 'aws', where: target.region };
}

/** A checkpoint on the in-memory engine could never be resumed: its tables end with the run. */
export const resumableOn = (target: Target): boolean =>
  !(target.kind === 'embedded' && target.dataDir === null);

/** The refusal of a --resume whose checkpoint `cpPath` belongs elsewhere (`why`), if any. */
function refuseElsewhere(cpPath: string, why: string | undefined): void {
  if (!why) return;
  throw new DdbError('usage.invalid', {
    message: `--resume: checkpoint ${cpPath} belongs elsewhere: ${why}; run the same command against the original target and table, or drop --resume and delete ${cpPath} to start over`,
  });
}

/** The table a checkpoint was made for, as checkpointMismatch compares it. */
const checkpointPlace = (existing: Checkpoint) => ({
  target: existing.target,
  table: existing.kind === 'import' ? existing.into : existing.from,
});

/**
 * The target of a resumed run (resolved, not opened), checked against the checkpoint `existing`:
 * another target is refused (usage.invalid) before it is opened (an embedded engine's data dir
 * would be made for nothing). checkResumeTarget checks it again with the table.
 */
export function checkResumeWhere(target: Target, cpPath: string, existing: Checkpoint | undefined): void {
  if (!existing) return;
  const was = checkpointPlace(existing);
  refuseElsewhere(cpPath, checkpointMismatch(was, { target: checkpointTarget(target), table: was.table }));
}

/**
 * The table here and now, checked against the checkpoint `existing` when resuming: another target,
 * table, key schema or a re-created table is refused (usage.invalid), before any request that
 * reads or writes items.
 */
export async function checkResumeTarget(
  clients: Clients,
  target: Target,
  table: string,
  cpPath: string,
  existing: Checkpoint | undefined,
) {
  // The target first: on another one the table may well not exist.
  checkResumeWhere(target, cpPath, existing);
  const here = { target: checkpointTarget(target), ...(await readCheckpointTable(clients, table)) };
  if (existing) refuseElsewhere(cpPath, checkpointMismatch(checkpointPlace(existing), here));
  return here;
}

/**
 * The options that shape the items of a run, as its checkpoint records them (option → its value as
 * text, '' when not given): a resume with others would mix two kinds of items in one table or file.
 */
export type ShapingOptions = Record<string, string>;

/** Column types as a checkpoint records them: `a:N,b:JSON`, sorted (the same types, the same text). */
export const typesText = (types: Record<string, string> | undefined): string =>
  Object.entries(types ?? {})
    .map(([c, t]) => `${c}:${t}`)
    .sort()
    .join(',');

/**
 * Refuse (usage.invalid) a resume whose item-shaping options differ from the checkpoint's, naming
 * the option, both values and the fix.
 */
export function checkResumeOptions(
  cpPath: string,
  recorded: ShapingOptions | undefined,
  given: ShapingOptions,
): void {
  const shown = (option: string, v: string) => (v === '' ? `no ${option}` : `${option} ${shellWord(v)}`);
  for (const [option, now] of Object.entries(given)) {
    const was = recorded?.[option] ?? '';
    if (was === now) continue;
    throw new DdbError('usage.invalid', {
      message: `--resume: the stopped run (checkpoint ${cpPath}) had ${shown(option, was)}, and this one has ${shown(option, now)}; resume with ${was === '' ? `no ${option}` : `the same ${option} ${shellWord(was)}`}, or drop --resume and delete ${cpPath} to start over`,
    });
  }
}

/** The options a checkpoint was made with; one of an earlier ddbctl records its format alone. */
const recordedOptions = (cp: Checkpoint, given: ShapingOptions): ShapingOptions =>
  cp.options ?? { ...given, '--format': cp.format };

const usage = (message: string) => new DdbError('usage.invalid', { message });

/** --resume with no checkpoint at `cpPath`: a run stopped with its own --checkpoint resumes with it. */
const noCheckpoint = (cpPath: string) =>
  usage(
    `--resume: no checkpoint at ${cpPath}; a run stopped with --checkpoint FILE resumes with the same --checkpoint FILE; with none, run without --resume to start`,
  );

/**
 * Whether an import may start, or resume from `existing` (the checkpoint at `cpPath`, if any): a
 * checkpoint left is resumed only when asked (--resume), and only by the same import (table, input
 * file and size, item-shaping options). Throws usage.invalid saying how to go on.
 */
export function checkImportResume(
  cpPath: string,
  existing: ImportCheckpoint | undefined,
  run: { resume: boolean; table: string; input: { path: string; size: number }; shaping: ShapingOptions },
): void {
  if (run.resume && !existing) throw noCheckpoint(cpPath);
  if (!existing) return;
  // NOTE: a checkpoint of another import is said as such with or without --resume: "pass --resume"
  // would only lead to that refusal.
  if (
    existing.table !== run.table ||
    existing.input.path !== run.input.path ||
    existing.input.size !== run.input.size
  ) {
    // What differs, first of: the table, the file, its size (a file changed since).
    const differs =
      existing.table !== run.table
        ? `it was into table ${existing.table}, and this one is into ${run.table}`
        : existing.input.path !== run.input.path
          ? `this one reads ${run.input.path}`
          : `the file has ${plural(run.input.size, 'byte')} now (changed since the stopped run: its offsets mean nothing in it)`;
    // NOTE: one file into two tables is a normal thing to do: the way is a checkpoint of its own,
    // not deleting the one the other import may still resume from.
    const own =
      existing.table !== run.table
        ? `give this run a --checkpoint of its own (the stopped import into ${existing.table} resumes from this one), or delete it to start over`
        : 'delete it to start over';
    throw usage(
      `${cpPath} belongs to an import of ${existing.input.path} (${existing.input.size} bytes) into ${existing.table}, not this one: ${differs}; ${own}`,
    );
  }
  if (!run.resume) {
    throw usage(
      `an unfinished import into ${existing.table} on ${describeCheckpointTarget(existing.target)} left ${cpPath} (${count(existing.written)} written); pass --resume to continue it there, or delete it to start over`,
    );
  }
  checkResumeOptions(cpPath, recordedOptions(existing, run.shaping), run.shaping);
}

/**
 * Whether an export may start, or resume from `existing`: as for an import (checkImportResume), the
 * same table, output file (absolute) and item-shaping options.
 */
export function checkExportResume(
  cpPath: string,
  existing: ExportCheckpoint | undefined,
  run: { resume: boolean; table: string; output: string; shaping: ShapingOptions },
): void {
  if (run.resume && !existing) throw noCheckpoint(cpPath);
  if (!existing) return;
  if (existing.table !== run.table || existing.output !== run.output) {
    const differs =
      existing.table !== run.table
        ? `it was of table ${existing.table}, and this one is of ${run.table}`
        : `this one is to ${run.output}`;
    throw usage(
      `${cpPath} belongs to another export (${existing.table} → ${existing.output}): ${differs}; delete it to start over`,
    );
  }
  if (!run.resume) {
    throw usage(
      `an unfinished export of ${existing.table} on ${describeCheckpointTarget(existing.target)} left ${cpPath} (${plural(existing.items, 'item')}); pass --resume to continue it there, or delete it to start over`,
    );
  }
  checkResumeOptions(cpPath, recordedOptions(existing, run.shaping), run.shaping);
}

/**
 * A resumed export's output, `size` bytes now: one shorter than the checkpoint's bytes lost items the
 * checkpoint counts as written (input.file). NOTE: a longer one (a write after the last checkpoint,
 * or junk) is fine: the caller cuts it back to the checkpoint's bytes.
 */
export function checkResumeOutput(
  file: string,
  size: number,
  existing: ExportCheckpoint,
  cpPath: string,
): void {
  if (size >= existing.outputBytes) return;
  throw new DdbError('input.file', {
    message: `cannot resume: ${file} holds ${count(size)} bytes, fewer than the ${count(existing.outputBytes)} of the ${count(existing.items)} items the checkpoint counts (it was cut or rewritten after the export stopped); delete ${cpPath} and export again`,
  });
}
