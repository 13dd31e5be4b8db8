// Global setup of the e2e project: the tests run the built binary (dist/cli/bin.js and its bundle), so
// make sure it exists and is current. `npm test` builds before running; this covers `npx vitest`
// directly.
import { execFileSync } from 'node:child_process';

export default function setup() {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
