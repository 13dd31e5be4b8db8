// Running one client process and reading what it cost: wall time, its CPU time and peak RSS (from
// GNU time when present, else by sampling /proc), and the CPU time the engine (and proxy) processes
// spent meanwhile (from /proc/PID/stat).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
export const hasGnuTime =
  existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

const active = new Set();

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {}
}

/** Kill every client still running (the harness is stopping). */
export function killClients() {
  for (const pid of active) killGroup(pid);
  active.clear();
}

/** CPU seconds (user + system, every thread) a live process has used, or undefined. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3 of stat(5); utime 14 and stime 15 are at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** Resident memory of a live process (VmRSS and VmHWM), in MB. */
export function memoryMb(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine spent busy so far (every core; /proc/stat), or undefined. */
export function machineBusySeconds() {
  try {
    const [, ...t] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const v = t.map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait (guest is in user).
    return (v.slice(0, 8).reduce((a, b) => a + b, 0) - v[3] - v[4]) / TICKS;
  } catch {
    return undefined;
  }
}

export function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/**
 * Run `cmd args` to completion (killed after `timeoutS`). `watch`: {name: pid} of processes whose
 * CPU time is read before and after. `stdoutFile`: where its stdout goes (else it is captured).
 */
export async function run(cmd, args, { env, cwd, timeoutS, watch = {}, stdoutFile, scratch }) {
  const timeFile = join(scratch, `time-${process.pid}-${Date.now()}.txt`);
  const useTime = hasGnuTime;
  const before = Object.fromEntries(Object.entries(watch).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const load = loadAverage();
  const busy0 = machineBusySeconds();
  const out = stdoutFile ? openSync(stdoutFile, 'w') : 'pipe';
  const t0 = performance.now();
  const child = useTime
    ? spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args], {
        env,
        cwd,
        stdio: ['ignore', out, 'pipe'],
        detached: true,
      })
    : spawn(cmd, args, { env, cwd, stdio: ['ignore', out, 'pipe'], detached: true });
  // NOTE: its own process group, so a timeout (or Ctrl-C on the harness) kills the client under
  // GNU time too, not only time itself.
  active.add(child.pid);
  if (stdoutFile) closeSync(out);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    if (stdout.length < 1 << 20) stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-8000);
  });
  // Without GNU time: sample the child itself (its peak RSS survives in VmHWM until it exits).
  const sampled = { hwm: 0, cpu: 0 };
  const sampler = useTime
    ? undefined
    : setInterval(() => {
        const m = memoryMb(child.pid);
        const c = cpuSeconds(child.pid);
        if (m) sampled.hwm = Math.max(sampled.hwm, m.hwm);
        if (c !== undefined) sampled.cpu = c;
      }, 50);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, timeoutS * 1000);
  const code = await new Promise((res) => child.on('exit', (c, sig) => res(c ?? (sig ? 128 : 1))));
  const wall = (performance.now() - t0) / 1000;
  const busy1 = machineBusySeconds();
  active.delete(child.pid);
  clearTimeout(timer);
  if (sampler) clearInterval(sampler);
  const cpu = Object.fromEntries(
    Object.entries(watch).map(([k, pid]) => {
      const a = cpuSeconds(pid);
      return [k, a !== undefined && before[k] !== undefined ? a - before[k] : undefined];
    }),
  );
  let clientCpu;
  let rssMb;
  if (useTime && existsSync(timeFile)) {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, user, sys, maxKb] = last.split(' ').map(Number);
    if (Number.isFinite(user)) clientCpu = user + sys;
    if (Number.isFinite(maxKb)) rssMb = maxKb / 1024;
    rmSync(timeFile, { force: true });
  } else if (!useTime) {
    clientCpu = sampled.cpu || undefined;
    rssMb = sampled.hwm || undefined;
  }
  let result;
  const lastLine = stdout.trim().split('\n').pop();
  if (!stdoutFile && lastLine?.startsWith('{')) {
    try {
      result = JSON.parse(lastLine);
    } catch {}
  }
  // What other processes of the machine used meanwhile, in cores (0 = the run had the machine to itself).
  let others;
  if (busy0 !== undefined && busy1 !== undefined && clientCpu !== undefined) {
    const ours = clientCpu + Object.values(cpu).reduce((a, b) => a + (b ?? 0), 0);
    others = Math.max(0, (busy1 - busy0 - ours) / wall);
  }
  return { code, timedOut, wall, clientCpu, rssMb, cpu, load, others, stdout, stderr, result };
}

/** Lines in a file (streamed). */
export async function countLines(file) {
  let n = 0;
  for await (const chunk of createReadStream(file)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  }
  return n;
}
