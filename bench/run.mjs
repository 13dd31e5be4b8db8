#!/usr/bin/env node
// `npm run bench`: ddbctl's import and export, side by side with boto3 and with the raw limit of the
// same endpoint, on the embedded engine and on DynamoDB Local, locally and behind a 10 ms proxy;
// then ddbctl's peak RSS for a million items and CPU profiles of an import. Writes BENCHMARKS.md.
// See `npm run bench -- --help`. Every process it starts listens on, and every request goes to,
// 127.0.0.1 inside a loopback-only network namespace.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { admin } from './admin.mjs';
import { summariseFile } from './cpuprofile.mjs';
import { writeItems } from './data.mjs';
import { bin, ddbLocalUnavailable, root, startEmbedded, unbundledBin } from './env.mjs';
import { hasGnuTime, loadAverage, run } from './measure.mjs';
import { fmt, render, withSectionOf } from './report.mjs';
import {
  embeddedEngine,
  flags,
  machine,
  session,
  setUp,
  sharedSettings,
  shownCommand,
  whole,
} from './steps.mjs';

const HELP = `npm run bench -- [options]

  --quick               10,000 items, no RSS run (unless --rss); report to a temp file (unless --out)
  --items N             items imported and exported per run (default 100,000)
  --rss / --no-rss      peak RSS of ddbctl importing and exporting --rss-items items (default: on,
                        off with --quick)
  --rss-items N         default 1,000,000
  --no-ddblocal         skip DynamoDB Local
  --no-proxy            skip the runs behind the latency proxy
  --proxy-ms MS[,MS]    latency the proxy adds to every request; several: a scenario each (default 10,50)
  --proxy-wcu WCU       also import with no flags through the proxy playing a table of WCU write
                        units a second (default 2000; 0: not)
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

const o = flags(
  {
    rss: { type: 'boolean' },
    'no-rss': { type: 'boolean' },
    'rss-items': { type: 'string' },
    'no-proxy': { type: 'boolean' },
    'proxy-ms': { type: 'string' },
    'proxy-ddblocal': { type: 'boolean' },
    'proxy-wcu': { type: 'string' },
    'no-profile': { type: 'boolean' },
    'boto3-repeat': { type: 'string' },
  },
  HELP,
);
const cfg = {
  ...sharedSettings(o, { levels: ['1,2,4,8,16,32', '1,2,4,8,16,32'], repeat: [4, 2] }),
  rss: o['no-rss'] ? false : (o.rss ?? !o.quick),
  rssItems: whole('--rss-items', o['rss-items'], 25, 10_000_000) ?? 1_000_000,
  proxy: !o['no-proxy'],
  proxyMs: (o['proxy-ms'] ?? '10,50').split(',').map((v) => whole('--proxy-ms', v, 0, 1000)),
  proxyDdbLocal: !!o['proxy-ddblocal'],
  proxyWcu: whole('--proxy-wcu', o['proxy-wcu'], 0, 1_000_000) ?? 2000,
  profile: !o['no-profile'],
  botoRepeat: whole('--boto3-repeat', o['boto3-repeat'], 1, 10),
  freshEngines: true,
};
cfg.botoRepeat = Math.min(cfg.botoRepeat ?? 3, cfg.repeat);
cfg.out = o.out ?? (cfg.quick ? join(tmpdir(), 'ddbctl-bench-quick.md') : join(root, 'BENCHMARKS.md'));
cfg.json = o.json;

if (o['from-json']) {
  const saved = JSON.parse(readFileSync(o['from-json'], 'utf8'));
  const out =
    o.out ?? (saved.cfg.quick ? join(tmpdir(), 'ddbctl-bench-quick.md') : join(root, 'BENCHMARKS.md'));
  writeFileSync(out, withSectionOf(out, render(saved)));
  process.stderr.write(`[bench] report written to ${out} from ${o['from-json']}\n`);
  process.exit(0);
}

const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const { netns, scratch, env } = setUp(fileURLToPath(import.meta.url), 'bench', log);
const started = Date.now();
const node = process.execPath;
const peers = join(root, 'bench', 'peers');

// Issue 18: ddbctl's transfers timed as the raw loop's are, without the process's start-up.
const s = session({ cfg, env, scratch, log, transferTime: true });
const m = machine(env);
const embedded = embeddedEngine();
const embeddedName = embedded === 'ours' ? "ddbctl's own" : `dynalite ${m.dynalite}`;
const {
  ddbctlImport,
  ddbctlExport,
  running,
  cleanup,
  warmFile,
  nextTable,
  checkpoint,
  startStage,
  importOnce,
  exportOnce,
  scenario,
} = s;

// ---------------------------------------------------------------------------------------------
const results = { scenarios: [], rss: undefined, profile: undefined, startup: {}, transferTime: true };
const loads = [loadAverage()];
const file = join(scratch, `items-${cfg.items}.ndjson`);
log(
  `${netns === 'none' ? 'no private network namespace' : `in ${netns} (loopback only)`}; ${m.nproc} CPUs, load ${loads[0]}; scratch ${scratch}`,
);
const bytes = await writeItems(file, cfg.items);
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
      title: `embedded engine (${embeddedName}, \`ddbctl serve --memory\`)`,
    },
    ...(ddbLocalWhyNot ? [] : [{ key: 'ddbl', engine: 'ddblocal', title: `DynamoDB Local ${m.ddbLocal}` }]),
  ];
  // Each engine, then behind the proxy the embedded one (and DynamoDB Local with --proxy-ddblocal).
  const plan = [
    ...engines.map((e) => ({ ...e, stage: () => startStage(e.engine) })),
    ...(cfg.proxy ? engines.filter((e) => e.key === 'emb' || cfg.proxyDdbLocal) : []).flatMap((e) =>
      cfg.proxyMs.map((ms) => ({
        key: `${e.key}-proxy${ms}`,
        engine: `${e.engine}+proxy`,
        title: `${e.title} behind a +${ms} ms proxy`,
        stage: () => startStage(e.engine, ms),
        proxy: true,
        proxyMs: ms,
      })),
    ),
  ];
  for (const { proxy, proxyMs, ...ctx } of plan) {
    const sc = await scenario({ ...ctx, file, n: cfg.items });
    results.scenarios.push(proxy ? { ...sc, proxy, proxyMs } : sc);
  }

  if (cfg.proxy && cfg.proxyWcu) results.capacity = await capacityRun();
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
  const table = nextTable('prof');
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
  const t2 = nextTable('prof');
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

/**
 * Issue 18: ddbctl import with no flags against the proxy playing a provisioned table (+10 ms a
 * call, cfg.proxyWcu write units a second): the rate it settled at (the proxy's units over its
 * first to last write call) against the set rate, and the share of calls throttled.
 */
async function capacityRun() {
  const ms = cfg.proxyMs[0] ?? 10;
  const stage = await startStage('embedded', ms, cfg.proxyWcu);
  try {
    const ctx = {
      key: 'wcu',
      engine: 'embedded+proxy',
      title: `a table of ${fmt(cfg.proxyWcu)} WCU behind +${ms} ms`,
      ...stage,
      file,
      n: cfg.items,
    };
    const imp = await importOnce(ctx, 'ddbctl', 0, false);
    const stats = await (await fetch(`${stage.endpoint}/__stats`)).json();
    const seconds = (stats.last - stats.first) / 1000;
    return {
      wcu: cfg.proxyWcu,
      ms,
      imp,
      settled: seconds > 0 ? stats.units / seconds : undefined,
      calls: stats.calls,
      throttled: stats.throttled,
    };
  } finally {
    await stage.stop();
  }
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
  embedded,
  gnuTime: hasGnuTime,
  command: shownCommand('bench'),
};
if (cfg.json) writeFileSync(cfg.json, `${JSON.stringify(data, null, 1)}\n`);
const report = render(data);
writeFileSync(cfg.out, withSectionOf(cfg.out, report));
process.stdout.write(report);
log(`report written to ${cfg.out}${cfg.json ? `, results to ${cfg.json}` : ''} (${fmt(minutes, 1)} minutes)`);
