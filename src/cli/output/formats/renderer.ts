/** The shape every output format's renderer has: one method per kind of result (result.ts). */
import type { Io } from '../../context.js';
import type { ItemResult, ItemsResult, ReportResult, StepsResult } from '../result.js';

/** Where a renderer writes: stdout for the answer, stderr for notes, which -q silences. */
export interface Sink {
  io: Io;
  quiet: boolean;
}

export interface Renderer {
  item(to: Sink, r: ItemResult): void;
  /** Streams the pages; resolves to the number of items printed. */
  items(to: Sink, r: ItemsResult): Promise<number>;
  steps(to: Sink, r: StepsResult): void;
  report(to: Sink, r: ReportResult): void;
}

/** Write and respect backpressure, so a large scan piped into a slow reader stays in constant memory. */
export function writeAsync(io: Io, text: string): Promise<void> | undefined {
  if (io.stdout.write(text)) return undefined;
  return new Promise((res) => io.stdout.once('drain', () => res()));
}

/** Steps for scripts: their stdout carries the one answer at the end, so the lines go to stderr or nowhere. */
export function scriptSteps(to: Sink, r: StepsResult): void {
  if (r.scripts === 'stderr') for (const line of r.lines) to.io.stderr.write(`${line}\n`);
}
