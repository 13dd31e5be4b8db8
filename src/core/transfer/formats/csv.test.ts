import { Writable } from 'node:stream';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvItems } from '../../../../test/support/csvItems.js';
import { type Item, type ItemValue, stringifyItem, typeOf } from '../../data/codec.js';
import { isDdbError } from '../../errors.js';
import { parseCsvFields } from './csv.js';
import {
  createItemWriter,
  formatFromPath,
  parseTypes,
  type ReadOptions,
  type ReadRecord,
  readItems,
} from './index.js';

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function read(
  data: string,
  opts: Omit<ReadOptions, 'format'> = {},
  chunkSize = 65536,
): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  for await (const r of readItems(chunks(Buffer.from(data), chunkSize), { format: 'csv', ...opts }))
    out.push(r);
  return out;
}

async function readError(data: string, opts: Omit<ReadOptions, 'format'> = {}): Promise<unknown> {
  try {
    await read(data, opts);
  } catch (e) {
    return e;
  }
  throw new Error('expected the read to fail');
}

const items = (recs: ReadRecord[]) => recs.map((r) => (r.item ? stringifyItem(r.item) : `! ${r.error}`));

describe('csv reader', () => {
  it('reads quoted fields with commas, doubled quotes, newlines and CRLF; all strings by default', async () => {
    const data = 'pk,note,n\r\na,"one, two","say ""hi"""\r\nb,"line 1\r\nline 2\nline 3",7\r\n';
    const recs = await read(data, {}, 1);
    expect(items(recs)).toEqual([
      '{"pk":"a","note":"one, two","n":"say \\"hi\\""}',
      '{"pk":"b","note":"line 1\\r\\nline 2\\nline 3","n":"7"}',
    ]);
    expect(recs.map((r) => r.line)).toEqual([2, 3]);
    expect(recs.map((r) => r.offset)).toEqual([
      Buffer.byteLength('pk,note,n\r\na,"one, two","say ""hi"""\r\n'),
      Buffer.byteLength(data),
    ]);
  });

  it('numbers the lines of records that span lines exactly, and skips blank lines', async () => {
    const data = 'a,b\n\n1,"x\ny\nz"\n\n\n2,3\n"4\n",5';
    const recs = await read(data, {}, 2);
    expect(recs.map((r) => r.line)).toEqual([3, 8, 9]);
    expect(items(recs)[2]).toBe('{"a":"4\\n","b":"5"}');
  });

  it('rejects a row with a missing or extra column, with its line, and goes on', async () => {
    const recs = await read('a,b,c\n1,2,3\n1,2\n1,2,3,4\n"x\ny",2,3\n');
    expect(recs.map((r) => [r.line, r.error ?? 'ok'])).toEqual([
      [2, 'ok'],
      [3, 'expected 3 fields (a,b,c), found 2; quote a field that holds a comma'],
      [4, 'expected 3 fields (a,b,c), found 4; quote a field that holds a comma'],
      [5, 'ok'],
    ]);
    expect(recs[1]!.raw).toBe('1,2');
  });

  it('converts typed columns; an empty unquoted field is absent, a quoted one the empty string', async () => {
    const data =
      'pk,age,active,bin,nothing,doc,name\n' +
      'a,12345678901234567890123456789012345678,true,AP8=,null,"{""tags"":{""$set"":[""x""]},""n"":[1,2]}",Ada\n' +
      'b,,,,,,\n' +
      'c,-1.5e3,false,"",,[],""\n';
    const types = { age: 'N', active: 'BOOL', bin: 'B', nothing: 'NULL', doc: 'JSON' };
    const recs = await read(data, { types });
    expect(items(recs)).toEqual([
      '{"pk":"a","age":12345678901234567890123456789012345678,"active":true,"bin":{"$binary":"AP8="},"nothing":null,"doc":{"tags":{"$set":["x"]},"n":[1,2]},"name":"Ada"}',
      '{"pk":"b"}',
      '{"pk":"c","age":-1.5e3,"active":false,"bin":{"$binary":""},"doc":[],"name":""}',
    ]);
    const a = recs[0]!.item!;
    expect(a.age).toBeInstanceOf(NumberValue);
    expect(typeOf((a.doc as Record<string, ItemValue>).tags!)).toBe('SS');
  });

  it('rejects a value of the wrong type, naming the column', async () => {
    const data =
      'pk,age,active,bin,doc,nothing\na,abc,,,,\nb,1,yes,,,\nc,1,true,***,,\nd,,,,{bad,\ne,,,,,x\nf,1,true,,{},null\n';
    const recs = await read(data, {
      types: { age: 'n', active: 'bool', bin: 'B', doc: 'JSON', nothing: 'NULL' },
    });
    expect(recs.map((r) => [r.line, r.error ?? 'ok'])).toEqual([
      [
        2,
        "column age (N): 'abc' is not a number (DynamoDB's syntax, such as 12, -1.5 or 1e3, with no spaces)",
      ],
      [3, "column active (BOOL): 'yes' is not a boolean: write true or false, in lower case"],
      [4, "column bin (B): '***' is not base64 (with no spaces)"],
      [5, expect.stringMatching(/^column doc \(JSON\): value: /)],
      [
        6,
        "column nothing (NULL): 'x' is not null: write null (an empty unquoted field is an absent attribute)",
      ],
      [7, 'ok'],
    ]);
  });

  it('takes typed cells exactly, as DynamoDB JSON does: no spaces, no other case, "" is no null', async () => {
    const data =
      'id,n,b,nl,bin\nx1, 1,,,\nx2,1 ,,,\nx3,,TRUE,,\nx4,,True,,\nx5,,,"",\nx6,,,NULL,\nx7,,, null,\nx8,,,,AAE= \nx9,1,true,null,AAE=\n';
    const recs = await read(data, { types: { n: 'N', b: 'BOOL', nl: 'NULL', bin: 'B' } });
    expect(recs.map((r) => r.error?.replace(/:.*/, '') ?? stringifyItem(r.item!))).toEqual([
      'column n (N)',
      'column n (N)',
      'column b (BOOL)',
      'column b (BOOL)',
      'column nl (NULL)',
      'column nl (NULL)',
      'column nl (NULL)',
      'column bin (B)',
      '{"id":"x9","n":1,"b":true,"nl":null,"bin":{"$binary":"AAE="}}',
    ]);
    expect(recs[4]!.error).toBe(
      'column nl (NULL): "" (the empty string) is not null: write null (an empty unquoted field is an absent attribute)',
    );
  });

  it('rejects an unclosed quote at the end and text after a closing quote', async () => {
    const recs = await read('a,b\n"x"y,1\n2,"open\nstill open');
    expect(recs.map((r) => [r.line, r.error])).toEqual([
      [2, 'column 1: unexpected text after a closing quote; double a quote inside a quoted field ("")'],
      [3, expect.stringMatching(/opened on line 3 is not closed at the end of the input/)],
    ]);
  });

  it('takes a quote inside an unquoted field, or after a closing quote, literally', async () => {
    expect(items(await read('a,b\n5" disk,x\n'))).toEqual(['{"a":"5\\" disk","b":"x"}']);
    const recs = await read('a,b\n"x"y"z,1\n2,3\n', {}, 1);
    expect(recs.map((r) => [r.line, r.error === undefined])).toEqual([
      [2, false],
      [3, true],
    ]);
  });

  it('reads a header only, or nothing, as no records; strips a byte order mark', async () => {
    expect(await read('a,b\n')).toEqual([]);
    expect(await read('\n\n')).toEqual([]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('pk,n\nx,1\n')]);
    const recs: ReadRecord[] = [];
    for await (const r of readItems(chunks(bom, 1), { format: 'csv' })) recs.push(r);
    expect(items(recs)).toEqual(['{"pk":"x","n":"1"}']);
    expect(recs[0]!.offset).toBe(bom.length);
  });

  it('throws input.file for a bad header and usage.invalid for types of unknown columns', async () => {
    for (const header of ['a,,b\n1,2,3\n', 'a,b,a\n1,2,3\n', '"a,b\n']) {
      const e = await readError(header);
      expect(isDdbError(e, 'input.file')).toBe(true);
      expect((e as Error).message).toMatch(/^CSV header \(line 1\)/);
    }
    const e = await readError('pk,age\n1,2\n', { types: { agee: 'N' } });
    expect(isDdbError(e, 'usage.invalid')).toBe(true);
    expect((e as Error).message).toMatch(/'agee'.*columns are pk, age/);
  });

  it('reads the header again on resume and skips the rows before the offset', async () => {
    const data = 'pk,v\n1,"a\nb"\n2,c\n3,d\n';
    const all = await read(data);
    const rest = await read(data, { startOffset: all[0]!.offset }, 1);
    expect(rest.map((r) => [r.line, r.item?.pk])).toEqual([
      [4, '2'],
      [5, '3'],
    ]);
    // An offset inside the header still reads every row.
    expect(await read(data, { startOffset: 2 })).toHaveLength(3);
  });
});

/** Items written as CSV by the export writer, in memory. */
async function writeCsv(list: Item[], columns: string[]): Promise<string> {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      cb();
    },
  });
  const w = createItemWriter(out, { format: 'csv', columns });
  for (const item of list) await w.write(item);
  await w.close();
  return Buffer.concat(parts).toString('utf8');
}

describe('csv round trip (writer → reader), property-based', () => {
  const { text, item, columns, types } = csvItems();

  it('reads back exactly what it wrote, absent attributes and empty strings apart', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 8 }), async (list) => {
        const csv = await writeCsv(list, columns);
        const recs = await read(csv, { types });
        expect(recs.map((r) => r.error)).toEqual(list.map(() => undefined));
        expect(recs.map((r) => r.item)).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });

  it('one string column: an empty string, a blank one and an absent one stay apart', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: text.filter((t) => t !== ''), s: text }, { requiredKeys: ['id'] })),
        async (list) => {
          const csv = await writeCsv(list, ['s', 'id']);
          expect((await read(csv)).map((r) => r.item)).toEqual(list);
        },
      ),
    );
    for (const id of [' ', '\t', ' \t ']) {
      const csv = await writeCsv([{ id }], ['id']);
      expect((await read(csv)).map((r) => r.item)).toEqual([{ id }]);
    }
  });
});

describe('parseCsvFields', () => {
  it('splits fields and marks quoted ones', () => {
    expect(parseCsvFields('a,"b,c",,""\r')).toEqual({
      fields: [
        { value: 'a', quoted: false },
        { value: 'b,c', quoted: true },
        { value: '', quoted: false },
        { value: '', quoted: true },
      ],
    });
    expect(parseCsvFields('').fields).toEqual([{ value: '', quoted: false }]);
    expect(parseCsvFields('x,').fields).toEqual([
      { value: 'x', quoted: false },
      { value: '', quoted: false },
    ]);
  });
});

describe('parseTypes', () => {
  it('parses name:TYPE pairs, any case, with spaces', () => {
    expect(parseTypes('age:N, active:bool ,tags:Json,b:B,x:NULL,s:S')).toEqual({
      age: 'N',
      active: 'BOOL',
      tags: 'JSON',
      b: 'B',
      x: 'NULL',
      s: 'S',
    });
    expect(parseTypes('')).toEqual({});
    expect(parseTypes('a:b:N')).toEqual({ 'a:b': 'N' });
  });

  it('throws usage.invalid with an example on bad syntax, unknown types and repeats', () => {
    for (const bad of ['age', 'age:', ':N', 'age:INT', 'age:N,,b:S', 'age:N,age:S']) {
      let error: unknown;
      try {
        parseTypes(bad);
      } catch (e) {
        error = e;
      }
      expect(isDdbError(error, 'usage.invalid'), bad).toBe(true);
    }
    expect(() => parseTypes('age:INT')).toThrow(/use one of N, S, BOOL, B, NULL, JSON/);
    expect(() => parseTypes('age')).toThrow(/for example 'age:N,active:BOOL/);
  });
});

describe('formatFromPath', () => {
  it('maps extensions, ignoring .gz and case', () => {
    const cases: [string, string | undefined][] = [
      ['items.ndjson', 'ndjson'],
      ['items.jsonl', 'ndjson'],
      ['items.JSONL.gz', 'ndjson'],
      ['dir.v1/items.json', 'json'],
      ['items.json.gz', 'json'],
      ['items.csv', 'csv'],
      ['items.CSV.GZ', 'csv'],
      ['export.ddb.json', 'ddb-json'],
      ['export.ddb.json.gz', 'ddb-json'],
      ['export.ddbjson', 'ddb-json'],
      ['export.ddb-json', 'ddb-json'],
      ['export.DDB-JSON.gz', 'ddb-json'],
      ['items.txt', undefined],
      ['items.gz', undefined],
      ['-', undefined],
    ];
    for (const [path, format] of cases) expect(formatFromPath(path), path).toBe(format);
  });
});
