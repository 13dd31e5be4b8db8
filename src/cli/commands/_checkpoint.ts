/**
 * What import and export share about checkpoints in the CLI: the command a person types to resume.
 * The rules of a resume (target, table, options) are the core's: core/transfer/resume.ts.
 */
import type { Command } from '@commander-js/extra-typings';
import { commandLine } from '../commandLine.js';

/** The command line of this run with --resume: what a person types to continue it. */
export function resumeCommand(
  cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
): string {
  return commandLine(cmd, ['--resume']);
}
