#!/usr/bin/env node
// The build: tsc compiles src/ to dist/ (the library, its types, and the CLI's modules), then
// esbuild bundles the CLI's modules into one CommonJS file, dist/cli/bundle.cjs, and a run of the
// command saves V8's compiled code for it, dist/cli/bundle.cjs.<V8 version>.cache. The command,
// dist/cli/bin.cjs (tsc's, from src/cli/bin.cts), loads the bundle with that cache when its node
// has that V8, and with node's own compile cache otherwise (node ≥ 22.1).
//
// Why a bundle: node spends most of a short command's time loading a few hundred small modules
// (the AWS SDK's and ddbctl's), resolving and compiling each; one file starts about 0.15 s sooner.
// Why the cache: compiling the 2 MB bundle is still about 0.1 s of every command; node 20 caches
// no compiled code for modules (node 22's module.enableCompileCache does, a little slower than
// this cache on node 24: it keeps less), so bin.cjs uses vm.Script's cachedData. CommonJS, because
// node 20's vm compiles scripts, not ES modules. The commands are evaluated lazily: each one's
// import() in src/cli/program.ts becomes a module initialised on its first call.
// BENCHMARKS.md measures start-up. The embedded engine is in the bundle, evaluated only when a
// command starts it (src/cli/context.ts imports it then).
//
// The library is ESM (dist/index.js, tsc's) and CommonJS too: dist/cjs/index.js, esbuild's bundle
// of the library's own modules (its dependencies stay packages, loaded with require), beside a copy
// of the declarations under dist/cjs/package.json's "type": "commonjs", so that TypeScript reads
// them as CommonJS for a `require` (package.json "exports"). The engine's library entry,
// `ddbctl/engine`, gets the same: dist/cjs/engine.js.
//
// `ddbctl/engine` for ES modules is a bundle too: esbuild's ESM bundle replaces tsc's
// dist/engine/public.js (its public.d.ts stays). A test suite loads it to start an engine, and
// loading its ~60 modules (the engine's, sorted-btree's) took ~75 ms of a quiet machine, against
// ~4 ms to start the engine; the one file loads in ~15 ms. No code cache for it: node 20 keeps
// none for ES modules (the CLI's trick is vm.Script's, CommonJS only), and a library has no place
// of its own to write one.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { buildInputsHash, STAMP } from './buildInputs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireHere = createRequire(import.meta.url);
// Hashed before building: a source changed while the build runs makes the next check build again.
const inputs = buildInputsHash(root);
rmSync(join(root, STAMP), { force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
// The CLI's modules in one CommonJS file, which bin.cjs loads with V8's code cache (see
// src/cli/bin.cts). Removed first: the caches of other V8s, and what builds before the launcher was
// CommonJS left in dist/cli (the maps and types of its ES module bin.js, whose bundle was bin.cjs).
const bundle = join(root, 'dist/cli/bundle.cjs');
const codeCache = `${bundle}.${process.versions.v8}.cache`;
/**
 * An esbuild plugin: node's modules `names`, imported anywhere in the bundle, are loaded when one of
 * their exports is first used, not when the importing module is evaluated. Every command's start
 * loaded them (commander imports child_process; the SDK's HTTP handler http and https, which bring
 * tls; the engine net; the prompts readline): about 3 ms of a cold `get`, which uses none of them.
 * Each becomes a module with one getter an export, named as this node has them (node 20's: the
 * modules' long-standing exports, all ddbctl and its dependencies use).
 */
function lazyBuiltins(names) {
  const filter = new RegExp(`^(node:)?(${names.map((n) => n.replace('/', '\\/')).join('|')})$`);
  return {
    name: 'lazy-builtins',
    setup(b) {
      b.onResolve({ filter }, (args) =>
        // The getters' own require is of the module itself.
        args.namespace === 'lazy-builtin'
          ? { path: args.path, external: true }
          : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
      );
      b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
        let contents = `let m;\nconst load = () => (m ??= require("node:${args.path}"));\n`;
        for (const k of Object.keys(requireHere(args.path))) {
          contents += `Object.defineProperty(exports, ${JSON.stringify(k)}, { enumerable: true, get: () => load()[${JSON.stringify(k)}] });\n`;
        }
        return { contents, loader: 'js' };
      });
    },
  };
}
for (const f of readdirSync(join(root, 'dist/cli'))) {
  if (/^(bin|bundle)\.cjs\..*cache$|^bin\.(js\.map|d\.ts)$/.test(f))
    rmSync(join(root, 'dist/cli', f), { force: true });
}
await build({
  entryPoints: [join(root, 'dist/cli/main.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // import() becomes require(): vm.Script (bin.cjs) has no loader for import() in node 20, and
  // everything imported so (ddbctl's own modules, node's) is in the bundle or built in.
  supported: { 'dynamic-import': false },
  // The AWS SDK's ES modules (dist-es, their package's "module") rather than its CommonJS (dist-cjs,
  // "main"): esbuild leaves out what ddbctl never imports (the SDK's package-wide CommonJS bundles
  // hold every command and schema), a cold command about 8 ms sooner.
  mainFields: ['module', 'main'],
  // NOTE: dynalite (the previous engine, not a dependency: migrate-data-dir reads an old data dir
  // with it when installed) stays a require() of the package: bundled, its LevelDB binding looks
  // for its native build beside the bundle and never finds it.
  external: ['dynalite'],
  plugins: [lazyBuiltins(['child_process', 'http', 'https', 'net', 'readline/promises'])],
  logLevel: 'warning',
  legalComments: 'none',
});
// The bundle as esbuild wrote it, rewritten twice below, then written once.
let text = readFileSync(bundle, 'utf8');
// One namespace object per CommonJS module imported from ESM, as ES modules have, instead of one per
// importing module: esbuild's __toESM copies every export (a getter each) at each import site, and
// the AWS SDK's ~500 exports imported from some twenty modules took ~10 ms of every command's start.
// NOTE: made again when the module has more exports than when it was made: one imported during a
// cycle of requires, before its exports were all there, is not frozen as it was then.
{
  const helper = 'var __toESM = (mod, isNodeMode, target3) => (';
  const at = text.indexOf(helper);
  if (at === -1) {
    console.warn(
      "build: esbuild's __toESM helper was not found: each import site copies its module's exports",
    );
  } else {
    const memo =
      'var __toESMCache = [new WeakMap(), new WeakMap()];\n' +
      'var __toESM = (mod, isNodeMode) => {\n' +
      '  if (mod == null || (typeof mod !== "object" && typeof mod !== "function")) return __toESMOnce(mod, isNodeMode);\n' +
      '  const cache = __toESMCache[isNodeMode ? 1 : 0];\n' +
      '  const names = __getOwnPropNames(mod).length;\n' +
      '  let hit = cache.get(mod);\n' +
      '  if (!hit || hit.names !== names) cache.set(mod, (hit = { names, ns: __toESMOnce(mod, isNodeMode) }));\n' +
      '  return hit.ns;\n' +
      '};\n' +
      'var __toESMOnce = (mod, isNodeMode, target3) => (';
    text = text.slice(0, at) + memo + text.slice(at + helper.length);
  }
}
// The bundle in ASCII alone, so that bin.cjs reads it as latin1: about 9 ms of every command's start
// sooner than decoding 3 MB of UTF-8. esbuild escapes every string, template and regular expression
// (its default charset), but keeps comments as written; what is left becomes a \u escape, the same
// character wherever JavaScript reads one.
text = text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
// Without its indentation, comments and line breaks (names kept: a --debug stack trace still names
// its functions): 2.9 → 2.1 MB, read and decoded by every command, about 2–3 ms of a cold `get`.
// NOTE: after the rewrites above, which look for esbuild's helpers as it writes them unminified.
text = (await transform(text, { minifyWhitespace: true, legalComments: 'none', loader: 'js' })).code;
writeFileSync(bundle, text);
// The library for CommonJS consumers.
const cjs = join(root, 'dist/cjs');
rmSync(cjs, { recursive: true, force: true });
mkdirSync(cjs, { recursive: true });
// NOTE: the dependencies are required, not copied in: one copy of the SDK (and of NumberValue,
// which `instanceof` checks compare) for the library and the program using it. The engine's entry
// copies in sorted-btree alone: the store's private B+ tree, never handed to the program, and a
// dozen of the modules `ddbctl/engine` would load otherwise.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const engineExternal = [
  ...Object.keys(pkg.dependencies),
  ...Object.keys(pkg.optionalDependencies ?? {}),
  'dynalite',
]
  .filter((name) => name !== 'sorted-btree')
  .flatMap((name) => [name, `${name}/*`]);
/** esbuild's bundle of one library entry (dist/, tsc's) for node. */
const libraryBundle = (entry, outfile, format, deps) =>
  build({
    entryPoints: [join(root, entry)],
    outfile,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    ...deps,
    logLevel: 'warning',
    legalComments: 'none',
  });
// The worker thread an export turns pages into text on (src/cli/transcoder.ts), a bundle of its own
// (its dependencies in it): it loads in a few ms, where the CLI's whole bundle would take ~40 ms of it.
await libraryBundle('dist/cli/transcodeWorker.js', join(root, 'dist/cli/transcodeWorker.cjs'), 'cjs', {});
// The embedded engine's own thread (src/engine/thread.ts: an import's engine runs there), likewise.
await libraryBundle('dist/engine/threadWorker.js', join(root, 'dist/cli/engineThread.cjs'), 'cjs', {});
await libraryBundle('dist/index.js', join(cjs, 'index.js'), 'cjs', { packages: 'external' });
await libraryBundle('dist/engine/public.js', join(cjs, 'engine.js'), 'cjs', { external: engineExternal });
await libraryBundle('dist/engine/public.js', join(root, 'dist/engine/public.js'), 'esm', {
  external: engineExternal,
});
writeFileSync(join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
for (const file of readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts') || file.startsWith('cjs/') || file.startsWith('cli/')) continue;
  mkdirSync(dirname(join(cjs, file)), { recursive: true });
  copyFileSync(join(root, 'dist', file), join(cjs, file));
}
// The code cache: V8's compiled code after a command's whole run, a `get` of an item on the
// embedded engine (the program built, the engine opened, a call sent through the SDK, the answer
// written): about 15 ms sooner for every command that calls an endpoint than a cache of `--help`
// alone, whose functions a command then compiled as it ran, for 0.4 MB more cache to read.
const cacheRun = mkdtempSync(join(tmpdir(), 'ddbctl-build-'));
try {
  const run = (args, env = {}) =>
    execFileSync(process.execPath, [join(root, 'dist/cli/bin.cjs'), '--data-dir', cacheRun, '-q', ...args], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, ...env },
    });
  run(['create-table', 'build_cache', '--pk', 'pk:S']);
  run(['put', 'build_cache', '{"pk":"a","n":1,"s":"x","l":[true,null],"m":{"b":"x"}}']);
  run(['get', 'build_cache', '{"pk":"a"}'], { DDBCTL_BUILD_CODE_CACHE: '1' });
} finally {
  rmSync(cacheRun, { recursive: true, force: true });
}
if (!existsSync(codeCache)) throw new Error(`build: ${codeCache} was not written`);
// The command as npm installs it (npm link, a clone's dist/cli/bin.cjs run directly).
chmodSync(join(root, 'dist/cli/bin.cjs'), 0o755);
// The command's path before it was CommonJS: a global command that `npm link` made then is a link to
// dist/cli/bin.js, and still works after a rebuild. (It pays the ESM loader's ~3 ms; `npm link`
// again links bin.cjs.)
writeFileSync(
  join(root, 'dist/cli/bin.js'),
  "#!/usr/bin/env node\n// ddbctl's command was here before dist/cli/bin.cjs; links made then still run it.\nimport { createRequire } from 'node:module';\n\ncreateRequire(import.meta.url)('./bin.cjs');\n",
);
chmodSync(join(root, 'dist/cli/bin.js'), 0o755);
// The web app of `ddbctl ui` (ui/, Preact): Vite bundles it into dist/ui, which the server serves as
// it is. Every asset is a file there (nothing from the network, no inline script or style: the
// page's Content-Security-Policy is default-src 'self'), named relative to the page.
const { build: viteBuild } = await import('vite');
await viteBuild({
  configFile: false,
  root: join(root, 'ui'),
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: join(root, 'dist/ui'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
// Last: the build is whole (see scripts/buildInputs.mjs).
writeFileSync(join(root, STAMP), `${inputs}\n`);
