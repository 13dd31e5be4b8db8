import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../../../test/support/fakeIo.js';
import type { Item } from '../../core/data/codec.js';
import { DdbError } from '../../core/errors.js';
import type { GlobalOptions, OutputFormat } from '../context.js';
import { render } from './render.js';
import { countResult, pairsBlock, type Result, writeResult } from './result.js';
import { displayWidth } from './text.js';

/** Render into a fake terminal (or pipe); what reached stdout and stderr. */
async function shown(
  output: OutputFormat,
  r: Result,
  opts: { columns?: number; quiet?: boolean } = {},
): Promise<{ out: string; err: string; n: number | undefined }> {
  const { io, out, err } = fakeIo(opts.columns ? { columns: opts.columns } : {});
  const g: GlobalOptions = { output, ...(opts.quiet ? { quiet: true } : {}) };
  const n = await render({ io }, g, r as never);
  return { out: out(), err: err(), n };
}

const ITEM: Item = { id: 'a', n: new NumberValue('1') };
async function* pagesOf(...pages: Item[][]): AsyncGenerator<Item[]> {
  yield* pages;
}

/** Each kind of result, and what each format prints of it: stdout, then stderr. */
const MATRIX: { kind: string; result: () => Result; text: Record<OutputFormat, [string, string]> }[] = [
  {
    kind: 'item',
    result: () => ({ kind: 'item', item: ITEM }),
    text: {
      table: [
        '┌───────────┬──────┬───────┐\n│ attribute │ type │ value │\n├───────────┼──────┼───────┤\n│ id        │ S    │ a     │\n├───────────┼──────┼───────┤\n│ n         │ N    │ 1     │\n└───────────┴──────┴───────┘\n',
        '',
      ],
      json: ['{\n  "id": "a",\n  "n": 1\n}\n', ''],
      ndjson: ['{"id":"a","n":1}\n', ''],
      raw: ['{"id":{"S":"a"},"n":{"N":"1"}}\n', ''],
    },
  },
  {
    kind: 'items',
    result: () => ({ kind: 'items', pages: pagesOf([ITEM], [{ x: true, id: 'b' }]), keyNames: ['id'] }),
    text: {
      table: [
        '┌────┬───┬──────┐\n│ id │ n │ x    │\n├────┼───┼──────┤\n│ a  │ 1 │      │\n├────┼───┼──────┤\n│ b  │   │ true │\n└────┴───┴──────┘\n',
        '',
      ],
      json: ['[\n  {"id":"a","n":1},\n  {"x":true,"id":"b"}\n]\n', ''],
      ndjson: ['{"id":"a","n":1}\n{"x":true,"id":"b"}\n', ''],
      raw: ['{"id":{"S":"a"},"n":{"N":"1"}}\n{"x":{"BOOL":true},"id":{"S":"b"}}\n', ''],
    },
  },
  {
    // --project without the keys: no blank key column.
    kind: 'items',
    result: () => ({ kind: 'items', pages: pagesOf([{ n: 1 } as never]), keyNames: ['id'] }),
    text: {
      table: ['┌───┐\n│ n │\n├───┤\n│ 1 │\n└───┘\n', ''],
      json: ['[\n  {"n":1}\n]\n', ''],
      ndjson: ['{"n":1}\n', ''],
      raw: ['{"n":{"N":"1"}}\n', ''],
    },
  },
  {
    kind: 'steps',
    result: () => ({ kind: 'steps', lines: ['1. created', '2. ACTIVE'], scripts: 'stderr' }),
    text: {
      table: ['1. created\n2. ACTIVE\n', ''],
      json: ['', '1. created\n2. ACTIVE\n'],
      ndjson: ['', '1. created\n2. ACTIVE\n'],
      raw: ['', '1. created\n2. ACTIVE\n'],
    },
  },
  {
    kind: 'report',
    result: () => ({
      kind: 'report',
      json: { table: 'T', n: new NumberValue('12345678901234567890123') },
      lines: [{ a: 1 }, 'b'],
      raw: [{ A: { N: '1' } }],
      people: ['done', { head: ['k', 'v'], rows: [['a', 1]] }],
    }),
    text: {
      table: ['done\n┌───┬───┐\n│ k │ v │\n├───┼───┤\n│ a │ 1 │\n└───┴───┘\n', ''],
      json: ['{\n  "table": "T",\n  "n": 12345678901234567890123\n}\n', ''],
      ndjson: ['{"a":1}\n"b"\n', ''],
      raw: ['{"A":{"N":"1"}}\n', ''],
    },
  },
];

describe('one renderer per output format, for every kind of result', () => {
  for (const { kind, result, text } of MATRIX) {
    it.each(['table', 'json', 'ndjson', 'raw'] as OutputFormat[])(`-o %s of ${kind}`, async (format) => {
      const { out, err } = await shown(format, result());
      expect([out, err]).toEqual(text[format]);
    });
  }

  it('a report without ndjson lines prints its document on one line; raw falls back to them', async () => {
    const r: Result = { kind: 'report', json: { x: 1 }, people: [] };
    expect((await shown('ndjson', r)).out).toBe('{"x":1}\n');
    expect((await shown('raw', r)).out).toBe('{"x":1}\n');
    expect((await shown('table', r)).out).toBe('');
    expect((await shown('raw', { ...r, lines: ['l'] })).out).toBe('"l"\n');
  });

  it('steps that scripts do not need are shown to people only', async () => {
    const r: Result = { kind: 'steps', lines: ['no changes'], scripts: 'none' };
    expect(await shown('table', r)).toMatchObject({ out: 'no changes\n', err: '' });
    expect(await shown('json', r)).toMatchObject({ out: '', err: '' });
  });

  it('without -o, people get tables', async () => {
    const { io, out } = fakeIo();
    render({ io }, {}, countResult({ count: 3, scanned: 9 }));
    expect(out()).toBe('3\n');
  });
});

describe('results built for commands', () => {
  it('--count: the count for people, both counts for scripts, Select COUNT answer raw', async () => {
    const c = () => countResult({ count: 3, scanned: 9 });
    expect((await shown('json', c())).out).toBe('{\n  "count": 3,\n  "scanned": 9\n}\n');
    expect((await shown('ndjson', c())).out).toBe('{"count":3,"scanned":9}\n');
    expect((await shown('raw', c())).out).toBe('{"Count":3,"ScannedCount":9}\n');
  });

  it('a write: the item asked back, else what was done, or that there was none', async () => {
    const w = { none: '(no previous item)', done: 'put 1 item into T' };
    const returned = writeResult({ ...w, returned: ITEM, asked: true });
    expect((await shown('ndjson', returned)).out).toBe('{"id":"a","n":1}\n');
    const none = writeResult({ ...w, returned: undefined, asked: true });
    expect((await shown('table', none)).out).toBe('(no previous item)\n');
    expect((await shown('json', none)).out).toBe('null\n');
    const done = writeResult({ ...w, returned: undefined, asked: false, result: { deleted: true } });
    expect((await shown('table', done)).out).toBe('put 1 item into T\n');
    expect((await shown('ndjson', done)).out).toBe('{"ok":true,"deleted":true}\n');
  });

  it('pairs leave out what has no value', async () => {
    const r: Result = {
      kind: 'report',
      json: null,
      people: [
        pairsBlock([
          ['table', 'T'],
          ['created', undefined],
          ['arn', ''],
        ]),
      ],
    };
    expect((await shown('table', r)).out).toBe('┌───────┬───┐\n│ table │ T │\n└───────┴───┘\n');
  });

  it('wraps a long value of one item (and of describe-table) instead of cutting it', async () => {
    const one = await shown(
      'table',
      { kind: 'item', item: { id: 'a', text: 'q'.repeat(100) } },
      { columns: 40 },
    );
    for (const l of one.out.trimEnd().split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(40);
    expect(one.out.match(/q/g)?.length).toBe(100);
    const pairs = await shown(
      'table',
      { kind: 'report', json: null, people: [pairsBlock([['arn', `arn:aws:dynamodb:${'z'.repeat(60)}`]])] },
      { columns: 30 },
    );
    for (const l of pairs.out.trimEnd().split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(30);
  });
});

describe('streams of items', () => {
  it.each(['json', 'ndjson', 'raw', 'table'] as OutputFormat[])(
    '-o %s writes nothing when the read fails before its first page',
    async (format) => {
      // biome-ignore lint/correctness/useYield: a read that fails at once
      async function* failing(): AsyncGenerator<never> {
        throw new DdbError('input.expression', { message: 'bad projection' });
      }
      const { io, out } = fakeIo();
      await expect(render({ io }, { output: format }, { kind: 'items', pages: failing() })).rejects.toThrow(
        'bad projection',
      );
      expect(out()).toBe('');
    },
  );

  it.each(['json', 'ndjson', 'raw'] as OutputFormat[])(
    '-o %s leaves no partial value when the second page fails',
    async (format) => {
      async function* second(): AsyncGenerator<Item[]> {
        yield [{ id: 'a' }, { id: 'b' }];
        throw new DdbError('service.error', { message: 'page 2 failed' });
      }
      const { io, out } = fakeIo();
      await expect(render({ io }, { output: format }, { kind: 'items', pages: second() })).rejects.toThrow(
        'page 2 failed',
      );
      // json: nothing (the document was not complete); ndjson and raw: the whole lines read before.
      if (format === 'json') expect(out()).toBe('');
      else
        expect(
          out()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l)),
        ).toHaveLength(2);
    },
  );

  it('are written as they are read, not held to the end (ndjson, raw, and table by 1000 rows)', async () => {
    for (const format of ['ndjson', 'raw'] as OutputFormat[]) {
      const { io, out } = fakeIo();
      let seen = '';
      async function* pages(): AsyncGenerator<Item[]> {
        yield [{ id: 'a' }];
        seen = out();
        yield [{ id: 'b' }];
      }
      await render({ io }, { output: format }, { kind: 'items', pages: pages() });
      expect(seen.split('\n').filter(Boolean)).toHaveLength(1);
    }
    const { io, out } = fakeIo();
    let seen = '';
    async function* thousand(): AsyncGenerator<Item[]> {
      yield Array.from({ length: 1000 }, (_, i) => ({ id: `k${i}` }));
      seen = out();
      yield [{ id: 'last' }];
    }
    expect(await render({ io }, { output: 'table' }, { kind: 'items', pages: thousand() })).toBe(1001);
    expect(seen).toContain('k999');
    expect(seen).not.toContain('last');
  });

  it('-o json of no items is an empty array', async () => {
    const r = await shown('json', { kind: 'items', pages: pagesOf([]) });
    expect(r).toEqual({ out: '[]\n', err: '', n: 0 });
  });

  it('for people: one item a line when asked, a line for none, a count on stderr unless -q', async () => {
    const lines = await shown('table', { kind: 'items', pages: pagesOf([ITEM]), people: { asLines: true } });
    expect(lines.out).toBe('{"id":"a","n":1}\n');
    const people = { empty: '(no items)', tally: true };
    expect(await shown('table', { kind: 'items', pages: pagesOf([]), people })).toEqual({
      out: '(no items)\n',
      err: '',
      n: 0,
    });
    const two = await shown('table', { kind: 'items', pages: pagesOf([ITEM, ITEM]), people });
    expect(two.err).toBe('ddbctl: 2 items\n');
    const quiet = await shown('table', { kind: 'items', pages: pagesOf([ITEM]), people }, { quiet: true });
    expect(quiet.err).toBe('');
    // Scripts get the items alone.
    expect(await shown('ndjson', { kind: 'items', pages: pagesOf([]), people })).toEqual({
      out: '',
      err: '',
      n: 0,
    });
  });
});
