import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../test/support/fakeIo.js';
import { systemClock } from '../core/util/clock.js';
import { type CompletionModel, completionModel, completionScript } from './completion.js';
import type { Cli } from './context.js';
import { buildProgram } from './program.js';

async function model(): Promise<CompletionModel> {
  const cli: Cli = { io: fakeIo().io, exitCode: 0, clock: systemClock };
  return completionModel(await buildProgram(cli));
}

describe('the completion model, read from the program', () => {
  it('has every command but the hidden one, their flags and what their arguments hold', async () => {
    const m = await model();
    const names = m.commands.map((c) => c.name);
    expect(names).toContain('get');
    expect(names).toContain('completion');
    expect(names).not.toContain('__complete');
    const get = m.commands.find((c) => c.name === 'get');
    expect(get?.args).toEqual(['table', 'nothing']);
    expect(get?.variadic).toBe(true);
    expect(get?.flags).toContainEqual({ names: ['--consistent'] });
    expect(get?.flags).toContainEqual({ names: ['--project'], value: 'nothing' });
    expect(m.commands.find((c) => c.name === 'copy-table')?.args).toEqual(['table', 'table']);
    expect(m.commands.find((c) => c.name === 'import')?.args).toEqual(['table', 'file']);
    expect(m.globals).toContainEqual({
      names: ['-o', '--output'],
      value: ['table', 'json', 'ndjson', 'raw'],
    });
    expect(m.globals).toContainEqual({ names: ['--data-dir'], value: 'file' });
    expect(m.globals).toContainEqual({ names: ['--memory'] });
  });
});

describe('the scripts', () => {
  it('bash: every command and flag of the model, valid bash, tables from __complete', async () => {
    const m = await model();
    const s = completionScript('bash', m);
    expect(s).toContain('complete -o default -F _ddbctl ddbctl');
    expect(s).toContain(`compgen -W '${m.commands.map((c) => c.name).join(' ')}'`);
    for (const c of m.commands) {
      const line = s.split('\n').find((l) => l.startsWith(`      ${c.name}) COMPREPLY=`)) ?? '';
      const offered = /'(.*)'/.exec(line)?.[1]?.split(' ');
      for (const f of [...c.flags, ...m.globals]) for (const n of f.names) expect(offered).toContain(n);
      // Each once (-h/--help is the command's and the program's): `get --h<Tab>` offered it twice.
      expect(offered?.length, c.name).toBe(new Set(offered).size);
    }
    expect(s).toContain('"get --project") return 0 ;;');
    expect(s).toContain('__complete tables 2>/dev/null');
    const syntax = spawnSync('bash', ['-n'], { input: s });
    expect(syntax.status, syntax.stderr.toString()).toBe(0);
  });

  it('zsh: the bash completion through bashcompinit', async () => {
    const s = completionScript('zsh', await model());
    expect(s.split('\n')[0]).toBe('#compdef ddbctl');
    expect(s).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(s).toContain('setopt localoptions ksharrays');
    expect(s).toContain('complete -o default -F _ddbctl ddbctl');
  });

  it('fish: a complete line for each command with its summary, each flag, and the tables', async () => {
    const m = await model();
    const s = completionScript('fish', m);
    expect(s).toMatch(
      /complete -c ddbctl -n 'not __fish_seen_subcommand_from lab create-table .*' -a get -d 'Read one item by its key/,
    );
    expect(s).toContain("complete -c ddbctl -n '__fish_seen_subcommand_from get' -l consistent");
    expect(s).toContain("complete -c ddbctl -s o -l output -r -f -a 'table json ndjson raw'");
    expect(s).toContain(
      "complete -c ddbctl -n '__fish_seen_subcommand_from get; and __ddbctl_at_table get' -a '(__ddbctl_tables)'",
    );
    expect(s).toContain('__complete tables 2>/dev/null');
  });
});
