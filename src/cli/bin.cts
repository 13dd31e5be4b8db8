#!/usr/bin/env node
// The ddbctl command. `npm run build` bundles the CLI into one CommonJS file beside this one,
// bundle.cjs, and saves V8's compiled code for it in bundle.cjs.<V8 version>.cache; this file loads
// the bundle so that a command does not compile 2 MB of JavaScript before it starts (about 0.1 s of
// every command's start-up; see scripts/build.mjs). CommonJS itself (dist/cli/bin.cjs): an ES
// module as the program costs node's ESM loader and its facades of node's modules, ~3 ms of every
// command. The bundle is loaded:
// - with the build's cache, through vm.Script's cachedData, when it was made by this node's V8
//   (node 20 has no compile cache of its own for a script it loads; and on node 24 this is still
//   ~15 ms sooner than node's own cache: the build's holds what a run compiled, not only the
//   top level);
// - otherwise, on node ≥ 22.1 (a build made on another node), with node's own compile cache
//   (module.enableCompileCache: written on the first run, in the temp folder, used by the next);
// - otherwise (node 20, another V8) compiled as it is.
// Without the bundle (tsc's output alone) it loads the modules.
import fs = require('node:fs');
import Module = require('node:module');
import path = require('node:path');
import vm = require('node:vm');

const { existsSync, readFileSync, renameSync, writeFileSync, writeSync } = fs;

type Main = (argv: string[]) => Promise<number>;

// NOTE: the SDK warns on every run that its releases after January 2027 need Node 22; the
// versions ddbctl pins support Node 20, so the warning only adds noise to every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The signals a command may stop on (signals.ts's, which lives in the bundle). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long a command listening for a stop signal gets, once its reader is gone, for the signal to come. */
const READER_GONE_MS = 50;
/** Whether the reader of stdout is gone (the exit for it set once). */
let readerGone = false;

/**
 * The reader of stdout is gone. A Ctrl-C of a pipeline (`ddbctl tail T | jq`) ends the reader too,
 * and the closed pipe may be seen before the signal is: a command that handles the signal (it has
 * listeners) gets READER_GONE_MS for it to come, and then ends as the signal ends it (its summary
 * on stderr, exit 130). Meanwhile what it writes to stderr is dropped, and without the signal the
 * process ends as it would have at once, with the exit code so far: the command's own words on a
 * closed stdout (`export T - | head`: "cannot write stdout") are not the user's business.
 */
function readerIsGone(): void {
  if (readerGone) return;
  readerGone = true;
  const code = process.exitCode ?? 0;
  if (!STOP_SIGNALS.some((s) => process.listenerCount(s) > 0)) process.exit(code);
  const write = process.stderr.write;
  process.stderr.write = ((...args: Parameters<typeof write>) => {
    const done = args.find((a) => typeof a === 'function') as ((e?: Error | null) => void) | undefined;
    done?.();
    return true;
  }) as typeof write;
  const timer = setTimeout(() => process.exit(code), READER_GONE_MS);
  const signalled = () => {
    clearTimeout(timer);
    process.stderr.write = write;
    for (const s of STOP_SIGNALS) process.off(s, signalled);
  };
  // Before the command's own handler: what it says of the stop is written.
  for (const s of STOP_SIGNALS) process.prependListener(s, signalled);
}

/**
 * The one handler of write errors on stdout and stderr, whatever command wrote. A reader that goes
 * away (`ddbctl scan T | head`, EPIPE) is not an error of ours: stop quietly with the exit code so
 * far. Any other (a full disk, ENOSPC; an I/O error) ends the command with one line on stderr and
 * exit code 1; nothing more can be written there, and a stack trace would only hide the reason.
 */
function onWriteError(name: 'standard output' | 'standard error') {
  return (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return readerIsGone();
    if (name === 'standard output') {
      // "ENOSPC: no space left on device, write" → "no space left on device (ENOSPC)".
      const why = /^[A-Z0-9_]+: (.*?)(?:, \w+)?$/.exec(e.message)?.[1] ?? e.message;
      try {
        writeSync(2, `ddbctl: error: cannot write to ${name}: ${why}${e.code ? ` (${e.code})` : ''}\n`);
      } catch {}
    }
    process.exit(1);
  };
}
process.stdout.on('error', onWriteError('standard output'));
process.stderr.on('error', onWriteError('standard error'));

/** The build's code cache for `bundle`, named by the V8 that made it (another V8 refuses it). */
const codeCacheFile = (bundle: string): string => `${bundle}.${process.versions.v8}.cache`;

/**
 * The bundle's `main`, compiled with the saved code when there is some for this V8 (V8 still
 * refuses a damaged one, and the bundle is compiled as usual). `save()`, there only when the build
 * asks (DDBCTL_BUILD_CODE_CACHE), writes the cache from what this run compiled.
 */
function loadBundle(file: string): { main: Main; save?: () => void } {
  const cacheFile = codeCacheFile(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {}
  const building = process.env.DDBCTL_BUILD_CODE_CACHE === '1';
  // NOTE: node ≥ 22.1 only (and not in @types/node 20); it keeps its cache in the temp folder, or
  // where NODE_COMPILE_CACHE says.
  const { enableCompileCache } = Module as { enableCompileCache?: () => unknown };
  if (!cachedData && !building && enableCompileCache) {
    enableCompileCache();
    return { main: (Module.createRequire(file)(file) as { main: Main }).main };
  }
  // NOTE: latin1, not utf8: the build writes the bundle in ASCII alone (scripts/build.mjs), and a
  // one-byte read of its 3 MB is about 9 ms sooner than decoding UTF-8.
  const script = new vm.Script(Module.wrap(readFileSync(file, 'latin1')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const mod = { exports: {} as { main: Main } };
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  const save = () => {
    writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
    renameSync(`${cacheFile}.tmp`, cacheFile);
  };
  return { main: mod.exports.main, ...(building ? { save } : {}) };
}

/**
 * The 1-based position of the first argument that was not valid UTF-8, if any can be told.
 * NOTE: Node decodes argv itself and puts U+FFFD in place of invalid bytes, so `put T '<bytes>'`
 * would store other text than given. Where the raw bytes can be read (Linux: /proc/self/cmdline,
 * read only when an argument holds U+FFFD) such an argument is refused as invalid UTF-8 in a file
 * is. Elsewhere a replaced byte cannot be told from a real U+FFFD, and the argument is taken as
 * Node decoded it: give such text in a file or on stdin, where it is checked.
 */
function invalidArgument(args: string[]): number | undefined {
  if (!args.some((a) => a.includes('\uFFFD'))) return undefined;
  let raw: Buffer;
  try {
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
  const parts: Buffer[] = [];
  for (let i = 0; i < raw.length; ) {
    const end = raw.indexOf(0, i);
    parts.push(raw.subarray(i, end === -1 ? raw.length : end));
    i = end === -1 ? raw.length : end + 1;
  }
  // node's own options and the script come first; the command's arguments are the last ones.
  if (parts.length < args.length) return undefined;
  const strict = new TextDecoder('utf-8', { fatal: true });
  const i = parts.slice(parts.length - args.length).findIndex((p) => {
    try {
      strict.decode(p);
      return false;
    } catch {
      return true;
    }
  });
  return i === -1 ? undefined : i + 1;
}

const args = process.argv.slice(2);
const invalid = invalidArgument(args);
if (invalid !== undefined) {
  const shown = JSON.stringify(args[invalid - 1]!.slice(0, 40));
  process.stderr.write(
    `ddbctl: error: argument ${invalid} (${shown}, as decoded) is not valid UTF-8 text; give it in UTF-8, or give the item in a file or on stdin\n`,
  );
  process.exit(2);
}

const bundle = path.join(__dirname, 'bundle.cjs');
const loaded = existsSync(bundle) ? loadBundle(bundle) : undefined;
/** tsc's modules when there is no bundle (a checkout built without it); one line when they are not there either. */
async function unbundled(): Promise<Main> {
  try {
    return (await import('./main.js')).main;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    process.stderr.write(
      `ddbctl: error: its program is not beside ${__filename} (bundle.cjs, or main.js and the packages it imports): reinstall ddbctl, or link to its dist/cli/bin.cjs instead of copying it\n`,
    );
    process.exit(1);
  }
}

/** Exit codes of a run a signal stopped (128 + SIGHUP 1, SIGINT 2, SIGTERM 15): signals.ts. */
const STOPPED_CODES = new Set([129, 130, 143]);

/**
 * End the process with `code` once what it wrote to stdout and stderr is out. For a run a signal
 * stopped: it has said what it did and saved its checkpoint, and a timer left behind (the SDK's wait
 * before another attempt of a call, up to 20 s with AWS_MAX_ATTEMPTS raised) must not hold the
 * process up after its last line.
 */
function exitWhenWritten(code: number): void {
  let left = 2;
  const done = () => {
    if (--left === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength === 0) done();
    else stream.write('', done);
  }
}

void (async () => {
  const main: Main = loaded?.main ?? (await unbundled());
  const code = await main(args);
  process.exitCode = code;
  // NOTE: the build checks that the cache was written; a command run with the variable left set
  // where it cannot write (an install of another user) ends as it did, without a stack trace.
  try {
    loaded?.save?.();
  } catch {}
  if (STOPPED_CODES.has(code)) exitWhenWritten(code);
})();
