/** Paths as the file system knows them. */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The path with every symlink followed, also where the file is not there yet: a dangling symlink
 * names its target, and a new file the real path of its folder.
 */
export function canonicalPath(p: string, depth = 0): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    // not there (yet): below
  }
  try {
    if (depth < 16 && lstatSync(abs).isSymbolicLink()) {
      return canonicalPath(resolve(dirname(abs), readlinkSync(abs)), depth + 1);
    }
  } catch {
    // no link either
  }
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}
