/** Document paths: `parsePath` for callers, and the checks that two paths of a request do not overlap. */
import type { Path } from './ast.js';
import { Parser } from './parser.js';
import type { Placeholders } from './placeholders.js';
import { Source } from './source.js';
import type { PathSegment } from './types.js';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parse a document path such as `a.b[0].c` or `` a.`b.c`[1] `` into its segments.
 * Raw `#x` placeholders come back as `{ kind: 'placeholder' }` segments.
 */
export function parsePath(text: string): PathSegment[] {
  const src = new Source('path', text);
  const parser = new Parser(src);
  const path = parser.path('an attribute path');
  parser.expectEnd('the end of the path');
  return path.segments.map((s): PathSegment => {
    if (s.kind === 'name') return { kind: 'name', name: s.name };
    if (s.kind === 'index') return { kind: 'index', index: s.index };
    return { kind: 'placeholder', placeholder: s.placeholder };
  });
}

export interface Target {
  src: Source;
  path: Path;
  /** The path with raw placeholders resolved, for comparison. */
  resolved: (string | number)[];
}

export function resolvePath(ph: Placeholders, path: Path): (string | number)[] {
  const names = ph.names;
  return path.segments.map((s) => {
    if (s.kind === 'index') return s.index;
    if (s.kind === 'name') return s.name;
    return names[s.placeholder] ?? s.placeholder;
  });
}

/** Reject a path equal to, inside, containing, or conflicting with one already used. */
export function checkOverlap(src: Source, ph: Placeholders, seen: Target[], path: Path, where: string): void {
  const resolved = resolvePath(ph, path);
  for (const other of seen) {
    const n = Math.min(resolved.length, other.resolved.length);
    let relation: 'same' | 'overlaps' | 'conflicts with' | undefined;
    for (let i = 0; i <= n; i++) {
      if (i === n) {
        relation = resolved.length === other.resolved.length ? 'same' : 'overlaps';
        break;
      }
      const a = resolved[i];
      const b = other.resolved[i];
      if (typeof a !== typeof b) {
        relation = 'conflicts with';
        break;
      }
      if (a !== b) break;
    }
    if (relation === undefined) continue;
    const mine = formatPath(path);
    const theirs = `${formatPath(other.path)}${other.src === src ? '' : ` (in ${other.src.label} ${JSON.stringify(other.src.text)})`}`;
    const message =
      relation === 'same'
        ? `path ${mine} appears twice${other.src === src ? '' : `, also in ${other.src.label} ${JSON.stringify(other.src.text)}`}; DynamoDB rejects ${where} that names a path twice: keep one`
        : `path ${mine} ${relation} ${theirs}; DynamoDB rejects ${where} with overlapping paths: keep only one of them`;
    src.fail(path.start, message);
  }
  seen.push({ src, path, resolved });
}

/** A path written back in the input syntax, for messages. */
function formatPath(path: Path): string {
  let out = '';
  for (const s of path.segments) {
    if (s.kind === 'index') out += `[${s.index}]`;
    else {
      if (out !== '') out += '.';
      out +=
        s.kind === 'placeholder'
          ? s.placeholder
          : NAME_RE.test(s.name)
            ? s.name
            : `\`${s.name.replace(/[`\\]/g, '\\$&')}\``;
    }
  }
  return out;
}
