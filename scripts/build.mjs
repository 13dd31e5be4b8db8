#!/usr/bin/env node
// The build: tsc compiles src/ to dist/ (the library, its types, and the CLI's modules), then
// esbuild bundles the CLI into one file, dist/cli/bin.js, in place of tsc's entry point.
//
// Why a bundle: node spends most of a short command's time loading a few hundred small modules
// (the AWS SDK's and ddbctl's), resolving and compiling each; one file starts about 0.15 s sooner
// (BENCHMARKS.md measures start-up). dynalite stays outside the bundle: it is loaded only when a
// command starts the embedded engine (src/engine/index.ts imports it then).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
const bin = join(root, 'dist/cli/bin.js');
await build({
  entryPoints: [bin],
  outfile: bin,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['dynalite'],
  // The SDK's CommonJS modules call require(): give the ES module bundle one.
  banner: {
    js: "import { createRequire as __ddbctlRequire } from 'node:module';\nconst require = __ddbctlRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'none',
});
