// What a build is made from, as one hash: the sources it compiles and bundles (src/, ui/, the
// build script and configs, the installed dependencies as the lockfile names them) and the node
// that built it (the CLI's code cache is per V8 version). scripts/build.mjs writes it into
// dist/.build-inputs when it ends; the test suites' global setup builds again only when it differs,
// so `npm test` (which builds first) does not build once more per project that runs the binary.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/build.mjs',
];
const DIRS = ['src', 'ui'];

/** The hash of a build's inputs under `root`. */
export function buildInputsHash(root) {
  const hash = createHash('sha256');
  hash.update(`${process.versions.v8}\0`);
  const files = [...FILES];
  for (const dir of DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const f of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
      if (!f.split('/').includes('node_modules')) files.push(`${dir}/${f}`);
    }
  }
  for (const f of files.sort()) {
    let body;
    try {
      body = readFileSync(join(root, f));
    } catch (e) {
      // A directory (listed by the recursive walk), or a file that is not there.
      if (e.code === 'EISDIR' || e.code === 'ENOENT') continue;
      throw e;
    }
    hash.update(`${f}\0${body.length}\0`);
    hash.update(body);
  }
  return hash.digest('hex');
}

export const STAMP = 'dist/.build-inputs';
