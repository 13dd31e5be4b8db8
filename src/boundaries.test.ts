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
  it('commands load lazily: only import() reaches a command module, from program.ts alone', () => {
    const cli = files(join(src, 'cli'));
    const statically = cli.filter((f) => /from '\.\/commands\/(?!_)/.test(readFileSync(f, 'utf8')));
    expect(statically.map((f) => relative(src, f))).toEqual([]);
    const lazily = files(src).filter((f) => /import\('\.\/commands\//.test(readFileSync(f, 'utf8')));
    expect(lazily.map((f) => relative(src, f))).toEqual(['cli/program.ts']);
  });
});
