import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { stringifyItem, typeOf } from '../../data/codec.js';
import { isDdbError } from '../../errors.js';
import { type Format, type ReadOptions, type ReadRecord, readItemBatches, readItems } from './index.js';
import { BATCH_RECORDS, readLines } from './read.js';

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function read(data: string | Buffer, opts: ReadOptions, chunkSize = 65536): Promise<ReadRecord[]> {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  const out: ReadRecord[] = [];
  for await (const r of readItems(chunks(buf, chunkSize), opts)) out.push(r);
  return out;
}

/** Records as comparable text: items stringified (numbers exact, sets and binary tagged). */
function view(records: ReadRecord[]) {
  return records.map((r) => ({ ...r, item: r.item === undefined ? undefined : stringifyItem(r.item) }));
}

async function readError(data: string | Buffer, opts: ReadOptions): Promise<unknown> {
  try {
    await read(data, opts);
  } catch (e) {
    return e;
  }
  throw new Error('expected the read to fail');
}

// Every tricky byte: multi-byte UTF-8 (2, 3 and 4 bytes), CRLF, escaped quotes and backslashes,
// brackets, braces and commas inside strings, 38-digit numbers.
const NDJSON =
  '{"pk":"a","n":12345678901234567890123456789012345678,"s":"é 日本 🌍"}\r\n' +
  '\n' +
  '{"pk":"b","s":"quote \\" backslash \\\\ ] } , [ {","l":[1,[2,{"x":"]"}]]}\n' +
  '  \n' +
  '{"pk":"c","ss":{"$set":["x","y"]},"b":{"$binary":"AP8="}}';

const JSON_ARRAY =
  '[\n' +
  '  {"pk":"a","n":12345678901234567890123456789012345678,"s":"é 日本 🌍"},\r\n' +
  '  {\n    "pk": "b",\n    "s": "quote \\" backslash \\\\ ] } , [ {",\n    "l": [1, [2, {"x": "]"}]]\n  }\n' +
  '  ,{"pk":"c","ss":{"$set":["x","y"]},"b":{"$binary":"AP8="}}\n' +
  ']\n';

const CSV =
  'pk,n,s,note\r\n' +
  'a,12345678901234567890123456789012345678,é 日本 🌍,plain\r\n' +
  '"b",2,"with, comma","multi\r\nline ""quoted"" text"\r\n' +
  '\r\n' +
  'c,,"",\n';

const DDB_JSON =
  '{"Item":{"pk":{"S":"a"},"n":{"N":"12345678901234567890123456789012345678"},"s":{"S":"é 日本 🌍"}}}\n' +
  '{"pk":{"S":"b"},"l":{"L":[{"N":"1"},{"S":"] } ,"}]},"ns":{"NS":["1","2.50"]}}\r\n' +
  '{"Item":{"pk":{"S":"c"},"bs":{"BS":["AP8=","AQ=="]},"m":{"M":{"x":{"NULL":true},"t":{"BOOL":true}}}}}\n';

const FIXTURES: Record<Format, { data: string; opts: ReadOptions }> = {
  ndjson: { data: NDJSON, opts: { format: 'ndjson' } },
  json: { data: JSON_ARRAY, opts: { format: 'json' } },
  csv: { data: CSV, opts: { format: 'csv', types: { n: 'N' } } },
  'ddb-json': { data: DDB_JSON, opts: { format: 'ddb-json' } },
};

describe('readItems: every format', () => {
  for (const [format, { data, opts }] of Object.entries(FIXTURES)) {
    it(`${format}: one byte at a time gives the same records as one chunk`, async () => {
      const whole = await read(data, opts);
      expect(whole.length).toBe(3);
      expect(whole.every((r) => r.item !== undefined)).toBe(true);
      expect(view(await read(data, opts, 1))).toEqual(view(whole));
      expect(view(await read(data, opts, 7))).toEqual(view(whole));
    });

    it(`${format}: resuming from any record's offset continues with the next record`, async () => {
      const all = await read(data, opts);
      for (let k = 0; k < all.length; k++) {
        const rest = await read(data, { ...opts, startOffset: all[k]!.offset }, 3);
        expect(view(rest)).toEqual(view(all.slice(k + 1)));
      }
      expect(await read(data, { ...opts, startOffset: 0 })).toHaveLength(all.length);
    });

    it(`${format}: reads gzip (sniffed or forced), one byte at a time, with offsets into the decompressed bytes`, async () => {
      const all = await read(data, opts);
      const gz = gzipSync(Buffer.from(data));
      expect(view(await read(gz, opts, 1))).toEqual(view(all));
      expect(view(await read(gz, { ...opts, gzip: true }))).toEqual(view(all));
      const rest = await read(gz, { ...opts, startOffset: all[0]!.offset }, 5);
      expect(view(rest)).toEqual(view(all.slice(1)));
    });

    it(`${format}: the last record's offset is the end of the input (json: its closing bracket)`, async () => {
      const all = await read(data, opts);
      expect(all.at(-1)!.offset).toBe(
        format === 'json' ? Buffer.from(data).lastIndexOf(']') + 1 : Buffer.byteLength(data),
      );
    });
  }

  it("with the table's key, plain JSON records carry the key's values and the same items, made when read", async () => {
    const key = {
      table: 't',
      partitionKey: { name: 'pk', type: 'S' as const },
      indexKeys: [{ name: 'n', type: 'N' as const, index: 'byN', role: 'partition' as const }],
    };
    const typed = '{"pk":{"S":"d"},"m":{"M":{}}}\n{"Item":{"pk":{"S":"e"}}}\n';
    for (const [format, data] of [
      ['ndjson', `${NDJSON}\n${typed}`],
      ['json', JSON_ARRAY],
    ] as const) {
      const plain = await read(data, { format });
      const keyed = await read(data, { format, key }, 5);
      // The same records, item for item (each made from its text when read), hints included.
      const shown = (rs: ReadRecord[]) =>
        rs.map((r) => ({ line: r.line, offset: r.offset, item: stringifyItem(r.item!), hint: r.hint }));
      expect(shown(keyed)).toEqual(shown(plain));
      // The same checked text, but where a key attribute is neither a string nor a number (a map:
      // {"pk":{"S":"d"}}), which takes the general path.
      expect(keyed.map((r) => r.checked?.text)).toEqual(
        plain.map((r) =>
          r.item?.pk === undefined || typeof r.item.pk === 'string' ? r.checked?.text : undefined,
        ),
      );
      expect(keyed[0]!.checked!.key).toEqual({
        pk: 'a',
        n: new NumberValue('12345678901234567890123456789012345678'),
      });
      expect(keyed[1]!.checked!.key).toEqual({ pk: 'b' });
      // Tagged values take the general path: an item, no key.
      expect(keyed[2]!.checked).toBeUndefined();
    }
    expect((await read(typed, { format: 'ndjson', key })).map((r) => r.hint !== undefined)).toEqual([
      true,
      true,
    ]);
  });

  it('keeps every value exact and typed', async () => {
    const [a, b, c] = await read(NDJSON, { format: 'ndjson' });
    expect(a!.item!.n).toBeInstanceOf(NumberValue);
    expect((a!.item!.n as NumberValue).value).toBe('12345678901234567890123456789012345678');
    expect(a!.item!.s).toBe('é 日本 🌍');
    expect(b!.item!.s).toBe('quote " backslash \\ ] } , [ {');
    expect(typeOf(c!.item!.ss!)).toBe('SS');
    expect([...(c!.item!.b as Uint8Array)]).toEqual([0, 255]);
  });

  it('accepts a Node stream, strings, and an async iterable of strings', async () => {
    const fromStream: ReadRecord[] = [];
    for await (const r of readItems(Readable.from([Buffer.from(NDJSON)]), { format: 'ndjson' }))
      fromStream.push(r);
    const strings: ReadRecord[] = [];
    const split = async function* () {
      // One UTF-16 code unit at a time: the emoji's surrogate pair is split between chunks.
      for (let i = 0; i < NDJSON.length; i++) yield NDJSON[i]!;
    };
    for await (const r of readItems(split(), { format: 'ndjson' })) strings.push(r);
    const whole = await read(NDJSON, { format: 'ndjson' });
    expect(view(fromStream)).toEqual(view(whole));
    expect(view(strings)).toEqual(view(whole));
  });

  it('rejects bad options at once', () => {
    const bad = (opts: ReadOptions) => {
      try {
        readItems(chunks(Buffer.alloc(0), 1), opts);
      } catch (e) {
        return isDdbError(e, 'usage.invalid');
      }
      return false;
    };
    expect(bad({ format: 'xml' as Format })).toBe(true);
    expect(bad({ format: 'ndjson', startOffset: -1 })).toBe(true);
    expect(bad({ format: 'ndjson', startOffset: 1.5 })).toBe(true);
    expect(bad({ format: 'csv', types: { a: 'INT' } })).toBe(true);
    expect(bad({ format: 'ndjson', maxRecordBytes: 0 })).toBe(true);
  });

  it('stops reading the input when the consumer stops', async () => {
    let pulled = 0;
    const endless = async function* () {
      for (;;) {
        pulled++;
        yield Buffer.from('{"a":1}\n');
      }
    };
    let n = 0;
    for await (const _ of readItems(endless(), { format: 'ndjson' })) if (++n === 3) break;
    expect(pulled).toBeLessThan(10);
  });
});

describe('readItems: ndjson', () => {
  it('numbers lines exactly, skips blank lines, and goes on after a reject', async () => {
    const data = '{"a":1}\n\nnot json\n{"a":\n  \n[1,2]\n3\n{"b":2}';
    const recs = await read(data, { format: 'ndjson' });
    expect(recs.map((r) => [r.line, r.item === undefined ? r.raw : stringifyItem(r.item)])).toEqual([
      [1, '{"a":1}'],
      [3, 'not json'],
      [4, '{"a":'],
      [6, '[1,2]'],
      [7, '3'],
      [8, '{"b":2}'],
    ]);
    expect(recs[1]!.error).toMatch(/^item: /);
    expect(recs[3]!.error).toMatch(/expected a JSON object/);
    expect(recs[4]!.error).toMatch(/expected a JSON object/);
  });

  it('gives exact byte offsets (multi-byte characters counted in bytes)', async () => {
    const data = Buffer.from('{"s":"日本"}\r\n{"s":"🌍"}\n');
    const recs = await read(data, { format: 'ndjson' }, 1);
    expect(recs.map((r) => r.offset)).toEqual([data.indexOf('\n') + 1, data.length]);
    expect(data.subarray(0, recs[0]!.offset).toString()).toBe('{"s":"日本"}\r\n');
  });

  it('keeps the line count right when resuming', async () => {
    const data = '{"a":1}\n\n{"a":2}\n{"a":3}\n';
    const recs = await read(data, { format: 'ndjson', startOffset: 9 });
    expect(recs.map((r) => r.line)).toEqual([3, 4]);
    // An offset inside a record skips that record: only whole records after it are read.
    expect((await read(data, { format: 'ndjson', startOffset: 12 })).map((r) => r.line)).toEqual([4]);
    expect(await read(data, { format: 'ndjson', startOffset: 1000 })).toEqual([]);
  });

  it('makes invalid UTF-8 a reject instead of replacing characters', async () => {
    const data = Buffer.concat([
      Buffer.from('{"s":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n{"a":1}\n'),
    ]);
    const recs = await read(data, { format: 'ndjson' });
    expect(recs[0]!.error).toMatch(/UTF-8/);
    expect(recs[1]!.item).toBeDefined();
  });

  it('makes a record over maxRecordBytes a reject without holding it', async () => {
    const big = `{"s":"${'x'.repeat(5000)}"}`;
    const recs = await read(`{"a":1}\n${big}\n{"a":2}\n`, { format: 'ndjson', maxRecordBytes: 1000 }, 100);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(recs[1]!.error).toMatch(/larger than 1,000 bytes/);
    expect(recs[1]!.raw!.length).toBe(1000);
    expect(recs[1]!.offset).toBe(8 + big.length + 1);
    expect(recs[2]!.item).toBeDefined();
  });

  it('drops a UTF-8 byte order mark but counts it in offsets', async () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n{"a":2}\n')]);
    const recs = await read(data, { format: 'ndjson' }, 1);
    expect(recs.map((r) => [r.line, r.offset])).toEqual([
      [1, 11],
      [2, 19],
    ]);
    expect(await read(data, { format: 'ndjson', startOffset: 11 })).toHaveLength(1);
  });

  it('reads an empty input as no records', async () => {
    expect(await read('', { format: 'ndjson' })).toEqual([]);
    expect(await read('', { format: 'json' })).toEqual([]);
    expect(await read('', { format: 'csv' })).toEqual([]);
    expect(await read('', { format: 'ndjson', gzip: 'auto' })).toEqual([]);
  });
});

describe('readItems: gzip', () => {
  it('reads concatenated gzip members', async () => {
    const data = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"a":2}\n')]);
    expect((await read(data, { format: 'ndjson' })).map((r) => r.offset)).toEqual([8, 16]);
  });

  it('reads gzip bytes as text when gzip is false (so they are rejects)', async () => {
    const recs = await read(gzipSync('{"a":1}\n'), { format: 'ndjson', gzip: false });
    expect(recs.every((r) => r.error !== undefined)).toBe(true);
  });

  it('throws input.file for corrupt or truncated gzip, after the records before the damage', async () => {
    const e1 = await readError(Buffer.from('{"a":1}\n'), { format: 'ndjson', gzip: true });
    expect(isDdbError(e1, 'input.file')).toBe(true);
    expect((e1 as Error).message).toMatch(/gzip/);

    const lines = Array.from({ length: 2000 }, (_, i) => `{"i":${i},"pad":"${'p'.repeat(i % 50)}"}`).join(
      '\n',
    );
    const gz = gzipSync(lines);
    const seen: ReadRecord[] = [];
    let error: unknown;
    try {
      for await (const r of readItems(chunks(gz.subarray(0, gz.length - 100), 512), { format: 'ndjson' }))
        seen.push(r);
    } catch (e) {
      error = e;
    }
    expect(isDdbError(error, 'input.file')).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.item !== undefined)).toBe(true);
  });
});

describe('readItems: json (one array, read element by element)', () => {
  it('numbers lines, rejects bad elements and goes on', async () => {
    const data = '[\n{"a":1},\n3,\n{"b":},\n"x",\n{"c":\n  [1,2]},\n{"d":1} {"e":2},\n{"f":"}"}\n]';
    const recs = await read(data, { format: 'json' }, 1);
    expect(recs.map((r) => [r.line, r.item === undefined ? r.raw : stringifyItem(r.item)])).toEqual([
      [2, '{"a":1}'],
      [3, '3'],
      [4, '{"b":}'],
      [5, '"x"'],
      [6, '{"c":[1,2]}'],
      [8, '{"d":1} {"e":2}'],
      [9, '{"f":"}"}'],
    ]);
    expect(recs.filter((r) => r.error).map((r) => r.line)).toEqual([3, 4, 5, 8]);
  });

  it('reads an empty array, and tolerates a trailing comma', async () => {
    expect(await read(' [ ] ', { format: 'json' })).toEqual([]);
    expect(await read('[\n\n]\n', { format: 'json' })).toEqual([]);
    const recs = await read('[{"a":1},]', { format: 'json' });
    expect(recs.map((r) => r.item !== undefined)).toEqual([true]);
  });

  it('throws input.file when the input is not an array, naming the formats to use', async () => {
    const e = await readError('\n{"a":1}\n', { format: 'json' });
    expect(isDdbError(e, 'input.file')).toBe(true);
    expect((e as Error).message).toMatch(/Line 2: expected a JSON array .*ndjson/);
  });

  it('rejects a truncated array, an empty element and text after the array', async () => {
    const truncated = await read('[{"a":1},{"b":[2,', { format: 'json' });
    expect(truncated[0]!.item).toBeDefined();
    expect(truncated[1]!.error).toMatch(/ended before the closing/);
    expect(truncated[1]!.raw).toBe('{"b":[2,');
    const afterComma = await read('[{"a":1},\n', { format: 'json' });
    expect(afterComma[1]!.error).toMatch(/ended before the closing/);
    const empty = await read('[{"a":1},,{"b":2}]', { format: 'json' });
    expect(empty.map((r) => r.error === undefined)).toEqual([true, false, true]);
    const junk = await read('[{"a":1}]\n\n{"b":2}\n', { format: 'json' });
    expect(junk[1]!.line).toBe(3);
    expect(junk[1]!.error).toMatch(/after the closing/);
    expect(junk[1]!.offset).toBe(19);
  });

  it('puts each offset just after the comma or bracket that ends the element', async () => {
    const data = '[{"a":1} , {"a":2}]  ';
    const recs = await read(data, { format: 'json' });
    expect(recs.map((r) => r.offset)).toEqual([10, 19]);
    expect(await read(data, { format: 'json', startOffset: 19 })).toEqual([]);
  });

  it('holds one element at a time: a huge array streams with a small record limit', async () => {
    const n = 5000;
    async function* gen() {
      yield Buffer.from('[');
      for (let i = 0; i < n; i++) yield Buffer.from(`${i ? ',' : ''}\n{"i":${i},"s":"${'x'.repeat(100)}"}`);
      yield Buffer.from('\n]');
    }
    let count = 0;
    let last: ReadRecord | undefined;
    for await (const r of readItems(gen(), { format: 'json', maxRecordBytes: 200 })) {
      if (r.item) count++;
      last = r;
    }
    expect(count).toBe(n);
    expect(last!.line).toBe(n + 1);
  });
});

describe('readItems: ddb-json', () => {
  it('reads the S3 export shape and bare items, exactly', async () => {
    const recs = await read(DDB_JSON, { format: 'ddb-json' });
    expect(recs.map((r) => stringifyItem(r.item!))).toEqual([
      '{"pk":"a","n":12345678901234567890123456789012345678,"s":"é 日本 🌍"}',
      '{"pk":"b","l":[1,"] } ,"],"ns":{"$set":[1,2.50]}}',
      '{"pk":"c","bs":{"$set":[{"$binary":"AP8="},{"$binary":"AQ=="}]},"m":{"x":null,"t":true}}',
    ]);
  });

  it('keeps a bare JSON number exact too ({"N": 1} instead of {"N": "1"})', async () => {
    const recs = await read(
      '{"n":{"N":12345678901234567890123456789012345678},"ns":{"NS":[1,9007199254740993]}}\n',
      {
        format: 'ddb-json',
      },
    );
    expect(stringifyItem(recs[0]!.item!)).toBe(
      '{"n":12345678901234567890123456789012345678,"ns":{"$set":[1,9007199254740993]}}',
    );
  });

  it('tells an attribute named Item from the export envelope', async () => {
    const recs = await read('{"Item":{"M":{"a":{"S":"x"}}}}\n{"Item":{"S":"y"}}\n', { format: 'ddb-json' });
    expect(recs.map((r) => stringifyItem(r.item!))).toEqual(['{"Item":{"a":"x"}}', '{"Item":"y"}']);
  });

  it('rejects lines that are not DynamoDB JSON, with the attribute path', async () => {
    const data = [
      '{"a":"plain"}',
      '{"a":{"N":"abc"}}',
      '{"a":{"M":{"b":{"L":[{"X":1}]}}}}',
      '{"a":{"SS":[]}}',
      '{"a":{"B":"!!"}}',
      '[1]',
      '{"Item":{"a":{"S":"x"},"__proto__":{"S":"dropped by the SDK"}}}',
      '{"a":{"N":"1"}}',
    ].join('\n');
    const recs = await read(data, { format: 'ddb-json' });
    expect(recs.map((r) => r.error ?? 'ok')).toEqual([
      expect.stringMatching(/^a: expected a DynamoDB-JSON value/),
      'a: N needs a number in a string, such as {"N":"1.5"}: "abc" is not a number',
      expect.stringMatching(/^a\.b\[0\]: expected a DynamoDB-JSON value/),
      expect.stringMatching(/no empty sets/),
      expect.stringMatching(/^a: B: "!!" is not base64: use A-Z a-z 0-9/),
      expect.stringMatching(/expected DynamoDB JSON/),
      expect.stringMatching(/^an attribute named "__proto__" cannot be written/),
      'ok',
    ]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('readItems: random inputs', () => {
  // A small deterministic generator (mulberry32), so a failure reproduces.
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const ALPHABET = [
    'a',
    '1',
    ',',
    '"',
    '\n',
    '\r\n',
    '\r',
    '{',
    '}',
    '[',
    ']',
    ':',
    '\\',
    ' ',
    'é',
    '🌍',
    '"k":',
    '{"a":1}',
  ];

  async function outcome(data: Buffer, opts: ReadOptions, size: number) {
    try {
      return view(await read(data, opts, size));
    } catch (e) {
      return (e as Error).message;
    }
  }

  for (const format of ['ndjson', 'json', 'csv', 'ddb-json'] as Format[]) {
    it(`${format}: any chunking gives the same records, and every offset resumes at the next one`, async () => {
      const next = random(format.length * 7919);
      for (let round = 0; round < 150; round++) {
        const parts = Array.from(
          { length: Math.floor(next() * 30) },
          () => ALPHABET[Math.floor(next() * ALPHABET.length)],
        );
        const text = (format === 'json' ? '[' : format === 'csv' ? 'a,b\n' : '') + parts.join('');
        const data = Buffer.from(text);
        const opts: ReadOptions = { format, maxRecordBytes: 20 };
        const whole = await outcome(data, opts, 1 << 16);
        for (const size of [1, 2, 3])
          expect(await outcome(data, opts, size), JSON.stringify(text)).toEqual(whole);
        if (typeof whole === 'string') continue;
        const offsets = whole.map((r) => r.offset);
        expect(offsets, JSON.stringify(text)).toEqual([...offsets].sort((x, y) => x - y));
        for (let k = 0; k < whole.length; k++) {
          const rest = await outcome(data, { ...opts, startOffset: whole[k]!.offset }, 1);
          // A resume never repeats the record it resumes after.
          expect(rest, JSON.stringify(text)).toEqual(
            whole.slice(k + 1).filter((r) => r.offset > whole[k]!.offset),
          );
        }
      }
    });
  }
});

describe('readLines: NDJSON lines that are not items, through the same reader', () => {
  async function lines(data: Buffer, chunkSize: number) {
    const out = [];
    const parse = (text: string, line: number) => {
      if (text.trim() === '') return undefined;
      if (text.startsWith('!')) throw new Error(`line ${line}: refused`);
      return `${line}:${text}`;
    };
    for await (const r of readLines(chunks(data, chunkSize), parse, { gzip: false })) out.push(r);
    return out;
  }

  it('hands each line (BOM, CR and blank lines dropped) to parse; bad UTF-8 and refusals are rejects', async () => {
    const data = Buffer.concat([
      Buffer.from('\uFEFF{"a":"é 🌍"}\r\n\n  \n!no\r\n\f\n'),
      Buffer.from([0x7b, 0xff, 0x7d, 0x0d, 0x0a]),
      Buffer.from('last'),
    ]);
    for (const size of [1, 3, 65536]) {
      expect(await lines(data, size)).toEqual([
        { line: 1, value: '1:{"a":"é 🌍"}' },
        { line: 4, error: 'line 4: refused', raw: '!no' },
        { line: 5 },
        {
          line: 6,
          error: 'the record is not valid UTF-8 text; save the file as UTF-8',
          raw: '{\uFFFD}',
          notUtf8: true,
          // Exact: the CR of its CRLF too (the text drops it).
          rawBase64: Buffer.from([0x7b, 0xff, 0x7d, 0x0d]).toString('base64'),
        },
        { line: 7, value: '7:last' },
      ]);
    }
  });
});

describe('readItemBatches', () => {
  it('cuts a large chunk into batches of at most BATCH_RECORDS, the same records in the same order as readItems', async () => {
    const lines = Array.from({ length: 1300 }, (_, i) => `{"pk":"k${i}","n":${i}}`);
    lines.splice(700, 0, 'not json');
    const data = Buffer.from(`${lines.join('\n')}\n`);
    const batches: ReadRecord[][] = [];
    // One chunk of 1 MiB holds them all.
    for await (const b of readItemBatches(chunks(data, 1 << 20), { format: 'ndjson' })) batches.push(b);
    expect(batches.map((b) => b.length)).toEqual([BATCH_RECORDS, BATCH_RECORDS, 1301 - 2 * BATCH_RECORDS]);
    expect(view(batches.flat())).toEqual(view(await read(data, { format: 'ndjson' })));
    expect(batches.flat()[700]).toMatchObject({ line: 701, raw: 'not json' });
    expect(batches.flat().at(-1)).toMatchObject({ line: 1301, offset: data.length });
  });
});
