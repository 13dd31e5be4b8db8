/**
 * The one place where a command's result becomes output: the format the user chose (-o) picks a
 * renderer (formats/), which prints any kind of result (result.ts). The contract of the modes
 * (README "Output"):
 * - table: for people, fitted to the terminal's width, stored text escaped;
 * - json: one JSON document (pretty-printed);
 * - ndjson: one JSON value a line (items as plain JSON);
 * - raw: one JSON value a line in DynamoDB's own shapes (items as DynamoDB JSON, a DescribeTable's
 *   Table, ...); a command whose answer is ddbctl's own (a plan, a summary) prints its ndjson lines.
 * Commands build a `Result` and call `render`; they never ask which format was chosen.
 */
import type { Cli, GlobalOptions, OutputFormat } from '../context.js';
import { json } from './formats/json.js';
import { ndjson } from './formats/ndjson.js';
import { raw } from './formats/raw.js';
import type { Renderer, Sink } from './formats/renderer.js';
import { table } from './formats/table.js';
import type { ItemsResult, Result } from './result.js';

/** The format switch: the only one. */
const RENDERERS: Record<OutputFormat, Renderer> = { table, json, ndjson, raw };

/** Print a result in the format of `-o` (default table); a stream of items resolves to how many were printed. */
export function render(cli: Pick<Cli, 'io'>, g: GlobalOptions, r: ItemsResult): Promise<number>;
export function render(cli: Pick<Cli, 'io'>, g: GlobalOptions, r: Exclude<Result, ItemsResult>): void;
export function render(cli: Pick<Cli, 'io'>, g: GlobalOptions, r: Result): Promise<number> | undefined {
  const renderer = RENDERERS[g.output ?? 'table'];
  const to: Sink = { io: cli.io, quiet: !!g.quiet };
  switch (r.kind) {
    case 'items':
      return renderer.items(to, r);
    case 'item':
      renderer.item(to, r);
      return undefined;
    case 'steps':
      renderer.steps(to, r);
      return undefined;
    case 'report':
      renderer.report(to, r);
      return undefined;
  }
}

/**
 * Whether stdout is for people (-o table) rather than for one answer to scripts: for a check
 * before a run (export to stdout has no room for a script's summary), not for printing.
 */
export function forPeople(g: GlobalOptions): boolean {
  return g.output === undefined || g.output === 'table';
}
