// End-to-end: long-running commands (tail, ui) joined to the engine another ddbctl holds keep
// working when that holder stops (Ctrl-C or kill -9): they take the data dir over, or join the one
// of them that did; short commands joined to a ui say that the ui stopped, not that a serve did.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ddbctl, noCredentials, removeTempDirs, started, tempDir, until } from './binary.js';

afterAll(removeTempDirs);

type Started = ReturnType<typeof started>;
const running: Started[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    p.child.kill('SIGKILL');
    await p.exited;
  }
});

function start(args: string[], env: NodeJS.ProcessEnv, stdin: 'ignore' | 'pipe' = 'ignore'): Started {
  const p = started(args, env, stdin);
  running.push(p);
  return p;
}

/** engine.json of the data dir: who holds it (undefined while nobody does). */
function holder(dataDir: string): { pid: number; kind?: string; endpoint?: string } | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'engine.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether engine.json names `pid`, with its door (written once the engine is open). */
function heldBy(dataDir: string, pid: number | undefined): boolean {
  const h = holder(dataDir);
  return h?.pid === pid && h?.endpoint !== undefined;
}

/** A data dir with a table Live whose stream is on, and its environment. */
async function liveTable() {
  const dataDir = join(tempDir('ddbctl-e2e-handoff-'), 'data');
  const env = noCredentials({ DDBCTL_DATA_DIR: dataDir });
  const made = await ddbctl(
    ['create-table', 'Live', '--pk', 'id:S', '--stream', 'new-and-old-images', '--wait'],
    env,
  );
  expect(made.code, made.stderr).toBe(0);
  return { dataDir, env };
}

/** A ui holding the data dir (no browser), once engine.json names it. */
async function holdingUi(dataDir: string, env: NodeJS.ProcessEnv) {
  const ui = start(['ui', '--no-open'], env);
  await until('the ui', () => ui.stdout().includes('http://'));
  const h = holder(dataDir);
  expect(h).toMatchObject({ pid: ui.child.pid, kind: 'ui' });
  return { ui, endpoint: h?.endpoint as string, url: ui.stdout().trim() };
}

async function tailing(env: NodeJS.ProcessEnv): Promise<Started> {
  const tail = start(['tail', 'Live'], env);
  await until('tail to follow', () => tail.stderr().includes('following Live'));
  return tail;
}

/** Put items `ids` into Live with one batch-write; the command's stderr. */
async function write(dir: string, env: NodeJS.ProcessEnv, ids: string[]): Promise<string> {
  const file = join(dir, `${ids[0]}.ndjson`);
  writeFileSync(file, `${ids.map((id) => JSON.stringify({ id })).join('\n')}\n`);
  const r = await ddbctl(['batch-write', 'Live', file], env);
  expect(r.code, r.stderr).toBe(0);
  return r.stderr;
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const inserted = (t: Started) =>
  t
    .stdout()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).keys.id as string);

describe('commands joined to a ui or tail whose holder stops', () => {
  it('a tail joined to a ui that is stopped takes the data dir over and goes on: no change lost or repeated', async () => {
    const { dataDir, env } = await liveTable();
    const { ui, endpoint } = await holdingUi(dataDir, env);
    const tail = await tailing(env);
    expect(tail.stderr()).toContain(`target: ddbctl ui at ${endpoint} (pid ${ui.child.pid})`);
    // Written through the ui's engine; the ui stops at once, before tail has read them all.
    await write(dataDir, env, ids('a', 300));
    ui.child.kill('SIGINT');
    expect((await ui.exited).code).toBe(130);
    await until('tail to take the data dir over', () => heldBy(dataDir, tail.child.pid));
    expect(holder(dataDir)).toMatchObject({ kind: 'tail', serve: true });
    // Said once the engine is open (engine.json is written before).
    await until('tail to say so', () =>
      tail
        .stderr()
        .includes(
          `ddbctl: the ddbctl ui (pid ${ui.child.pid}) whose engine this command was using stopped; this command now runs the engine itself, which other commands use at ${holder(dataDir)?.endpoint}`,
        ),
    );
    // Writers now join the tail's engine.
    expect(await write(dataDir, env, ids('b', 300))).toContain('target: ddbctl tail at http://127.0.0.1:');
    await until('every change on tail', () => inserted(tail).length >= 600);
    await new Promise((r) => setTimeout(r, 1500));
    tail.child.kill('SIGINT');
    expect((await tail.exited).code, tail.stderr()).toBe(130);
    // Every change once; the a's (written, then the ui stopped) before the b's. Within each, the
    // stream's order is the order batch-write's concurrent calls were committed in, not the file's.
    const got = inserted(tail);
    expect(got).toHaveLength(600);
    expect(got.slice(0, 300).sort()).toEqual(ids('a', 300).sort());
    expect(got.slice(300).sort()).toEqual(ids('b', 300).sort());
    expect(tail.stderr()).not.toMatch(/error|\n\s+at /);
    // Released: the next command opens the data dir itself.
    expect(holder(dataDir)).toBeUndefined();
  }, 90_000);

  it('a tail joined to a ui killed with kill -9 takes the data dir over', async () => {
    const { dataDir, env } = await liveTable();
    const { ui } = await holdingUi(dataDir, env);
    const tail = await tailing(env);
    await write(dataDir, env, ['before']);
    await until('the first change', () => inserted(tail).length === 1);
    ui.child.kill('SIGKILL');
    await ui.exited;
    await until('tail to take the data dir over', () => heldBy(dataDir, tail.child.pid));
    await write(dataDir, env, ['after']);
    await until('the second change', () => inserted(tail).length === 2);
    expect(inserted(tail)).toEqual(['before', 'after']);
    tail.child.kill('SIGINT');
    expect((await tail.exited).code, tail.stderr()).toBe(130);
  }, 60_000);

  it('two tails joined to a ui that stops: one takes the data dir over, the other joins it; both go on', async () => {
    const { dataDir, env } = await liveTable();
    const { ui } = await holdingUi(dataDir, env);
    const one = await tailing(env);
    const two = await tailing(env);
    await write(dataDir, env, ['before']);
    ui.child.kill('SIGINT');
    await ui.exited;
    const pids = [one.child.pid, two.child.pid];
    await until('a tail to take the data dir over', () => pids.some((pid) => heldBy(dataDir, pid)));
    const won = holder(dataDir);
    const [winner, loser] = won?.pid === one.child.pid ? [one, two] : [two, one];
    expect(won?.kind).toBe('tail');
    await until('the other tail to join it', () =>
      loser
        .stderr()
        .includes(`it now uses the ddbctl tail at ${won?.endpoint} (pid ${won?.pid}), which took it over`),
    );
    await until('the winner to say so', () =>
      winner.stderr().includes('this command now runs the engine itself'),
    );
    await write(dataDir, env, ['after']);
    for (const t of [one, two]) await until('the change on both tails', () => inserted(t).length === 2);
    expect(inserted(one)).toEqual(['before', 'after']);
    expect(inserted(two)).toEqual(['before', 'after']);
    // The one that joined stops first: the winner still holds the data dir.
    loser.child.kill('SIGINT');
    expect((await loser.exited).code).toBe(130);
    expect(holder(dataDir)?.pid).toBe(winner.child.pid);
    winner.child.kill('SIGINT');
    expect((await winner.exited).code).toBe(130);
  }, 90_000);

  it('a second ui joined to a first one that is stopped keeps serving its page: reads and writes', async () => {
    const { dataDir, env } = await liveTable();
    const first = await holdingUi(dataDir, env);
    const second = start(['ui', '--no-open'], env);
    await until('the second ui', () => second.stdout().includes('http://'));
    expect(second.stderr()).toContain(`target: ddbctl ui at ${first.endpoint} (pid ${first.ui.child.pid})`);
    const url = second.stdout().trim();
    const origin = new URL(url).origin;
    const cookie = ((await fetch(url, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(
      ';',
    )[0] as string;
    first.ui.child.kill('SIGINT');
    expect((await first.ui.exited).code).toBe(130);
    // Taken over at once, before the page asks anything: no other command takes the data dir meanwhile.
    await until('the second ui to take the data dir over', () => heldBy(dataDir, second.child.pid), 5000);
    // The page's next requests, to its own server: the table list, then a write.
    const tables = await fetch(`${origin}/api/tables`, { headers: { cookie } });
    expect(tables.status).toBe(200);
    expect(JSON.stringify(await tables.json())).toContain('"Live"');
    const put = await fetch(`${origin}/api/tables/Live/item`, {
      method: 'PUT',
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: JSON.stringify({
        item: { id: { S: 'from-the-page' }, n: { N: '12345678901234567890.123456789012345678' } },
      }),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    expect(holder(dataDir)).toMatchObject({ pid: second.child.pid, kind: 'ui' });
    const got = await ddbctl(['get', 'Live', 'id=from-the-page', '-o', 'json'], env);
    expect(got.stderr).toContain(`target: ddbctl ui at`);
    expect(got.stdout).toMatch(/"n": 12345678901234567890\.123456789012345678\b/);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(130);
  }, 60_000);

  it('two uis joined to a ui that stops, asked at the same moment: one opens the data dir, the other joins it', async () => {
    const { dataDir, env } = await liveTable();
    const first = await holdingUi(dataDir, env);
    const pages = await Promise.all(
      [0, 1].map(async () => {
        const ui = start(['ui', '--no-open'], env);
        await until('a joined ui', () => ui.stdout().includes('http://'));
        const url = ui.stdout().trim();
        const res = await fetch(url, { redirect: 'manual' });
        const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
        return { ui, origin: new URL(url).origin, cookie };
      }),
    );
    first.ui.child.kill('SIGINT');
    await first.ui.exited;
    // Both find the engine gone on the same request, and race for the data dir.
    const put = (p: (typeof pages)[number], id: string) =>
      fetch(`${p.origin}/api/tables/Live/item`, {
        method: 'PUT',
        headers: { cookie: p.cookie, origin: p.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ item: { id: { S: id } } }),
      });
    const answers = await Promise.all(pages.map((p, i) => put(p, `page${i}`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const won = holder(dataDir);
    const winner = pages.find((p) => p.ui.child.pid === won?.pid);
    const loser = pages.find((p) => p !== winner);
    expect(won?.kind).toBe('ui');
    await until(
      'the winner to say so',
      () => !!winner?.ui.stderr().includes('this command now runs the engine itself'),
    );
    await until(
      'the other to say whose engine it uses',
      () =>
        !!loser?.ui
          .stderr()
          .includes(`it now uses the ddbctl ui at ${won?.endpoint} (pid ${won?.pid}), which took it over`),
    );
    // One engine: each page reads what the other wrote.
    for (const [p, id] of [
      [pages[0], 'page1'],
      [pages[1], 'page0'],
    ] as const) {
      const got = await fetch(
        `${p?.origin}/api/tables/Live/item?key=${encodeURIComponent(JSON.stringify({ id: { S: id } }))}`,
        {
          headers: { cookie: p?.cookie as string },
        },
      );
      expect(got.status, await got.clone().text()).toBe(200);
      expect(JSON.stringify(await got.json())).toContain(id);
    }
    for (const p of pages) p.ui.child.kill('SIGINT');
    for (const p of pages) expect((await p.ui.exited).code).toBe(130);
  }, 60_000);

  it('a short command joined to a ui that stops under it takes the data dir over and finishes, without retrying a dead port', async () => {
    const { dataDir, env } = await liveTable();
    const { ui } = await holdingUi(dataDir, env);
    // An import from stdin, joined to the ui, which is killed before the items come.
    const imp = start(['import', 'Live', '-'], env, 'pipe');
    await until('the import to join', () => imp.stderr().includes('target: ddbctl ui at'));
    ui.child.kill('SIGKILL');
    await ui.exited;
    const began = Date.now();
    imp.child.stdin?.end('{"id":"a"}\n{"id":"b"}\n');
    expect((await imp.exited).code, imp.stderr()).toBe(0);
    // Not the SDK's retries on a port nobody listens on (10 s and more before).
    expect(Date.now() - began).toBeLessThan(5000);
    expect(imp.stderr()).toContain(
      `ddbctl: the ddbctl ui (pid ${ui.child.pid}) whose engine this command was using stopped; this command now runs the engine itself\n`,
    );
    expect(imp.stderr()).toContain('2 written');
    // Released with the command: the next one opens the data dir itself and finds both.
    expect(holder(dataDir)).toBeUndefined();
    const got = await ddbctl(['scan', 'Live', '-o', 'ndjson'], env);
    expect(got.stderr).toContain(`target: embedded engine (data dir ${dataDir})`);
    expect(got.stdout.split('\n').filter(Boolean).sort()).toEqual(['{"id":"a"}', '{"id":"b"}']);
  }, 60_000);
});

describe('bulk transfers joined to a serve through --data-dir', () => {
  it('adapt their calls in flight as over --endpoint-url (HTTP); on a data dir of their own they stay fixed', async () => {
    const dataDir = join(tempDir('ddbctl-e2e-joined-'), 'data');
    const env = noCredentials({ DDBCTL_DATA_DIR: dataDir });
    const dir = tempDir('ddbctl-e2e-joined-files-');
    const file = join(dir, 'items.ndjson');
    writeFileSync(
      file,
      ids('i', 3000)
        .map((id) => `${JSON.stringify({ id, n: 1 })}\n`)
        .join(''),
    );
    expect((await ddbctl(['create-table', 'Joined', '--pk', 'id:S', '--wait'], env)).code).toBe(0);
    const own = await ddbctl(['-o', 'json', 'import', 'Joined', file], env);
    expect(own.code, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout).concurrency).toMatchObject({ adaptive: false, final: 8 });

    const serve = start(['serve', '--port', '0'], env);
    await until('serve', () => serve.stdout().includes('http://'));
    const joined = await ddbctl(['-o', 'json', 'import', 'Joined', file], env);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.stderr).toContain('target: ddbctl serve at');
    expect(JSON.parse(joined.stdout)).toMatchObject({ written: 3000, concurrency: { adaptive: true } });
    const out = join(dir, 'out.ndjson');
    const exp = await ddbctl(['-o', 'json', 'export', 'Joined', out], env);
    expect(exp.code, exp.stderr).toBe(0);
    expect(JSON.parse(exp.stdout)).toMatchObject({ written: 3000, concurrency: { adaptive: true } });
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(3000);
  }, 60_000);
});

describe('a holder that is stopped (Ctrl-Z), or whose pid is another process now', () => {
  it('commands on the data dir say at once that the holder is stopped and how to resume it; a joined ui still stops on Ctrl-C', async () => {
    const { dataDir, env } = await liveTable();
    const first = await holdingUi(dataDir, env);
    const second = start(['ui', '--no-open'], env);
    await until('the second ui', () => second.stdout().includes('http://'));
    const url = second.stdout().trim();
    const origin = new URL(url).origin;
    const cookie = ((await fetch(url, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(
      ';',
    )[0] as string;
    const pid = first.ui.child.pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      const stoppedLine = `the ddbctl ui (pid ${pid}) holding data dir ${dataDir} does not answer: it is stopped (Ctrl-Z or SIGSTOP): resume it (fg in its terminal, or kill -CONT ${pid}) or end it, then run the command again`;
      let began = Date.now();
      const got = await ddbctl(['get', 'Live', 'id=x'], env);
      expect(Date.now() - began).toBeLessThan(5000);
      expect(got.code).toBe(1);
      expect(got.stderr).toContain(`ddbctl: error: ${stoppedLine}\n`);
      // The joined ui's page is told too, in its answer, not left waiting.
      began = Date.now();
      const tables = await fetch(`${origin}/api/tables`, { headers: { cookie } });
      expect(Date.now() - began).toBeLessThan(5000);
      expect(tables.status).toBeGreaterThanOrEqual(400);
      expect(await tables.text()).toContain('it is stopped (Ctrl-Z or SIGSTOP)');
      // Ctrl-C on the joined ui: it ends, at once.
      began = Date.now();
      second.child.kill('SIGINT');
      expect((await second.exited).code, second.stderr()).toBe(130);
      expect(Date.now() - began).toBeLessThan(5000);
      expect(second.stderr()).toContain('ddbctl: ui stopped');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Resumed: the data dir is the ui's again, for every command.
    const got = await ddbctl(['get', 'Live', 'id=x'], env);
    expect(got.stderr).toContain(`target: ddbctl ui at ${first.endpoint} (pid ${pid})`);
    expect(got.stderr).not.toContain('error');
    first.ui.child.kill('SIGINT');
    expect((await first.ui.exited).code).toBe(130);
  }, 60_000);

  it('an import joined to a ui that is stopped mid-way stops within seconds, saying what was written and how to resume', async () => {
    const { dataDir, env } = await liveTable();
    const { ui } = await holdingUi(dataDir, env);
    const pid = ui.child.pid as number;
    const dir = tempDir('ddbctl-e2e-handoff-');
    const file = join(dir, 'items.ndjson');
    writeFileSync(
      file,
      `${ids('i', 60_000)
        .map((id) => JSON.stringify({ id }))
        .join('\n')}\n`,
    );
    const imp = start(['import', 'Live', file], env);
    // Stopped once items are written (read through the ui, as every command does meanwhile).
    for (let got = 1; got !== 0; ) got = (await ddbctl(['get', 'Live', 'id=i1'], env)).code;
    process.kill(pid, 'SIGSTOP');
    try {
      const began = Date.now();
      const ended = await imp.exited;
      // Not the batch writer's retries of a holder that cannot answer (10 s and more).
      expect(Date.now() - began).toBeLessThan(5000);
      expect(ended.code, imp.stderr()).toBe(1);
      // Stopped between two calls, or with one in flight (whose outcome is then unknown).
      const holder = `the ddbctl ui (pid ${pid}) holding data dir ${dataDir}`.replace(
        /[.*+?^${}()|[\]\\]/g,
        '\\$&',
      );
      expect(imp.stderr()).toMatch(
        new RegExp(
          `${holder} (does not answer: it is stopped|stopped \\(Ctrl-Z or SIGSTOP\\) with the request sent)`,
        ),
      );
      expect(imp.stderr()).toMatch(/continue with: ddbctl import Live .*items\.ndjson --resume/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }, 60_000);

  it('engine.json left by a ddbctl killed with kill -9, its pid now another process: stale, removed at once', async () => {
    const { dataDir, env } = await liveTable();
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await new Promise((r) => other.once('spawn', r));
      // As a ui killed an hour ago left it; the pid went to another process since.
      writeFileSync(
        join(dataDir, 'engine.json'),
        JSON.stringify({
          pid: other.pid,
          endpoint: 'http://127.0.0.1:9',
          serve: true,
          kind: 'ui',
          started: new Date(Date.now() - 3_600_000).toISOString(),
        }),
      );
      const began = Date.now();
      const r = await ddbctl(['list-tables'], env);
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - began).toBeLessThan(5000);
      expect(r.stdout).toContain('Live');
      expect(r.stderr).toContain(`target: embedded engine (data dir ${dataDir})`);
      expect(r.stderr).not.toContain('waiting for another ddbctl');
    } finally {
      other.kill('SIGKILL');
    }
  }, 60_000);
});

describe('a holder ended by a signal', () => {
  it('SIGHUP (its terminal closed) stops a ui as Ctrl-C does: data dir released, exit 129', async () => {
    const { dataDir, env } = await liveTable();
    const { ui } = await holdingUi(dataDir, env);
    ui.child.kill('SIGHUP');
    expect((await ui.exited).code, ui.stderr()).toBe(129);
    expect(ui.stderr()).toContain('ddbctl: ui stopped');
    expect(holder(dataDir)).toBeUndefined();
  }, 60_000);

  it('SIGTERM ends tail and serve alike: exit 143, data dir released; Ctrl-C: 130', async () => {
    const { dataDir, env } = await liveTable();
    const tail = await tailing(env);
    tail.child.kill('SIGTERM');
    expect((await tail.exited).code, tail.stderr()).toBe(143);
    expect(tail.stderr()).toContain('ddbctl: tail Live stopped after 0 changes');
    expect(holder(dataDir)).toBeUndefined();
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
      ['SIGHUP', 129],
    ] as const) {
      const serve = start(['serve', '--port', '0'], env);
      await until('the serve', () => serve.stdout().includes('http://'));
      serve.child.kill(signal);
      expect((await serve.exited).code, serve.stderr()).toBe(code);
      expect(serve.stderr()).toContain('ddbctl: engine stopped');
      expect(holder(dataDir)).toBeUndefined();
    }
  }, 60_000);
});
