/**
 * -o table (the default): for people. Tables fitted to the terminal's width, stored text escaped
 * (text.ts); a command's own answer as the lines it gives.
 */
import { type Item, type ItemValue, typeOf } from '../../../core/data/codec.js';
import { cell, nameCell, printTable, writeLine } from '../text.js';
import { ndjson } from './ndjson.js';
import type { Renderer } from './renderer.js';

/** Rows per table when printing many items for people (a table cannot be streamed). */
const TABLE_ROWS = 1000;

export const table: Renderer = {
  /** attribute, type, value; long values wrapped. */
  item(to, r) {
    const item = r.item;
    printTable(
      to.io,
      ['attribute', 'type', 'value'],
      Object.keys(item).map((k) => [nameCell(k), typeOf(item[k] as ItemValue), cell(item[k])]),
      { wrap: true },
    );
  },
  /** A table per 1000 items with the key attributes first; nothing before the first page arrives. */
  async items(to, r) {
    const people = r.people ?? {};
    if (people.asLines) return ndjson.items(to, r);
    let n = 0;
    let rows: Item[] = [];
    const flush = () => {
      if (!rows.length) return;
      // The keys first, when the items have them (--project may leave them out: no blank column).
      const keys = (r.keyNames ?? []).filter((k) => rows.some((i) => Object.hasOwn(i, k)));
      const names = [...new Set([...keys, ...rows.flatMap((i) => Object.keys(i))])];
      printTable(
        to.io,
        names.map(nameCell),
        rows.map((i) => names.map((k) => cell(i[k]))),
      );
      rows = [];
    };
    for await (const page of r.pages) {
      for (const item of page) {
        rows.push(item);
        n++;
        if (rows.length >= TABLE_ROWS) flush();
      }
    }
    flush();
    if (n === 0 && people.empty !== undefined) writeLine(to.io, people.empty);
    if (n > 0 && people.tally && !to.quiet) to.io.stderr.write(`ddbctl: ${n} item${n === 1 ? '' : 's'}\n`);
    return n;
  },
  steps(to, r) {
    for (const line of r.lines) writeLine(to.io, line);
  },
  report(to, r) {
    for (const b of r.people) {
      if (typeof b === 'string') writeLine(to.io, b);
      else printTable(to.io, b.head, b.rows, b.wrap ? { wrap: true } : {});
    }
  },
};
