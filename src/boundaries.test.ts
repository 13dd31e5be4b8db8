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

  it('commands never branch on the output format: they hand a Result to the one render() of src/cli/output', () => {
    const commands = files(join(src, 'cli/commands'));
    // A comparison or a case on -o, a format name tested, a renderer or table printer called
    // directly, or stdout written by hand.
    const re =
      /\bg\.output\s*[!=]==|case '(table|json|ndjson|raw)'|output\/formats\/|\b(printTable|writeLine|printOutput|printItems?)\(|\.stdout\.write\(/;
    const bad = commands.filter((f) => re.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));
    expect(bad.map((f) => relative(src, f))).toEqual([]);
  });

  it('time is read and waited on through the injected clock: no Date.now(), new Date(), timers or performance.now() in the core (but util/clock.ts) or the commands', () => {
    const clock = join(src, 'core/util/clock.ts');
    const readers = [...core.filter((f) => f !== clock), ...files(join(src, 'cli/commands'))];
    const re = /\b(Date\.now\(|new Date\(|setTimeout\(|setInterval\(|performance\.now\(|hrtime\b)/;
    const bad = readers.filter((f) => re.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')));
    expect(bad.map((f) => relative(src, f))).toEqual([]);
  });

  it('the CLI reads the environment through Io.env: process.env only in main.ts and bin.ts', () => {
    const edge = ['cli/main.ts', 'cli/bin.ts'].map((f) => join(src, f));
    const bad = files(join(src, 'cli')).filter(
      (f) =>
        !edge.includes(f) &&
        /\bprocess\.env\b/.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')),
    );
    expect(bad.map((f) => relative(src, f))).toEqual([]);
  });
});
