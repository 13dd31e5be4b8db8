#!/usr/bin/env node
// The ddbctl command. `npm run build` bundles the CLI into one CommonJS file beside this one,
// bin.cjs, and saves V8's compiled code for it in bin.cjs.cache; this file loads the bundle with
// that cache (node 20 has no compile cache of its own for a script it loads), so a command does not
// compile 2 MB of JavaScript before it starts: about 0.1 s of every command's start-up (see
// scripts/build.mjs). Without the bundle (tsc's output alone) it loads the modules.
import { existsSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type Main = (argv: string[]) => Promise<number>;

// NOTE: the SDK warns on every run that its releases after January 2027 need Node 22; the
// versions ddbctl pins support Node 20, so the warning only adds noise to every command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The one handler of write errors on stdout and stderr, whatever command wrote. A reader that goes
 * away (`ddbctl scan T | head`, EPIPE) is not an error of ours: stop quietly with the exit code so
 * far. Any other (a full disk, ENOSPC; an I/O error) ends the command with one line on stderr and
 * exit code 1; nothing more can be written there, and a stack trace would only hide the reason.
 */
function onWriteError(name: 'standard output' | 'standard error') {
  return (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
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

/**
 * The bundle's `main`, compiled with the saved code when V8 accepts it (a cache from another node
 * or V8 version is refused, and the bundle is compiled as usual). `save()` writes the cache from
 * what this run compiled: the build calls it (DDBCTL_BUILD_CODE_CACHE), a command never does.
 */
function loadBundle(file: string): { main: Main; save: () => void } {
  const cacheFile = `${file}.cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {}
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const mod = { exports: {} as { main: Main } };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, dirname(file));
  return {
    main: mod.exports.main,
    save: () => {
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
    },
  };
}

const bundle = fileURLToPath(new URL('./bin.cjs', import.meta.url));
const loaded = existsSync(bundle) ? loadBundle(bundle) : undefined;
const main: Main = loaded?.main ?? (await import('./main.js')).main;
process.exitCode = await main(process.argv.slice(2));
if (process.env.DDBCTL_BUILD_CODE_CACHE === '1') loaded?.save();
