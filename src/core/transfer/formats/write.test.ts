import { PassThrough, Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type Item, parseItem, type RawItem, stringifyItem, toDdbJson, typeOf } from '../../data/codec.js';
import { isDdbError } from '../../errors.js';
import {
  createItemWriter,
  type Format,
  type ReadOptions,
  type ReadRecord,
  readItems,
  type WriterOptions,
} from './index.js';

/** A writable that keeps everything written. */
function memory(): { out: Writable; text: () => string; bytes: () => Buffer } {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      cb();
    },
  });
  return { out, bytes: () => Buffer.concat(parts), text: () => Buffer.concat(parts).toString('utf8') };
}

async function write(items: Item[], opts: WriterOptions): Promise<Buffer> {
  const m = memory();
  const w = createItemWriter(m.out, opts);
  for (const item of items) await w.write(item);
  await w.close();
  return m.bytes();
}

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function read(data: Buffer, opts: ReadOptions, chunkSize = 65536): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  for await (const r of readItems(chunks(data, chunkSize), opts)) out.push(r);
  return out;
}

const n = (text: string) => new NumberValue(text);

/** ddb-json reads binary as Buffer (a Uint8Array); compare the bytes, not the class. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Set) return new Set([...value].map(plain));
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !(value instanceof NumberValue)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
const allBytes = new Uint8Array(256).map((_, i) => i);

/** Everything an item can hold, at its edges. */
const ITEMS: Item[] = [
  {
    pk: 'edge#1',
    n38: n('12345678901234567890123456789012345678'),
    nNeg: n('-0.00000000000000000000000000000000000123'),
    big: n('9007199254740993'),
    exp: n('9.9999999999999999999999999999999999999E+125'),
    zero: n('0'),
    empty: '',
    nul: null,
    yes: true,
    no: false,
    bin: allBytes,
    emptyBin: new Uint8Array(0),
    ss: new Set(['a', '', 'é', '🌍']),
    ns: new Set([n('1'), n('2.50'), n('12345678901234567890123456789012345678')]),
    bs: new Set([new Uint8Array([0]), new Uint8Array([255, 254]), allBytes]),
    text: 'quotes " \\ \' commas , newlines \n \r\n tabs \t nul \u0000 unicode é 日本 🌍 \u2028',
    nested: {
      list: [
        n('1'),
        'two',
        null,
        true,
        [new Set(['q'])],
        { deep: { deeper: [n('3.14'), new Uint8Array([7])] } },
      ],
      emptyMap: {},
      emptyList: [],
    },
  },
  { pk: 'plain#2', sk: n('2'), name: 'Ada' },
  { pk: 'sparse#3' },
];

describe('round trips (lossless for ndjson, json, ddb-json)', () => {
  for (const format of ['ndjson', 'json', 'ddb-json'] as Format[]) {
    it(`${format}: writes and reads back identical items, in any chunking`, async () => {
      const data = await write(ITEMS, { format });
      for (const size of [1, 3, 65536]) {
        const recs = await read(data, { format }, size);
        expect(recs.every((r) => r.error === undefined)).toBe(true);
        const back = recs.map((r) => r.item!);
        expect(back.map((i) => stringifyItem(i))).toEqual(ITEMS.map((i) => stringifyItem(i)));
        expect(plain(back)).toEqual(ITEMS);
      }
      const back = (await read(data, { format }))[0]!.item!;
      for (const [name, value] of Object.entries(ITEMS[0]!))
        expect(typeOf(back[name]!), name).toBe(typeOf(value));
      expect([...(back.bin as Uint8Array)]).toEqual([...allBytes]);
    });

    it(`${format}: round-trips through gzip, and resumes from every offset`, async () => {
      const gz = memory();
      const zip = createGzip();
      zip.pipe(gz.out);
      const finished = new Promise((resolve) => gz.out.on('finish', resolve));
      const w = createItemWriter(zip, { format });
      for (const item of ITEMS) await w.write(item);
      await w.close();
      await finished;
      const recs = await read(gz.bytes(), { format }, 1);
      expect(plain(recs.map((r) => r.item))).toEqual(ITEMS);
      for (let k = 0; k < recs.length; k++) {
        const rest = await read(gz.bytes(), { format, startOffset: recs[k]!.offset });
        expect(plain(rest.map((r) => r.item))).toEqual(ITEMS.slice(k + 1));
      }
    });
  }

  it('json: writes one item per line inside [ ], valid with zero items', async () => {
    const items: Item[] = [{ a: n('1') }, { b: 'x' }];
    expect((await write(items, { format: 'json' })).toString()).toBe('[\n{"a":1},\n{"b":"x"}\n]\n');
    const empty = (await write([], { format: 'json' })).toString();
    expect(empty).toBe('[\n\n]\n');
    expect(JSON.parse(empty)).toEqual([]);
    expect(await read(Buffer.from(empty), { format: 'json' })).toEqual([]);
  });

  it('ndjson and ddb-json: one item per line, ddb-json in the shape of the S3 export', async () => {
    const items = [{ pk: 'a', n: n('1.50'), b: new Uint8Array([1, 2]) }];
    expect((await write(items, { format: 'ndjson' })).toString()).toBe(
      '{"pk":"a","n":1.50,"b":{"$binary":"AQI="}}\n',
    );
    expect((await write(items, { format: 'ddb-json' })).toString()).toBe(
      '{"Item":{"pk":{"S":"a"},"n":{"N":"1.50"},"b":{"B":"AQI="}}}\n',
    );
    expect((await write([], { format: 'ndjson' })).toString()).toBe('');
  });
});

describe('csv writer', () => {
  it('writes a header from the first item, quotes when needed, absent as empty and "" as ""', async () => {
    const items: Item[] = [
      { pk: 'a', n: n('12345678901234567890123456789012345678'), note: 'one, "two"\nthree', e: '' },
      { pk: 'b', n: n('2') },
    ];
    const text = (await write(items, { format: 'csv' })).toString();
    expect(text).toBe(
      'pk,n,note,e\na,12345678901234567890123456789012345678,"one, ""two""\nthree",""\nb,2,,\n',
    );
  });

  it('writes scalars naturally and non-scalars as plain JSON, which read back with types', async () => {
    const item: Item = {
      pk: 'a',
      n: n('-1.5E+3'),
      t: true,
      nul: null,
      bin: allBytes,
      ss: new Set(['x', 'y']),
      ns: new Set([n('1'), n('2')]),
      bs: new Set([new Uint8Array([1])]),
      m: { a: [n('1'), 'b', { c: null }] },
      l: [],
      s: 'text',
      empty: '',
    };
    const data = await write([item, { pk: 'b' }], { format: 'csv' });
    expect(data.toString().split('\n')[1]).toBe(
      `a,-1.5E+3,true,null,${Buffer.from(allBytes).toString('base64')},"{""$set"":[""x"",""y""]}","{""$set"":[1,2]}",` +
        '"{""$set"":[{""$binary"":""AQ==""}]}","{""a"":[1,""b"",{""c"":null}]}",[],text,""',
    );
    const types = {
      n: 'N',
      t: 'BOOL',
      nul: 'NULL',
      bin: 'B',
      ss: 'JSON',
      ns: 'JSON',
      bs: 'JSON',
      m: 'JSON',
      l: 'JSON',
    };
    const recs = await read(data, { format: 'csv', types }, 1);
    expect(recs.map((r) => r.item)).toEqual([item, { pk: 'b' }]);
    // Without types every cell is a string.
    const strings = await read(data, { format: 'csv' });
    expect(strings[0]!.item!.n).toBe('-1.5E+3');
  });

  it('uses the given columns; a missing attribute is an empty field', async () => {
    const text = (
      await write([{ b: 'x', a: 'y' }, { a: 'z' }], { format: 'csv', columns: ['a', 'b'] })
    ).toString();
    expect(text).toBe('a,b\ny,x\nz,\n');
    expect((await write([], { format: 'csv', columns: ['a', 'b'] })).toString()).toBe('a,b\n');
    expect((await write([], { format: 'csv' })).toString()).toBe('');
    expect((await write([{ 'a,b': 'x' }], { format: 'csv' })).toString()).toBe('"a,b"\nx\n');
  });

  it('csv: a column given a type is a column, whether the first item has it or not', async () => {
    const items = [parseItem('{"id":"a","s":"x"}'), parseItem('{"id":"b","s":"y","z":5}')];
    const text = (await write(items, { format: 'csv', types: { z: 'N' } })).toString();
    expect(text).toBe('id,s,z\na,x,\nb,y,5\n');
  });

  it('never drops an attribute: an item with one outside the columns is rejected, and writing goes on', async () => {
    const m = memory();
    const w = createItemWriter(m.out, { format: 'csv' });
    await w.write({ pk: 'a', x: 'x' });
    let error: unknown;
    try {
      await w.write({ pk: 'b', y: 'y', z: 'z' });
    } catch (e) {
      error = e;
    }
    expect(isDdbError(error, 'transfer.rejected')).toBe(true);
    expect((error as Error).message).toMatch(/\(y, z\).*columns are pk, x.*ndjson/);
    expect((error as { details?: unknown }).details).toEqual({
      item: { pk: 'b', y: 'y', z: 'z' },
      attributes: ['y', 'z'],
    });
    await w.write({ pk: 'c' });
    await w.close();
    expect(m.text()).toBe('pk,x\na,x\nc,\n');
  });

  it('encodePage + writeEncoded: a page of raw items in one write, the same text as item by item; CSV misfits come back as rejects', async () => {
    const items = [
      parseItem('{"pk":"a","n":1.5,"s":{"$set":["x"]}}'),
      parseItem('{"pk":"b","m":{"l":[true,null]}}'),
    ];
    const raw = items.map((i) => toDdbJson(i) as RawItem);
    for (const format of ['ndjson', 'json', 'ddb-json'] as const) {
      const m = memory();
      const writes: number[] = [];
      const w = createItemWriter(m.out, { format });
      const original = m.out.write.bind(m.out);
      m.out.write = ((chunk: string, ...rest: never[]) => {
        writes.push(chunk.length);
        return original(chunk, ...rest);
      }) as typeof m.out.write;
      const page = w.encodePage(raw);
      expect(page.rejects).toEqual([]);
      await w.writeEncoded(page);
      await w.close();
      expect(writes.length, `${format}: the page in one write, then the ending`).toBeLessThanOrEqual(2);
      expect(m.text()).toBe((await write(items, { format })).toString());
    }
    const m = memory();
    const w = createItemWriter(m.out, { format: 'csv' });
    const { rejects, ...page } = w.encodePage(raw);
    await w.writeEncoded({ ...page, rejects });
    expect(w.columns).toEqual(['pk', 'n', 's']);
    await w.close();
    expect(m.text()).toBe('pk,n,s\na,1.5,"{""$set"":[""x""]}"\n');
    expect(rejects).toHaveLength(1);
    expect(stringifyItem(rejects[0]!.item)).toBe('{"pk":"b","m":{"l":[true,null]}}');
    expect(rejects[0]!.reason).toMatch(/not CSV columns \(m\)/);
  });

  it("csv: one type per column (given, else its first value's); an item of another type is rejected, its new columns untyped", async () => {
    const m = memory();
    const w = createItemWriter(m.out, { format: 'csv', columns: ['id', 'a', 'v'], types: { v: 'n' } });
    const rejected: string[] = [];
    for (const line of [
      '{"id":"1","v":1}',
      '{"id":"2","a":true,"v":"1"}',
      '{"id":"3","a":"x"}',
      '{"id":"4","a":false,"v":null}',
    ]) {
      try {
        await w.write(parseItem(line));
      } catch (e) {
        if (!isDdbError(e) || e.code !== 'transfer.rejected') throw e;
        rejected.push(e.message);
      }
    }
    await w.close();
    expect(m.text()).toBe('id,a,v\n1,,1\n3,x,\n');
    expect(rejected).toEqual([
      'column v holds a string (S) here, and the column is N (its --types): CSV has one type per column; use --format ndjson or ddb-json for mixed types',
      "column a holds a boolean (BOOL) here, and the column is S (its first value's): CSV has one type per column; use --format ndjson or ddb-json for mixed types",
    ]);
    // Item 2 was rejected whole: its `a: true` typed nothing, so item 3's string made `a` a string column.
    expect(Object.fromEntries(w.types!)).toEqual({ id: 'S', a: 'S', v: 'N' });
  });

  it('checks the columns option', () => {
    const out = memory().out;
    expect(() => createItemWriter(out, { format: 'csv', columns: [] })).toThrow(/at least one column/);
    expect(() => createItemWriter(out, { format: 'csv', columns: ['a', 'a'] })).toThrow(/named twice/);
    expect(() => createItemWriter(out, { format: 'csv', columns: [''] })).toThrow(/empty/);
    expect(() => createItemWriter(out, { format: 'yaml' as Format })).toThrow(/Unknown format 'yaml'/);
  });
});

describe('writer streams', () => {
  it('waits for drain when the stream is full (backpressure)', async () => {
    const pending: (() => void)[] = [];
    const out = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, cb) {
        pending.push(cb);
      },
    });
    const w = createItemWriter(out, { format: 'ndjson' });
    let done = false;
    const p = w.write({ pk: 'x'.repeat(100) }).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    expect(out.writableNeedDrain).toBe(true);
    pending.shift()!();
    await p;
    expect(done).toBe(true);
  });

  it('ends the stream on close (waiting for finish) unless end is false', async () => {
    const a = new PassThrough();
    a.resume();
    await createItemWriter(a, { format: 'ndjson' }).close();
    expect(a.writableFinished).toBe(true);
    const b = new PassThrough();
    const w = createItemWriter(b, { format: 'json', end: false });
    await w.close();
    await w.close();
    expect(b.writableEnded).toBe(false);
    expect(b.read()?.toString()).toBe('[\n\n]\n');
    await expect(w.write({ a: 'x' })).rejects.toThrow(/after close/);
  });

  it('rejects writes after the stream failed, instead of crashing on the error event', async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('disk full'));
      },
    });
    const w = createItemWriter(out, { format: 'ndjson' });
    await w.write({ a: 'x' }).catch(() => {});
    await new Promise((r) => setImmediate(r));
    await expect(w.write({ a: 'y' })).rejects.toThrow(/disk full/);
    await expect(w.close()).rejects.toThrow(/disk full/);
  });
});

describe('createItemWriter continuing an earlier output', () => {
  it('json: no opening bracket, a comma before the first item', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => {
      text += d;
    });
    const w = createItemWriter(out, { format: 'json', continues: true });
    await w.write(parseItem('{"a":2}'));
    await w.close();
    expect(`[\n{"a":1}${text}`).toBe('[\n{"a":1},\n{"a":2}\n]\n');
    expect(JSON.parse(`[\n{"a":1}${text}`)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
