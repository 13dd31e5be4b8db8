/** Paths as the file system knows them. */
import { lstatSync, mkdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
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

/**
 * `mkdir -p`: `dir` and every missing folder above it, from the top down; throws the first
 * folder's own error (EACCES, ENOTDIR, ENOENT...). NOTE: not `mkdirSync(dir, { recursive: true })`:
 * under a folder that refuses new entries with ENOENT (`/proc`, `/sys`), node's loops for ever
 * (node 20 and 24: mkdir of /proc/x says ENOENT, so it makes the parent, which exists, and tries again).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; ) {
    try {
      // A file where the folder should be (`dir` itself is one; a file above it is ENOTDIR): said
      // as mkdir says it.
      if (!statSync(at).isDirectory() && missing.length === 0) mkdirSync(at);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Made meanwhile by another process: as good as made here.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
