/** What import and export share about checkpoints: the target they record, the resume command. */
import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import type { Clients } from '../../core/clients.js';
import { DdbError } from '../../core/errors.js';
import type { Target } from '../../core/target.js';
import {
  type Checkpoint,
  type CheckpointTarget,
  checkpointMismatch,
  readCheckpointTable,
} from '../../core/transfer/checkpoint.js';
import { commandLine, shellWord } from '../commandLine.js';

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
  const was = existing && {
    target: existing.target,
    table: existing.kind === 'import' ? existing.into : existing.from,
  };
  const refuse = (why: string | undefined) => {
    if (!why) return;
    throw new DdbError('usage.invalid', {
      message: `--resume: checkpoint ${cpPath} belongs elsewhere: ${why}; run the same command against the original target and table, or drop --resume and delete ${cpPath} to start over`,
    });
  };
  const where = checkpointTarget(target);
  // The target first: on another one the table may well not exist.
  if (was) refuse(checkpointMismatch(was, { target: where, table: was.table }));
  const here = { target: where, ...(await readCheckpointTable(clients, table)) };
  if (was) refuse(checkpointMismatch(was, here));
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

/** The command line of this run with --resume: what a person types to continue it. */
export function resumeCommand(
  cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
): string {
  return commandLine(cmd, ['--resume']);
}
