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
      : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
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
    // NOTE: transact-get borrows transact's cancellation printer and list reader; that pair is in
    // the hands of the part that reshapes how commands print (issue 14), which moves them out.
    expect(bad).toEqual(['cli/commands/transact-get.ts → transact.ts']);
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
});
