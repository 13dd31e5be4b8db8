/**
 * Files the build puts beside the program (dist/cli): the worker threads' scripts. Found from the
 * program's own path (the bundle is CommonJS, so no import.meta; a global install's bin is a
 * symlink to dist/cli/bin.cjs), as `ddbctl ui` finds dist/ui.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** dist/cli/`name` beside the running program; undefined when there is none (the sources run unbuilt, a test runner). */
export function besideProgram(name: string): string | undefined {
  const bin = process.argv[1];
  if (!bin) return undefined;
  try {
    const file = join(dirname(realpathSync(bin)), name);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}
