#!/usr/bin/env node
// The build: tsc compiles src/ to dist/ (the library, its types, and the CLI's modules), then
// esbuild bundles the CLI's modules into one CommonJS file, dist/cli/bin.cjs, and a run of the
// command saves V8's compiled code for it, dist/cli/bin.cjs.cache. dist/cli/bin.js (tsc's, from
// src/cli/bin.ts) loads the bundle with that cache.
//
// Why a bundle: node spends most of a short command's time loading a few hundred small modules
// (the AWS SDK's and ddbctl's), resolving and compiling each; one file starts about 0.15 s sooner.
// Why the cache: compiling the 2 MB bundle is still about 0.1 s of every command; node 20 caches
// no compiled code for modules (node 22's module.enableCompileCache does), so bin.js uses
// vm.Script's cachedData. CommonJS, because node 20's vm compiles scripts, not ES modules.
// BENCHMARKS.md measures start-up. The embedded engine is in the bundle, evaluated only when a
// command starts it (src/cli/context.ts imports it then).
//
// The library is ESM (dist/index.js, tsc's) and CommonJS too: dist/cjs/index.js, esbuild's bundle
// of the library's own modules (its dependencies stay packages, loaded with require), beside a copy
// of the declarations under dist/cjs/package.json's "type": "commonjs", so that TypeScript reads
// them as CommonJS for a `require` (package.json "exports"). The engine's library entry,
// `ddbctl/engine` (dist/engine/public.js), gets the same: dist/cjs/engine.js.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
// The CLI's modules in one CommonJS file, which bin.js loads with V8's code cache (see src/cli/bin.ts).
const bundle = join(root, 'dist/cli/bin.cjs');
rmSync(`${bundle}.cache`, { force: true });
await build({
  entryPoints: [join(root, 'dist/cli/main.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import() becomes require(): vm.Script (bin.js) has no loader for import() in node 20, and
  // everything imported so (ddbctl's own modules, node's) is in the bundle or built in.
  supported: { 'dynamic-import': false },
  // NOTE: dynalite (the previous engine, not a dependency: migrate-data-dir reads an old data dir
  // with it when installed) stays a require() of the package: bundled, its LevelDB binding looks
  // for its native build beside the bundle and never finds it.
  external: ['dynalite'],
  logLevel: 'warning',
  legalComments: 'none',
});
// The library for CommonJS consumers.
const cjs = join(root, 'dist/cjs');
rmSync(cjs, { recursive: true, force: true });
mkdirSync(cjs, { recursive: true });
for (const [entry, out] of [
  ['dist/index.js', 'index.js'],
  ['dist/engine/public.js', 'engine.js'],
]) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(cjs, out),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // NOTE: the dependencies are required, not copied in: one copy of the SDK (and of NumberValue,
    // which `instanceof` checks compare) for the library and the program using it.
    packages: 'external',
    logLevel: 'warning',
    legalComments: 'none',
  });
}
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
for (const file of readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts') || file.startsWith('cjs/') || file.startsWith('cli/')) continue;
  mkdirSync(dirname(join(cjs, file)), { recursive: true });
  copyFileSync(join(root, 'dist', file), join(cjs, file));
}
// The code cache: V8's compiled code after loading the bundle and building the program (--help).
execFileSync(process.execPath, [join(root, 'dist/cli/bin.js'), '--help'], {
  cwd: root,
  stdio: 'ignore',
  env: { ...process.env, DDBCTL_BUILD_CODE_CACHE: '1' },
});
if (!existsSync(`${bundle}.cache`)) throw new Error(`build: ${bundle}.cache was not written`);
