// The report (BENCHMARKS.md) from the results of a run: run.mjs measures, this only writes. The
// results can be saved (--json) and written again (--from-json) without measuring.
import { existsSync, readFileSync } from 'node:fs';
import { toMarkdown } from './cpuprofile.mjs';

export const fmt = (n, d = 0) =>
  n == null || Number.isNaN(n)
    ? '—'
    : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (x) => (x == null || Number.isNaN(x) ? '—' : `${Math.round(x * 100)}%`);
const times = (x) => (x == null || Number.isNaN(x) ? '—' : `${x.toFixed(2)}×`);

export const LABELS = {
  raw: 'raw limit (bare loop)',
  'raw-count': 'raw loop, counting only',
  boto3: 'boto3',
  ddbctl: 'ddbctl',
  'ddbctl-standin': 'ddbctl stand-in',
};

const toolName = (r) =>
  r.tool === 'ddbctl-standin' ? `ddbctl stand-in: \`${r.how}\`` : `${LABELS[r.tool]}: ${r.how}`;

/**
 * The rows of one import or export: the raw sweep, then the best of the rounds for each client. An
 * export also has the raw loop that only counts (its sweep and its best), below the raw limit.
 */
function partRows(part) {
  if (!part) return [];
  return [
    ...part.sweep.map((r) => ({ ...r, label: `raw loop, sweep: ${r.how}` })),
    ...(part.countSweep ?? []).map((r) => ({ ...r, label: `raw loop, sweep: ${r.how}` })),
    ...[part.raw, part.count, part.boto, part.mine].filter(Boolean).map((r) => ({
      ...r,
      label: r.tool === 'raw' ? `**raw limit**: ${r.how}` : `**${toolName(r)}**`,
    })),
  ];
}

function table(rows) {
  const lines = [
    '| client | items/s | runs (items/s) | seconds | client CPU s | engine CPU s (busy) | client RSS MB | others (cores) | note |',
    '|---|---:|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const busy = r.engineCpu != null && r.seconds ? ` (${pct(r.engineCpu / r.seconds)})` : '';
    const proxy = r.proxyCpu != null ? `proxy CPU ${fmt(r.proxyCpu, 1)} s` : '';
    const all = r.all ? r.all.map((x) => (x == null ? 'failed' : fmt(x))).join(' · ') : '';
    lines.push(
      `| ${r.label ?? toolName(r)} | ${r.ok ? fmt(r.ips) : 'failed'} | ${all} | ${fmt(r.seconds, 2)} | ${fmt(r.clientCpu, 1)} | ${fmt(r.engineCpu, 1)}${busy} | ${fmt(r.rssMb)} | ${fmt(r.others, 2)} | ${[r.note, proxy].filter(Boolean).join('; ')} |`,
    );
  }
  return lines.join('\n');
}

function ratios(part) {
  const ok = (r) => (r?.ok ? r : undefined);
  const raw = ok(part?.raw);
  const boto = ok(part?.boto);
  const mine = part?.mine;
  return {
    raw,
    boto,
    mine,
    vsRaw: mine?.ok && raw ? mine.ips / raw.ips : undefined,
    vsBoto: mine?.ok && boto ? mine.ips / boto.ips : undefined,
    standin: mine?.tool === 'ddbctl-standin',
  };
}

/**
 * What held a ddbctl run back, from the CPU each process used over its wall time (from /proc).
 * ddbctl's JavaScript runs on one thread, and so does dynalite's: near 100% of a core, that thread
 * is the limit. Otherwise, when the cores left by other processes are full, the CPU is; when
 * neither, the round trips are (more calls in flight would help).
 */
export function limitOf(r, engine, nproc, engineName = 'dynalite') {
  if (!r?.ok || r.clientCpu == null || r.engineCpu == null) return undefined;
  const client = r.clientCpu / r.wall;
  const eng = r.engineCpu / r.wall;
  const free = nproc - (r.others ?? 0);
  const uses = `ddbctl ${fmt(client, 2)} cores, the engine ${fmt(eng, 2)}, other processes ${fmt(r.others, 2)}`;
  if (client >= 0.9) return { what: "ddbctl's own thread", why: `${uses}: ddbctl's one thread was busy` };
  if (engine === 'embedded' && eng >= 0.9) {
    return { what: "the engine's thread", why: `${uses}: ${engineName}'s one thread was busy` };
  }
  if (client + eng >= 0.85 * free) {
    return { what: 'the CPU', why: `${uses}, of ${nproc}: the cores were full` };
  }
  return {
    what: 'the round trips',
    why: `${uses}: neither was busy all the time; more calls in flight would help`,
  };
}

function verdict(value, target, standin, what) {
  if (value == null) return 'not measured';
  const met = value >= target;
  if (standin)
    return `not measured: ddbctl ${what} not available (stand-in: ${met ? 'would meet' : 'misses'})`;
  return met ? '**met**' : '**not met**';
}

/**
 * @param data what run.mjs gathered: { cfg, m (the machine), netns, loads, results, minutes, bytes,
 *   ddbctlImport, ddbctlExport, gnuTime, command, at? }
 * @returns the report's Markdown
 */
export function render(data) {
  const { cfg, m, netns, loads, results, minutes, bytes, ddbctlImport, ddbctlExport, gnuTime, command } =
    data;
  // Results saved before our own engine say nothing of it: they measured dynalite.
  const engineName = data.embedded === 'ours' ? "ddbctl's own engine" : 'dynalite';
  const md = [];
  md.push('# Benchmarks', '');
  md.push(
    `Written by \`npm run bench\` (bench/run.mjs) on ${(data.at ?? new Date().toISOString()).slice(0, 16).replace('T', ' ')} UTC` +
      ` in ${fmt(minutes, 1)} minutes${cfg.quick ? ' (**quick mode**: small runs, noisy figures)' : ''}. Do not edit by hand: run it again.`,
    '',
  );
  md.push('```sh', command, '```', '');
  md.push('## The machine', '');
  md.push(
    `- ${m.nproc} CPUs: ${m.model}; ${fmt(m.memGb, 1)} GB of memory; ${m.kernel}`,
    `- Node ${m.node}; ${m.python}, boto3/botocore ${m.boto3 ?? 'not found'}; ${m.java}`,
    `- engines: ${data.embedded === 'ours' ? "ddbctl's own" : `dynalite ${m.dynalite}`} (the embedded engine, run as \`ddbctl serve --memory\`, its own process); DynamoDB Local ${m.ddbLocal} (\`-inMemory -sharedDb\`, -Xmx2g)`,
    `- clients: @aws-sdk/client-dynamodb ${m.sdk}; ddbctl at ${m.git}`,
    `- network: ${netns === 'none' ? 'no private namespace (DynamoDB Local skipped)' : `\`${netns}\`, loopback only`}; every request went to 127.0.0.1`,
    `- load average (1 min) at the start ${fmt(loads[0], 2)}, at the end ${fmt(loads[1], 2)}`,
    '',
  );
  const allRows = [
    ...results.scenarios.flatMap((sc) => [...partRows(sc.imp), ...partRows(sc.exp)]),
    ...(results.rss ? [results.rss.imp, results.rss.exp].filter(Boolean) : []),
  ].filter((r) => r.others != null);
  const wallSum = allRows.reduce((a, r) => a + r.wall, 0);
  const othersAvg = wallSum ? allRows.reduce((a, r) => a + r.others * r.wall, 0) / wallSum : undefined;
  const othersMax = allRows.reduce((a, r) => Math.max(a, r.others), 0);
  md.push(
    `**Engines and clients share the same ${m.nproc} cores**: the engine, the client (and the proxy) compete for CPU,` +
      ' so a client that needs less CPU leaves more to the engine. The column "others" is the CPU other processes' +
      " of the machine used during each measurement (/proc/stat's busy time minus the client's, the engine's and the" +
      ` proxy's), in cores: over this run ${fmt(othersAvg, 2)} on average, ${fmt(othersMax, 2)} at most.` +
      (othersAvg > 0.25
        ? ' **The machine was not idle**: the figures are lower and noisier than on an idle machine; compare rows with' +
          ' similar "others".'
        : ''),
    '',
  );
  md.push('## How it measures', '');
  md.push(
    `- ${fmt(cfg.items)} items of about ${fmt(bytes / cfg.items)} bytes of NDJSON each (a string key, strings, numbers, a boolean, a list, a map),` +
      ' the same file for every client; each import goes into a fresh on-demand table, and every table is counted afterwards' +
      ' (every export file too): a run that loses an item is reported as failed, not as fast.',
    ...(cfg.freshEngines
      ? [
          '- **An engine per import**: every import run (sweep and rounds, every client) gets an engine process of its own' +
            ` (and a proxy, behind the proxy), warmed up with ${fmt(Math.min(cfg.items, 20_000))} items the raw loop imports and scans` +
            ' (their table stays), and stopped after the run: every client meets the same engine, and no run inherits the heap' +
            ' of the runs before it (the tables they filled and dropped), as on one long-lived engine.' +
            ' The exports share one warmed-up engine holding a table the raw loop filled. A fresh DynamoDB Local (a JVM) is' +
            ' still compiling during the run, so it spends more CPU per item than a long-lived one, whatever the client.',
        ]
      : []),
    `- **raw limit**: bench/peers/raw.mjs, @aws-sdk/client-dynamodb with every request marshalled before the clock starts;` +
      ` BatchWriteItem (25 items) with ${cfg.levels.join(', ')} calls in flight, and a parallel Scan with as many segments (all in flight, 1 MB pages)` +
      " that exports: each item through util-dynamodb's `unmarshall` (numbers kept as the strings DynamoDB sent: exact, but written as JSON strings)," +
      ' one JSON.stringify line per item, a page at a time to a file stream, ended and closed inside its time.' +
      ' A sweep over these levels finds the fastest; the raw limit is then the best of the rounds below at that level.' +
      ' The same Scan loop that only counts the items (no unmarshalling, no output) runs beside it, swept and in the rounds:' +
      ' its rows say "counting only"; no export can do that.' +
      ' Its time excludes its process start and the marshalling (its CPU and RSS include them).',
    "- **boto3**: bench/peers/boto3_import.py (`table.batch_writer()`, numbers as Decimal) and boto3_export.py (`table.scan()` page after page, writing NDJSON) — boto3's documented way, one thread.",
    `- **ddbctl**: the built binary, \`node dist/cli/bin.cjs --endpoint-url URL -q import TABLE FILE --concurrency C\` and \`export TABLE FILE --segments S\`, C and S being the raw loop's best on that endpoint${cfg.concurrency || cfg.segments ? ' (or as given)' : ''}.` +
      " ddbctl reads each plain JSON line straight into request text (one pass that also checks DynamoDB's limits), sends its BatchWriteItem bodies through a client whose middleware stack the SDK caches (`cacheMiddleware`), and reads its Scan pages from the response bytes itself (the SDK still resolves the endpoint, signs, sends, retries and reads each response's status and UnprocessedItems); the raw loop uses the SDK's own marshalling and deserialisation and its default client, as a bare SDK client does." +
      (cfg.freshEngines
        ? " The table has no sort key: ddbctl sends the items in input order (it spreads a partition's items over calls only on a table with one)."
        : '') +
      (results.transferTime
        ? ` ddbctl's import and export times are the transfer's own, from its JSON summary (\`-o json\`: from reading the file's first line to the last call's answer), as the raw loop times its own loop; boto3's are the wall time of the whole process, start-up included (start-up and one ListTables call alone: ddbctl ${fmt(results.startup.ddbctl, 2)} s, boto3 ${fmt(results.startup.boto3, 2)} s, median of 3).`
        : ` ddbctl's and boto3's times are the wall time of the whole process, start-up included (start-up and one ListTables call alone: ddbctl ${fmt(results.startup.ddbctl, 2)} s, boto3 ${fmt(results.startup.boto3, 2)} s, median of 3).`),
    `- client CPU and RSS: ${gnuTime ? 'GNU time' : '/proc sampling'}; engine CPU: /proc/PID/stat of the engine process before and after (busy = engine CPU ÷ seconds; 100% = one core).`,
    // Results saved before --boto3-repeat ran every client in every round, in one fixed order.
    `- ${cfg.repeat} round${cfg.repeat > 1 ? 's' : ''}, each running ` +
      (cfg.botoRepeat !== undefined
        ? 'the raw loop and ddbctl one after the other, taking turns going first' +
          ` (the raw loop first in rounds 1, 3, …), then boto3 in the first ${cfg.botoRepeat};`
        : 'the raw loop, ddbctl and boto3 one after the other;') +
      ' the best run of each client is kept and all are listed ("runs"). Equal tries, close in time: the sweep' +
      " alone would give the raw loop the best of six runs against ddbctl's one." +
      (cfg.botoRepeat !== undefined
        ? ' Turns, because the exports share an engine whose CPU per item drifts from scan to scan: a fixed order' +
          ' would hand the drift to one client.'
        : ''),
    '',
  );
  if (!ddbctlImport || !ddbctlExport) {
    md.push(
      `> **${[!ddbctlImport && 'ddbctl import', !ddbctlExport && 'ddbctl export'].filter(Boolean).join(' and ')} not available** in this build:` +
        ` the targets on ${!ddbctlImport && !ddbctlExport ? 'them' : 'it'} are not measured. The nearest existing commands are measured in` +
        ' their place and marked "stand-in": `batch-write` (NDJSON → BatchWriteItem) and `scan -o ndjson --segments S > FILE`.',
      '',
    );
  }

  // Targets.
  md.push('## Targets (issue 5)', '');
  md.push('| target | measured | |', '|---|---|---|');
  for (const sc of results.scenarios) {
    const i = ratios(sc.imp);
    const e = ratios(sc.exp);
    if (!sc.proxy) {
      md.push(
        `| import ≥ 90% of the raw limit — ${sc.title} | ${pct(i.vsRaw)} | ${verdict(i.vsRaw, 0.9, i.standin, 'import')} |`,
        `| export ≥ 90% of the raw limit — ${sc.title} | ${pct(e.vsRaw)} | ${verdict(e.vsRaw, 0.9, e.standin, 'export')} |`,
      );
    } else {
      md.push(
        `| import ≥ 3× boto3 — ${sc.title} | ${times(i.vsBoto)} | ${verdict(i.vsBoto, 3, i.standin, 'import')} |`,
        `| export ≥ 3× boto3 — ${sc.title} | ${times(e.vsBoto)} | ${verdict(e.vsBoto, 3, e.standin, 'export')} |`,
      );
    }
  }
  if (results.rss) {
    const { imp, exp, n } = results.rss;
    for (const [what, r, avail] of [
      ['import', imp, ddbctlImport],
      ['export', exp, ddbctlExport],
    ]) {
      const v = r?.ok ? r.rssMb : undefined;
      const res = v == null ? 'not measured' : v < 250 ? 'met' : 'not met';
      md.push(
        `| RSS < 250 MB, ${what} of ${fmt(n)} items | ${fmt(v)} MB | ${avail ? `**${res}**` : `not measured: ddbctl ${what} not available (stand-in: ${res})`} |`,
      );
    }
  } else {
    md.push(
      `| RSS < 250 MB for ${fmt(cfg.rssItems)} items | — | not measured (${cfg.quick ? '--quick' : '--no-rss'}) |`,
    );
  }
  md.push('');

  for (const sc of results.scenarios) {
    md.push(`## ${sc.title}`, '');
    for (const [what, part] of [
      ['Import', sc.imp],
      ['Export', sc.exp],
    ]) {
      const r = ratios(part);
      md.push(`### ${what} of ${fmt(sc.n)} items`, '');
      md.push(table(partRows(part)), '');
      const name = r.standin ? `ddbctl stand-in (\`${r.mine?.how}\`)` : 'ddbctl';
      // The raw loop's time has no process start in it; ddbctl's has: show the ratio without it too.
      // (Since issue 18 ddbctl's own time has no start-up in it either: nothing to take away.)
      const up = results.transferTime ? undefined : results.startup.ddbctl;
      // NOTE: only where the start-up is a small part of the run: subtracting a start-up measured
      // apart from a run of about the same length says more about noise than about ddbctl.
      const steady =
        r.mine?.ok && r.raw && up != null && r.mine.seconds > 4 * up
          ? `${pct(sc.n / (r.mine.seconds - up) / r.raw.ips)} without ddbctl's ${fmt(up, 2)} s start-up`
          : r.mine?.ok && up != null
            ? `ddbctl's ${fmt(up, 2)} s start-up is ${pct(up / r.mine.seconds)} of its time`
            : undefined;
      // The best of each against the best of each can pair a fast moment of one with a slow one of
      // the other: each round's pair, run one after the other, shows how far the noise reaches.
      const rounds = (r.mine?.all ?? []).map((v, i) => (v && r.raw?.all?.[i] ? v / r.raw.all[i] : undefined));
      const paired = rounds.filter((x) => x !== undefined).sort((a, b) => a - b);
      const median = paired.length
        ? paired.length % 2
          ? paired[(paired.length - 1) / 2]
          : (paired[paired.length / 2 - 1] + paired[paired.length / 2]) / 2
        : undefined;
      md.push(
        `${name} ÷ raw limit: **${pct(r.vsRaw)}**${steady ? ` (${steady})` : ''};` +
          ` ${name} ÷ boto3: **${times(r.vsBoto)}**; raw limit ÷ boto3: ${times(r.raw && r.boto ? r.raw.ips / r.boto.ips : undefined)}.` +
          (paired.length > 1
            ? ` Round by round, ${name} ÷ the raw loop of the same round: ${rounds.map(pct).join(' · ')} (median ${pct(median)}).`
            : ''),
        '',
      );
    }
  }

  if (results.rss) {
    const { imp, exp, n, method } = results.rss;
    md.push(`## Peak RSS of ddbctl with ${fmt(n)} items (embedded engine)`, '');
    md.push(`Measured with ${method}, for the ddbctl process alone (the engine is another process).`, '');
    md.push(table([imp, exp].filter(Boolean)), '');
  }

  // What limits the numbers.
  md.push('## What limits the numbers', '');
  const perItem = (cpu, n) => (cpu == null ? undefined : (cpu / n) * 1e6);
  for (const sc of results.scenarios.filter((s) => !s.proxy)) {
    const i = ratios(sc.imp);
    const e = ratios(sc.exp);
    const eng = (r) => (r?.ok ? fmt(perItem(r.engineCpu, sc.n)) : '—');
    const cli = (r) => (r?.ok ? fmt(perItem(r.clientCpu, sc.n)) : '—');
    md.push(
      `- **${sc.title}**: at the raw import limit (${fmt(i.raw?.ips)} items/s) the engine was busy ${pct(i.raw?.engineCpu / i.raw?.seconds)} of a core.` +
        ` CPU per item written — engine: ${eng(i.raw)} µs (raw), ${eng(i.mine)} µs (ddbctl), ${eng(i.boto)} µs (boto3);` +
        ` client: ${cli(i.mine)} µs (ddbctl${i.standin ? ' stand-in' : ''}), ${cli(i.boto)} µs (boto3), ${cli(i.raw)} µs (the raw loop's process, reading and marshalling included).` +
        ` Export, per item read — engine: ${eng(e.raw)} µs (raw); client: ${cli(e.mine)} µs (ddbctl${e.standin ? ' stand-in' : ''}), ${cli(e.boto)} µs (boto3).`,
    );
    if (sc.engine === 'embedded' && i.raw?.engineCpu) {
      const cap = 1e6 / perItem(i.raw.engineCpu, sc.n);
      md.push(
        `  ${engineName} runs on one thread: at ${eng(i.raw)} µs per item it cannot write more than ~${fmt(cap)} items/s on one core;` +
          ` the raw loop reached ${pct(i.raw.ips / cap)} of that.`,
      );
    }
    const li = limitOf(i.mine, sc.engine, m.nproc, engineName);
    const le = limitOf(e.mine, sc.engine, m.nproc, engineName);
    const who = i.standin ? 'the ddbctl stand-in' : 'ddbctl';
    if (li) md.push(`  ${who} importing was held back by **${li.what}** (${li.why}).`);
    if (li && i.raw?.ok && i.mine?.ok && /CPU/.test(li.what))
      md.push(
        `  When the cores are full, CPU a client spends per item is CPU the engine does not get: the raw loop reads and marshals every item before its clock starts (its whole process, start-up included, used ${cli(i.raw)} µs per item), ddbctl reads, parses, checks and marshals each item inside its time (${cli(i.mine)} µs per item).`,
      );
    if (le)
      md.push(
        `  ${e.standin ? 'the ddbctl stand-in' : 'ddbctl'} exporting was held back by **${le.what}** (${le.why}).`,
      );
  }
  for (const sc of results.scenarios.filter((s) => s.proxy)) {
    // One call in flight waits the added latency on every call: at most 25 items per (latency +
    // the engine's own time). Only calls in flight (concurrency, segments) hide it.
    const i = ratios(sc.imp);
    const one = sc.imp.sweep.find((r) => r.setting === 1 && r.ok);
    const ms = sc.proxyMs ?? cfg.proxyMs;
    const bound = 25 / (ms / 1000);
    md.push(
      `- **${sc.title}**: with one call in flight a writer cannot pass 25 items per ${ms} ms = ${fmt(bound)} items/s` +
        ` (less the engine's own time): the raw loop with one call in flight did ${fmt(one?.ips)}, boto3 (one call at a time) ${fmt(i.boto?.ips)};` +
        ` ${i.standin ? 'the ddbctl stand-in' : 'ddbctl'} with ${sc.C} in flight ${fmt(i.mine?.ok ? i.mine.ips : undefined)}, the raw loop with ${i.raw?.setting ?? '—'} ${fmt(i.raw?.ips)}.` +
        ' Exports read thousands of items a call (ddbctl pages of 2,000 items, the raw loop and boto3 1 MB pages), so the latency costs them little.',
    );
  }
  // Issue 18: ddbctl with no flags (calls in flight adapting) against the raw loop's best level.
  const bestRaw = (part) =>
    Math.max(0, ...[part?.raw, ...(part?.sweep ?? [])].filter((r) => r?.ok).map((r) => r.ips));
  const bestCount = (part) =>
    Math.max(0, ...[part?.count, ...(part?.countSweep ?? [])].filter((r) => r?.ok).map((r) => r.ips));
  const noFlags = results.scenarios.filter((sc) => sc.imp?.auto || sc.exp?.auto);
  if (noFlags.length) {
    md.push('', '### With no flags (adaptive calls in flight)', '');
    md.push(
      'The raw best of an export is the bare SDK loop that writes every item to an NDJSON file (its sweep and rounds);' +
        ' the last column sets ddbctl against the same loop counting the items and writing nothing, which no export can do.',
      '',
    );
    md.push(
      '| endpoint | import, no flags | of the raw best | export, no flags | of the raw best (NDJSON out) | of the counting loop |',
    );
    md.push('|---|---|---|---|---|---|');
    for (const sc of noFlags) {
      const ri = bestRaw(sc.imp);
      const re = bestRaw(sc.exp);
      const rc = bestCount(sc.exp);
      const ai = sc.imp?.auto?.ok ? sc.imp.auto.ips : undefined;
      const ae = sc.exp?.auto?.ok ? sc.exp.auto.ips : undefined;
      md.push(
        `| ${sc.title} | ${fmt(ai)} items/s | ${ai && ri ? pct(ai / ri) : '—'} of ${fmt(ri)} | ${fmt(ae)} items/s | ${ae && re ? pct(ae / re) : '—'} of ${fmt(re)} | ${ae && rc ? pct(ae / rc) : '—'} of ${fmt(rc)} |`,
      );
    }
  }
  const cap = results.capacity;
  if (cap) {
    md.push(
      '',
      `Against a provisioned table played by the proxy (${fmt(cap.wcu)} write units a second, +${cap.ms} ms a call), \`ddbctl import\` with no flags ${cap.imp?.ok ? 'wrote every item' : `failed (${cap.imp?.note})`}: it settled at ${fmt(cap.settled)} units a second (${cap.settled ? pct(cap.settled / cap.wcu) : '—'} of the set rate, from the first write call to the last), ${fmt(cap.throttled)} of ${fmt(cap.calls)} calls throttled (${cap.calls ? pct(cap.throttled / cap.calls) : '—'}).`,
    );
  }
  const p = results.profile;
  if (p) {
    const share = (s, pred) =>
      s ? s.areas.filter((a) => pred(a.area)).reduce((t, a) => t + a.share, 0) : undefined;
    const idle = (s) => share(s, (a) => a.startsWith('idle'));
    const parse = (s) =>
      share(
        s,
        (a) =>
          a === 'lossless-json' ||
          a === 'node: readline' ||
          a.startsWith('ddbctl core/data') ||
          a.startsWith('ddbctl core/transfer'),
      );
    const sdk = (s) =>
      share(s, (a) => a.startsWith('@aws-sdk/') || a.startsWith('@smithy/') || a.startsWith('@aws-crypto/'));
    const gc = (s) => share(s, (a) => a === 'GC');
    const net = (s) => share(s, (a) => a === 'node: http/net' || a.startsWith('native I/O'));
    const loading = (s) => share(s, (a) => a === 'node: loading modules');
    md.push('');
    md.push(
      `Profiles (\`node --cpu-prof\`, summarised by bench/cpuprofile.mjs; ddbctl run from its modules, not the bundle, so that each package's time has its name) of \`${p.importCmd}\` with ${fmt(p.n)} items` +
        ` on the embedded engine (${fmt(p.importRun.wall, 1)} s; client CPU ${fmt(p.importRun.clientCpu, 1)} s, engine CPU ${fmt(p.importRun.engineCpu, 1)} s).`,
    );
    md.push(
      `The ddbctl process was idle (waiting for the engine) ${pct(idle(p.importClient))} of the time;` +
        ` reading, parsing and converting input (ddbctl's readers, codec and formats; lossless-json for records outside the common shape) took ${pct(parse(p.importClient))},` +
        ` the AWS SDK (endpoint, signing, retries, reading responses) ${pct(sdk(p.importClient))}, node's HTTP and socket I/O ${pct(net(p.importClient))},` +
        ` loading code at start-up ${pct(loading(p.importClient))}, garbage collection ${pct(gc(p.importClient))}.` +
        ` The engine process was idle ${pct(idle(p.engine))} of its time.`,
    );
    // Cores each used over the import's wall time (from /proc, not from the profiles: the engine's
    // profile also covers its own start).
    const busyShare = 1 - (idle(p.importClient) ?? 0);
    const parsing = busyShare > 0 ? (parse(p.importClient) ?? 0) / busyShare : 0;
    const l = limitOf({ ...p.importRun, ok: p.importRun.ok }, 'embedded', m.nproc, engineName);
    const limit = l
      ? `**${l.what}** held the import back (${l.why}); ${pct(parsing)} of ddbctl's busy time went to reading and parsing input${l.what === "ddbctl's own thread" && parsing >= 0.4 ? ': the parser is the limit' : ''}`
      : 'nothing can be said: the profiled import failed';
    md.push('', `In this run ${limit}.`, '');
    md.push(
      `### ddbctl (\`${p.importCmd}\`), client`,
      '',
      p.importClient ? toMarkdown(p.importClient, 15) : 'no profile written',
      '',
    );
    md.push(
      '### The engine (`ddbctl serve --memory`) during that import',
      '',
      p.engine ? toMarkdown(p.engine, 12) : 'no profile written',
      '',
    );
    md.push(
      `### ddbctl (\`${p.exportCmd}\`), client`,
      '',
      `${fmt(p.exportRun.wall, 1)} s; client CPU ${fmt(p.exportRun.clientCpu, 1)} s, engine CPU ${fmt(p.exportRun.engineCpu, 1)} s.`,
      '',
      p.exportClient ? toMarkdown(p.exportClient, 12) : 'no profile written',
      '',
    );
  } else {
    md.push('', 'No profile in this run (--no-profile).', '');
  }
  return `${md
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

// The engine section (bench/engine.mjs) and the start-up section (bench/startup.mjs) live in the
// same file as bench/run.mjs's report, each between its markers: each script writes its own part
// and keeps the others'.
const begin = (script) => `<!-- bench/${script}: begin (generated: do not edit by hand) -->`;
const end = (script) => `<!-- bench/${script}: end -->`;
const SECTIONS = ['engine.mjs', 'startup.mjs'];

/** `report` (run.mjs's) followed by the sections `file` holds now, if any. */
export function withSectionOf(file, report) {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const kept = SECTIONS.map((script) => {
    const b = old.indexOf(begin(script));
    const e = old.indexOf(end(script), b);
    return b === -1 || e === -1 ? '' : `\n${old.slice(b, e + end(script).length)}\n`;
  });
  return `${report}${kept.join('')}`;
}

/** `file`'s text with the section of `script` replaced by `section` (added at the end when absent). */
export function withSection(file, script, section) {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${begin(script)}\n\n${section.trim()}\n\n${end(script)}`;
  const b = old.indexOf(begin(script));
  const e = old.indexOf(end(script), b);
  if (b === -1 || e === -1) return `${old.trimEnd()}\n\n${block}\n`;
  return `${old.slice(0, b)}${block}${old.slice(e + end(script).length)}`;
}

/** `file`'s text with its engine section replaced by `section`. */
export const withEngineSection = (file, section) => withSection(file, 'engine.mjs', section);

/** The cold gets timed with NODE_EXTRA_CA_CERTS as the machine's environment sets it, when it does. */
function coldWithCa(inproc, baseline) {
  const mine = inproc?.cold?.withCaCerts;
  if (mine == null) return '';
  const base = baseline?.cold?.withCaCerts;
  return ` With it, as this machine's environment sets it: ${fmt(mine, 3)} s${base == null ? '' : ` (the baseline ${fmt(base, 3)} s)`}, node's own start-up that much longer for both.`;
}

/**
 * The engine section (bench/engine.mjs): the issue 13 targets as ratios to the same run's figures,
 * the engines side by side, then each engine's rows.
 * @param data what engine.mjs gathered: { cfg, m, netns, loads, results, minutes, embedded, at, bytes, command }
 */
export function renderEngine(data) {
  const { cfg, m, netns, loads, results, minutes, embedded, bytes, command } = data;
  const { inproc, engines, baseline, million } = results;
  const ok = (r) => (r?.ok ? r : undefined);
  const byKey = Object.fromEntries(engines.map((e) => [e.key, e]));
  const dyn = byKey.dynalite;
  const http = byKey.http;
  const md = [];
  md.push('## Engines side by side (issue 13)', '');
  md.push(
    `Written by \`npm run bench:engine\` (bench/engine.mjs) on ${(data.at ?? new Date().toISOString()).slice(0, 16).replace('T', ' ')} UTC` +
      ` in ${fmt(minutes, 1)} minutes${cfg.quick ? ' (**quick mode**: small runs, noisy figures)' : ''}. Do not edit by hand: run it again.`,
    '',
    '```sh',
    command,
    '```',
    '',
    `${m.nproc} CPUs (${m.model}), Node ${m.node}, ddbctl at ${m.git}; ${netns === 'none' ? 'no private namespace' : `\`${netns}\`, loopback only`};` +
      ` load average ${fmt(loads[0], 2)} at the start, ${fmt(loads[1], 2)} at the end. ${fmt(cfg.items)} items of about ${fmt(bytes / cfg.items)} bytes of NDJSON` +
      ' (bench/data.mjs), the same file for every engine; every import is counted and every export read back.',
    '',
  );
  if (embedded !== 'ours') {
    md.push(
      '> **This build embeds dynalite**, not an engine of its own: the rows "in-process" and "over HTTP" measure dynalite' +
        ' embedded by ddbctl, and the targets compare dynalite with itself.',
      '',
    );
  }
  // Targets.
  const dynImp = ok(dyn?.imp?.raw);
  // NOTE: issue 13's export target is against the counting loop, as it was set (the raw limit of
  // exports writes NDJSON since issue 18, which would make the target easier without notice).
  const dynExp = ok(dyn?.exp?.count) ?? ok(dyn?.exp?.raw);
  const ratio = (r, base) => (ok(r) && base ? r.ips / base.ips : undefined);
  const verdictOf = (v, met) => (v == null ? 'not measured' : met ? '**met**' : '**not met**');
  const rows = [];
  const vs = (label, r, base, target, what) => {
    const x = ratio(r, base);
    rows.push(
      `| ${label} ≥ ${target}× dynalite's raw ${what} limit | ${x == null ? '—' : `${fmt(r.ips)} ÷ ${fmt(base.ips)} items/s = ${times(x)}`} | ${verdictOf(x, x >= target)} |`,
    );
  };
  vs('ddbctl import, embedded in-process,', inproc?.imp, dynImp, 5, 'import');
  vs('ddbctl import over HTTP (`serve`)', http?.imp?.mine, dynImp, 2, 'import');
  vs('ddbctl export, embedded in-process,', inproc?.exp, dynExp, 3, 'export');
  // The cold get: against the baseline build measured in this run, else the issue's figure.
  const cold = ok(inproc?.cold)?.median;
  const baseCold = baseline?.same ? cold : ok(baseline?.cold)?.median;
  const base = baseline?.same
    ? `this build (dynalite embedded) is the baseline: ${fmt(cold, 3)} s`
    : baseCold != null
      ? `dynalite embedded, build of ${baseline.commit}: ${fmt(baseCold, 3)} s`
      : 'the issue: 0.35–0.39 s (not measured in this run)';
  const limit = baseCold != null ? baseCold / 2 : 0.35 / 2;
  rows.push(
    `| cold \`ddbctl get\` on a data dir of ${fmt(cfg.items)} items ≤ half of the baseline (${base}) | ${cold == null ? '—' : `${fmt(cold, 3)} s (limit ${fmt(limit, 3)} s)`} | ${verdictOf(cold, cold <= limit)} |`,
  );
  const rss = million?.rssAfterScan?.hwm;
  rows.push(
    `| ${fmt(cfg.millionItems)} items held in < 1 GB of RSS (\`serve\` on the data dir, after a COUNT scan) | ${rss == null ? '—' : `${fmt(rss)} MB`} | ${million ? verdictOf(rss, rss < 1024) : 'not measured (no --million)'} |`,
  );
  rows.push(
    `| start-up with ${fmt(cfg.millionItems)} items in the data dir < 3 s (\`serve\` started → first GetItem answered, median of 3) | ${million?.startup == null ? '—' : `${fmt(million.startup, 2)} s`} | ${million ? verdictOf(million.startup, million.startup < 3) : 'not measured (no --million)'} |`,
  );
  md.push('### Targets', '', '| target | measured | |', '|---|---|---|', ...rows, '');
  // Side by side.
  md.push('### Side by side', '');
  md.push(
    '| engine | import: ddbctl (items/s) | import: raw limit | export: ddbctl | export: raw limit | GetItem p50 ms | GetItem p99 ms | cold `ddbctl get` s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  const ips = (r) => (ok(r) ? fmt(r.ips) : r ? 'failed' : '—');
  const ms = (g, k) => (g?.ok ? fmt(g[k], 2) : '—');
  const line = (title, imp, raw, exp, rawExp, g, c) =>
    md.push(
      `| ${title} | ${ips(imp)} | ${ips(raw)} | ${ips(exp)} | ${ips(rawExp)} | ${ms(g, 'p50')} | ${ms(g, 'p99')} | ${c?.ok ? fmt(c.median, 3) : '—'} |`,
    );
  if (inproc) line(inproc.title, inproc.imp, undefined, inproc.exp, undefined, inproc.gets, inproc.cold);
  for (const e of engines) line(e.title, e.imp?.mine, e.imp?.raw, e.exp?.mine, e.exp?.raw, e.filled);
  if (baseline && !baseline.same)
    line(baseline.title, baseline.imp, undefined, undefined, undefined, undefined, baseline.cold);
  md.push('');
  md.push(
    `- **in-process**: \`node dist/cli/bin.cjs --data-dir D -q import TABLE FILE\` (the table made in D first, not measured), then \`export\`, each a process of its own with the engine inside it (the import's on a thread of its own, as for any input of 1 MiB or more; the export's on the command's thread): its time is the whole process's, start-up included, and its CPU is the client's and the engine's. ddbctl's own --concurrency and --segments${cfg.concurrency || cfg.segments ? ' (or as given)' : ''}.`,
    `- **HTTP engines**: an engine process of its own per import, warmed up (as \`npm run bench\`); the raw limit is bench/peers/raw.mjs (pre-marshalled BatchWriteItem, 25 items a call, and a parallel Scan writing NDJSON to a file; the same Scan that only counts beside it, the base of the export target), the best level of ${cfg.levels.join(', ')} in flight, best of ${cfg.repeat} round${cfg.repeat > 1 ? 's' : ''}; ddbctl with \`--endpoint-url\`, at the raw loop's best level${cfg.concurrency || cfg.segments ? ' (or as given)' : ''}.`,
    `- **GetItem**: bench/peers/get.mjs, ${fmt(cfg.gets)} calls one at a time on random keys of the filled table after 200 not timed, one client built before (in-process: the engine started in that process on the data dir, through the door it gives${inproc?.gets?.door ? `: ${inproc.gets.door}` : ''}).`,
    `- **cold \`ddbctl get\`**: \`node dist/cli/bin.cjs --data-dir D get TABLE KEY\` on the data dir of the in-process import, process start to exit, median of ${cfg.cold}, without NODE_EXTRA_CA_CERTS in the environment (node 20 reads the certificates it names as it starts, before any script, whatever the program; a get from the embedded engine makes no TLS connection).${coldWithCa(inproc, baseline)}`,
    '',
  );
  // Details.
  for (const e of engines) {
    md.push(`### ${e.title}`, '');
    md.push(table([...partRows(e.imp), ...partRows(e.exp)]), '');
  }
  if (inproc) {
    md.push(`### ${inproc.title}`, '');
    md.push(table([inproc.imp, inproc.exp].filter(Boolean)), '');
  }
  if (million) {
    const n = fmt(million.n);
    md.push(`### ${n} items in the embedded engine's data dir`, '');
    if (million.imp) md.push(table([million.imp]), '');
    md.push(
      `\`ddbctl --data-dir D serve\` started → first GetItem answered: ${(million.starts ?? []).map((x) => `${fmt(x, 2)} s`).join(', ')}.` +
        ` RSS of the serve process after that get: ${fmt(million.rssAfterGet?.rss)} MB; after a COUNT scan of every item: ${fmt(million.rssAfterScan?.rss)} MB (peak ${fmt(million.rssAfterScan?.hwm)} MB).` +
        ` A cold \`ddbctl get\` on it: ${million.cold?.ok ? `${fmt(million.cold.median, 3)} s` : '—'}.${million.note ? ` ${million.note}.` : ''}`,
      '',
    );
  }
  return `${md
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
