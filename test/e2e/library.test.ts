// End-to-end: the packed package as a program installs it. `npm pack`, unpacked into a fresh
// project's node_modules/ddbctl (its dependencies reached through links to this repository's
// node_modules: no registry), then the README's library example, type-checked by tsc and run as an
// ES module and as CommonJS against `ddbctl serve`.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, noCredentials, removeTempDirs, root, run, tempDir } from './binary.js';

let server: ChildProcess | undefined;
let endpoint = '';
let project = '';

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
  }
  removeTempDirs();
});

/** The README's library example: the first ts block of its "## The library" section. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The library'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m?.[1]) throw new Error('README has no ts example under "## The library"');
  return m[1];
}

beforeAll(async () => {
  project = tempDir('ddbctl-consumer-');
  const packed = tempDir('ddbctl-pack-');
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', packed], {
    cwd: root,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop() as string;
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  execFileSync('tar', ['xzf', join(packed, name), '-C', modules]);
  renameSync(join(modules, 'package'), join(modules, 'ddbctl'));
  // The dependencies, as installed here (node resolves links to where they are).
  for (const dep of readdirSync(join(root, 'node_modules'))) {
    if (dep === 'ddbctl' || dep.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', dep), join(modules, dep));
  }
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: ['node'],
        skipLibCheck: true,
        outDir: 'out',
      },
      include: ['*.mts', '*.cts'],
    }),
  );
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));

  server = spawn(process.execPath, [bin, '--memory', 'serve', '--port', '0'], {
    env: noCredentials(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  endpoint = await new Promise<string>((res, rej) => {
    server?.stdout?.on('data', (d: Buffer) => res(d.toString().trim()));
    server?.on('exit', (c) => rej(new Error(`serve exited with ${c}`)));
  });
  const example = readmeExample().replace('http://127.0.0.1:8000', endpoint);
  writeFileSync(join(project, 'esm.mts'), example);
  // CommonJS has no top-level await: the same statements inside an async function.
  const lines = example.split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  writeFileSync(
    join(project, 'cjs.cts'),
    `${imports.join('\n')}\nvoid (async () => {\n${body.join('\n')}\n})();\n`,
  );
  // ddbctl/engine as a test suite uses it: start, a client from clientConfig, close.
  const engineUse = [
    "import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';",
    "import { startEngine, type TestEngine } from 'ddbctl/engine';",
    'const main = async () => {',
    '  const engine: TestEngine = await startEngine();',
    '  const ddb = new DynamoDBClient(engine.clientConfig);',
    "  const key = { AttributeName: 'id', KeyType: 'HASH' as const };",
    "  const def = { AttributeName: 'id', AttributeType: 'S' as const };",
    "  await ddb.send(new CreateTableCommand({ TableName: 'Users', KeySchema: [key], AttributeDefinitions: [def], BillingMode: 'PAY_PER_REQUEST' }));",
    "  console.log((await ddb.send(new ListTablesCommand({}))).TableNames?.join(','));",
    '  ddb.destroy();',
    '  await engine.close();',
    '};',
    'void main();',
  ].join('\n');
  writeFileSync(join(project, 'engine.mts'), engineUse);
  writeFileSync(join(project, 'engine.cts'), engineUse);
  // Type-checked as a program would be: the package's own declarations, for import and require.
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], {
    cwd: project,
  });
}, 180_000);

describe('the packed library in a project of its own', () => {
  for (const [kind, file] of [
    ['an ES module', 'esm.mjs'],
    ['CommonJS', 'cjs.cjs'],
  ] as const) {
    it(`runs the README example as ${kind}, printing nothing of its own`, async () => {
      if (kind === 'CommonJS')
        expect(readFileSync(join(project, 'out', file), 'utf8')).toContain('require("ddbctl")');
      const r = await run(process.execPath, [join(project, 'out', file)], {
        cwd: project,
        // Not the CLI's switch of the SDK's Node-version warning: the library must stop it itself.
        env: { ...noCredentials(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' },
      });
      expect(r.stdout.trim().split('\n')).toEqual(['36 12345678901234567890.5', 'input.item']);
      expect(r.stderr).toBe('');
    });
  }

  for (const file of ['engine.mjs', 'engine.cjs']) {
    it(`starts ddbctl/engine from ${file.endsWith('cjs') ? 'CommonJS' : 'an ES module'} and serves an SDK client`, async () => {
      if (file === 'engine.cjs') {
        expect(readFileSync(join(project, 'out', file), 'utf8')).toContain('require("ddbctl/engine")');
      }
      const r = await run(process.execPath, [join(project, 'out', file)], {
        cwd: project,
        env: noCredentials(),
      });
      expect(r.stdout).toBe('Users\n');
    });
  }

  // A test suite pays for loading ddbctl/engine before every run: each entry is one file (loading
  // the engine's ~60 modules one by one took longer than starting it), which reaches no other
  // file of ddbctl's and, of packages, only node's and the SDK's (the program's own copy).
  it('ships ddbctl/engine as one file for ES modules and for CommonJS', () => {
    for (const entry of ['dist/engine/public.js', 'dist/cjs/engine.js']) {
      const code = readFileSync(join(project, 'node_modules/ddbctl', entry), 'utf8');
      const loaded = [
        ...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g),
      ].map((m) => m[1] as string);
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.filter((name) => !/^(node:|@smithy\/|@aws-sdk\/)/.test(name))).toEqual([]);
    }
  });

  it('recognises a DdbError from the ESM build with the CommonJS isDdbError, and back', async () => {
    writeFileSync(
      join(project, 'both.mjs'),
      [
        "import { createRequire } from 'node:module';",
        "const esm = await import('ddbctl');",
        "const cjs = createRequire(import.meta.url)('ddbctl');",
        "const e = new esm.DdbError('input.item', { message: 'from ESM' });",
        "const c = new cjs.DdbError('input.key', { message: 'from CommonJS' });",
        'console.log(esm.DdbError === cjs.DdbError, cjs.isDdbError(e, "input.item"), e instanceof cjs.DdbError, esm.isDdbError(c), c instanceof esm.DdbError);',
      ].join('\n'),
    );
    const r = await run(process.execPath, [join(project, 'both.mjs')], {
      cwd: project,
      env: noCredentials(),
    });
    expect(r.stdout.trim()).toBe('false true true true true');
  });

  // The SDK warns only on Node < 22: elsewhere there is nothing to keep.
  it.runIf(Number(process.versions.node.split('.')[0]) < 22)(
    "leaves the SDK's warning to the program's own clients (its state is put back)",
    async () => {
      writeFileSync(
        join(project, 'own.mjs'),
        [
          "import { createClients } from 'ddbctl';",
          "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
          `createClients({ region: 'us-east-1', endpoint: '${endpoint}', credentials: 'local', label: 'l' }).destroy();`,
          "new DynamoDBClient({ region: 'us-east-1' }).destroy();",
        ].join('\n'),
      );
      const r = await run(process.execPath, [join(project, 'own.mjs')], {
        cwd: project,
        env: { ...noCredentials(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '' },
      });
      expect(r.stderr).toContain('NodeVersionSupportWarning');
    },
  );
});
