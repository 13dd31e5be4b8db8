/**
 * -o ndjson: one JSON value a line, items as plain JSON; and `lineRenderer`, which -o raw shares
 * with a DynamoDB JSON encoding of items. Items stream one a line as they are read: a read that
 * fails midway leaves the complete lines before it.
 */
import { type Item, stringifyItem, stringifyJson, toPlainValue } from '../../../core/data/codec.js';
import type { ReportResult } from '../result.js';
import { writeLine } from '../text.js';
import { type Renderer, scriptSteps, writeAsync } from './renderer.js';

export function lineRenderer(enc: {
  /** The line of a single item (get, a write's --return). */
  item: (item: Item) => string;
  /** The line of each item of a stream. */
  streamed: (item: Item) => string;
  report: (r: ReportResult) => unknown[];
}): Renderer {
  return {
    item(to, r) {
      writeLine(to.io, enc.item(r.item));
    },
    async items(to, r) {
      let n = 0;
      for await (const page of r.pages) {
        for (const item of page) {
          n++;
          await writeAsync(to.io, `${enc.streamed(item)}\n`);
        }
      }
      return n;
    },
    steps: scriptSteps,
    report(to, r) {
      for (const v of enc.report(r)) writeLine(to.io, stringifyJson(v));
    },
  };
}

export const ndjson: Renderer = lineRenderer({
  item: (item) => stringifyJson(toPlainValue(item)),
  streamed: (item) => stringifyItem(item),
  report: (r) => r.lines ?? [r.json],
});
