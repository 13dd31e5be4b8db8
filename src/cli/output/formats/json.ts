/** -o json: one JSON document (pretty-printed) for the whole answer. */
import { stringifyItem, stringifyJson, toPlainValue } from '../../../core/data/codec.js';
import { writeLine } from '../text.js';
import { type Renderer, scriptSteps, writeAsync } from './renderer.js';

export const json: Renderer = {
  item(to, r) {
    writeLine(to.io, stringifyJson(toPlainValue(r.item), 2));
  },
  // NOTE: -o json promises one whole document: a scan whose second page failed printed "[" and the
  // first page's items. The array is held until the read is done, so a read that fails leaves no
  // partial document; scripts that need constant memory on a large read use ndjson.
  async items(to, r) {
    const held: string[] = [];
    for await (const page of r.pages) for (const item of page) held.push(stringifyItem(item));
    await writeAsync(to.io, held.length ? `[\n  ${held.join(',\n  ')}\n]\n` : '[]\n');
    return held.length;
  },
  steps: scriptSteps,
  report(to, r) {
    writeLine(to.io, stringifyJson(r.json, 2));
  },
};
