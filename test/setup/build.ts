// Global setup of the projects that run the built binary (dist/cli/bin.cjs and its bundle): make sure
// it exists and is current. `npm test` builds before running, and so does the first project that
// gets here; a build whose inputs have not changed since (scripts/buildInputs.mjs) is not made again.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs script of the build, no declarations
import { buildInputsHash, STAMP } from '../../scripts/buildInputs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export default function setup() {
  let built = '';
  try {
    built = readFileSync(join(root, STAMP), 'utf8').trim();
  } catch {
    // Never built, or a build that did not end.
  }
  if (built && built === buildInputsHash(root)) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
}
