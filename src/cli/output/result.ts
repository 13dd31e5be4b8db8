/**
 * What a command answers, as data: the command builds a `Result` and hands it to `render`
 * (render.ts), which gives it to the renderer of the output format the user chose. A command never
 * asks which format that is. The kinds:
 * - item: one item (get, put/delete/update with --return);
 * - items: many items, page by page, streamed as they are read (scan, query, sql, batch-get);
 * - steps: lines shown to people as a run goes (lab, apply's plan); scripts get them on stderr or not at all;
 * - report: any other answer (a table's description, a list of tables, a plan, a bulk run's
 *   summary): one JSON document for scripts, its ndjson lines, its DynamoDB-shaped raw lines, and
 *   the lines and tables people read.
 */
import { type Item, stringifyDdbJson, toPlainValue } from '../../core/data/codec.js';

export type Result = ItemResult | ItemsResult | StepsResult | ReportResult;

export interface ItemResult {
  kind: 'item';
  item: Item;
}

export interface ItemsResult {
  kind: 'items';
  /** Read as they are printed: nothing is written before the first page arrives. */
  pages: AsyncIterable<Item[]>;
  /** -o table: these attributes first (the key), then the others in the order met. */
  keyNames?: string[];
  /** What people (-o table) get instead of the default tables of 1000 rows. */
  people?: {
    /** One item a line as plain JSON (ndjson), as batch-get shows it. */
    asLines?: boolean;
    /** The line on stdout when there is no item ("(no items)"). */
    empty?: string;
    /** A notice on stderr (unless -q) counting the items, when there are some. */
    tally?: boolean;
  };
}

export interface StepsResult {
  kind: 'steps';
  /** People: these lines on stdout. */
  lines: string[];
  /**
   * Scripts (-o json|ndjson|raw), whose stdout carries the one answer at the end: the lines on
   * stderr, or not at all.
   */
  scripts: 'stderr' | 'none';
}

/** A line of text, or a table, for people. */
export type Block = string | TableBlock;

export interface TableBlock {
  head: string[];
  rows: (string | number)[][];
  /** Wrap long cells on a terminal instead of cutting them, where a whole value matters. */
  wrap?: boolean;
}

export interface ReportResult {
  kind: 'report';
  /** -o json: the one document (pretty-printed); -o ndjson: the same on one line, unless `lines`. JSON-ready. */
  json: unknown;
  /** -o ndjson: these values, one a line, instead of `json`. */
  lines?: unknown[];
  /** -o raw: DynamoDB's own shapes, one a line; default the ndjson lines. */
  raw?: unknown[];
  /** -o table: what people read, in order; none for an answer only scripts need. */
  people: Block[];
}

/** An item as a JSON-ready value in DynamoDB JSON (binary as base64, as the AWS CLI prints it). */
export function rawItem(item: Item): unknown {
  return JSON.parse(stringifyDdbJson(item));
}

/** A JSON-ready value for -o json / ndjson: an item as plain JSON, null for none. */
export function plainItem(item: Item | null | undefined): unknown {
  return item ? toPlainValue(item) : null;
}

/** Key/value pairs for a summary (describe-table and the like): those with no value left out, long values wrapped. */
export function pairsBlock(pairs: [string, string | number | undefined][]): TableBlock {
  const rows = pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]);
  return { head: [], rows, wrap: true };
}

/** `--count` of scan and query; raw is the answer of a Select COUNT Scan or Query. */
export function countResult(c: { count: number; scanned: number }): ReportResult {
  return {
    kind: 'report',
    json: { count: c.count, scanned: c.scanned },
    raw: [{ Count: c.count, ScannedCount: c.scanned }],
    people: [String(c.count)],
  };
}

/**
 * The result of a single write: the returned item when one was asked for (`none` says so when
 * there is none), else `done` for people and `{"ok": true, ...result}` for scripts.
 */
export function writeResult(w: {
  returned: Item | undefined;
  asked: boolean;
  none: string;
  done: string;
  result?: object;
}): ItemResult | ReportResult {
  if (w.asked && w.returned) return { kind: 'item', item: w.returned };
  return {
    kind: 'report',
    json: w.asked ? null : { ok: true, ...w.result },
    people: [w.asked ? w.none : w.done],
  };
}
