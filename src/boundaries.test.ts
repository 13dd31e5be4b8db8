// The layering rules of STYLE.md, enforced: the core never prints, reads argv/env or exits, and
// never imports the CLI or the engine; the CLI reaches the engine through src/engine/index.ts only.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = import.meta.dirname;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name))
      : /\.c?ts$/.test(e.name) && !e.name.endsWith('.test.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

const core = files(join(src, 'core'));

describe('boundaries', () => {
  it('the core never imports the CLI or the engine', () => {
    const bad = core.filter((f) => /from '(\.\.\/)+(cli|engine)\//.test(readFileSync(f, 'utf8')));
    expect(bad.map((f) => relative(src, f))).toEqual([]);
  });

  it('the core never prints, reads argv or the environment, or exits', () => {
    const re = /\b(console\.|process\.(env|argv|exit|stdout|stderr|stdin)\b)/;
    const bad = core.filter((f) => re.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));
    expect(bad.map((f) => relative(src, f))).toEqual([]);
  });

  it('dynalite (a devDependency now) is imported only lazily, to carry an old data dir over', () => {
    const all = files(src).filter((f) => !f.endsWith('.d.ts'));
    const importers = all.filter((f) => /from 'dynalite'|import\('dynalite'\)/.test(readFileSync(f, 'utf8')));
    expect(importers.map((f) => relative(src, f))).toEqual(['engine/store/legacy.ts']);
    expect(readFileSync(join(src, 'engine/store/legacy.ts'), 'utf8')).not.toMatch(/from 'dynalite'/);
  });

  it('outside src/engine, the engine is reached only through src/engine/index.ts', () => {
    const outside = files(src).filter((f) => !f.startsWith(join(src, 'engine')));
    const deep = /(from |import\()'(\.\.?\/)+engine\/(?!index\.js')/;
    expect(outside.filter((f) => deep.test(readFileSync(f, 'utf8'))).map((f) => relative(src, f))).toEqual(
      [],
    );
  });

  it('the engine never imports the CLI', () => {
    const engine = files(join(src, 'engine'));
    expect(
      engine.filter((f) => /from '(\.\.\/)+cli\//.test(readFileSync(f, 'utf8'))).map((f) => relative(src, f)),
    ).toEqual([]);
  });

  it('the library entry point exposes no CLI and no engine', () => {
    expect(readFileSync(join(src, 'index.ts'), 'utf8')).not.toMatch(/from '\.\/(cli|engine)\//);
  });

  it('no source file (core, CLI or engine) is over 500 lines without a NOTE saying why in its first 15 lines', () => {
    const big = files(src).filter((f) => {
      const lines = readFileSync(f, 'utf8').trimEnd().split('\n');
      return lines.length > 500 && !lines.slice(0, 15).some((l) => l.includes('NOTE'));
    });
    expect(big.map((f) => relative(src, f))).toEqual([]);
  });

  it('the wire path (request and response JSON text built or read directly, skipping the document client) lives only under src/core/wire/', () => {
    const wire = join(src, 'core', 'wire');
    const outside = files(src).filter((f) => !f.startsWith(wire) && !f.startsWith(join(src, 'engine')));
    const code = (f: string) => readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    // Its modules, by name: no copy of one elsewhere.
    const names =
      /export (async )?(function|class|const) (readPlainItem|CheckedItem|readWireBody|createBulkClient|sendBatchWriteBody|sendBatchWrite|batchWriteBody|nativeBatchWriteOutput|putRequestText|scanWirePage|WireScanPage|successBody|itemWireBytes|writeRequestWireBytes)\b/;
    expect(outside.filter((f) => names.test(code(f))).map((f) => relative(src, f))).toEqual([]);
    expect(
      files(src)
        .filter((f) => /\/(wire\w*|plainItem|httpBody|batchWriteText)\.ts$/.test(f) && !f.startsWith(wire))
        .map((f) => relative(src, f)),
    ).toEqual([]);
    // No request text written, and no HTTP body set, anywhere else in the library or the CLI.
    const text =
      /["'`]\{"(RequestItems|PutRequest|DeleteRequest|ExclusiveStartKey|Keys)":|\brequest\.body\s*=/;
    expect(outside.filter((f) => text.test(code(f))).map((f) => relative(src, f))).toEqual([]);
    // A response body is read only through wire/httpBody.ts; the one guard that looks at every
    // answer (a byte search for "__proto__" keys) takes it from there and puts the bytes back.
    expect(outside.filter((f) => /\bresponse\.body\b/.test(code(f))).map((f) => relative(src, f))).toEqual([
      'core/data/protoGuard.ts',
    ]);
  });

  it('commands never branch on the output format: they hand a Result to the one render() of src/cli/output', () => {
    const commands = files(join(src, 'cli/commands'));
    // A comparison or a case on -o, a format name tested, a renderer or table printer called
    // directly, or stdout written by hand.
    const re =
      /\bg\.output\s*[!=]==|case '(table|json|ndjson|raw)'|output\/formats\/|\b(printTable|writeLine|printOutput|printItems?)\(|\.stdout\.write\(/;
    const bad = commands.filter((f) => re.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));
    // NOTE: completion's answer is a shell script, and __complete's table names are read by that
    // script: text for the shell, the same whatever -o says, so it is written as it is.
    expect(bad.map((f) => relative(src, f))).toEqual(['cli/commands/completion.ts']);
  });

  it('time is read and waited on through the injected clock: no Date.now(), new Date(), timers or performance.now() in the core (but util/clock.ts) or the commands', () => {
    const clock = join(src, 'core/util/clock.ts');
    const readers = [...core.filter((f) => f !== clock), ...files(join(src, 'cli/commands'))];
    // NOTE: a socket's own idle limit (socket.setTimeout, an I/O setting) is not a timer.
    const re =
      /\b(Date\.now\(|new Date\(|(?<!\.)setTimeout\(|(?<!\.)setInterval\(|performance\.now\(|hrtime\b)/;
    const bad = readers.filter((f) => re.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));
    expect(bad.map((f) => relative(src, f))).toEqual([]);
  });

  it('the CLI reads the environment through Io.env: process.env only in main.ts and bin.cts', () => {
    const edge = ['cli/main.ts', 'cli/bin.cts'].map((f) => join(src, f));
    const bad = files(join(src, 'cli')).filter(
      (f) =>
        !edge.includes(f) &&
        /\bprocess\.env\b/.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')),
    );
    expect(bad.map((f) => relative(src, f))).toEqual([]);
  });

  it('control/ is one file per DynamoDB call: it imports nothing from spec/, transfer/ or data/', () => {
    const control = files(join(src, 'core', 'control'));
    const up = /from '\.\.\/(spec|transfer|data|batch)\//;
    expect(control.filter((f) => up.test(readFileSync(f, 'utf8'))).map((f) => relative(src, f))).toEqual([]);
  });

  it('CreateTable is sent from control/createTable.ts alone, DeleteTable from control/deleteTable.ts alone', () => {
    const outside = files(src).filter((f) => !f.startsWith(join(src, 'engine')));
    const senders = (command: string) =>
      outside
        .filter((f) => new RegExp(`new ${command}\\(`).test(readFileSync(f, 'utf8')))
        .map((f) => relative(src, f));
    expect(senders('CreateTableCommand')).toEqual(['core/control/createTable.ts']);
    expect(senders('DeleteTableCommand')).toEqual(['core/control/deleteTable.ts']);
  });

  it('no command file imports another command file (shared helpers live in commands/_*.ts or the core)', () => {
    const commands = files(join(src, 'cli', 'commands')).filter((f) => !/\/_[^/]*$/.test(f));
    const bad = commands.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/from '\.\/([a-z][a-z-]*)\.js'/g)].map(
        (m) => `${relative(src, f)} → ${m[1]}.ts`,
      ),
    );
    expect(bad).toEqual([]);
  });

  it('every table (control-plane) call is sent from a file of control/, one call a file; caps.ts only probes', () => {
    const ops =
      /new (CreateTable|DeleteTable|DescribeTable|UpdateTable|ListTables|UpdateTimeToLive|DescribeTimeToLive|UpdateContinuousBackups|DescribeContinuousBackups|TagResource|UntagResource|ListTagsOfResource|PutResourcePolicy|GetResourcePolicy|DeleteResourcePolicy)Command\(/g;
    const sent = core.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(ops)].map((m) => `${relative(src, f)}: ${m[1]}`),
    );
    // NOTE: the capability probes send to a table that does not exist, on purpose (see caps.ts).
    const outside = sent.filter((s) => !s.startsWith('core/control/') && !s.startsWith('core/spec/caps.ts'));
    expect(outside).toEqual([]);
    const perFile = new Map<string, Set<string>>();
    for (const s of sent.filter((x) => x.startsWith('core/control/'))) {
      const [file = '', op = ''] = s.split(': ');
      perFile.set(file, (perFile.get(file) ?? new Set()).add(op));
    }
    expect([...perFile].filter(([, o]) => o.size > 1).map(([f, o]) => `${f}: ${[...o].join(', ')}`)).toEqual(
      [],
    );
  });

  it('commands load lazily: only import() reaches a command module, from program.ts alone', () => {
    const cli = files(join(src, 'cli'));
    const statically = cli.filter((f) => /from '\.\/commands\/(?!_)/.test(readFileSync(f, 'utf8')));
    expect(statically.map((f) => relative(src, f))).toEqual([]);
    const lazily = files(src).filter((f) => /import\('\.\/commands\//.test(readFileSync(f, 'utf8')));
    expect(lazily.map((f) => relative(src, f))).toEqual(['cli/program.ts']);
  });
  it('the UI server imports nothing of the CLI or the engine, and never prints, reads argv or exits', () => {
    const server = files(join(src, 'ui', 'server'));
    const deep = server.filter((f) =>
      /(from |import\()'(\.\.\/)+(cli|engine)\//.test(readFileSync(f, 'utf8')),
    );
    expect(deep.map((f) => relative(src, f))).toEqual([]);
    const re = /\b(console\.|process\.(env|argv|exit|stdout|stderr|stdin)\b)/;
    const prints = server.filter((f) => re.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));
    expect(prints.map((f) => relative(src, f))).toEqual([]);
  });
});
