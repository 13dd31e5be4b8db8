#!/usr/bin/env node
// Summarise a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per area (a
// package, node's own code, ddbctl's modules, GC, idle).
//
//   node bench/cpuprofile.mjs FILE.cpuprofile [TOP]
//
// Self time of a node = the sum of the sampling intervals whose sample landed in it (V8 records one
// node id per sample in `samples` and the interval before it in `timeDeltas`).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** node's own code, by what it does for the program. */
const NODE_AREAS = [
  [/^node:internal\/(modules|deps\/cjs-module-lexer|bootstrap)|^node:internal\/vm/, 'node: loading modules'],
  [/readline/, 'node: readline'],
  [
    /_http_|^node:internal\/http|^node:https?$|^node:net$|stream_base_commons|^node:internal\/net|^node:dns/,
    'node: http/net',
  ],
  [/^node:internal\/streams|^node:stream/, 'node: streams'],
  [/^node:internal\/fs|^node:fs/, 'node: fs'],
  [/task_queues|timers|async_hooks|^node:events$|^node:internal\/event_target/, 'node: event loop, events'],
  [
    /^node:internal\/(url|util|errors|validators|buffer)|^node:buffer|^node:url|^node:util|^node:path/,
    'node: util, url, buffer, path',
  ],
];

/** Which part of the program a call frame's URL belongs to. */
export function areaOf(url, functionName) {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle (waiting for I/O)';
    if (functionName === '(program)') return 'V8 / native (program)';
    if (/^(runMicrotasks|processTicksAndRejections)$/.test(functionName)) return 'node: event loop, events';
    if (/^(write|read|open|close|[lf]?stat|internalModule|fsync|getaddrinfo)/i.test(functionName)) {
      return 'native I/O (syscalls)';
    }
    return `native ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) {
    for (const [re, area] of NODE_AREAS) if (re.test(url)) return area;
    return 'node: other';
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return `ddbctl ${parts.length > 2 ? parts.slice(0, 2).join('/') : parts.slice(0, -1).join('/') || parts[0]}`;
  }
  return url.replace(/^file:\/\//, '');
}

function where(url, line) {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  const short =
    nm >= 0
      ? url.slice(nm + '/node_modules/'.length)
      : url.includes('/dist/')
        ? url.slice(url.lastIndexOf('/dist/') + 1)
        : url.replace(/^file:\/\//, '');
  return `${short}:${line + 1}`;
}

/**
 * @returns {{ totalMs: number, functions: {name: string, where: string, area: string, ms: number,
 *   share: number}[], areas: {area: string, ms: number, share: number}[] }}
 */
export function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  for (let i = 0; i < samples.length; i++) {
    // NOTE: timeDeltas[i] is the time before sample i; the first can be large (start-up): clamp
    // negative deltas (V8 occasionally emits them) to 0.
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, timeDeltas[i] ?? 0));
  }
  let total = 0;
  const fns = new Map();
  const areas = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += us;
    const { functionName, url, lineNumber } = n.callFrame;
    const name = functionName || '(anonymous)';
    const w = where(url, lineNumber);
    const area = areaOf(url, functionName);
    const key = `${name}\u0000${w}`;
    const f = fns.get(key) ?? { name, where: w, area, us: 0 };
    f.us += us;
    fns.set(key, f);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const share = (us) => (total ? us / total : 0);
  return {
    totalMs: total / 1000,
    functions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .map((f) => ({ name: f.name, where: f.where, area: f.area, ms: f.us / 1000, share: share(f.us) })),
    areas: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, ms: us / 1000, share: share(us) })),
  };
}

export function summariseFile(file) {
  return summarise(JSON.parse(readFileSync(file, 'utf8')));
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

/** Markdown tables: the areas, then the top `top` functions by self time. */
export function toMarkdown(summary, top = 15) {
  const lines = [
    `Sampled time: ${(summary.totalMs / 1000).toFixed(2)} s.`,
    '',
    '| area | self time | share |',
    '|---|---:|---:|',
    ...summary.areas.slice(0, 12).map((a) => `| ${a.area} | ${a.ms.toFixed(0)} ms | ${pct(a.share)} |`),
    '',
    '| function | where | self time | share |',
    '|---|---|---:|---:|',
    ...summary.functions
      .slice(0, top)
      .map((f) => `| \`${f.name}\` | ${f.where || '—'} | ${f.ms.toFixed(0)} ms | ${pct(f.share)} |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/cpuprofile.mjs FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(`${toMarkdown(summariseFile(file), Number(top) || 15)}\n`);
}
