#!/usr/bin/env node
// `npm run bench:engine`: the engines side by side in one run, on the same items (issue 13,
// "Speed"): ddbctl's embedded engine in-process (`ddbctl --data-dir D import/export/get`), the same
// engine over HTTP (`ddbctl serve --memory`), dynalite on its own and DynamoDB Local. Import and
// export (ddbctl, and the raw loop as each HTTP engine's limit), GetItem p50/p99, a cold `ddbctl
// get`; with --million, the start-up and RSS of the embedded engine holding a million items. The
// targets are ratios to the same run's figures. Writes its section of BENCHMARKS.md. Every process
// it starts listens on, and every request goes to, 127.0.0.1 inside a loopback-only namespace.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { admin, dataDirAdmin } from './admin.mjs';
import { writeItems } from './data.mjs';
import { bin, ddbLocalUnavailable, root, startEmbedded } from './env.mjs';
import { loadAverage, memoryMb, run } from './measure.mjs';
import { fmt, renderEngine, withEngineSection } from './report.mjs';
import {
  embeddedEngine,
  flags,
  machine,
  OURS,
  session,
  setUp,
  sharedSettings,
  shownCommand,
  whole,
} from './steps.mjs';

const HELP = `npm run bench:engine -- [options]

  --quick               10,000 items, one round, raw limit at 8 in flight only; report to a temp
                        file (unless --out)
  --items N             items imported, exported and read per engine (default 100,000)
  --levels 4,8,16       raw loop concurrency / segments tried on each HTTP engine (default 4,8,16)
  --repeat R            rounds of the raw loop and ddbctl, the best of each kept (default 2)
  --gets G              GetItem calls timed, one at a time (default 2,000)
  --cold C              runs of a cold \`ddbctl get\`, the median kept (default 5)
  --no-ddblocal         skip DynamoDB Local
  --no-dynalite         skip dynalite (then the targets are not measured)
  --baseline REF        the git commit whose build (dynalite embedded) gives the cold \`ddbctl get\`
                        baseline (default: the last commit before the engine switch; none needed
                        while the embedded engine is dynalite)
  --no-baseline         state the issue's 0.35–0.39 s instead of measuring a baseline build
  --million             also the million stage: start-up and RSS of the embedded engine with
                        --million-items items in its data dir (minutes)
  --million-items N     default 1,000,000
  --concurrency C       ddbctl import's --concurrency (default: the raw loop's best on HTTP
                        engines, ddbctl's own default in-process)
  --segments S          ddbctl export's --segments (likewise)
  --max-seconds S       a client taking longer is killed and reported (default 1800)
  --out FILE            the report (default BENCHMARKS.md; with --quick a file in the temp folder)
  --json FILE           also save the results; --from-json FILE writes the report again from them
`;

const o = flags(
  {
    gets: { type: 'string' },
    cold: { type: 'string' },
    'no-dynalite': { type: 'boolean' },
    baseline: { type: 'string' },
    'no-baseline': { type: 'boolean' },
    million: { type: 'boolean' },
    'million-items': { type: 'string' },
  },
  HELP,
);
const cfg = {
  ...sharedSettings(o, { levels: ['4,8,16', '8'], repeat: [2, 1] }),
  // boto3 is bench/run.mjs's comparison, not this one's.
  botoRepeat: 0,
  gets: whole('--gets', o.gets, 10, 1_000_000) ?? 2_000,
  cold: whole('--cold', o.cold, 1, 50) ?? 5,
  dynalite: !o['no-dynalite'],
  baseline: o['no-baseline'] ? false : (o.baseline ?? true),
  million: !!o.million,
  millionItems: whole('--million-items', o['million-items'], 25, 10_000_000) ?? 1_000_000,
};
const defaultOut = (quick) =>
  quick ? join(tmpdir(), 'ddbctl-bench-engine-quick.md') : join(root, 'BENCHMARKS.md');
cfg.out = o.out ?? defaultOut(cfg.quick);

if (o['from-json']) {
  const saved = JSON.parse(readFileSync(o['from-json'], 'utf8'));
  const out = o.out ?? defaultOut(saved.cfg.quick);
  writeFileSync(out, withEngineSection(out, renderEngine(saved)));
  process.stderr.write(`[bench:engine] report written to ${out} from ${o['from-json']}\n`);
  process.exit(0);
}

const log = (msg) => process.stderr.write(`[bench:engine] ${msg}\n`);
const { netns, scratch, env } = setUp(fileURLToPath(import.meta.url), 'bench:engine', log);
const started = Date.now();
const node = process.execPath;
const s = session({ cfg, env, scratch, log });
const m = machine(env);

const embedded = embeddedEngine(root);
const oursName =
  embedded === 'ours'
    ? 'our engine'
    : `dynalite ${m.dynalite} (embedded: this build has no engine of its own yet)`;

const results = { engines: [], inproc: undefined, baseline: undefined, million: undefined };
const loads = [loadAverage()];
log(
  `${netns === 'none' ? 'no private network namespace' : `in ${netns} (loopback only)`}; ${m.nproc} CPUs, load ${loads[0]}; the embedded engine is ${embedded}`,
);
const file = join(scratch, `items-${cfg.items}.ndjson`);
const bytes = await writeItems(file, cfg.items);
await writeItems(s.warmFile, Math.min(cfg.items, 20_000));
log(`${fmt(cfg.items)} items, ${fmt(bytes / cfg.items)} bytes each on average (NDJSON)`);

/** GetItem latency on a table of `n` items: one client process (bench/peers/get.mjs). */
async function gets(where, table, n) {
  const args = [join(root, 'bench', 'peers', 'get.mjs'), ...where, table, String(n), String(cfg.gets)];
  log(`GetItem ×${fmt(cfg.gets)}, one at a time (${where.join(' ')})`);
  const r = await run(node, args, { env, timeoutS: cfg.maxSeconds, scratch });
  if (r.code !== 0 || !r.result) {
    log(`  failed: ${r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300)}`);
    return { ok: false, note: `exit ${r.code}` };
  }
  log(`  p50 ${fmt(r.result.p50, 2)} ms, p99 ${fmt(r.result.p99, 2)} ms (${r.result.door})`);
  return { ok: true, ...r.result };
}

/**
 * The cold gets' environment: the bench's without NODE_EXTRA_CA_CERTS. NOTE: node 20 reads and
 * parses the certificates that variable names as it starts, before any script runs: ~37 ms on a
 * machine whose environment names the system's bundle of CAs, the same for either build and for any
 * program (node 24 here starts as fast with it as without). A get from the embedded
 * engine makes no TLS connection; the target is about the program's start-up. When the variable is
 * set the cold gets are also timed with it (`caCerts`), and the report gives both.
 */
const caCerts = process.env.NODE_EXTRA_CA_CERTS !== undefined;
const coldEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

/**
 * A cold `ddbctl get` of one item on a data dir, process start to exit: `cfg.cold` runs of each of
 * `targets` ({program, dataDir, table}), taking turns, the median of each. NOTE: turns, because on a
 * shared machine the load drifts within seconds: runs of one build after the other's would hand
 * the drift to one of them.
 */
async function coldGets(targets, runEnv = coldEnv) {
  const walls = targets.map(() => []);
  const failed = targets.map(() => undefined);
  for (let i = 0; i < cfg.cold; i++) {
    const key = `{"pk":"user#${String((i * 7919) % cfg.items).padStart(8, '0')}"}`;
    for (const [j, { program, dataDir, table }] of targets.entries()) {
      if (failed[j]) continue;
      const r = await run(node, [program, '--data-dir', dataDir, '-q', '-o', 'json', 'get', table, key], {
        env: runEnv,
        timeoutS: 120,
        scratch,
      });
      if (r.code !== 0 || !r.stdout.includes('user#')) {
        log(`  cold get failed: exit ${r.code} ${r.stderr.trim().slice(-300)}`);
        failed[j] = `exit ${r.code}`;
      } else walls[j].push(r.wall);
    }
  }
  return targets.map((_, j) => {
    if (failed[j]) return { ok: false, note: failed[j] };
    const w = walls[j].sort((a, b) => a - b);
    const median = w[Math.floor(w.length / 2)];
    log(`  cold ddbctl get: median ${fmt(median, 3)} s of ${w.map((x) => fmt(x, 3)).join(', ')}`);
    return { ok: true, median, walls: w };
  });
}

/**
 * The embedded engine in-process: each ddbctl import runs on a data dir of its own (a table made
 * there first, not measured), the exports and the gets on the first one kept, which stays for the
 * cold gets (`cold`: where they run). ddbctl's own defaults for --concurrency and --segments unless
 * given: a user runs them so.
 */
async function inProcess(program, key, title, dirs) {
  const imports = [];
  let kept;
  for (let i = 0; i < cfg.repeat; i++) {
    const dataDir = join(dirs, `${key}-${i}`);
    const ctx = {
      key,
      title,
      dataDir,
      program,
      admin: dataDirAdmin(env, dataDir, program),
      file,
      n: cfg.items,
      watch: {},
    };
    const r = await s.importOnce(ctx, 'ddbctl', cfg.concurrency, true);
    imports.push(r);
    if (r.table && !kept) kept = { ctx, table: r.table };
    else rmSync(dataDir, { recursive: true, force: true });
  }
  const out = { title, imp: s.pick(imports) };
  if (!kept) return out;
  if (program === bin) {
    const exports = [];
    for (let i = 0; i < cfg.repeat; i++)
      exports.push(await s.exportOnce(kept.ctx, 'ddbctl', cfg.segments, kept.table));
    out.exp = s.pick(exports);
    out.gets = await gets(['--data-dir', kept.ctx.dataDir], kept.table, cfg.items);
  }
  // Kept for the cold gets (coldGets), which the caller runs and then removes.
  out.cold = { program, dataDir: kept.ctx.dataDir, table: kept.table };
  return out;
}

/**
 * The build the cold `ddbctl get` is compared with: `REF`'s sources (git archive) built in the temp
 * folder with this checkout's node_modules, kept there for the next run. By default the commit before
 * the one that switched src/engine/index.ts to our engine (its embedded engine was dynalite).
 */
function baselineBuild(ref) {
  const git = (...a) => execFileSync('git', ['-C', root, ...a], { encoding: 'utf8' }).trim();
  let commit;
  if (ref === true) {
    // The oldest commit whose index.ts starts our engine: the one before it embedded dynalite.
    const switched = git('log', '--format=%H', '-G', OURS.source, '--', 'src/engine/index.ts')
      .split('\n')
      .pop();
    if (!switched) throw new Error('no commit of src/engine/index.ts starts our engine: pass --baseline REF');
    commit = git('rev-parse', `${switched}^`);
    if (OURS.test(git('show', `${commit}:src/engine/index.ts`))) {
      throw new Error(`${commit} starts our engine too: pass --baseline REF`);
    }
  } else commit = git('rev-parse', ref);
  const dir = join(tmpdir(), `ddbctl-bench-baseline-${commit.slice(0, 12)}`);
  // The command of that build: dist/cli/bin.cjs beside its bundle.cjs, or (a build from before the
  // launcher was CommonJS, such as the default baseline) dist/cli/bin.js, whose bundle was bin.cjs.
  const launcher = () =>
    join(dir, 'dist', 'cli', existsSync(join(dir, 'dist', 'cli', 'bundle.cjs')) ? 'bin.cjs' : 'bin.js');
  if (!existsSync(launcher())) {
    log(`baseline: building ${commit.slice(0, 12)} in ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tar = spawnSync('sh', ['-c', `git -C "${root}" archive ${commit} | tar -x -C "${dir}"`], {
      stdio: 'inherit',
    });
    if (tar.status !== 0) throw new Error(`git archive ${commit} failed`);
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(node, [join(dir, 'scripts', 'build.mjs')], { cwd: dir, stdio: 'inherit', env });
  } else {
    // NOTE: a build kept from a run in another checkout links that checkout's node_modules, which
    // may be gone: link this one's (the build needs dynalite from it at run time).
    rmSync(join(dir, 'node_modules'), { force: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  }
  return { commit: commit.slice(0, 12), program: launcher() };
}

/** Start-up and RSS of the embedded engine holding `cfg.millionItems` items in its data dir. */
async function millionStage(dirs) {
  const n = cfg.millionItems;
  const big = join(scratch, `items-${n}.ndjson`);
  log(`million: writing ${fmt(n)} items`);
  await writeItems(big, n);
  const dataDir = join(dirs, 'million');
  const ctx = {
    key: 'million',
    title: `${fmt(n)} items`,
    dataDir,
    admin: dataDirAdmin(env, dataDir),
    file: big,
    n,
    watch: {},
  };
  const imp = await s.importOnce(ctx, 'ddbctl', cfg.concurrency, true);
  rmSync(big, { force: true });
  const out = { n, imp };
  if (!imp.table) return out;
  // Start-up: `ddbctl --data-dir D serve` started until its first GetItem is answered (the engine
  // has what it needs of the data dir by then), three times, the median; RSS after the first get and
  // after a COUNT scan has read every item.
  const starts = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const engine = await startEmbedded(env, [], { dataDir });
    s.running.push(engine);
    const a = admin(engine.endpoint);
    try {
      const client = a.client;
      await client.send(new GetItemCommand({ TableName: imp.table, Key: { pk: { S: 'user#00000001' } } }));
      starts.push((performance.now() - t0) / 1000);
      if (i === 0) {
        out.rssAfterGet = memoryMb(engine.pid);
        const count = await a.count(imp.table);
        out.rssAfterScan = memoryMb(engine.pid);
        if (count !== n) out.note = `the data dir holds ${fmt(count)} items, not ${fmt(n)}`;
      }
    } finally {
      a.close();
      await engine.stop();
      s.running.splice(s.running.indexOf(engine), 1);
    }
  }
  out.starts = starts;
  out.startup = [...starts].sort((x, y) => x - y)[1];
  log(
    `million: start-up ${starts.map((x) => fmt(x, 2)).join(', ')} s; RSS ${fmt(out.rssAfterGet?.rss)} MB after a get, ${fmt(out.rssAfterScan?.hwm)} MB at most after a scan`,
  );
  [out.cold] = await coldGets([{ program: bin, dataDir, table: imp.table }]);
  rmSync(dataDir, { recursive: true, force: true });
  return out;
}

const ddbLocalWhyNot = cfg.ddbLocal ? ddbLocalUnavailable(netns) : 'skipped (--no-ddblocal)';
if (ddbLocalWhyNot) log(`DynamoDB Local: ${ddbLocalWhyNot}`);
const dirs = join(scratch, 'data');
mkdirSync(dirs);
try {
  const http = [
    { key: 'http', kind: 'embedded', title: `${oursName} over HTTP (\`ddbctl serve --memory\`)` },
    ...(cfg.dynalite
      ? [{ key: 'dynalite', kind: 'dynalite', title: `dynalite ${m.dynalite} (its own process)` }]
      : []),
    ...(ddbLocalWhyNot ? [] : [{ key: 'ddbl', kind: 'ddblocal', title: `DynamoDB Local ${m.ddbLocal}` }]),
  ];
  results.inproc = await inProcess(bin, 'inproc', `${oursName} in-process (\`ddbctl --data-dir D\`)`, dirs);
  for (const e of http) {
    const sc = await s.scenario({
      key: e.key,
      engine: e.kind,
      title: e.title,
      file,
      n: cfg.items,
      stage: () => s.startStage(e.kind),
      onFilled: (ctx, table) => gets([ctx.endpoint], table, cfg.items),
    });
    results.engines.push({ ...sc, key: e.key });
  }
  // NOTE: a baseline REF given is built and measured even while this build embeds dynalite.
  if (embedded === 'dynalite' && typeof cfg.baseline !== 'string') {
    results.baseline = { same: true, commit: m.git };
  } else if (cfg.baseline !== false) {
    const b = baselineBuild(cfg.baseline);
    const r = await inProcess(
      b.program,
      'base',
      `dynalite ${m.dynalite} embedded (the build of ${b.commit})`,
      dirs,
    );
    results.baseline = { commit: b.commit, ...r };
  }
  // The cold gets, this build's and the baseline's taking turns.
  const cold = [results.inproc, results.baseline].filter((r) => r?.cold?.dataDir);
  const colds = await coldGets(cold.map((r) => r.cold));
  const withCa = caCerts
    ? await coldGets(
        cold.map((r) => r.cold),
        env,
      )
    : [];
  for (const [i, r] of cold.entries()) {
    rmSync(r.cold.dataDir, { recursive: true, force: true });
    r.cold = { ...colds[i], ...(withCa[i]?.ok ? { withCaCerts: withCa[i].median } : {}) };
  }
  if (cfg.million) {
    // NOTE: the last and longest stage: when it fails, what was measured before is still reported.
    results.million = await millionStage(dirs).catch((e) => {
      log(`million: stopped by an error: ${e instanceof Error ? e.stack : e}`);
      return { n: cfg.millionItems, note: `stopped by an error: ${e instanceof Error ? e.message : e}` };
    });
  }
} catch (e) {
  log(`stopped by an error: ${e instanceof Error ? e.stack : e}`);
  await s.cleanup();
  process.exit(1);
}
loads.push(loadAverage());
await s.cleanup();
const minutes = (Date.now() - started) / 60_000;
const data = {
  cfg,
  m,
  netns,
  loads,
  results,
  minutes,
  embedded,
  at: new Date().toISOString(),
  bytes,
  command: shownCommand('bench:engine'),
};
if (o.json) writeFileSync(o.json, `${JSON.stringify(data, null, 1)}\n`);
const section = renderEngine(data);
writeFileSync(cfg.out, withEngineSection(cfg.out, section));
process.stdout.write(section);
log(`report written to ${cfg.out}${o.json ? `, results to ${o.json}` : ''} (${fmt(minutes, 1)} minutes)`);
