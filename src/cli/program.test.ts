import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../test/support/fakeIo.js';
import { systemClock } from '../core/util/clock.js';
import type { Cli } from './context.js';
import { buildProgram, COMMANDS, commandWord } from './program.js';

const fakeCli = (): Cli => ({ io: fakeIo().io, exitCode: 0, clock: systemClock });

describe('the table of contents', () => {
  it("names each command as the command's own module does", async () => {
    for (const entry of COMMANDS) {
      const made = (await entry.load()).default(fakeCli());
      expect(made.name()).toBe(entry.name);
    }
  });

  it("breaks a command's description only between paragraphs: --help wraps each one to the terminal", async () => {
    for (const entry of COMMANDS) {
      const made = (await entry.load()).default(fakeCli());
      const lines = made.description().split('\n');
      // A line cut mid-sentence ends with a word and the next goes on in lower case.
      const ragged = lines.filter((l, i) => /[a-z,]$/.test(l) && /^[a-z(]/.test(lines[i + 1] ?? ''));
      expect(ragged, entry.name).toEqual([]);
    }
  });

  it('loads only the command the arguments run, and every command otherwise', async () => {
    const names = async (argv?: string[]) =>
      (await buildProgram(fakeCli(), argv)).commands.map((c) => c.name());
    expect(await names(['--endpoint-url', 'http://127.0.0.1:1', '-q', 'get', 'T', 'id=1'])).toEqual(['get']);
    expect(await names(['-o', 'json', 'scan', 'T', '--limit', '3'])).toEqual(['scan']);
    const all = COMMANDS.map((c) => c.name);
    expect(await names()).toEqual(all);
    expect(await names(['--help'])).toEqual(all);
    expect(await names(['gte', 'T'])).toEqual(all);
    expect(await names(['help', 'get'])).toEqual(all);
    expect(await names(['--version'])).toEqual([]);
    expect(await names(['-q', '-V'])).toEqual([]);
    expect(await names(['--version', '--help'])).toEqual(all);
  });
});

describe('commandWord', () => {
  const options = async () => (await buildProgram(fakeCli(), ['get'])).options;

  it('skips the global options and their values', async () => {
    const o = await options();
    expect(commandWord(['get', 'T'], o)).toBe('get');
    expect(commandWord(['--profile', 'get', 'put', 'T'], o)).toBe('put');
    expect(commandWord(['--region=eu-west-1', '--memory', 'scan'], o)).toBe('scan');
    expect(commandWord(['-o', 'json', '--quiet', 'query'], o)).toBe('query');
  });

  it('tells nothing when something else comes first (help, an unknown or combined flag)', async () => {
    const o = await options();
    expect(commandWord([], o)).toBeUndefined();
    expect(commandWord(['--help', 'get'], o)).toBeUndefined();
    expect(commandWord(['--bogus', 'get'], o)).toBeUndefined();
    expect(commandWord(['-qo', 'json', 'get'], o)).toBeUndefined();
    expect(commandWord(['-ojson', 'get'], o)).toBeUndefined();
  });
});
