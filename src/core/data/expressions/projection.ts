/** ProjectionExpression: comma-separated paths, none overlapping another. */
import { Emitter } from './emitter.js';
import { Parser } from './parser.js';
import { checkOverlap, type Target } from './paths.js';
import type { Placeholders } from './placeholders.js';
import { isPunct } from './scanner.js';
import { checkSize, Source } from './source.js';

/** Compile a ProjectionExpression from comma-separated paths such as `a,b.c,d[0]`. */
export function compileProjection(list: string, ph: Placeholders, what = 'projection'): string {
  const src = new Source(what, list);
  const parser = new Parser(src);
  const emitter = new Emitter(src, ph);
  const seen: Target[] = [];
  const out: string[] = [];
  for (;;) {
    const path = parser.path('an attribute path');
    checkOverlap(src, ph, seen, path, 'a projection');
    out.push(emitter.path(path));
    const sep = parser.scanner.peek();
    if (sep.type === 'end') break;
    if (!isPunct(sep, ',')) parser.expected("',' or the end of the list");
    parser.scanner.next();
  }
  return checkSize(src, out.join(', '));
}
