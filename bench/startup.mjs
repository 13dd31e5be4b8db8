#!/usr/bin/env node
// `npm run bench:startup`: a cold `ddbctl get` against an endpoint, side by side with the AWS CLI's
// `aws dynamodb get-item` on the same item of the same endpoint (`ddbctl serve --memory`), each a
// new process from start to exit (issue 14: ddbctl at most a third of the AWS CLI's wall time).
// The two take turns; the medians are kept. Writes its own section of BENCHMARKS.md (or --out).
// Like the other benchmarks it runs inside a loopback-only network namespace with fake credentials.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bin, root, startEmbedded } from './env.mjs';
import { hasGnuTime, loadAverage, run } from './measure.mjs';
import { fmt, withSection } from './report.mjs';
import { flags, setUp, shownCommand, whole } from './steps.mjs';

const HELP = `npm run bench:startup -- [options]

  --runs N       runs of each client (default 11), taking turns; the median is kept
  --node PATH    also time ddbctl under this node binary (Node 24, say); repeatable
  --out FILE     the report (default BENCHMARKS.md's start-up section)
`;

const o = flags({ runs: { type: 'string' }, node: { type: 'string', multiple: true } }, HELP);
const runs = whole('--runs', o.runs, 1, 101) ?? 11;
const out = o.out ?? join(root, 'BENCHMARKS.md');
const log = (m) => process.stderr.write(`[bench] ${m}\n`);
const { netns, scratch, env } = setUp(fileURLToPath(import.meta.url), 'bench:startup', log);

const aws = spawnSync('aws', ['--version'], { env, encoding: 'utf8' });
if (aws.status !== 0) {
  log('the AWS CLI (aws) is not installed: nothing to compare with');
  process.exit(1);
}
const nodes = [process.execPath, ...(o.node ?? [])];
const version = (node) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const load0 = loadAverage();
const engine = await startEmbedded(env);
const at = ['--endpoint-url', engine.endpoint, '-q'];
const table = 'Startup';
const once = async (cmd, args) => {
  const r = await run(cmd, args, { env, timeoutS: 60, scratch });
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}: ${r.stderr}`);
  return r;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

let rows;
try {
  await once(process.execPath, [bin, ...at, 'create-table', table, '--pk', 'id:S']);
  await once(process.execPath, [bin, ...at, 'put', table, '{"id":"ada","n":1}']);
  const clients = [
    ...nodes.map((node) => ({
      name: `ddbctl get (node ${version(node)})`,
      cmd: node,
      args: [bin, ...at, 'get', table, 'id=ada'],
    })),
    {
      name: `aws dynamodb get-item (${aws.stdout.trim().split(' ')[0]})`,
      cmd: 'aws',
      args: [
        '--endpoint-url',
        engine.endpoint,
        'dynamodb',
        'get-item',
        '--table-name',
        table,
        '--key',
        '{"id":{"S":"ada"}}',
      ],
    },
  ];
  // One untimed run each (the files in the page cache, node's compile cache written), then turns.
  for (const c of clients) await once(c.cmd, c.args);
  const times = clients.map(() => ({ wall: [], cpu: [] }));
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of clients.entries()) {
      const r = await once(c.cmd, c.args);
      times[k].wall.push(r.wall);
      if (r.clientCpu !== undefined) times[k].cpu.push(r.clientCpu);
    }
  }
  rows = clients.map((c, k) => ({
    name: c.name,
    wall: median(times[k].wall),
    cpu: times[k].cpu.length ? median(times[k].cpu) : undefined,
  }));
} finally {
  await engine.stop();
}

const awsRow = rows.at(-1);
const lines = [
  '## Start-up: a cold `ddbctl get` beside `aws dynamodb get-item` (issue 14)',
  '',
  `Written by \`${shownCommand('bench:startup')}\` (bench/startup.mjs) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${netns === 'none' ? 'without a private network namespace' : `in ${netns} (loopback only)`}; load average ${fmt(load0, 2)} before, ${fmt(loadAverage(), 2)} after. Do not edit by hand: run it again.`,
  '',
  `One item read from \`ddbctl serve --memory\` on 127.0.0.1, each client a new process from start to exit, ${runs} runs each taking turns after one untimed run; medians.${hasGnuTime ? ' CPU: user + system, from GNU time.' : ''}`,
  '',
  "| client | wall (s) | CPU (s) | wall ÷ the AWS CLI's |",
  '|---|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${fmt(r.wall, 3)} | ${r.cpu === undefined ? '—' : fmt(r.cpu, 3)} | ${fmt(r.wall / awsRow.wall, 2)} |`,
  ),
  '',
  `Target: ddbctl at most a third of the AWS CLI's wall time (≤ 0.33): ${rows
    .slice(0, -1)
    .map(
      (r) =>
        `${fmt(r.wall / awsRow.wall, 2)} ${r.wall / awsRow.wall <= 1 / 3 ? 'met' : 'not met'} (${r.name})`,
    )
    .join('; ')}.`,
];
writeFileSync(out, withSection(out, 'startup.mjs', lines.join('\n')));
log(lines.slice(-1)[0]);
log(`report written to ${out}`);
