// The output contract: every command in every -o mode gives what scripts parse (json: one JSON
// document; ndjson and raw: one JSON value a line), tables for people fit the terminal and show
// stored text safely, delete says whether there was an item, and local input errors exit 2.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteTable } from '../../src/core/control/deleteTable.js';
import type { Clock } from '../../src/core/util/clock.js';
import {
  type CliRun,
  cli,
  endpoint,
  engineName,
  errorLines,
  scanAll,
  testClients,
  uniqueName,
} from '../helpers.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';

const clients = testClients();
const dir = mkdtempSync(join(tmpdir(), 'ddbctl-output-'));
const created: string[] = [];

afterAll(async () => {
  await Promise.allSettled(created.map((t) => deleteTable(clients, t, { wait: false })));
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Stdout parsed as the mode promises; a human table or a partial document fails the parse. */
function parsed(r: CliRun, mode: string): unknown[] {
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
  if (mode === 'json') {
    expect(r.stdout.trim(), 'json prints one document').not.toBe('');
    return [JSON.parse(r.stdout)];
  }
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        throw new Error(`-o ${mode}: not a JSON value a line: ${JSON.stringify(l)}\n${r.stdout}`);
      }
    });
}

/** A JSON value's kind, as README "Output for scripts" names it. */
function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** The keys of a JSON object and the kind of each: the documented shape of a command's -o json. */
function shape(v: unknown): Record<string, string> {
  expect(kind(v), JSON.stringify(v)).toBe('object');
  return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, kind(x)]));
}

/** import's and export's summary: counts of this run, what an earlier run did, the files left. */
const transferShape = {
  table: 'string',
  file: 'string',
  format: 'string',
  read: 'number',
  written: 'number',
  rejected: 'number',
  retried: 'number',
  seconds: 'number',
  // The calls in flight reached and the throttling met.
  concurrency: 'object',
  resumedFrom: 'null',
  rejects: 'null',
  checkpoint: 'null',
};

describe(`every command in every output mode on ${engineName()}`, () => {
  it.each(['json', 'ndjson', 'raw'])(
    // NOTE: serve runs until stopped (its endpoint line is the same printOutput as the rest). In
    // json and ndjson, each command's document has the shape README "Output for scripts" documents.
    '-o %s: stdout parses as promised, for every command, in its documented shape',
    async (mode) => {
      const t = uniqueName(`out-${mode}`);
      const copy = `${t}-copy`;
      const lab = `${t}-lab`;
      created.push(t, copy, lab);
      const o = ['-o', mode];
      const run = async (args: string[], opts: { stdin?: string } = {}) =>
        parsed(await cli([...o, ...args], opts), mode);
      const one = (values: unknown[]) => {
        expect(values).toHaveLength(1);
        return values[0] as Record<string, unknown>;
      };
      // The document of json, also ndjson's one line (raw gives DynamoDB's shapes where it has one).
      const documented = mode !== 'raw';

      const made = one(await run(['create-table', t, '--pk', 'id:S', '--rcu', '5', '--wcu', '5', '--wait']));
      if (mode === 'raw') expect(made.TableName).toBe(t);
      else expect(made).toMatchObject({ outcome: 'created', table: { TableName: t } });
      if (documented)
        expect(shape(made)).toEqual({
          outcome: 'string',
          table: 'object',
          notApplied: 'array',
          differences: 'array',
        });
      const waited = one(await run(['wait', t]));
      expect(waited).toMatchObject({ table: t, status: 'ACTIVE' });
      expect(shape(waited)).toEqual({ table: 'string', status: 'string', seconds: 'number' });
      const names = await run(['list-tables', '--prefix', t]);
      if (mode === 'json') expect(names).toEqual([{ TableNames: [t] }]);
      if (mode === 'ndjson') expect(names).toEqual([t]);
      if (mode === 'raw') expect(names).toEqual([{ TableNames: [t] }]);
      const desc = one(await run(['describe-table', t]));
      if (mode === 'raw') expect(desc).toMatchObject({ TableName: t, TableStatus: 'ACTIVE' });
      else {
        expect(desc).toMatchObject({ Table: { TableName: t } });
        expect(shape(desc)).toMatchObject({ Table: 'object', ItemCount: 'object' });
        expect(shape(desc.ItemCount)).toEqual({
          reported: 'number',
          status: 'string',
          known: 'boolean',
          size: 'object',
        });
      }
      const updated = one(await run(['update-table', t, '--rcu', '6', '--wait']));
      if (mode === 'raw') expect(updated.TableName).toBe(t);
      else {
        expect(updated).toMatchObject({ applied: [expect.any(String)] });
        expect(shape(updated)).toMatchObject({ table: 'object', applied: 'array' });
      }

      const spec = file(`${t}.yaml`, `name: ${t}\npartitionKey: id:S\nbilling: {read: 7, write: 5}\n`);
      // json: {"tables": [...]}; ndjson and raw: one table a line.
      const perTable = (doc: Record<string, unknown>) =>
        mode === 'json' ? ((doc.tables as unknown[])[0] as Record<string, unknown>) : doc;
      const planned = one(await run(['plan', spec]));
      if (mode === 'json') expect(shape(planned)).toEqual({ tables: 'array' });
      expect(perTable(planned)).toMatchObject({ table: t });
      expect(shape(perTable(planned))).toMatchObject({
        table: 'string',
        exists: 'boolean',
        steps: 'array',
        unsupported: 'array',
      });
      const applied = one(await run(['apply', spec, '--yes']));
      if (mode === 'json') expect(shape(applied)).toEqual({ tables: 'array' });
      expect(perTable(applied)).toMatchObject({ table: t });
      expect(shape(perTable(applied))).toMatchObject({
        table: 'string',
        applied: 'array',
        unsupported: 'array',
      });

      expect(one(await run(['put', t, '{"id":"a","n":1,"s":"1","e":""}']))).toEqual({ ok: true });
      const item = one(await run(['get', t, 'id=a', '--consistent']));
      if (mode === 'raw')
        expect(item).toEqual({ id: { S: 'a' }, n: { N: '1' }, s: { S: '1' }, e: { S: '' } });
      else expect(item).toEqual({ id: 'a', n: 1, s: '1', e: '' });
      expect(one(await run(['update', t, 'id=a', '--set', 'n = 2']))).toMatchObject(
        mode === 'raw' ? { n: { N: '2' } } : { n: 2 },
      );
      const keys = file(`${t}.keys`, '{"id":"a"}\n{"id":"b"}\n');
      const writes = file(`${t}.ndjson`, '{"id":"b"}\n{"id":"c"}\n');
      const written = await run(['batch-write', t, writes]);
      // Every script mode gives the one summary document (ndjson and raw: on one line).
      expect(written).toEqual([expect.objectContaining({ table: t, written: 2, failed: 0 })]);
      expect(shape(written[0])).toEqual({
        table: 'string',
        written: 'number',
        retried: 'number',
        failed: 'number',
        duplicatesResolved: 'number',
        concurrency: 'object',
        failures: 'array',
      });
      expect(await run(['batch-get', t, keys, '--project', 'id'])).toHaveLength(mode === 'json' ? 1 : 2);
      const scanned = await run(['scan', t, '--consistent']);
      expect(mode === 'json' ? (scanned[0] as unknown[]).length : scanned.length).toBe(3);
      expect(one(await run(['scan', t, '--count', '--consistent']))).toEqual(
        mode === 'raw' ? { Count: 3, ScannedCount: 3 } : { count: 3, scanned: 3 },
      );
      expect(await run(['query', t, 'a', '--consistent'])).toHaveLength(1);
      expect(one(await run(['query', t, 'a', '--count', '--consistent']))).toEqual(
        mode === 'raw' ? { Count: 1, ScannedCount: 1 } : { count: 1, scanned: 1 },
      );
      {
        const actions = JSON.stringify([{ put: { table: t, item: { id: 'x' } } }]);
        const committed = one(await run(['transact', actions]));
        expect(committed).toMatchObject({ ok: true, actions: 1, tables: [t] });
        expect(shape(committed)).toEqual({ ok: 'boolean', actions: 'number', tables: 'array' });
        // A cancelled transaction: exit 1, each action's reason on stdout as one document.
        const refused = JSON.stringify([
          { put: { table: t, item: { id: 'x' }, condition: 'attribute_not_exists(id)' } },
        ]);
        const cancelled = await cli([...o, 'transact', refused]);
        expect(cancelled.code, cancelled.stderr).toBe(1);
        const why = JSON.parse(cancelled.stdout);
        if (mode === 'raw')
          expect(why).toEqual({
            CancellationReasons: [expect.objectContaining({ Code: 'ConditionalCheckFailed' })],
          });
        else {
          expect(shape(why)).toEqual({ ok: 'boolean', cancelled: 'boolean', reasons: 'array' });
          expect(why).toMatchObject({
            ok: false,
            cancelled: true,
            reasons: [{ code: 'ConditionalCheckFailed', key: { id: 'x' } }],
          });
          expect(shape(why.reasons[0])).toMatchObject({
            index: 'number',
            action: 'number',
            type: 'string',
            table: 'string',
            key: 'object',
            code: 'string',
          });
        }
        const gets = JSON.stringify([
          { table: t, key: { id: 'x' } },
          { table: t, key: { id: 'none' } },
        ]);
        const got = await run(['transact-get', gets]);
        if (mode === 'json') expect(got).toEqual([[{ id: 'x' }, null]]);
        else expect(got).toEqual([mode === 'raw' ? { id: { S: 'x' } } : { id: 'x' }, null]);
        // PartiQL, on every engine.
        const rows = await run(['sql', `SELECT * FROM "${t}" WHERE id = ?`, '--param', '"x"']);
        expect(rows).toHaveLength(1);
        expect(one(await run(['delete', t, 'id=x']))).toEqual({ ok: true, deleted: true });
      }
      expect(one(await run(['delete', t, 'id=c']))).toEqual({ ok: true, deleted: true });
      expect(one(await run(['delete', t, 'id=c']))).toEqual({ ok: true, deleted: false });
      const copied = one(await run(['copy-table', t, copy]));
      expect(copied).toMatchObject({ written: 2 });
      expect(shape(copied)).toEqual({
        created: 'boolean',
        read: 'number',
        written: 'number',
        failed: 'number',
        sourceCount: 'number',
        destinationCount: 'number',
        seconds: 'number',
        concurrency: 'object',
      });

      // import and export (to a file) give their summary; an export to stdout refuses (tested below).
      const input = file(`${t}.import.ndjson`, '{"id":"d"}\n{"id":"e"}\n');
      const imported = one(await run(['import', t, input]));
      expect(imported).toMatchObject({
        table: t,
        file: input,
        format: 'ndjson',
        read: 2,
        written: 2,
        rejected: 0,
      });
      expect(shape(imported)).toEqual({ ...transferShape, duplicatesResolved: 'number' });
      const output = join(dir, `${t}.export.ndjson`);
      const exported = one(await run(['export', t, output]));
      expect(exported).toMatchObject({ table: t, file: output, read: 4, written: 4, rejected: 0 });
      // CSV's types: the import --types of the file; null for the other formats.
      expect(shape(exported)).toEqual({ ...transferShape, types: 'null' });

      const truncated = one(await run(['truncate', t, '--yes']));
      expect(truncated).toMatchObject({ deleted: 4 });
      expect(shape(truncated)).toEqual({
        deleted: 'number',
        failed: 'number',
        seconds: 'number',
        concurrency: 'object',
      });
      expect(shape(truncated.concurrency)).toEqual({
        final: 'number',
        max: 'number',
        adaptive: 'boolean',
        calls: 'number',
        throttled: 'number',
      });
      const labbed = one(await run(['lab', '--table-name', lab, '--cleanup']));
      expect(labbed).toMatchObject({ ok: true });
      expect(shape(labbed)).toEqual({
        ok: 'boolean',
        table: 'string',
        created: 'boolean',
        checks: 'array',
        item: 'object',
        cleanedUp: 'boolean',
        steps: 'array',
      });
      const dropped = one(await run(['delete-table', t, '--yes']));
      expect(dropped).toMatchObject({ table: t, deleted: true });
      expect(shape(dropped)).toEqual({ table: 'string', deleted: 'boolean', gone: 'boolean' });
    },
    120_000,
  );
});

describe(`import and export summaries for scripts, on ${engineName()}`, () => {
  const t = uniqueName('summary');
  created.push(t);

  it('export to stdout refuses -o json/ndjson/raw with exit 2 before doing anything (stdout holds the items)', async () => {
    // A table that does not exist: the refusal comes before any request.
    for (const args of [[], ['-']]) {
      for (const mode of ['json', 'ndjson', 'raw']) {
        const r = await cli(['-o', mode, 'export', uniqueName('none'), ...args]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        expect(errorLines(r)).toEqual([expect.stringContaining(`-o ${mode}: export to stdout`)]);
      }
    }
  });

  it('import -o json: the counts with the reject file when records are rejected (exit 1); export -o json of a filtered csv', async () => {
    expect((await cli(['create-table', t, '--pk', 'id:S', '--wait'])).code).toBe(0);
    const input = file(`${t}.ndjson`, '{"id":"a","x":1}\n{"nope":1}\n{"id":"b","y":2}\n');
    const r = await cli(['-o', 'json', 'import', t, input, '--rejects', join(dir, `${t}.rejects`)]);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      table: t,
      read: 3,
      written: 2,
      rejected: 1,
      rejects: join(dir, `${t}.rejects`),
      checkpoint: null,
      resumedFrom: null,
    });
    expect(shape(doc)).toEqual({ ...transferShape, duplicatesResolved: 'number', rejects: 'string' });
    // The summary line for people is on stderr in every mode.
    expect(r.stderr).toContain(`import ${t}: 2 written, 1 rejected`);

    const out = join(dir, `${t}.csv`);
    const e = await cli([
      '-o',
      'ndjson',
      'export',
      t,
      out,
      '--columns',
      'id,x',
      '--rejects',
      join(dir, `${t}.csv.rejects`),
    ]);
    expect(e.code, e.stderr).toBe(1);
    const lines = e.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      table: t,
      file: out,
      format: 'csv',
      read: 2,
      written: 1,
      rejected: 1,
      rejects: join(dir, `${t}.csv.rejects`),
      types: 'x:N',
    });
  });
});

describe(`tables for people on ${engineName()}`, () => {
  const t = uniqueName('people');
  created.push(t);

  it('fit the terminal, show stored control characters escaped, "" apart from missing and "1" apart from 1', async () => {
    expect((await cli(['create-table', t, '--pk', 'id:S', '--wait'])).code).toBe(0);
    const item = { id: 'a', s: '1', n: 1, e: '', ctl: 'x\u001b[2J\ry', long: 'z'.repeat(300) };
    expect((await cli(['put', t, JSON.stringify(item)])).code).toBe(0);
    expect((await cli(['put', t, '{"id":"b"}'])).code).toBe(0);
    const r = await cli(['scan', t, '--consistent'], { columns: 60 });
    expect(r.code, r.stderr).toBe(0);
    for (const line of r.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(r.stdout).toContain('…');
    for (const c of ['\u001b', '\r']) expect(r.stdout).not.toContain(c);
    // Columns in the engine's order: read them by the header. The string "1" quoted, the number
    // bare, the empty string as "", a missing attribute blank.
    const rows = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('│'))
      .map((l) =>
        l
          .split('│')
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    const [head = [], ...data] = rows;
    const byName = (row: string[]) => Object.fromEntries(head.map((h, i) => [h, row[i]]));
    const a = byName(data.find((row) => row[head.indexOf('id')] === 'a') ?? []);
    expect(a).toMatchObject({ s: '"1"', n: '1', e: '""', ctl: '"x\\u001b[2J\\ry"' });
    const b = byName(data.find((row) => row[head.indexOf('id')] === 'b') ?? []);
    expect(b).toMatchObject({ s: '', n: '', e: '', ctl: '' });

    // Messages on stderr quote stored data the same way.
    const missing = await cli(['get', t, JSON.stringify({ id: 'no\u009b2J\u202eid' })]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('{"id":"no\\u009b2J\\u202eid"}');
    const failed = await cli(['get', t, 'zz\u009b\rq=1']);
    expect(errorLines(failed)).toEqual([expect.stringContaining('zz\\u009b\\u000dq')]);
    for (const c of ['\u009b', '\u202e', '\u001b', '\r']) {
      expect(missing.stderr).not.toContain(c);
      expect(failed.stderr).not.toContain(c);
    }

    const got = await cli(['get', t, 'id=a', '--consistent'], { columns: 60 });
    for (const line of got.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(got.stdout).toContain('"x\\u001b[2J\\ry"');
    expect(got.stdout.match(/z/g)?.length).toBe(300);
  });
});

describe(`delete says whether there was an item, on ${engineName()}`, () => {
  const t = uniqueName('del');
  created.push(t);

  it('"deleted the item" or "nothing deleted" (exit 0 both), {"deleted": ...} for scripts; --condition and --return old still work', async () => {
    expect((await cli(['create-table', t, '--pk', 'id:S', '--wait'])).code).toBe(0);
    expect((await cli(['put', t, '{"id":"a","v":1}'])).code).toBe(0);

    const missing = await cli(['delete', t, 'id=never']);
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stdout).toBe(`no item had the key {"id":"never"} in ${t}: nothing deleted\n`);
    const missingJson = await cli(['-o', 'json', 'delete', t, 'id=never']);
    expect(JSON.parse(missingJson.stdout)).toEqual({ ok: true, deleted: false });

    // A condition that does not hold deletes nothing and fails (exit 1), the item kept.
    const refused = await cli(['delete', t, 'id=a', '--condition', 'v = 2']);
    expect(refused.code).toBe(1);
    expect(await scanAll(t, clients)).toHaveLength(1);

    const deleted = await cli(['delete', t, 'id=a', '--condition', 'v = 1']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`deleted the item with the key {"id":"a"} from ${t}\n`);
    expect(await scanAll(t, clients)).toHaveLength(0);

    expect((await cli(['put', t, '{"id":"b","v":2}'])).code).toBe(0);
    const old = await cli(['-o', 'json', 'delete', t, 'id=b', '--return', 'old']);
    expect(JSON.parse(old.stdout)).toEqual({ id: 'b', v: 2 });
    const noOld = await cli(['delete', t, 'id=b', '--return', 'old']);
    expect(noOld.stdout).toBe(`no item had the key {"id":"b"} in ${t}: nothing deleted\n`);
    expect(JSON.parse((await cli(['-o', 'json', 'delete', t, 'id=b', '--return', 'old'])).stdout)).toBe(null);
  });
});

describe(`nothing partial on stdout when a read fails, on ${engineName()}`, () => {
  const t = uniqueName('partial');
  created.push(t);

  it('scan and query -o json print no lone "[" on a local error or a refused request', async () => {
    expect((await cli(['create-table', t, '--pk', 'id:S', '--wait'])).code).toBe(0);
    expect((await cli(['put', t, '{"id":"a"}'])).code).toBe(0);
    for (const args of [
      ['scan', t, '--project', 'a,a'],
      ['query', t, 'a', '--project', 'a,a'],
      ['scan', t, '--filter', 'v = :nope', '--values', '{":other":1}'],
    ]) {
      const r = await cli(['-o', 'json', ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).not.toBe(0);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(errorLines(r), args.join(' ')).toHaveLength(1);
    }
  });
});

describe(`import -o json when the endpoint stops it, on ${engineName()}`, () => {
  const t = uniqueName('stopjson');
  created.push(t);

  // NOTE: client-side behaviour (retries running out, the checkpoint), the same on every engine;
  // ~15 s of backoff, so it runs once.
  it.runIf(engineName() === 'embedded')(
    'the summary names the stop and the checkpoint (exit 1); the resumed run its resumedFrom (runs once, on the embedded engine)',
    async () => {
      expect((await cli(['create-table', t, '--pk', 'id:S', '--wait'])).code).toBe(0);
      const n = 600;
      const input = file(`${t}.ndjson`, Array.from({ length: n }, (_, i) => `{"id":"i${i}"}\n`).join(''));
      const proxy = await startFaultProxy({ target: endpoint() });
      try {
        // After 4 calls the endpoint drops every connection: retries run out, and the run stops.
        proxy.setFaults([{ kind: 'dropBefore', operations: ['BatchWriteItem'], count: 1_000_000, skip: 4 }]);
        const r = await cli(
          ['--endpoint-url', proxy.endpoint, '-o', 'json', 'import', t, input, '--concurrency', '1'],
          {
            env: { AWS_MAX_ATTEMPTS: '1' },
          },
        );
        expect(r.code, r.stderr).toBe(1);
        const stopped = JSON.parse(r.stdout);
        expect(stopped).toMatchObject({
          table: t,
          checkpoint: `${input}.ddbctl-import.json`,
          resumedFrom: null,
          stopped: { code: 'endpoint.unreachable' },
        });
        expect(shape(stopped)).toEqual({
          ...transferShape,
          duplicatesResolved: 'number',
          checkpoint: 'string',
          stopped: 'object',
        });
        expect(shape(stopped.stopped)).toEqual({ line: 'number', code: 'string', message: 'string' });

        // The same endpoint (the checkpoint's), no faults now.
        proxy.setFaults([]);
        const resumed = await cli([
          '--endpoint-url',
          proxy.endpoint,
          '-o',
          'json',
          'import',
          t,
          input,
          '--resume',
        ]);
        expect(resumed.code, resumed.stderr).toBe(0);
        const doc = JSON.parse(resumed.stdout);
        expect(doc).toMatchObject({ checkpoint: null, rejects: null });
        expect(shape(doc.resumedFrom)).toEqual({ line: 'number', written: 'number', rejected: 'number' });
        expect(doc.resumedFrom.written + doc.written).toBeGreaterThanOrEqual(n);
      } finally {
        await proxy.close();
      }
      expect(await scanAll(t, clients)).toHaveLength(n);
    },
    120_000,
  );
});

describe(`nothing partial on stdout when a read fails midway, on ${engineName()}`, () => {
  const t = uniqueName('midway');
  created.push(t);
  let proxy: FaultProxy | undefined;
  afterAll(async () => proxy?.close());

  it('scan and query whose second page fails: -o json prints nothing, ndjson and raw whole lines (exit 1)', async () => {
    expect((await cli(['create-table', t, '--pk', 'p:S', '--sk', 'n:N', '--wait'])).code).toBe(0);
    const items = Array.from({ length: 5 }, (_, n) => JSON.stringify({ p: 'a', n })).join('\n');
    expect((await cli(['batch-write', t, '-'], { stdin: items })).code).toBe(0);
    proxy = await startFaultProxy({ target: endpoint() });
    for (const [op, args] of [
      ['Scan', ['scan', t, '--page-size', '2', '--consistent']],
      ['Query', ['query', t, 'a', '--page-size', '2', '--consistent']],
    ] as const) {
      for (const mode of ['json', 'ndjson', 'raw']) {
        // The first page is read; every try of the second fails (500, after the SDK's retries).
        proxy.setFaults([{ kind: 'http500', operations: [op], skip: 1, count: 100 }]);
        const r = await cli(['--endpoint-url', proxy.endpoint, '-o', mode, ...args]);
        const shown = `${mode} ${args.join(' ')}`;
        expect(r.code, `${shown}: ${r.stderr}`).toBe(1);
        expect(errorLines(r), shown).toHaveLength(1);
        if (mode === 'json') expect(r.stdout, shown).toBe('');
        else {
          expect(r.stdout.endsWith('\n'), shown).toBe(true);
          expect(
            r.stdout
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l)),
            shown,
          ).toHaveLength(2);
        }
      }
    }
  }, 60_000);
});

describe(`--count with --limit N reads N items, on ${engineName()}`, () => {
  const t = uniqueName('countlimit');
  created.push(t);

  it('scan and query --limit 7 --count stop once 7 are counted: 7 scanned of 64, also in pages of 5', async () => {
    expect((await cli(['create-table', t, '--pk', 'p:S', '--sk', 'n:N', '--wait'])).code).toBe(0);
    const items = Array.from({ length: 64 }, (_, n) => JSON.stringify({ p: 'a', n })).join('\n');
    expect((await cli(['batch-write', t, '-'], { stdin: items })).code).toBe(0);
    for (const args of [
      ['scan', t, '--limit', '7', '--count', '--consistent'],
      ['query', t, 'a', '--limit', '7', '--count', '--consistent'],
      // Pages of 5: the second asks for the 2 still needed, not 5.
      ['scan', t, '--limit', '7', '--count', '--consistent', '--page-size', '5'],
      ['query', t, 'a', '--limit', '7', '--count', '--consistent', '--page-size', '5'],
    ]) {
      const r = await cli(['-o', 'json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout), args.join(' ')).toEqual({ count: 7, scanned: 7 });
    }
    // Without --limit, every item is counted.
    const all = await cli(['-o', 'raw', 'scan', t, '--count', '--consistent']);
    expect(JSON.parse(all.stdout)).toEqual({ Count: 64, ScannedCount: 64 });
  });
});

describe(`batch-get --project, on ${engineName()}`, () => {
  const t = uniqueName('bgp');
  created.push(t);

  it('takes --project like every other command; --projection still works, hidden', async () => {
    expect((await cli(['create-table', t, '--pk', 'id:S', '--wait'])).code).toBe(0);
    expect((await cli(['put', t, '{"id":"a","x":1,"y":2}'])).code).toBe(0);
    const p = await cli(['batch-get', t, '[{"id":"a"}]', '--project', 'id,x']);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toEqual({ id: 'a', x: 1 });
    const old = await cli(['batch-get', t, '[{"id":"a"}]', '--projection', 'y']);
    expect(JSON.parse(old.stdout)).toEqual({ y: 2 });
    const both = await cli(['batch-get', t, '[{"id":"a"}]', '--projection', 'y', '--project', 'x']);
    expect(both.code).toBe(2);
    const help = await cli(['batch-get', '--help']);
    expect(help.stdout).toContain('--project <paths>');
    expect(help.stdout).not.toContain('--projection');
  });
});

describe(`one exit code (2) for every local validation error, on ${engineName()}`, () => {
  const t = uniqueName('exit2');
  created.push(t);

  it('each bad input exits 2 with one line on stderr, before any write', async () => {
    expect((await cli(['create-table', t, '--pk', 'id:S', '--sk', 'n:N', '--wait'])).code).toBe(0);
    const big = JSON.stringify({ id: 'a', n: 1, x: 'y'.repeat(410_000) });
    const cases: string[][] = [
      ['put', t, big],
      ['put', t, '{"id":"a"}'],
      ['put', t, '{"id":"a","n":"x"}'],
      ['put', t, '{"id":"a","n":1,"s":{"$set":[]}}'],
      ['put', t, '{"id":"a","n":1e999}'],
      ['put', t, '{"id":"","n":1}'],
      ['put', t, 'not json'],
      ['get', t, 'id=a'],
      ['get', t, 'id=a', 'n=x'],
      ['scan', t, '--project', 'a,a'],
      ['scan', t, '--filter', 'a ='],
      ['scan', t, '--limit', '0'],
      ['query', t, 'a', '--sk', 'x'],
      ['update', t, 'id=a', 'n=1'],
      ['update', t, 'id=a', 'n=1', '--set', 'a = 1', '--remove', 'a'],
      ['delete', t, 'id=a'],
      ['batch-get', t, '[{"id":"a"}]'],
      ['batch-write', t, dir],
      ['transact', '[{"put":{"table":"x"}}]'],
      ['create-table', 'Bad1', '--gsi', 'x'],
      ['update-table', t],
      ['delete-table', t],
      ['truncate', t],
      ['describe-table', 'x'],
      ['scna', t],
      ['scan', t, '--limt', '3'],
      ['-o', 'bogus', 'list-tables'],
    ];
    for (const args of cases) {
      const r = await cli(args);
      const shown = args.join(' ').slice(0, 80);
      expect(r.code, `${shown}: ${r.stderr}`).toBe(2);
      expect(r.stdout, shown).toBe('');
      expect(errorLines(r), shown).toHaveLength(1);
    }
    expect(await scanAll(t, clients)).toEqual([]);
  });
});

describe(`progress and summary lines on the command's clock, on ${engineName()}`, () => {
  const t = uniqueName('clocked');
  created.push(t);
  // A clock that does not move: every run takes 0 s on it, whatever the machine does.
  const stopped: Clock = { now: () => Date.UTC(2030, 0, 1), sleep: async () => {} };

  it('summaries are timed by the clock and shown with -q; progress lines only on a terminal without -q', async () => {
    expect((await cli(['create-table', t, '--pk', 'id:S', '--wait'])).code).toBe(0);
    const lines = file('clocked.ndjson', '{"id":"a"}\n{"id":"b"}\n{"id":"c"}\n');
    const bw = await cli(['-q', 'batch-write', t, lines], { clock: stopped });
    expect(bw.code, bw.stderr).toBe(0);
    expect(bw.stderr).toContain(
      'ddbctl: written 3, retried 0, failed 0 (duplicates resolved: 0), concurrency 16 (max 16)\n',
    );
    const out = join(dir, 'clocked-out.ndjson');
    const ex = await cli(['-q', 'export', t, out], { clock: stopped });
    expect(ex.code, ex.stderr).toBe(0);
    // No time on the clock: the rate is every item.
    // NOTE: the scan's calls in flight adapt on the system clock (exportItems takes none).
    expect(ex.stderr).toMatch(
      new RegExp(
        String.raw`ddbctl: export ${t}: 3 items to ${out.replace(/[.\\]/g, '\\$&')}, 0 rejected, 0 retried, concurrency \d+ \(max \d+\), 0\.0 s, 3 items/s\n`,
      ),
    );
    expect(ex.stderr).not.toContain('\r');
    // On a terminal, a clock that moves a second at every reading: lines are drawn, then cleared.
    let now = 0;
    const ticking: Clock = { now: () => (now += 1000), sleep: async () => {} };
    const im = await cli(['import', t, lines], { clock: ticking, tty: true });
    expect(im.code, im.stderr).toBe(0);
    expect(im.stderr).toMatch(
      new RegExp(
        String.raw`\r\x1b\[Kimport ${t}: 3 written \(\d+% of 33 bytes\), 0 rejected, 0 retried, in flight \d+ \(max 16\), [\d,]+ items/s`,
      ),
    );
    const quiet = await cli(['-q', 'import', t, lines], { clock: ticking, tty: true });
    expect(quiet.stderr).not.toContain('\r');
    expect(quiet.stderr).toMatch(
      new RegExp(
        `ddbctl: import ${t}: 3 written, 0 rejected, 0 retried, concurrency 16 \\(max 16\\), [\\d.]+ s, [\\d,]+ items/s\\n`,
      ),
    );
  });
});
